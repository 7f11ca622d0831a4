"""Consent decides what is published about a person: every output (pages, listings, feeds,
search index, sitemap, photos) is checked for each case."""

from __future__ import annotations

from pathlib import Path

from conftest import build_project
from PIL import Image
from test_build import PERSON, STORY, UNITS

NAME = "Trần Thị Mai"
PHOTO = "photo:\n  file: images/mai.jpg\n  alt: Chân dung chị Mai\n"
PARTY = "  - {year: 2025, title: đảng viên bốn tốt}\n"


def _with(person: str, covers: str | None, extra: str = "") -> str:
    base = PERSON.split("consent:")[0].replace("honours:\n", "honours:\n" + PARTY) + PHOTO
    if covers is None:
        return base
    return (
        base
        + f"consent:\n  covers: [{covers}]\n  given_on: 2024-09-01\n  given_by: Trần Thị Mai\n  evidence: Giấy đồng ý\n{extra}"
    )


def _build(make_project, tmp_path, person: str, name="site") -> Path:
    project = make_project({**UNITS, "people/tran-thi-mai.yml": person, "stories/tra-vi.md": STORY})
    images = project / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 600), (200, 50, 50)).save(images / "mai.jpg")
    return build_project(project, tmp_path / name)


def _everything(site: Path) -> str:
    return "".join(
        p.read_text(errors="ignore") for p in site.rglob("*") if p.suffix in {".html", ".xml", ".json", ".csv", ".svg"}
    )


def _photos(site: Path) -> list[str]:
    return [p.name for p in site.rglob("mai-*")]


def test_no_consent_means_not_anywhere(make_project, tmp_path):
    site = _build(make_project, tmp_path, _with(PERSON, None))
    assert NAME not in _everything(site)
    assert "ca-nhan/tran-thi-mai" not in (site / "sitemap.xml").read_text()
    assert not (site / "cau-chuyen" / "tra-vi").exists()  # the story about her waits too
    assert _photos(site) == []


def test_partial_consent_publishes_only_what_it_covers(make_project, tmp_path):
    site = _build(make_project, tmp_path, _with(PERSON, "tên, câu chuyện"))
    page = (site / "ca-nhan" / "tran-thi-mai" / "index.html").read_text()
    assert NAME in page and "người tốt việc tốt" in page
    assert "đảng viên bốn tốt" not in page  # party membership not covered
    assert "<picture>" not in page and _photos(site) == []  # photo not covered
    assert NAME in _everything(site / "bang-vang" / "nguoi-tot-viec-tot")
    assert not (site / "bang-vang" / "dang-vien-bon-tot").exists()
    assert NAME in (site / "cau-chuyen" / "tra-vi" / "index.html").read_text()
    assert "tran-thi-mai" in (site / "sitemap.xml").read_text()


def test_full_consent_shows_photo_and_membership(make_project, tmp_path):
    site = _build(make_project, tmp_path, _with(PERSON, "tên, ảnh, đảng viên, câu chuyện"))
    page = (site / "ca-nhan" / "tran-thi-mai" / "index.html").read_text()
    assert "đảng viên bốn tốt" in page and "<picture>" in page
    assert sorted(_photos(site)) == ["mai-480.webp", "mai-800.jpg", "mai-800.webp"]


def test_withdrawn_consent_removes_the_person_from_the_next_build(make_project, tmp_path, monkeypatch):
    person = _with(PERSON, "tên, ảnh, câu chuyện", "  withdrawn_on: 2026-10-01\n")
    monkeypatch.setenv("BULLETIN_TODAY", "2026-09-30")
    before = _build(make_project, tmp_path, person, "before")
    assert NAME in _everything(before) and _photos(before)
    monkeypatch.setenv("BULLETIN_TODAY", "2026-10-01")
    after = _build(make_project, tmp_path, person, "after")
    assert NAME not in _everything(after)
    assert "tran-thi-mai" not in (after / "sitemap.xml").read_text() and _photos(after) == []
    assert not (after / "cau-chuyen" / "tra-vi").exists()
    assert NAME not in (after / "feed.xml").read_text()


def test_minor_with_guardian_consent_is_published_as_covered(make_project, tmp_path):
    person = _with(PERSON, "tên, câu chuyện", "  guardian: true\n").replace(
        "given_by: Trần Thị Mai", "given_by: Trần Văn Sơn (cha)"
    )
    site = _build(make_project, tmp_path, person)
    assert NAME in (site / "ca-nhan" / "tran-thi-mai" / "index.html").read_text()
    assert "Trần Văn Sơn" not in _everything(site)  # who consented, and where it is filed, stay private
    assert "Giấy đồng ý" not in _everything(site)


def test_a_party_cell_as_unit_without_membership_consent_is_a_data_error(make_project, tmp_path, caplog):
    import logging

    import pytest
    from mkdocs.exceptions import Abort

    cell = "units/chi-bo-a.yml"
    person = _with(PERSON, "tên, câu chuyện").replace("unit: phuong-pho-thanh", "unit: chi-bo-a")
    project = make_project({**UNITS, cell: "name: Chi bộ A\nkind: chi bộ\n", "people/tran-thi-mai.yml": person})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert any(
        r.getMessage().removeprefix("bulletin: ").startswith("data/people/tran-thi-mai.yml:4: unit: «Chi bộ A» là tổ chức đảng")
        for r in caplog.records
    )
