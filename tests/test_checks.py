"""Output checks: forbidden personal data is caught in every kind of file written and traced
back to its record; broken internal links are caught; a failing check publishes nothing."""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO, build_project, free_port
from mkdocs.exceptions import Abort
from test_build import PERSON, STORY, UNITS, _tree_digest

from bulletin.checks import (
    AllowList,
    Written,
    check_links,
    check_output,
    find_forbidden,
    forbidden_verdicts,
    page_checker,
    scan_forbidden,
    scan_output,
)
from bulletin.cli import build as cli_build
from bulletin.memo import Memo

PHONE = "0905 123 456"
ID_NUMBER = "079123456789"


def _project(make_project, story=STORY, person=PERSON):
    return make_project({**UNITS, "people/tran-thi-mai.yml": person, "stories/tra-vi.md": story})


def _refused(project: Path, site: Path, caplog) -> list[str]:
    """Build ``project`` expecting the output checks to refuse it: their messages, and no
    output left behind (neither the site folder nor its staging folder)."""
    caplog.clear()
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, site)
    assert not site.exists() and not list(site.parent.glob(f".{site.name}.*"))
    return [r.getMessage().removeprefix("bulletin: ") for r in caplog.records if r.name.endswith("bulletin")]


def _findings(lines: list[str], found: str) -> dict[str, str]:
    """{output file: source} of the messages about ``found``."""
    pattern = re.compile(rf"^(?P<output>\S+): có [^«]+«{re.escape(found)}» \(từ (?P<source>[^)]*)\)$")
    return {m["output"]: m["source"] for line in lines if (m := pattern.match(line))}


def test_planted_phone_is_refused_in_every_kind_of_output_and_traced_to_its_record(make_project, tmp_path, caplog):
    story = STORY.replace("summary: Nhặt được", f"summary: Liên hệ {PHONE}. Nhặt được")
    found = _findings(_refused(_project(make_project, story), tmp_path / "site", caplog), PHONE)
    assert {Path(output).suffix for output in found} >= {".html", ".xml", ".json"}, found  # pages, Atom feed, search index
    # the open-data exports: their verdict is worked out ahead, on the other core (forbidden_verdicts)
    assert {"du-lieu-mo/stories.json", "du-lieu-mo/stories.csv"} <= set(found), found
    assert set(found.values()) == {"data/stories/tra-vi.md:5"}


def test_planted_id_number_and_private_email_are_refused(make_project, tmp_path, caplog):
    person = PERSON.replace("role: Hội viên hội nông dân", f"role: Hội viên, CCCD {ID_NUMBER}")
    story = STORY.replace("chợ Sa Huỳnh.", "chợ Sa Huỳnh. Thư: mai.tran@gmail.com, hoặc vanthu@quangngai.gov.vn")
    lines = _refused(_project(make_project, story, person), tmp_path / "site", caplog)
    ids = _findings(lines, ID_NUMBER)
    assert "ca-nhan/tran-thi-mai/index.html" in ids and set(ids.values()) == {"data/people/tran-thi-mai.yml:5"}
    assert _findings(lines, "mai.tran@gmail.com")
    assert not _findings(lines, "vanthu@quangngai.gov.vn")  # the official gov.vn address is allowed


def test_allow_listed_official_number_passes(make_project, tmp_path, caplog):
    story = STORY.replace("summary: Nhặt được", "summary: Gọi 0255 3821 234. Nhặt được")
    project = _project(make_project, story)
    assert _findings(_refused(project, tmp_path / "a", caplog), "0255 3821 234")
    (project / "checks.yml").write_text('numbers: ["0255 3821 234"]\n', encoding="utf-8")
    site = build_project(project, tmp_path / "b")
    assert "0255 3821 234" in (site / "cau-chuyen" / "tra-vi" / "index.html").read_text(encoding="utf-8")


