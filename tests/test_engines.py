"""A second engine, proven: ProperDocs (the maintained fork of MkDocs 1.6) builds the shipped
site unchanged, and `export-markdown` gives a plain Markdown site another engine can take.

The ProperDocs comparison is the one CI runs (docs/ENGINES.md): both engines build the shipped
project with its hooks; the trees must be byte-identical once the documented differences below
are taken out.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO

# The only differences allowed between the two engines' trees (docs/ENGINES.md says why):
# Material prints the engine's name and version in a generator tag on every page.
ENGINE_DIFFERENCES = [re.compile(rb'<meta name="generator" content="mkdocs-[^"]*">')]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1"}


def engine_build(engine: str, site: Path, config: Path = REPO / "mkdocs.yml") -> None:
    command = [sys.executable, "-m", engine, "build", "-q", "--strict", "-f", str(config), "-d", str(site)]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def comparable_tree(site: Path) -> dict[str, bytes]:
    tree = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for difference in ENGINE_DIFFERENCES:
                data = difference.sub(b"", data)
            tree[path.relative_to(site).as_posix()] = data
    return tree


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    engine_build("mkdocs", tmp_path / "mkdocs")
    engine_build("properdocs", tmp_path / "properdocs")
    ours, theirs = comparable_tree(tmp_path / "mkdocs"), comparable_tree(tmp_path / "properdocs")
    assert sorted(theirs) == sorted(ours)
    differing = [path for path in ours if ours[path] != theirs[path]]
    assert differing == [], f"{len(differing)} files differ beyond the documented differences, e.g. {differing[:5]}"
    generator = re.compile(rb'<meta name="generator" content="([^"]*)">')
    index = "index.html"
    assert generator.search((tmp_path / "properdocs" / index).read_bytes()).group(1).startswith(b"mkdocs-ProperDocs")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    done = subprocess.run(
        [sys.executable, "-m", "bulletin", "export-markdown", str(out), "--root", str(REPO)],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_export_markdown_writes_plain_pages_without_original_photos(exported):
    docs = exported / "docs"
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert {"index.md", "gioi-thieu.md", "huong-dan/du-lieu.md"} <= pages
    assert any(page.startswith("cau-chuyen/") and page != "cau-chuyen/index.md" for page in pages)
    text = "\n".join((docs / page).read_text(encoding="utf-8") for page in pages)
    assert "](/" not in text  # links are relative: no engine-specific absolute docs links
    originals = {p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.jpg")}
    assert originals and not originals & {p.relative_to(docs).as_posix() for p in docs.rglob("*.jpg")}
    assert (docs / "assets" / "search" / "search.js").is_file()
    config = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks" not in config and "custom_dir" not in config


def test_the_export_builds_with_an_engine_that_has_no_hooks(exported, tmp_path):
    """Plain MkDocs + Material, no hooks, no overrides: every page of the export is built."""
    engine_build("mkdocs", tmp_path / "plain", exported / "mkdocs.yml")
    docs = exported / "docs"
    built = {p.relative_to(tmp_path / "plain").as_posix() for p in (tmp_path / "plain").rglob("index.html")}
    for page in docs.rglob("*.md"):
        url = page.relative_to(docs).with_suffix("").as_posix()
        url = url.removesuffix("index").rstrip("/")
        assert (f"{url}/index.html" if url else "index.html") in built, page
