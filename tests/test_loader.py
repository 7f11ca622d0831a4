"""Loader: every class of bad input gives its located Vietnamese error, and good input loads.

Golden cases live in tests/cases/*.yml, one record file each:

    collection: people           # folder under data/
    id: nguyen-van-a             # file name without suffix
    suffix: .md                  # optional, default .yml
    encoding: cp1258             # optional, default utf-8: how ``file`` is written to disk
    file: |                      # the record text
      ...
    errors:                      # the exact str(LocatedError) lines, in any order
      - 'data/people/nguyen-van-a.yml:2: given_nme: ...'
    xfail: why                   # optional: a known loader bug; the case states the fix

Tests here pin the file, the line and the field path of every error, and never need MkDocs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from bulletin.errors import format_loc
from bulletin.loader import MAX_FILE_BYTES, load_records, read_file
from bulletin.schema import COLLECTIONS

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(CASES_DIR.glob("*.yml"))
STORY_HEAD = "---\ntitle: Tiêu đề\ndate: 2024-10-02\nauthor: Ban Tuyên giáo\nsummary: Tóm tắt\n---\n"
STORY_YML = "title: Tiêu đề\ndate: 2024-10-02\nauthor: Ban Tuyên giáo\nsummary: Tóm tắt\nbody: Nội dung.\n"
UNIT = "name: Phường A\nkind: phường\n"
PERSON = "family_name: Nguyễn\ngiven_name: An\nunit: phuong-a\n"

# pydantic's and Python's own English, which must never reach an editor.
ENGLISH = re.compile(
    r"Input should|Field required|Extra inputs|validation error|Value error|Traceback|"
    r"pydantic|errors\.pydantic|\[type=|input_value|Exceeds the limit|sys\.|Error\b"
)
# libyaml's problem texts ("did not find expected key", "found character that cannot start
# any token", ...): English, and meaningless to an editor.
LIBYAML_ENGLISH = re.compile(r"\b(?:found|expected|could not|did not|not allowed|stream|token|tag:yaml)\b")


def _write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / "data" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _errors(root: Path) -> list[str]:
    return sorted(str(e) for e in load_records(root)[1])


def _where(root: Path) -> list[tuple[str, int, str]]:
    return sorted((e.path, e.line, e.field) for e in load_records(root)[1])


def _load_one(root: Path):
    records, errors = load_records(root)
    assert [str(e) for e in errors] == []
    assert len(records) == 1
    return records[0]


# --- Golden cases ---------------------------------------------------------------------------
def _spec(case: Path) -> dict:
    return yaml.safe_load(case.read_text(encoding="utf-8"))


def _case_param(case: Path):
    reason = _spec(case).get("xfail")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.stem, marks=marks)


def _write_case(root: Path, spec: dict) -> None:
    relative = f"{spec['collection']}/{spec['id']}{spec.get('suffix', '.yml')}"
    _write(root, relative, spec["file"].encode(spec.get("encoding", "utf-8")))


def test_golden_cases_are_well_formed():
    assert len(CASES) >= 40
    for case in CASES:
        spec = _spec(case)
        assert set(spec) <= {"collection", "id", "suffix", "encoding", "file", "errors", "xfail"}, case.name
        assert isinstance(spec["file"], str) and isinstance(spec["errors"], list), case.name


@pytest.mark.parametrize("case", [_case_param(c) for c in CASES])
def test_golden_case(case, tmp_path):
    spec = _spec(case)
    _write_case(tmp_path, spec)
    assert _errors(tmp_path) == sorted(spec["errors"])


# --- Several files in one run ---------------------------------------------------------------
def test_two_broken_files_give_both_errors_and_a_valid_third_still_loads(tmp_path):
    _write(tmp_path, "units/a.yml", "name: Phường A\nkind: phường\nvalid_to: hôm qua\n")
    _write(tmp_path, "people/b.yml", "family_name: Nguyễn\ngiven_nme: An\nunit: phuong-a\n")
    _write(tmp_path, "units/c.yml", "name: Phường C\nkind: phường\n")
    records, errors = load_records(tmp_path)
    assert [(r.collection, r.record.id, r.path) for r in records] == [("units", "c", "data/units/c.yml")]
    assert sorted(str(e) for e in errors) == [
        "data/people/b.yml:1: given_name: thiếu trường bắt buộc",
        "data/people/b.yml:2: given_nme: trường lạ, không có trong loại hồ sơ này. Có phải ý bạn là «given_name»?",
        'data/units/a.yml:3: valid_to: cần một ngày dạng 2024-06-28 hoặc 28/6/2024, nhận được "hôm qua"',
    ]


def test_every_bad_file_is_reported_in_one_run(tmp_path):
    """One run reports a syntax error, a decoding error and a schema error side by side."""
    _write(tmp_path, "units/a.yml", 'name: "Phường A\nkind: phường\n')
    _write(tmp_path, "units/b.yml", b"name: Ph\xfd\xf5ng B\nkind: ph\xfd\xf5ng\n")
    _write(tmp_path, "units/c.yml", "name: Phường C\nkind: phuong\n")
    _write(tmp_path, "units/d.yml", UNIT)
    records, errors = load_records(tmp_path)
    assert [r.record.id for r in records] == ["d"]
    assert sorted((e.path, e.line, e.field) for e in errors) == [
        ("data/units/a.yml", 1, ""),
        ("data/units/b.yml", 1, ""),
        ("data/units/c.yml", 2, "kind"),
    ]


# --- Files that are not read ----------------------------------------------------------------
def test_oversize_file_is_reported_not_parsed_in_vietnamese_number_format(tmp_path):
    _write(tmp_path, "units/huge.yml", b"note: " + b"a" * (MAX_FILE_BYTES + 1))
    assert _errors(tmp_path) == ["data/units/huge.yml:1: tệp quá lớn (1.000.007 byte); tối đa 1 MB"]


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    text = UNIT + "note: "
    _write(tmp_path, "units/a.yml", (text + "a" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n").encode())
    assert _load_one(tmp_path).record.note.startswith("aaa")


def test_non_utf8_error_points_at_the_line_of_the_first_bad_byte(tmp_path):
    _write(tmp_path, "units/crlf.yml", b"name: A\r\nkind: phuong\r\nnote: caf\xe9\r\n")
    _write(tmp_path, "units/lf.yml", b"name: A\nkind: phuong\nnote: ok\nrole: caf\xe9\n")
    assert _where(tmp_path) == [("data/units/crlf.yml", 3, ""), ("data/units/lf.yml", 4, "")]


def test_nul_byte_in_otherwise_valid_text_is_binary(tmp_path):
    _write(tmp_path, "units/a.yml", UNIT.encode() + b"note: a\x00b\n")
    assert _errors(tmp_path) == ["data/units/a.yml:1: tệp nhị phân, không phải văn bản"]


def test_stray_file_at_data_root_and_nested_folders_are_outside_collections(tmp_path):
    _write(tmp_path, "stray.yml", UNIT)
    _write(tmp_path, "units/old/phuong-a.yml", UNIT)
    known = "campaigns, units, criteria, people, honours, stories, models, projects, indicators, commendations"
    assert _errors(tmp_path) == [
        f"data/stray.yml:1: tệp nằm ngoài các thư mục hồ sơ: {known}",
        f"data/units/old/phuong-a.yml:1: tệp nằm ngoài các thư mục hồ sơ: {known}",
    ]


def test_readme_and_hidden_files_are_skipped(tmp_path):
    _write(tmp_path, "README.md", "# Dữ liệu\n")
    _write(tmp_path, "units/README.md", "# Đơn vị\n")
    _write(tmp_path, "units/.phuong-a.yml.swp", b"\x00\x01")
    _write(tmp_path, ".git/x.yml", "junk: [")
    _write(tmp_path, "units/phuong-a.yml", UNIT)
    assert _load_one(tmp_path).record.id == "phuong-a"


def test_missing_data_folder_is_one_error(tmp_path):
    assert _errors(tmp_path) == ["data:1: không thấy thư mục data/"]


# --- Ids --------------------------------------------------------------------------------------
def test_same_id_as_yml_and_md_is_one_error_naming_both_files(tmp_path):
    _write(tmp_path, "stories/cau-chuyen.md", STORY_HEAD + "Nội dung.\n")
    _write(tmp_path, "stories/cau-chuyen.yml", STORY_YML)
    records, errors = load_records(tmp_path)
    assert [str(e) for e in errors] == ["data/stories/cau-chuyen.yml:1: trùng mã «cau-chuyen» với data/stories/cau-chuyen.md"]
    assert [r.path for r in records] == ["data/stories/cau-chuyen.md"]


def test_same_id_as_yml_and_yaml_is_a_duplicate(tmp_path):
    _write(tmp_path, "units/phuong-a.yaml", UNIT)
    _write(tmp_path, "units/phuong-a.yml", UNIT)
    assert _errors(tmp_path) == ["data/units/phuong-a.yml:1: trùng mã «phuong-a» với data/units/phuong-a.yaml"]


def test_same_id_in_two_collections_is_not_a_duplicate(tmp_path):
    _write(tmp_path, "units/a.yml", UNIT)
    _write(tmp_path, "people/a.yml", PERSON)
    records, errors = load_records(tmp_path)
    assert errors == [] and sorted(r.collection for r in records) == ["people", "units"]


@pytest.mark.parametrize("name", ["Phuong-A", "phường-a", "phuong_a", "-phuong", "phuong--a", "trang-2", "trang-10"])
def test_bad_file_names_are_errors_and_the_record_is_not_kept(tmp_path, name):
    _write(tmp_path, f"units/{name}.yml", UNIT)
    records, errors = load_records(tmp_path)
    assert records == []
    assert [(e.path, e.line, e.field) for e in errors] == [(f"data/units/{name}.yml", 1, "")]


@pytest.mark.parametrize("name", ["trang", "trang-a", "trang-2a", "2024", "phuong-1"])
def test_names_near_the_reserved_pattern_are_allowed(tmp_path, name):
    _write(tmp_path, f"units/{name}.yml", UNIT)
    assert _load_one(tmp_path).record.id == name


# --- Text that loads --------------------------------------------------------------------------
def test_nfd_text_comes_out_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Phường Phổ Thạnh")
    assert nfd != "Phường Phổ Thạnh"
    _write(tmp_path, "units/a.yml", f"name: {nfd}\nkind: {unicodedata.normalize('NFD', 'phường')}\n")
    record = _load_one(tmp_path).record
    assert record.name == "Phường Phổ Thạnh" and record.kind == "phường"


def test_nfd_keys_and_markdown_body_come_out_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Người tốt việc tốt ở Phổ Thạnh.")
    _write(tmp_path, "stories/a.md", STORY_HEAD + nfd + "\n")
    assert _load_one(tmp_path).record.body == "Người tốt việc tốt ở Phổ Thạnh."


def test_eth_lookalike_becomes_vietnamese_d_with_stroke(tmp_path):
    _write(tmp_path, "units/a.yml", "name: \u00d0ảng bộ Phổ Thạnh\nkind: \u00f0ảng bộ\nnote: \u00f0ường\n")
    record = _load_one(tmp_path).record
    assert record.name == "\u0110ảng bộ Phổ Thạnh" and record.note == "\u0111ường"
    assert record.kind == "đảng bộ"  # the choice matches once ð is fixed


def test_bom_and_crlf_yml_loads_with_right_lines(tmp_path):
    text = '\ufeffname: Phường A\r\nkind: phường\r\nvalid_to: 28/6/2024\r\nnote: "có\ttab"\r\n'
    _write(tmp_path, "units/a.yml", text.encode("utf-8"))
    loaded = _load_one(tmp_path)
    assert loaded.record.valid_to == date(2024, 6, 28) and loaded.record.note == "có\ttab"
    assert loaded.positions.line_of(("valid_to",)) == 3


def test_bom_and_crlf_md_loads_with_body_line(tmp_path):
    text = "\ufeff" + (STORY_HEAD + "Dòng một.\n\nDòng hai.\n").replace("\n", "\r\n")
    _write(tmp_path, "stories/a.md", text.encode("utf-8"))
    loaded = _load_one(tmp_path)
    assert loaded.record.body == "Dòng một.\n\nDòng hai."
    assert loaded.positions.line_of(("body",)) == 7
    assert loaded.positions.line_of(("summary",)) == 5


def test_bom_and_crlf_errors_keep_their_lines(tmp_path):
    _write(tmp_path, "units/a.yml", "\ufeffname: Phường A\r\nkind: phường\r\n\r\nvalid_to: mai\r\n".encode())
    assert _where(tmp_path) == [("data/units/a.yml", 4, "valid_to")]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("28/6/2024", date(2024, 6, 28)),
        ("28/06/2024", date(2024, 6, 28)),
        ("1/7/2025", date(2025, 7, 1)),
        (" 29/2/2024 ", date(2024, 2, 29)),
        ("2024-06-28", date(2024, 6, 28)),
        ("'2024-06-28'", date(2024, 6, 28)),
    ],
)
def test_dates_in_both_forms_parse(tmp_path, written, expected):
    _write(tmp_path, "units/a.yml", f"{UNIT}valid_from: {written}\n")
    assert _load_one(tmp_path).record.valid_from == expected


def test_yaml_12_booleans_keep_no_and_on_as_text(tmp_path):
    _write(tmp_path, "units/a.yml", "name: no\nkind: phường\nnote: on\ndraft: false\n")
    record = _load_one(tmp_path).record
    assert (record.name, record.note, record.draft) == ("no", "on", False)


# --- Markdown records -------------------------------------------------------------------------
def test_markdown_body_lands_in_body_with_its_line(tmp_path):
    _write(tmp_path, "stories/a.md", STORY_HEAD + "Dòng đầu.\n\n## Mục\n\nDòng cuối.\n\n")
    loaded = _load_one(tmp_path)
    assert loaded.record.body == "Dòng đầu.\n\n## Mục\n\nDòng cuối."
    assert loaded.positions.line_of(("body",)) == 7
    assert loaded.positions.line_of(("title",)) == 2


def test_markdown_body_line_is_the_line_of_its_first_text(tmp_path):
    _write(tmp_path, "stories/a.md", STORY_HEAD + "\n\nDòng đầu.\n")
    loaded = _load_one(tmp_path)
    assert loaded.record.body == "Dòng đầu."
    assert loaded.positions.line_of(("body",)) == 9


def test_markdown_front_matter_may_end_with_three_dots(tmp_path):
    _write(tmp_path, "stories/a.md", STORY_HEAD[: -len("---\n")] + "...\nNội dung.\n")
    assert _load_one(tmp_path).record.body == "Nội dung."


def test_empty_front_matter_reports_every_missing_field(tmp_path):
    _write(tmp_path, "stories/a.md", "---\n---\nNội dung.\n")
    assert _where(tmp_path) == [("data/stories/a.md", 2, f) for f in ("author", "date", "summary", "title")]


def test_markdown_front_matter_that_is_not_a_mapping(tmp_path):
    _write(tmp_path, "stories/a.md", "---\n- Tiêu đề\n---\nNội dung.\n")
    assert _errors(tmp_path) == ["data/stories/a.md:1: hồ sơ cần là một nhóm trường «tên: giá trị»"]


# --- YAML syntax: the line an editor has to fix -------------------------------------------------
SYNTAX_LINES = {
    # The value of photo: is indented by four, then alt: by two.
    "dedent-inside-group": (PERSON + "photo:\n    file: images/an.jpg\n  alt: Ảnh anh An\n", 6),
    # A list item's second key is one space short of the first.
    "misindented-list-item-key": (PERSON + "honours:\n  - year: 2024\n   title: người tốt việc tốt\n", 6),
    # A key indented as if it belonged to the list item above it.
    "key-at-list-indent": (PERSON + "honours:\n  - year: 2024\n    title: người tốt việc tốt\n  role: Bí thư\n", 7),
    # Text after the closing quote.
    "text-after-quote": (PERSON + 'role: "Bí thư" chi bộ\n', 4),
    # A .yml written like a .md front matter: the second --- starts another document.
    "second-document": ("---\n" + PERSON + "---\n", 5),
}
SYNTAX_LINES_FIXED = {
    "unclosed-double-quote": (PERSON + 'role: "Bí thư\nphoto:\n  file: a.jpg\n  alt: Ảnh\n', 4),
    "unclosed-single-quote": (PERSON + "role: 'Bí thư\nnote: x\n", 4),
    "missing-colon": ("family_name: Nguyễn\ngiven_name An\nunit: phuong-a\n", 2),
    "indented-key": (PERSON + "role: Bí thư\n  note: x\n", 5),
    "unclosed-bracket": (PERSON + "honours: [a, b\nrole: x\n", 4),
    "tab-indent": (PERSON + "photo:\n\tfile: a.jpg\n", 5),
    "leading-space": (" family_name: Nguyễn\ngiven_name: An\n", 2),
}


@pytest.mark.parametrize("text, line", SYNTAX_LINES_FIXED.values(), ids=SYNTAX_LINES_FIXED.keys())
def test_syntax_error_points_at_the_line_to_fix(tmp_path, text, line):
    _write(tmp_path, "people/a.yml", text)
    assert _where(tmp_path) == [("data/people/a.yml", line, "")]


@pytest.mark.parametrize("text, line", SYNTAX_LINES.values(), ids=SYNTAX_LINES.keys())
def test_block_syntax_error_points_at_the_misindented_line(tmp_path, text, line):
    _write(tmp_path, "people/a.yml", text)
    assert _where(tmp_path) == [("data/people/a.yml", line, "")]


def test_syntax_error_in_front_matter_counts_lines_from_the_top_of_the_md_file(tmp_path):
    _write(tmp_path, "stories/a.md", "---\ntitle: Tiêu đề\nauthor: 'Ban\n---\nNội dung.\n")
    assert _where(tmp_path) == [("data/stories/a.md", 3, "")]


@pytest.mark.parametrize(
    "text",
    [*(t for t, _ in SYNTAX_LINES_FIXED.values()), *(t for t, _ in SYNTAX_LINES.values())],
    ids=[*SYNTAX_LINES_FIXED, *SYNTAX_LINES],
)
def test_syntax_errors_are_worded_in_vietnamese(tmp_path, text):
    _write(tmp_path, "people/a.yml", text)
    (message,) = [e.message for e in load_records(tmp_path)[1]]
    assert message.startswith("lỗi cú pháp YAML") and not LIBYAML_ENGLISH.search(message), message


def test_deep_flow_nesting_gives_the_nesting_message(tmp_path):
    _write(tmp_path, "units/a.yml", "name: " + "[" * 5000 + "]" * 5000 + "\n")
    assert _errors(tmp_path) == ["data/units/a.yml:1: dữ liệu lồng quá sâu hoặc quá nhiều bí danh (&, *)"]


def test_deep_flow_nesting_is_an_error_not_a_crash(tmp_path):
    _write(tmp_path, "units/a.yml", "name: " + "[" * 5000 + "]" * 5000 + "\n")
    _write(tmp_path, "units/b.yml", UNIT)
    records, errors = load_records(tmp_path)
    assert [r.record.id for r in records] == ["b"]
    assert [(e.path, e.line, e.field) for e in errors] == [("data/units/a.yml", 1, "")]


# --- No Python or English leaks into messages -------------------------------------------------
# Bad input for every kind of error the schema can raise, one file each; each must give at
# least one error, and every message must be Vietnamese.
BAD_INPUT = {
    "units/missing.yml": "kind: phường\n",
    "units/extra.yml": UNIT + "nam: x\n",
    "units/string-type.yml": "name: [a]\nkind: phường\n",
    "units/string-too-short.yml": "name: '  '\nkind: phường\n",
    "units/literal.yml": "name: A\nkind: huyện\n",
    "units/bool.yml": UNIT + "draft: có lẽ\n",
    "units/date-parsing.yml": UNIT + "valid_from: mai\n",
    "units/date-invalid.yml": UNIT + "valid_from: 30/2/2024\n",
    "units/date-inexact.yml": UNIT + "valid_from: 2024-06-28 10:00\n",
    "units/range.yml": UNIT + "valid_from: 2/1/2024\nvalid_to: 1/1/2024\n",
    "units/list-type.yml": UNIT + "successors: phuong-b\n",
    "units/model-type.yml": UNIT + "change_basis: Quyết định 1\n",
    "stories/too-long.yml": "title: T\ndate: 2024-10-02\nauthor: A\nbody: B\nsummary: " + "x" * 401 + "\n",
    "honours/year.yml": "unit: u\nyear: 2O24\ntitle: chi bộ bốn tốt\ncriteria_set: c\ncriteria_met: []\n",
    "honours/year-range.yml": "unit: u\nyear: 1900\ntitle: chi bộ bốn tốt\ncriteria_set: c\ncriteria_met: [a]\n",
    "projects/numbers.yml": "title: T\nsummary: S\nlocation: L\nstatus: chuẩn bị\nbudget_billion_vnd: -1\n"
    "progress:\n  - date: 2/1/2025\n    percent: năm\n  - date: 1/1/2025\n    percent: 101\n",
    "projects/order.yml": "title: T\nsummary: S\nlocation: L\nstatus: chuẩn bị\n"
    "progress:\n  - {date: 2/1/2025, percent: 5}\n  - {date: 1/1/2025, percent: 6}\n",
    "campaigns/month.yml": "plan: {issuer: x}\nshort_title: a\ntitle: t\nsigner: s\ntheme: t\nslogans: []\n"
    "phases:\n  - {name: n, start: 9/2026, end: 13/2025, goals: [g]}\n  - {name: n, start: 9/2026, end: 1/2025, goals: [g]}\n",
    "indicators/duplicate.yml": "title: T\nunit: u\nsource: s\nbaseline: {year: 2024, value: -2}\n"
    "targets: [{year: 2025, value: 1}, {year: 2025, value: 2}]\n",
    "commendations/recipient.yml": "form: Giấy khen\ntitle: T\nissuer: I\ndecision_number: 1/QĐ\n"
    "decision_date: 1/1/2024\nreason: R\nrecipients: [{person: a, unit: b}]\n",
    "units/python-tag.yml": "name: !!python/object/apply:os.system [x]\nkind: phường\n",
    "units/not-mapping.yml": "- a\n",
    "units/duplicate-key.yml": UNIT + "name: B\n",
    "units/legacy.yml": "name: Ph­êng Phæ Th¹nh\nkind: phường\n",
    "stories/no-front-matter.md": "# Tiêu đề\n",
    "honours/body.md": "---\nunit: u\n---\nx\n",
    "units/binary.yml": b"\x00\x01",
    "units/latin1.yml": b"name: caf\xe9\n",
    "units/alias-bomb.yml": "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
}


def test_bad_input_never_raises_and_messages_are_vietnamese(tmp_path):
    for relative, content in BAD_INPUT.items():
        _write(tmp_path, relative, content)
    records, errors = load_records(tmp_path)
    assert records == []
    reported = {e.path for e in errors}
    assert reported == {f"data/{relative}" for relative in BAD_INPUT}
    for error in errors:
        assert not ENGLISH.search(error.message), str(error)
        assert re.search(r"[^\x00-\x7f]", error.message), str(error)  # Vietnamese has diacritics
        assert "\n" not in str(error) and error.line >= 1 and not error.path.startswith("/")


def test_golden_error_lines_are_vietnamese(tmp_path):
    """The golden files themselves must not pin English pydantic or Python text."""
    for case in CASES:
        for line in _spec(case)["errors"]:
            assert not ENGLISH.search(line), f"{case.name}: {line}"


def test_a_value_python_cannot_build_stays_text_for_the_schema(tmp_path):
    # A 5,000-digit "number" cannot become an int; kept as written, it is fine as a note.
    _write(tmp_path, "units/a.yml", UNIT + "note: " + "1" * 5000 + "\n")
    assert _load_one(tmp_path).record.note == "1" * 5000


def test_merge_key_is_refused_in_vietnamese(tmp_path):
    _write(tmp_path, "units/a.yml", "base: &b {name: A}\n<<: *b\nkind: phường\n")
    (error,) = load_records(tmp_path)[1]
    assert (error.path, error.line) == ("data/units/a.yml", 2)
    assert not LIBYAML_ENGLISH.search(error.message), error.message


# --- Legacy encodings in every text field of every record type -----------------------------
def _text_fields(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """The loc of every free-text field, nested parts and list items included (a list's
    first item), as the schema says: str values that are not ids, references or choices."""
    from bulletin.fields import field_shape, ref_target

    found = []
    for name, info in model.model_fields.items():
        shape = field_shape(info)
        loc = (*prefix, name, 0) if shape.base is list else (*prefix, name)
        values = shape.values
        if (nested := shape.model()) is not None:
            found += _text_fields(nested, loc)
        elif values.base is str and not ref_target(values) and not values.constraint("pattern"):
            found.append(loc)
    return found


def _nest(loc: tuple, value) -> dict:
    """{'a': [{'b': value}]} for ('a', 0, 'b')."""
    for part in reversed(loc):
        value = [value] if isinstance(part, int) else {part: value}
    return value


WORDS = "Người tốt việc tốt"
LEGACY = {"TCVN3": "Ng\xadêi tèt viÖc tèt", "VNI": "Ngöôøi toát vieäc toát"}


def test_the_legacy_samples_are_real_conversions():
    from test_trust import to_tcvn3, to_vni

    assert to_tcvn3(WORDS) == LEGACY["TCVN3"] and to_vni(WORDS) == LEGACY["VNI"]
    assert to_tcvn3(WORDS.lower()) == "ng\xadêi tèt viÖc tèt" and to_vni(WORDS.lower()) == "ngöôøi toát vieäc toát"


TEXT_FIELDS = [(name, loc) for name, c in sorted(COLLECTIONS.items()) for loc in _text_fields(c.model) if loc != ("body",)]


def test_the_walk_finds_the_text_fields_of_every_record_type():
    assert {name for name, _ in TEXT_FIELDS} == set(COLLECTIONS)
    locs = {format_loc(loc) for _, loc in TEXT_FIELDS}
    assert {"tags[0]", "title", "family_name", "given_name", "recipients[0].household", "photo.alt", "honours[0].note"} <= locs
    assert len(TEXT_FIELDS) > 60


@pytest.mark.parametrize("encoding", sorted(LEGACY))
@pytest.mark.parametrize(("collection", "loc"), TEXT_FIELDS, ids=[f"{n}:{format_loc(loc)}" for n, loc in TEXT_FIELDS])
def test_legacy_text_in_any_field_is_refused_at_that_field(tmp_path, collection, loc, encoding):
    data = {"sample": False, **_nest(loc, LEGACY[encoding])}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = tmp_path / "vi-du.yml"
    path.write_text(text, encoding="utf-8")
    _, _, errors = read_file(path, f"data/{collection}/vi-du.yml")
    line = next(n for n, content in enumerate(text.splitlines(), 1) if LEGACY[encoding] in content)
    assert [(e.line, e.field) for e in errors] == [(line, format_loc(loc))], errors
    assert f"bảng mã {encoding} cũ («{LEGACY[encoding]}»)" in errors[0].message


@pytest.mark.parametrize("encoding", sorted(LEGACY))
@pytest.mark.parametrize("collection", sorted(n for n, c in COLLECTIONS.items() if c.has_body))
def test_legacy_text_in_a_body_is_refused_at_its_line(tmp_path, collection, encoding):
    path = tmp_path / "vi-du.md"
    path.write_text(f"---\ntitle: Tiêu đề\n---\n\nDòng đúng.\n\n{LEGACY[encoding]} ở Phổ Thạnh.\n", encoding="utf-8")
    _, _, errors = read_file(path, f"data/{collection}/vi-du.md")
    assert [(e.line, e.field) for e in errors] == [(7, "body")], errors
