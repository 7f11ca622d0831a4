"""`python -m bulletin new KIND [TITLE]`: a new record file with every field of its schema,
each explained in a Vietnamese comment. Values to fill are left empty (`~`), so `check`
names each one until it is filled; dates start as today."""

from __future__ import annotations

import json
import typing
import unicodedata
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from .fields import is_month, unwrap
from .schema import COLLECTIONS, KINDS
from .vietnamese import slugify

TITLE_FIELDS = ("title", "name", "short_title")
NAME_PARTS = ("family_name", "middle_name", "given_name")


def _comment(info, name: str) -> str:
    words = [info.title or name]
    if info.is_required():
        words.append("(bắt buộc)")
    annotation = unwrap(info.annotation)
    item = unwrap(typing.get_args(annotation)[0]) if typing.get_origin(annotation) is list else annotation
    if typing.get_origin(item) is Literal:
        words.append("— một trong: " + ", ".join(str(a) for a in typing.get_args(item)))
    if info.description:
        words.append("— " + info.description)
    return "# " + " ".join(words)


def _value(info, name: str, today: date, title: str | None, indent: str = "") -> str:
    """Required: a value to fill (today for dates). Optional: the field's default."""
    annotation = unwrap(info.annotation)
    if name in TITLE_FIELDS and title and annotation is str:
        return json.dumps(title, ensure_ascii=False)
    if name in NAME_PARTS and title:  # a person: "Trần Thị Mai" is family, middle, given name
        words = title.split()
        parts = {"family_name": words[0], "given_name": words[-1] if len(words) > 1 else "", "middle_name": " ".join(words[1:-1])}
        if parts[name]:
            return json.dumps(parts[name], ensure_ascii=False)
    if not info.is_required():
        default = info.get_default(call_default_factory=True)
        return "~" if default is None else json.dumps(default, ensure_ascii=False)
    if annotation is date:
        return today.isoformat()
    if is_month(info):
        return f"{today.year}-{today.month:02d}"
    if typing.get_origin(annotation) is list:
        return "\n" + indent + "  - ~"  # the list's shape, with one item to fill
    return "~"


def _commented(lines: list[str], indent: str) -> list[str]:
    """Every line of the block behind one "# " at the block's indent (explanations too), so
    taking that "# " off every line gives the block back, valid YAML."""
    return [indent + "# " + line[len(indent) :] for line in lines]


def _part(name: str, model: type[BaseModel], indent: str, today: date, as_list: bool) -> list[str]:
    if not as_list:
        return [f"{indent}{name}:", *_lines(model, indent + "  ", today, None)]
    nested = _lines(model, indent + "    ", today, None)
    first = next(i for i, line in enumerate(nested) if not line.lstrip().startswith("#"))
    nested[first] = indent + "  - " + nested[first].lstrip()
    return [f"{indent}{name}:", *nested]


def _lines(model: type[BaseModel], indent: str, today: date, title: str | None) -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        if name == "body":
            continue
        lines.append(indent + _comment(info, name))
        annotation = unwrap(info.annotation)
        is_list = typing.get_origin(annotation) is list
        part = unwrap(typing.get_args(annotation)[0]) if is_list else annotation
        if isinstance(part, type) and issubclass(part, BaseModel):
            block = _part(name, part, indent, today, is_list)
            if info.is_required():
                lines += block
            else:  # an optional group stays commented out until the editor needs it
                lines += [f"{indent}# (bỏ dấu # ở các dòng dưới nếu cần)", *_commented(block, indent)]
            continue
        value = _value(info, name, today, title, indent)
        lines += (f"{indent}{name}:{value}" if value.startswith("\n") else f"{indent}{name}: {value}").split("\n")
    return lines


def scaffold_text(collection: str, today: date, title: str | None = None) -> str:
    model = COLLECTIONS[collection].model
    head = [f"# {COLLECTIONS[collection].label}: hồ sơ mới. Điền các chỗ «~», rồi chạy `make check`."]
    body = _lines(model, "", today, title)
    if COLLECTIONS[collection].has_body:
        return "---\n" + "\n".join(head + body) + "\n---\n\n"
    return "\n".join(head + body) + "\n"


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
