"""The editors' web form at /admin/: Decap CMS, with its config generated from the record
schemas (collections, widgets, required flags, Vietnamese labels and hints, relations).

Decap CMS 3.16.3 rather than Sveltia CMS 0.221.1 (both MIT, both released in September 2026):
Decap's Vietnamese UI is inside its bundle and chosen by `locale: vi`; Sveltia's (vi.json,
89 % of its strings against Decap's 69 %) is fetched at run time from unpkg.com and chosen by
the browser's language, so with no third-party requests allowed the form would be in English.
Decap's local mode (decap-server) works in every browser; Sveltia's needs the File System
Access API (Chromium only). Decap is heavier (1.5 MB gzip against 0.64 MB) but only editors
load /admin/. The bundle is vendored from the npm package into bulletin/cms/vendor (no CDN).
"""

from __future__ import annotations

import os
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from .fields import Shape, alias_of, field_shape, ref_fields
from .render import render
from .schema import COLLECTIONS, FIRST_YEAR, ID_PATTERN, LAST_YEAR, Image, Month, Year

VENDOR = Path(__file__).parent / "cms" / "vendor" / "decap-cms"
DECAP_VERSION = "3.16.3"
# The form talks to the local proxy (make edit) or the forge's API, and to nothing else
# (blob: and data: are the photos an editor uploads, read back before they are saved).
# Inline scripts are allowed here only: the page has none of its own, and `mkdocs serve`
# adds its live-reload script; the form is for editors, not readers.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' blob: data: http://localhost:8081 https://api.github.com; object-src 'none'; base-uri 'self'"
)
LONG_TEXT = {"summary", "text", "theme", "reason", "note", "caption"}
MONTH_PATTERN = r"^\s*(\d{4}-\d{1,2}|\d{1,2}/\d{4})\s*$"  # what the loader accepts
SHORT_ITEMS = {"tags", "criteria_met"}  # other lists of text hold sentences: one text box each
DISPLAY = {"units": ["name"], "people": ["family_name", "middle_name", "given_name"], "campaigns": ["short_title"]}
# How the form names a new record's file (its id and URL), following the names already used
# in data/: people by full name, a collective honour by unit and year, and so on.
IDENTIFIERS = {"people": "given_name", "units": "name", "campaigns": "short_title", "honours": "unit", "indicators": "title"}
SLUGS = {
    "people": "{{fields.family_name}}-{{fields.middle_name}}-{{fields.given_name}}",
    "honours": "{{fields.unit}}-{{fields.year}}",
    "indicators": "{{fields.title}}-{{fields.unit}}",
    "commendations": "{{fields.decision_number}}-{{fields.title}}",
}
SUMMARIES = {
    "people": "{{family_name}} {{middle_name}} {{given_name}}",
    "honours": "{{unit}} — {{year}} — {{title}}",
    "indicators": "{{title}} — {{unit}}",
    "commendations": "{{title}} — {{decision_number}}",
}


def _display_fields(collection: str) -> list[str]:
    return DISPLAY.get(collection, ["title"])


def _relation(target: str, multiple: bool) -> dict:
    fields = _display_fields(target)
    return {
        "widget": "relation",
        "collection": target,
        "value_field": "{{slug}}",
        "search_fields": fields,
        "display_fields": fields,
        "multiple": multiple,
    }


def _bounds(shape: Shape) -> dict:
    """min/max of a number, from the schema's ge/le/gt/lt."""
    bounds = {}
    for key, names in (("min", ("ge", "gt")), ("max", ("le", "lt"))):
        value = next((v for n in names if (v := shape.constraint(n)) is not None), None)
        if value is not None:
            bounds[key] = value
    return bounds


def _scalar_widget(shape: Shape, name: str, required: bool, default: Any = None) -> dict:
    """The widget of one value (a field, or each item of a list of plain values)."""
    base, alias = shape.base, alias_of(shape)
    if typing.get_origin(base) is Literal:
        return {"widget": "select", "options": [str(a) for a in typing.get_args(base)]}
    if base is bool:
        return {"widget": "boolean", "default": bool(default)}
    if alias is Year:
        return {"widget": "number", "value_type": "int", "min": FIRST_YEAR, "max": LAST_YEAR}
    if alias is Month:
        return {"widget": "string", "pattern": [MONTH_PATTERN, "Tháng dạng 9/2025 hoặc 2025-09"]}
    if base is date:
        today = {"default": "{{now}}"} if required else {}
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, **today}
    if base in (int, float):
        return {"widget": "number", "value_type": "int" if base is int else "float", **_bounds(shape)}
    if name == "body":
        return {"widget": "markdown"}
    config: dict[str, Any] = {"widget": "text" if name in LONG_TEXT else "string"}
    if pattern := shape.constraint("pattern"):
        explained = (
            "Chỉ chữ thường không dấu, chữ số và dấu gạch nối, ví dụ «tot-nhiem-vu»"
            if pattern == ID_PATTERN
            else "Chưa đúng dạng"
        )
        config["pattern"] = [pattern, explained]
    elif (longest := shape.constraint("max_length")) is not None:
        config["pattern"] = [f"^[\\s\\S]{{0,{longest}}}$", f"Tối đa {longest} ký tự"]
    return config


