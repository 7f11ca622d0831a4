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

import bisect
import functools
import html
import itertools
import json
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from .memo import Memo, remembered
from .model import Site
from .ready_html import is_ready_html, marked_headings
from .schema import COLLECTIONS, Person, Story
from .vietnamese import capitalised, fold

if TYPE_CHECKING:
    from .render import GeneratedPage

INDEX_DIR = "tim-kiem/chi-muc"
DOC_SHARD = 25  # result records per file: a page of 8 results fetches at most 8 small files
SHARD_LIMIT = 24_000  # characters of JSON in a term shard before it is split by a longer key
MAX_KEY = 8
PATCH_LIMIT = 8  # documents changed since the previous build that are patched into its index; more: assembled anew
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

    def __hash__(self) -> int:
        """Of the fields that tell documents apart (equal ones have the same): a memo key holds
        a document, and its reasons need not be hashed on every lookup."""
        return hash((self.url, self.title, self.text, self.body))


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


def _story_docs(site: Site, remember: bool = False) -> Iterator[SearchDoc]:
    """A story's document; with ``remember``, the previous build's while the story is the same record (the
    records' memo gives an unchanged file's record again) with the same names of its people
    and units."""
    global _STORIES
    people = site.people
    unit_names = {unit_id: _unit_name(site, unit_id) for unit_id in site.units}  # once a unit, not once a story
    made: dict[str, tuple[Story, list[str], list[str], SearchDoc]] = {}
    for s in site.stories.values():
        names = [people[p].full_name for p in s.people]
        units = [unit_names[u] for u in s.units]
        before = _STORIES.get(s.id) if remember else None
        if before is not None and before[0] is s and before[1] == names and before[2] == units:
            doc = before[3]
        else:
            doc = _story_doc(s, names, units)
        made[s.id] = (s, names, units, doc)
        yield doc
    if remember:
        _STORIES = made


_STORIES: dict[str, tuple[Story, list[str], list[str], SearchDoc]] = {}  # the last build's: story id -> its inputs, its document


def _story_doc(s: Story, names: list[str], units: list[str]) -> SearchDoc:
    reasons = (
        *(Reason("Thẻ", tag, TAG_WEIGHT) for tag in s.tags),
        *(Reason("Người", name) for name in names),
        *(Reason("Đơn vị", name) for name in units),
    )
    text = f"{s.summary} {' '.join(names)} {' '.join(units)} {' '.join(s.tags)} {s.author}"
    return SearchDoc(_url("stories", s.id), s.title, KINDS["stories"], s.date.isoformat(), s.summary, text, reasons, s.body)


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


def _docs(site: Site, remember: bool = False) -> Iterator[SearchDoc]:
    yield from _story_docs(site, remember)
    yield from _person_docs(site)
    yield from _unit_docs(site)
    yield from _other_docs(site)


# --- Listing pages -------------------------------------------------------------------------
_LISTING = re.compile(r"^[a-z0-9-]+/(?:[a-z0-9-]+/)?index\.md$")  # cau-chuyen/, bang-vang/nguoi-tot-viec-tot/
_FRONT_MATTER = re.compile(r"\A\s*---\n(.*?)\n---\n", re.S)
_HEADING = re.compile(r"^#{2,3} +(.+?)(?: *\{[^}]*\})?$", re.M)
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")


def _listing_docs(pages: Iterable[GeneratedPage], remember: bool = False) -> Iterator[SearchDoc]:
    """Section pages (/cau-chuyen/, /don-vi/...) and honour-roll pages (/bang-vang/,
    /bang-vang/nguoi-tot-viec-tot/), read from the pages the build renders: their title and
    description, and their headings at the weight of a record's text ("Người tốt việc tốt năm
    2025"). Not their lists: a person is found on their own page, not on every listing that
    names them. With ``remember``, a page whose text the previous build had gives the same
    document without being read again."""
    global _LISTED
    listed: dict[tuple[str, str], SearchDoc | None] = {}
    for page in pages:
        if not _LISTING.match(page.src_uri):
            continue
        key = (page.src_uri, page.content)
        found = _LISTED[key] if remember and key in _LISTED else _listing_doc(page)
        listed[key] = found
        if found is not None:
            yield found
    if remember:
        _LISTED = listed


_LISTED: dict[tuple[str, str], SearchDoc | None] = {}  # the last build's listing pages: their documents


