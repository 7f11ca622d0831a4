"""Search index: small static JSON shards made from the site model, read by
overrides/assets/search/search.js.

Why not Pagefind: measured on the 5,000-record synthetic site it moved 242 KB for a first
search (68 KB of WebAssembly, 43 KB of page table, ~100 KB index chunks) and 211 KB for a
second with trimmed copies of the records, 0.6-1.3 MB with the pages' text, and it does not
fold đ. These shards need no WebAssembly, fold tones AND đ→d, and a search fetches only the
term shards of its words and the result records it shows (about 15-25 KB for a first search
at 5,000 records: benchmarks/search_bytes.py).

What is searched: every record page's title, its summary and facts (people, units with the
names of the units they were merged into, tags, honours...) and its Markdown text (a story's
body...), the text counting half; and the section and honour-roll pages (/cau-chuyen/,
/bang-vang/nguoi-tot-viec-tot/...) by their title, description and headings. The facts a
record is known by (a person's honours with their years, a story's tags, a unit's former
names) rank as phrases, and the result shows the one the query matched. The site model is
the published view, so nothing withheld (no consent, drafts) is indexed.

Layout, under tim-kiem/chi-muc/:
- ``t-<key>.json``: the terms starting with ``key``, each with its postings
  ``[doc gap, weight, doc gap, weight, ...]`` (doc ids delta-encoded). Terms are folded words
  (``duc``) and pairs of adjacent words of a title, honour, tag or former name (``pho_van``,
  ``viec_tot``). A key is two letters, longer where a shard would be too big: the shard of a
  term is the one whose key is the longest prefix of the term (``thanh`` in ``t-tha.json``
  when ``th`` is split);
- ``d-<n>.json``: records ``n*SHARD`` to ``(n+1)*SHARD-1`` as [url, title, kind, date, snippet]
  and, when it has some, [[label, text], ...] of the facts it is known by;
- ``a.json``: each record's kind and year, fetched only when a filter is used.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from .memo import Memo, remembered
from .model import Site
from .ready_html import is_ready_html, marked_headings
from .schema import COLLECTIONS, Person
from .vietnamese import capitalised, fold

if TYPE_CHECKING:
    from .render import GeneratedPage

INDEX_DIR = "tim-kiem/chi-muc"
DOC_SHARD = 25  # result records per file: a page of 8 results fetches at most 8 small files
SHARD_LIMIT = 24_000  # characters of JSON in a term shard before it is split by a longer key
MAX_KEY = 8
TITLE_WEIGHT = 10  # a word of the title outweighs any number of mentions in the text
BODY_WEIGHT = 0.5  # a word of the Markdown text counts half a word of the summary and facts
BM25_K, BM25_B = 1.2, 0.75
# Shares of a title's weight for the facts a record is known by: a person by their honours
# (ahead of stories that merely mention the words), a unit by its former names, a story by
# its tags.
HONOUR_WEIGHT = 0.6
FORMER_NAME_WEIGHT = 0.5
TAG_WEIGHT = 0.4
PAIR = "_"  # joins the two words of a pair term: folded words are [a-z0-9] only
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[\w\u0300-\u036f]+")
_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+|\{[:#.][^}]*\}")  # link targets, tags, attr lists

KINDS = {
    "stories": "Câu chuyện",
    "people": "Cá nhân",
    "models": "Mô hình",
    "projects": "Công trình",
    "units": "Đơn vị",
    "commendations": "Khen thưởng",
    "campaigns": "Đợt thi đua",
    "criteria": "Tiêu chí",
    "honour_roll": "Bảng vàng",
    "sections": "Danh mục",
}
HONOUR_ROLL = "bang-vang/"
SNIPPET_HEADINGS = 4


@dataclass(frozen=True)
class Reason:
    """A short fact a record can be found by, shown under the result when the query matches
    it ("Danh hiệu: Người tốt việc tốt 2025"). ``weight``: how much of a title's weight its
    words and word pairs carry in the ranking (0: shown only, its words are in the text)."""

    label: str
    text: str
    weight: float = 0.0


@dataclass(frozen=True)
class SearchDoc:
    url: str
    title: str
    kind: str
    date: str  # ISO date or ""
    snippet: str
    text: str  # searchable text besides the title
    reasons: tuple[Reason, ...] = ()
    body: str = ""  # the record's Markdown text


def _fold_token(token: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(fold(token)) if len(w) > 1)


_FOLDED: dict[str, tuple[str, ...]] = {}  # token -> its folded words; Vietnamese has a few thousand syllables


def words(text: str) -> list[str]:
    """Folded words of two characters or more: "Đức Phổ" -> ["duc", "pho"]. The same rule as
    ``words()`` in search.js. Each distinct token is folded once (the cache), which makes this
    fast on long texts."""
    found: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        folded = _FOLDED.get(token)
        if folded is None:
            folded = _fold_token(token)
            if len(_FOLDED) < 500_000:
                _FOLDED[token] = folded
        found += folded
    return found


def _plain(markdown: str) -> str:
    """The words of a Markdown text without link targets, HTML tags or attribute lists."""
    return _MARKUP.sub(" ", markdown)


def _unit_names(site: Site, unit_ids: Iterable[str]) -> str:
    """The units' names, and the names of the units they were merged into: a 2024 story of
    «Phường Phổ Thạnh» is found by "sa huynh". Not the units a territory was shared out to: a
    story of the former thị xã is no more Sa Huỳnh's than any other new unit's."""
    return " ".join(_unit_name(site, unit_id) for unit_id in unit_ids)


def _unit_name(site: Site, unit_id: str) -> str:
    """«Phường Phổ Thạnh (nay là Phường Sa Huỳnh)» for a merged unit, else its name."""
    unit, now = site.units[unit_id], site.merged_into(unit_id)
    return unit.name if now is unit else f"{unit.name} (nay là {now.name})"


def _honours(person: Person) -> Iterator[Reason]:
    """One reason per title, with its years: «Người tốt việc tốt 2024, 2025»."""
    years: dict[str, list[int]] = defaultdict(list)
    for honour in person.honours:
        years[honour.title].append(honour.year)
    for title, held in years.items():
        text = f"{capitalised(title)} {', '.join(map(str, sorted(set(held))))}"
        yield Reason("Danh hiệu", text, HONOUR_WEIGHT)


def _url(collection: str, record_id: str) -> str:
    return f"{COLLECTIONS[collection].url}/{record_id}/"


def _story_docs(site: Site) -> Iterator[SearchDoc]:
    for s in site.stories.values():
        people = [site.people[p].full_name for p in s.people]
        reasons = (
            *(Reason("Thẻ", tag, TAG_WEIGHT) for tag in s.tags),
            *(Reason("Người", name) for name in people),
            *(Reason("Đơn vị", _unit_name(site, u)) for u in s.units),
        )
        text = f"{s.summary} {' '.join(people)} {_unit_names(site, s.units)} {' '.join(s.tags)} {s.author}"
        yield SearchDoc(_url("stories", s.id), s.title, KINDS["stories"], s.date.isoformat(), s.summary, text, reasons, s.body)


def _person_docs(site: Site) -> Iterator[SearchDoc]:
    for p in site.people.values():
        honours = " ".join(f"{h.title} {h.year}" for h in p.honours)
        snippet = f"{p.role or ''} — {site.units[p.unit].name}".strip(" —")
        text = f"{p.role or ''} {_unit_names(site, [p.unit])} {honours}"
        yield SearchDoc(_url("people", p.id), p.full_name, KINDS["people"], "", snippet, text, tuple(_honours(p)), p.body)


def _unit_docs(site: Site) -> Iterator[SearchDoc]:
    for u in site.units.values():
        formed_from = [site.units[p].name for p in site.lineage(u.id)[1:]]
        now = ", ".join(x.name for x in site.current_units(u.id) if x.id != u.id)
        before = ", ".join(formed_from)
        snippet = f"{u.kind}" + (f"; nay là {now}" if now else "") + (f"; hình thành từ {before}" if before else "")
        reasons = tuple(Reason("Hình thành từ", name, FORMER_NAME_WEIGHT) for name in formed_from)
        yield SearchDoc(
            _url("units", u.id), u.name, KINDS["units"], "", snippet, f"{u.kind} {before} {now} {u.note or ''}", reasons
        )


def _other_docs(site: Site) -> Iterator[SearchDoc]:
    for m in site.models.values():
        text = f"{m.summary} {m.kind} {m.field} {_unit_names(site, [m.unit, *m.replicated_in])}"
        yield SearchDoc(_url("models", m.id), m.title, KINDS["models"], m.started.isoformat(), m.summary, text, body=m.body)
    for p in site.projects.values():
        text = f"{p.summary} {p.location} {p.status} {_unit_names(site, p.units)}"
        yield SearchDoc(_url("projects", p.id), p.title, KINDS["projects"], "", p.summary, text, body=p.body)
    for c in site.commendations.values():
        names = [site.people[r.person].full_name if r.person else (r.household or "") for r in c.recipients]
        units = _unit_names(site, [r.unit for r in c.recipients if r.unit])
        reasons = tuple(Reason("Người nhận", name) for name in names if name)
        yield SearchDoc(
            _url("commendations", c.id),
            f"{c.form} «{c.title}»",
            KINDS["commendations"],
            c.decision_date.isoformat(),
            c.reason,
            f"{c.reason} {c.issuer} {' '.join(names)} {units}",
            reasons,
        )
    for campaign in site.campaigns.values():
        text = f"{campaign.title} {campaign.theme} {' '.join(campaign.slogans)}"
        yield SearchDoc(
            _url("campaigns", campaign.id), campaign.short_title, KINDS["campaigns"], "", campaign.theme, text, body=campaign.body
        )
    for criteria in site.criteria.values():
        text = f"{' '.join(criteria.applies_to)} {' '.join(x.text for x in criteria.criteria)}"
        yield SearchDoc(
            _url("criteria", criteria.id), criteria.title, KINDS["criteria"], "", ", ".join(criteria.applies_to), text
        )


def _docs(site: Site) -> Iterator[SearchDoc]:
    yield from _story_docs(site)
    yield from _person_docs(site)
    yield from _unit_docs(site)
    yield from _other_docs(site)


# --- Listing pages -------------------------------------------------------------------------
_LISTING = re.compile(r"^[a-z0-9-]+/(?:[a-z0-9-]+/)?index\.md$")  # cau-chuyen/, bang-vang/nguoi-tot-viec-tot/
_FRONT_MATTER = re.compile(r"\A\s*---\n(.*?)\n---\n", re.S)
_HEADING = re.compile(r"^#{2,3} +(.+?)(?: *\{[^}]*\})?$", re.M)
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")


def _listing_docs(pages: Iterable[GeneratedPage]) -> Iterator[SearchDoc]:
    """Section pages (/cau-chuyen/, /don-vi/...) and honour-roll pages (/bang-vang/,
    /bang-vang/nguoi-tot-viec-tot/), read from the pages the build renders: their title and
    description, and their headings at the weight of a record's text ("Người tốt việc tốt năm
    2025"). Not their lists: a person is found on their own page, not on every listing that
    names them."""
    for page in pages:
        found = _LISTING.match(page.src_uri) and _FRONT_MATTER.match(page.content)
        if not found:
            continue
        meta = yaml.safe_load(found[1]) or {}
        if not meta.get("title"):
            continue
        body = page.content[found.end() :]
        # A heading that links to a record is that record's title: found on its own page.
        headings = (
            [text for level, text, linked in marked_headings(body) if level in (2, 3) and not linked]
            if is_ready_html(page.content)
            else [_MARKDOWN_ESCAPE.sub(r"\1", h) for h in _HEADING.findall(body) if "](" not in h]
        )
        description = html.unescape(str(meta.get("description", "")))
        url = page.src_uri.removesuffix("index.md")
        kind = KINDS["honour_roll"] if url.startswith(HONOUR_ROLL) else KINDS["sections"]
        # Not the description: a static one names every honour («Đảng viên bốn tốt...»), and the
        # result rows of a person who did not consent to show party membership share its file.
        snippet = " · ".join(headings[:SNIPPET_HEADINGS]) + (" …" if len(headings) > SNIPPET_HEADINGS else "")
        title = html.unescape(str(meta["title"]))
        yield SearchDoc(url, title, kind, "", snippet, description, body=" ".join(headings))


def _postings(docs: list[SearchDoc], memo: Memo | None = None) -> dict[str, list[int]]:
    """term -> [doc gap, weight, doc gap, weight, ...] in doc order: doc ids delta-encoded
    (small numbers, gzip well), weights scaled to small integers.

    The summary and facts, and the Markdown text, are scored together like BM25 (saturating
    with repetition, discounted in long texts), a word of the facts counting as two of the
    text. A title word outweighs any number of mentions in the text, once however often the
    title repeats it, and more in a short title than in a long one: "duc pho" puts «Phường Đức
    Phổ» before «Văn phòng Thị ủy Đức Phổ». Two adjacent title words are also a term of their
    own ("pho_van"), so a query's words next to each other in a title ("Phổ Văn") outrank the
    same syllables scattered ("Phổ ... vận"): Vietnamese words are often two syllables. The
    facts a record is known by count as a share of a title, pairs included (``Reason.weight``):
    a person's honour ("nguoi tot viec tot" puts the holders of «Người tốt việc tốt» before
    stories with "việc" in their title), a story's tag, a unit's former names ("pho chau"
    finds «Phường Sa Huỳnh», formed from «Xã Phổ Châu»).

    The average lengths are rounded to two significant digits, so that one record edited
    seldom moves them: the other records keep their weights, and with a ``memo``
    (memo.py) their lengths and weights are not computed again."""
    split = functools.cache(_words_of)  # a document missing from the memo is tokenised once
    lengths = [remembered(memo, ("lengths", doc), _lengths, split, doc) for doc in docs]
    average = _rounded(sum(text for text, _ in lengths) / max(len(lengths), 1))
    average_title = _rounded(sum(title for _, title in lengths) / max(len(lengths), 1))
    index: dict[str, list[int]] = {}
    last: dict[str, int] = {}  # term -> the last doc it was found in
    for number, doc in enumerate(docs):
        key = ("weights", doc, average, average_title)
        for term, weight in remembered(memo, key, _weights, doc, split, average, average_title):
            found = index.get(term)
            if found is None:
                index[term] = [number, weight]
            else:
                found += (number - last[term], weight)
            last[term] = number
    return index


def _rounded(average: float) -> float:
    """Two significant digits (a length of 0 counts as 1)."""
    return float(f"{average:.2g}") or 1.0


def _words_of(doc: SearchDoc) -> tuple[list[str], list[str]]:
    """The words of the summary and facts twice (they count double) and of the Markdown text;
    the words of the title."""
    return words(doc.text) * round(1 / BODY_WEIGHT) + words(_plain(doc.body)), words(doc.title)


def _lengths(split: Callable[[SearchDoc], tuple[list[str], list[str]]], doc: SearchDoc) -> tuple[int, int]:
    text, title = split(doc)
    return len(text), len(title)


def _weights(
    doc: SearchDoc, split: Callable[[SearchDoc], tuple[list[str], list[str]]], average: float, average_title: float
) -> tuple[tuple[str, int], ...]:
    """(term, weight) for every term of the document, weights scaled to small integers."""
    text, title = split(doc)
    k1, scale = BM25_K + 1, 2  # weights * 2, rounded: small integers, enough resolution
    norm = BM25_K * (1 - BM25_B + BM25_B * len(text) / average)
    weights = {word: tf * k1 / (tf + norm) for word, tf in Counter(text).items()}
    title_weight = TITLE_WEIGHT * max(0.5, 2 / (1 + len(title) / average_title))
    boost: dict[str, float] = {}
    named = [(words(r.text), TITLE_WEIGHT * r.weight) for r in doc.reasons if r.weight]
    for name, weight in [(title, title_weight), *named]:
        for word in name:
            boost[word] = max(boost.get(word, 0), weight)
        for a, b in itertools.pairwise(name):
            boost[a + PAIR + b] = max(boost.get(a + PAIR + b, 0), weight / 2)
    for term, weight in boost.items():
        weights[term] = weights.get(term, 0) + weight
    return tuple((term, round(weight * scale) or 1) for term, weight in weights.items())


def _json(data: object) -> str:
    # "<" escaped: the shards stay inert even if a page ever inlines one in HTML.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _shards(terms: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """Terms grouped by their first two letters; a group bigger than SHARD_LIMIT is split by
    one more letter, again and again (a term shorter than the longer key stays under the
    shorter one), so a common syllable's shard stays small and a query fetches little."""
    size = {term: len(term) + 4 + len(_json(postings)) for term, postings in terms.items()}
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, postings in terms.items():
        groups[term[:2]][term] = postings
    leaves: dict[str, dict[str, list[int]]] = {}
    todo = list(groups.items())
    while todo:
        key, group = todo.pop()
        longer = len(key) + 1
        if len(key) >= MAX_KEY or sum(size[t] for t in group) <= SHARD_LIMIT or all(len(t) < longer for t in group):
            leaves[key] = group
            continue
        children: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for term, postings in group.items():
            children[term[:longer]][term] = postings
        todo += children.items()
    return leaves


