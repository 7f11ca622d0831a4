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
from typing import Any

from pydantic import BaseModel

from .fields import field_shape
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


def _json(rows: list[dict]) -> str:
    # "<" escaped, so no markup survives in the file even if a page ever inlines it.
    return json.dumps(rows, ensure_ascii=False, indent=1).replace("<", "\\u003c")


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


def _csv(model: type[BaseModel], rows: list[dict]) -> str:
    """UTF-8 with BOM, for Excel."""
    columns = csv_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        flat = _flat(row)
        # only an empty group (image: null) has no column of its own: its fields stay empty
        assert all(flat[key] is None for key in set(flat) - set(columns)), set(flat) - set(columns)
        writer.writerow([_cell(flat.get(column)) for column in columns])
    return "\ufeff" + buffer.getvalue()


def export_files(site: Site | None) -> list[tuple[str, str]]:
    if site is None:
        return []
    files, downloads = [], []
    for name, collection in COLLECTIONS.items():
        rows = [record_row(r) for r in sorted(site.records[name].values(), key=lambda r: r.id)]
        as_json, as_csv = _json(rows), _csv(collection.model, rows)
        files += [(f"{EXPORT_DIR}/{name}.json", as_json), (f"{EXPORT_DIR}/{name}.csv", as_csv)]
        downloads.append(
            {
                "collection": collection,
                "count": len(rows),
                "json_kb": len(as_json.encode()) / 1024,
                "csv_kb": len(as_csv.encode()) / 1024,
            }
        )
    page = GeneratedPage(f"{EXPORT_DIR}/index.md", render("exports.md.j2", downloads=downloads, day=site.today))
    return [*files, (page.src_uri, page.content)]
