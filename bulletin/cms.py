"""The editors' web form at /admin/: Decap CMS, with its config generated from the record
schemas (collections, widgets, required flags, Vietnamese labels and hints, relations).

Decap CMS rather than Sveltia CMS: Decap ships a Vietnamese UI locale and Sveltia has none;
Decap's bundle is larger (1.5 MB gzip against 0.64 MB), but only editors load /admin/.
The bundle is vendored from the npm package into bulletin/cms/vendor (no CDN).
"""

from __future__ import annotations

import os
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from .loader import _unwrap
from .model import _ref_fields
from .reference import _declares_month, _is_month
from .render import render
from .schema import COLLECTIONS, FIRST_YEAR, LAST_YEAR

VENDOR = Path(__file__).parent / "cms" / "vendor" / "decap-cms"
DECAP_VERSION = "3.16.3"
# The form talks to the local proxy (make edit) or the forge's API, and to nothing else.
# Inline scripts are allowed here only: the page has none of its own, and `mkdocs serve`
# adds its live-reload script; the form is for editors, not readers.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' http://localhost:8081 https://api.github.com; object-src 'none'; base-uri 'self'"
)
LONG_TEXT = {"summary", "text", "theme", "reason", "note", "title", "caption"}
IDENTIFIERS = {"people": "given_name", "units": "name", "campaigns": "short_title", "honours": "unit", "indicators": "title"}
DISPLAY = {"units": ["name"], "people": ["family_name", "middle_name", "given_name"], "campaigns": ["short_title"]}


def _display_fields(collection: str) -> list[str]:
    return DISPLAY.get(collection, ["title"])


def _relation(target: str, multiple: bool) -> dict:
    fields = _display_fields(target)
    return {
        "widget": "relation", "collection": target, "value_field": "{{slug}}",
        "search_fields": fields, "display_fields": fields, "multiple": multiple,
    }


def _scalar_widget(annotation: Any, info, name: str) -> dict:
    if typing.get_origin(annotation) is Literal:
        return {"widget": "select", "options": [str(a) for a in typing.get_args(annotation)]}
    if annotation is bool:
        return {"widget": "boolean", "default": bool(info.default)}
    if annotation is date:
        today = {"default": "{{now}}"} if info.is_required() else {}
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, **today}
    if annotation is int:
        return {"widget": "number", "value_type": "int", "min": FIRST_YEAR, "max": LAST_YEAR} if name == "year" else {"widget": "number", "value_type": "int"}
    if annotation is float:
        return {"widget": "number", "value_type": "float"}
    if _declares_month(info) or _is_month(info.annotation, list(info.metadata)):
        return {"widget": "string", "pattern": [r"^\d{4}-\d{2}$", "Tháng dạng 2025-09"]}
    if name == "body":
        return {"widget": "markdown"}
    return {"widget": "text" if name in LONG_TEXT and name != "title" else "string"}


def field_config(model: type[BaseModel], name: str) -> dict:
    """One Decap field from one schema field."""
    info = model.model_fields[name]
    config: dict[str, Any] = {"name": name, "label": info.title or name, "required": info.is_required()}
    if info.description:
        config["hint"] = info.description
    annotation = _unwrap(info.annotation)
    target = _ref_fields(model)[name]
    is_list = typing.get_origin(annotation) is list
    item = _unwrap(typing.get_args(annotation)[0]) if is_list else annotation
    if target:
        config.update(_relation(target, is_list))
    elif isinstance(item, type) and issubclass(item, BaseModel):
        fields = fields_config(item)
        if not info.is_required() and not is_list:
            # Decap validates an optional group's required fields even when it is left
            # empty; the loader still requires them once the group is filled in.
            fields = [{**f, "required": False} for f in fields]
        config.update(widget="list" if is_list else "object", fields=fields)
    elif is_list and typing.get_origin(item) is Literal:
        config.update(widget="select", multiple=True, options=[str(a) for a in typing.get_args(item)])
    elif is_list:
        config.update(widget="list")
    else:
        config.update(_scalar_widget(item, info, name))
    return config


def fields_config(model: type[BaseModel]) -> list[dict]:
    return [field_config(model, name) for name in model.model_fields]


def collection_config(name: str) -> dict:
    collection = COLLECTIONS[name]
    identifier = IDENTIFIERS.get(name, "title")
    config = {
        "name": name,
        "label": collection.label,
        "folder": f"data/{name}",
        "create": True,
        "extension": "md" if collection.has_body else "yml",
        "format": "frontmatter" if collection.has_body else "yaml",
        "identifier_field": identifier,
        "slug": "{{slug}}",
        "fields": fields_config(collection.model),
    }
    if name == "people":
        config["summary"] = "{{family_name}} {{middle_name}} {{given_name}}"
    return config


def cms_config(backend: dict | None = None) -> dict:
    """The whole Decap config. BULLETIN_CMS_BACKEND=test-repo gives the in-browser backend
    (used by the tests); the default is the GitHub backend plus Decap's local mode."""
    chosen = backend or ({"name": "test-repo"} if os.environ.get("BULLETIN_CMS_BACKEND") == "test-repo" else {"name": "github", "repo": os.environ.get("BULLETIN_CMS_REPO", "ban-tuyen-giao/ban-tin-thi-dua"), "branch": "main"})
    return {
        "backend": chosen,
        "local_backend": chosen["name"] != "test-repo",
        "locale": "vi",
        # File names are record ids: ASCII, no tone marks, đ -> d (the loader refuses others).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "media_folder": "content/images",
        "public_folder": "/images",
        "site_url": os.environ.get("SITE_URL", "http://127.0.0.1:8000/"),
        "collections": [collection_config(name) for name in COLLECTIONS],
    }


def admin_files(root: Path) -> list[tuple[str, str | bytes]]:
    """/admin/: the page, the generated config and the vendored bundle."""
    files: list[tuple[str, str | bytes]] = [
        ("admin/index.html", render("admin.html.j2", version=DECAP_VERSION, policy=ADMIN_POLICY)),
        ("admin/config.yml", yaml.safe_dump(cms_config(), allow_unicode=True, sort_keys=False)),
    ]
    files += [(f"admin/{f.name}", f.read_bytes()) for f in sorted(VENDOR.iterdir()) if f.suffix in {".js", ".wasm"}]
    return files