def _row(doc: SearchDoc) -> list:
    """What a result shows: [url, title, kind, date, snippet, [[label, text], ...]]."""
    row: list = [doc.url, doc.title, doc.kind, doc.date, doc.snippet]
    return [*row, [[r.label, r.text] for r in doc.reasons]] if doc.reasons else row


def index_files(
    site: Site, pages: Iterable[GeneratedPage] = (), memo: Memo | None = None
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The shard files as (uri, text), and what the search page needs to know about them.
    ``pages``: the generated pages (``render.GeneratedPage``), for the listing pages; ``memo``:
    the documents' weights from a previous build (``_postings``)."""
    docs = sorted([*_docs(site), *_listing_docs(pages)], key=lambda d: d.url)
    shards = _shards(_postings(docs, memo))
    files = [(f"{INDEX_DIR}/t-{key}.json", _json(terms)) for key, terms in sorted(shards.items())]
    for start in range(0, len(docs), DOC_SHARD):
        rows = [_row(d) for d in docs[start : start + DOC_SHARD]]
        files.append((f"{INDEX_DIR}/d-{start // DOC_SHARD}.json", _json(rows)))
    kinds = sorted({d.kind for d in docs})
    files.append((f"{INDEX_DIR}/a.json", _json([[kinds.index(d.kind), int(d.date[:4]) if d.date else 0] for d in docs])))
    years = sorted({int(d.date[:4]) for d in docs if d.date}, reverse=True)
    info = {"docs": len(docs), "shard": DOC_SHARD, "kinds": kinds, "years": years, "prefixes": sorted(shards)}
    return files, info
