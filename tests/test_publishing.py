"""Drafts and scheduled records: absent from every output until published; shown with a
banner on a preview build."""

from __future__ import annotations

from conftest import build_project
from test_build import PERSON, STORY, UNITS

SCHEDULED = STORY.replace("title: Chị Mai", "publish_on: 2026-12-01\ntitle: Chị Mai")
DRAFT = STORY.replace("title: Chị Mai", "draft: true\ntitle: Chị Mai")
TITLE = "Chị Mai trả lại ví cho người đánh rơi"


def _outputs(site) -> str:
    return "".join(p.read_text(errors="ignore") for p in site.rglob("*") if p.suffix in {".html", ".xml", ".json", ".csv"})


def _project(make_project, story: str):
    return make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": story})


def test_draft_is_absent_from_every_output(make_project, tmp_path):
    site = build_project(_project(make_project, DRAFT), tmp_path / "site")
    assert not (site / "cau-chuyen" / "tra-vi").exists()
    assert TITLE not in _outputs(site)
    assert "cau-chuyen/tra-vi" not in (site / "sitemap.xml").read_text()


def test_preview_build_shows_draft_with_banner(make_project, tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETIN_PREVIEW", "1")
    site = build_project(_project(make_project, DRAFT), tmp_path / "site")
    html = (site / "cau-chuyen" / "tra-vi" / "index.html").read_text()
    assert TITLE in html and "Bản nháp" in html and "là bản nháp" in html


def test_scheduled_record_appears_on_its_publish_date(make_project, tmp_path, monkeypatch):
    project = _project(make_project, SCHEDULED)
    monkeypatch.setenv("BULLETIN_TODAY", "2026-11-30")
    before = build_project(project, tmp_path / "before")
    assert TITLE not in _outputs(before)
    monkeypatch.setenv("BULLETIN_TODAY", "2026-12-01")
    after = build_project(project, tmp_path / "after")
    html = (after / "cau-chuyen" / "tra-vi" / "index.html").read_text()
    assert TITLE in html and "Bản nháp" not in html
    assert TITLE in (after / "cau-chuyen" / "index.html").read_text()
    assert "cau-chuyen/tra-vi" in (after / "sitemap.xml").read_text()


def test_draft_person_disappears_with_the_story_that_names_them(make_project, tmp_path):
    draft_person = "draft: true\n" + PERSON
    site = build_project(
        make_project({**UNITS, "people/tran-thi-mai.yml": draft_person, "stories/tra-vi.md": STORY}), tmp_path / "site"
    )
    outputs = _outputs(site)
    assert "Trần Thị Mai" not in outputs and TITLE not in outputs
