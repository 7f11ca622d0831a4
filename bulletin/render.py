"""Site model -> Markdown pages, through the Jinja templates in ``bulletin/templates``.

Templates receive validated model objects. Every ``{{ value }}`` is escaped for both HTML and
Markdown unless a filter marks it safe (links, and record bodies, which the build sanitises).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import avatars, listings, page_memo
from .charts import campaign_timeline, indicator_chart
from .model import Site, newest_first, sort_by_name, sort_people
from .schema import COLLECTIONS, Record
from .share_image import share_image_uri
from .vietnamese import collation_key, format_date, format_date_long, format_month, format_number, slugify

PAGE_SIZE = 20
FEED_SIZE = 30
HOME_STORIES = 6
HOME_FACES = 6
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")  # < > & are escaped as HTML


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    content: str
    # An editor's Markdown body is the only way raw HTML gets into a page; every other value
    # is escaped for HTML and Markdown by the templates. Pages with a body get sanitised.
    has_body: bool = False


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


def _record_body(text: str) -> Markup:
    """An editor's Markdown body, kept as Markdown: the whole page is sanitised after
    rendering (sanitize.py). The wrapper lets search leave long bodies out of its index."""
    return Markup(f'<div class="record-body" markdown>\n\n{text}\n\n</div>')


def _yaml_string(value: str) -> Markup:
    """A front-matter value (JSON strings are valid YAML), HTML-escaped: the theme prints
    page titles and descriptions into <title> and <meta> without escaping them."""
    return Markup(json.dumps(html.escape(value), ensure_ascii=False))


def _make_env(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("bulletin", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_escape_markdown if markdown else None,
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
        body=_record_body,
    )
    env.filters["slug"] = slugify
    env.globals.update(
        listing_url=listing_url,
        collections=COLLECTIONS,
        campaign_status=campaign_status,
        card_avatar=card_avatar,
        share_image=share_image_uri,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Markdown templates (*.md.j2) escape data for Markdown too; SVG and XML ones do not."""
    env = _MARKDOWN_ENV if template.endswith(".md.j2") else _XML_ENV
    return page_memo.render(env.get_template(template), context)  # remembered by what it reads, in a build


# --- Record pages --------------------------------------------------------------------------
RECORD_TEMPLATES = {
    "campaigns": "campaign.md.j2",
    "units": "unit.md.j2",
    "criteria": "criteria.md.j2",
    "people": "person.md.j2",
    "stories": "story.md.j2",
    "models": "model.md.j2",
    "projects": "project.md.j2",
    "commendations": "commendation.md.j2",
}


def _record_pages(site: Site, site_url: str) -> Iterator[GeneratedPage]:
    stories = list(site.stories.values())
    extra = {
        "stories": {
            "neighbours": listings.story_neighbours(stories),
            "related": listings.related_stories(stories),
            "site_url": site_url,
        }
    }
    for collection, template in RECORD_TEMPLATES.items():
        context = extra.get(collection, {})
        for record in site.records[collection].values():
            src = f"{COLLECTIONS[collection].url}/{record.id}.md"
            content = render(template, record=record, site=site, root="../../", **context)
            yield GeneratedPage(src, content, has_body=bool(getattr(record, "body", "")))


