"""Open data: every public collection as JSON and CSV, with a page listing the downloads.

Exports are made from the published site model, so consent and draft rules apply to them as
to the pages. Consent records themselves are never exported.
"""

from __future__ import annotations

import csv
import io
import json

from .model import Site
from .render import GeneratedPage, render
from .schema import COLLECTIONS, Record

EXPORT_DIR = "du-lieu-mo"
NOT_EXPORTED = {"consent", "sample", "draft", "publish_on"}


def record_row(record: Record) -> dict:
    """A record as plain JSON data: its id first, non-public fields left out."""
    data = record.model_dump(mode="json", exclude=NOT_EXPORTED)
    return {"id": record.id, **data}


def _json(rows: list[dict]) -> str:
    # "<" escaped, so no markup survives in the file even if a page ever inlines it.
    return json.dumps(rows, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def _cell(value):
    """Nested values (lists, groups) as JSON; text that a spreadsheet would run as a
    formula (=, +, @) gets a leading apostrophe."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "@"):
        return "'" + value
    return value


def _csv(rows: list[dict]) -> str:
    """UTF-8 with BOM, for Excel."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return "\ufeff" + buffer.getvalue()


def export_files(site: Site | None) -> list[tuple[str, str]]:
    if site is None:
        return []
    files, downloads = [], []
    for name, collection in COLLECTIONS.items():
        rows = [record_row(r) for r in sorted(site.records[name].values(), key=lambda r: r.id)]
        as_json = _json(rows)
        as_csv = _csv(rows) if rows else "\ufeffid\r\n"
        files += [(f"{EXPORT_DIR}/{name}.json", as_json), (f"{EXPORT_DIR}/{name}.csv", as_csv)]
        downloads.append({"collection": collection, "count": len(rows), "json_kb": len(as_json.encode()) / 1024, "csv_kb": len(as_csv.encode()) / 1024})
    page = GeneratedPage(f"{EXPORT_DIR}/index.md", render("exports.md.j2", downloads=downloads, day=site.today))
    return files + [(page.src_uri, page.content)]
