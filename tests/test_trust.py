"""Trust: what may be published about a real person, and what the loader refuses.

1. Consent: one build per case (none, partial without «ảnh», without «đảng viên», without
   «câu chuyện», not yet given, withdrawn, a minor with a guardian's consent). Every file
   written is read (pages, sitemap, feeds, search shards, exports, the gzipped sitemap) and
   its path and text are searched for the person.
2. Legacy TCVN3/VNI text: every shipped record converted to either encoding is refused with
   a located message; the Unicode originals pass.
3. Hostile input: bombs, nesting, huge, binary, wrong encodings, NFD, BOM, tabs, duplicate
   keys give located errors in bounded time and memory.
4. Atomic builds: `python -m bulletin build` that fails (bad data, a failing output check)
   leaves the published folder byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, build_project
from mkdocs.exceptions import Abort
from PIL import Image
from test_build import PERSON, STORY, UNITS

from bulletin.loader import legacy_encoding, load_records, read_file

NAME = "Trần Thị Mai"
SLUG = "tran-thi-mai"
PHOTO = "photo:\n  file: images/mai.jpg\n  alt: Chân dung chị Mai\n"
PARTY_HONOUR = "  - {year: 2025, title: đảng viên bốn tốt}\n"
COMMENDATION = """\
form: Giấy khen
title: Có hành động đẹp trả lại tài sản cho người đánh rơi
issuer: Chủ tịch Ủy ban nhân dân phường Phổ Thạnh
decision_number: 12/QĐ-UBND
decision_date: 2024-11-02
recipients:
  - person: tran-thi-mai
