"""Search: the index (unit tests on bulletin/search.py) and the search in a real browser on
the shipped sample site: Vietnamese queries with or without diacritics (đ included) find the
right page near the top; results show title, kind, date and a highlighted snippet; filters;
no request leaves localhost; the header box works on a phone and without JavaScript."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import re
import shutil
import unicodedata
from collections import Counter
from datetime import date
from urllib.parse import quote

import pytest
from conftest import BUILD_DAY, REPO, BrowserPage, build_project, page_opener, serve

from bulletin import page_memo
from bulletin import search as search_module
from bulletin.memo import Memo
from bulletin.model import load_site
from bulletin.render import GeneratedPage, render_pages
from bulletin.search import INDEX_DIR, PAIR, Reason, SearchDoc, _docs, _listing_docs, _postings, _shards, index_files, words
from bulletin.synthetic import generate

UNITS_DUC_PHO = {"/don-vi/phuong-duc-pho/", "/don-vi/thi-xa-duc-pho/"}
QUERIES = [
    ("duc pho", UNITS_DUC_PHO),
    ("Đức Phổ", UNITS_DUC_PHO),
    ("ĐỨC PHỔ", UNITS_DUC_PHO),
    (unicodedata.normalize("NFD", "Đức Phổ"), UNITS_DUC_PHO),  # pasted from Word
    ("\u00d0ức Phổ", UNITS_DUC_PHO),  # Ð (U+00D0), the look-alike of Đ
    ("dang vien bon tot", {"/tieu-chi/dang-vien-bon-tot-mau/"}),
    ("ho ngheo", {"/cau-chuyen/trang-trai-giup-ho-ngheo/", "/mo-hinh/cho-muon-bo-giong/"}),
    ("cau thanh duc", {"/cong-trinh/cau-thanh-duc/"}),
    ("pho thanh", {"/don-vi/phuong-pho-thanh/"}),
    ("tran van binh", {"/ca-nhan/tran-van-binh/"}),  # a person's name typed without marks
    ("pho chau", {"/don-vi/phuong-sa-huynh/"}),  # a former unit's name finds its successor...
    ("pho thanh", {"/don-vi/phuong-sa-huynh/"}),  # ...which lists it under «Hình thành từ»
    ("sa huynh", {"/don-vi/phuong-sa-huynh/"}),
    ("dang vien", {"/bang-vang/dang-vien-bon-tot/"}),  # the honour roll of the title
    ("nguoi tot viec tot", {"/bang-vang/nguoi-tot-viec-tot/"}),
]


# --- The index -----------------------------------------------------------------------------
def _doc(title: str, text: str = "", body: str = "", aliases: tuple[str, ...] = (), reasons=()) -> SearchDoc:
    reasons = (*reasons, *(Reason("Hình thành từ", a, 0.5) for a in aliases))
    return SearchDoc(f"x/{abs(hash(title))}/", title, "Đơn vị", "", "", text, reasons, body)


def _weights(docs: list[SearchDoc]) -> dict[str, dict[int, int]]:
    """term -> {doc: weight}, the doc ids decoded from their gaps."""
    index = {}
    for term, flat in _postings(docs).items():
        gaps, weights = flat[0::2], flat[1::2]
        index[term] = dict(zip(itertools.accumulate(gaps), weights, strict=True))
    return index


def test_a_short_title_outranks_a_long_one_and_a_repeated_title_word_counts_once():
    index = _weights([_doc("Phường Đức Phổ"), _doc("Văn phòng Thị ủy Đức Phổ"), _doc("Vận động, vận động, vận động")])
    assert index["duc"][0] > index["duc"][1]
    assert index["dong"][2] == index["duc"][1]  # both six-word titles


def test_adjacent_title_words_and_former_names_are_terms():
    index = _weights([_doc("Phường Phổ Văn"), _doc("Phường Sa Huỳnh", aliases=("Xã Phổ Châu",)), _doc("Phổ Thạnh, dân vận")])
    assert set(index[f"pho{PAIR}van"]) == {0}
    assert set(index[f"pho{PAIR}chau"]) == {1} and 1 in index["chau"]
    assert f"van{PAIR}pho" not in index  # only neighbours in the same name


def test_a_persons_honour_is_a_phrase_that_outranks_the_same_words_scattered():
    holder = _doc("Bùi Thị Lan", text="người tốt việc tốt 2026", reasons=[Reason("Danh hiệu", "Người tốt việc tốt 2026", 0.6)])
    scattered = _doc("Một việc làm tốt", text="người dân tốt bụng")
    shown_only = _doc("Câu chuyện", text="Trần Văn Bình", reasons=[Reason("Người", "Trần Văn Bình")])
    index = _weights([holder, scattered, shown_only])
    for pair in ("nguoi_tot", "tot_viec", "viec_tot"):
        assert set(index[pair]) == {0}
    assert "tran_van" not in index  # a reason of weight 0 is shown, not ranked
    query = ["nguoi", "tot", "viec", "nguoi_tot", "tot_viec", "viec_tot"]
    assert sum(index[t].get(0, 0) for t in query) > sum(index[t].get(1, 0) for t in query)


def _page(uri: str, title: str, text: str = "", description: str = "") -> GeneratedPage:
    front = f'title: "{title}"\n' + (f'description: "{description}"\n' if description else "")
    return GeneratedPage(uri, f"---\n{front}---\n\n# {title}\n\n{text}")


def test_section_and_honour_roll_pages_are_indexed_by_title_description_and_headings():
    pages = [
        _page("bang-vang/nguoi-tot-viec-tot/index.md", "Người tốt việc tốt", "### Người tốt việc tốt năm 2025\n\n1. [A](/a.md)"),
        _page("cau-chuyen/index.md", "Câu chuyện người tốt, việc tốt", "## [Một câu chuyện](/cau-chuyen/x.md)"),
        _page("don-vi/index.md", "Đơn vị", description="Các đơn vị &amp; tổ chức"),
        _page("bang-vang/nguoi-tot-viec-tot/2025.md", "Người tốt việc tốt năm 2025"),  # a year of a roll
        _page("cau-chuyen/trang-2.md", "Câu chuyện — trang 2"),  # a further page of a listing
        _page("cau-chuyen/x.md", "Một câu chuyện"),  # a record: indexed from the site model
        _page("index.md", "Trang chủ"),
    ]
    docs = {d.url: d for d in _listing_docs(pages)}
    assert set(docs) == {"bang-vang/nguoi-tot-viec-tot/", "cau-chuyen/", "don-vi/"}
    roll = docs["bang-vang/nguoi-tot-viec-tot/"]
    assert (roll.title, roll.kind, roll.body) == ("Người tốt việc tốt", "Bảng vàng", "Người tốt việc tốt năm 2025")
    assert docs["cau-chuyen/"].kind == "Danh mục" and docs["cau-chuyen/"].body == ""  # a record's heading is not the page's
    assert docs["don-vi/"].text == "Các đơn vị & tổ chức" and docs["don-vi/"].snippet == ""


def test_a_listing_page_remembered_is_read_again_when_its_text_changes():
    before = [_page("bang-vang/index.md", "Bảng vàng", "## Năm 2025"), _page("don-vi/index.md", "Đơn vị")]
    after = [_page("bang-vang/index.md", "Bảng vàng", "## Năm 2026"), before[1]]
    assert list(_listing_docs(before, remember=True)) == list(_listing_docs(before))
    roll, units = _listing_docs(after, remember=True)
    assert [roll, units] == list(_listing_docs(after)) and roll.body == "Năm 2026"


def test_the_markdown_text_is_searched_at_a_lower_weight_without_link_targets():
    index = _weights([_doc("Một", text="công an"), _doc("Hai", body="Chị mang đến [Công an phường](https://example.org/ho-so).")])
    assert set(index["cong"]) == {0, 1} and index["cong"][0] > index["cong"][1]
    assert "example" not in index and "https" not in index


def test_big_shards_are_split_by_longer_keys_and_every_term_is_in_the_shard_of_its_longest_key():
    terms = {f"th{chr(97 + i)}{j}": list(range(400)) for i in range(4) for j in range(30)} | {"th": [1, 1], "xy": [1, 1]}
    shards = _shards(terms)
    assert len(shards) > 5 and "xy" in shards and "th" in shards and any(k.startswith("tha") for k in shards)
    for term in terms:
        key = max((k for k in shards if term.startswith(k)), key=len)
        assert term in shards[key]


# --- A rebuild patches the previous index ---------------------------------------------------
_SYLLABLES = "an ba bình cầu chợ dân đức gò hải hòa khánh lan long minh nga phổ quang sa thạnh trà vân xóm yên".split()


def _random_doc(rng: random.Random, number: int) -> SearchDoc:
    def said(count: int) -> str:
        return " ".join(rng.choice(_SYLLABLES) + rng.choice(["", "", "h", "ng", "nh"]) for _ in range(count))

    reasons = (Reason("Thẻ", said(2), 0.4),) if number % 3 == 0 else ()
    return SearchDoc(f"x/{number:03}/", said(4), "Câu chuyện", f"20{20 + number % 7}-01-01", said(3), said(12), reasons, said(30))


def _replaced(doc: SearchDoc, field: str, old: str, new: str) -> SearchDoc:
    """The document with one word of a field replaced by another: its lengths, and so the
    average lengths, stay."""
    text = getattr(doc, field)
    assert f" {old} " in f" {text} ", (field, old, text)
    return dataclasses.replace(doc, **{field: f" {text} ".replace(f" {old} ", f" {new} ", 1).strip()})


def _changes(docs: list[SearchDoc]) -> list[tuple[str, bool, list[SearchDoc]]]:
    """(change, patched in: a few documents changed, the documents after it), one after another."""
    steps: list[tuple[str, bool, list[SearchDoc]]] = []

    def step(change: str, patched: bool, edit) -> None:
        now = list(steps[-1][2] if steps else docs)
        edit(now)
        steps.append((change, patched, now))

    def word(doc: SearchDoc, field: str) -> str:
        return getattr(doc, field).split()[1]

    def replace(n: int, field: str, new: str):
        return lambda now: now.__setitem__(n, _replaced(now[n], field, word(now[n], field), new))

    step("nothing", True, lambda now: None)
    step("a title word", True, replace(40, "title", "thanh"))
    step("a new word in a text", True, replace(41, "body", "zzyzx"))  # a term of its own, a shard of its own
    step("the new word gone", True, replace(41, "body", "an"))
    step("the first document", True, replace(0, "title", "quảng"))  # terms first found elsewhere now

    def words_of_the_first(now: list[SearchDoc]) -> None:
        first = now[0].text.split()
        now[0] = dataclasses.replace(now[0], text=" ".join(["zqa", *first[1:5], "zqb", *first[6:]]))

    def swapped(now: list[SearchDoc]) -> None:  # the same weights, in another order: the terms' order in their shard
        now[0] = dataclasses.replace(now[0], text=now[0].text.replace("zqa", "@").replace("zqb", "zqa").replace("@", "zqb"))

    step("two words new to the first document", True, words_of_the_first)
    step("the two swapped", True, swapped)
    step("the last document", True, replace(len(docs) - 1, "body", "đức"))
    step("a snippet only", True, lambda now: now.__setitem__(7, dataclasses.replace(now[7], snippet="Đã sửa")))
    step("a fact", True, replace(3, "text", "thạnh"))
    step("a year", True, lambda now: now.__setitem__(8, dataclasses.replace(now[8], date="2031-05-01")))  # the filters'
    step("a kind", True, lambda now: now.__setitem__(9, dataclasses.replace(now[9], kind="Mô hình")))
    step("a tag", True, lambda now: now.__setitem__(6, dataclasses.replace(now[6], reasons=(Reason("Thẻ", "biển đảo", 0.4),))))

    def many(count: int, new: str):  # a syllable in many documents: its shards split, or not
        def edit(now: list[SearchDoc]) -> None:
            for n in range(10, 10 + count):
                now[n] = _replaced(now[n], "body", word(now[n], "body"), new)

        return edit

    step("as many documents as are patched", True, many(search_module.PATCH_LIMIT, "thạnhh"))
    step("one more than that", False, many(search_module.PATCH_LIMIT + 1, "thạnhhh"))
    step("a document added", False, lambda now: now.insert(20, dataclasses.replace(now[20], url="x/020a/")))
    step("a document removed", False, lambda now: now.pop(50))
    step(
        "a title longer: the average moves",
        False,
        lambda now: now.__setitem__(5, dataclasses.replace(now[5], title=now[5].title * 40)),
    )
    step("patched again", True, replace(60, "title", "yên"))
    return steps


@pytest.mark.parametrize("limit", [search_module.SHARD_LIMIT, 700])  # 700: shards split in three or four letters
def test_an_index_patched_for_the_changed_documents_equals_one_made_afresh(monkeypatch, limit):
    monkeypatch.setattr(search_module, "SHARD_LIMIT", limit)
    rng = random.Random(7)
    docs = [_random_doc(rng, n) for n in range(90)]
    memo = Memo(None).begin("v")
    assert search_module._files(docs, memo) == search_module._files(docs, None)
    memo.end()
    for change, patched, now in _changes(docs):
        before = search_module._ASSEMBLED[memo]
        memo.begin("v")
        assert search_module._files(now, memo) == search_module._files(now, None), change
        memo.end()
        assert (search_module._ASSEMBLED[memo] is before) == patched, change
        assert memo.misses == 0 or change != "nothing"
    if limit < search_module.SHARD_LIMIT:
        assert any(len(key) > 3 for key in search_module._ASSEMBLED[memo].texts)
    memo.begin("w")  # another version of the code: assembled anew
    search_module._files(docs, memo)
    assert search_module._ASSEMBLED[memo] is not before


def test_a_patched_index_keeps_the_memos_weights_of_the_documents_it_did_not_weigh_again():
    rng = random.Random(3)
    docs = [_random_doc(rng, n) for n in range(40)]
    memo = Memo(None).begin("v")
    search_module._files(docs, memo)
    memo.end()
    for n in (4, 9):
        docs[n] = _replaced(docs[n], "title", docs[n].title.split()[0], "mới")
        memo.begin("v")
        search_module._files(docs, memo)
        memo.end()
        assert memo.misses == 2  # the lengths and weights of the one document edited
    docs.append(dataclasses.replace(docs[0], url="x/999/"))  # not patched: every other document looked up
    memo.begin("v")
    search_module._files(docs, memo)
    memo.end()
    assert memo.misses == 2 and memo.hits == 2 * (len(docs) - 1)


def _steps(data) -> list[tuple[str, bool | None, object]]:
    """(change, patched in (None: either), apply)."""
    stories = sorted((data / "stories").iterdir())
    person = next(p for p in sorted((data / "people").iterdir()) if p.stem in stories[1].read_text(encoding="utf-8"))
    unit = sorted((data / "units").iterdir())[0]

    def replace(path, old: str, new: str):
        def apply() -> None:
            text = path.read_text(encoding="utf-8")
            assert old in text, (path, old)
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

        return apply

    return [
        ("a story's title", True, replace(stories[3], "\ntitle: ", "\ntitle: Sửa tiêu đề ")),
        ("a story's text", True, replace(stories[8], "\n---\n", "\n---\n\nMột đoạn mới về cầu Thạnh Đức, zyxwv.\n")),
        ("the same story's text again", True, replace(stories[8], "zyxwv", "gò chè")),
        ("a story added", False, lambda: shutil.copy(stories[5], stories[5].with_name("aaa-ban-sao-moi.md"))),
        ("a story removed", False, lambda: stories[12].unlink()),
        ("a story withheld", False, replace(stories[20], "\ntitle: ", "\ndraft: true\ntitle: ")),
        ("the first story's title", True, replace(stories[0], "\ntitle: ", "\ntitle: Đầu tiên ")),
        ("a person renamed: the stories naming them", None, replace(person, "\ngiven_name: ", "\ngiven_name: Tân ")),
        ("a unit renamed: the records of the unit", None, replace(unit, "\nname: ", "\nname: Mới ")),
    ]


def test_search_files_on_a_rebuild_equal_the_files_made_afresh(tmp_path):
    """As under `mkdocs serve`: the memos live from one build to the next; after each edit the
    search files are the bytes an index made without them has."""
    root = tmp_path / "project"
    generate(root, 60)
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("sample"))
    records, pages_memo, memo = Memo(None), Memo(None), Memo(None)

    def index() -> tuple[list, list]:
        for each in (records, pages_memo, memo):
            each.begin("v")
        site, errors = load_site(root, date.fromisoformat(BUILD_DAY), False, records)
        assert site is not None, errors[:3]
        with page_memo.session(pages_memo, site):
            pages = list(render_pages(site, "/"))
        found = index_files(site, pages, memo)
        for each in (records, pages_memo, memo):
            each.end()
        return found, index_files(site, pages)

    remembered, fresh = index()
    assert remembered == fresh
    for change, patched, apply in _steps(root / "data"):
        before = search_module._ASSEMBLED[memo]
        apply()
        remembered, fresh = index()
        assert remembered == fresh, change
        assert patched is None or (search_module._ASSEMBLED[memo] is before) == patched, change


def test_shipped_index_finds_each_records_title_words(shipped_site):
    """Every shard the search page lists exists and no term is in a shard it cannot be found in."""
    page = (shipped_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    keys = re.search(r'data-prefixes="([^"]*)"', page).group(1).split(",")
    for key in keys:
        terms = json.loads((shipped_site / INDEX_DIR / f"t-{key}.json").read_text(encoding="utf-8"))
        for term in terms:
            assert max((k for k in keys if term.startswith(k)), key=len) == key, term


def test_every_indexed_page_exists_under_its_indexed_title(shipped_site):
    urls = []
    for shard in sorted((shipped_site / INDEX_DIR).glob("d-*.json"), key=lambda p: int(p.stem[2:])):
        for row in json.loads(shard.read_text(encoding="utf-8")):
            html = (shipped_site / row[0] / "index.html").read_text(encoding="utf-8")
            assert "<h1" in html and row[1].split("«")[0].strip() in html, row[:2]
            urls.append(row[0])
    assert {"bang-vang/", "bang-vang/nguoi-tot-viec-tot/", "cau-chuyen/", "don-vi/", "ca-nhan/"} <= set(urls)


def test_no_lunr_index_is_built(shipped_site):
    assert not (shipped_site / "search").exists()
    assert "search_index.json" not in (shipped_site / "index.html").read_text(encoding="utf-8")


# --- In the browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_url(shipped_site):
    with serve(shipped_site) as url:
        yield url


@pytest.fixture(scope="module")
def module_page(browser):
    """conftest's open_page, for this module's server."""
    with page_opener(browser) as open_:
        yield open_


def _wait(page) -> None:
    # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings.
    page.locator("[data-search-status]", has_text=re.compile("^(Tìm thấy|Không)")).wait_for()


def _paths(page) -> list[str]:
    links = page.locator("[data-search-results] li > a")
    return ["/" + links.nth(i).get_attribute("href").split("/", 3)[-1] for i in range(links.count())]


@pytest.fixture(scope="module")
def search(base_url, module_page):
    def run(query: str, kind: str = "", year: str = "") -> tuple[BrowserPage, list[str]]:
        url = f"{base_url}/tim-kiem/?q={quote(query)}"
        opened = module_page(url)
        if kind or year:  # the filters' values, as the search page's form sends them
            value = opened.page.locator("#bulletin-search-kind option", has_text=kind).get_attribute("value") if kind else ""
            opened = module_page(f"{url}&loai={value}&nam={year}")
        _wait(opened.page)
        return opened, _paths(opened.page)

    return run


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[f"{q}->{sorted(e)[0]}" for q, e in QUERIES])
def test_query_finds_the_right_page_in_the_first_three(search, query, expected):
    opened, paths = search(query)
    assert expected & set(paths[:3]), (query, paths[:5])
    assert opened.console_errors == [] and opened.external_requests() == []


def test_a_word_only_in_a_storys_text_finds_the_story(search):
    """A word found in one story's Markdown text and nowhere else in the index."""
    site, _ = load_site(REPO, date.fromisoformat(BUILD_DAY))
    docs = list(_docs(site))
    counts = Counter(w for d in docs for w in set(words(f"{d.title} {d.text} {d.body}")))
    url, word = next(
        (d.url, w) for d in docs if d.url.startswith("cau-chuyen/") for w in words(d.body) if counts[w] == 1 and len(w) > 3
    )
    _, paths = search(word)
    assert paths[:1] == [f"/{url}"], (word, paths[:5])


