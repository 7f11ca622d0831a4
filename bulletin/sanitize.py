"""Clean the HTML of generated pages against an allow-list (nh3, Ammonia's Python binding).

Record bodies are Markdown written by editors and may carry raw HTML pasted from elsewhere;
the whole rendered page is cleaned, which also covers Markdown link tricks
(``[x](javascript:...)``) that only become dangerous after rendering, images from other hosts,
and ids or classes that would clobber the theme's own elements.
"""

from __future__ import annotations

import re

import nh3

_TAGS = nh3.ALLOWED_TAGS | {
    "figure",
    "figcaption",
    "nav",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "time",
    "progress",
    "details",
    "summary",
    "span",
    "div",
    "p",
    "br",
    "hr",
    "picture",
    "source",
}
_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden", "aria-current"}
_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type"},
    "time": {"datetime"},
    "progress": {"value", "max"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "details": {"open"},
    "ol": {"start"},
}


_OTHER_HOST = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Beyond the allow-list: nothing loaded from another host (a pasted ``<img src=https://…>``
    would tell that host who reads the page; links stay), and no id or class from the
    theme's namespace: Material finds its parts by id (``querySelector("#__config")``
    returns the first match, so a body holding ``<p id="__config">`` would hand the theme
    its settings) and styles them by ``md-`` classes (a body could dress up as the header)."""
    if attribute in ("src", "srcset"):
        return None if any(_OTHER_HOST.match(part) for part in value.split(",")) else value
    if attribute == "id":
        return None if value.startswith("__") else value
    if attribute == "class":
        kept = " ".join(c for c in value.split() if not c.startswith("md-"))
        return kept or None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