# --- Listings ------------------------------------------------------------------------------
def _paginate(collection: str, records: list, template: str, **context: Any) -> Iterator[GeneratedPage]:
    pages = max(1, math.ceil(len(records) / PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = records[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        src = str(listing_url(collection, number)).lstrip("/")
        content = render(
            template, records=chunk, page=number, pages=pages, collection=collection, root=relative_root(src), **context
        )
        yield GeneratedPage(src, content)


def _honour_pages(site: Site) -> Iterator[GeneratedPage]:
    """The honour board as static facet pages (title, year, title in a year, unit) with
    filter links between them, and the avatars their cards show: no JavaScript."""
    entries = listings.honour_entries(site)
    roll = listings.group_by_kind_and_year(entries)
    units = []
    unit_rolls = {}
    for unit in sort_by_name(list(site.units.values())):
        unit_entries = listings.entries_of_unit(site, entries, unit.id)
        if unit_entries:
            units.append((unit, len(unit_entries)))
            unit_rolls[unit.id] = listings.group_by_kind_and_year(unit_entries)
    facets = listings.honour_facets(roll) + [listings.Facet(unit=unit.id) for unit, _ in units]
    for facet in facets:
        shown = unit_rolls[facet.unit] if facet.unit else roll
        yield GeneratedPage(
            facet.src_uri,
            render(
                "honour_facet.md.j2",
                heading=_facet_heading(site, facet),
                facet=facet,
                filters=listings.honour_filters(roll, units, facet),
                sections=listings.honour_sections(shown, facet),
                site=site,
                root=relative_root(facet.src_uri),
            ),
        )
    yield from _avatar_files(site, entries)


def _facet_heading(site: Site, facet: listings.Facet) -> str:
    if facet.unit:
        return f"Bảng vàng — {site.units[facet.unit].name}"
    if facet.kind:
        return listings.capitalised(facet.kind) + (f" năm {facet.year}" if facet.year else "")
    return f"Bảng vàng năm {facet.year}" if facet.year else "Bảng vàng"


def _avatar_files(site: Site, entries: list[listings.HonourEntry]) -> Iterator[GeneratedPage]:
    """An initials avatar for every card without a photo, written once."""
    avatars = {}
    for entry in entries:
        if entry.person is None or entry.person.photo is None:
            avatar = card_avatar(site, entry)
            avatars[avatar.uri] = avatar
    for avatar in avatars.values():
        yield GeneratedPage(avatar.uri, render("avatar.svg.j2", avatar=avatar))


def card_avatar(site: Site, entry: listings.HonourEntry) -> avatars.Avatar:
    return avatars.person_avatar(entry.person) if entry.person else avatars.unit_avatar(site.units[entry.unit])


def relative_root(src_uri: str) -> str:
    """The way back to the site root from a page's directory URL, for links written as raw
    HTML (MkDocs rewrites only Markdown links): bang-vang/nam-2025.md → ../../"""
    return "../" * listings.page_path(src_uri).count("/")


def _indicator_pages(site: Site) -> Iterator[GeneratedPage]:
    indicators = sorted(
        site.indicators.values(), key=lambda i: (bool(site.units[i.unit].parent), collation_key(site.units[i.unit].name))
    )
    charts = {i.id: indicator_chart(i, site.units[i.unit].name) for i in indicators}
    for indicator_id, chart in charts.items():
        yield GeneratedPage(f"chi-tieu/{indicator_id}.svg", render("chart.svg.j2", chart=chart))
    yield GeneratedPage("chi-tieu/index.md", render("indicators.md.j2", indicators=indicators, charts=charts, site=site))


def _feeds(site: Site, site_url: str) -> Iterator[GeneratedPage]:
    """Atom feeds: all stories, and one per unit that has stories."""
    base = site_url.rstrip("/") + "/"

    def absolute(record) -> str:
        return base + str(record_url(record)).lstrip("/").removesuffix(".md") + "/"

    def feed(uri: str, title: str, page: str, stories: list) -> GeneratedPage:
        updated = (stories[0].date if stories else site.today).isoformat() + "T00:00:00+07:00"
        return GeneratedPage(
            uri,
            render(
                "atom.xml.j2",
                title=title,
                feed_url=base + uri,
                page_url=page,
                updated=updated,
                stories=stories[:FEED_SIZE],
                absolute=absolute,
            ),
        )

    yield feed("feed.xml", "Câu chuyện người tốt, việc tốt", base + "cau-chuyen/", newest_first(list(site.stories.values())))
    for unit in site.units.values():
        stories = site.records_of_unit(unit.id)["stories"]
        if stories:
            yield feed(f"don-vi/{unit.id}/feed.xml", f"Câu chuyện — {unit.name}", absolute(unit), stories)


def _listing_pages(site: Site) -> Iterator[GeneratedPage]:
    yield from _paginate("stories", newest_first(list(site.stories.values())), "stories.md.j2", site=site)
    yield from _honour_pages(site)
    yield from _indicator_pages(site)
    yield GeneratedPage("ca-nhan/index.md", render("people.md.j2", people=sort_people(list(site.people.values())), site=site))
    yield GeneratedPage("mo-hinh/index.md", render("models.md.j2", groups=listings.models_by_field(site), site=site, root="../"))
    projects = list(site.projects.values())
    yield GeneratedPage("cong-trinh/index.md", render("projects.md.j2", projects=projects, site=site, root="../"))
    yield GeneratedPage(
        "khen-thuong/index.md", render("commendations.md.j2", groups=listings.commendations_by_year(site), site=site)
    )
    current = [u for u in site.units.values() if not u.reorganised]
    former = [u for u in site.units.values() if u.reorganised]
    yield GeneratedPage(
        "don-vi/index.md",
        render("units.md.j2", current=sort_by_name(current), former=sort_by_name(former), site=site),
    )
    campaigns = sorted(site.campaigns.values(), key=lambda c: c.phases[-1].end, reverse=True)
    yield GeneratedPage("dot-thi-dua/index.md", render("campaigns.md.j2", campaigns=campaigns, site=site))
    criteria = sorted(site.criteria.values(), key=lambda c: collation_key(c.title))
    yield GeneratedPage("tieu-chi/index.md", render("criteria_list.md.j2", criteria=criteria))


def _home_page(site: Site) -> GeneratedPage:
    """The front page: a lead story with its photo, the newest stories as cards, the campaign
    at a glance (phases on a timeline, key figures), the key projects."""
    campaign = listings.latest_campaign(site)
    poverty_id = campaign.poverty_indicator if campaign else None
    poverty = site.indicators.get(poverty_id) if poverty_id else None
    stories = newest_first(list(site.stories.values()))[: HOME_STORIES + 1]
    lead = next((s for s in stories if s.image), stories[0] if stories else None)
    return GeneratedPage(
        "index.md",
        render(
            "home.md.j2",
            campaign=campaign,
            timeline=campaign_timeline(campaign, site.today, campaign_status(campaign, site.today)) if campaign else None,
            figures=listings.key_figures(site, campaign, poverty),
            lead=lead,
            latest_stories=[s for s in stories if s is not lead][:HOME_STORIES],
            faces=listings.recent_faces(site, HOME_FACES),
            projects=[site.projects[p] for p in campaign.key_projects if p in site.projects] if campaign else [],
            site=site,
            root="",
        ),
    )


def render_pages(site: Site, site_url: str = "/") -> Iterator[GeneratedPage]:
    """Every generated page and file of the site."""
    yield _home_page(site)
    yield from _record_pages(site, site_url)
    yield from _listing_pages(site)
    yield from _feeds(site, site_url)


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


_MARKDOWN_ENV = _make_env(markdown=True)
_XML_ENV = _make_env(markdown=False)
