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
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from .vietnamese import fold

INDEX_FOLDER = "pagefind"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD_WITH_DD = re.compile(r"\w*[đĐ]\w*")
_BODY_MARK = "data-pagefind-body"


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


async def _index(site_dir: Path) -> int:
    config = IndexConfig(force_language="vi", exclude_selectors=[".headerlink"], output_path=str(site_dir / INDEX_FOLDER))
    count = 0
    async with PagefindIndex(config=config) as index:
        for page in sorted(site_dir.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            if _BODY_MARK not in html:
                continue
            await index.add_html_file(content=_for_index(html), source_path=page.relative_to(site_dir).as_posix())
            count += 1
        await index.write_files(output_path=str(site_dir / INDEX_FOLDER))
    return count


def index_site(site_dir: Path) -> int:
    """Write the Pagefind bundle into ``site_dir/pagefind``; returns the number of pages."""
    return asyncio.run(_index(Path(site_dir)))