def _listing_doc(page: GeneratedPage) -> SearchDoc | None:
    """A listing page's document, if it has a title (``_listing_docs``)."""
    found = _FRONT_MATTER.match(page.content)
    if not found:
        return None
    meta = yaml.safe_load(found[1]) or {}
    if not meta.get("title"):
        return None
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
    return SearchDoc(url, title, kind, "", snippet, description, body=" ".join(headings))


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
    return _index(_doc_weights(docs, memo)[2])


Weights = tuple[tuple[str, int], ...]  # (term, weight) for every term of a document


def _doc_weights(docs: list[SearchDoc], memo: Memo | None) -> tuple[list[tuple[int, int]], tuple[float, float], list[Weights]]:
    """Each document's lengths (text, title), the rounded average lengths, each document's
    weights (``_postings``)."""
    split = functools.cache(_words_of)  # a document missing from the memo is tokenised once
    lengths = [remembered(memo, ("lengths", doc), _lengths, split, doc) for doc in docs]
    average, average_title = averages = _averages(lengths)
    weights = [
        remembered(memo, ("weights", doc, average, average_title), _weights, doc, split, average, average_title) for doc in docs
    ]
    return lengths, averages, weights


def _averages(lengths: list[tuple[int, int]]) -> tuple[float, float]:
    count = max(len(lengths), 1)
    return _rounded(sum(text for text, _ in lengths) / count), _rounded(sum(title for _, title in lengths) / count)


def _index(weights: list[Weights]) -> dict[str, list[int]]:
    """term -> [doc gap, weight, ...]; terms in the order they are first found (the order of
    the shards' text)."""
    index: dict[str, list[int]] = {}
    last: dict[str, int] = {}  # term -> the last doc it was found in
    for number, found_in in enumerate(weights):
        for term, weight in found_in:
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
) -> Weights:
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


V = TypeVar("V")