reason: Trả lại ví có 20 triệu đồng.
"""
BINARY = {".jpg", ".jpeg", ".png", ".webp", ".wasm", ".woff", ".woff2", ".ico"}


# --- Consent -------------------------------------------------------------------------------
def _person(covers: str | None, extra: str = "", photo: bool = True) -> str:
    base = PERSON.split("consent:")[0].replace("honours:\n", "honours:\n" + PARTY_HONOUR) + (PHOTO if photo else "")
    if covers is None:
        return base
    return (
        base
        + f"consent:\n  covers: [{covers}]\n  given_on: 2024-09-01\n  given_by: Trần Thị Mai\n  evidence: Giấy đồng ý số 7\n{extra}"
    )


def _build(make_project, tmp_path, person: str, name: str = "site", extra: dict | None = None) -> Path:
    records = {**UNITS, "people/tran-thi-mai.yml": person, "stories/tra-vi.md": STORY, "commendations/gk-1.yml": COMMENDATION}
    project = make_project({**records, **(extra or {})})
    images = project / "content" / "images"
    images.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 600), (200, 50, 50)).save(images / "mai.jpg")
    return build_project(project, tmp_path / name)


def _written(site: Path) -> dict[str, str]:
    """Every file written, by path, with its text as a reader gets it (gzip opened)."""
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        vendored = relative.startswith(("assets/", "admin/")) and path.suffix in {".js", ".css", ".map"}
        files[relative] = "" if path.suffix.lower() in BINARY or vendored else raw.decode("utf-8", errors="replace")
    return files


def _mentioning(site: Path, *needles: str) -> list[str]:
    """Files whose path or text contains any of ``needles``."""
    return [path for path, text in _written(site).items() if any(n in path or n in text for n in needles)]


def _photos(site: Path) -> list[str]:
    return sorted(p.name for p in site.rglob("mai*") if p.is_file() and p.suffix in BINARY)


def _consenting(site: Path) -> dict[str, str]:
    return {path: text for path, text in _written(site).items() if NAME in text}


def test_no_consent_publishes_nothing_about_the_person_anywhere(make_project, tmp_path):
    site = _build(make_project, tmp_path, _person(None))
    assert (site / "index.html").exists() and (site / "sitemap.xml").exists()
    assert _mentioning(site, NAME, SLUG, "Chân dung chị Mai") == []
    assert _photos(site) == []  # not even at a guessable URL
    assert not (site / "cau-chuyen" / "tra-vi").exists()  # the story about her waits too
    assert "Chị Mai trả lại ví" not in "".join(_written(site).values())
    assert not (site / "khen-thuong" / "gk-1").exists()  # her only recipient line is gone, so is the decision


def test_consent_without_photo_publishes_no_photo(make_project, tmp_path):
    site = _build(make_project, tmp_path, _person("tên, đảng viên, câu chuyện"))
    page = (site / "ca-nhan" / SLUG / "index.html").read_text()
    assert NAME in page and "đảng viên bốn tốt" in page
    assert _photos(site) == [] and not (site / "images" / "mai.jpg").exists()
    assert _mentioning(site, "Chân dung chị Mai", "images/mai") == []  # alt text and file name too


def test_consent_without_party_membership_hides_it_everywhere(make_project, tmp_path):
    site = _build(make_project, tmp_path, _person("tên, ảnh, câu chuyện"))
    shown = _consenting(site)
    assert "ca-nhan/tran-thi-mai/index.html" in shown and "sitemap.xml" not in shown
    for path, text in shown.items():
        if path.endswith(".html"):
            start = text.find('<article class="md-content__inner')
            article = text[start : text.index("</article>", start)]
            assert "bốn tốt" not in article, path
        else:
            assert "đảng viên" not in text.lower() and "dang vien" not in text.lower(), path  # exports, search rows
    assert not (site / "bang-vang" / "dang-vien-bon-tot").exists()  # hers was the only one
    assert _photos(site) == ["mai-480.webp", "mai-800.jpg", "mai-800.webp"]


def test_consent_without_story_withholds_the_stories_about_her(make_project, tmp_path):
    site = _build(make_project, tmp_path, _person("tên, ảnh, đảng viên"))
    assert NAME in (site / "ca-nhan" / SLUG / "index.html").read_text()
    assert not (site / "cau-chuyen" / "tra-vi").exists()
    assert _mentioning(site, "Chị Mai trả lại ví", "cau-chuyen/tra-vi") == []


def test_consent_not_yet_given_on_the_build_day_publishes_nothing(make_project, tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETIN_TODAY", "2024-08-31")  # given_on is 2024-09-01
    site = _build(make_project, tmp_path, _person("tên, ảnh, đảng viên, câu chuyện"))
    assert _mentioning(site, NAME, SLUG) == [] and _photos(site) == []


def test_withdrawn_consent_removes_everything_from_the_next_build(make_project, tmp_path, monkeypatch):
    person = _person("tên, ảnh, đảng viên, câu chuyện", "  withdrawn_on: 2026-10-01\n")
    monkeypatch.setenv("BULLETIN_TODAY", "2026-09-30")
    before = _build(make_project, tmp_path, person, "before")
    assert {"ca-nhan/tran-thi-mai/index.html", "sitemap.xml", "du-lieu-mo/people.json"} <= set(_mentioning(before, NAME, SLUG))
    assert "Chị Mai trả lại ví" in (before / "feed.xml").read_text()
    assert _photos(before)
    monkeypatch.setenv("BULLETIN_TODAY", "2026-10-01")
    after = _build(make_project, tmp_path, person, "after")
    assert _mentioning(after, NAME, SLUG, "Chân dung chị Mai") == []
    assert _photos(after) == [] and not (after / "cau-chuyen" / "tra-vi").exists()
    assert "Chị Mai trả lại ví" not in (after / "feed.xml").read_text()


def test_minor_with_guardian_consent_is_published_as_covered_and_no_further(make_project, tmp_path):
    person = _person("tên, câu chuyện", "  guardian: true\n").replace("given_by: Trần Thị Mai", "given_by: Trần Văn Sơn (cha)")
    site = _build(make_project, tmp_path, person)
    assert NAME in (site / "ca-nhan" / SLUG / "index.html").read_text()
    assert NAME in (site / "cau-chuyen" / "tra-vi" / "index.html").read_text()
    assert _photos(site) == []
    # who consented, that a guardian did, and where the paper is filed stay private
    assert _mentioning(site, "Trần Văn Sơn", "Giấy đồng ý số 7") == []
    assert "bốn tốt" not in (site / "ca-nhan" / SLUG / "index.html").read_text()


def test_consent_without_name_publishes_nothing_even_if_other_scopes_are_given(make_project, tmp_path):
    site = _build(make_project, tmp_path, _person("ảnh, đảng viên, câu chuyện"))
    assert _mentioning(site, NAME, SLUG) == [] and _photos(site) == []


# Party membership shown through other records: a party cell as the person's unit is refused
# by model.py; a party body's commendation and a party role are published only with the
# person's «đảng viên» consent.
CELL = {"units/chi-bo-thon-a.yml": "name: Chi bộ thôn A\nkind: chi bộ\nparent: phuong-pho-thanh\n"}


def test_a_party_cell_as_unit_without_membership_consent_is_a_located_error(make_project, tmp_path, caplog):
    person = _person("tên, câu chuyện", photo=False).replace("unit: phuong-pho-thanh", "unit: chi-bo-thon-a")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        _build(make_project, tmp_path, person, extra=CELL)
    messages = [r.getMessage().removeprefix("bulletin: ") for r in caplog.records]
    assert any(m.startswith("data/people/tran-thi-mai.yml:4: unit: «Chi bộ thôn A» là tổ chức đảng") for m in messages), messages


def test_a_party_commendation_reveals_membership_only_with_consent(make_project, tmp_path):
    party = (
        COMMENDATION.replace("form: Giấy khen", "form: Bằng khen")
        .replace("title: Có hành động đẹp trả lại tài sản cho người đánh rơi", "title: Đảng viên hoàn thành xuất sắc nhiệm vụ")
        .replace("issuer: Chủ tịch Ủy ban nhân dân phường Phổ Thạnh", "issuer: Ban Thường vụ Thị ủy Đức Phổ")
        .replace("12/QĐ-UBND", "15-QĐ/TU")
    )
    site = _build(make_project, tmp_path, _person("tên, câu chuyện", photo=False), extra={"commendations/gk-1.yml": party})
    assert [p for p, text in _consenting(site).items() if "Thị ủy" in text or "Đảng viên hoàn thành" in text] == []


def test_a_party_role_reveals_membership_only_with_consent(make_project, tmp_path):
    person = _person("tên, câu chuyện", photo=False).replace("role: Hội viên hội nông dân", "role: Bí thư Chi bộ thôn A")
    site = _build(make_project, tmp_path, person)
    assert [p for p, text in _consenting(site).items() if "Bí thư Chi bộ" in text] == []


# --- Legacy TCVN3 / VNI text ---------------------------------------------------------------
_TONE = {"": 0, "\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # huyền sắc hỏi ngã nặng
_TCVN3 = {  # each vowel with no tone, huyền, sắc, hỏi, ngã, nặng, as TCVN3 (ABC) bytes read as Latin-1
    "a": "aµ¸¶·¹",
    "ă": "¨»¾¼½Æ",
    "â": "©ÇÊÈÉË",
    "e": "eÌÐÎÏÑ",
    "ê": "ªÒÕÓÔÖ",
    "i": "i×ÝØÜÞ",
    "o": "oßãáâä",
    "ô": "«åèæçé",
    "ơ": "¬êíëìî",
    "u": "uïóñòô",
    "ư": "\xadõøö÷ù",
    "y": "yúýûüþ",
}
_TCVN3_CAPITALS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}
_VNI_TONE, _VNI_HAT, _VNI_BREVE, _VNI_I = "øùûõï", "âàáåãä", "êèéúüë", "iìíæóò"


def _shape_and_tone(char: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((m for m in decomposed[1:] if m in _TONE), "")
    return unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else char, _TONE[tone]


def to_tcvn3(text: str) -> str:
    """Unicode Vietnamese as TCVN3 text pasted into a Unicode editor (capitals with a tone
    lose their case, as with the .VnTime fonts)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        shape, tone = _shape_and_tone(char)
        if char in _TCVN3_CAPITALS:
            out.append(_TCVN3_CAPITALS[char])
        elif shape in _TCVN3_CAPITALS and not tone:
            out.append(_TCVN3_CAPITALS[shape])
        elif shape.lower() in _TCVN3 and (tone or not shape.isascii()):
            out.append(_TCVN3[shape.lower()][tone])
        else:
            out.append(char)
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode Vietnamese as VNI text pasted into a Unicode editor: a base letter plus marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        shape, tone = _shape_and_tone(char)
        low, case = shape.lower(), (str.upper if shape.isupper() else str)
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
        elif low in ("â", "ê", "ô"):
            out.append(case({"â": "a", "ê": "e", "ô": "o"}[low] + _VNI_HAT[tone]))
        elif low == "ă":
            out.append(case("a" + _VNI_BREVE[tone]))
        elif low in ("ơ", "ư"):
            out.append(case({"ơ": "ô", "ư": "ö"}[low] + ("", *_VNI_TONE)[tone]))
        elif low == "i":
            out.append(case(_VNI_I[tone]))
        elif low == "y" and tone == 5:
            out.append(case("î"))
        elif low in "aeouy" and tone:
            out.append(case(low + _VNI_TONE[tone - 1]))
        else:
            out.append(char)
    return "".join(out)


