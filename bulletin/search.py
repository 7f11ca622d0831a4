"""Search index: small static JSON shards made from the site model, read by
overrides/assets/search/search.js.

Why not Pagefind: measured on the 5,000-record synthetic site it moved 242 KB for a first
search (68 KB of WebAssembly, 43 KB of page table, ~100 KB index chunks) and 211 KB for a
second, and it does not fold đ. These shards need no WebAssembly, fold tones AND đ→d, and
a search fetches only the posting shards of its words and the result records it shows.

Layout, under tim-kiem/chi-muc/:
- ``t-<xx>.json``: the words starting with ``xx`` (folded), each with its postings
  ``[doc gap, weight, doc gap, weight, ...]`` (doc ids delta-encoded);
- ``d-<n>.json``: records ``n*SHARD`` to ``(n+1)*SHARD-1`` as [url, title, kind, date, snippet];
- ``a.json``: each record's kind and year, fetched only when a filter is used.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterator

from .model import Site
from .schema import COLLECTIONS
from .vietnamese import fold

INDEX_DIR = "tim-kiem/chi-muc"
DOC_SHARD = 50
TITLE_WEIGHT = 10  # a word of the title outweighs any number of mentions in the text
BM25_K, BM25_B = 1.2, 0.75
_WORD = re.compile(r"[a-z0-9]+")

KINDS = {
    "stories": "Câu chuyện",
    "people": "Cá nhân",
    "models": "Mô hình",
    "projects": "Công trình",
    "units": "Đơn vị",
    "commendations": "Khen thưởng",
    "campaigns": "Đợt thi đua",
    "criteria": "Tiêu chí",
}


@dataclass(frozen=True)
class SearchDoc:
    url: str
    title: str
    kind: str
    date: str  # ISO date or ""
    snippet: str
    text: str  # searchable text besides the title


def words(text: str) -> list[str]:
    """Folded words of two characters or more: "Đức Phổ" -> ["duc", "pho"]."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1]


def _unit_names(site: Site, unit_ids) -> str:
    names = []
    for unit_id in unit_ids:
        names.append(site.units[unit_id].name)
        names += [u.name for u in site.current_units(unit_id) if u.id != unit_id]
    return " ".join(names)


def _docs(site: Site) -> Iterator[SearchDoc]:
    def url(collection: str, record_id: str) -> str:
        return f"{COLLECTIONS[collection].url}/{record_id}/"

    for s in site.stories.values():
        people = " ".join(site.people[p].full_name for p in s.people)
        yield SearchDoc(url("stories", s.id), s.title, KINDS["stories"], s.date.isoformat(), s.summary,
                        f"{s.summary} {people} {_unit_names(site, s.units)} {' '.join(s.tags)} {s.author}")
    for p in site.people.values():
        honours = " ".join(h.title for h in p.honours)
        yield SearchDoc(url("people", p.id), p.full_name, KINDS["people"], "", f"{p.role or ''} — {site.units[p.unit].name}".strip(" —"),
                        f"{p.role or ''} {_unit_names(site, [p.unit])} {honours}")
    for m in site.models.values():
        yield SearchDoc(url("models", m.id), m.title, KINDS["models"], m.started.isoformat(), m.summary,
                        f"{m.summary} {m.kind} {m.field} {_unit_names(site, [m.unit, *m.replicated_in])}")
    for p in site.projects.values():
        yield SearchDoc(url("projects", p.id), p.title, KINDS["projects"], "", p.summary,
                        f"{p.summary} {p.location} {p.status} {_unit_names(site, p.units)}")
    for u in site.units.values():
        before = " ".join(site.units[p].name for p in site.lineage(u.id)[1:])
        after = " ".join(x.name for x in site.current_units(u.id) if x.id != u.id)
        snippet = f"{u.kind}" + (f", nay là {after}" if after else "") + (f", hình thành từ {before}" if before else "")
        yield SearchDoc(url("units", u.id), u.name, KINDS["units"], "", snippet, f"{u.kind} {before} {after} {u.note or ''}")
    for c in site.commendations.values():
        names = " ".join(site.people[r.person].full_name if r.person else (r.household or "") for r in c.recipients)
        yield SearchDoc(url("commendations", c.id), f"{c.form} «{c.title}»", KINDS["commendations"], c.decision_date.isoformat(), c.reason,
                        f"{c.reason} {c.issuer} {names} {_unit_names(site, [r.unit for r in c.recipients if r.unit])}")
    for c in site.campaigns.values():
        yield SearchDoc(url("campaigns", c.id), c.short_title, KINDS["campaigns"], "", c.theme, f"{c.title} {c.theme} {' '.join(c.slogans)}")
    for c in site.criteria.values():
        yield SearchDoc(url("criteria", c.id), c.title, KINDS["criteria"], "", ", ".join(c.applies_to),
                        f"{' '.join(c.applies_to)} {' '.join(x.text for x in c.criteria)}")


def _postings(docs: list[SearchDoc]) -> dict[str, dict[int, int]]:
    """word -> {doc: weight}: title words weigh TITLE_WEIGHT each; text words are scored like
    BM25 (saturating with repetition, discounted in long texts), scaled to small integers."""
    texts = [words(doc.text) for doc in docs]
    average = sum(map(len, texts)) / max(len(texts), 1) or 1
    index: dict[str, dict[int, int]] = defaultdict(dict)
    for number, (doc, text) in enumerate(zip(docs, texts)):
        counts = Counter(text)
        norm = BM25_K * (1 - BM25_B + BM25_B * len(text) / average)
        weights = {word: tf * (BM25_K + 1) / (tf + norm) for word, tf in counts.items()}
        for word in words(doc.title):
            weights[word] = weights.get(word, 0) + TITLE_WEIGHT
        for word, weight in weights.items():
            index[word][number] = max(1, round(weight * 2))
    return index


def _encode(postings: dict[int, int]) -> list[int]:
    flat, previous = [], 0
    for doc in sorted(postings):
        flat += [doc - previous, postings[doc]]
        previous = doc
    return flat


def _json(data) -> str:
    # "<" escaped: the shards stay inert even if a page ever inlines one in HTML.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def index_files(site: Site) -> tuple[list[tuple[str, str]], dict]:
    """The shard files as (uri, text), and what the search page needs to know about them."""
    docs = sorted(_docs(site), key=lambda d: d.url)
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, postings in _postings(docs).items():
        shards[word[:2]][word] = _encode(postings)
    files = [(f"{INDEX_DIR}/t-{prefix}.json", _json(terms)) for prefix, terms in sorted(shards.items())]
    for start in range(0, len(docs), DOC_SHARD):
        rows = [[d.url, d.title, d.kind, d.date, d.snippet] for d in docs[start : start + DOC_SHARD]]
        files.append((f"{INDEX_DIR}/d-{start // DOC_SHARD}.json", _json(rows)))
    kinds = sorted({d.kind for d in docs})
    files.append((f"{INDEX_DIR}/a.json", _json([[kinds.index(d.kind), int(d.date[:4]) if d.date else 0] for d in docs])))
    years = sorted({int(d.date[:4]) for d in docs if d.date}, reverse=True)
    info = {"docs": len(docs), "shard": DOC_SHARD, "kinds": kinds, "years": years, "prefixes": sorted(shards)}
    return files, info