def field_config(model: type[BaseModel], name: str) -> dict:
    """One Decap field from one schema field."""
    info = model.model_fields[name]
    shape = field_shape(info)
    config: dict[str, Any] = {"name": name, "label": info.title or name, "required": info.is_required()}
    if info.description:
        config["hint"] = info.description
    target = ref_fields(model)[name]
    is_list = shape.base is list
    if is_list and (fewest := shape.constraint("min_length")):
        config["min"] = fewest
    part = shape.model()
    if model is Image and name == "file":
        # Upload into content/images (media_folder) and store "images/x.jpg", as the schema asks.
        config.update(widget="image", choose_url=False)
    elif target:
        config.update(_relation(target, is_list))
    elif part is not None:
        fields = fields_config(part)
        if not info.is_required() and not is_list:
            fields = [_left_empty(f) for f in fields]
        config.update(widget="list" if is_list else "object", fields=fields)
    elif is_list and typing.get_origin(shape.item.base) is Literal:
        config.update(widget="select", multiple=True, options=[str(a) for a in typing.get_args(shape.item.base)])
    elif is_list:
        # One input per item: a bare list widget is one comma-separated input, which would
        # split every slogan or sentence that contains a comma.
        item = {"name": name, "label": config["label"], **_scalar_widget(shape.item, name, True)}
        if item["widget"] == "string" and name not in SHORT_ITEMS:
            item["widget"] = "text"
        config.update(widget="list", field=item)
    else:
        config.update(_scalar_widget(shape, name, info.is_required(), info.default))
    return config


def _left_empty(field: dict) -> dict:
    """A field of an optional group (a photo, a consent): Decap validates the group's required
    fields even when the group is left empty, and saves its defaults (today, false) as a
    half-filled group; so neither here. The loader still requires them once it is filled in."""
    field = {k: v for k, v in field.items() if k != "default"} | {"required": False}
    if field["widget"] == "object":
        field["fields"] = [_left_empty(f) for f in field["fields"]]
    return field


def fields_config(model: type[BaseModel]) -> list[dict]:
    return [field_config(model, name) for name in model.model_fields]


def collection_config(name: str) -> dict:
    collection = COLLECTIONS[name]
    identifier = IDENTIFIERS.get(name, "title")
    config: dict[str, Any] = {
        "name": name,
        "label": collection.label,
        "folder": f"data/{name}",
        "create": True,
        "extension": "md" if collection.has_body else "yml",
        "format": "frontmatter" if collection.has_body else "yaml",
        "identifier_field": identifier,
        "slug": SLUGS.get(name, "{{slug}}"),
        "fields": fields_config(collection.model),
    }
    if name in SUMMARIES:
        config["summary"] = SUMMARIES[name]
    return config


def cms_config(backend: dict | None = None) -> dict:
    """The whole Decap config. BULLETIN_CMS_BACKEND=test-repo gives the in-browser backend
    (used by the tests); the default is the GitHub backend plus Decap's local mode."""
    chosen = backend or (
        {"name": "test-repo"}
        if os.environ.get("BULLETIN_CMS_BACKEND") == "test-repo"
        else {"name": "github", "repo": os.environ.get("BULLETIN_CMS_REPO", "ban-tuyen-giao/ban-tin-thi-dua"), "branch": "main"}
    )
    return {
        "backend": chosen,
        "local_backend": chosen["name"] != "test-repo",
        "locale": "vi",
        # File names are record ids: ASCII, no tone marks, đ -> d (the loader refuses others).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "media_folder": "content/images",
        "public_folder": "images",  # stored as images/x.jpg: the path inside content/
        "site_url": os.environ.get("SITE_URL", "http://127.0.0.1:8000/"),
        "collections": [collection_config(name) for name in COLLECTIONS],
    }


def admin_files(root: Path) -> list[tuple[str, str | bytes]]:
    """/admin/: the page, the generated config and the vendored bundle."""
    files: list[tuple[str, str | bytes]] = [
        ("admin/index.html", render("admin.html.j2", version=DECAP_VERSION, policy=ADMIN_POLICY)),
        ("admin/config.yml", yaml.safe_dump(cms_config(), allow_unicode=True, sort_keys=False)),
    ]
    served = [f for f in sorted(VENDOR.iterdir()) if f.suffix in {".js", ".wasm"} or f.name.endswith(".js.LICENSE.txt")]
    files += [(f"admin/{f.name}", f.read_bytes()) for f in served]
    return files
