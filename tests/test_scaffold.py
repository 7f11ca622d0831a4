"""`python -m bulletin new KIND`: the scaffold of every record type lists every field, fails
`check` with located messages until filled, and passes once its values are filled in."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from bulletin.cli import main
from bulletin.loader import load_records
from bulletin.model import load_site
from bulletin.reference import example_record
from bulletin.scaffold import KINDS
from bulletin.schema import COLLECTIONS

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
        if data.get(key) in (None, []):
            data[key] = value
        elif isinstance(value, dict):
            _fill(data[key], value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in data[key]:
                _fill(item, value[0])
    return data


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_scaffold_fails_until_filled_then_passes(kind, tmp_path, capsys):
    _examples(tmp_path)
    assert main(["new", kind, "Tiêu đề thử", "--root", str(tmp_path)]) == 0
    path = tmp_path / capsys.readouterr().out.strip().replace(str(tmp_path) + "/", "")
    path = path if path.is_absolute() else tmp_path / path
    collection = COLLECTIONS[KINDS[kind]]
    text = path.read_text(encoding="utf-8")
    for name in collection.model.model_fields:
        assert f"{name}:" in text or name == "body", name  # every field is offered

    _, errors = load_records(tmp_path)
    mine = [e for e in errors if e.path.endswith(path.name)]
    required = [n for n, f in collection.model.model_fields.items() if f.is_required()]
    if any(n not in ("title", "name", "short_title", "date", "started", "decision_date") for n in required):
        assert mine and all(e.line > 1 and e.field for e in mine), mine

    front = text.split("---\n")[1] if collection.has_body else text
    data = _fill(yaml.safe_load(front), example_record(collection.model))
    data.pop("body", None)  # the body is written below the front matter
    if kind == "honour":
        data["criteria_met"] = ["vi-du"]
    body = "\n\nNội dung đã viết.\n" if collection.has_body else ""
    filled = ("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---" + body) if collection.has_body else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(filled, encoding="utf-8")
    site, errors = load_site(tmp_path, TODAY)
    assert errors == [], errors
