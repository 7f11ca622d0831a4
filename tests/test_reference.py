"""The data-format reference is derived from the schemas: it lists every field of every record
type, agrees with the JSON Schema pydantic generates, changes when a schema changes, and its
example records pass the checker as written."""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Literal

import pytest
from pydantic import Field, create_model

from bulletin.loader import read_file, validate_record
from bulletin.reference import (
    FieldDoc,
    describe_fields,
    example_file,
    json_schemas,
    render_reference,
    sample_error,
)
from bulletin.schema import (
    COLLECTIONS,
    FIRST_YEAR,
    LAST_YEAR,
    Date,
    Image,
    Month,
    Part,
    Person,
    PersonHonourTitle,
    Record,
    Text,
    UnitRef,
    Year,
)


@pytest.fixture(scope="module")
def page() -> str:
    return render_reference()


def _section(page: str, anchor: str) -> str:
    """The text of the level-2 section whose heading ends with { #anchor }."""
    start = page.rindex("\n## ", 0, page.index(f"{{ #{anchor} }}"))
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def _term(row: FieldDoc) -> str:
    return f"`{row.path}` — **{row.label}**"


# --- The JSON Schema, walked independently of describe_fields ------------------------------
def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    variants = [v for v in node.get("anyOf", []) if v.get("type") != "null"]
    return _resolve(schema, variants[0]) if len(variants) == 1 else node


def _schema_fields(schema: dict, node: dict | None = None, prefix: str = "") -> dict[str, tuple[dict, bool]]:
    """{editor path: (property schema, required)} for every property, nested ones included."""
    node = _resolve(schema, schema if node is None else node)
    found = {}
    for name, prop in node["properties"].items():
        path = prefix + name
        found[path] = (prop, name in node.get("required", []))
        value = _resolve(schema, prop)
        if value.get("type") == "array" and "properties" in _resolve(schema, value["items"]):
            found |= _schema_fields(schema, value["items"], path + "[].")
        elif "properties" in value:
            found |= _schema_fields(schema, value, path + ".")
    return found


def _ref_and_enum(schema: dict, prop: dict) -> tuple[str | None, tuple[str, ...]]:
    def find(node: dict, key: str):
        if key in node:
            return node[key]
        for sub in [*node.get("anyOf", []), *([node["items"]] if "items" in node else [])]:
            if (hit := find(sub, key)) is not None:
                return hit
        return None

    enum = find(prop, "enum") or ([c] if (c := find(prop, "const")) is not None else [])
    return find(prop, "x-ref"), tuple(enum)


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_rows_agree_with_the_json_schema(name):
    schema = json_schemas()[name]
    expected = _schema_fields(schema)
    rows = {row.path: row for row in describe_fields(COLLECTIONS[name].model)}
    assert set(rows) == set(expected)
    for path, (prop, required) in expected.items():
        ref, enum = _ref_and_enum(schema, prop)
        row = rows[path]
        assert row.required == required, path
        assert row.label == prop.get("title", row.label), path
        assert row.description == prop.get("description", ""), path
        assert row.ref == ref, path
        assert row.choices == enum, path


def test_every_field_of_every_record_type_is_on_the_page(page):
    common = set(describe_fields(Record))
    assert all(_term(row) in _section(page, "chung") for row in common)
    for name, collection in COLLECTIONS.items():
        section = _section(page, name)
        assert f"`data/{name}/`" in section
        assert section.startswith(f"\n## {collection.label} {{ #{name} }}")
        for row in describe_fields(collection.model):
            assert row in common or _term(row) in section, (name, row.path)


def test_allowed_values_appear_in_their_row(page):
    rows = {row.path: row for row in describe_fields(Person)}
    assert rows["honours[].title"].choices == typing.get_args(PersonHonourTitle)
    section = _section(page, "people")
    definition = section[section.index(_term(rows["honours[].title"])) :].split("\n\n")[0]
    for value in typing.get_args(PersonHonourTitle):
        assert f"`{value}`" in definition
    for name, collection in COLLECTIONS.items():
        for row in describe_fields(collection.model):
            assert all(f"`{value}`" in _section(page, name) for value in row.choices), row.path


def test_a_reference_names_its_target_collection(page):
    for name, collection in COLLECTIONS.items():
        for row in describe_fields(collection.model):
            if row.ref:
                assert f"«{COLLECTIONS[row.ref].label}»" in row.kind, row.path
                assert f"(#{row.ref})" in _section(page, name), row.path
    rows = {row.path: row for row in describe_fields(Person)}
    assert rows["unit"].kind == "mã một hồ sơ «Đơn vị»" and rows["unit"].ref == "units"
    stories = {row.path: row for row in describe_fields(COLLECTIONS["stories"].model)}
    assert stories["people"].kind == "danh sách mã hồ sơ «Cá nhân điển hình»"