def test_the_converters_give_the_well_known_forms():
    assert to_tcvn3("Đảng viên bốn tốt") == "§¶ng viªn bèn tèt"
    assert to_tcvn3("Người tốt việc tốt") == "Ng\xadêi tèt viÖc tèt"
    assert to_vni("Đảng viên bốn tốt") == "Ñaûng vieân boán toát"
    assert to_vni("Xin chào các bạn") == "Xin chaøo caùc baïn"
    assert to_vni("Người") == "Ngöôøi"


SHIPPED = sorted(p for p in (REPO / "data").rglob("*.*") if not p.name.lower().startswith("readme"))


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_every_shipped_record_typed_in_a_legacy_encoding_is_refused_with_its_line(tmp_path, encoding):
    convert = to_tcvn3 if encoding == "TCVN3" else to_vni
    refused = 0
    for source in SHIPPED:
        text = source.read_text(encoding="utf-8")
        legacy = convert(text)
        if legacy == text:
            continue
        path = tmp_path / source.name
        path.write_text(legacy, encoding="utf-8")
        data, _, errors = read_file(path, f"data/{source.parent.name}/{source.name}")
        assert data is None and len(errors) == 1, (source.name, errors)
        error = errors[0]
        assert "văn bản có vẻ gõ bằng bảng mã" in error.message and "hãy chuyển sang Unicode" in error.message, error
        line = legacy.splitlines()[error.line - 1]
        assert convert(source.read_text().splitlines()[error.line - 1]) == line and not line.isascii(), (
            error
        )  # the line shown is a converted one
        refused += 1
    assert refused > 100


