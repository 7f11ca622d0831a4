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


# --- Households ----------------------------------------------------------------------------
HOUSEHOLD = """\
form: Giấy khen
title: Hộ gia đình tiêu biểu hiến đất làm đường
issuer: Chủ tịch Ủy ban nhân dân phường Phổ Thạnh
decision_number: 45/QĐ-UBND
decision_date: 2024-11-02
recipients:
  - household: Hộ bà Lê Thị Thử
    unit: phuong-pho-thanh
{consent}reason: Hiến 120 m² đất làm đường.
"""
HOUSEHOLD_CONSENT = """\
    consent:
      covers: [tên]
      given_on: 2024-11-10
      given_by: Lê Thị Thử (chủ hộ)
      evidence: Giấy đồng ý lưu tại UBND phường
{withdrawn}"""


def _household_site(make_project, tmp_path, consent: str, name: str = "site") -> Path:
    project = make_project({**UNITS, "commendations/gk-ho.yml": HOUSEHOLD.format(consent=consent)})
    return build_project(project, tmp_path / name)


def _everything_and_exports(site: Path) -> str:
    return _everything(site) + "".join(p.read_text(errors="ignore") for p in site.rglob("*.gz"))


def test_a_household_without_consent_is_published_as_a_household_of_its_unit(make_project, tmp_path):
    site = _household_site(make_project, tmp_path, "")
    page = (site / "khen-thuong" / "gk-ho" / "index.html").read_text()
    assert "Một hộ gia đình ở" in page and "Phường Phổ Thạnh" in page
    assert "Lê Thị Thử" not in _everything(site) and "Thử" not in _everything(site)
    exported = (site / "du-lieu-mo" / "commendations.json").read_text()
    assert '"household": "Một hộ gia đình"' in exported


def test_a_household_with_its_own_consent_is_published_by_name_and_no_further(make_project, tmp_path):
    site = _household_site(make_project, tmp_path, HOUSEHOLD_CONSENT.format(withdrawn=""))
    page = (site / "khen-thuong" / "gk-ho" / "index.html").read_text()
    assert "Hộ gia đình: Hộ bà Lê Thị Thử" in page and "Một hộ gia đình" not in page
    everything = _everything(site)
    assert "Lê Thị Thử (chủ hộ)" not in everything and "Giấy đồng ý lưu tại UBND phường" not in everything  # who, where


def test_a_withdrawn_household_consent_hides_the_name_from_the_next_build(make_project, tmp_path, monkeypatch):
    consent = HOUSEHOLD_CONSENT.format(withdrawn="      withdrawn_on: 2026-10-01\n")
    monkeypatch.setenv("BULLETIN_TODAY", "2026-09-30")
    assert "Hộ bà Lê Thị Thử" in _everything(_household_site(make_project, tmp_path, consent, "before"))
    monkeypatch.setenv("BULLETIN_TODAY", "2026-10-01")
    after = _household_site(make_project, tmp_path, consent, "after")
    assert "Lê Thị Thử" not in _everything(after) and "Một hộ gia đình ở" in _everything(after)


def test_a_consent_on_a_person_or_unit_recipient_is_a_located_error(make_project, tmp_path, caplog):
    import logging

    import pytest
    from mkdocs.exceptions import Abort

    record = HOUSEHOLD.format(consent=HOUSEHOLD_CONSENT.format(withdrawn="")).replace(
        "  - household: Hộ bà Lê Thị Thử\n    unit: phuong-pho-thanh", "  - unit: phuong-pho-thanh"
    )
    project = make_project({**UNITS, "commendations/gk-ho.yml": record})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert any(
        r.getMessage()
        .removeprefix("bulletin: ")
        .startswith("data/commendations/gk-ho.yml:7: recipients[0]: consent ở đây chỉ dành cho hộ gia đình")
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def test_the_shipped_households_follow_their_consent(shipped_site):
    named = (shipped_site / "khen-thuong" / "gk-2025-01" / "index.html").read_text()
    unnamed = (shipped_site / "khen-thuong" / "gk-2025-02" / "index.html").read_text()
    assert "Hộ ông Trần Văn Bình" in named
    assert "Một hộ gia đình ở" in unnamed and "Hộ ông Võ Minh Tuấn" not in _everything(shipped_site)