def _shards(terms: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """Terms grouped by their first two letters; a group bigger than SHARD_LIMIT is split by
    one more letter, again and again (a term shorter than the longer key stays under the
    shorter one), so a common syllable's shard stays small and a query fetches little."""
    size = {term: len(term) + 4 + len(_json(postings)) for term, postings in terms.items()}
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, postings in terms.items():
        groups[term[:2]][term] = postings
    leaves: dict[str, dict[str, list[int]]] = {}
    for key, group in groups.items():
        leaves |= _split(key, group, size.__getitem__)
    return leaves


def _split(key: str, group: dict[str, V], size: Callable[[str], int]) -> dict[str, dict[str, V]]:
    """The shards of one two-letter group (``_shards``): key -> its terms, in the group's order.
    ``size``: each term's characters in its shard's JSON."""
    leaves: dict[str, dict[str, V]] = {}
    todo = [(key, group)]
    while todo:
        key, group = todo.pop()
        longer = len(key) + 1
        if len(key) >= MAX_KEY or sum(map(size, group)) <= SHARD_LIMIT or all(len(t) < longer for t in group):
            leaves[key] = group
            continue
        children: dict[str, dict[str, V]] = defaultdict(dict)
        for term, value in group.items():
            children[term[:longer]][term] = value
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
    the documents' weights from a previous build (``_postings``), and beside it the previous
    build's assembled index (``_Assembled``): when only a few documents changed, only they
    are patched into it. The files are the same either way."""
    remember = memo is not None  # documents of unchanged records and pages: the previous build's
    return _files(sorted([*_docs(site, remember), *_listing_docs(pages, remember)], key=lambda d: d.url), memo)


def _files(docs: list[SearchDoc], memo: Memo | None) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """``index_files`` of the documents, in the order of their URLs."""
    if memo is None:
        shards = _shards(_postings(docs))
        keys = sorted(shards)
        files = [(f"{INDEX_DIR}/t-{key}.json", _json(shards[key])) for key in keys]
        files += [(f"{INDEX_DIR}/d-{n}.json", _rows(docs, n)) for n in range(_doc_shards(docs))]
        kinds, years, facets = _facets(docs)
    else:
        assembled = _ASSEMBLED.pop(memo, None)  # taken away while it changes: an exception leaves none
        if assembled is None or assembled.version != memo.version or not assembled.patch(docs, memo):
            assembled = _Assembled(docs, memo)
        _ASSEMBLED[memo] = assembled
        keys = sorted(assembled.texts)
        files = [(f"{INDEX_DIR}/t-{key}.json", assembled.texts[key]) for key in keys]
        files += [(f"{INDEX_DIR}/d-{n}.json", text) for n, text in enumerate(assembled.rows)]
        kinds, years, facets = assembled.facets
    files.append((f"{INDEX_DIR}/a.json", facets))
    info = {"docs": len(docs), "shard": DOC_SHARD, "kinds": kinds, "years": years, "prefixes": keys}
    return files, info


def _facets(docs: list[SearchDoc]) -> tuple[list[str], list[int], str]:
    """The kinds and years for the filters, and the text of ``a.json``: each document's kind and year."""
    kinds = sorted({d.kind for d in docs})
    years = sorted({int(d.date[:4]) for d in docs if d.date}, reverse=True)
    return kinds, years, _json([[kinds.index(d.kind), int(d.date[:4]) if d.date else 0] for d in docs])


def _doc_shards(docs: list[SearchDoc]) -> int:
    return -(-len(docs) // DOC_SHARD)


def _rows(docs: list[SearchDoc], shard: int) -> str:
    """The text of ``d-<shard>.json``."""
    return _json([_row(d) for d in docs[shard * DOC_SHARD : (shard + 1) * DOC_SHARD]])


def _fragment(term: str, postings: list[int]) -> str:
    """A term and its postings as they are written in their shard: ``"term":[...]``
    (a term is [a-z0-9_]: nothing in it to escape)."""
    return f'"{term}":{_json(postings)}'


# The previous build's index beside its memo: under serve the memo lives between builds.
_ASSEMBLED: weakref.WeakKeyDictionary[Memo, _Assembled] = weakref.WeakKeyDictionary()


class _Assembled:
    """An index assembled from a list of documents, and the text of its files, kept so that
    the next build patches in the few documents that changed instead of assembling it anew.

    A term's postings are patched in place (its gaps and weights: ``_repost``) and its text
    (``fragments``) made again; the shards it belongs to are split again by the sizes, and
    a shard's text is joined again from its terms' fragments in the order a full assembly
    puts them (``_ordered``). Every other shard keeps its text, every other row file too."""

    def __init__(self, docs: list[SearchDoc], memo: Memo) -> None:
        self.version = memo.version
        self.docs = list(docs)  # a copy: the caller may change its list
        self.lengths, self.averages, self.weights = _doc_weights(docs, memo)
        self.index = _index(self.weights)
        self.fragments = {term: _fragment(term, postings) for term, postings in self.index.items()}
        self.leaves: dict[str, list[str]] = {}  # shard key -> its terms in the index's order
        self.groups: dict[str, list[str]] = defaultdict(list)  # two-letter key -> its shards' keys
        self.texts: dict[str, str] = {}
        groups: dict[str, dict[str, None]] = defaultdict(dict)
        for term in self.index:
            groups[term[:2]][term] = None
        for key, group in groups.items():
            self._split(key, list(group))
        self.rows = [_rows(docs, n) for n in range(_doc_shards(docs))]
        self.facets = _facets(docs)

    def _split(self, key: str, terms: list[str]) -> None:
        """The shards of a two-letter group, from its terms in the index's order: recorded, their text made."""
        leaves = _split(key, dict.fromkeys(terms), self._size)
        for leaf, group in leaves.items():
            self._set_leaf(leaf, list(group))
        self.groups[key] = list(leaves)

    def _size(self, term: str) -> int:
        """A term's characters in its shard's JSON (with its comma), read from its fragment."""
        return len(self.fragments[term]) + 1

    def _set_leaf(self, leaf: str, terms: list[str]) -> None:
        """A shard's terms, in order, and its text joined from their fragments."""
        self.leaves[leaf] = terms
        self.texts[leaf] = "{" + ",".join(self.fragments[t] for t in terms) + "}"

    def patch(self, docs: list[SearchDoc], memo: Memo) -> bool:
        """The index of ``docs`` from this one, when at most PATCH_LIMIT documents changed in
        place (none added or removed) and the average lengths stay: true when done."""
        if len(docs) != len(self.docs):
            return False
        changed = [n for n, (doc, was) in enumerate(zip(docs, self.docs, strict=True)) if doc is not was and doc != was]
        if len(changed) > PATCH_LIMIT:
            return False
        split = functools.cache(_words_of)
        lengths = list(self.lengths)
        for n in changed:
            lengths[n] = remembered(memo, ("lengths", docs[n]), _lengths, split, docs[n])
        if _averages(lengths) != self.averages:
            return False  # every document's weights change
        average, average_title = self.averages
        kept = self.docs  # the memo's keys hold these: kept, a key is found by identity
        edited = set(changed)
        for n in (n for n in range(len(docs)) if n not in edited):  # the memo's entries stay for a later full assembly
            memo.keep(("lengths", kept[n]))
            memo.keep(("weights", kept[n], average, average_title))
        places = functools.cache(self._places)  # asked only after the weights below are patched
        reposted: set[str] = set()  # terms whose postings changed
        placed: set[str] = set()  # terms whose place among the others may have changed
        for n in changed:
            weights = remembered(
                memo, ("weights", docs[n], average, average_title), _weights, docs[n], split, average, average_title
            )
            before, after = dict(self.weights[n]), dict(weights)
            self.weights[n] = weights
            placed.update(before, after)
            for term in before.keys() | after.keys():
                if before.get(term) != after.get(term):
                    _repost(self.index, term, n, after.get(term))
                    reposted.add(term)
        for term in reposted:
            postings = self.index.get(term)
            if postings is None:
                self.fragments.pop(term, None)
            else:
                self.fragments[term] = _fragment(term, postings)
        split_again = {term[:2] for term in reposted}  # their sizes changed
        for key in split_again:
            old = self.groups.pop(key, [])
            terms = {t for leaf in old for t in self.leaves.pop(leaf) if t in self.index}
            for leaf in old:
                del self.texts[leaf]
            terms.update(t for t in reposted if t[:2] == key and t in self.index)
            if terms:
                self._split(key, self._ordered(terms, places))
        # A term with the same postings moves only among the terms first found in the same
        # document, and only if that document changed.
        moved = {t for t in placed if t in self.index and self.index[t][0] in edited and t[:2] not in split_again}
        for leaf in {self._leaf(t) for t in moved}:  # the same terms, perhaps in another order
            self._set_leaf(leaf, self._ordered(self.leaves[leaf], places))
        self.docs = [*kept]  # unchanged documents: the objects the memo keys hold
        for n in changed:
            self.docs[n] = docs[n]
        self.lengths = lengths
        for shard in {n // DOC_SHARD for n in changed}:
            self.rows[shard] = _rows(docs, shard)
        if any((docs[n].kind, docs[n].date) != (kept[n].kind, kept[n].date) for n in changed):
            self.facets = _facets(docs)
        return True

    def _leaf(self, term: str) -> str:
        """The key of the shard holding ``term``: the longest of its group's that it starts with."""
        return max((key for key in self.groups[term[:2]] if term.startswith(key)), key=len)

    def _ordered(self, terms: Iterable[str], places: Callable[[int], dict[str, int]]) -> list[str]:
        """Terms in the order a full assembly puts them (``_index``): by the first document they
        are found in; terms first found in the same one by their place among its terms
        (``places``: a document's terms' places)."""
        ordered: list[str] = []
        by_first = sorted(terms, key=lambda t: self.index[t][0])
        for first, run in itertools.groupby(by_first, key=lambda t: self.index[t][0]):
            same = list(run)
            if len(same) > 1:
                same.sort(key=places(first).__getitem__)
            ordered += same
        return ordered

    def _places(self, doc: int) -> dict[str, int]:
        """The place of each term among the document's weights."""
        return {term: place for place, (term, _) in enumerate(self.weights[doc])}


def _repost(index: dict[str, list[int]], term: str, number: int, weight: int | None) -> None:
    """Document ``number``'s weight for ``term`` set (None: removed) in its postings
    ``[doc gap, weight, ...]``, the neighbouring gaps mended."""
    postings = index.get(term)
    if postings is None:
        if weight is not None:
            index[term] = [number, weight]
        return
    found_in = list(itertools.accumulate(postings[0::2]))
    at = bisect.bisect_left(found_in, number)
    here = at < len(found_in) and found_in[at] == number
    if weight is None:
        if not here:
            return
        if at + 1 < len(found_in):
            postings[2 * at + 2] += postings[2 * at]
        del postings[2 * at : 2 * at + 2]
        if not postings:
            del index[term]
    elif here:
        postings[2 * at + 1] = weight
    else:
        if at < len(found_in):
            postings[2 * at] = found_in[at] - number
        postings[2 * at : 2 * at] = [number - (found_in[at - 1] if at else 0), weight]
