"""The data-format reference for editors and the JSON Schemas, both derived from the record
schemas so that they cannot drift from what the loader accepts.

Nothing here restates a rule: the kind of value, the allowed values, the limits, the defaults,
the labels and the help text all come from the pydantic models (``schema.py``), and the
sample error message comes from the checker itself.
"""

from __future__ import annotations

import inspect
import re
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import yaml
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .content import MAX_DOCUMENT_BYTES
from .fields import Shape, alias_of, annotation_at, choices, field_shape, ref_target
from .images import MAX_PHOTO_BYTES, MAX_PIXELS
from .loader import MAX_FILE_BYTES, parse_yaml, validate_record
from .schema import COLLECTIONS, FIRST_YEAR, ID_PATTERN, KINDS, LAST_YEAR, Collection, Date, Month, Record, Year
from .vietnamese import capitalised

# Placeholders of the example records: they must validate, so the checker tests them.
PLACEHOLDER_DATE = date(2025, 9, 2)
PLACEHOLDER_ID = "vi-du"
PLACEHOLDER_TEXT = "…"
# The mistake shown in the introduction, run through the real checker.
SAMPLE_MISTAKE = ("people", "nguyen-van-a", ("honours", 0, "year"), "2O24")


@dataclass(frozen=True)
class FieldDoc:
    """One row of the reference: a field as editors write its path."""

    path: str  # honours[].year, photo.alt
    label: str  # the field's Vietnamese title
    required: bool
    kind: str  # the kind of value, in Vietnamese
    choices: tuple[str, ...] = ()  # allowed values of a Literal (or of each list item)
    constraints: tuple[str, ...] = ()  # "không để trống", "tối đa 400 ký tự", "từ 0 đến 100"
    default: str = ""  # as written in YAML; "" when none worth showing
    description: str = ""
    ref: str | None = None  # target collection of a reference (or of each list item)


@dataclass(frozen=True)
class ExampleFile:
    """A minimal record file: the required fields with placeholders that validate."""

    path: str  # data/stories/vi-du.md
    text: str


def json_schemas() -> dict[str, dict]:
    """One JSON Schema per collection, for editor completion (YAML language server)."""
    return {name: c.model.model_json_schema() for name, c in COLLECTIONS.items()}


# --- Describing a field --------------------------------------------------------------------
_ALIAS_KINDS = {
    Year: f"năm ({FIRST_YEAR}–{LAST_YEAR})",
    Month: "tháng (9/2025 hoặc 2025-09)",
    Date: "ngày (2024-06-28 hoặc 28/6/2024)",
}
_BASE_KINDS = {
    str: "đoạn chữ",
    int: "số nguyên",
    float: "số (phần lẻ sau dấu chấm: 12.5)",
    bool: "giá trị true/false",
    date: "ngày (2024-06-28)",
}


def _kind(shape: Shape, in_list: bool = False) -> str:
    if target := ref_target(shape):
        label = COLLECTIONS[target].label if target in COLLECTIONS else target
        return f"mã hồ sơ «{label}»" if in_list else f"mã một hồ sơ «{label}»"
    if shape.item is not None and typing.get_origin(shape.item.base) is Literal and not ref_target(shape.item):
        return "danh sách, mỗi mục là một trong các giá trị"
    if shape.item is not None:
        return "danh sách " + _kind(shape.item, in_list=True)
    if typing.get_origin(shape.base) is Literal:
        return "một trong các giá trị"
    if shape.model():
        return "nhóm trường" if in_list else "nhóm trường, gồm các trường bên dưới"
    if alias := alias_of(shape):
        return _ALIAS_KINDS[alias]
    return _BASE_KINDS.get(shape.base, "giá trị")


def _bound(value: object) -> float:
    """A ge/gt/le/lt bound of a schema field: a number in every schema of ours."""
    if not isinstance(value, (int, float)):
        raise TypeError(f"schema bound {value!r} is not a number")
    return value


def _number(value: object) -> str:
    return f"{_bound(value):g}"


