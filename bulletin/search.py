"""Search index: Pagefind over the built pages, with đ folded.

Pagefind ignores tones ("pho" finds "Phổ") and loads its index in small slices, but it does
not fold đ (đ has no Unicode decomposition), so "duc" would not find "Đức". Each page is
therefore indexed from a copy in which every word containing đ/Đ is followed by its folded
twin ("Đức duc"); the served HTML is untouched, and the search page drops the twins from the
excerpts it shows. Queries are folded the same way in the browser.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from .vietnamese import fold

INDEX_FOLDER = "pagefind"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD_WITH_DD = re.compile(r"\w*[đĐ]\w*")
_BODY_MARK = "data-pagefind-body"
# Text repeated on many pages (notices, share links, neighbours' titles) would bloat every
# word's posting list and pull unrelated pages into results.
# Long bodies are left out too: a word used in thousands of bodies makes a posting list of
# hundreds of KB, which the first search would download. Titles, summaries, people, units,
# tags and figures are what readers look for.
NOT_INDEXED = (".headerlink", ".admonition", ".share", ".story-nav", ".related", ".record-meta", ".record-body")


def add_folded_twins(html: str) -> str:
    """Insert the folded twin after every word that contains đ, in text only (not in tags)."""
    parts = _TAG_OR_TEXT.split(html)
    for index in range(0, len(parts), 2):  # even items are text between tags
        if "đ" in parts[index] or "Đ" in parts[index]:
            parts[index] = _WORD_WITH_DD.sub(lambda m: f"{m[0]} {fold(m[0])}", parts[index])
    return "".join(parts)


def _for_index(html: str) -> str:
    """The copy Pagefind reads: đ-words with their twins, and the title weighing most, so
    that "pho thanh" puts Phường Phổ Thạnh above pages that merely mention "phong trào"."""
    return add_folded_twins(html.replace("<h1", '<h1 data-pagefind-weight="10"', 1))


def _write_index_copies(site_dir: Path, copies: Path) -> int:
    """The pages to index, rewritten for the index, in a scratch folder (Pagefind reads a
    folder far faster than it takes pages one by one through its API)."""
    count = 0
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        start = html.find(f"<div {_BODY_MARK}")
        if start < 0:
            continue
        # Only the indexed part, in a bare page: Pagefind need not parse the theme's nav.
        body = html[start : html.index("</article>", start)]
        target = copies / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<!DOCTYPE html><html lang="vi"><body>{_for_index(body)}</body></html>', encoding="utf-8")
        count += 1
    return count


async def _index(copies: Path, output: Path) -> None:
    config = IndexConfig(force_language="vi", exclude_selectors=list(NOT_INDEXED), output_path=str(output))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(copies))


def index_site(site_dir: Path) -> int:
    """Write the Pagefind bundle into ``site_dir/pagefind``; returns the number of pages."""
    site_dir = Path(site_dir)
    with tempfile.TemporaryDirectory() as scratch:
        count = _write_index_copies(site_dir, Path(scratch))
        # In a thread of its own: the caller may already run an event loop (mkdocs serve, tests).
        with ThreadPoolExecutor(max_workers=1) as worker:
            worker.submit(asyncio.run, _index(Path(scratch), site_dir / INDEX_FOLDER)).result()
    return count
