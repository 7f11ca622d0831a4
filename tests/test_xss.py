"""Hostile HTML and Markdown in every text field of every record type: nothing active
survives into any output file, and no dialog opens in a browser."""

from __future__ import annotations

import json
import typing
from html.parser import HTMLParser
from typing import Literal

import pytest
import yaml

from bulletin.loader import _unwrap
from annotated_types import MaxLen

from bulletin.model import _ref_fields
from bulletin.reference import _declares_month, _is_month, example_record
from bulletin.schema import COLLECTIONS
from conftest import build_project, serve

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg onload=alert(3)><circle/></svg>",
    "[klik](javascript:alert(4))",
    '<a href="javascript:alert(5)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://example.com/"></iframe>',
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(7)>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(8)>",
    "![x](javascript:alert(9))",
    '<a href="jav&#x09;ascript:alert(10)">x</a>',
    "<scr<script>ipt>alert(11)</script>",
]
PAYLOAD = " ".join(PAYLOADS)


def _poison(model, data: dict) -> dict:
    """Every free-text field of ``data`` (and of its nested parts) set to the payloads."""
    refs = _ref_fields(model)
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        if refs[name] or typing.get_origin(annotation) is Literal or name in ("file", "id") or data.get(name) == "2025-09":
            continue
        if any(getattr(m, "pattern", None) for m in info.metadata) or _declares_month(info) or _is_month(info.annotation, list(info.metadata)):
            continue
        if annotation is str:
            limit = min([m.max_length for m in info.metadata if isinstance(m, MaxLen)] or [len(PAYLOAD)])
            data[name] = PAYLOAD[:limit]
        elif isinstance(data.get(name), dict):
            _poison(annotation, data[name])
        elif isinstance(data.get(name), list) and data[name] and isinstance(data[name][0], dict):
            for item in data[name]:
                _poison(_unwrap(typing.get_args(annotation)[0]), item)
        elif isinstance(data.get(name), list) and typing.get_args(annotation) and _unwrap(typing.get_args(annotation)[0]) is str:
            data[name] = [PAYLOAD]
    return data


def _records() -> dict[str, str]:
    """One poisoned record of every type, all referring to each other so every page shows them."""
    units = {
        "units/vi-du.yml": {"name": PAYLOAD, "kind": "phường", "note": PAYLOAD},
    }
    records = {path: yaml.safe_dump(data, allow_unicode=True) for path, data in units.items()}
    for name, collection in COLLECTIONS.items():
        if name == "units":
            continue
        data = _poison(collection.model, example_record(collection.model))
        if name == "people":
            data["consent"] = {"covers": ["tên", "ảnh", "đảng viên", "câu chuyện"], "given_on": "2024-01-01", "given_by": "x", "evidence": "x"}
        if name == "honours":
            data["criteria_met"] = ["vi-du"]
        if name == "criteria":
            data["criteria"] = [{"id": "vi-du", "text": PAYLOAD}]
            data["applies_to"] = ["chi bộ bốn tốt"]
        if name == "commendations":
            data["recipients"] = [{"person": "vi-du"}, {"unit": "vi-du"}, {"household": PAYLOAD, "unit": "vi-du"}]
        data.pop("photo", None), data.pop("image", None)
        records[f"{name}/vi-du.yml"] = yaml.safe_dump(data, allow_unicode=True)
    return records


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: scripts from data, handlers, script URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_article = self._in_article or tag == "article"
        if tag in ("iframe", "object", "embed", "frame") or (self._in_article and tag in ("math", "svg", "style")):
            self.found.append(f"<{tag}>")  # the theme's own icons are inline SVG, outside the article
        for key, value in attrs:
            if key.startswith("on"):
                self.found.append(f"{tag}[{key}]")
            if key in ("href", "src", "action", "srcset") and value and value.replace("\t", "").strip().lower().startswith(("javascript:", "data:text")):
                self.found.append(f"{tag}[{key}={value}]")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append("<script>alert")

    _in_article = False


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    from conftest import write_project

    root = tmp_path_factory.mktemp("xss")
    project = write_project(root / "project", _records())
    return build_project(project, root / "site")


def test_the_poison_reaches_every_record_type(poisoned_site):
    for collection in ("people", "stories", "models", "projects", "commendations", "units", "campaigns", "criteria"):
        page = poisoned_site / COLLECTIONS[collection].url / "vi-du" / "index.html"
        assert "alert(1)" in page.read_text(), collection  # shown as text, so it was really there


def test_no_active_content_survives_in_any_output_file(poisoned_site):
    for path in poisoned_site.rglob("*"):
        if path.suffix == ".html":
            parser = _ActiveContent()
            parser.feed(path.read_text(encoding="utf-8"))
            assert parser.found == [], (path, parser.found)
            assert 'http-equiv="Content-Security-Policy"' in path.read_text(encoding="utf-8")
        elif path.suffix in (".xml", ".json", ".svg") and "assets" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "<script" not in text.lower() and "<img" not in text.lower() and "<iframe" not in text.lower(), path
            if path.suffix == ".json":
                json.loads(text)


def test_no_dialog_opens_in_a_browser(poisoned_site, browser):
    dialogs = []
    with serve(poisoned_site) as url:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("cau-chuyen/vi-du/", "ca-nhan/vi-du/", "don-vi/vi-du/", "khen-thuong/vi-du/", "", "tim-kiem/?q=alert"):
            page.goto(f"{url}/{path}", wait_until="networkidle")
            for link in page.locator("article a").all()[:20]:
                if (link.get_attribute("href") or "").startswith("#"):
                    continue
        page.close()
    assert dialogs == []
