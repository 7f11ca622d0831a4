"""Hostile HTML and Markdown in every text field of every record type (found by walking the
schemas, optional and nested fields included) and in every body: nothing active survives into
any output file, no dialog opens and no Content-Security-Policy violation happens in a browser.
The Content-Security-Policy allows the theme's inline scripts and nothing else."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import types
import typing
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Annotated, Literal, Union

import pytest
import yaml
from annotated_types import MaxLen
from conftest import build_project, serve, write_project
from mkdocs.exceptions import Abort
from PIL import Image
from pydantic import BaseModel

from bulletin import schema
from bulletin.schema import COLLECTIONS, RefTo

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
    '<a href="&#106;avascript:alert(12)">x</a>',
    '<a href="JaVaScRiPt:alert(13)">x</a>',
    "[x](&#x6A;avascript:alert(14))",
    "<javascript:alert(15)>",
    '<svg><a xlink:href="javascript:alert(16)"><text y="20">x</text></a></svg>',
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTcpPjwvc3ZnPg=="/></svg>',
    '<object data="javascript:alert(18)"></object><embed src="javascript:alert(19)">',
    '<base href="https://evil.example/">',
    '<form action="javascript:alert(20)"><button formaction="javascript:alert(21)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
    '<div style="background:url(javascript:alert(23))">x</div>',
    '<img src="https://tracker.example/p.gif" alt="">',
    '<img src="data:image/svg+xml,&lt;svg onload=alert(24)&gt;">',
    '<noscript><p title="</noscript><img src=x onerror=alert(25)>"></noscript>',
    '<!--<img src="--><img src=x onerror=alert(26)//">',
    'chữ{: onclick="alert(27)" }',
    "%3Cscript%3Ealert(28)%3C/script%3E &lt;script&gt;alert(29)&lt;/script&gt;",
    "{{ 7*7 }} {% raw %}x{% endraw %} ${7*7}",
    '<a href="  javascript:alert(30)">x</a> <a href="vbscript:msgbox(31)">x</a>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
]
PAYLOAD = " ".join(PAYLOADS)
# In a body each payload gets a paragraph of its own, and the one that leaves a <style> open
# (which swallows everything after it) comes last: otherwise the later ones would never be
# tested. Then Markdown that needs lines of its own: reference links, block attributes.
SWALLOWS = PAYLOADS[9]
assert SWALLOWS.startswith("<math>")
BODY_PAYLOAD = (
    "\n\n".join(p for p in PAYLOADS if p != SWALLOWS)
    + """

[tham khảo][r] và [khác][s]

[r]: javascript:alert(40)
[s]: data:text/html;base64,PHNjcmlwdD5hbGVydCg0MSk8L3NjcmlwdD4=

## Mục {: onmouseover="alert(42)" }

Đoạn văn
{: onclick="alert(43)" }

<div markdown="1" onclick="alert(44)">**md_in_html**</div>

<script>
alert(45)
</script>

<svg><script>alert(46)</script></svg>

<p id="__config">{"base": "https://evil.example/", "search": "https://evil.example/w.js"}</p>

<p class="md-header md-header--shadow" id="__search">a fake header</p>