def test_broken_internal_link_and_anchor_are_reported_with_their_page(make_project, tmp_path, caplog):
    story = STORY.replace("chợ Sa Huỳnh.", 'chợ Sa Huỳnh. <a href="../../khong-co/">xem</a> <a href="#khong-co-muc">mục</a>')
    lines = _refused(_project(make_project, story), tmp_path / "site", caplog)
    assert [line for line in lines if "liên kết" in line] == [
        "cau-chuyen/tra-vi/index.html: liên kết tới mục không có «#khong-co-muc»",
        "cau-chuyen/tra-vi/index.html: liên kết hỏng «../../khong-co/»",
    ]


def test_a_failing_check_leaves_the_published_site_byte_for_byte(make_project, capfd):
    project = _project(make_project)
    assert cli_build(project, project / "site") == 0
    before = _tree_digest(project / "site")
    story = STORY.replace("summary: Nhặt được", f"summary: Liên hệ {PHONE}. Nhặt được")
    (project / "data/stories/tra-vi.md").write_text(story, encoding="utf-8")
    assert cli_build(project, project / "site") == 1
    assert _tree_digest(project / "site") == before
    assert "có số điện thoại «0905 123 456» (từ data/stories/tra-vi.md:5)" in capfd.readouterr().err
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_bad_data_through_the_cli_leaves_the_published_site_byte_for_byte(make_project, capfd):
    project = _project(make_project)
    assert cli_build(project, project / "site") == 0
    before = _tree_digest(project / "site")
    (project / "data/people/tran-thi-mai.yml").write_text(PERSON.replace("year: 2024", "year: 2O24"), encoding="utf-8")
    assert cli_build(project, project / "site") != 0
    assert _tree_digest(project / "site") == before
    assert (
        'data/people/tran-thi-mai.yml:7: honours[0].year: cần một năm từ 1930 đến 2100, nhận được "2O24"'
        in capfd.readouterr().err
    )


# --- The scanner on hand-made output folders (no build needed) -----------------------------
def _site(tmp_path, files: dict[str, str | bytes]) -> Path:
    site = tmp_path / "out"
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return site