def _constraints(shape: Shape) -> tuple[str, ...]:
    found: list[str] = []
    unit = "mục" if shape.base is list else "ký tự"
    low = next((m for m in shape.metadata if isinstance(m, (Ge, Gt))), None)
    high = next((m for m in shape.metadata if isinstance(m, (Le, Lt))), None)
    for m in shape.metadata:
        if isinstance(m, MinLen) and unit == "ký tự" and m.min_length == 1:
            found.append("không để trống")
        elif isinstance(m, MinLen):
            found.append(f"ít nhất {m.min_length} {unit}")
        elif isinstance(m, MaxLen):
            found.append(f"tối đa {m.max_length} {unit}")
        elif getattr(m, "pattern", None) == ID_PATTERN:
            found.append("chỉ chữ thường không dấu, số và dấu gạch ngang, như tên tệp")
        elif getattr(m, "pattern", None):
            found.append(f"đúng mẫu {m.pattern}")
    if isinstance(low, Ge) and isinstance(high, Le):
        found.append(f"từ {_number(low.ge)} đến {_number(high.le)}")
    else:
        if isinstance(low, Ge):
            found.append(f"từ {_number(low.ge)} trở lên")
        if isinstance(low, Gt):
            found.append(f"lớn hơn {_number(low.gt)}")
        if isinstance(high, Le):
            found.append(f"không quá {_number(high.le)}")
        if isinstance(high, Lt):
            found.append(f"nhỏ hơn {_number(high.lt)}")
    if shape.item is not None and (inner := _constraints(shape.item)):
        found.append("mỗi mục " + ", ".join(inner))
    return tuple(found)


def _default(info: FieldInfo) -> str:
    """The default as an editor would write it, or "" for none or an empty one."""
    if info.is_required():
        return ""
    value = info.get_default(call_default_factory=True)
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


def describe_fields(model: type[BaseModel]) -> list[FieldDoc]:
    """Every field of ``model``, nested parts included, in the order of the schema."""
    return _describe(model, "", (model,))


def _describe(model: type[BaseModel], prefix: str, seen: tuple[type, ...]) -> list[FieldDoc]:
    rows = []
    for name, info in model.model_fields.items():
        shape = field_shape(info)
        path = prefix + name
        rows.append(
            FieldDoc(
                path=path,
                label=info.title or name,
                required=info.is_required(),
                kind=_kind(shape),
                choices=choices(shape),
                constraints=_constraints(shape),
                default=_default(info),
                description=info.description or "",
                ref=ref_target(shape.values),
            )
        )
        nested = shape.model()
        if nested is not None and nested not in seen:  # a model that contains itself stops here
            rows += _describe(nested, path + ("[]." if shape.base is list else "."), (*seen, nested))
    return rows


# --- Example records -----------------------------------------------------------------------
def example_record(model: type[BaseModel]) -> dict[str, Any]:
    """The required fields of ``model`` with placeholders that validate. A part whose fields
    are all optional usually needs one of them (a recipient: person or unit), so it gets its
    first field."""
    fields = {name: info for name, info in model.model_fields.items() if info.is_required()}
    if not fields and model.model_fields:
        fields = dict([next(iter(model.model_fields.items()))])
    return {name: _placeholder(field_shape(info)) for name, info in fields.items()}


def _placeholder(shape: Shape) -> Any:
    alias = alias_of(shape)
    if ref_target(shape):
        return PLACEHOLDER_ID
    if shape.item is not None:
        count = max([m.min_length for m in shape.metadata if isinstance(m, MinLen)] or [1])
        return [_placeholder(shape.item) for _ in range(count)]
    if typing.get_origin(shape.base) is Literal:
        return typing.get_args(shape.base)[0]
    if model := shape.model():
        return example_record(model)
    if alias is Year:
        return PLACEHOLDER_DATE.year
    if alias is Month:
        return f"{PLACEHOLDER_DATE.month}/{PLACEHOLDER_DATE.year}"
    if shape.base is date:
        return PLACEHOLDER_DATE
    if shape.base is bool:
        return False
    if shape.base in (int, float):
        return _placeholder_number(shape, 1 if shape.base is int else 1.5)
    return _placeholder_text(shape)


def _placeholder_number(shape: Shape, value: float) -> float:
    for m in shape.metadata:
        if isinstance(m, Ge):
            value = max(value, _bound(m.ge))
        elif isinstance(m, Gt) and value <= _bound(m.gt):
            value = _bound(m.gt) + 1
        elif isinstance(m, Le):
            value = min(value, _bound(m.le))
        elif isinstance(m, Lt) and value >= _bound(m.lt):
            value = _bound(m.lt) - 1
    return value


