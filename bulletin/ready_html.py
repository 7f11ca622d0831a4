"""Pages generated as ready HTML: Markdown runs only on what an editor wrote.

Python-Markdown is most of the build's work, and a record page made by a template gains
nothing from it: the template writes the HTML itself. Such a page's source is its front
matter, then the line ``<!-- bulletin:html -->``, then the page's HTML as Markdown would have
made it, with two kinds of marks the build resolves:

- ``<h2 data-bulletin-toc>`` (optionally with an ``id``): a heading of the table of contents.
  The build gives it its id and permalink as Python-Markdown's toc extension would (the site's
  slugify and permalink settings, ids unique across the page, given ids kept), so anchors and
  permalinks are those of a Markdown heading. Other headings (cards) stay as written.
- ``<!-- bulletin:markdown -->`` … ``<!-- /bulletin:markdown -->``: an editor's Markdown body
  (held in an ``md_in_html`` block, as before), rendered by the build's own Markdown (the site's
  extensions, links rewritten and checked as on any page), then sanitised with the whole page
  (sanitize.py). Its headings take part in the page's ids and table of contents.

Everything else is final: links are the URLs MkDocs would have written (checked by the output
checks, checks.py), text is HTML-escaped by the templates. The build derives what MkDocs
derives while running Markdown: the table of contents, the anchors, the title.

The source stays valid Markdown with raw HTML, so `export-markdown` and other engines take it.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown  # type: ignore[import-untyped]
from markdown.extensions.toc import strip_tags, unique  # type: ignore[import-untyped]

MARK = "<!-- bulletin:html -->"
TOC_MARK = "data-bulletin-toc"
BODY_START = "<!-- bulletin:markdown -->"
BODY_END = "<!-- /bulletin:markdown -->"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n\s*", re.S)
_BODY = re.compile(re.escape(BODY_START) + r"\n(.*?)\n" + re.escape(BODY_END) + r"\n?", re.S)
_MARKED_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)\s" + TOC_MARK + r"((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_SUFFIX = re.compile(r"^(.*)_([0-9]+)$")


@dataclass(frozen=True)
class Heading:
    """A heading of the table of contents, as Python-Markdown's toc extension reports it."""

    level: int
    id: str
    name: str  # the heading's text, as HTML


def is_ready_html(source: str) -> bool:
    front_matter = _FRONT_MATTER.match(source)
    return source[front_matter.end() if front_matter else 0 :].startswith(MARK)


def markdown_region(text: str) -> str:
    """An editor's Markdown in a ready-HTML page. The end mark, should a body ever hold it,
    is broken so that the region cannot end early (the page is sanitised either way)."""
    return f"{BODY_START}\n{text.replace(BODY_END, BODY_END.replace('<', '&lt;'))}\n{BODY_END}\n"


# Renders an editor's Markdown as the page's own Markdown would: its HTML and its toc headings.
RenderMarkdown = Callable[[str], tuple[str, list[Heading]]]


def render_ready_html(page: Any, make_toc: Callable[[Any], Any], render_markdown: RenderMarkdown, toc: dict) -> None:
    """In place of MkDocs' ``Page.render`` for a ready-HTML page. ``toc``: the toc extension's
    settings (mkdocs.yml, with the build's slugify)."""
    source = page.markdown.split(MARK, 1)[1].strip("\n")
    page.links_to_anchors = {}  # the bodies' Markdown records its links to anchors here
    chunks: list[tuple[str, list[Heading] | None]] = []
    for position, text in enumerate(_BODY.split(source)):
        chunks.append(render_markdown(text) if position % 2 else (text, None))
    content, headings = _with_heading_ids(chunks, toc)
    page.content = content.strip("\n")
    page.toc = make_toc(_nested(headings))
    page.present_anchor_ids = set(_ID.findall(page.content))
    if "title" not in page.meta and "title" not in vars(page):
        first = next((h for h in headings if h.level == 1), None)
        if first is not None:
            page.title = html.unescape(first.name)


