"""Loader: every class of bad input gives its located Vietnamese error (golden cases in
tests/cases/*.yml: a record file and the exact error lines it must produce)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from bulletin.loader import MAX_FILE_BYTES, load_records

CASES = sorted((Path(__file__).parent / "cases").glob("*.yml"))


def _write(root: Path, relative: str, content: str | bytes) -> None:
    path = root / "data" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def _errors(root: Path) -> list[str]:
    return sorted(str(e) for e in load_records(root)[1])


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_case(case, tmp_path):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    _write(tmp_path, f"{spec['collection']}/{spec['id']}{spec.get('suffix', '.yml')}", spec["file"])
    assert _errors(tmp_path) == sorted(spec["errors"])


def test_two_broken_files_give_both_errors_and_a_valid_third_still_loads(tmp_path):
    _write(tmp_path, "units/a.yml", "name: A\nkind: phường\nvalid_to: hôm qua\n")
    _write(tmp_path, "units/b.yml", "name: B\nkinf: xã\n")
    _write(tmp_path, "units/c.yml", "name: Phường C\nkind: phường\n")
    records, errors = load_records(tmp_path)
    assert [r.record.id for r in records] == ["c"]
    assert {(e.path, e.line, e.field) for e in errors} == {
        ("data/units/a.yml", 3, "valid_to"),
        ("data/units/b.yml", 1, "kind"),
        ("data/units/b.yml", 2, "kinf"),
    }


def test_non_utf8_binary_and_oversize_files_are_reported_not_read(tmp_path):
    _write(tmp_path, "units/latin.yml", "name: Phường A\nkind: ph\u01b0\u1eddng\n".encode("utf-8") + b"note: \xe1\n")
    _write(tmp_path, "units/binary.yml", b"\x89PNG\x00\x00junk")
    _write(tmp_path, "units/huge.yml", b"note: " + b"a" * (MAX_FILE_BYTES + 1))
    assert _errors(tmp_path) == [
        "data/units/binary.yml:1: tệp nhị phân, không phải văn bản",
        "data/units/huge.yml:1: tệp quá lớn (1,000,007 byte); tối đa 1 MB",
        "data/units/latin.yml:3: tệp không phải UTF-8 (có thể lưu từ phần mềm cũ hoặc bảng mã TCVN3/VNI); hãy mở và lưu lại dạng UTF-8",
    ]


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    _write(tmp_path, "units/deep.yml", "name: " + "[" * 5000 + "]" * 5000 + "\n")
    _write(tmp_path, "units/deep2.yml", "".join(f"{'  ' * i}k{i}:\n" for i in range(200)))
    errors = _errors(tmp_path)
    assert len(errors) == 2 and all(e.startswith(("data/units/deep.yml:1:", "data/units/deep2.yml:")) for e in errors)


def test_files_outside_collections_and_other_extensions_are_reported(tmp_path):
    _write(tmp_path, "stray.yml", "name: x\n")
    _write(tmp_path, "unknown/x.yml", "name: x\n")
    _write(tmp_path, "units/notes.txt", "ghi chú\n")
    errors = _errors(tmp_path)
    assert errors[0].startswith("data/stray.yml:1: tệp nằm ngoài các thư mục hồ sơ: campaigns, units,")
    assert errors[1] == "data/units/notes.txt:1: chỉ nhận tệp .yml hoặc .md"
    assert errors[2].startswith("data/unknown/x.yml:1: tệp nằm ngoài các thư mục hồ sơ")


def test_same_id_as_yml_and_md_is_a_duplicate(tmp_path):
    _write(tmp_path, "units/phuong-a.md", "---\nname: Phường A\nkind: phường\n---\n")
    _write(tmp_path, "units/phuong-a.yml", "name: Phường A\nkind: phường\n")
    errors = _errors(tmp_path)
    assert "data/units/phuong-a.yml:1: trùng mã «phuong-a» với data/units/phuong-a.md" in errors


def test_text_is_normalised_to_nfc_with_the_eth_lookalike_fixed(tmp_path):
    nfd = unicodedata.normalize("NFD", "Phường Phổ Thạnh")
    _write(tmp_path, "units/a.yml", f"name: {nfd}\nkind: phường\nnote: \u00d0ảng bộ\n")
    records, errors = load_records(tmp_path)
    assert errors == []
    assert records[0].record.name == "Phường Phổ Thạnh" and records[0].record.note == "Đảng bộ"


def test_bom_crlf_tabs_and_vietnamese_dates_load(tmp_path):
    _write(tmp_path, "units/a.yml", b"\xef\xbb\xbfname: Ph\xc6\xb0\xe1\xbb\x9dng A\r\nkind: ph\xc6\xb0\xe1\xbb\x9dng\r\nvalid_to: 1/7/2025\r\nnote: \"c\xc3\xb3\ttab\"\r\n")
    records, errors = load_records(tmp_path)
    assert errors == []
    assert str(records[0].record.valid_to) == "2025-07-01" and records[0].record.note == "có\ttab"


def test_yaml_12_booleans_keep_no_and_on_as_text(tmp_path):
    _write(tmp_path, "units/a.yml", "name: no\nkind: phường\nnote: on\n")
    records, errors = load_records(tmp_path)
    assert errors == [] and records[0].record.name == "no" and records[0].record.note == "on"


def test_markdown_body_lands_in_body_with_its_line(tmp_path):
    _write(tmp_path, "stories/a.md", "---\ntitle: T\ndate: 2024-10-02\nauthor: A\nsummary: S\n---\n\nDòng đầu.\n")
    records, errors = load_records(tmp_path)
    assert errors == []
    assert records[0].record.body == "Dòng đầu."
    assert records[0].positions.line_of(("body",)) == 7


def test_messages_are_vietnamese_without_python_internals(tmp_path):
    for case in CASES:
        spec = yaml.safe_load(case.read_text(encoding="utf-8"))
        for line in spec["errors"]:
            assert "Input should" not in line and "Traceback" not in line and "Field required" not in line