def _placeholder_text(shape: Shape) -> str:
    """The first placeholder that meets the length limits and the pattern of the field."""
    low = max([m.min_length for m in shape.metadata if isinstance(m, MinLen)] or [0])
    high = min([m.max_length for m in shape.metadata if isinstance(m, MaxLen)] or [10**9])
    patterns = [m.pattern for m in shape.metadata if getattr(m, "pattern", None)]
    for candidate in (PLACEHOLDER_TEXT, PLACEHOLDER_ID, PLACEHOLDER_TEXT * max(low, 1)):
        if low <= len(candidate) <= high and all(re.search(p, candidate) for p in patterns):
            return candidate
    return PLACEHOLDER_TEXT


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the introduction tells editors to write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=88)


def example_file(name: str) -> ExampleFile:
    """The minimal record of a collection as a file: .md with its body below the front
    matter when the body is required, else .yml."""
    data = example_record(COLLECTIONS[name].model)
    if COLLECTIONS[name].has_body and "body" in data:
        body = data.pop("body")
        return ExampleFile(f"data/{name}/{PLACEHOLDER_ID}.md", f"---\n{_yaml(data)}---\n\n{body}\n")
    return ExampleFile(f"data/{name}/{PLACEHOLDER_ID}.yml", _yaml(data))


def sample_error() -> tuple[ExampleFile, str]:
    """A record with one mistake, and the line the checker prints for it."""
    name, record_id, loc, wrong = SAMPLE_MISTAKE
    model = COLLECTIONS[name].model
    field, _, subfield = loc
    item = {**example_record(annotation_at(model, loc[:2])), subfield: wrong}
    path = f"data/{name}/{record_id}.yml"
    text = _yaml({**example_record(model), field: [item]})
    data, positions, errors = parse_yaml(text, path, 0)
    if not errors:
        _, errors = validate_record(name, record_id, data, path, positions)
    return ExampleFile(path, text), str(errors[0])


# --- The page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Section:
    collection: Collection
    doc: str
    fields: list[FieldDoc]
    example: ExampleFile
    new_command: str


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")  # < > & are escaped as HTML


def _escape_markdown(value: Any) -> Any:
    """Schema text (labels, help) must not turn into Markdown syntax."""
    if isinstance(value, Markup) or value is None or isinstance(value, (int, float)):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def _code(value: Any) -> Markup:
    """An inline code span, whatever backticks the text holds (CommonMark's rule)."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def _fenced(text: str, language: str) -> Markup:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return Markup(f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}")


def _anchor(name: str) -> Markup:
    return Markup(re.sub(r"[^a-z0-9_-]", "-", name.lower()))


_ENV = Environment(
    loader=PackageLoader("bulletin", "templates"),
    undefined=StrictUndefined,
    autoescape=True,
    finalize=_escape_markdown,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters.update(code=_code, fenced=_fenced, anchor=_anchor, sentence=capitalised)


def _sections() -> list[_Section]:
    common = set(describe_fields(Record))
    kinds = {collection: kind for kind, collection in KINDS.items()}
    return [
        _Section(
            collection=c,
            doc=inspect.cleandoc(c.model.__doc__ or ""),
            fields=[row for row in describe_fields(c.model) if row not in common],
            example=example_file(c.name),
            new_command=f".venv/bin/python -m bulletin new {kinds[c.name]}" if c.name in kinds else "",
        )
        for c in COLLECTIONS.values()
    ]


def render_reference() -> str:
    """The Markdown page «Hướng dẫn định dạng dữ liệu»."""
    mistake, error = sample_error()
    return _ENV.get_template("reference.md.j2").render(
        example_collection=COLLECTIONS[SAMPLE_MISTAKE[0]],
        example_id=SAMPLE_MISTAKE[1],
        common=describe_fields(Record),
        sections=_sections(),
        mistake=mistake,
        error=error,
        limits=limits(),
    )


def limits() -> dict[str, str]:
    """The limits the loader and the photo and document checks enforce, as editors read them."""
    return {
        "record": f"{MAX_FILE_BYTES // 1_000_000} MB",
        "photo_bytes": f"{MAX_PHOTO_BYTES // 1_000_000} MB",
        "photo_megapixels": f"{MAX_PIXELS // 1_000_000}",
        "document": f"{MAX_DOCUMENT_BYTES // 1_000_000} MB",
    }
