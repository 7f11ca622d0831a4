"""Clean the HTML of generated pages against an allow-list (nh3, Ammonia's Python binding).

Record bodies are Markdown written by editors and may carry raw HTML pasted from elsewhere;
the whole rendered page is cleaned, which also covers Markdown link tricks
(``[x](javascript:...)``) that only become dangerous after rendering.
"""

from __future__ import annotations

import nh3

_TAGS = nh3.ALLOWED_TAGS | {
    "figure", "figcaption", "nav", "section", "article", "aside", "header", "footer",
    "time", "progress", "details", "summary", "span", "div", "p", "br", "hr", "picture", "source",
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


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
