"""Groupings of the site model that listing pages need: honour-roll facets, related stories,
story neighbours, models by field, commendations by year. Pure functions over ``Site``."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Site, newest_first, sort_people
from .schema import CollectiveHonour, Person, Story
from .vietnamese import collation_key, slugify

HONOUR_KINDS = (
    "đảng viên bốn tốt",
    "chi bộ bốn tốt",
    "đảng bộ cơ sở bốn tốt",
    "người tốt việc tốt",
    "gương điển hình tiên tiến",
)


@dataclass(frozen=True)
class HonourEntry:
    """One line of the honour roll: a person's honour or a collective honour."""

    title: str
    year: int
    unit: str
    person: Person | None = None
    honour: CollectiveHonour | None = None

    @property
    def kind_slug(self) -> str:
        return slugify(self.title)


def honour_entries(site: Site) -> list[HonourEntry]:
    """Every honour, people by Vietnamese name order, collectives by unit name."""
    entries = [
        HonourEntry(h.title, h.year, person.unit, person=person)
        for person in sort_people(list(site.people.values()))
        for h in person.honours
    ]
    collectives = sorted(site.honours.values(), key=lambda h: collation_key(site.units[h.unit].name))
    entries += [HonourEntry(h.title, h.year, h.unit, honour=h) for h in collectives]
    return entries


def group_by_kind_and_year(entries: list[HonourEntry]) -> dict[str, dict[int, list[HonourEntry]]]:
    """{kind: {year: entries}}: kinds in HONOUR_KINDS order, newest year first."""
    grouped: dict[str, dict[int, list[HonourEntry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        grouped[entry.title][entry.year].append(entry)
    return {kind: dict(sorted(grouped[kind].items(), reverse=True)) for kind in HONOUR_KINDS if kind in grouped}


def entries_of_unit(site: Site, entries: list[HonourEntry], unit_id: str) -> list[HonourEntry]:
    lineage = set(site.lineage(unit_id))
    return [e for e in entries if e.unit in lineage]


# --- Stories -------------------------------------------------------------------------------
def story_neighbours(stories: list[Story]) -> dict[str, tuple[Story | None, Story | None]]:
    """{id: (newer, older)} in the order of the story listing (newest first)."""
    ordered = newest_first(stories)
    return {
        story.id: (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)
        for i, story in enumerate(ordered)
    }


def related_stories(stories: list[Story], per_story: int = 3) -> dict[str, list[Story]]:
    """Stories sharing tags, units or people, the closest in time first.

    Only the few neighbours in time under each shared key are candidates, so the cost grows
    linearly with the number of stories rather than with its square."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for story in stories:
        for key in _keys(story):
            by_key[key].append((story.date, story.id, story))
    for items in by_key.values():
        items.sort(key=lambda item: (item[0], item[1]))
    related: dict[str, list[Story]] = {}
    for story in stories:
        shared: Counter = Counter()
        found: dict[str, Story] = {}
        for key in _keys(story):
            items = by_key[key]
            at = bisect.bisect_left(items, (story.date, story.id), key=lambda item: (item[0], item[1]))
            for _, other_id, other in items[max(0, at - per_story) : at + per_story + 1]:
                if other_id != story.id:
                    shared[other_id] += 1
                    found[other_id] = other
        ranked = sorted(shared, key=lambda oid: (-shared[oid], abs((found[oid].date - story.date).days), oid))
        related[story.id] = [found[oid] for oid in ranked[:per_story]]
    return related


def _keys(story: Story) -> list[str]:
    return [f"tag:{t}" for t in story.tags] + [f"unit:{u}" for u in story.units] + [f"person:{p}" for p in story.people]


# --- Other listings ------------------------------------------------------------------------
def models_by_field(site: Site) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for model in sorted(site.models.values(), key=lambda m: collation_key(m.title)):
        groups[model.field].append(model)
    return dict(sorted(groups.items(), key=lambda item: collation_key(item[0])))


def commendations_by_year(site: Site) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for commendation in newest_first(list(site.commendations.values())):
        groups[commendation.decision_date.year].append(commendation)
    return dict(groups)


def latest_campaign(site: Site):
    return max(site.campaigns.values(), key=lambda c: c.phases[-1].end, default=None)