def _with_heading_ids(chunks: list[tuple[str, list[Heading] | None]], toc: dict) -> tuple[str, list[Heading]]:
    """Ids and permalinks as the toc extension gives them over the whole page: ids already
    there are kept and reserved first, the others made from the text, unique in page order."""
    slugify, separator = toc["slugify"], toc.get("separator", "-")

    def made(name: str) -> str:
        return slugify(html.unescape(name), separator)

    def was_made(heading: Heading) -> bool:  # by the body's own toc run, not written by the editor
        base = _SUFFIX.match(heading.id)
        return heading.id == made(heading.name) or (base is not None and base.group(1) == made(heading.name))

    used: set[str] = set()
    for text, body_headings in chunks:
        if body_headings is None:
            used.update(match.group(1) for heading in _MARKED_HEADING.finditer(text) for match in _ID.finditer(heading.group(0)))
        else:
            made_ids = {h.id for h in body_headings if was_made(h)}
            used.update(set(_ID.findall(text)) - made_ids)
    counters: dict[str, int] = {}
    headings: list[Heading] = []
    out: list[str] = []
    link = _permalink(_settings_key(toc))

    def marked(match: re.Match) -> str:
        level, before, after, inner = match.groups()
        attributes = before + after
        given = _ID.search(attributes)
        name = strip_tags(inner)
        anchor = given.group(1) if given else unique(made(name), used, counters)
        headings.append(Heading(int(level), anchor, name))
        attributes = attributes if given else f'{attributes} id="{anchor}"'
        return f"<h{level}{attributes}>{link(anchor, inner)}</h{level}>"

    for text, body_headings in chunks:
        if body_headings is None:
            out.append(_MARKED_HEADING.sub(marked, text))
            continue
        for heading in body_headings:
            anchor = unique(made(heading.name), used, counters) if was_made(heading) else heading.id
            if anchor != heading.id:
                text = _renamed(text, heading.id, anchor)
            headings.append(Heading(heading.level, anchor, heading.name))
        out.append(text)
    return "".join(out), headings


def _renamed(text: str, old: str, new: str) -> str:
    """A body heading's id and its permalink, renamed (the first heading with that id)."""
    match = re.search(r'<h([1-6])[^>]*\sid="' + re.escape(old) + r'"[^>]*>.*?</h\1>', text, re.S)
    if match is None:
        return text
    heading = match.group(0).replace(f'id="{old}"', f'id="{new}"', 1).replace(f'href="#{old}"', f'href="#{new}"', 1)
    return text[: match.start()] + heading + text[match.end() :]


def _settings_key(toc: dict) -> tuple:
    return tuple(sorted((key, value) for key, value in toc.items() if key != "slugify"))


_PROBE = "bulletinprobe"


@functools.lru_cache(maxsize=8)
def _permalink(settings: tuple) -> Callable[[str, str], str]:
    """How the toc extension puts a permalink in a heading, with these settings: asked of
    Python-Markdown itself once, on a probe heading."""
    probe = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {**dict(settings), "slugify": lambda *_: "x"}})
    made = re.fullmatch(r'<h1 id="x">(.*)</h1>', probe.convert(f"# {_PROBE}"), re.S)
    before, after = made.group(1).split(_PROBE) if made else ("", "")

    def link(anchor: str, inner: str) -> str:
        href = f'href="#{anchor}"'
        return before.replace('href="#x"', href) + inner + after.replace('href="#x"', href)

    return link


def _nested(headings: list[Heading]) -> list[dict]:
    """Toc tokens nested by level, as the toc extension hands them to MkDocs."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": heading.name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


def marked_headings(source: str) -> list[tuple[int, str, bool]]:
    """The table-of-contents headings a ready-HTML source writes itself, as (level, plain
    text, whether it holds a link): for readers of the generated pages (search indexes
    listing pages' headings)."""
    return [
        (int(match.group(1)), html.unescape(strip_tags(match.group(4))), "<a " in match.group(4))
        for match in _MARKED_HEADING.finditer(source)
    ]
