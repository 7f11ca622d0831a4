"""Site model -> pages, through the Jinja templates in ``bulletin/templates``.

Templates receive validated model objects. Record and listing pages (``*.html.j2``) are ready
HTML (ready_html.py): every ``{{ value }}`` is escaped for HTML, links are written as the URLs
MkDocs would make of them, and only an editor's Markdown body is left for the build to render
(then sanitised). The other pages (``*.md.j2``) are Markdown: there every value is escaped for
both HTML and Markdown unless a filter marks it safe.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup

from . import avatars, listings, page_memo
from .charts import campaign_timeline, indicator_chart
from .model import Site, newest_first, sort_by_name, sort_people
from .ready_html import MARK, markdown_region
from .schema import COLLECTIONS, Record
from .share_image import share_image_uri
from .vietnamese import capitalised, collation_key, format_date, format_date_long, format_month, format_number, slugify

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


def _body_region(text: str) -> Markup:
    """The same in a ready-HTML page: the one part the build runs Markdown on."""
    return Markup(markdown_region(_record_body(text)))


def _yaml_string(value: str) -> Markup:
    """A front-matter value (JSON strings are valid YAML), HTML-escaped: the theme prints
    page titles and descriptions into <title> and <meta> without escaping them."""
    return Markup(json.dumps(html.escape(value), ensure_ascii=False))


# --- Links in ready HTML: the URL MkDocs makes of a docs path, relative to the page ---------
def _dest_url(src_uri: str) -> str:
    """cau-chuyen/x.md → cau-chuyen/x/, index.md → ./, feed.xml → feed.xml"""
    return (listings.page_path(src_uri) or "./") if src_uri.endswith(".md") else src_uri


def relative_url(target: str, page_src_uri: str) -> str:
    """A docs path (``ca-nhan/x.md#anchor``) as a link from the page, as MkDocs writes it with
    use_directory_urls (its ``get_relative_url``)."""
    path, hash_, anchor = target.lstrip("/").partition("#")
    url, here = _dest_url(path), _dest_url(page_src_uri)
    dest, base = _parts(url), _parts(here)
    common = 0
    for a, b in zip(base, dest, strict=False):
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(base) - common) + dest[common:]) or "."
    return link + ("/" if url.endswith("/") else "") + hash_ + anchor


def _parts(url: str) -> list[str]:
    path = posixpath.normpath("/" + url)[1:]
    return path.split("/") if path else []


@pass_context
def _link(context: Context, target: str) -> Markup:
    return Markup(html.escape(relative_url(target, context["here"])))


@pass_context
def _record_link(context: Context, record: Record, anchor: str = "") -> Markup:
    return _link(context, str(record_url(record)) + (f"#{anchor}" if anchor else ""))


@pass_context
def _listing_link(context: Context, collection: str, page: int = 1) -> Markup:
    return _link(context, str(listing_url(collection, page)))


def _make_env(markdown: bool, loader: BaseLoader | None = None) -> Environment:
    env = Environment(
        loader=loader or PackageLoader("bulletin", "templates"),
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
        url=record_url if markdown else _record_link,
        link=_link,
        yaml=_yaml_string,
        body=_record_body if markdown else _body_region,
    )
    env.filters["slug"] = slugify
    env.globals.update(
        listing_url=listing_url if markdown else _listing_link,
        collections=COLLECTIONS,
        campaign_status=campaign_status,
        card_avatar=card_avatar,
        share_image=share_image_uri,
        ready_html=Markup(MARK),
    )
    return env


def render(template: str, **context: Any) -> str:
    """Markdown templates (*.md.j2) escape data for Markdown too; HTML, SVG and XML ones do not."""
    twin = _TWINS and _TWINS.twin(template)
    if twin:
        return twin.render(**context)
    env = _MARKDOWN_ENV if template.endswith(".md.j2") else _HTML_ENV
    return page_memo.render(env.get_template(template), context)  # remembered by what it reads, in a build


@dataclass
class _MarkdownTwins:
    folder: Path
    env: Environment

    def twin(self, template: str) -> Any:
        name = template.removesuffix(".html.j2") + ".md.j2"
        return self.env.get_template(name) if (self.folder / name).is_file() else None


_TWINS: _MarkdownTwins | None = None


@contextlib.contextmanager
def rendered_from_markdown(folder: Path) -> Iterator[None]:
    """Pages rendered, meanwhile, from the Markdown templates in ``folder`` that the ready-HTML
    ones replaced (``story.md.j2`` for ``story.html.j2``): the pages as they were before, for
    the test that compares both builds and for the benchmark's plain MkDocs baseline."""
    global _TWINS
    loader = ChoiceLoader([FileSystemLoader(folder), PackageLoader("bulletin", "templates")])
    _TWINS = _MarkdownTwins(folder, _make_env(markdown=True, loader=loader))
    try:
        yield
    finally:
        _TWINS = None


def _page(src_uri: str, template: str, has_body: bool = False, **context: Any) -> GeneratedPage:
    """A generated page: ``here`` and ``root`` tell its template where the page is."""
    return GeneratedPage(src_uri, render(template, here=src_uri, root=relative_root(src_uri), **context), has_body)


# --- Record pages --------------------------------------------------------------------------
RECORD_TEMPLATES = {
    "campaigns": "campaign.html.j2",
    "units": "unit.html.j2",
    "criteria": "criteria.html.j2",
    "people": "person.html.j2",
    "stories": "story.html.j2",
    "models": "model.html.j2",
    "projects": "project.html.j2",
    "commendations": "commendation.html.j2",
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
            yield _page(src, template, bool(getattr(record, "body", "")), record=record, site=site, **context)


# --- Listings ------------------------------------------------------------------------------
def _paginate(collection: str, records: list, template: str, **context: Any) -> Iterator[GeneratedPage]:
    pages = max(1, math.ceil(len(records) / PAGE_SIZE))
    for number in range(1, pages + 1):
        chunk = records[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        src = str(listing_url(collection, number)).lstrip("/")
        yield _page(src, template, records=chunk, page=number, pages=pages, collection=collection, **context)


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
        yield _page(
            facet.src_uri,
            "honour_facet.html.j2",
            heading=_facet_heading(site, facet),
            facet=facet,
            filters=listings.honour_filters(roll, units, facet),
            sections=listings.honour_sections(shown, facet),
            site=site,
        )
    yield from _avatar_files(site, entries)


def _facet_heading(site: Site, facet: listings.Facet) -> str:
    if facet.unit:
        return f"Bảng vàng — {site.units[facet.unit].name}"
    if facet.kind:
        return capitalised(facet.kind) + (f" năm {facet.year}" if facet.year else "")
    return f"Bảng vàng năm {facet.year}" if facet.year else "Bảng vàng"


def _avatar_files(site: Site, entries: list[listings.HonourEntry]) -> Iterator[GeneratedPage]:
    """An initials avatar for every card without a photo, written once."""
    by_uri = {}
    for entry in entries:
        if not entry.has_photo:
            avatar = card_avatar(site, entry)
            by_uri[avatar.uri] = avatar
    for avatar in by_uri.values():
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
    yield _page("chi-tieu/index.md", "indicators.html.j2", indicators=indicators, charts=charts, site=site)


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
        stories = site.stories_of_unit(unit.id)  # as the unit's page lists them
        if stories:
            yield feed(f"don-vi/{unit.id}/feed.xml", f"Câu chuyện — {unit.name}", absolute(unit), stories)


def _listing_pages(site: Site) -> Iterator[GeneratedPage]:
    yield from _paginate("stories", newest_first(list(site.stories.values())), "stories.html.j2", site=site)
    yield from _honour_pages(site)
    yield from _indicator_pages(site)
    yield _page("ca-nhan/index.md", "people.html.j2", people=sort_people(list(site.people.values())), site=site)
    yield _page("mo-hinh/index.md", "models.html.j2", groups=listings.models_by_field(site), site=site)
    yield _page("cong-trinh/index.md", "projects.html.j2", projects=list(site.projects.values()), site=site)
    yield _page("khen-thuong/index.md", "commendations.html.j2", groups=listings.commendations_by_year(site), site=site)
    current = [u for u in site.units.values() if not u.reorganised]
    former = [u for u in site.units.values() if u.reorganised]
    yield _page("don-vi/index.md", "units.html.j2", current=sort_by_name(current), former=sort_by_name(former), site=site)
    campaigns = sorted(site.campaigns.values(), key=lambda c: c.phases[-1].end, reverse=True)
    yield _page("dot-thi-dua/index.md", "campaigns.html.j2", campaigns=campaigns, site=site)
    criteria = sorted(site.criteria.values(), key=lambda c: collation_key(c.title))
    yield _page("tieu-chi/index.md", "criteria_list.html.j2", criteria=criteria)


def _home_page(site: Site) -> GeneratedPage:
    """The front page: a lead story with its photo, the newest stories as cards, the campaign
    at a glance (phases on a timeline, key figures), the key projects."""
    campaign = listings.latest_campaign(site)
    poverty_id = campaign.poverty_indicator if campaign else None
    poverty = site.indicators.get(poverty_id) if poverty_id else None
    stories = newest_first(list(site.stories.values()))[: HOME_STORIES + 1]
    lead = next((s for s in stories if s.image), stories[0] if stories else None)
    return _page(
        "index.md",
        "home.html.j2",
        campaign=campaign,
        timeline=campaign_timeline(campaign, site.today, campaign_status(campaign, site.today)) if campaign else None,
        figures=listings.key_figures(site, campaign, poverty),
        lead=lead,
        latest_stories=[s for s in stories if s is not lead][:HOME_STORIES],
        faces=listings.recent_faces(site, HOME_FACES),
        projects=[site.projects[p] for p in campaign.key_projects if p in site.projects] if campaign else [],
        site=site,
    )


def render_pages(site: Site, site_url: str = "/") -> Iterator[GeneratedPage]:
    """Every generated page and file of the site."""
    with _templates_checked_once():
        yield _home_page(site)
        yield from _record_pages(site, site_url)
        yield from _listing_pages(site)
        yield from _feeds(site, site_url)


@contextlib.contextmanager
def _templates_checked_once() -> Iterator[None]:
    """Meanwhile each template is checked against its file once, not at every use: Jinja
    would stat the file each time a page asks for it (thousands of times a generation: some
    30 ms of a save under serve)."""
    envs = [_MARKDOWN_ENV, _HTML_ENV]
    for env in envs:
        cache = env.cache or {}  # Jinja's own: a template changed on disk is loaded again
        for key in [key for key, template in cache.items() if not template.is_up_to_date]:
            del cache[key]
        env.auto_reload = False
    try:
        yield
    finally:
        for env in envs:
            env.auto_reload = True


def keep_compiled_templates(folder: Path, version: str) -> None:
    """Our templates compiled by an earlier build are read from ``folder`` (Jinja checks each
    against its source): a build in a fresh process (``mkdocs build``, CI) compiles none of
    the fifty again. The compiled code depends on this module's settings of each environment
    too, not only on the template's source, so a file belongs to ``version`` (the package's
    code): files of other versions are removed."""
    folder.mkdir(parents=True, exist_ok=True)  # again at each build: .cache/ may be deleted under serve
    for kind, env in (("markdown", _MARKDOWN_ENV), ("html", _HTML_ENV)):
        prefix = f"{kind}-{version[:16]}-"
        held = env.bytecode_cache
        if isinstance(held, CompiledTemplates) and (held.directory, held.pattern) == (str(folder), prefix + "%s.cache"):
            continue  # under serve: the templates are in memory already
        for stale in folder.glob(f"{kind}-*.cache"):
            if not stale.name.startswith(prefix):
                stale.unlink(missing_ok=True)
        env.bytecode_cache = CompiledTemplates(str(folder), pattern=prefix + "%s.cache")


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates (ours and the theme's), for which a file it cannot
    write is no error (its folder deleted meanwhile, a read-only disk): the template is
    compiled again next time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


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
_HTML_ENV = _make_env(markdown=False)
