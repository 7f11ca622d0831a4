"""Groupings of the site model that listing pages need: honour-roll facets, related stories,
story neighbours, models by field, commendations by year. Pure functions over ``Site``."""

from __future__ import annotations

import bisect
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from .model import Site, newest_first, sort_people
from .schema import Campaign, CollectiveHonour, Indicator, Person, Story
from .vietnamese import capitalised, collation_key, format_number, slugify

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

    @property
    def has_photo(self) -> bool:
        return self.person is not None and self.person.photo is not None


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
    linearly with the number of stories rather than with its square. Worked out on what it
    depends on (each story's date and keys): a save under `mkdocs serve` that changes none of
    them (a title, a text) reuses the last answer."""
    shape = tuple((story.id, story.date, _keys(story)) for story in stories)
    by_id = {story.id: story for story in stories}
    return {sid: [by_id[oid] for oid in others] for sid, others in _related_ids(shape, per_story).items()}


@functools.lru_cache(maxsize=1)
def _related_ids(shape: tuple[tuple[str, date, tuple[str, ...]], ...], per_story: int) -> dict[str, tuple[str, ...]]:
    by_key: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for story_id, day, keys in shape:
        for key in keys:
            by_key[key].append((day, story_id))
    for items in by_key.values():
        items.sort()
    related: dict[str, tuple[str, ...]] = {}
    for story_id, day, keys in shape:
        shared: Counter = Counter()
        when: dict[str, date] = {}
        for key in keys:
            items = by_key[key]
            at = bisect.bisect_left(items, (day, story_id))
            for other_day, other_id in items[max(0, at - per_story) : at + per_story + 1]:
                if other_id != story_id:
                    shared[other_id] += 1
                    when[other_id] = other_day
        ranked = sorted(shared, key=lambda oid: (-shared[oid], abs((when[oid] - day).days), oid))
        related[story_id] = tuple(ranked[:per_story])
    return related


def _keys(story: Story) -> tuple[str, ...]:
    return (
        *(f"tag:{t}" for t in story.tags),
        *(f"unit:{u}" for u in story.units),
        *(f"person:{p}" for p in story.people),
    )


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


def latest_campaign(site: Site) -> Campaign | None:
    return max(site.campaigns.values(), key=lambda c: c.phases[-1].end, default=None)


# --- Honour-board facets ---------------------------------------------------------------------
@dataclass(frozen=True)
class Facet:
    """One static page of the honour board: every honour, or those of a title, a year, a title
    in a year, or a unit (with the units it was formed from)."""

    kind: str | None = None
    year: int | None = None
    unit: str | None = None

    @property
    def src_uri(self) -> str:
        if self.unit:
            return f"bang-vang/don-vi/{self.unit}.md"
        if self.kind and self.year:
            return f"bang-vang/{slugify(self.kind)}/{self.year}.md"
        if self.kind:
            return f"bang-vang/{slugify(self.kind)}/index.md"
        if self.year:
            return f"bang-vang/nam-{self.year}.md"
        return "bang-vang/index.md"

    @property
    def path(self) -> str:
        """The page's address from the site root, as directory URLs write it."""
        return page_path(self.src_uri)


def page_path(src_uri: str) -> str:
    """bang-vang/index.md → bang-vang/; bang-vang/nam-2025.md → bang-vang/nam-2025/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


@dataclass(frozen=True)
class FilterLink:
    label: str
    path: str
    current: bool


@dataclass(frozen=True)
class FilterGroup:
    label: str
    links: list[FilterLink]
    folded: bool = False  # a long list (units) sits in a <details> that opens without JavaScript


@dataclass(frozen=True)
class Section:
    """A run of honour cards under a heading (level 2 or 3; None: no heading of its own)."""

    heading: str | None
    level: int | None
    entries: list[HonourEntry]
    more: Facet | None = None


def _link(label: str, facet: Facet, current: Facet) -> FilterLink:
    return FilterLink(label, facet.path, facet == current)


def honour_filters(roll: dict[str, dict[int, list[HonourEntry]]], units: list[tuple], current: Facet) -> list[FilterGroup]:
    """The filter links of a facet page: by title (within the year shown), by year (within the
    title shown), by unit. Every link is a plain link to another static page."""
    kinds = [k for k in roll if current.year is None or current.year in roll[k]]
    titles = [_link("Tất cả", Facet(year=current.year), current)]
    titles += [_link(capitalised(k), Facet(k, current.year), current) for k in kinds]
    years_shown = sorted({y for k, years in roll.items() if current.kind in (None, k) for y in years}, reverse=True)
    years = [_link("Tất cả", Facet(kind=current.kind), current)]
    years += [_link(str(y), Facet(current.kind, y), current) for y in years_shown]
    unit_links = [_link(f"{unit.name} ({count})", Facet(unit=unit.id), current) for unit, count in units]
    return [
        FilterGroup("Danh hiệu", titles),
        FilterGroup("Năm", years),
        FilterGroup("Đơn vị", unit_links, folded=current.unit is None),
    ]


def honour_sections(roll: dict[str, dict[int, list[HonourEntry]]], facet: Facet) -> list[Section]:
    """Cards grouped under headings that never skip a level below the page's h1."""
    if facet == Facet():  # the board: each title's newest year, and a link to the others
        return [
            Section(f"{capitalised(kind)} năm {year}", 2, entries, more=Facet(kind) if len(years) > 1 else None)
            for kind, years in roll.items()
            for year, entries in [next(iter(years.items()))]
        ]
    by_year: dict[int, dict[str, list[HonourEntry]]] = defaultdict(dict)
    for kind, years in roll.items():
        for year, entries in years.items():
            by_year[year][kind] = entries
    if facet.kind and facet.year:
        return [Section(None, None, roll.get(facet.kind, {}).get(facet.year, []))]
    if facet.kind:
        return [Section(f"Năm {year}", 2, entries) for year, entries in roll.get(facet.kind, {}).items()]
    if facet.year:
        return [Section(capitalised(kind), 2, entries) for kind, entries in by_year.get(facet.year, {}).items()]
    sections: list[Section] = []
    for kind, years in roll.items():  # a unit: its titles, then their years
        sections.append(Section(capitalised(kind), 2, []))
        sections += [Section(f"{capitalised(kind)} năm {year}", 3, entries) for year, entries in years.items()]
    return sections


def honour_facets(roll: dict[str, dict[int, list[HonourEntry]]]) -> list[Facet]:
    """Every title, year and title-in-a-year page (unit pages come from the units)."""
    facets = [Facet()]
    facets += [Facet(kind) for kind in roll]
    facets += [Facet(kind, year) for kind, years in roll.items() for year in years]
    facets += [Facet(year=year) for year in sorted({y for years in roll.values() for y in years}, reverse=True)]
    return facets


# --- The campaign at a glance ----------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """A key figure on the home page, linking to the page that explains it."""

    value: str
    label: str
    path: str  # from the site root
    note: str = ""


def key_figures(site: Site, campaign: Campaign | None, poverty: Indicator | None) -> list[Figure]:
    people = [p for p in site.people.values() if p.honours]
    collectives = {h.unit for h in site.honours.values()}
    figures = [
        Figure(format_number(len(people)), "cá nhân được vinh danh", "bang-vang/"),
        Figure(format_number(len(collectives)), "tập thể bốn tốt", "bang-vang/"),
        Figure(format_number(len(site.stories)), "câu chuyện người tốt, việc tốt", "cau-chuyen/"),
        Figure(format_number(len(site.models)), "mô hình, cách làm hay", "mo-hinh/"),
    ]
    projects = [site.projects[p] for p in (campaign.key_projects if campaign else []) if p in site.projects]
    if projects:
        average = sum(p.percent for p in projects) / len(projects)
        figures.append(
            Figure(f"{format_number(average, 0)}%", f"tiến độ bình quân {len(projects)} công trình trọng điểm", "cong-trinh/")
        )
    if poverty is not None:
        figures.append(_poverty_figure(site, poverty))
    return figures


def _poverty_figure(site: Site, poverty: Indicator) -> Figure:
    latest = poverty.actuals[-1] if poverty.actuals else poverty.baseline
    target = next((t for t in poverty.targets if t.year == latest.year), None)
    note = ""
    if target is not None:
        verdict = "đạt" if latest.value <= target.value else "chưa đạt"
        note = f"mục tiêu {format_number(target.value)}{poverty.measure}: {verdict}"
    label = f"hộ nghèo đa chiều năm {latest.year}, {site.units[poverty.unit].name}"
    return Figure(f"{format_number(latest.value)}{poverty.measure}", label, f"chi-tieu/#{poverty.id}", note)


def recent_faces(site: Site, count: int) -> list[HonourEntry]:
    """People honoured most recently, one card each, those with a photo first within a year."""
    newest: dict[str, HonourEntry] = {}
    for entry in honour_entries(site):
        if entry.person and (entry.person.id not in newest or entry.year > newest[entry.person.id].year):
            newest[entry.person.id] = entry
    ranked = sorted(newest.values(), key=lambda e: (-e.year, not e.has_photo))
    return ranked[:count]