def test_no_unicode_text_of_the_project_is_taken_for_a_legacy_encoding():
    _records, errors = load_records(REPO)
    assert not [e for e in errors if "bảng mã" in e.message]
    texts = [
        REPO / "README.md",
        *(REPO / "docs").rglob("*.md"),
        *(REPO / "content").rglob("*.md"),
        *(REPO / "bulletin" / "templates").glob("*.j2"),
    ]
    lines = [line for path in texts for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 500
    assert [line for line in lines if legacy_encoding(line)] == []
    for word in ("Müller", "Peña", "café", "«Phường Phổ Thạnh»", "© 2025", "5µm", "3×4", "Windows®", "§ 5", "Đ/c Hà"):
        assert legacy_encoding(word) is None, word


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Giấy khen", None),
        ("GiÊy khen", "TCVN3"),  # a capital inside a word
        ("B»ng khen", "TCVN3"),
        ("s¬ kÕt", "TCVN3"),
        ("chi bé bèn tèt", "TCVN3"),  # "tèt": huyền on a syllable ending in t is no Vietnamese
        ("1296-QÑ/TU", "VNI"),
        ("Baèng khen", "VNI"),
        ("Ngöôøi toát", "VNI"),
    ],
)
def test_short_values_are_recognised(text, encoding):
    assert legacy_encoding(text) == encoding


def test_a_record_whose_values_look_real_one_by_one_is_still_refused(tmp_path):
    """ "Hå" and "Ngäc" (Hồ, Ngọc) could each be a foreign name; together they are TCVN3."""
    path = tmp_path / "ho-ngoc.yml"
    path.write_text("family_name: Hå\nmiddle_name: Thị\ngiven_name: Ngäc\nunit: x\n", encoding="utf-8")
    _, _, errors = read_file(path, "data/people/ho-ngoc.yml")
    assert [str(e) for e in errors] == [
        "data/people/ho-ngoc.yml:1: văn bản có vẻ gõ bằng bảng mã TCVN3/VNI cũ («family_name: Hå»); "
        "hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi dán lại"
    ]


