"""The data layer's memos (bulletin/memo.py) never change a result: after each kind of change,
what a memoised step gives equals what the same step gives from scratch, and the memo was
actually used for what did not change. The whole build is compared in test_cache.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO
from jinja2 import Environment
from PIL import Image

from bulletin import page_memo
from bulletin.checks import check_output
from bulletin.loader import load_records
from bulletin.memo import Memo
from bulletin.model import load_site
from bulletin.render import render_pages
from bulletin.search import index_files


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


# --- Generated pages -----------------------------------------------------------------------
def _generated(root: Path, today: str, memo: Memo | None = None, preview: bool = False):
    """Every generated page of the project as (path, text, has body), and the session's counts."""
    site, errors = load_site(root, date.fromisoformat(today), preview)
    assert not errors, errors[:3]
    if memo is None:
        return [(p.src_uri, p.content, p.has_body) for p in render_pages(site, "https://x.vn/")], None
    memo.begin("v")
    with page_memo.session(memo, site) as session:
        pages = [(p.src_uri, p.content, p.has_body) for p in render_pages(site, "https://x.vn/")]
    memo.end()
    return pages, session


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _page_changes(data: Path) -> list[tuple[str, str, object]]:
    """(change, how much is rendered again: "few" or "any", apply)."""
    story = data / "stories" / "tieu-thuong-tra-cau-giu-cho-sach.md"
    other, third = sorted(p for p in (data / "stories").iterdir() if p != story)[:2]
    person = data / "people" / "bui-thi-lan.md"
    unit = data / "units" / "phuong-tra-cau.yml"
    veteran, award = data / "stories" / "cuu-chien-binh-sua-nha-tinh-nghia.md", data / "commendations" / "bk-2025-01.yml"
    return [
        ("a story's title", "few", lambda: _replace(story, "\ntitle: ", "\ntitle: Đã sửa — ")),
        ("a story's text", "few", lambda: _replace(story, "\n---\n", "\n---\n\nMột đoạn mới.\n")),
        ("a story's date", "any", lambda: _replace(other, "\ndate: 20", "\ndate: 19")),
        ("a story's tags", "any", lambda: _replace(other, "\ntags:\n", "\ntags:\n  - thẻ mới\n")),
        ("a consent withdrawn", "any", lambda: _replace(person, "  given_on:", "  withdrawn_on: 2026-01-01\n  given_on:")),
        ("the consent back", "any", lambda: _replace(person, "  withdrawn_on: 2026-01-01\n", "")),
        ("a person's photo left out of the consent", "any", lambda: _replace(person, "    - ảnh\n", "")),
        ("a story made a draft", "any", lambda: _replace(third, "\ndraft: false", "\ndraft: true")),
        ("a story added", "any", lambda: shutil.copy(other, other.with_name("ban-sao-moi.md"))),
        ("a story removed", "any", lambda: other.unlink()),
        ("a unit renamed", "any", lambda: _replace(unit, "\nname: ", "\nname: Tên mới ")),
        # a person's page lists the stories and commendations naming them (Site.stories_by_person)
        ("a person named in a story", "any", lambda: _replace(veteran, "people:\n", "people:\n  - le-thi-thu\n")),
        (
            "a person named in a commendation",
            "any",
            lambda: _replace(award, "  - person: pham-van-an\n", "  - person: le-thi-thu\n"),
        ),
    ]


