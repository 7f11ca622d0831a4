"""Output checks: forbidden personal data is caught in every kind of file written and traced
back to its record; broken internal links are caught; a failing check publishes nothing."""

from __future__ import annotations

from pathlib import Path

from bulletin.checks import check_links, scan_forbidden
from bulletin.cli import build as cli_build
from conftest import build_project
from test_build import PERSON, STORY, UNITS, _tree_digest

PHONE = "0905 123 456"
ID_NUMBER = "079123456789"


def _project(make_project, story=STORY, person=PERSON):
    return make_project({**UNITS, "people/tran-thi-mai.yml": person, "stories/tra-vi.md": story})


def test_planted_phone_is_found_in_every_kind_of_output_and_traced_to_its_record(make_project, tmp_path):
    story = STORY.replace("summary: Nhặt được", f"summary: Liên hệ {PHONE}. Nhặt được")
    project = _project(make_project, story)
    findings = scan_forbidden(build_project(project, tmp_path / "site"), project)
    outputs = {Path(f.output).suffix for f in findings if f.found == PHONE}
    assert {".html", ".xml", ".json"} <= outputs, findings  # pages, Atom feed, search index
    assert all(f.sources == ("data/stories/tra-vi.md:5",) for f in findings if f.found == PHONE)
    assert str(findings[0]).startswith(findings[0].output + ": có số điện thoại «0905 123 456» (từ data/stories/tra-vi.md:5)")


def test_planted_id_number_and_private_email_are_found(make_project, tmp_path):
    person = PERSON.replace("role: Hội viên hội nông dân", f"role: Hội viên, CCCD {ID_NUMBER}")
    story = STORY.replace("chợ Sa Huỳnh.", "chợ Sa Huỳnh. Thư: mai.tran@gmail.com, hoặc vanthu@quangngai.gov.vn")
    project = _project(make_project, story, person)
    findings = scan_forbidden(build_project(project, tmp_path / "site"), project)
    ids = [f for f in findings if f.found == ID_NUMBER]
    assert ids and all(f.sources == ("data/people/tran-thi-mai.yml:5",) for f in ids)
    assert "ca-nhan/tran-thi-mai/index.html" in {f.output for f in ids}
    emails = {f.found for f in findings if "thư điện tử" in f.what}
    assert emails == {"mai.tran@gmail.com"}  # the official gov.vn address is allowed


def test_allow_listed_official_number_passes(make_project, tmp_path):
    story = STORY.replace("summary: Nhặt được", "summary: Gọi 0255 3821 234. Nhặt được")
    project = _project(make_project, story)
    assert any(f.found == "0255 3821 234" for f in scan_forbidden(build_project(project, tmp_path / "a"), project))
    (project / "checks.yml").write_text('numbers: ["0255 3821 234"]\n', encoding="utf-8")
    assert not any(f.found == "0255 3821 234" for f in scan_forbidden(build_project(project, tmp_path / "b"), project))


def test_broken_internal_link_and_anchor_are_reported_with_their_page(make_project, tmp_path):
    story = STORY.replace("chợ Sa Huỳnh.", 'chợ Sa Huỳnh. <a href="../../khong-co/">xem</a> <a href="#khong-co-muc">mục</a>')
    site = build_project(_project(make_project, story), tmp_path / "site")
    assert check_links(site) == [
        "cau-chuyen/tra-vi/index.html: liên kết tới mục không có «#khong-co-muc»",
        "cau-chuyen/tra-vi/index.html: liên kết hỏng «../../khong-co/»",
    ]


def test_a_failing_check_leaves_the_published_site_byte_for_byte(make_project, capsys):
    project = _project(make_project)
    assert cli_build(project, project / "site") == 0
    before = _tree_digest(project / "site")
    story = STORY.replace("summary: Nhặt được", f"summary: Liên hệ {PHONE}. Nhặt được")
    (project / "data/stories/tra-vi.md").write_text(story, encoding="utf-8")
    assert cli_build(project, project / "site") == 1
    assert _tree_digest(project / "site") == before
    assert "có số điện thoại «0905 123 456» (từ data/stories/tra-vi.md:5)" in capsys.readouterr().err
    assert not (project / ".site.new").exists()


def test_bad_data_through_the_cli_leaves_the_published_site_byte_for_byte(make_project, capfd):
    project = _project(make_project)
    assert cli_build(project, project / "site") == 0
    before = _tree_digest(project / "site")
    (project / "data/people/tran-thi-mai.yml").write_text(PERSON.replace("year: 2024", "year: 2O24"), encoding="utf-8")
    assert cli_build(project, project / "site") != 0
    assert _tree_digest(project / "site") == before
    assert 'data/people/tran-thi-mai.yml:7: honours[0].year: cần một năm từ 1930 đến 2100, nhận được "2O24"' in capfd.readouterr().err