def test_results_show_title_kind_date_and_a_highlighted_snippet(search):
    opened, _ = search("ho ngheo")
    first = opened.page.locator("[data-search-results] li").filter(has_text="12 hộ nghèo").first
    assert re.search(r"Câu chuyện · \d{1,2}/\d{1,2}/20\d\d", first.inner_text())
    assert {"hộ", "nghèo"} <= {m.lower() for m in first.locator("a mark").all_inner_texts()}
    assert first.locator("p mark").count() >= 1


def test_no_match_says_so_in_vietnamese(search):
    opened, paths = search("xyzqw")
    assert paths == []
    assert opened.page.locator("[data-search-status]").inner_text() == (
        "Không tìm thấy kết quả nào cho «xyzqw». Hãy thử từ khác, hoặc bỏ bớt bộ lọc."
    )


def test_an_unfinished_last_word_matches_the_words_it_begins(search):
    _, paths = search("cau thanh d")
    assert "/cong-trinh/cau-thanh-duc/" in paths[:3]


def test_kind_and_year_filters_narrow_results(search):
    opened, _ = search("pho thanh", kind="Đơn vị")
    kinds = opened.page.locator(".bulletin-search-results__meta").all_inner_texts()
    assert kinds and all(k.startswith("Đơn vị") for k in kinds)
    opened, _ = search("ho ngheo", year="2025")
    dates = opened.page.locator(".bulletin-search-results__meta").all_inner_texts()
    assert dates and all(d.endswith("/2025") for d in dates)