def _root(tmp_path, records: dict[str, str] | None = None, checks: str | None = None) -> Path:
    root = tmp_path / "project"
    for name, text in (records or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    root.mkdir(exist_ok=True)
    if checks is not None:
        (root / "checks.yml").write_text(checks, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "hidden",
    [
        "Gọi 0905&nbsp;123&nbsp;456",  # entities
        "Gọi 0905 <strong>123</strong> 456",  # emphasis in the middle
        "Gọi &#48;905123456",
        "Gọi +84 905 123 456",
        "Gọi (+84) 905.123.456",
        "Gọi 84905123456",
        "Gọi (0255) 3821 234",
        "Gọi 024 3822 1234",
        "Gọi 0168 123 4567",  # an 11-digit mobile from before 2018
    ],
)
def test_phone_numbers_are_found_however_they_are_written(tmp_path, hidden):
    site = _site(tmp_path, {"ca-nhan/a/index.html": f"<html><body><article><p>{hidden}</p></article></body></html>"})
    findings = scan_forbidden(site, _root(tmp_path))
    assert [f.what for f in findings] == ["số điện thoại"], (hidden, findings)


@pytest.mark.parametrize(
    "harmless",
    [
        "Tổng mức đầu tư 1.090.512.345 đồng",
        "Ngày 2/10/2024, 2024-10-02, năm 2024 2025 2026",
        "<td>120</td><td>450</td><td>300</td>",
        "Quyết định 1870-QĐ/TU, số 95/QĐ-UBND",
        "Tọa độ 14.8125, 108.9530; 0,905123456 ha",
        "Mã bưu chính 570000",
    ],
)
def test_numbers_that_are_not_personal_pass(tmp_path, harmless):
    site = _site(tmp_path, {"index.html": f"<html><body><article>{harmless}</article></body></html>"})
    assert scan_forbidden(site, _root(tmp_path)) == []


def test_every_kind_of_file_is_read_as_its_reader_sees_it(tmp_path):
    import gzip
    import json

    site = _site(
        tmp_path,
        {
            "tim-kiem/chi-muc/d-0.json": json.dumps([["/x/", "CCCD \u0030\u0037\u0039123456789"]], ensure_ascii=True),
            "sitemap.xml.gz": gzip.compress(b"<urlset><url><loc>mai.tran@gmail.com</loc></url></urlset>"),
            "du-lieu-mo/people.csv": "id,role\nx,Liên hệ 0905123456\n",
            "feed.xml": "<feed><summary>Gọi 0912&#160;345&#160;678</summary></feed>",
            "notes.txt": "mai%40yahoo.com",
            "assets/javascripts/bundle.js": "martin@squidfunk.com 0905123456",  # the theme's own files
        },
    )
    found = {(f.output, f.found) for f in scan_forbidden(site, _root(tmp_path))}
    assert found == {
        ("tim-kiem/chi-muc/d-0.json", "079123456789"),
        ("sitemap.xml.gz", "mai.tran@gmail.com"),
        ("du-lieu-mo/people.csv", "0905123456"),
        ("feed.xml", "0912 345 678"),
        ("notes.txt", "mai@yahoo.com"),
    }


def test_a_verdict_worked_out_ahead_is_the_scans_own_and_is_used(tmp_path):
    """forbidden_verdicts (the exports, scanned by the other core before they are written)
    gives the scan's memo what the scan would find; the scan then reads the file only for
    its digest. A file written with other bytes than those scanned ahead is scanned itself."""
    ahead = "id,role\nx,Liên hệ 0905123456\n"
    root = _root(tmp_path)
    site = _site(tmp_path, {"du-lieu-mo/people.csv": ahead, "du-lieu-mo/units.csv": "id\nx,0912345678\n"})
    memo = Memo(None).begin("one version")
    verdicts = forbidden_verdicts([("du-lieu-mo/people.csv", ahead.encode()), ("du-lieu-mo/units.csv", b"id\nx\n")], root)
    for key, found in verdicts:
        memo.put(key, found)
    findings = {(f.output, f.found) for f in scan_forbidden(site, root, Written(site, memo))}
    assert findings == {(f.output, f.found) for f in scan_forbidden(site, root)}  # as without the memo
    assert findings == {("du-lieu-mo/people.csv", "0905123456"), ("du-lieu-mo/units.csv", "0912345678")}
    assert (memo.hits, memo.misses) == (1, 1)  # people.csv as scanned ahead; units.csv changed since


def test_an_export_the_memo_holds_is_not_scanned_ahead_again(tmp_path, monkeypatch):
    """A save changes one or two exports of twenty: the others' verdicts come from the memo."""
    import bulletin.checks

    root = _root(tmp_path)
    files = [("du-lieu-mo/people.csv", "id,role\nx,Liên hệ 0905123456\n".encode()), ("du-lieu-mo/units.csv", b"id\nx\n")]
    memo = Memo(None).begin("one version")
    for key, found in forbidden_verdicts(files, root):
        memo.put(key, found)
    scanned: list[str] = []
    real = bulletin.checks._forbidden_in
    monkeypatch.setattr(bulletin.checks, "_forbidden_in", lambda name, raw, allow: scanned.append(name) or real(name, raw, allow))
    changed = [files[0], ("du-lieu-mo/units.csv", b"id\nx,0912345678\n")]
    verdicts = dict(forbidden_verdicts(changed, root, memo))
    assert scanned == ["du-lieu-mo/units.csv"]
    assert [found for _, found in verdicts.items()] == [[("số điện thoại", "0905123456")], [("số điện thoại", "0912345678")]]


def test_pages_are_checked_where_they_are_rendered_by_the_bytes_mkdocs_writes(make_project, tmp_path, monkeypatch):
    """Each page rendered is checked on its worker (build.py hands prerender the checks): its
    scan and its links, against the names of the files the build will write. The output check
    finds those verdicts only if the bytes are those written to the page's file and the names
    those of the files written."""
    import bulletin.build

    checked: dict[str, bytes] = {}
    named: list[set[str]] = []

    def recording_checker(root, names, base_path):
        names = list(names)
        named.append(set(names))
        check = page_checker(root, names, base_path)

        def recorded(name: str, raw: bytes):
            checked[name] = raw
            return check(name, raw)

        return recorded

    monkeypatch.setattr(bulletin.build, "page_checker", recording_checker)
    monkeypatch.setenv("BULLETIN_WORKERS", "1")  # the checks recorded in this process
    site = build_project(_project(make_project), tmp_path / "site")
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {
        "404.html",
        "admin/index.html",
    }  # theme page, web form: not rendered pages
    assert pages and set(checked) == pages
    assert all((site / name).read_bytes() == raw for name, raw in checked.items())
    assert named == [{p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}]


def test_a_finding_names_its_data_line_or_else_the_record_of_its_page(tmp_path):
    root = _root(
        tmp_path,
        {
            "data/people/a.yml": "family_name: A\nrole: Gọi 0905 123 456\n",
            "content/gioi-thieu.md": "# Giới thiệu\n\nThư: ban.tuyengiao@gmail.com\n",
            "data/people/b.yml": "family_name: B\n",
        },
    )
    site = _site(
        tmp_path,
        {
            "ca-nhan/a/index.html": "<article>Gọi 0905.123.456</article>",
            "gioi-thieu/index.html": "<article>ban.tuyengiao@gmail.com</article>",
            "ca-nhan/b/index.html": "<article>CCCD 212345678</article>",  # composed by a template, say
        },
    )
    lines = sorted(scan_output(site, root))
    assert lines == [
        "ca-nhan/a/index.html: có số điện thoại «0905.123.456» (từ data/people/a.yml:2)",
        "ca-nhan/b/index.html: có dãy số giống số căn cước/CMND «212345678» (từ data/people/b.yml)",
        "gioi-thieu/index.html: có địa chỉ thư điện tử cá nhân «ban.tuyengiao@gmail.com» (từ content/gioi-thieu.md:3)",
    ]


def test_the_allow_list_is_validated_and_its_mistakes_are_located(tmp_path):
    site = _site(tmp_path, {"index.html": "<article>x</article>"})
    root = _root(tmp_path, checks="numbers:\n  - '0255 3821 234'\n  - 'không rõ'\nemail_domain: [gov.vn]\n")
    problems = check_output(site, root)
    assert problems == [
        "checks.yml:3: numbers[1]: «không rõ» không giống một số điện thoại",
        "checks.yml:4: email_domain: trường lạ, không có trong loại hồ sơ này. Có phải ý bạn là «email_domains»?",
    ]
    allowed = _root(tmp_path, checks="numbers: ['(0255) 3.821.234']\nemail_domains: [quangngai.gov.vn]\n")
    site = _site(
        tmp_path,
        {
            "index.html": "<article>0255 3821 234, +84 255 3821 234, vp@quangngai.gov.vn, vp@so.quangngai.gov.vn, x@gov.vn</article>"
        },
    )
    assert [f.found for f in scan_forbidden(site, allowed)] == ["x@gov.vn"]


def test_vendored_files_are_not_data_but_a_changed_copy_is(tmp_path):
    from bulletin.cms import vendored_files

    bundle = dict(vendored_files())["admin/sveltia-cms.js"]  # holds "0123456789", as written
    site = _site(tmp_path, {"admin/sveltia-cms.js": bundle, "admin/other.js": bundle + b"\nmai.tran@gmail.com"})
    assert {f.output for f in scan_forbidden(site, _root(tmp_path))} == {"admin/other.js"}


def test_image_check_refuses_originals_metadata_and_formats_outside_the_pipeline(tmp_path):
    from PIL import Image

    from bulletin.checks import check_images

    root = _root(tmp_path)
    (root / "content" / "images").mkdir(parents=True)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (14.0, 48.0, 30.0)}
    Image.new("RGB", (40, 30)).save(root / "content" / "images" / "goc.jpg", exif=exif)
    site = tmp_path / "out" / "images"
    site.mkdir(parents=True)
    (site / "goc.jpg").write_bytes((root / "content" / "images" / "goc.jpg").read_bytes())
    Image.new("RGB", (40, 30)).save(site / "khac-480.jpg", exif=exif)
    Image.new("RGB", (40, 30)).save(site / "sach-480.webp")
    Image.new("RGB", (40, 30)).save(site / "anh.gif")
    assert check_images(tmp_path / "out", root) == [
        "images/anh.gif: định dạng ảnh .gif không qua bước làm sạch ảnh; hãy dùng .jpg, .png hoặc .webp",
        "images/goc.jpg: ảnh gốc content/images/goc.jpg bị chép nguyên lên trang (có thể còn tọa độ GPS)",
        "images/khac-480.jpg: ảnh còn siêu dữ liệu (EXIF GPS)",
    ]


