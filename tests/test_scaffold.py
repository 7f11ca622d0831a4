"""`python -m bulletin new KIND`: the scaffold of every record type holds its required fields,
in the layout the web form writes, fails `check` with located messages until filled, and
passes once its values are filled in."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from conftest import BUILD_DAY

from bulletin.cli import main
from bulletin.layout import formatted
from bulletin.model import load_site
from bulletin.reference import example_record
from bulletin.scaffold import scaffold_text
from bulletin.schema import COLLECTIONS, KINDS

TODAY = date(2026, 11, 24)


def _examples(root) -> None:
    """A valid record named vi-du in every collection, for the scaffolds to refer to."""
    for name, collection in COLLECTIONS.items():
        data = example_record(collection.model)
        if name == "criteria":
            data.update(criteria=[{"id": "vi-du", "text": "Tiêu chí"}], applies_to=["chi bộ bốn tốt", "đảng viên bốn tốt"])
        if name == "honours":
            data["criteria_met"] = ["vi-du"]
        if name == "people":
            data["consent"] = {"covers": ["tên"], "given_on": "2024-01-01", "given_by": "x", "evidence": "x"}
        text = yaml.safe_dump(data, allow_unicode=True)
        suffix = ".md" if collection.has_body else ".yml"
        body = data.pop("body", "Nội dung.") or "Nội dung."
        if collection.has_body:
            text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\n" + body + "\n"
        (root / "data" / name).mkdir(parents=True, exist_ok=True)
        (root / "data" / name / f"vi-du{suffix}").write_text(text, encoding="utf-8")


def _fill(data: dict, example: dict) -> dict:
    """What an editor does: put a value wherever the scaffold left «~»."""
    for key, value in example.items():
        current = data.get(key)
        if current in (None, [], "") or (isinstance(current, list) and all(item in (None, "") for item in current)):
            data[key] = value
        elif isinstance(value, dict):
            _fill(data[key], value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in data[key]:
                _fill(item, value[0])
    return data


def _new(kind: str, root, capsys, title: str | None = "Tiêu đề thử"):
    assert main(["new", kind, *([title] if title is not None else []), "--root", str(root)]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith(str(root / "data" / KINDS[kind]))  # the path is printed
    return root / printed.replace(str(root) + "/", "")


def _leaf(field: str) -> str:
    """The key an error is about: "phases[0].name" -> "name", "slogans[0]" -> "slogans"."""
    return re.sub(r"\[\d+\]$", "", field).rsplit(".", 1)[-1]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_scaffold_fails_until_filled_then_passes(kind, tmp_path, capsys):
    _examples(tmp_path)
    path = _new(kind, tmp_path, capsys)
    collection = COLLECTIONS[KINDS[kind]]
    text = path.read_text(encoding="utf-8")
    for name, info in collection.model.model_fields.items():
        if info.is_required() and name != "body":
            assert f"\n{name}:" in text, name  # every required field is offered
    assert "#" not in text  # explanations live on the data-format page, not in data files
    assert formatted(tmp_path, path) == (text, [])  # the form's own layout

    # unfilled: check names the file, the line and the field of each placeholder
    _, errors = load_site(tmp_path, TODAY)  # references too: an empty unit is no unit
    mine = [e for e in errors if e.path.endswith(path.name)]
    assert mine, kind
    lines = text.splitlines()
    for error in mine:
        assert error.line > 1 and error.field, error
        if error.field != "body":
            line = lines[error.line - 1]
            # the key's own line, or for an item of a list (slogans[0]) the item's line
            assert f"{_leaf(error.field)}:" in line or (error.field.endswith("]") and line.strip().startswith("- ")), (
                error,
                line,
            )
    assert main(["check", str(tmp_path)]) == 1
    assert f"{path.relative_to(tmp_path)}:" in capsys.readouterr().err

    front = text.split("---\n")[1] if collection.has_body else text
    data = _fill(yaml.safe_load(front), example_record(collection.model))
    data.pop("body", None)  # the body is written below the front matter
    if kind == "honour":
        data["criteria_met"] = ["vi-du"]
    body = "\n\nNội dung đã viết.\n" if collection.has_body else ""
    filled = (
        ("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---" + body)
        if collection.has_body
        else yaml.safe_dump(data, allow_unicode=True)
    )
    path.write_text(filled, encoding="utf-8")
    site, errors = load_site(tmp_path, TODAY)
    assert errors == [], errors
    assert path.stem in site.records[KINDS[kind]] or kind == "person"  # a person without consent is held back


def test_the_scaffold_comes_from_the_schema_not_a_list():
    text = scaffold_text("stories", TODAY, "Bài mới")
    assert "\ntitle: Bài mới\n" in text and f"\ndate: {TODAY.isoformat()}\n" in text  # today for dates
    assert "\nsummary: ''\n" in text  # to fill: check names it
    for name, info in COLLECTIONS["stories"].model.model_fields.items():
        present = re.search(rf"^{name}:", text, re.MULTILINE) is not None
        assert present == (name != "body" and (info.is_required() or info.annotation is bool)), name


def test_optional_groups_are_left_out_as_the_form_leaves_them():
    """A photo or a consent is optional: the form writes nothing until the editor adds it,
    and so does the scaffold (a person without consent is not published)."""
    front = yaml.safe_load(scaffold_text("people", TODAY, "Trần Thị Mai").split("---\n")[1])
    assert "consent" not in front and "photo" not in front and front["draft"] is False


def test_a_person_s_name_is_split_and_the_file_name_is_free(tmp_path, capsys):
    first = _new("person", tmp_path, capsys, "Trần Thị Mai")
    assert first.name == "tran-thi-mai.md"
    data = yaml.safe_load(first.read_text(encoding="utf-8").split("---\n")[1])
    assert (data["family_name"], data["middle_name"], data["given_name"]) == ("Trần", "Thị", "Mai")
    assert _new("person", tmp_path, capsys, "Trần Thị Mai").name == "tran-thi-mai-2.md"
    assert _new("person", tmp_path, capsys, "Trần Thị Mai").name == "tran-thi-mai-3.md"
    assert _new("story", tmp_path, capsys, "Đường về Phổ Châu").name == "duong-ve-pho-chau.md"  # đ -> d
    assert _new("unit", tmp_path, capsys, None).name == f"moi-{BUILD_DAY}.yml"  # no title: the build day
