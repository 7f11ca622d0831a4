"""Vietnamese text rules: collation, names, normalisation, slugs, dates and numbers."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from bulletin.vietnamese import (
    collation_key,
    format_date,
    format_date_long,
    format_month,
    format_number,
    normalize_text,
    person_sort_key,
    slugify,
)


def test_letters_with_marks_sort_as_letters_of_their_own():
    words = ["đa", "ăn", "an", "dz", "ân", "bé", "da", "ơi", "ôm", "om", "ưa", "ua"]
    assert sorted(words, key=collation_key) == ["an", "ăn", "ân", "bé", "da", "dz", "đa", "om", "ôm", "ơi", "ua", "ưa"]


def test_tones_sort_in_dictionary_order_after_the_letters():
    assert sorted(["ạ", "á", "ã", "ả", "à", "a"], key=collation_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["ba", "bà", "bac"], key=collation_key) == ["ba", "bà", "bac"]


def test_people_sort_by_given_name_then_middle_then_family():
    people = [("Nguyễn", "Văn", "Bình"), ("Trần", "Thị", "An"), ("Lê", "Văn", "An"), ("Đỗ", "Thị", "Ánh")]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [("Trần", "Thị", "An"), ("Lê", "Văn", "An"), ("Đỗ", "Thị", "Ánh"), ("Nguyễn", "Văn", "Bình")]


def test_nfd_text_and_the_eth_lookalike_are_normalised():
    nfd = unicodedata.normalize("NFD", "Đức Phổ")
    assert nfd != "Đức Phổ"
    assert normalize_text(nfd) == "Đức Phổ"
    assert normalize_text("\u00d0ảng viên") == "Đảng viên"


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Đức Phổ", "duc-pho"), ("Phường Sa Huỳnh", "phuong-sa-huynh"), ("ĐẢNG VIÊN BỐN TỐT", "dang-vien-bon-tot")],
)
def test_slugs_are_ascii_with_d_for_dd(text, slug):
    assert slugify(text) == slug


def test_dates_and_numbers_read_the_vietnamese_way():
    assert format_date(date(2024, 6, 28)) == "28/6/2024"
    assert format_date_long(date(2024, 6, 28)) == "ngày 28 tháng 6 năm 2024"
    assert format_month("2025-09") == "tháng 9/2025"
    assert format_number(1234.5) == "1.234,5"
    assert format_number(3) == "3"
