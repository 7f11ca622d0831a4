"""`python -m bulletin new KIND [TITLE]`: a new record file with the required fields of its
schema, in the layout the web form writes (bulletin/layout.py), so that a record started
here and finished in the form (or the reverse) changes only where someone typed.

Values to fill are left empty (''), so `check` names each one, at its line, until it is
filled; dates start as today, a list of sentences with one empty item. Optional fields are
left out, as the form leaves them: the data-format page (/huong-dan/du-lieu/) lists and
explains every field.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .fields import alias_of, field_shape
from .layout import record_text
from .schema import COLLECTIONS, KINDS, Month
from .vietnamese import slugify

TITLE_FIELDS = ("title", "name", "short_title")
NAME_PARTS = ("family_name", "middle_name", "given_name")


def _name_parts(title: str) -> dict[str, str]:
    """A person: "Trần Thị Mai" is family, middle and given name."""
    words = title.split()
    return {"family_name": words[0], "middle_name": " ".join(words[1:-1]), "given_name": words[-1] if len(words) > 1 else ""}


def _to_fill(info: FieldInfo, today: date) -> Any:
    """What a required field starts as: today for a date, else an empty value to fill."""
    shape = field_shape(info)
    if alias_of(shape) is Month:
        return f"{today.year}-{today.month:02d}"
    if shape.base is date:
        return today
    if shape.base is bool:
        return bool(info.default)
    if part := shape.model():
        # A part whose fields are all optional (a recipient) still needs one of them.
        filled = _required(part, today) or {next(iter(part.model_fields)): ""}
        return [filled] if shape.base is list else filled
    if shape.base is list:
        return [""]  # one item to fill, so check points at its line
    return ""


def _required(model: type[BaseModel], today: date) -> dict:
    return {name: _to_fill(info, today) for name, info in model.model_fields.items() if info.is_required() and name != "body"}


def scaffold_data(collection: str, today: date, title: str | None = None) -> dict:
    model = COLLECTIONS[collection].model
    data = _required(model, today)
    if title:
        named = _name_parts(title) if "given_name" in model.model_fields else {}
        fields = model.model_fields
        named |= {name: title for name in TITLE_FIELDS if name in fields and field_shape(fields[name]).base is str}
        for name, value in named.items():
            if value and (name in data or name == "middle_name"):
                data[name] = value
    return data


def scaffold_text(collection: str, today: date, title: str | None = None) -> str:
    return record_text(collection, scaffold_data(collection, today, title))


def new_record(root: Path, kind: str, title: str | None, today: date) -> Path:
    """Write the scaffold under data/ with a free file name, and return its path."""
    collection = KINDS[kind]
    folder = root / "data" / collection
    folder.mkdir(parents=True, exist_ok=True)
    title = unicodedata.normalize("NFC", title).strip() if title else None
    base = (slugify(title) if title else "") or f"moi-{today.isoformat()}"
    suffix = ".md" if COLLECTIONS[collection].has_body else ".yml"
    candidate, number = base, 1
    while any((folder / f"{candidate}{s}").exists() for s in (".yml", ".md")):
        number += 1
        candidate = f"{base}-{number}"
    path = folder / f"{candidate}{suffix}"
    path.write_text(scaffold_text(collection, today, title), encoding="utf-8")
    return path
