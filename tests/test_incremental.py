"""The data layer's memos (bulletin/memo.py) never change a result: after each kind of change,
what a memoised step gives equals what the same step gives from scratch, and the memo was
actually used for what did not change. The whole build is compared in test_cache.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from PIL import Image

from bulletin.checks import check_output
from bulletin.loader import load_records
from bulletin.memo import Memo


def _memo() -> Memo:
    return Memo(None)


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


# --- Output checks -------------------------------------------------------------------------
PAGES = {
    "index.html": '<a href="a/">a</a> <a href="b/#muc">b</a> <img src="anh.webp">',
    "a/index.html": '<h2 id="muc">A</h2><a href="../b/">b</a>',
    "b/index.html": '<h2 id="muc">B</h2><a href="../a/#muc">a</a>',
    "du-lieu-mo/people.json": '[{"id": "a", "name": "A"}]',
}


def _steps(site: Path, root: Path, photo: bytes, tagged: bytes) -> list[tuple[str, object]]:
    def edit(name: str, old: str, new: str):
        def apply() -> None:
            path = site / name
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

        return apply

    return [
        ("a phone number planted in a page", edit("a/index.html", "<h2", "Gọi 0905 123 456 <h2")),
        ("the number removed again", edit("a/index.html", "Gọi 0905 123 456 ", "")),
        ("an e-mail address in an export", edit("du-lieu-mo/people.json", '"A"', '"a.nguyen@gmail.com"')),
        ("the anchor another page links to removed", edit("b/index.html", 'id="muc"', 'id="khac"')),
        ("the anchor back", edit("b/index.html", 'id="khac"', 'id="muc"')),
        ("a linked page removed", lambda: shutil.rmtree(site / "a")),
        ("the page back", lambda: _write(site, {"a/index.html": PAGES["a/index.html"]})),
        ("a photo with its GPS", lambda: _write(site, {"anh.webp": tagged})),
        ("a clean photo", lambda: _write(site, {"anh.webp": photo})),
        ("the original photo copied", lambda: _write(root, {"content/anh.webp": photo})),
        ("a number the allow-list then admits", edit("index.html", "<a", "Gọi 0255 3821 234 <a")),
        ("the allow-list", lambda: _write(root, {"checks.yml": "numbers: ['0255 3821 234']\n"})),
    ]


def test_checks_with_a_memo_find_what_a_fresh_check_finds(tmp_path):
    site, root = tmp_path / "site", tmp_path / "project"
    root.mkdir()
    _write(site, PAGES)
    clean = tmp_path / "clean.webp"
    Image.new("RGB", (40, 30), (10, 120, 200)).save(clean)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (14.0, 48.0, 30.0)}
    Image.new("RGB", (40, 30), (10, 120, 200)).save(tmp_path / "tagged.webp", exif=exif)
    photo, tagged = clean.read_bytes(), (tmp_path / "tagged.webp").read_bytes()
    _write(site, {"anh.webp": photo})
    memo = _memo().begin("v")
    assert check_output(site, root, memo=memo) == check_output(site, root) == []
    memo.end()
    found_something = set()
    for change, apply in _steps(site, root, photo, tagged):
        apply()
        memo.begin("v")
        remembered = check_output(site, root, memo=memo)
        memo.end()
        assert remembered == check_output(site, root), change
        assert memo.hits > 0, change  # what did not change was not checked again
        found_something.add(bool(remembered))
    assert found_something == {True, False}


# --- Record files --------------------------------------------------------------------------
def test_record_files_read_through_a_memo_equal_a_fresh_read(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    memo = _memo().begin("v")
    first = load_records(root, memo)
    memo.end()
    assert memo.hits == 0 and memo.misses > 10
    story = sorted((root / "data" / "stories").iterdir())[0]
    person = sorted((root / "data" / "people").iterdir())[0]
    text = story.read_text(encoding="utf-8")
    changes = [
        ("nothing", lambda: None),
        ("a title", lambda: story.write_text(text.replace("\ntitle: ", "\ntitle: Đã sửa "), encoding="utf-8")),
        ("a broken date", lambda: story.write_text(text.replace("\ndate: 20", "\ndate: 30"), encoding="utf-8")),
        ("fixed again", lambda: story.write_text(text, encoding="utf-8")),
        ("a copy with the same id", lambda: shutil.copy(person, person.with_suffix(".yaml"))),
        ("the copy removed", lambda: person.with_suffix(".yaml").unlink()),
        ("a file removed", lambda: story.unlink()),
    ]
    for change, apply in changes:
        apply()
        memo.begin("v")
        remembered = load_records(root, memo)
        memo.end()
        fresh = load_records(root)
        assert [(r.path, r.record) for r in remembered[0]] == [(r.path, r.record) for r in fresh[0]], change
        assert remembered[1] == fresh[1], change
        assert memo.misses <= 2, change  # only the changed file was read again
    assert first[0] != remembered[0]


@pytest.mark.parametrize("version", ["v", "w"])
def test_a_memo_is_emptied_by_another_version_and_kept_on_disk(tmp_path, version):
    memo = Memo(tmp_path / "memo.pickle").begin("v")
    memo.put("key", ["value"])
    memo.end()
    again = Memo(tmp_path / "memo.pickle").begin(version)
    assert again.get("key") == (["value"] if version == "v" else None)