def test_the_shipped_site_passes_every_output_check(shipped_site):
    from bulletin.checks import check_output

    assert check_output(shipped_site, REPO) == []


def test_links_images_srcsets_and_anchors_on_other_pages_are_resolved(tmp_path):
    site = _site(
        tmp_path,
        {
            "a/index.html": '<h2 id="muc-1">x</h2><img src="../images/co.webp">',
            "images/co.webp": b"x",
            "b/index.html": (
                '<a href="../a/#muc-1">ok</a> <a href="../a/#muc-2">anchor</a> <a href="/a/">root</a>'
                ' <img src="../images/khong.jpg"> <source srcset="../images/co.webp 480w, ../images/thieu.webp 1200w">'
                ' <a href="https://example.com/">out</a> <a href="mailto:a@gov.vn">mail</a> <a href="../a/?q=1">query</a>'
            ),
        },
    )
    assert check_links(site) == [
        "b/index.html: liên kết tới mục không có «../a/#muc-2»",
        "b/index.html: liên kết hỏng «../images/khong.jpg»",
        "b/index.html: liên kết hỏng «../images/thieu.webp»",
    ]


# --- Number patterns: the writings people use, and the look-alikes a bulletin is full of ----
# Each row is one sentence as it could stand in a page; the table says what the check finds.
CAUGHT = [
    "Gọi 0905123456",
    "Gọi 0905 123 456",
    "Gọi 0905.123.456",
    "Gọi 0905-123-456",
    "Gọi 090 512 3456",
    "Gọi 0905 12 34 56",
    "Gọi 090.5123.456",
    "Gọi +84 905 123 456",
    "Gọi +84905123456",
    "Gọi (+84) 905 123 456",
    "Gọi 84905123456",
    "Gọi 84 905 123 456",
    "Gọi +84 (0) 905 123 456",
    "Gọi 0084 905 123 456",
    "Gọi +84-905-123-456",
    "Gọi +84.905.123.456",
    "Gọi 0168 123 4567",
    "Gọi 01681234567",
    "Gọi 0372 123 456",
    "Gọi 0789.123.456",
    "Gọi 0868 123 456",
    "Gọi 0562 123 456",
    "Gọi (0255) 3822 123",
    "Gọi (0255) 3.822.123",
    "Gọi 0255 3822 123",
    "Gọi 0255.3822.123",
    "Gọi 0255-3822-123",
    "Gọi 02553822123",
    "Gọi (024) 3822 1234",
    "Gọi 024 3822 1234",
    "Gọi (028) 38.29.12.34",
    "Gọi +84 255 3822 123",
    "Gọi +84 (255) 3822 123",
    "Gọi 84 24 3822 1234",
    "Gọi (055) 3822 123",
    "Gọi (04) 3822 1234",
    "Gọi (0511) 3822 123",
    "ĐT:0905123456.",
    "SĐT 0905 123 456, Zalo 0912 345 678",
    "CCCD 079123456789",
    "CCCD 079 123 456 789",
    "CCCD 079-123-456-789",
    "CCCD 079.123.456.789",
    "CMND 212345678",
    "CMND 212 345 678",
    "CMND số 212-345-678 cấp ngày 2/3/2010",
    "Số định danh: 079123456789.",
    "(CCCD: 079 123 456 789)",
    "Ông A, CCCD 079123456789 người Phổ Thạnh",  # a count never starts with 0
]
SPARED = [
    "Năm 2024 2025 2026",
    "giai đoạn 2024–2026 và 2025-2030",
    "Ngày 2/10/2024, 2024-10-02, 02.10.2024",
    "từ ngày 12-13/10/2025",
    "Tổng mức đầu tư 265 tỷ đồng",
    "Tổng mức đầu tư 1.090.512.345 đồng",
    "Kinh phí 265.000.000 đồng",
    "Kinh phí 265 000 000 đồng",
    "Kinh phí 265000000 đồng",
    "Kinh phí 12.345.678.900 đồng",
    "Kinh phí 1,5 tỷ đồng, 0,25 tỷ",
    "Dân số 123 456 789 người",
    "Nghị quyết 1677/NQ-UBTVQH15",
    "Kế hoạch số 287-KH/TU",
    "Quyết định 45/QĐ-UBND ngày 8/1/2025",
    "Nghị quyết 01/2024/NQ-HĐND",
    "Luật 06/2022/QH15, Nghị định 98/2023/NĐ-CP",
    "Thông tư 26/2020/TT-BTTTT",
    "Chỉ thị 05-CT/TW, Nghị quyết 21-NQ/TW",
    "Quyết định số 123456789/QĐ-UBND",
    "TCVN 6909:2001",
    "Tỷ lệ hộ nghèo 12,5%, giảm 0,905%",
    "Giảm 1,23 điểm phần trăm (từ 4,56% xuống 3,33%)",
    "Tọa độ 14.8125, 108.9530",
    "Diện tích 0,905123456 ha",
    "Mã bưu chính 570000",
    "Km 1045+500 Quốc lộ 1A",
    "Diện tích 7.000 m², 12.500 m2",
    "15.000 người, 2.035 hộ, 1.234 lượt",
    "<td>120</td><td>450</td><td>300</td>",
    "<td>0</td><td>905</td><td>123</td><td>456</td>",
    "Số 0905 123",
    "Phường 5, Tổ dân phố 3",
    "7 giờ 30 ngày 19/8/2025",
    "từ 2.345 đến 3.456",
    "ISBN 978-604-0-12345-6",
    "Số liệu 2024: 1.234 hộ; 2025: 1.102 hộ",
    "Chiều dài 1.234,5 m",
    "Đợt 1 năm 2025 (từ 1/2025 đến 8/2025)",
    "Ngày 08-10-2025 lúc 10:30",
    "Bảng 1: 2023 | 2024 | 2025",
    "Tổng kinh phí 2.345.678.901 đồng",
    "Mã số thuế 4300123456-001",
    "Nhiệm kỳ 2020 - 2025, 2025 - 2030",
    "Hơn 1 000 000 000 000 đồng",
    "Giá trị 0,0905123456",
    'data-prefixes="01 05 10 11 12 14 15"',
]


