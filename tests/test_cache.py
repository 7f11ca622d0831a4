"""The page cache, the data layer's memos and the worker processes never change what is built.

Each build runs the real `mkdocs build` command on a copy of the project (the shipped data)
and of the `bulletin` package, so that a record template can be edited too. After each kind of
change, a build that reuses `.cache/` and a clean build by MkDocs' own page loop
(`BULLETIN_WORKERS=0 BULLETIN_CACHE=0`: no cache, no memos, no workers) must write
byte-identical trees, and the cached build must have rendered again only what the change touches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import BUILD_DAY, REPO, free_port

from bulletin.cache import KEPT_GENERATIONS, MAX_PACKS, PageCache

# A build whose installed theme reports another version (what an upgrade of Material looks
# like to the cache), otherwise the `mkdocs` command itself.
_MKDOCS_WITH_THEME_VERSION = """
import sys
import bulletin.cache as cache
real = cache.installed_version
cache.installed_version = lambda name: "99.0.0" if name == "mkdocs-material" else real(name)
from mkdocs.__main__ import cli
sys.exit(cli())
"""
_RENDERED = re.compile(r"(\d+) trang được dựng lại, (\d+) trang lấy từ bộ nhớ đệm")


@pytest.fixture
def copy(tmp_path) -> tuple[Path, Path]:
    """The project and the package, copied: (project root, folder to put on PYTHONPATH)."""
    project, code = tmp_path / "project", tmp_path / "code"
    project.mkdir()
    for name in ("mkdocs.yml", "build_hooks.py", "checks.yml"):
        shutil.copy(REPO / name, project / name)
    for folder in ("content", "overrides", "data"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copytree(REPO / "bulletin", code / "bulletin", ignore=shutil.ignore_patterns("__pycache__"))
    return project, code


def mkdocs_build(
    project: Path,
    code: Path,
    site: Path,
    *,
    workers: str = "2",
    cache: bool = True,
    theme_version: bool = False,
    today: str = BUILD_DAY,
    memo: str = "",
    log: Path | None = None,
) -> int | None:
    """One `mkdocs build` in its own process; how many pages it rendered (None when
    ``workers`` is "0": MkDocs' own loop, the reference); its log written to ``log``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "BULLETIN_TODAY": today,
        "NO_MKDOCS_2_WARNING": "1",
        "BULLETIN_WORKERS": workers,
        "BULLETIN_CACHE": "1" if cache else "0",
        "BULLETIN_MEMO": memo,  # "": as shipped (page cache and memos); "0": page cache only
    }
    start = ["-c", _MKDOCS_WITH_THEME_VERSION] if theme_version else ["-m", "mkdocs"]
    command = [sys.executable, *start, "build", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=project)
    assert done.returncode == 0, done.stderr[-3000:]
    if log:
        log.write_text(done.stderr, encoding="utf-8")
    if workers == "0":
        return None
    counts = _RENDERED.search(done.stderr)
    assert counts, done.stderr[-3000:]
    return int(counts.group(1))


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def assert_same_tree(cached: Path, clean: Path) -> None:
    ours, reference = tree(cached), tree(clean)
    assert sorted(ours) == sorted(reference)
    differing = [path for path in reference if ours[path] != reference[path]]
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first(folder: Path) -> Path:
    return sorted(p for p in folder.iterdir() if p.is_file())[0]


def _clean_build(project: Path, code: Path, site: Path, today: str = BUILD_DAY) -> None:
    """The reference: MkDocs' own page loop, no page cache, no memos."""
    mkdocs_build(project, code, site, workers="0", cache=False, today=today)


