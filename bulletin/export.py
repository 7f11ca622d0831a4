"""Open data: every public collection as JSON and CSV, with a page listing the downloads.

Exports are made from the published site model, so consent and draft rules apply to them as
to the pages. Consent records themselves are never exported.

JSON keeps each record's shape. CSV has one row per record, its columns taken from the schema
(so an empty collection still has its header): a group (a photo, a document) is spread over
`group.field` columns, a list is one cell holding JSON, a yes/no is `true`/`false`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from .fields import field_shape
from .memo import ByObject
from .model import Site
from .render import GeneratedPage, render
from .schema import COLLECTIONS, Record

EXPORT_DIR = "du-lieu-mo"
# Never public: the consent record (who signed, where the paper is kept) and the publishing
# switches, which are always off in a public export. `sample` stays: readers must be able to
# tell the fictional sample records from real ones, as the pages do.
NOT_EXPORTED = {"consent", "draft", "publish_on"}
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def record_row(record: Record) -> dict:
    """A record as plain JSON data: its id first, non-public fields left out."""
    data = record.model_dump(mode="json", exclude=NOT_EXPORTED)
    return {"id": record.id, **data}


def _json_item(row: dict) -> str:
    """A row as ``json.dumps(rows, indent=1)`` writes it inside the list: one space deeper.
    "<" escaped, so no markup survives in the file even if a page ever inlines it."""
    text = json.dumps(row, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return " " + text.replace("\n", "\n ")  # a JSON string holds no raw line break


def _json_list(items: list[str]) -> str:
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"


def csv_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The CSV header of a collection, from its schema: a single group becomes one column per
    field of the group (recursively), anything else one column."""
    columns = [] if prefix else ["id"]
    for name, info in model.model_fields.items():
        if not prefix and name in NOT_EXPORTED:
            continue
        shape = field_shape(info)
        part = shape.model()
        if part is not None and shape.base is not list:
            columns += csv_columns(part, f"{prefix}{name}.")
        else:
            columns.append(prefix + name)
    return columns


def _flat(row: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def _cell(value: Any) -> Any:
    """Lists (and any leftover group) as JSON; yes/no as true/false; text that a spreadsheet
    would run as a formula (=, +, -, @, tab, carriage return) gets a leading apostrophe."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(value):
        return "'" + value
    return value


def _csv_line(columns: list[str], row: dict) -> str:
    flat = _flat(row)
    # only an empty group (image: null) has no column of its own: its fields stay empty
    assert all(flat[key] is None for key in set(flat) - set(columns)), set(flat) - set(columns)
    return _csv_row([_cell(flat.get(column)) for column in columns])


_CSV_BUFFER = io.StringIO()
_CSV_WRITER = csv.writer(_CSV_BUFFER, lineterminator="\r\n")


def _csv_row(cells: list[Any]) -> str:
    _CSV_BUFFER.seek(0)
    _CSV_BUFFER.truncate()
    _CSV_WRITER.writerow(cells)
    return _CSV_BUFFER.getvalue()


def _csv_text(columns: list[str], lines: list[str]) -> str:
    """UTF-8 with BOM, for Excel."""
    return "\ufeff" + _csv_row(columns) + "".join(lines)


def _record_texts(record: Record) -> tuple[str, str]:
    """A record's JSON item and CSV line."""
    row = record_row(record)
    return _json_item(row), _csv_line(_columns(type(record)), row)


_columns = cache(csv_columns)
# Made once per record object (memo.ByObject): a save makes only the saved record's rows again.
_texts_of = ByObject(_record_texts)


def export_files(site: Site | None) -> list[tuple[str, str]]:
    if site is None:
        return []
    files, downloads = [], []
    _texts_of.next_round()
    for name, collection in COLLECTIONS.items():
        columns = _columns(collection.model)
        texts = [_texts_of(r) for r in sorted(site.records[name].values(), key=lambda r: r.id)]
        as_json = _json_list([item for item, _ in texts])
        as_csv = _csv_text(columns, [line for _, line in texts])
        files += [(f"{EXPORT_DIR}/{name}.json", as_json), (f"{EXPORT_DIR}/{name}.csv", as_csv)]
        downloads.append(
            {
                "collection": collection,
                "count": len(texts),
                "json_kb": len(as_json.encode()) / 1024,
                "csv_kb": len(as_csv.encode()) / 1024,
            }
        )
    page = GeneratedPage(f"{EXPORT_DIR}/index.md", render("exports.md.j2", downloads=downloads, day=site.today))
    return [*files, (page.src_uri, page.content)]