def test_kinds_come_from_the_types_not_the_field_names():
    class Sample(Part):
        founded: Year = Field(title="Năm thành lập")
        year: int = Field(title="Số thứ tự")
        due: Month | None = Field(None, title="Hạn")
        day: Date = Field(title="Ngày")
        names: list[Text] = Field(min_length=2, title="Các tên")
        size: float = Field(2.5, ge=0, le=10, title="Cỡ")
        open: bool = Field(True, title="Mở")

    rows = {row.path: row for row in describe_fields(Sample)}
    assert rows["founded"].kind == f"năm ({FIRST_YEAR}–{LAST_YEAR})"
    assert rows["year"].kind == "số nguyên"
    assert rows["due"].kind.startswith("tháng") and not rows["due"].required
    assert rows["day"].kind.startswith("ngày") and rows["day"].required
    assert rows["names"].kind == "danh sách đoạn chữ"
    assert rows["names"].constraints == ("ít nhất 2 mục", "mỗi mục không để trống")
    assert rows["size"].constraints == ("từ 0 đến 10",) and rows["size"].default == "2.5"
    assert rows["open"].default == "true"


def test_a_schema_change_changes_the_reference(page, monkeypatch):
    class Before(Part):
        colour: Literal["đỏ", "vàng"] = Field(title="Màu", description="Màu của cờ.")
        place: UnitRef | None = Field(None, title="Nơi")
        photo: Image | None = Field(None, title="Ảnh")

    After = create_model(
        "After",
        __base__=Before,
        colour=(Literal["xanh"], Field("xanh", title="Sắc", description="Chỉ một màu.")),
        note=(str, Field(max_length=20, title="Ghi chú")),
    )
    before = {row.path: row for row in describe_fields(Before)}
    after = {row.path: row for row in describe_fields(After)}
    assert before["colour"] == FieldDoc("colour", "Màu", True, "một trong các giá trị", ("đỏ", "vàng"), description="Màu của cờ.")
    assert after["colour"] == FieldDoc(
        "colour", "Sắc", False, "một trong các giá trị", ("xanh",), default="xanh", description="Chỉ một màu."
    )
    assert after["note"].constraints == ("tối đa 20 ký tự",) and "note" not in before
    assert before["place"].ref == after["place"].ref == "units"
    assert before["photo.alt"] == after["photo.alt"] and before["photo.alt"].required

    class Renamed(Person):
        nickname: str | None = Field(None, title="Biệt danh", description="Tên thường gọi.")

    monkeypatch.setitem(COLLECTIONS, "people", dataclasses.replace(COLLECTIONS["people"], model=Renamed))
    changed = render_reference()
    assert "`nickname` — **Biệt danh**" in _section(changed, "people") and "nickname" not in page
    assert "Tên thường gọi." in changed


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_the_example_record_of_each_collection_passes_the_checker_as_shown(name, page, tmp_path):
    example = example_file(name)
    assert example.text in _section(page, name)
    file = tmp_path / example.path
    file.parent.mkdir(parents=True)
    file.write_text(example.text, encoding="utf-8")
    data, positions, errors = read_file(file, example.path)
    assert errors == []
    record, errors = validate_record(name, "vi-du", data, example.path, positions)
    assert errors == [] and record is not None
    required = {n for n, f in COLLECTIONS[name].model.model_fields.items() if f.is_required()}
    assert set(data) == required  # only the required fields


def test_the_sample_error_is_the_checkers_own_line(page):
    mistake, error = sample_error()
    assert error in page and mistake.text in page
    match = re.fullmatch(r"data/people/[a-z-]+\.yml:(\d+): honours\[0\]\.year: (.+)", error)
    assert match, error
    assert "2O24" in mistake.text.splitlines()[int(match[1]) - 1]
    assert f"{FIRST_YEAR}" in match[2] and '"2O24"' in match[2]


def test_schema_text_cannot_inject_markdown_or_html(monkeypatch):
    class Tricky(Record):
        """Mô tả <script>alert(1)</script> và *nhấn mạnh*."""

        mode: Literal["a`b", "c"] = Field(title="Chế độ [x](javascript:y)", description="<b>đậm</b> _x_")

    monkeypatch.setitem(COLLECTIONS, "units", dataclasses.replace(COLLECTIONS["units"], model=Tricky))
    section = _section(render_reference(), "units")
    assert "<script>" not in section and "&lt;script&gt;" in section
    assert "\\*nhấn mạnh\\*" in section and "\\_x\\_" in section
    assert "**Chế độ \\[x\\](javascript:y)**" in section
    assert "``a`b``" in section  # a backtick inside a value keeps its code span intact


def test_json_schemas_mark_references_and_forbid_unknown_keys():
    schemas = json_schemas()
    assert set(schemas) == set(COLLECTIONS)
    assert schemas["stories"]["properties"]["units"]["items"]["x-ref"] == "units"
    for schema in schemas.values():
        assert schema["additionalProperties"] is False
        assert all(d.get("additionalProperties") is False for d in schema.get("$defs", {}).values())