def test_the_tables_are_large_enough():
    assert len(CAUGHT) >= 40 and len(SPARED) >= 40


@pytest.mark.parametrize("sentence", CAUGHT)
def test_personal_numbers_are_caught_however_they_are_written(sentence):
    found = list(find_forbidden(sentence, AllowList()))
    assert found, sentence
    assert all(number in sentence for _, number in found)


@pytest.mark.parametrize("sentence", SPARED)
def test_look_alikes_are_spared(sentence):
    assert list(find_forbidden(sentence, AllowList())) == []


@pytest.mark.parametrize("sentence", CAUGHT[:12] + SPARED[:12])
def test_the_scan_of_a_written_page_agrees_with_the_table(tmp_path, sentence):
    """The same verdict once the sentence is an HTML page on disk (entities, tags, windows)."""
    site = _site(tmp_path, {"index.html": f"<html><body><article><p>{html.escape(sentence)}</p></article></body></html>"})
    assert bool(scan_forbidden(site, _root(tmp_path))) == (sentence in CAUGHT)


# --- Every build path runs the same checks -------------------------------------------------
TOOLS = Path(sys.executable).parent
FORBIDDEN_STORY = STORY.replace("summary: Nhặt được", f"summary: Liên hệ {PHONE}. Nhặt được")
LOCATED = "cau-chuyen/tra-vi/index.html: có số điện thoại «0905 123 456» (từ data/stories/tra-vi.md:5)"