# --- Hostile input -------------------------------------------------------------------------
def _laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "billion-laughs": (_laughs().encode(), "quá nhiều bí danh"),
    "deep-flow": (("title: " + "[" * 5000 + "]" * 5000).encode(), "lồng quá sâu"),
    "deep-block": ("".join(" " * i + "- \n" for i in range(600)).encode(), "lồng quá sâu"),
    "huge": (b"title: " + b"a" * 1_100_000, "tệp quá lớn"),
    "binary": (bytes(range(256)) * 40, "tệp nhị phân"),
    "cp1258": ("title: Đảng viên gương mẫu\n".encode("cp1258", errors="replace"), "không phải UTF-8"),
    "latin-1": ("title: Phổ\n".encode()[:-2] + b"\xf4\n", "không phải UTF-8"),
    "utf-16": ("title: Đảng viên\n".encode("utf-16"), "không phải UTF-8"),
    "tab-indent": (b"tags:\n\t- a\n", "phím Tab"),
    "duplicate-key": (b"title: a\nsummary: b\ntitle: c\n", "khóa «title» bị lặp"),
    "python-tag": (b"title: !!python/object/apply:os.system [ls]\n", "thẻ YAML"),
    "many-keys": ("".join(f"k{i}: v\n" for i in range(120_000)).encode()[:990_000].rsplit(b"\n", 1)[0], None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_located_errors_in_bounded_time_and_memory(tmp_path, name):
    content, expected = HOSTILE[name]
    path = tmp_path / "hostile.yml"
    path.write_bytes(content)
    tracemalloc.start()
    started = time.perf_counter()
    data, _, errors = read_file(path, "data/stories/hostile.yml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 30 and peak < 150_000_000, (elapsed, peak)  # bounded, on a shared, noisy machine
    if expected is None:  # parsed, and then a plain record error: too many unknown fields
        assert data is not None or errors
        return
    assert data is None and errors and all(e.line >= 1 and e.path == "data/stories/hostile.yml" for e in errors)
    assert expected in errors[0].message, errors


def test_nfd_text_bom_and_look_alike_letters_are_normalised(tmp_path):
    path = tmp_path / "nfd.yml"
    path.write_bytes("\ufefftitle: \u0110a\u0309ng vie\u0302n \u00d0\u00f4\r\nsummary: x\r\n".encode())
    data, _, errors = read_file(path, "data/stories/nfd.yml")
    assert errors == [] and data["title"] == "Đảng viên Đô" and unicodedata.is_normalized("NFC", data["title"])


def test_a_control_character_is_a_vietnamese_error_on_its_line(tmp_path):
    path = tmp_path / "bell.yml"
    path.write_bytes(b"title: x\nsummary: a\x07b\n")
    _, _, errors = read_file(path, "data/stories/bell.yml")
    assert errors and errors[0].line == 2 and "character" not in errors[0].message


# --- Atomic builds -------------------------------------------------------------------------
def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's content hash and modification time: byte for byte, and not rewritten."""
    return {
        p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cli_build(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", "build", str(project)], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def published(make_project):
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY})
    first = _cli_build(project)
    assert first.returncode == 0, first.stderr
    return project


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (("people/tran-thi-mai.yml", "year: 2024", "year: 2O24"), "data/people/tran-thi-mai.yml:7: honours[0].year"),
        (
            ("stories/tra-vi.md", "summary: Nhặt được", "summary: Gọi 0905.123.456. Nhặt được"),
            "có số điện thoại «0905.123.456» (từ data/stories/tra-vi.md:5)",
        ),
        (("stories/tra-vi.md", "chợ Sa Huỳnh.", 'chợ Sa Huỳnh. <a href="../khong-co/">x</a>'), "liên kết hỏng «../khong-co/»"),
    ],
)
def test_a_failed_build_leaves_the_published_site_byte_for_byte(published, breakage, message):
    site = published / "site"
    before = _tree(site)
    assert len(before) > 50
    record, old, new = breakage
    path = published / "data" / record
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = _cli_build(published)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "trang cũ (nếu có) được giữ nguyên" in result.stderr
    assert _tree(site) == before
    assert sorted(p.name for p in published.iterdir() if p.name.startswith(".site")) == []  # no staging left


def test_a_build_stopped_between_the_two_renames_gets_the_site_back(published):
    site = published / "site"
    before = _tree(site)
    site.rename(published / ".site.old")  # as if the process died right after the first rename
    result = _cli_build(published)
    assert result.returncode == 0, result.stderr
    assert set(_tree(site)) == set(before) and not (published / ".site.old").exists()
