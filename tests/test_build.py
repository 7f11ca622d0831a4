"""Build tests: tiny sites built by MkDocs with our hooks; the HTML is checked."""

from __future__ import annotations

import gc
import hashlib
import logging

import pytest
from conftest import REPO, article, build_project
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files

from bulletin.build import _listing_visible_files

UNITS = {
    "units/phuong-pho-thanh.yml": ("name: Phường Phổ Thạnh\nkind: phường\nvalid_to: 2025-07-01\nsuccessors: [phuong-sa-huynh]\n"),
    "units/phuong-sa-huynh.yml": "name: Phường Sa Huỳnh\nkind: phường\nvalid_from: 2025-07-01\n",
}
PERSON = """\
family_name: Trần
middle_name: Thị
given_name: Mai
unit: phuong-pho-thanh
role: Hội viên hội nông dân
honours:
  - {year: 2024, title: người tốt việc tốt}
consent:
  covers: [tên, câu chuyện]
  given_on: 2024-09-01
  given_by: Trần Thị Mai
  evidence: Giấy đồng ý lưu tại Hội Nông dân phường
"""
STORY = """\
---
title: Chị Mai trả lại ví cho người đánh rơi
date: 2024-10-02
author: Ban Tuyên giáo
summary: Nhặt được ví có 20 triệu đồng, chị Mai tìm trả lại người mất.
people: [tran-thi-mai]
units: [phuong-pho-thanh]
tags: [trả của rơi]
---
Sáng ngày 2/10/2024, chị **Mai** nhặt được một chiếc ví ở chợ Sa Huỳnh.
"""


def _project(make_project, extra=None):
    records = {**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY}
    return make_project({**records, **(extra or {})})


def test_story_page_shows_record_and_links(make_project, tmp_path):
    site = build_project(_project(make_project), tmp_path / "site")
    html = article(site, "cau-chuyen/tra-vi")
    assert "Chị Mai trả lại ví cho người đánh rơi" in html
    assert '<time datetime="2024-10-02">2/10/2024</time>' in html
    assert 'href="../../ca-nhan/tran-thi-mai/">Trần Thị Mai</a>' in html
    # the unit under its name at the time, and what it is now
    assert 'href="../../don-vi/phuong-pho-thanh/">Phường Phổ Thạnh</a> (nay là' in html
    assert 'href="../../don-vi/phuong-sa-huynh/">Phường Sa Huỳnh</a>' in html


def test_new_unit_page_gathers_records_of_its_predecessor(make_project, tmp_path):
    site = build_project(_project(make_project), tmp_path / "site")
    html = article(site, "don-vi/phuong-sa-huynh")
    assert "Hình thành từ" in html and "Phường Phổ Thạnh" in html
    assert 'href="../../cau-chuyen/tra-vi/"' in html
    assert 'href="../../ca-nhan/tran-thi-mai/"' in html
    former = article(site, "don-vi/phuong-pho-thanh")
    assert "Đơn vị không còn tồn tại" in former and "1/7/2025" in former


def test_hostile_html_in_a_body_does_not_survive(make_project, tmp_path):
    hostile = STORY.replace(
        "chợ Sa Huỳnh.",
        'chợ. <script>alert(1)</script> [xem](javascript:alert(2)) <img src=# onerror="alert(3)">'
        '<iframe src="https://example.com"></iframe>',
    )
    site = build_project(_project(make_project, {"stories/tra-vi.md": hostile}), tmp_path / "site")
    html = article(site, "cau-chuyen/tra-vi")
    for payload in ("<script", "javascript:", "onerror", "<iframe", "alert("):
        assert payload not in html


def test_people_without_consent_are_not_published(make_project, tmp_path):
    no_consent = PERSON.split("consent:")[0].replace("Mai", "Hoa")
    site = build_project(_project(make_project, {"people/tran-thi-hoa.yml": no_consent}), tmp_path / "site")
    assert not (site / "ca-nhan" / "tran-thi-hoa").exists()
    assert "Trần Thị Hoa" not in "".join(p.read_text() for p in site.rglob("*.html"))


def _errors(caplog) -> list[str]:
    return [r.getMessage().removeprefix("bulletin: ") for r in caplog.records if r.levelno >= logging.ERROR]


def _tree_digest(folder) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_bad_data_fails_with_every_located_error_and_keeps_the_previous_site(make_project, tmp_path, caplog):
    project = _project(make_project)
    site = build_project(project, tmp_path / "site")
    assert gc.get_freeze_count() == 0  # a build keeps its process's objects out of its collections, then gives them back
    before = _tree_digest(site)
    (project / "data/people/tran-thi-mai.yml").write_text(
        PERSON.replace("year: 2024", "year: 2O24").replace("role:", "rol:"), encoding="utf-8"
    )
    (project / "data/stories/tra-vi.md").write_text(STORY.replace("phuong-pho-thanh", "phuong-pho-thanhh"), encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, site)
    messages = _errors(caplog)
    assert any(
        m.startswith('data/people/tran-thi-mai.yml:7: honours[0].year: cần một năm từ 1930 đến 2100, nhận được "2O24"')
        for m in messages
    )
    assert any(m.startswith("data/people/tran-thi-mai.yml:5: rol: trường lạ") and "«role»" in m for m in messages)
    assert any(m.startswith("data/stories/tra-vi.md:7: units[0]: không có hồ sơ đơn vị mã «phuong-pho-thanhh»") for m in messages)
    assert not any("Traceback" in m for m in messages)
    assert _tree_digest(site) == before
    assert gc.get_freeze_count() == 0


def test_unit_that_no_longer_existed_on_the_record_date_is_an_error(make_project, tmp_path, caplog):
    late = STORY.replace("date: 2024-10-02", "date: 2026-03-12")
    project = _project(make_project, {"stories/tra-vi.md": late})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    messages = _errors(caplog)
    assert any(
        m.startswith("data/stories/tra-vi.md:7: units[0]: đơn vị «Phường Phổ Thạnh» chỉ tồn tại đến trước ngày 1/7/2025")
        and "«Phường Sa Huỳnh» (phuong-sa-huynh)" in m
        for m in messages
    )


def test_the_theme_files_copied_are_those_mkdocs_lists_itself():
    """The theme's listing leaves out hidden folders (Material's 14,000 icons), which MkDocs'
    own filter drops anyway: the theme files copied into the site are the same."""
    config = load_config(str(REPO / "mkdocs.yml"))
    theirs, ours = Files([]), Files([])
    theirs.add_files_from_theme(config.theme.get_env(), config)
    env = _listing_visible_files(config.theme.get_env)()
    ours.add_files_from_theme(env, config)
    assert [(f.src_uri, f.abs_src_path) for f in ours] == [(f.src_uri, f.abs_src_path) for f in theirs]
    assert len(theirs) > 20
    listed = env.loader.list_templates()
    assert "main.html" in listed and not [name for name in listed if "/." in "/" + name.rsplit("/", 1)[0]]
