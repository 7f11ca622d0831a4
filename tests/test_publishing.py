"""Drafts and scheduled records: absent from every output until published; shown with a
banner on a preview build."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, build_project
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


# --- The build day is Vietnam's, whatever the machine's zone -----------------------------------
def _build_at(project, site_dir, utc_time: str) -> str:
    """`python -m bulletin build` (what `make site` runs) with the machine's clock set to
    ``utc_time`` by libfaketime, on a UTC machine, and no BULLETIN_TODAY: the real clock path."""
    subprocess.run([str(REPO / "scripts/ensure-debian-packages"), "faketime"], check=True)
    env = {key: value for key, value in os.environ.items() if key != "BULLETIN_TODAY"}
    env.update(TZ="UTC", PYTHONPATH=str(REPO))
    machine_day = subprocess.run(["faketime", utc_time, "date", "+%F"], env=env, capture_output=True, text=True, check=True)
    command = [sys.executable, "-m", "bulletin", "build", str(project), "--site-dir", str(site_dir)]
    result = subprocess.run(["faketime", utc_time, *command], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return machine_day.stdout.strip()


def test_a_scheduled_record_appears_at_midnight_in_vietnam_on_a_utc_machine(make_project, tmp_path):
    project = _project(make_project, SCHEDULED)  # publish_on: 2026-12-01
    # 23:30 in Vietnam on the eve: not yet
    assert _build_at(project, tmp_path / "eve", "2026-11-30 16:30:00") == "2026-11-30"
    assert TITLE not in _outputs(tmp_path / "eve")
    # 00:30 in Vietnam on the day, while the UTC machine is still on the eve: published
    assert _build_at(project, tmp_path / "day", "2026-11-30 17:30:00") == "2026-11-30"
    assert TITLE in (tmp_path / "day" / "cau-chuyen" / "tra-vi" / "index.html").read_text(encoding="utf-8")
    assert "cau-chuyen/tra-vi" in (tmp_path / "day" / "sitemap.xml").read_text(encoding="utf-8")