def test_header_box_leads_to_results_on_a_phone(base_url, module_page):
    opened = module_page(f"{base_url}/cau-chuyen/")
    box = opened.page.locator("#bulletin-search-q")
    assert box.is_visible() and box.bounding_box()["x"] + box.bounding_box()["width"] <= 360
    assert opened.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert opened.page.get_by_role("search").get_by_label("Tìm kiếm").count() == 1
    box.fill("cau thanh duc")
    box.press("Enter")
    _wait(opened.page)
    assert _paths(opened.page)[0] == "/cong-trinh/cau-thanh-duc/"
    assert opened.console_errors == [] and opened.external_requests() == []
    assert not any("search_index" in url or "workers/search" in url for url in opened.requests)  # no lunr


def _holders(title: str) -> dict[str, list[int]]:
    """The people of the shipped site who hold ``title``, with their years, from the data."""
    site, _ = load_site(REPO, date.fromisoformat(BUILD_DAY))
    return {
        f"/ca-nhan/{p.id}/": sorted({h.year for h in p.honours if h.title == title})
        for p in site.people.values()
        if any(h.title == title for h in p.honours)
    }


def _type_in_header(opened, query: str) -> None:
    box = opened.page.locator("#bulletin-search-q")
    box.fill(query)
    box.press("Enter")
    _wait(opened.page)