GIT_IDENTITY = {
    f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER") for what, value in (("NAME", "t"), ("EMAIL", "t@gov.vn"))
}


def _run(project: Path, *command: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_IDENTITY, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "BULLETIN_TODAY": BUILD_DAY}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    "command",
    [
        ("mkdocs", "build"),
        ("mkdocs", "build", "--strict"),
        ("properdocs", "build"),
        ("properdocs", "build", "--strict"),
    ],
    ids=" ".join,
)
def test_every_engine_command_refuses_forbidden_data_and_keeps_the_previous_site(make_project, command):
    project = _project(make_project)
    first = _run(project, str(TOOLS / command[0]), *command[1:])
    assert first.returncode == 0, first.stderr
    before = _tree_digest(project / "site")
    (project / "data/stories/tra-vi.md").write_text(FORBIDDEN_STORY, encoding="utf-8")
    refused = _run(project, str(TOOLS / command[0]), *command[1:])
    assert refused.returncode != 0
    assert LOCATED in refused.stderr, refused.stderr
    assert "chưa đăng, trang cũ (nếu có) được giữ nguyên" in refused.stderr
    assert _tree_digest(project / "site") == before  # the published site byte for byte
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []  # no staging left


def test_a_dirty_build_that_is_refused_leaves_no_poisoned_output(make_project):
    project = _project(make_project, FORBIDDEN_STORY)
    refused = _run(project, str(TOOLS / "mkdocs"), "build", "--dirty")
    assert refused.returncode != 0 and LOCATED in refused.stderr
    assert not (project / "site").exists()


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _repository(project: Path) -> Path:
    """The project as a git clone of a bare 'origin' (gh-deploy pushes there)."""
    remote = project.parent / "origin.git"
    _git(project.parent, "init", "-q", "--bare", str(remote))
    _git(project, "init", "-q", "-b", "main")
    _git(project, "commit", "-q", "--allow-empty", "-m", "x")
    _git(project, "remote", "add", "origin", str(remote))
    return remote


