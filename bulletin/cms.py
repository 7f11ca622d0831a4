"""The editors' web form: a Decap-compatible admin whose config is generated from the schemas.

Stub: being written. ``admin_files(root)`` returns (uri, content) pairs to add to the site.
"""

from __future__ import annotations


def admin_files(root) -> list[tuple[str, str | bytes]]:
    return []
