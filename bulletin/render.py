"""Site model -> Markdown pages, through the Jinja templates in ``bulletin/templates``.

Templates receive validated model objects. Every ``{{ value }}`` is escaped for both HTML and
Markdown unless a filter marks it safe (links, and record bodies, which the build sanitises).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .model import Site, newest_first, sort_by_name, sort_people
from .schema import COLLECTIONS, Record
from .vietnamese import collation_key, format_date, format_date_long, format_month, format_number

PAGE_SIZE = 20
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")  # < > & are escaped as HTML


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    content: str


def _escape_markdown(value: Any) -> Any:
    """Data text must not turn into Markdown syntax (links, emphasis, headings)."""
    if isinstance(value, Markup) or value is None or isinstance(value, (int, float)):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def record_url(record_or_collection: Record | str, record_id: str | None = None) -> Markup:
    """Docs-relative link target of a record page: /ca-nhan/nguyen-van-a.md."""
    if isinstance(record_or_collection, str):
        collection, rid = record_or_collection, record_id
    else:
        collection, rid = _collection_of(record_or_collection), record_or_collection.id
    return Markup(f"/{COLLECTIONS[collection].url}/{rid}.md")


def _collection_of(record: Record) -> str:
    return next(c.name for c in COLLECTIONS.values() if isinstance(record, c.model))


def listing_url(collection: str, page: int = 1) -> Markup:
    base = COLLECTIONS[collection].url
    return Markup(f"/{base}/index.md" if page == 1 else f"/{base}/trang-{page}.md")


def _yaml_string(value: str) -> Markup:
    """A front-matter value: JSON strings are valid YAML and need no HTML escaping."""
    return Markup(json.dumps(value, ensure_ascii=False))


def _make_env() -> Environment:
    env = Environment(
        loader=PackageLoader("bulletin", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_escape_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=format_date,
        date_long=format_date_long,
        month=format_month,
        number=format_number,
        url=record_url,
        yaml=_yaml_string,
        body=lambda text: Markup(text),  # sanitised after Markdown, see sanitize.py
    )
    env.globals.update(listing_url=listing_url, collections=COLLECTIONS)
    return env


_ENV = _make_env()


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


# --- Record pages --------------------------------------------------------------------------
def _record_pages(site: Site) -> Iterator[GeneratedPage]:
    for collection, template in (
        ("campaigns", "campaign.md.j2"),
        ("units", "unit.md.j2"),
        ("criteria", "criteria.md.j2"),
        ("people", "person.md.j2"),
        ("stories", "story.md.j2"),
        ("models", "model.md.j2"),
        ("projects", "project.md.j2"),
        ("commendations", "commendation.md.j2"),
    ):
        for record in site.records[collection].values():
            src = f"{COLLECTIONS[collection].url}/{record.id}.md"
            yield GeneratedPage(src, render(template, record=record, site=site))


# --- Listings ------------------------------------------------------------------------------
def _paginate(collection: str, records: list, template: str, **context: Any) -> Iterator[GeneratedPage]:
    pages = max(1, math.ceil(len(records) / PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = records[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        src = str(listing_url(collection, number)).lstrip("/")
        yield GeneratedPage(
            src, render(template, records=chunk, page=number, pages=pages, collection=collection, **context)
        )


def _honour_roll(site: Site) -> dict[str, dict[int, list]]:
    """{honour title: {year: [person or collective honour, ...]}}, newest year first."""
    roll: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for person in sort_people(list(site.people.values())):
        for honour in person.honours:
            roll[honour.title][honour.year].append(person)
    for honour in sorted(site.honours.values(), key=lambda h: collation_key(site.units[h.unit].name)):
        roll[honour.title][honour.year].append(honour)
    return {title: dict(sorted(years.items(), reverse=True)) for title, years in roll.items()}


def _by_field(models: list) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for model in sorted(models, key=lambda m: collation_key(m.title)):
        groups[model.field].append(model)
    return dict(sorted(groups.items(), key=lambda item: collation_key(item[0])))


def _by_year(commendations: list) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for commendation in commendations:
        groups[commendation.decision_date.year].append(commendation)
    return dict(groups)


def _listing_pages(site: Site) -> Iterator[GeneratedPage]:
    yield from _paginate("stories", newest_first(list(site.stories.values())), "stories.md.j2", site=site)
    yield GeneratedPage("bang-vang/index.md", render("honour_roll.md.j2", roll=_honour_roll(site), site=site))
    yield GeneratedPage("ca-nhan/index.md", render("people.md.j2", people=sort_people(list(site.people.values())), site=site))
    yield GeneratedPage("mo-hinh/index.md", render("models.md.j2", groups=_by_field(list(site.models.values())), site=site))
    yield GeneratedPage("cong-trinh/index.md", render("projects.md.j2", projects=list(site.projects.values()), site=site))
    yield GeneratedPage("chi-tieu/index.md", render("indicators.md.j2", site=site))
    yield GeneratedPage(
        "khen-thuong/index.md",
        render("commendations.md.j2", groups=_by_year(newest_first(list(site.commendations.values()))), site=site),
    )
    current = [u for u in site.units.values() if not u.successors]
    former = [u for u in site.units.values() if u.successors]
    yield GeneratedPage(
        "don-vi/index.md",
        render("units.md.j2", current=sort_by_name(current), former=sort_by_name(former), site=site),
    )
    yield GeneratedPage(
        "dot-thi-dua/index.md",
        render("campaigns.md.j2", campaigns=sorted(site.campaigns.values(), key=lambda c: c.phases[-1].end, reverse=True), site=site),
    )
    yield GeneratedPage(
        "tieu-chi/index.md",
        render("criteria_list.md.j2", criteria=sorted(site.criteria.values(), key=lambda c: collation_key(c.title))),
    )


def render_pages(site: Site) -> Iterator[GeneratedPage]:
    """Every generated page of the site."""
    yield from _record_pages(site)
    yield from _listing_pages(site)


def campaign_status(campaign, today: date) -> str:
    """Where a campaign stands on the build date, for the campaign and home pages."""
    month = f"{today.year:04d}-{today.month:02d}"
    final = [r for r in campaign.reviews if r.kind == "tổng kết"]
    if final and month > final[-1].month:
        return f"Đã tổng kết ({format_month(final[-1].month)})"
    for phase in campaign.phases:
        if (phase.start is None or phase.start <= month) and month <= phase.end:
            return f"Đang diễn ra: {phase.name}"
    return "Đang chờ tổng kết" if month > campaign.phases[-1].end else "Chưa bắt đầu"


_ENV.globals["campaign_status"] = campaign_status