def test_the_campaigns_words_typed_without_marks_lead_to_the_honour_roll_then_its_holders(base_url, module_page):
    """«nguoi tot viec tot» in the header box of a story page, on a phone: the honour roll of
    «Người tốt việc tốt» first, then the people who hold the title, each saying so with the year."""
    holders = _holders("người tốt việc tốt")
    opened = module_page(f"{base_url}/cau-chuyen/chi-hoa-tra-lai-tui-xach/")
    _type_in_header(opened, "nguoi tot viec tot")
    first_page = _paths(opened.page)
    opened.page.get_by_role("button", name="Xem thêm kết quả").click()
    opened.page.locator("[data-search-results] li").nth(len(first_page)).wait_for()
    paths = _paths(opened.page)
    assert paths[0] == "/bang-vang/nguoi-tot-viec-tot/", paths[:8]
    records = [p for p in paths if p.count("/") == 3 and not p.startswith("/bang-vang/")]  # not listings
    assert set(records[: len(holders)]) == set(holders), records[:8]
    shown = opened.page.locator("[data-search-results] li")
    for index, path in enumerate(paths):
        if path in holders:
            why = shown.nth(index).locator(".bulletin-search-results__why")
            years = ", ".join(map(str, holders[path]))
            assert why.all_inner_texts() == [f"Danh hiệu: Người tốt việc tốt {years}"], path
            assert why.locator("mark").all_inner_texts() == ["Người", "tốt", "việc", "tốt"]
            assert why.is_visible() and why.bounding_box()["x"] + why.bounding_box()["width"] <= 360
    assert opened.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert opened.console_errors == [] and opened.external_requests() == []


