"""The data-format reference is derived from the schemas: it lists every field and changes
when a schema changes."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field

from bulletin.loader import validate_record, Positions
from bulletin.reference import describe_fields, example_record, json_schemas, render_reference
from bulletin.schema import COLLECTIONS, Record, UnitRef


def test_every_field_of_every_record_type_is_documented():
    page = render_reference()
    for collection in COLLECTIONS.values():
        assert f"`data/{collection.name}/`" in page
        for row in describe_fields(collection.model):
            assert f"`{row.path}` — **{row.label}**" in page, row.path


def test_choices_and_reference_targets_are_named():
    rows = {row.path: row for row in describe_fields(COLLECTIONS["people"].model)}
    assert rows["honours[].title"].choices == ("đảng viên bốn tốt", "người tốt việc tốt", "gương điển hình tiên tiến")
    assert "data/units/" in rows["unit"].kind
    assert rows["honours[].year"].kind == "năm (1930–2100)"
    assert rows["consent.given_on"].kind.startswith("ngày")
    assert rows["given_name"].required and not rows["middle_name"].required


def test_a_schema_change_changes_the_reference():
    class Sample(Record):
        colour: Literal["đỏ", "vàng"] = Field(title="Màu")
        place: UnitRef = Field(title="Nơi")

    rows = {row.path: row for row in describe_fields(Sample)}
    assert rows["colour"].choices == ("đỏ", "vàng") and rows["colour"].label == "Màu"
    assert "data/units/" in rows["place"].kind


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_the_minimal_example_of_each_record_type_validates(name):
    record, errors = validate_record(name, "vi-du", example_record(COLLECTIONS[name].model), "x.yml", Positions())
    assert errors == [] and record is not None


def test_json_schemas_mark_references():
    schema = json_schemas()["stories"]
    assert schema["properties"]["units"]["items"]["x-ref"] == "units"
    assert "additionalProperties" in schema and schema["additionalProperties"] is False
