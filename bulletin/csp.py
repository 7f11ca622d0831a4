"""Content-Security-Policy for every page: nothing from other origins, and no inline script
but the theme's own few, allowed by their hashes (so an injected one would not run)."""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def add_csp(html: str) -> str:
    """The page with a CSP meta tag right after its charset, before any script."""
    hashes = " ".join(sorted({_hash(body) for body in _INLINE_SCRIPT.findall(html)}))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes)}">'
    match = _CHARSET.search(html)
    return html[: match.end()] + meta + html[match.end() :] if match else html