def test_numbers_in_many_records_do_not_make_the_search_page_look_like_a_phone_number(tmp_path, open_page, make_project):
    """Shards named 84, 85 ... 89 (words such as «841») once listed on the search page as
    "84 85 86 87 88 89", which the output check took for a phone number: the build was refused."""
    story = "---\ntitle: Tổ {n}1 ra quân\ndate: 2025-03-01\nauthor: Ban Tuyên giáo\nsummary: Việc tốt.\n---\nViệc tốt.\n"
    records = {f"stories/to-{n}.md": story.format(n=n) for n in range(84, 90)}
    site_dir = build_project(make_project(records), tmp_path / "site")
    with serve(site_dir) as url:
        page = open_page(f"{url}/tim-kiem/?q=871").page
        _wait(page)
        found = [p for p in _paths(page) if p.startswith("/cau-chuyen/")]
    assert found == ["/cau-chuyen/to-87/"]


def test_a_whole_phrase_outranks_its_words_scattered(tmp_path, open_page, make_project):
    """On a tiny site: a story tagged «người tốt việc tốt» comes before stories that have
    the words apart, even in their title, and says it matched its tag."""
    story = "---\ntitle: {title}\ndate: 2025-03-0{n}\nauthor: Ban Tuyên giáo\nsummary: {summary}\ntags: [{tag}]\n---\n{summary}\n"
    records = {
        "stories/a-scattered.md": story.format(
            title="Một việc làm tốt của người dân", n=1, summary="Bà con góp công sửa đường.", tag="giao thông"
        ),
        "stories/b-tagged.md": story.format(
            title="Chị Hoa trả lại túi xách", n=2, summary="Nhặt được túi xách, chị tìm trả.", tag="người tốt việc tốt"
        ),
        "stories/c-words-in-text.md": story.format(
            title="Tổ dân phố ra quân", n=3, summary="Người dân làm việc tốt, việc nhỏ mà tốt.", tag="môi trường"
        ),
    }
    site_dir = build_project(make_project(records), tmp_path / "site")
    with serve(site_dir) as url:
        page = open_page(f"{url}/tim-kiem/?q=nguoi+tot+viec+tot").page
        _wait(page)
        records_found = [p for p in _paths(page) if p.startswith("/cau-chuyen/") and p.count("/") == 3]
        tagged = page.locator("[data-search-results] li", has=page.locator('a[href$="/b-tagged/"]'))
        why = tagged.locator(".bulletin-search-results__why").all_inner_texts()
    assert records_found[0] == "/cau-chuyen/b-tagged/", records_found
    assert set(records_found) == {"/cau-chuyen/a-scattered/", "/cau-chuyen/b-tagged/", "/cau-chuyen/c-words-in-text/"}
    assert why == ["Thẻ: người tốt việc tốt"]