def test_pages_from_the_memo_equal_pages_rendered_afresh(tmp_path):
    """After each kind of change to the data, every generated page is the same text as a
    build without the memo writes; a change of one record renders few templates again."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    memo = _memo()
    first, session = _generated(root, BUILD_DAY, memo)
    assert session.rendered > 100 and session.untraced == 0
    again, session = _generated(root, BUILD_DAY, memo)
    assert again == first and session.rendered == 0
    for change, expected, apply in _page_changes(root / "data"):
        apply()
        remembered, session = _generated(root, BUILD_DAY, memo)
        fresh, _ = _generated(root, BUILD_DAY)
        assert [p[0] for p in remembered] == [p[0] for p in fresh], change
        differing = [p[0] for p, q in zip(remembered, fresh, strict=True) if p != q]
        assert differing == [], f"{change}: {differing[:5]}"
        assert session.untraced == 0, change
        if expected == "few":
            assert 0 < session.rendered < len(fresh) // 10, f"{change}: {session.rendered} rendered again"
    later, session = _generated(root, "2027-06-01", memo)
    assert later == _generated(root, "2027-06-01")[0]
    preview, session = _generated(root, BUILD_DAY, memo, preview=True)
    assert preview == _generated(root, BUILD_DAY, preview=True)[0]


def test_a_withdrawn_consent_leaves_every_page_that_showed_the_person(tmp_path):
    """The classic bug of incremental builds: pages remembered from before the withdrawal
    must not keep the person. Every page naming her before is rendered again without her."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    memo = _memo()
    before, _ = _generated(root, BUILD_DAY, memo)
    naming = [path for path, text, _ in before if "Bùi Thị Lan" in text]
    assert len(naming) >= 3, naming  # her page, a listing, the story about her...
    _replace(root / "data" / "people" / "bui-thi-lan.md", "  given_on:", "  withdrawn_on: 2026-01-01\n  given_on:")
    after, session = _generated(root, BUILD_DAY, memo)
    assert [path for path, text, _ in after if "Bùi Thị Lan" in text or "bui-thi-lan" in text] == []
    assert session.reused > 0


def test_a_text_remembered_but_not_asked_for_is_forgotten_when_its_reads_change(tmp_path):
    """A build that does not call a template (a unit's feed when it has no story) still
    forgets the template's text when what it read changes: a later build that calls it again
    gets the new value, not the text from before."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    template = Environment(autoescape=True).from_string("{{ record.title }} ({{ site.today }})")
    story = root / "data" / "stories" / "tieu-thuong-tra-cau-giu-cho-sach.md"
    memo = _memo()

    def build(call: bool) -> str | None:
        site, errors = load_site(root, date.fromisoformat(BUILD_DAY))
        assert not errors
        memo.begin("v")
        with page_memo.session(memo, site):
            text = page_memo.render(template, {"record": site.stories[story.stem], "site": site}) if call else None
        memo.end(prune=False)  # as after a build that stopped early, or an error site
        return text

    assert "Đã sửa" not in build(call=True)
    _replace(story, "\ntitle: ", "\ntitle: Đã sửa ")
    build(call=False)
    assert "Đã sửa" in build(call=True)


def test_the_search_index_from_the_memo_equals_one_made_afresh(tmp_path):
    """Documents whose text is unchanged keep their weights from the memo; the shards are
    the same bytes as an index made without it, after each kind of change."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    memo = _memo()

    def index(with_memo: bool):
        site, errors = load_site(root, date.fromisoformat(BUILD_DAY))
        assert not errors
        pages = list(render_pages(site, "/"))
        if not with_memo:
            return index_files(site, pages)
        memo.begin("v")
        found = index_files(site, pages, memo)
        memo.end()
        return found

    assert index(True) == index(False)
    for change, expected, apply in _page_changes(root / "data"):
        apply()
        assert index(True) == index(False), change
        # one story edited: only its document is weighed again (on this small site a record
        # added or left out moves the average lengths, and every document is weighed again)
        assert memo.misses <= (2 if expected == "few" else memo.hits + 10), f"{change}: {memo.misses} weighed again"


