"""The data-format reference for editors and the JSON Schemas, both derived from the record
schemas so that they cannot drift from what the loader accepts."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import yaml
from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel

from .loader import _unwrap
from .schema import COLLECTIONS, FIRST_YEAR, LAST_YEAR, RefTo


@dataclass(frozen=True)
class FieldDoc:
    path: str
    label: str
    required: bool
    kind: str
    choices: tuple[str, ...]
    constraints: str
    default: str
    description: str


def json_schemas() -> dict[str, dict]:
    """One JSON Schema per collection, for editor completion (YAML language server)."""
    return {name: c.model.model_json_schema() for name, c in COLLECTIONS.items()}


def _ref_of(annotation: Any, metadata: list) -> str | None:
    for item in metadata:
        if isinstance(item, RefTo):
            return item.collection
    if typing.get_origin(annotation) is typing.Annotated:
        return _ref_of(typing.get_args(annotation)[0], list(annotation.__metadata__))
    for arg in typing.get_args(annotation):
        found = _ref_of(arg, [])
        if found:
            return found
    return None


def _value_kind(annotation: Any, metadata: list, name: str, month: bool = False) -> str:
    ref = _ref_of(annotation, metadata)
    if ref:
        return f"mã một hồ sơ «{COLLECTIONS[ref].label}» (thư mục data/{ref}/)"
    base = _unwrap(annotation)
    if typing.get_origin(base) is list:
        item = typing.get_args(base)[0]
        return "danh sách " + _value_kind(item, [], name)
    if typing.get_origin(base) is Literal:
        return "một trong các giá trị liệt kê"
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "nhóm trường"
    if base is bool:
        return "true/false"
    if base is date:
        return "ngày (2024-06-28 hoặc 28/6/2024)"
    if base is int:
        return f"năm ({FIRST_YEAR}–{LAST_YEAR})" if name == "year" else "số nguyên"
    if base is float:
        return "số (phần thập phân dùng dấu chấm: 12.5)"
    if base is str:
        return "tháng (9/2025 hoặc 2025-09)" if month or _is_month(annotation, metadata) else "đoạn chữ"
    return "giá trị"


def _is_month(annotation: Any, metadata: list) -> bool:
    extras = [m.json_schema_extra for m in metadata if hasattr(m, "json_schema_extra") and m.json_schema_extra]
    if typing.get_origin(annotation) is typing.Annotated:
        extras += [m.json_schema_extra for m in annotation.__metadata__ if getattr(m, "json_schema_extra", None)]
        return any(e.get("format") == "month" for e in extras) or _is_month(typing.get_args(annotation)[0], [])
    return any(e.get("format") == "month" for e in extras) or any(
        _is_month(a, []) for a in typing.get_args(annotation)
    )


def _declares_month(info) -> bool:
    """A required Month field carries its marker on the FieldInfo itself."""
    return isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("format") == "month"


def _constraints(metadata: list) -> str:
    parts = []
    for item in metadata:
        if isinstance(item, MinLen) and item.min_length > 1:
            parts.append(f"ít nhất {item.min_length} mục")
        elif isinstance(item, MinLen):
            parts.append("không để trống")
        elif isinstance(item, MaxLen):
            parts.append(f"tối đa {item.max_length} ký tự")
        elif isinstance(item, Ge):
            parts.append(f"từ {item.ge}")
        elif isinstance(item, Le):
            parts.append(f"đến {item.le}")
    return ", ".join(parts)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    base = _unwrap(annotation)
    if typing.get_origin(base) is list:
        base = _unwrap(typing.get_args(base)[0])
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None


def describe_fields(model: type[BaseModel], prefix: str = "") -> list[FieldDoc]:
    """Every field of ``model``, nested parts included, as editors write their paths."""
    rows = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        is_list = typing.get_origin(_unwrap(annotation)) is list
        path = f"{prefix}{name}"
        literal = _unwrap(annotation)
        if is_list:
            literal = _unwrap(typing.get_args(_unwrap(annotation))[0])
        choices = tuple(str(a) for a in typing.get_args(literal)) if typing.get_origin(literal) is Literal else ()
        default = "" if info.is_required() or info.default in (None, "", []) or info.default_factory else repr(info.default)
        rows.append(
            FieldDoc(
                path=path,
                label=info.title or name,
                required=info.is_required(),
                kind=_value_kind(annotation, list(info.metadata), name, _declares_month(info)),
                choices=choices,
                constraints=_constraints(list(info.metadata)),
                default={"False": "false", "True": "true"}.get(default, default),
                description=info.description or "",
            )
        )
        nested = _nested_model(annotation)
        if nested is not None:
            rows += describe_fields(nested, f"{path}[]." if is_list else f"{path}.")
    return rows


def example_record(model: type[BaseModel]) -> dict[str, Any]:
    """The required fields of ``model`` with placeholder values that validate (or its first
    field, for a part whose fields are all optional but which needs one of them)."""
    fields = {name: info for name, info in model.model_fields.items() if info.is_required()}
    if not fields and model.model_fields:
        fields = dict([next(iter(model.model_fields.items()))])
    return {
        name: "2025-09" if _declares_month(info) else _placeholder(info.annotation, list(info.metadata), name)
        for name, info in fields.items()
    }


def _placeholder(annotation: Any, metadata: list, name: str) -> Any:
    if _ref_of(annotation, metadata):
        return "vi-du"
    base = _unwrap(annotation)
    if typing.get_origin(base) is list:
        minimum = max([m.min_length for m in metadata if isinstance(m, MinLen)] or [1])
        return [_placeholder(typing.get_args(base)[0], [], name) for _ in range(minimum)]
    if typing.get_origin(base) is Literal:
        return typing.get_args(base)[0]
    if isinstance(base, type) and issubclass(base, BaseModel):
        return example_record(base)
    if base is bool:
        return False
    if base is date:
        return date(2025, 9, 2)
    if base is int:
        return 2025
    if base is float:
        return 1.0
    if _is_month(annotation, metadata):
        return "2025-09"
    if name == "id":
        return "vi-du"
    return "…"


def render_reference() -> str:
    from .render import render  # render imports the model; keep this module light to import

    sections = [
        {
            "collection": c,
            "doc": (c.model.__doc__ or "").strip(),
            "fields": describe_fields(c.model),
            "example": _yaml(example_record(c.model)),
        }
        for c in COLLECTIONS.values()
    ]
    return render("reference.md.j2", sections=sections)


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
