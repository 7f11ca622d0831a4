"""The editors' form (/admin/, Decap CMS): its config comes from the schemas, and the real
CMS loads from the built site, in Vietnamese, with no request leaving localhost."""

from __future__ import annotations

from typing import Literal

import pytest
import yaml
from pydantic import Field

from bulletin.cms import cms_config, collection_config, field_config, fields_config
from bulletin.schema import COLLECTIONS, Part, Record, UnitRef
from conftest import build_project, serve, write_project
from test_build import PERSON, STORY, UNITS


def _by_name(fields):
    return {f["name"]: f for f in fields}


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_every_schema_field_is_in_the_form(name):
    config = collection_config(name)
    model = COLLECTIONS[name].model
    assert [f["name"] for f in config["fields"]] == list(model.model_fields)
    for field in config["fields"]:
        assert field["label"] and field["required"] == model.model_fields[field["name"]].is_required()
    assert config["folder"] == f"data/{name}"


def test_widgets_follow_the_field_types():
    story = _by_name(collection_config("stories")["fields"])
    assert story["date"]["widget"] == "datetime" and story["date"]["format"] == "YYYY-MM-DD"
    assert story["body"]["widget"] == "markdown" and story["summary"]["widget"] == "text"
    assert story["units"] == {**story["units"], "widget": "relation", "collection": "units", "multiple": True}
    assert story["people"]["display_fields"] == ["family_name", "middle_name", "given_name"]
    assert story["image"]["widget"] == "object"
    plan = _by_name(_by_name(collection_config("campaigns")["fields"])["plan"]["fields"])
    assert plan["issuer"]["required"] and not plan["number"]["required"]  # a required group keeps its rules
    person = _by_name(collection_config("people")["fields"])
    assert person["unit"]["widget"] == "relation" and person["unit"]["multiple"] is False
    honours = _by_name(person["honours"]["fields"])
    assert person["honours"]["widget"] == "list"
    assert honours["year"] == {**honours["year"], "widget": "number", "min": 1930, "max": 2100}
    assert honours["title"]["widget"] == "select" and "đảng viên bốn tốt" in honours["title"]["options"]
    consent = _by_name(person["consent"]["fields"])
    assert consent["covers"]["widget"] == "select" and consent["covers"]["multiple"] is True
    phases = _by_name(_by_name(collection_config("campaigns")["fields"])["phases"]["fields"])
    assert phases["end"]["pattern"][0] == r"^\d{4}-\d{2}$"


def test_a_schema_change_changes_the_form():
    class Part2(Part):
        shade: Literal["đỏ", "vàng"] = Field(title="Màu")

    class Sample(Record):
        place: list[UnitRef] = Field(default_factory=list, title="Nơi")
        parts: list[Part2] = Field(title="Các phần")

    fields = _by_name(fields_config(Sample))
    assert fields["place"]["widget"] == "relation" and fields["place"]["multiple"] is True
    assert fields["parts"]["widget"] == "list" and fields["parts"]["required"] is True
    assert field_config(Part2, "shade")["options"] == ["đỏ", "vàng"]


def test_config_is_vietnamese_with_local_mode_and_ascii_file_names():
    config = cms_config()
    assert config["locale"] == "vi" and config["local_backend"] is True
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert [c["name"] for c in config["collections"]] == list(COLLECTIONS)


def test_an_optional_group_does_not_block_saving_while_empty():
    story = _by_name(collection_config("stories")["fields"])
    assert story["image"]["required"] is False
    assert not any(f["required"] for f in story["image"]["fields"])  # the loader checks them once filled
    assert story["date"]["default"] == "{{now}}"


def test_admin_loads_from_the_built_site_and_lists_the_collections(tmp_path, monkeypatch, open_page):
    monkeypatch.setenv("BULLETIN_CMS_BACKEND", "test-repo")
    project = write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY})
    site = build_project(project, tmp_path / "site")
    assert yaml.safe_load((site / "admin" / "config.yml").read_text())["backend"]["name"] == "test-repo"
    with serve(site) as url:
        opened = open_page(f"{url}/admin/", width=1280, height=900)
        opened.page.get_by_role("button", name="Đăng nhập").click()
        opened.page.get_by_text("Bộ sưu tập").wait_for()
        text = opened.page.locator("body").inner_text()
        for collection in COLLECTIONS.values():
            assert collection.label in text
        assert opened.external_requests() == []
        assert opened.console_errors == []
