"""The editors' web form at /admin/: Sveltia CMS, with its config generated from the record
schemas (collections, widgets, required flags, Vietnamese labels and hints, relations) and its
sign-in from settings given at build time (BULLETIN_CMS_*, see `backend_config`).

Sveltia CMS 0.221.1 rather than Decap CMS 3.16.3, chosen by running the same editor flows on
both (README, "Dependencies and why"): Sveltia edits a local folder from Chromium without a proxy, signs
in with a token or PKCE and no server of ours, writes YAML without folding lines (so a saved
file keeps the layout `python -m bulletin fmt` gives every file, and a one-field edit is a
one-line diff), and is 0.64 MB gzip against Decap's 1.5 MB. Its interface strings and fonts
are fetched from public CDNs by the bundle: the copies vendored beside it are served instead
(`offline_bundle`), so the form makes no third-party request.
"""

from __future__ import annotations

import json
import os
import re
import typing
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel

from .fields import Shape, alias_of, field_shape, ref_fields
from .render import render
from .schema import COLLECTIONS, FIRST_YEAR, ID_PATTERN, LAST_YEAR, Image, Month, Year

OWN = Path(__file__).parent / "cms"
VENDOR = OWN / "vendor" / "sveltia-cms"
SVELTIA_VERSION = "0.221.1"
# Where the bundle looks for what it does not carry, and the vendored file served instead.
# Each address must be found in the bundle: an upgrade that moves one fails the build here,
# not silently in the editors' browser.
OFFLINE_ADDRESSES = {
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2": (
        "fonts/source-sans-3-latin-wght-normal.woff2"
    ),
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2": "fonts/noto-mono-latin-400-normal.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2": (
        "fonts/material-symbols-outlined-latin-wght-normal.woff2"
    ),
}
# The interface strings: `${cdn}@${version}/locales` + "/vi.json", and the check for a newer
# release: `${cdn}/package.json` (answered by a package.json of the vendored version).
LOCALES_ADDRESS = re.compile(r"`\$\{\w+\}@\$\{\w+\}/locales`")
RELEASE_CHECK_ADDRESS = re.compile(r"`\$\{\w+\}/package\.json`")

LONG_TEXT = {"summary", "text", "theme", "reason", "note", "caption"}
MONTH_PATTERN = r"^\s*(\d{4}-\d{1,2}|\d{1,2}/\d{4})\s*$"  # what the loader accepts
SHORT_ITEMS = {"tags", "criteria_met"}  # other lists of text hold sentences: one text box each
# What a picker shows of a record: units by name, kind and validity, since «Phường Sa Huỳnh»
# and «Đảng bộ phường Sa Huỳnh» (or three «Nguyễn Nghiêm») differ only there.
DISPLAY = {
    # name and kind: «Phường Sa Huỳnh · phường», «Đảng bộ phường Sa Huỳnh · đảng bộ cơ sở». Not the
    # validity dates: Sveltia 0.221 shows another field's value where one is empty (valid_to of a
    # current unit) and refuses the default() transformation in a relation's display.
    "units": "{{name}} · {{kind}}",
    "people": "{{family_name}} {{middle_name}} {{given_name}}",
    "campaigns": "{{short_title}}",
}
SEARCH = {"units": ["name", "kind"], "people": ["family_name", "middle_name", "given_name"], "campaigns": ["short_title"]}
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
    "units": DISPLAY["units"],
    "honours": "{{unit}} — {{year}} — {{title}}",
    "indicators": "{{title}} — {{unit}}",
    "commendations": "{{title}} — {{decision_number}}",
}
# A collapsed item of a list of parts: its date and what it is, rather than only its first field.
ITEM_SUMMARIES = {
    "milestones": "{{fields.date | date('D/M/YYYY')}} — {{fields.title}}{{fields.done | ternary(' ✓ đã đạt', '')}}",
    "progress": "{{fields.date | date('D/M/YYYY')}} — {{fields.percent}} %",
    "phases": "{{fields.name}}",
    "reviews": "{{fields.kind}} {{fields.month}}",
    "honours": "{{fields.year}} — {{fields.title}}",
    "recipients": "{{fields.person}}{{fields.unit}} {{fields.household}}",
}