@pytest.mark.parametrize("memo", ["", "0"], ids=["page cache and memos", "page cache only"])
def test_a_cached_build_equals_a_clean_build_after_each_kind_of_change(copy, tmp_path, memo):
    project, code = copy
    total = mkdocs_build(project, code, tmp_path / "warm", memo=memo)
    assert total > 100
    assert (project / ".cache" / "memo").is_dir() == (memo != "0")
    assert mkdocs_build(project, code, tmp_path / "again", memo=memo) == 0  # nothing changed: nothing rendered
    assert_same_tree(tmp_path / "again", tmp_path / "warm")

    story = _first(project / "data" / "stories")
    person = project / "data" / "people" / "bui-thi-lan.md"
    steps = [
        ("a record edited", "few", lambda: _edit(story, "\ntitle: ", "\ntitle: Đã sửa — ")),
        ("a story's text edited", "few", lambda: _edit(story, "\n---\n", "\n---\n\nMột đoạn mới.\n")),
        # the classic bug of incremental builds: she must leave every page, listing, feed, search index, export
        ("a consent withdrawn", "any", lambda: _edit(person, "  given_on:", "  withdrawn_on: 2026-01-01\n  given_on:")),
        ("the consent given again", "any", lambda: _edit(person, "  withdrawn_on: 2026-01-01\n", "")),
        ("a record added", "few", lambda: shutil.copy(story, story.with_name("ban-sao-moi.md"))),
        # the site is back to its state after the edit, whose pages are all still in the cache
        ("a record removed", "none", lambda: story.with_name("ban-sao-moi.md").unlink()),
        (
            "a hand-written page edited",
            "few",
            lambda: _edit(project / "content" / "gioi-thieu.md", "\n\n", "\n\nMột câu mới.\n\n"),
        ),
        (
            "a record template edited",
            "few",
            lambda: _edit(code / "bulletin" / "templates" / "commendation.html.j2", "Quyết định số", "Theo quyết định số"),
        ),
        (
            "a theme override edited",
            "all",
            lambda: _edit(project / "overrides" / "main.html", "{% extends", "{#- sửa -#}{% extends"),
        ),
        ("mkdocs.yml edited", "all", lambda: _edit(project / "mkdocs.yml", "copyright: ", "copyright: Bản sửa — ")),
    ]
    for number, (change, expected, apply) in enumerate(steps):
        apply()
        rendered = mkdocs_build(project, code, tmp_path / f"cached-{number}", memo=memo)
        _clean_build(project, code, tmp_path / f"clean-{number}")
        assert_same_tree(tmp_path / f"cached-{number}", tmp_path / f"clean-{number}")
        naming = [path for path, data in tree(tmp_path / f"cached-{number}").items() if "Bùi Thị Lan".encode() in data]
        assert bool(naming) == (change != "a consent withdrawn"), f"{change}: {naming[:5]}"
        if expected == "none":
            assert rendered == 0, f"{change}: {rendered} pages rendered again"
        elif expected == "few":
            assert 0 < rendered < total // 4, f"{change}: {rendered} of {total} pages rendered again"
        elif expected == "all":
            assert rendered >= total - 2, f"{change}: only {rendered} of {total} pages rendered again"

    rendered = mkdocs_build(project, code, tmp_path / "new-theme", theme_version=True, memo=memo)
    assert rendered >= total - 2, "a new theme version must render every page again"
    assert_same_tree(tmp_path / "new-theme", tmp_path / f"clean-{len(steps) - 1}")

    # another build day: scheduled records appear, campaign statuses move on
    mkdocs_build(project, code, tmp_path / "later", today="2027-06-01", memo=memo)
    _clean_build(project, code, tmp_path / "later-clean", today="2027-06-01")
    assert_same_tree(tmp_path / "later", tmp_path / "later-clean")