def test_gh_deploy_pushes_a_checked_site_and_refuses_forbidden_data(make_project):
    project = _project(make_project)
    remote = _repository(project)
    deployed = _run(project, str(TOOLS / "mkdocs"), "gh-deploy", "--force", "--no-history")
    assert deployed.returncode == 0, deployed.stderr
    pushed = _git(remote, "ls-tree", "-r", "--name-only", "gh-pages")
    assert "cau-chuyen/tra-vi/index.html" in pushed.split()  # gh-deploy found the swapped-in site
    head = _git(remote, "rev-parse", "gh-pages")
    (project / "data/stories/tra-vi.md").write_text(FORBIDDEN_STORY, encoding="utf-8")
    refused = _run(project, str(TOOLS / "mkdocs"), "gh-deploy", "--force", "--no-history")
    assert refused.returncode != 0 and LOCATED in refused.stderr, refused.stderr
    assert _git(remote, "rev-parse", "gh-pages") == head  # nothing was pushed


def test_serve_logs_the_same_located_errors(make_project):
    project = _project(make_project, FORBIDDEN_STORY)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "BULLETIN_TODAY": BUILD_DAY}
    port = free_port()
    server = subprocess.Popen(
        [str(TOOLS / "mkdocs"), "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stderr.readline()
            lines.append(line)
            if "Serving on" in line or not line:
                break
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = "".join(lines)
    assert f"ERROR   -  bulletin: {LOCATED}" in log, log
    assert "bản này sẽ không được đăng" in log
