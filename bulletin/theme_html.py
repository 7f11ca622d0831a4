"""Conformance fixes to HTML the theme writes outside any block we can override.

Material's base.html gives its two checkbox switches (the nav drawer and its search) an
``autocomplete="off"``, which HTML allows on text-like inputs only: the Nu HTML Checker
reports it as an error on every page. A checkbox's state is not autocompleted anyway.
"""

from __future__ import annotations

import re

_CHECKBOX_AUTOCOMPLETE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="__\w+") autocomplete="off">'
)


def conform(html: str) -> str:
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1>", html)
