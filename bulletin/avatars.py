"""Initials avatars (SVG, made at build time) for the honour board's portrait cards.

A person without a published photo (none given, or no photo consent) gets two letters of
the name their consent lets us print, on a colour picked from their id: nothing else about
them goes into the image. A collective gets the initials of its unit's place name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .schema import Person, Unit

# Dark enough for white letters at 4.5:1 or more (WCAG AA), distinct from one another.
COLOURS = ("#a31515", "#1f5f8b", "#2e6b30", "#6a3d9a", "#8a4b08", "#37474f", "#00695c", "#ad1457")
UNIT_KIND_WORDS = {"chi", "bộ", "đảng", "cơ", "sở", "phường", "xã", "thị", "thôn", "tổ", "dân", "phố", "khu", "cư", "trường"}


@dataclass(frozen=True)
class Avatar:
    uri: str  # relative to the site root
    initials: str
    colour: str
    round: bool  # people round, collectives square


def person_initials(person: Person) -> str:
    """Family name and given name: «Bùi Thị Lan» → «BL» (Vietnamese people go by the given
    name, which comes last)."""
    return (person.family_name[:1] + person.given_name[:1]).upper()


def unit_initials(unit: Unit) -> str:
    """The place in a unit's name: «Chi bộ thôn An Thọ» → «AT», «Chi bộ Trường THCS Phổ Văn»
    → «PV»; words naming the kind of unit, numbers and abbreviations are skipped."""
    words = unit.name.split()
    place = [w for w in words if w.lower() not in UNIT_KIND_WORDS and not w.isdigit() and not w.isupper()]
    return "".join(w[:1] for w in (place or words)[:2]).upper()


def _colour_for(key: str) -> str:
    return COLOURS[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(COLOURS)]


def person_avatar(person: Person) -> Avatar:
    return Avatar(f"anh-dai-dien/ca-nhan-{person.id}.svg", person_initials(person), _colour_for(person.id), True)


def unit_avatar(unit: Unit) -> Avatar:
    return Avatar(f"anh-dai-dien/tap-the-{unit.id}.svg", unit_initials(unit), _colour_for(unit.id), False)