"""
    + SWALLOWS
)
PHOTO = "images/xss.jpg"
CONSENT_FIELDS = {"Consent.given_by", "Consent.evidence"}  # must never be published at all


# --- A record of every type with every text field poisoned ---------------------------------
class _Poisoner:
    """Walks a schema model and fills every field with a valid value; every free-text field
    (str, not an id, reference, choice, date or month) gets its own marker and the payload."""

    def __init__(self):
        self.markers: dict[str, str] = {}  # marker -> Model.field

    def text(self, where: str, limit: int | None, body: bool) -> str:
        marker = f"qz{len(self.markers):03d}qz"
        self.markers[marker] = where
        text = f"{marker} " + (BODY_PAYLOAD if body else PAYLOAD)
        return text[:limit] if limit else text

    def record(self, model: type[BaseModel]) -> dict:
        return {
            name: self.value(info.annotation, list(info.metadata), f"{model.__name__}.{name}")
            for name, info in model.model_fields.items()
        }

    def value(self, annotation, metadata: list, where: str):
        while True:  # Annotated and Optional down to the type that holds values
            origin = typing.get_origin(annotation)
            if origin is Annotated:
                annotation, *extra = typing.get_args(annotation)
                metadata = metadata + list(extra)
            elif origin in (Union, types.UnionType):
                annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
            else:
                break
        validators = {getattr(getattr(m, "func", None), "__name__", None) for m in metadata}
        if any(isinstance(m, RefTo) for m in metadata):
            return "vi-du"
        if "_parse_month" in validators:
            return "2025-09"
        if "_parse_date" in validators or annotation is date:
            return "2024-01-01"
        if "_check_year" in validators:
            return 2024
        if typing.get_origin(annotation) is Literal:
            return typing.get_args(annotation)[0]
        if typing.get_origin(annotation) is list:
            return [self.value(typing.get_args(annotation)[0], [], where)]
        if annotation is bool:
            return False
        if annotation in (int, float):
            return 1
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.record(annotation)
        assert annotation is str, (where, annotation)
        if any(getattr(m, "pattern", None) for m in metadata):
            return "vi-du"
        limit = min([m.max_length for m in metadata if isinstance(m, MaxLen)] or [0]) or None
        return self.text(where, limit, body=where.endswith(".body"))


def _records(poisoner: _Poisoner) -> dict[str, str]:
    records = {}
    for name, collection in COLLECTIONS.items():
        data = poisoner.record(collection.model)
        data.update(draft=False, publish_on=None, sample=False)
        for image_field in ("photo", "image"):
            if image_field in data:
                data[image_field]["file"] = PHOTO
        if name == "units":
            data.update(parent=None, successors=[], territory_to=[], valid_from=None, valid_to=None)
        if name == "people":
            data["consent"].update(covers=["tên", "ảnh", "đảng viên", "câu chuyện"], withdrawn_on=None, guardian=False)
        if name == "criteria":
            data["applies_to"] = list(typing.get_args(schema.HonourKind))
        if name == "honours":
            data["criteria_met"] = ["vi-du"]
        if name == "commendations":
            household = poisoner.text("Recipient.household", None, body=False)
            consent = {**poisoner.record(schema.Consent), "covers": ["tên"], "withdrawn_on": None, "guardian": False}
            named = {"household": household, "unit": "vi-du", "consent": consent}  # named: its consent covers «tên»
            data["recipients"] = [{"person": "vi-du"}, {"unit": "vi-du"}, named]
        records[f"{name}/vi-du.yml"] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    written = "".join(records.values())  # markers of fields replaced above are not in the data
    poisoner.markers = {marker: where for marker, where in poisoner.markers.items() if marker in written}
    return records


class _ActiveContent(HTMLParser):
    """Collects what a browser would run or fetch from a page: scripts from data, handlers,
    script and data URLs, frames, forms, base and refresh tags, other hosts' resources."""

    RESOURCE_TAGS = ("img", "source", "script", "link", "video", "audio", "track", "input")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.inline_scripts: list[str] = []
        self._script: list[str] | None = None
        self._article = False

    def handle_starttag(self, tag, attrs):
        attrs = [(k, v or "") for k, v in attrs]
        self._article = self._article or tag == "article"
        if tag in ("iframe", "object", "embed", "frame", "frameset", "base", "applet"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")
        if self._article and tag in ("math", "svg", "style", "script", "link", "meta", "noscript", "form", "button", "input"):
            self.found.append(f"<{tag}> in the article")  # the theme's own icons are inline SVG, outside it
        for key, value in attrs:
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if (
                self._article
                and tag != "article"
                and ((key == "id" and value.startswith("__")) or (key == "class" and re.search(r"(^|\s)md-", value)))
            ):
                self.found.append(f"{tag}[{key}={value}] clobbers the theme")
            if key.startswith("on") or key == "formaction":
                self.found.append(f"{tag}[{key}]")
            if key in ("href", "src", "action", "srcset", "data", "xlink:href", "poster", "background") and compact.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.found.append(f"{tag}[{key}={value}]")
            if key == "style" and ("url(" in compact or "expression(" in compact):
                self.found.append(f"{tag}[style={value}]")
            if key in ("src", "srcset") and tag in self.RESOURCE_TAGS and re.match(r"(https?:)?//", value.strip()):
                self.found.append(f"{tag}[{key}={value}] from another host")
        if tag == "script" and not dict(attrs).get("src"):
            self._script = []

    def handle_endtag(self, tag):
        if tag == "article":
            self._article = False
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def _active(html: str) -> _ActiveContent:
    parser = _ActiveContent()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    poisoner = _Poisoner()
    project = write_project(root / "project", _records(poisoner))
    (project / "content" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (40, 90, 160)).save(project / "content" / PHOTO)
    # These tests read what the sanitiser and the templates let through. The output checks
    # would refuse this site (its payloads make broken links), so they are left out here;
    # test_refused_by_the_output_checks_all_the_same shows that they do refuse it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bulletin.build.check_output", lambda *args, **kwargs: [])
        site = build_project(project, root / "site")
    return SimpleNamespace(site=site, markers=poisoner.markers, project=project)


def test_refused_by_the_output_checks_all_the_same(poisoned, tmp_path, caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(poisoned.project, tmp_path / "site")
    assert any("liên kết hỏng" in r.getMessage() for r in caplog.records)
    assert not (tmp_path / "site").exists()


def _outputs(site):
    return [
        p
        for p in sorted(site.rglob("*"))
        if p.is_file()
        and "assets" not in p.relative_to(site).parts
        and p.suffix in {".html", ".xml", ".json", ".svg", ".csv", ".txt"}
    ]


def test_every_text_field_of_every_record_type_is_poisoned_and_reaches_the_site(poisoned):
    fields = set(poisoned.markers.values())
    # the walk found the nested and optional text fields, not only the top-level ones
    assert {
        "Person.role",
        "Image.alt",
        "Image.caption",
        "Commitment.text",
        "Document.title",
        "Recipient.household",
        "Story.body",
        "Campaign.body",
        "Milestone.title",
        "Criterion.text",
        "Unit.note",
    } <= fields
    assert len(fields) > 60, len(fields)
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in _outputs(poisoned.site)).lower()
    missing = {where for marker, where in poisoned.markers.items() if marker not in text} - CONSENT_FIELDS
    assert missing == set(), "poisoned fields that reach no output, so the test does not prove them safe"
    leaked = {where for marker, where in poisoned.markers.items() if marker in text} & CONSENT_FIELDS
    assert leaked == set()
    for collection in ("people", "stories", "models", "projects", "commendations", "units", "campaigns", "criteria"):
        page = poisoned.site / COLLECTIONS[collection].url / "vi-du" / "index.html"
        assert "alert(1)" in page.read_text(encoding="utf-8"), collection  # shown as text: it was really there
    story = (poisoned.site / "cau-chuyen" / "vi-du" / "index.html").read_text(encoding="utf-8")
    assert "a fake header" in story and "md_in_html" in story and "tham khảo" in story  # the whole body got through


def test_the_detector_sees_every_payload_when_it_is_not_cleaned():
    found = [
        _active(f"<html><body><article>{payload}</article></body></html>") for payload in PAYLOADS + BODY_PAYLOAD.split("\n\n")
    ]
    kinds = " ".join(kind for f in found for kind in f.found)
    for expected in (
        "img[onerror]",
        "svg[onload]",
        "a[href=javascript:alert(5)]",
        "a[href=data:",
        "<iframe>",
        "<style> in the article",
        "details[ontoggle]",
        "a[href=jav\tascript",
        "a[href=javascript:alert(12)]",
        "a[href=JaVaScRiPt",
        "<object>",
        "<embed>",
        "<base>",
        "<form> in the article",
        "button[formaction]",
        "p[id=__config] clobbers",
        "p[class=md-header",
        "<meta refresh>",
        "div[style=",
        "from another host",
        "img[src=data:",
        "div[onclick]",
    ):
        assert expected in kinds, expected
    assert any("alert(1)" in script for f in found for script in f.inline_scripts)


def test_no_active_content_survives_in_any_html_page(poisoned):
    pages = [p for p in _outputs(poisoned.site) if p.suffix == ".html" and "admin" not in p.parts]
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = _active(html)
        if path.relative_to(poisoned.site).as_posix() == "tim-kiem/index.html":  # the search form is the page
            found.found = [
                f
                for f in found.found
                if f
                not in {"<form> in the article", "<input> in the article", "<button> in the article", "<noscript> in the article"}
            ]
        assert found.found == [], (path, found.found)
        assert not any("alert(" in script or "msgbox" in script for script in found.inline_scripts), path
        assert 'http-equiv="Content-Security-Policy"' in html, path


def test_feeds_charts_and_exports_carry_the_payload_only_as_text(poisoned):
    for path in _outputs(poisoned.site):
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix in (".xml", ".svg"):
            tree = ET.fromstring(text.encode())  # well-formed: the payload did not break out
            tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
            assert not tags & {"script", "img", "iframe", "a", "style", "foreignObject", "object"} - (
                {"a"} if path.suffix == ".svg" else set()
            ), (path, tags)
            if path.suffix == ".xml" and "feed" in tree.tag:
                # Atom text constructs without type="html": readers show the payload as text
                assert not any(e.get("type") in ("html", "xhtml") for e in tree.iter()), path
        elif path.suffix == ".json":
            json.loads(text)
            assert "<" not in text, path  # escaped as \u003c: nothing can be inlined as markup
        elif path.suffix == ".csv":
            for row in csv.reader(io.StringIO(text)):
                assert not any(cell[:1] in ("=", "+", "@") for cell in row), (path, row)


def test_csp_hashes_only_the_theme_scripts_not_a_script_in_the_page_content():
    from bulletin import build

    theme = "<script>var theme=1</script>"
    injected = "<script>alert(1)</script>"
    content = f"<p>x</p>{injected}"
    output = f'<html><head><meta charset="utf-8">{theme}</head><body><article>{content}</article></body></html>'
    page = SimpleNamespace(content=content)
    result = build.on_post_page(output, page, None)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', result)[1]
    hashes = re.findall(r"'sha256-[^']+'", policy)
    from bulletin.csp import _hash

    assert hashes == [_hash("var theme=1")]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "base-uri 'self'" in policy
    assert (
        result.replace(result[result.index("<meta http-equiv") : result.index(">", result.index("<meta http-equiv")) + 1], "")
        == output
    )


_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


def _visit(browser, url: str, paths: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Dialogs, CSP violations and console errors seen while loading ``paths``."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.add_init_script(_VIOLATIONS)
    page = context.new_page()
    dialogs, violations, console = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: msg.type in ("error", "warning") and console.append(msg.text))
    try:
        for path in paths:
            page.goto(f"{url}/{path}", wait_until="networkidle")
            for element in page.locator("article a, article img, article p, article details").all()[:40]:
                element.dispatch_event("mouseover")
                element.dispatch_event("focus")
            page.wait_for_timeout(50)
            violations += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
    finally:
        context.close()
    return dialogs, violations, console


def test_no_dialog_and_no_blocked_script_on_the_poisoned_pages(poisoned, browser):
    paths = [
        f"{COLLECTIONS[c].url}/vi-du/"
        for c in ("stories", "people", "units", "commendations", "campaigns", "projects", "models", "criteria")
    ]
    with serve(poisoned.site) as url:
        dialogs, violations, console = _visit(browser, url, [*paths, "", "tim-kiem/?q=alert", "tim-kiem/?q=qz000qz"])
    assert dialogs == []
    # "<img src=x>" is left as a harmless broken image (the link check refuses it before
    # publishing); any other console error would be the theme upset by the content.
    assert [line for line in console if not line.startswith("Failed to load resource")] == [], console
    # A violation would mean something from the data tried to run or load and only the CSP
    # stopped it: the sanitiser must have removed it before.
    assert violations == [], violations


def test_story_and_home_page_run_under_the_csp_without_violations(shipped_site, browser):
    story = next(
        p.parent.relative_to(shipped_site).as_posix()
        for p in sorted((shipped_site / "cau-chuyen").glob("*/index.html"))
        if not p.parent.name.startswith("trang-")
    )
    with serve(shipped_site) as url:
        dialogs, violations, console = _visit(browser, url, ["", f"{story}/", "tim-kiem/?q=duc+pho"])
    assert violations == [] and dialogs == []
    assert not [line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line], console
