"""Vietnamese text rules: normalisation, collation, folding, slugs, dates and numbers.

Pure functions with no MkDocs import, shared by the loader, the page builder and search.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache, lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from slugify import slugify as _slugify

# Ð (U+00D0, Icelandic eth) and ð look like Đ/đ and arrive from some fonts and OCR; they
# break search and sorting, so they are mapped to the Vietnamese letters.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def normalize_text(text: str) -> str:
    """NFC, with the Ð look-alike fixed. Text pasted from Word is often NFD."""
    return unicodedata.normalize("NFC", text.translate(_LOOKALIKES))


# --- Collation -----------------------------------------------------------------------------
# No wheel-installable library collates Vietnamese correctly (PyICU must be compiled against
# ICU; pyuca's default table treats ă, â as accents of a, not as letters). The rule is short:
# letters in alphabet order, with ă, â, đ, ê, ô, ơ, ư as letters of their own; then tones in
# dictionary order (none, huyền, hỏi, ngã, sắc, nặng); then case.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 20 + i for i, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@cache  # the letters of a language: a small, fixed set
def _char_key(char: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", char.lower())
    letter = unicodedata.normalize("NFC", decomposed[0] + "".join(c for c in decomposed[1:] if c in _LETTER_MARKS))
    tone = sum(_TONE_RANK.get(c, 0) for c in decomposed[1:])
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter], tone
    if letter.isdigit():
        return 1 + int(letter) if letter.isascii() else 11, tone
    if letter.isspace():
        return 0, 0
    return 1000 + ord(letter), tone


# Letters, then tones, then case: each a tuple with one entry per character.
CollationKey = tuple[tuple[int, ...], tuple[int, ...], tuple[bool, ...]]


@lru_cache(maxsize=65536)
def capitalised(text: str) -> str:
    """The first letter upper-cased, the rest as written: «người tốt việc tốt» → «Người tốt việc tốt»."""
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=65536)  # the same names are sorted on every listing, in every build
def collation_key(text: str) -> CollationKey:
    """Sort key giving Vietnamese dictionary order (a < ă < â, d < đ, tones after letters)."""
    chars = [_char_key(c) for c in normalize_text(text)]
    return (
        tuple(primary for primary, _ in chars),
        tuple(tone for _, tone in chars),
        tuple(c.isupper() for c in text),
    )


def person_sort_key(family_name: str, middle_name: str, given_name: str) -> tuple[CollationKey, CollationKey, CollationKey]:
    """Vietnamese people are sorted by given name, then middle name, then family name."""
    return (collation_key(given_name), collation_key(middle_name), collation_key(family_name))


# --- Folding for search and slugs ----------------------------------------------------------
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "\u00d0": "d", "\u00f0": "d"})


def fold(text: str) -> str:
    """Lower-case, tone-free, đ→d: "Đức Phổ" -> "duc pho". đ has no NFD decomposition."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD_EXTRA)


def slugify(text: str) -> str:
    """ASCII URL slug: "Đức Phổ" -> "duc-pho"."""
    return _slugify(fold(text))


@lru_cache(maxsize=65536)
def heading_id(text: str, separator: str = "-") -> str:
    """Anchor ids for headings ("Đơn vị" -> "don-vi"); Python-Markdown's toc drops đ."""
    return _slugify(fold(text), separator=separator)


# --- Dates and numbers ---------------------------------------------------------------------
@lru_cache(maxsize=8192)
def format_date(value: date) -> str:
    """Running text: 28/6/2024."""
    return _babel_date(value, "d/M/y", locale="vi")


@lru_cache(maxsize=8192)
def format_date_long(value: date) -> str:
    """Formal lines: ngày 28 tháng 6 năm 2024."""
    return _babel_date(value, "'ngày' d 'tháng' M 'năm' y", locale="vi")


def format_month(value: str) -> str:
    """A month stored as "2025-09" reads "tháng 9/2025"."""
    year, month = value.split("-")
    return f"tháng {int(month)}/{year}"


def format_number(value: float | int, decimals: int = 2) -> str:
    """1234.5 -> "1.234,5" (Vietnamese separators)."""
    return _babel_decimal(round(value, decimals), locale="vi")