def test_warnings_of_cached_pages_are_repeated(copy, tmp_path):
    """A strict build must fail on a cached page's broken link as it did the first time."""
    project, code = copy
    _edit(project / "content" / "gioi-thieu.md", "\n\n", "\n\nXem [trang cũ](khong-co.md).\n\n")
    env = {**os.environ, "PYTHONPATH": str(code), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1"}
    for attempt in range(2):
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")]
        command += ["-d", str(tmp_path / f"site-{attempt}")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=project)
        assert done.returncode != 0
        assert "khong-co.md" in done.stderr
    assert "0 trang được dựng lại" in done.stderr  # the second build failed from the cache alone


@pytest.mark.parametrize("workers", ["1", "2"])
def test_pages_rendered_on_workers_equal_mkdocs_own_loop(copy, tmp_path, workers):
    project, code = copy
    _clean_build(project, code, tmp_path / "reference")
    rendered = mkdocs_build(project, code, tmp_path / "ours", workers=workers, cache=False)
    assert rendered > 100  # the cache was off: every page was rendered, in this process or on the workers
    assert_same_tree(tmp_path / "ours", tmp_path / "reference")


def test_share_images_drawn_in_the_background_equal_mkdocs_own_loop(copy, tmp_path):
    """A cold build with many stories draws their share cards on a background process while
    the pages are made (build._Drawing): every image is published, as one process draws it."""
    project, code = copy
    story = project / "data" / "stories" / "hoc-sinh-tra-lai-vi.md"
    for number in range(30):
        copied = story.with_name(f"ban-sao-{number}.md")
        shutil.copy(story, copied)
        _edit(copied, "\ntitle: ", f"\ntitle: Bản sao {number} — ")
    log = tmp_path / "log"
    mkdocs_build(project, code, tmp_path / "ours", log=log)
    drawn = re.search(r"(\d+) ảnh chia sẻ mới được vẽ trong nền", log.read_text(encoding="utf-8"))
    assert drawn and int(drawn[1]) >= 30
    shutil.rmtree(project / ".cache")  # the reference draws its own
    _clean_build(project, code, tmp_path / "reference")
    assert_same_tree(tmp_path / "ours", tmp_path / "reference")


def test_a_save_under_mkdocs_serve_shows_everywhere(copy):
    """Under `mkdocs serve` the entries stay in memory between builds: a saved record still
    shows on its page and on the pages that list it, and the rest comes from the cache."""
    project, code = copy
    env = {**os.environ, "PYTHONPATH": str(code), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1"}
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    log = project / "serve.log"
    with open(log, "w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=project)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_for(f"{base}/", lambda html: "</html>" in html), log.read_text()
        story = _first(project / "data" / "stories")
        for attempt in range(2):
            marker = f"Bản sửa số {attempt + 1}"
            _edit(story, "\ntitle: ", f"\ntitle: {marker} ")
            assert _wait_for(f"{base}/cau-chuyen/{story.stem}/", lambda html, m=marker: m in html), log.read_text()
            assert marker in _get(f"{base}/cau-chuyen/")
        counts = [int(found.group(1)) for found in _RENDERED.finditer(log.read_text(encoding="utf-8"))]
        assert len(counts) >= 3 and counts[-1] < counts[0] // 4, counts
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, condition, seconds: float = 300) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition(_get(url)):
            return True
        time.sleep(0.2)
    return False


# --- The page cache's storage: packs ---------------------------------------------------------
def _stored(folder: Path, entries: dict[str, object]) -> None:
    """One build's entries, added and written as a build does."""
    cache = PageCache(folder)
    for key, entry in entries.items():
        cache.add(key, cache.pickled(entry) or b"")
    cache.write()


def test_a_builds_entries_are_one_pack_and_read_back_by_key(tmp_path):
    _stored(tmp_path, {"a": {"html": "A"}, "b": ["B", 2]})
    _stored(tmp_path, {"c": "C"})
    assert len(list(tmp_path.glob("pack-*.bin"))) == 2  # one file per build, not per page
    cache = PageCache(tmp_path)
    assert (cache.load("a"), cache.load("b"), cache.load("c"), cache.load("d")) == ({"html": "A"}, ["B", 2], "C", None)
    cache.close()


def test_a_damaged_pack_is_a_miss_and_old_single_files_are_removed(tmp_path):
    _stored(tmp_path, {"a": "A"})
    (pack,) = tmp_path.glob("pack-*.bin")
    pack.write_bytes(pack.read_bytes()[:-1])  # a build killed while writing would leave no pack, but a disk may cut one
    (tmp_path / "0123.pickle").write_bytes(b"older layout")
    cache = PageCache(tmp_path)
    assert cache.load("a") is None
    cache.prune({"a"})
    assert not (tmp_path / "0123.pickle").exists()


def test_pruning_keeps_every_entry_in_use_and_a_few_sets_at_most(tmp_path):
    in_use = {f"page{i}": f"v{i}" for i in range(10)}
    _stored(tmp_path, {f"old{i}": "x" for i in range(25)})  # entries no build uses any more
    for i in range(8):  # rebuilds, each rendering one page again
        _stored(tmp_path, {**({} if i else in_use), f"page{i}": f"v{i}"})
    cache = PageCache(tmp_path)
    removed = cache.prune(set(in_use))
    assert removed >= 25
    after = PageCache(tmp_path)
    assert {key: after.load(key) for key in in_use} == in_use
    assert all(after.load(f"old{i}") is None for i in range(25))
    stored = sum(len(index) for _, index in after._packs())
    assert stored <= KEPT_GENERATIONS * len(in_use)
    after.close()


def test_many_small_packs_are_merged_and_a_stopped_builds_leftovers_removed(tmp_path):
    in_use = {f"page{i}": f"v{i}" for i in range(10)}
    _stored(tmp_path, in_use)
    for i in range(MAX_PACKS + 2):  # saves under serve: one small pack each
        _stored(tmp_path, {f"page{i % 10}": f"v{i % 10}"})
    leftover = tmp_path / ".tmp-stopped"
    leftover.write_bytes(b"half a pack")
    os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    cache = PageCache(tmp_path)
    cache.prune(set(in_use))
    assert len(list(tmp_path.glob("pack-*.bin"))) <= MAX_PACKS // 2 + 1 and not leftover.exists()
    after = PageCache(tmp_path)
    assert {key: after.load(key) for key in in_use} == in_use
    after.close()


@pytest.fixture
def html_env(monkeypatch):
    """Our HTML templates' environment as in a fresh process: nothing compiled in memory, no
    folder of compiled templates yet (both environments)."""
    from jinja2.environment import create_cache

    from bulletin import render

    monkeypatch.setattr(render._MARKDOWN_ENV, "bytecode_cache", None)
    monkeypatch.setattr(render._HTML_ENV, "bytecode_cache", None)
    monkeypatch.setattr(render._HTML_ENV, "cache", create_cache(400))
    return render._HTML_ENV


_AVATAR = SimpleNamespace(round=True, colour="#a31515", initials="NA")


def test_our_templates_compiled_by_one_build_are_read_back_by_the_next(tmp_path, monkeypatch, html_env):
    from jinja2.environment import create_cache

    from bulletin import render

    folder, env = tmp_path / "jinja", html_env
    folder.mkdir()
    (folder / "__jinja2_theme.cache").write_bytes(b"the theme's, kept")
    render.keep_compiled_templates(folder, "1" * 64)
    first = env.get_template("avatar.svg.j2").render(avatar=_AVATAR)
    assert [p.name.startswith("html-1111111111111111-") for p in folder.glob("html-*")] == [True]

    # Another process: nothing in memory, and compiling is not possible.
    with monkeypatch.context() as patched:
        patched.setattr(env, "cache", create_cache(400))
        patched.setattr(env, "compile", lambda *args, **kwargs: pytest.fail("compiled again"))
        assert env.get_template("avatar.svg.j2").render(avatar=_AVATAR) == first

    render.keep_compiled_templates(folder, "2" * 64)  # other code: the compiled files of the old are removed
    assert not list(folder.glob("html-*")) and (folder / "__jinja2_theme.cache").exists()


def test_a_remembered_text_is_compressed_once_for_all_the_memos_writes(monkeypatch):
    """The page memo's file is written at every build: an entry read from it, or written
    once, is not compressed again."""
    import pickle

    from bulletin import page_memo

    entry = page_memo._Entry(frozenset({("site", "today")}), (), "Chị Hoa trả lại túi xách. " * 200)
    written = pickle.dumps(entry)
    read_back = pickle.loads(written)
    assert read_back == entry and read_back.text == entry.text
    monkeypatch.setattr(page_memo.zlib, "compress", lambda *args: pytest.fail("compressed again"))
    assert pickle.dumps(read_back) == written == pickle.dumps(entry)


def test_a_compiled_template_that_cannot_be_kept_is_no_error(tmp_path, monkeypatch, html_env):
    from jinja2.environment import create_cache

    from bulletin import render

    folder, env = tmp_path / "jinja", html_env
    render.keep_compiled_templates(folder, "1" * 64)
    shutil.rmtree(folder)  # .cache/ deleted while `mkdocs serve` runs
    assert "NA" in env.get_template("avatar.svg.j2").render(avatar=_AVATAR)

    render.keep_compiled_templates(folder, "1" * 64)  # the next build: the folder is there again
    monkeypatch.setattr(env, "cache", create_cache(400))
    env.get_template("avatar.svg.j2")
    assert list(folder.glob("html-1111111111111111-*"))
