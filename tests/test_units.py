"""Units before and after the 1/7/2025 reorganisation: a ward merged into a new ward lives on
in it (its records show on the new ward's page, feed, honour roll and in search), while a
district whose territory was shared out over several new units lives on in none of them (its
records stay on its own page). Tiny sites built by MkDocs, checked in their HTML and index."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urljoin

import pytest
from conftest import BUILD_DAY, article, build_project, page

from bulletin.cms import collection_config
from bulletin.model import load_site

BASIS = "change_basis: {number: 1677/NQ-UBTVQH15, issuer: Ủy ban Thường vụ Quốc hội}\n"
UNITS = {
    "units/thi-xa-duc-pho.yml": (
        "name: Thị xã Đức Phổ\nkind: thị xã\nvalid_to: 2025-07-01\nterritory_to: [phuong-sa-huynh, xa-khanh-cuong]\n"
    ),
    "units/phuong-pho-thanh.yml": (
        "name: Phường Phổ Thạnh\nkind: phường\nparent: thi-xa-duc-pho\nvalid_to: 2025-07-01\n"
        "successors: [phuong-sa-huynh]\n" + BASIS
    ),
    "units/xa-pho-khanh.yml": (
        "name: Xã Phổ Khánh\nkind: xã\nparent: thi-xa-duc-pho\nvalid_to: 2025-07-01\nsuccessors: [xa-khanh-cuong]\n"
    ),
    "units/phuong-sa-huynh.yml": "name: Phường Sa Huỳnh\nkind: phường\nvalid_from: 2025-07-01\n" + BASIS,
    "units/xa-khanh-cuong.yml": "name: Xã Khánh Cường\nkind: xã\nvalid_from: 2025-07-01\n",
}


def _story(title: str, day: str, unit: str, people: str = "[]") -> str:
    return (
        f"---\ntitle: {title}\ndate: {day}\nauthor: Ban Tuyên giáo\nsummary: {title}.\n"
        f"people: {people}\nunits: [{unit}]\ntags: [người tốt việc tốt]\n---\n{title}, kể lại.\n"
    )


def _person(given: str, unit: str) -> str:
    return (
        f"family_name: Trần\nmiddle_name: Thị\ngiven_name: {given}\nunit: {unit}\n"
        "honours:\n  - {year: 2024, title: người tốt việc tốt}\n"
        f"consent: {{covers: [tên, câu chuyện], given_on: 2024-01-02, given_by: Trần Thị {given}, evidence: Hồ sơ phường}}\n"
    )


RECORDS = {
    **UNITS,
    "stories/ward-story.md": _story("Chị Mai trả lại ví ở chợ Thạch Bi", "2024-10-02", "phuong-pho-thanh", "[tran-thi-mai]"),
    "stories/district-story.md": _story("Thị xã ra quân làm sạch bãi biển", "2024-05-10", "thi-xa-duc-pho", "[tran-thi-lan]"),
    "stories/new-ward-story.md": _story("Phường mới trồng cây xanh", "2025-09-01", "phuong-sa-huynh"),
    "people/tran-thi-mai.yml": _person("Mai", "phuong-pho-thanh"),
    "people/tran-thi-lan.yml": _person("Lan", "thi-xa-duc-pho"),
    "indicators/ngheo-thi-xa.yml": (
        "title: Tỷ lệ hộ nghèo đa chiều\nunit: thi-xa-duc-pho\nbaseline: {year: 2023, value: 4.1}\n"
        "actuals: [{year: 2024, value: 3.2}]\nsource: Báo cáo của thị xã\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import os

    from conftest import write_project

    os.environ["BULLETIN_TODAY"] = BUILD_DAY
    root = write_project(tmp_path_factory.mktemp("units") / "project", RECORDS)
    return build_project(root, root.parent / "site")


def _links(html: str, at: str) -> set[str]:
    """The pages an article links to, as paths from the site root ("cau-chuyen/x/")."""
    return {urljoin(f"/{at}/", href).lstrip("/") for href in re.findall(r'href="([^"#]+)"', html)}


# --- Pages ---------------------------------------------------------------------------------
def test_a_new_ward_shows_the_records_of_the_ward_merged_into_it(built):
    html = article(built, "don-vi/phuong-sa-huynh")
    links = _links(html, "don-vi/phuong-sa-huynh")
    assert {"cau-chuyen/ward-story/", "cau-chuyen/new-ward-story/", "ca-nhan/tran-thi-mai/"} <= links
    assert "Hình thành từ" in html and "don-vi/phuong-pho-thanh/" in links


def test_no_new_unit_shows_the_records_of_the_district_shared_out_over_them(built):
    for unit in ("phuong-sa-huynh", "xa-khanh-cuong"):
        html = article(built, f"don-vi/{unit}")
        assert not {"cau-chuyen/district-story/", "ca-nhan/tran-thi-lan/"} & _links(html, f"don-vi/{unit}"), unit
        assert "ngheo-thi-xa" not in html, unit
        assert "Gồm một phần địa bàn của" in html and "don-vi/thi-xa-duc-pho/" in _links(html, f"don-vi/{unit}"), unit
        assert "Hình thành từ" not in html or "Thị xã Đức Phổ" not in html.split("Hình thành từ")[1].split("</p>")[0]


def test_the_district_page_keeps_its_own_records_and_says_where_its_territory_went(built):
    html = article(built, "don-vi/thi-xa-duc-pho")
    assert {"cau-chuyen/district-story/", "ca-nhan/tran-thi-lan/", "don-vi/phuong-sa-huynh/", "don-vi/xa-khanh-cuong/"} <= (
        _links(html, "don-vi/thi-xa-duc-pho")
    )
    assert "ngheo-thi-xa" in html
    banner = html[html.index("Đơn vị không còn tồn tại") :].split("</div>")[0]
    assert "địa bàn được chia cho" in banner and "sáp nhập" not in banner
    merged = article(built, "don-vi/phuong-pho-thanh")
    assert "đã được sáp nhập vào" in merged[merged.index("Đơn vị không còn tồn tại") :].split("</div>")[0]


def test_the_units_listing_puts_the_district_among_the_former_units(built):
    html = article(built, "don-vi")
    current, former = html.split("Đơn vị trước ngày sắp xếp")
    assert "Thị xã Đức Phổ" in former and "Thị xã Đức Phổ" not in current
    assert "Phường Sa Huỳnh" in current


def test_unit_feeds_and_honour_rolls_follow_merges_only(built):
    feed = (built / "don-vi" / "phuong-sa-huynh" / "feed.xml").read_text(encoding="utf-8")
    assert "ward-story" in feed and "district-story" not in feed
    assert not (built / "don-vi" / "xa-khanh-cuong" / "feed.xml").exists()  # no story of its own or merged
    roll = article(built, "bang-vang/don-vi/phuong-sa-huynh")
    assert "tran-thi-mai" in roll and "tran-thi-lan" not in roll
    assert "tran-thi-lan" in article(built, "bang-vang/don-vi/thi-xa-duc-pho")


# --- Search --------------------------------------------------------------------------------
def _found_by(site_dir, word: str) -> set[str]:
    """URLs the built index lists under ``word``, read as search.js reads it."""
    keys = re.search(r'data-prefixes="([^"]*)"', page(site_dir, "tim-kiem")).group(1).split(",")
    key = max((k for k in keys if word.startswith(k)), key=len)
    postings = json.loads((site_dir / "tim-kiem" / "chi-muc" / f"t-{key}.json").read_text(encoding="utf-8")).get(word, [])
    docs, doc = [], 0
    for gap in postings[::2]:
        doc += gap
        docs.append(doc)
    urls = []
    for number in docs:
        rows = json.loads((site_dir / "tim-kiem" / "chi-muc" / f"d-{number // 25}.json").read_text(encoding="utf-8"))
        urls.append(rows[number % 25][0])
    return set(urls)


def test_search_finds_a_merged_wards_story_by_the_new_wards_name_but_not_the_districts(built):
    found = _found_by(built, "huynh")
    assert "cau-chuyen/ward-story/" in found and "ca-nhan/tran-thi-mai/" in found
    assert "cau-chuyen/district-story/" not in found and "ca-nhan/tran-thi-lan/" not in found
    assert "cau-chuyen/district-story/" not in _found_by(built, "cuong")


# --- Checks --------------------------------------------------------------------------------
def _errors(make_project, records: dict[str, str]) -> list[str]:
    root = make_project({**UNITS, **records})
    _, errors = load_site(root, date.fromisoformat(BUILD_DAY))
    return [str(e) for e in errors]


def test_a_record_after_the_change_naming_a_merged_ward_is_told_its_successor(make_project):
    errors = _errors(make_project, {"stories/late.md": _story("Tin mới", "2026-03-12", "phuong-pho-thanh")})
    assert errors == [
        "data/stories/late.md:7: units[0]: đơn vị «Phường Phổ Thạnh» chỉ tồn tại đến trước ngày 1/7/2025, "
        "nhưng ngày của câu chuyện là 12/3/2026; dùng đơn vị kế tiếp «Phường Sa Huỳnh» (phuong-sa-huynh)"
    ]


def test_a_record_after_the_change_naming_the_district_is_told_where_its_territory_went(make_project):
    errors = _errors(make_project, {"stories/late.md": _story("Tin mới", "2026-03-12", "thi-xa-duc-pho")})
    assert errors == [
        "data/stories/late.md:7: units[0]: đơn vị «Thị xã Đức Phổ» chỉ tồn tại đến trước ngày 1/7/2025, "
        "nhưng ngày của câu chuyện là 12/3/2026; địa bàn nay chia cho «Phường Sa Huỳnh» (phuong-sa-huynh), "
        "«Xã Khánh Cường» (xa-khanh-cuong): dùng đơn vị nơi việc diễn ra"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: Phường A\nkind: phường\nvalid_to: 2025-07-01\nsuccessors: [phuong-sa-huynh, xa-khanh-cuong]\n",
            "4: successors: một đơn vị chỉ sáp nhập vào một đơn vị; nếu địa bàn được chia cho nhiều đơn vị, "
            "ghi các đơn vị đó ở territory_to",
        ),
        (
            "name: Phường A\nkind: phường\nvalid_to: 2025-07-01\nsuccessors: [phuong-sa-huynh]\nterritory_to: [xa-khanh-cuong]\n",
            "5: territory_to: ghi successors (cả đơn vị sáp nhập vào một đơn vị) hoặc territory_to (địa bàn chia cho "
            "nhiều đơn vị), không ghi cả hai",
        ),
        (
            "name: Phường A\nkind: phường\nterritory_to: [phuong-sa-huynh]\n",
            "3: territory_to: đơn vị đã sáp nhập hoặc chia địa bàn cần ghi valid_to (ngày thôi tồn tại)",
        ),
        (
            "name: Phường A\nkind: phường\nvalid_to: 2025-01-01\nterritory_to: [phuong-sa-huynh]\n",
            "4: territory_to[0]: đơn vị kế tiếp «Phường Sa Huỳnh» bắt đầu sau ngày đơn vị này thôi tồn tại",
        ),
        (
            "name: Phường A\nkind: phường\nvalid_to: 2025-07-01\nsuccessors: [phuong-b]\n",
            "4: successors: các đơn vị kế tiếp quay vòng lại đơn vị này",
        ),
    ],
    ids=["merged-into-two", "both-relations", "no-end-date", "successor-starts-later", "cycle"],
)
def test_unit_relations_are_checked_with_located_vietnamese_messages(make_project, text, expected):
    cycle = {"units/phuong-b.yml": "name: Phường B\nkind: phường\nvalid_to: 2025-08-01\nsuccessors: [phuong-a]\n"}
    errors = _errors(make_project, {"units/phuong-a.yml": text, **(cycle if "phuong-b" in text else {})})
    assert f"data/units/phuong-a.yml:{expected}" in errors, errors


def test_the_relation_is_in_the_data_format_page_and_the_web_form(built):
    reference = article(built, "huong-dan/du-lieu")
    assert "territory_to" in reference and "Địa bàn chia cho" in reference and "Sáp nhập vào" in reference
    form = {f["name"]: f for f in collection_config("units")["fields"]}
    assert form["territory_to"]["widget"] == "relation" and form["territory_to"]["multiple"] is True
    assert form["successors"]["label"] == "Sáp nhập vào"


def test_the_shipped_district_shares_out_its_territory_and_its_wards_merge(shipped_site):
    html = article(shipped_site, "don-vi/phuong-sa-huynh")
    assert "ngheo-da-chieu-thi-xa" not in html  # the thị xã's poverty indicator stays on its own page
    assert "ngheo-da-chieu-thi-xa" in article(shipped_site, "don-vi/thi-xa-duc-pho")
    formed = html.split("Hình thành từ")[1].split("</p>")[0]
    assert "Phường Phổ Thạnh" in formed and "Xã Phổ Châu" in formed and "Thị xã" not in formed
