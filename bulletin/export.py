"""Open data: every public collection as JSON and CSV, plus a page listing the downloads.

Stub: being written. ``export_files(site)`` returns (uri, content) pairs to add to the site.
"""

from __future__ import annotations


def export_files(site) -> list[tuple[str, str | bytes]]:
    return []
