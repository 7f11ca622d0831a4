"""Folding for search: every Vietnamese vowel with every tone, đ/Đ and the Ð look-alike."""

from __future__ import annotations

import unicodedata

import pytest

from bulletin.search import words
from bulletin.vietnamese import fold

VOWELS = {  # base letter -> the letter with each of the six tones (none, huyền, hỏi, ngã, sắc, nặng)
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
ASCII = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o", "ơ": "o", "u": "u", "ư": "u", "y": "y"}


@pytest.mark.parametrize("base", list(VOWELS))
def test_every_vowel_with_every_tone_folds_to_ascii(base):
    assert len(VOWELS[base]) == 6
    for letter in VOWELS[base]:
        for text in (letter, letter.upper(), unicodedata.normalize("NFD", letter)):
            assert fold(text) == ASCII[base], (text, fold(text))


def test_d_with_stroke_and_its_lookalike_fold_to_d():
    assert fold("đ") == fold("Đ") == fold("\u00d0") == fold("\u00f0") == "d"
    assert fold("Đức Phổ") == "duc pho"
    assert fold("ĐẢNG VIÊN BỐN TỐT") == "dang vien bon tot"
    assert fold("\u00d0ảng viên") == "dang vien"


def test_index_words_are_folded_and_split_like_the_browser_does():
    assert words("Phường Đức Phổ, «đảng viên» — Ðoàn 2025!") == ["phuong", "duc", "pho", "dang", "vien", "doan", "2025"]
    assert words("Xã Phổ An, a, ở") == ["xa", "pho", "an"]  # one-letter words are not indexed


@pytest.mark.parametrize("base", list(VOWELS))
def test_index_words_fold_every_toned_vowel_in_any_case_or_normal_form(base):
    for letter in VOWELS[base]:
        for text in (f"đ{letter}", f"Đ{letter.upper()}", f"\u00d0{letter}", unicodedata.normalize("NFD", f"Đ{letter}")):
            assert words(text) == ["d" + ASCII[base]], (text, words(text))