# --- The served folder ---------------------------------------------------------------------
# Builds as `mkdocs serve` runs them, in one process: the hook module and its memos live from
# one build to the next, the output folder is the same temporary folder. After each step the
# script writes the folder's files and their digests as a JSON line.
_SERVE = """
import gzip, hashlib, json, os, sys, tempfile
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project, steps, out = Path(sys.argv[1]), json.loads(sys.argv[2]), open(sys.argv[3], "w")
site_dir, url = tempfile.mkdtemp(prefix="mkdocs_"), "http://127.0.0.1:8000/"

def config():
    found = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site_dir)
    found.site_url = url
    return found

first = config()
first.plugins.on_startup(command="serve", dirty=False)
for number, (path, old, new) in enumerate(steps):
    if path:
        target = project / path
        if new is None:
            target.unlink()
        elif old is None:
            target.write_text(new, encoding="utf-8")
        else:
            text = target.read_text(encoding="utf-8")
            assert old in text, (path, old)
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
    build(first if number == 0 else config(), serve_url=url)
    # a .gz file by what it holds: its header carries the time of the build
    read = lambda p: gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
    tree = {p.relative_to(site_dir).as_posix(): hashlib.sha256(read(p)).hexdigest()
            for p in Path(site_dir).rglob("*") if p.is_file() and ".bulletin" not in str(p)}
    # and a folder left empty, which a server writing everything again would not have
    tree.update({p.relative_to(site_dir).as_posix() + "/": "empty"
                 for p in Path(site_dir).rglob("*") if p.is_dir() and not any(p.iterdir())})
    out.write(json.dumps(tree) + "\\n")
    out.flush()
"""

_STORY = "data/stories/tieu-thuong-tra-cau-giu-cho-sach.md"
_PERSON = "data/people/bui-thi-lan.md"
_SERVE_STEPS = [
    ("", None, None),  # the first build
    (_STORY, "\ntitle: ", "\ntitle: Đã sửa — "),
    (_PERSON, "  given_on:", "  withdrawn_on: 2026-01-01\n  given_on:"),  # she leaves every page
    (_PERSON, "  withdrawn_on: 2026-01-01\n", ""),
    ("data/stories/ban-sao.md", None, "---\ntitle: Bản sao\n---\n"),  # bad data: the error site
    ("data/stories/ban-sao.md", "---\ntitle: Bản sao\n---\n", None),  # removed: the site is back
    ("content/gioi-thieu.md", "\n\n", "\n\nMột câu mới.\n\n"),
    (_STORY, "\ntitle: Đã sửa — ", "\ntitle: "),
    ("data/stories/ban-sao-tot.md", None, (REPO / _STORY).read_text(encoding="utf-8")),  # a good record added
    ("data/stories/ban-sao-tot.md", "", None),  # and removed: its page, its folder, its image go
]


def _served_trees(tmp_path: Path, name: str, memo: bool) -> list[dict[str, str]]:
    project = tmp_path / name
    project.mkdir()
    for file in ("mkdocs.yml", "build_hooks.py", "checks.yml"):
        shutil.copy(REPO / file, project / file)
    for folder in ("data", "content", "overrides"):
        shutil.copytree(REPO / folder, project / folder)
    env = {**os.environ, "PYTHONPATH": str(REPO), "BULLETIN_TODAY": BUILD_DAY, "BULLETIN_MEMO": "" if memo else "0"}
    out = tmp_path / f"{name}.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", _SERVE, str(project), json.dumps(_SERVE_STEPS), str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_the_served_folder_equals_one_written_afresh_after_each_save(tmp_path):
    """Under `mkdocs serve` the folder keeps the files a save does not change; after every
    save (an edit, a consent withdrawn, bad data and its fix, a hand-written page) it holds
    exactly the files, byte for byte, of a server that writes everything again."""
    kept = _served_trees(tmp_path, "kept", memo=True)
    written = _served_trees(tmp_path, "written", memo=False)
    assert len(kept) == len(written) == len(_SERVE_STEPS)
    for (path, _, _), ours, reference in zip(_SERVE_STEPS, kept, written, strict=True):
        assert sorted(ours) == sorted(reference), path
        differing = [name for name in reference if ours[name] != reference[name]]
        assert differing == [], f"after {path or 'the first build'}: {differing[:5]}"
    assert len(kept[4]) < len(kept[3]) / 2  # the error site, not a mix with the old pages
