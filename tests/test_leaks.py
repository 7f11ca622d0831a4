"""Property: a phone number, an ID number or a private e-mail address planted in any text
field of any record type never reaches any output file, on any build path.

The project is a record of every type with every free-text field filled (the schema walk of
test_xss, with plain Vietnamese instead of payloads). Hypothesis picks a field and a way of
writing the number (groups, separators, +84, area codes...) and builds in-process; then the
same holds, with a number planted in every field at once, for `mkdocs build`, `properdocs
build` and `python -m bulletin build`. Either the build is refused and nothing is left in
the output folder, or the field is one that is never published (who consented, where the
paper is kept) and no file holds the number in any writing.
"""

from __future__ import annotations

import gzip
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO, build_project, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort
from PIL import Image
from test_xss import PHOTO, _Poisoner, _records

TOOLS = Path(sys.executable).parent


class _PlainText(_Poisoner):
    """Every free-text field holds its own marker in a plain sentence."""

    def text(self, where: str, limit: int | None, body: bool) -> str:
        marker = f"qz{len(self.markers):03d}qz"
        self.markers[marker] = where
        return f"{marker} Người tốt việc tốt ở phường Phổ Thạnh."


def _plain_records() -> tuple[dict[str, str], dict[str, str]]:
    writer = _PlainText()
    records = _records(writer)
    return records, writer.markers


RECORDS, MARKERS = _plain_records()
FIELDS = sorted(MARKERS)  # one marker per text field of every record type


# --- Ways of writing what must never be published ------------------------------------------
def _grouped(digits: str, separator: str, sizes: list[int]) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    parts.append(digits[at:])
    return separator.join(p for p in parts if p)


@st.composite
def phones(draw) -> str:
    mobile = draw(st.booleans())
    if mobile:
        national = draw(st.sampled_from("35789")) + draw(st.text("0123456789", min_size=8, max_size=8))
        sizes = draw(st.sampled_from([[3, 3], [2, 3], [3, 2, 2], [9]]))
    else:
        national = "2" + draw(st.text("0123456789", min_size=9, max_size=9))
        sizes = draw(st.sampled_from([[3, 4], [2, 4, 4], [3, 3], [10]]))
    separator = draw(st.sampled_from([" ", ".", "-", ""]))
    body = _grouped(national, separator, sizes)
    prefix = draw(st.sampled_from(["0", "+84 ", "(+84) ", "84", "0084 ", "+84"]))
    if not mobile and prefix == "0" and draw(st.booleans()):
        area, rest = body.split(separator, 1) if separator else (national[:3], national[3:])
        return f"(0{area}) {rest}"
    return prefix + body


@st.composite
def ids(draw) -> str:
    if draw(st.booleans()):
        digits = "0" + draw(st.text("0123456789", min_size=11, max_size=11))  # CCCD
    else:
        digits = draw(st.sampled_from("123")) + draw(st.text("0123456789", min_size=8, max_size=8))  # CMND
    separator = draw(st.sampled_from(["", " ", "-"]))
    return _grouped(digits, separator, [3] * (len(digits) // 3 - 1)) if separator else digits


emails = st.builds(
    lambda name, number, host: f"{name}{number}@{host}",
    st.text("abcdeghiklmnopqrstuvxy", min_size=2, max_size=10),
    st.integers(0, 999),
    st.sampled_from(["gmail.com", "yahoo.com.vn", "hotmail.com", "mail.ru", "outlook.com"]),
)
secrets = st.one_of(phones(), ids(), emails)


def _pattern_of(secret: str) -> re.Pattern:
    """The secret in any writing: its digits with up to three other characters between them
    (a tag, an entity's remains, a different separator), or the address as it is."""
    if "@" in secret:
        return re.compile(re.escape(secret), re.I)
    digits = re.sub(r"\D", "", secret)
    return re.compile(r"\D{0,3}".join(digits))


def _readable(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    if path.suffix == ".pdf":
        from bulletin.checks import pdf_text

        return pdf_text(raw)
    return html.unescape(raw.decode("utf-8", errors="replace"))


def _reached(output: Path, secrets_planted: list[str]) -> list[str]:
    """Files under ``output`` (and its staging siblings) that hold a planted secret."""
    found = []
    folders = [output, *output.parent.glob(f".{output.name}*")]
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if not path.is_file() or path.suffix in {".webp", ".jpg", ".png", ".woff2", ".wasm", ".js", ".css", ".map"}:
                continue  # pictures, fonts, the theme's and the web form's code: no record goes there
            text = _readable(path)
            found += [f"{path}: {s}" for s in secrets_planted if _pattern_of(s).search(text)]
    return found


def _project(folder: Path, planted: dict[str, str]) -> Path:
    records = {}
    for name, text in RECORDS.items():
        for marker, secret in planted.items():
            text = text.replace(f"{marker} Người tốt việc tốt", f"{marker} Liên hệ {secret} để biết người tốt việc tốt")
        records[name] = text
    project = write_project(folder, records)
    (project / "content" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (40, 90, 160)).save(project / "content" / PHOTO)
    return project


def test_the_plain_project_builds_and_every_field_reaches_a_page_or_is_private(tmp_path):
    """Without a secret the project passes every check, and each marker is published unless
    its field is a consent record's: so a refused build below is refused for the secret."""
    site = build_project(_project(tmp_path / "project", {}), tmp_path / "site")
    text = "\n".join(_readable(p) for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml"})
    private = {m for m, where in MARKERS.items() if where.startswith("Consent.")}
    assert {m for m in MARKERS if m not in text} == private
    assert len(MARKERS) > 60


# --- In-process MkDocs builds, one field and one writing at a time -------------------------
@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(FIELDS), secret=secrets)
def test_a_secret_in_any_field_never_reaches_any_output(tmp_path_factory, field, secret):
    root = tmp_path_factory.mktemp("leak")
    project = _project(root / "project", {field: secret})
    site = root / "site"
    try:
        build_project(project, site)
        refused = False
    except Abort:
        refused = True
    assert _reached(site, [secret]) == [], (MARKERS[field], secret)
    if refused:
        assert not site.exists(), "a refused build leaves no output"
    else:
        assert MARKERS[field].startswith("Consent."), (MARKERS[field], secret)  # only private fields pass


# --- Every build path, every field at once -------------------------------------------------
EVERYWHERE = {marker: f"0905 {100 + i:03d} {456 + i:03d}" if i % 3 else f"079{i:09d}" for i, marker in enumerate(FIELDS)}


@pytest.mark.parametrize(
    "command",
    [("mkdocs", "build", "--strict"), ("properdocs", "build"), ("python", "-m", "bulletin", "build")],
    ids=" ".join,
)
def test_secrets_in_every_field_never_reach_any_output_on_any_build_path(tmp_path, command):
    project = _project(tmp_path / "project", EVERYWHERE)
    executable = sys.executable if command[0] == "python" else str(TOOLS / command[0])
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "BULLETIN_TODAY": BUILD_DAY}
    result = subprocess.run([executable, *command[1:]], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "có số điện thoại «0905 101 457»" in result.stderr or "có số điện thoại" in result.stderr, result.stderr
    assert _reached(project / "site", list(EVERYWHERE.values())) == []
    assert not (project / "site").exists()
    shutil.rmtree(project)