def test_a_story_of_a_merged_ward_is_found_by_the_new_wards_name_and_says_so(search):
    """A 2024 story naming «Phường Phổ Thạnh» is found by "sa huynh", the ward it was merged
    into, and shows that as the reason (records of the former thị xã are not: test_units.py)."""
    site, _ = load_site(REPO, date.fromisoformat(BUILD_DAY))
    old = [s for s in site.stories.values() if "phuong-pho-thanh" in s.units and s.date.year == 2024]
    assert old
    opened, paths = search("sa huynh")
    more = opened.page.get_by_role("button", name="Xem thêm kết quả")
    while more.is_visible():
        count = len(paths)
        more.click()
        opened.page.locator("[data-search-results] li").nth(count).wait_for()
        paths = _paths(opened.page)
    for story in old:
        index = paths.index(f"/cau-chuyen/{story.id}/")
        why = opened.page.locator("[data-search-results] li").nth(index).locator(".bulletin-search-results__why")
        assert why.all_inner_texts() == ["Đơn vị: Phường Phổ Thạnh (nay là Phường Sa Huỳnh)"]


def test_without_javascript_the_header_box_still_leads_to_the_search_page(base_url, module_page):
    opened = module_page(f"{base_url}/cau-chuyen/", javascript=False)
    opened.page.fill("#bulletin-search-q", "duc pho")
    opened.page.press("#bulletin-search-q", "Enter")
    opened.page.wait_for_load_state("networkidle")
    assert "/tim-kiem/?q=duc+pho" in opened.page.url
    assert "cần JavaScript" in opened.page.locator("article").inner_text()


def test_search_results_page_passes_axe(search):
    from axe_playwright_python.sync_playwright import Axe

    opened, _ = search("duc pho")
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = Axe().run(opened.page, options={"runOnly": {"type": "tag", "values": tags}})
    assert result.violations_count == 0, [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
