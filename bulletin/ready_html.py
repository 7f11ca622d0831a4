"""Pages generated as ready HTML: no Markdown run at build time.

Python-Markdown is most of the build's work, and a record page made by a template gains
nothing from it: the template can write the HTML itself. Such a page's source is its front
matter, then the line ``<!-- bulletin:html -->``, then the page's HTML exactly as Markdown would
have made it (headings with their ids and permalinks). The build takes the HTML as the page's
content and derives what MkDocs derives while running Markdown: the table of contents, the
anchors other pages may link to, the title. Links in ready HTML are final URLs, checked by the
output checks (checks.py) rather than by MkDocs.

The source stays valid Markdown (raw HTML), so `export-markdown` and other engines take it as is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

MARK = "<!-- bulletin:html -->"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n\s*", re.S)
_HEADING = re.compile(r'<h([1-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)  # id among other attributes
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_ANCHOR_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


def is_ready_html(source: str) -> bool:
    front_matter = _FRONT_MATTER.match(source)
    return source[front_matter.end() if front_matter else 0 :].startswith(MARK)


def toc_tokens(content: str) -> list[dict]:
    """Headings as Python-Markdown's toc extension reports them, nested by level."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for level, anchor, inner in _HEADING.findall(content):
        name = _TAG.sub("", _PERMALINK.sub("", inner)).strip()  # as the toc extension: text only
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


def render_ready_html(page: Any, make_toc: Callable[[Any], Any]) -> None:
    """In place of MkDocs' ``Page.render`` for a ready-HTML page."""
    content = page.markdown.split(MARK, 1)[1].strip("\n")
    tokens = toc_tokens(content)
    page.content = content
    page.toc = make_toc(tokens)
    page.present_anchor_ids = set(_ANCHOR_ID.findall(content))
    page.links_to_anchors = {}
    if "title" not in page.meta and "title" not in vars(page):
        first = next((t for t in tokens if t["level"] == 1), None)
        if first is not None:
            page.title = html.unescape(first["name"])