def _relation(target: str, multiple: bool) -> dict:
    return {
        "widget": "relation",
        "collection": target,
        "value_field": "{{slug}}",
        "search_fields": SEARCH.get(target, ["title"]),
        "display_fields": [DISPLAY.get(target, "{{title}}")],
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
        return {"widget": "datetime", "format": "YYYY-MM-DD", "time_format": False, **today}
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
    """One form field from one schema field."""
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
        # An optional group (a photo, a consent) is left out until the editor adds it; its
        # own required fields are checked only once it is there.
        config.update(widget="list" if is_list else "object", fields=fields_config(part))
        if is_list and name in ITEM_SUMMARIES:
            config["summary"] = ITEM_SUMMARIES[name]
    elif shape.item is not None and typing.get_origin(shape.item.base) is Literal:
        config.update(widget="select", multiple=True, options=[str(a) for a in typing.get_args(shape.item.base)])
    elif shape.item is not None:
        # One input per item: a bare list widget is one comma-separated input, which would
        # split every tag, slogan or sentence that contains a comma.
        item = {"name": name, "label": config["label"], **_scalar_widget(shape.item, name, True)}
        if item["widget"] == "string" and name not in SHORT_ITEMS:
            item["widget"] = "text"
        config.update(widget="list", field=item)
    else:
        config.update(_scalar_widget(shape, name, info.is_required(), info.default))
    return config


def fields_config(model: type[BaseModel]) -> list[dict]:
    return [field_config(model, name) for name in model.model_fields]


def collection_config(name: str) -> dict:
    collection = COLLECTIONS[name]
    identifier = IDENTIFIERS.get(name, "title")
    return {
        "name": name,
        "label": collection.label,
        "folder": f"data/{name}",
        "create": True,
        "extension": "md" if collection.has_body else "yml",
        "format": "frontmatter" if collection.has_body else "yaml",
        "identifier_field": identifier,
        "slug": SLUGS.get(name, "{{slug}}"),
        "summary": SUMMARIES.get(name, "{{title}}"),
        "fields": fields_config(collection.model),
    }


# --- Sign-in: which forge, chosen at build time ------------------------------------------------
FORGES = {
    # backend: (default address, API path, authorisation path)
    "github": ("https://github.com", "", ""),
    "gitlab": ("https://gitlab.com", "/api/v4", "oauth/authorize"),
    "gitea": ("https://gitea.com", "/api/v1", "login/oauth/authorize"),
}
GITHUB_API = "https://api.github.com"


def backend_config(env: Mapping[str, str]) -> dict:
    """The `backend` section from BULLETIN_CMS_* settings (README, "Web form"):

    BULLETIN_CMS_BACKEND   github (default), gitlab (gitlab.com or self-hosted), gitea
                           (Gitea or Forgejo), or test-repo (in the browser only, for tests)
    BULLETIN_CMS_REPO      owner/name of the repository holding data/
    BULLETIN_CMS_BRANCH    branch the form commits to (default main)
    BULLETIN_CMS_BASE_URL  GitLab/Gitea/Forgejo: the forge's address (default gitlab.com or
                           gitea.com); GitHub: the address of the ward's OAuth relay, if any
    BULLETIN_CMS_APP_ID    GitLab/Gitea/Forgejo: the OAuth application's id (PKCE, no secret)
    BULLETIN_CMS_API_ROOT  the forge's API, when it is not the usual one (GitHub Enterprise)

    With no OAuth application (or relay for GitHub), editors sign in with a personal access
    token; either way no server of ours is involved.
    """
    name = env.get("BULLETIN_CMS_BACKEND") or "github"
    if name == "test-repo":
        return {"name": "test-repo"}
    if name not in FORGES:
        raise ValueError(f"BULLETIN_CMS_BACKEND={name}: chọn một trong github, gitlab, gitea, test-repo")
    default_address, api_path, auth_endpoint = FORGES[name]
    config: dict[str, Any] = {
        "name": name,
        "repo": env.get("BULLETIN_CMS_REPO") or "ban-tuyen-giao/ban-tin-thi-dua",
        "branch": env.get("BULLETIN_CMS_BRANCH") or "main",
    }
    address = (env.get("BULLETIN_CMS_BASE_URL") or "").rstrip("/")
    app_id = env.get("BULLETIN_CMS_APP_ID") or ""
    if name == "github":
        config["api_root"] = env.get("BULLETIN_CMS_API_ROOT") or GITHUB_API
        if address:  # an OAuth relay: GitHub's token exchange needs a secret, kept there
            config.update(base_url=address, auth_methods=["oauth", "token"])
        else:
            config["auth_methods"] = ["token"]
        return config
    address = address or default_address
    config.update(base_url=address, api_root=env.get("BULLETIN_CMS_API_ROOT") or address + api_path)
    if app_id:
        config.update(app_id=app_id, auth_endpoint=auth_endpoint, auth_methods=["oauth", "token"])
        if name == "gitlab":
            config["auth_type"] = "pkce"
    else:
        config["auth_methods"] = ["token"]
    return config


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def admin_policy(backend: dict) -> str:
    """The form's CSP: its own files, the photos an editor picks (blob:, data:), and the
    chosen forge's API and sign-in addresses, nothing else. Styles inline: Svelte injects
    them. No inline script: the page has none."""
    forge = sorted({_origin(backend[k]) for k in ("api_root", "base_url") if backend.get(k)} - {""})
    if backend.get("name") == "github" and backend.get("base_url"):
        forge = [_origin(backend["api_root"])]  # the relay is opened in a window, not fetched
    connect = " ".join(["'self'", "blob:", "data:", *forge])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:; font-src 'self'; connect-src {connect}; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def cms_config(env: Mapping[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    return {
        "backend": backend_config(env),
        # File names are record ids: ASCII, no tone marks, đ -> d (the loader refuses others).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "media_folder": "content/images",
        "public_folder": "images",  # stored as images/x.jpg: the path inside content/
        # An uploaded photo gets an ASCII file name ("Ảnh chị Lan.jpg" -> anh-chi-lan.jpg).
        "media_libraries": {"default": {"config": {"slugify_filename": True}}},
        "site_url": env.get("SITE_URL", "http://127.0.0.1:8000/"),
        # The layout `python -m bulletin fmt` gives data/ (bulletin/layout.py): an empty
        # optional field is left out, strings unquoted where YAML allows, lists indented.
        "output": {"omit_empty_optional_fields": True, "yaml": {"indent_size": 2, "indent_sequences": True, "quote": "none"}},
        "collections": [collection_config(name) for name in COLLECTIONS],
    }


def offline_bundle(bundle: str) -> str:
    """The vendored bundle with its CDN addresses pointed at the files served beside it."""
    for address, local in OFFLINE_ADDRESSES.items():
        if address not in bundle:
            raise ValueError(f"{address} is no longer in the Sveltia CMS bundle: re-check OFFLINE_ADDRESSES")
        bundle = bundle.replace(address, local)
    for pattern, local in ((LOCALES_ADDRESS, "`locales`"), (RELEASE_CHECK_ADDRESS, "`package.json`")):
        bundle, count = pattern.subn(local, bundle)
        if count != 1:
            raise ValueError(f"{pattern.pattern} found {count} times in the Sveltia CMS bundle, expected once")
    return bundle


def admin_files(root: Path, env: Mapping[str, str] | None = None) -> list[tuple[str, str | bytes]]:
    """/admin/: the page, the generated config, our small script and style, and the vendored form."""
    env = os.environ if env is None else env
    config, config_yaml = _config(tuple(sorted((k, v) for k, v in env.items() if k.startswith(("BULLETIN_CMS_", "SITE_URL")))))
    page = render("admin.html.j2", version=SVELTIA_VERSION, policy=admin_policy(config["backend"]))
    files: list[tuple[str, str | bytes]] = [
        ("admin/index.html", page),
        ("admin/config.yml", config_yaml),
        ("admin/admin.js", (OWN / "admin.js").read_bytes()),
        ("admin/admin.css", (OWN / "admin.css").read_bytes()),
    ]
    return files + list(vendored_files())


@cache
def _config(settings: tuple[tuple[str, str], ...]) -> tuple[dict, str]:
    """The form's config from the settings it reads, and its YAML, made once per settings:
    the dump takes a tenth of a second, which every save under `mkdocs serve` would wait for."""
    config = cms_config(dict(settings))
    return config, yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


@cache
def vendored_files() -> tuple[tuple[str, bytes], ...]:
    """The third-party files of /admin/ as written: the bundle (pointed at our copies of what it
    would fetch elsewhere), its licence, strings and fonts. Not data: the output check skips them."""
    files = [
        ("admin/sveltia-cms.js", offline_bundle((VENDOR / "sveltia-cms.js").read_text(encoding="utf-8")).encode()),
        ("admin/package.json", json.dumps({"name": "@sveltia/cms", "version": SVELTIA_VERSION}).encode()),
        ("admin/LICENSE.txt", (VENDOR / "LICENSE.txt").read_bytes()),
    ]
    # The strings hold a little HTML ("<b>"): written with "<" escaped, as every JSON file of
    # the site is, the same JSON to the form.
    files += [
        (f"admin/locales/{f.name}", f.read_text(encoding="utf-8").replace("<", "\\u003c").encode())
        for f in sorted((VENDOR / "locales").glob("*.json"))
    ]
    files += [(f"admin/fonts/{f.name}", f.read_bytes()) for f in sorted((VENDOR / "fonts").iterdir())]
    return tuple(files)
