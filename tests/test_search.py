"""Search: the index (unit tests on bulletin/search.py) and the search in a real browser on
the shipped sample site: Vietnamese queries with or without diacritics (đ included) find the
right page near the top; results show title, kind, date and a highlighted snippet; filters;
no request leaves localhost; the header box works on a phone and without JavaScript."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import date
from urllib.parse import quote

import pytest
from conftest import BUILD_DAY, REPO, BrowserPage, serve

from bulletin.model import load_site
from bulletin.search import INDEX_DIR, PAIR, SearchDoc, _docs, _postings, _shards, words

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
]


# --- The index -----------------------------------------------------------------------------
def _doc(title: str, text: str = "", body: str = "", aliases: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(f"x/{abs(hash(title))}/", title, "Đơn vị", "", "", text, aliases, body)


def _weights(docs: list[SearchDoc]) -> dict[str, dict[int, int]]:
    return {term: dict(postings) for term, postings in _postings(docs).items()}


def test_a_short_title_outranks_a_long_one_and_a_repeated_title_word_counts_once():
    index = _weights([_doc("Phường Đức Phổ"), _doc("Văn phòng Thị ủy Đức Phổ"), _doc("Vận động, vận động, vận động")])
    assert index["duc"][0] > index["duc"][1]
    assert index["dong"][2] == index["duc"][1]  # both six-word titles


def test_adjacent_title_words_and_former_names_are_terms():
    index = _weights([_doc("Phường Phổ Văn"), _doc("Phường Sa Huỳnh", aliases=("Xã Phổ Châu",)), _doc("Phổ Thạnh, dân vận")])
    assert set(index[f"pho{PAIR}van"]) == {0}
    assert set(index[f"pho{PAIR}chau"]) == {1} and 1 in index["chau"]
    assert f"van{PAIR}pho" not in index  # only neighbours in the same name


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


def test_shipped_index_finds_each_records_title_words(shipped_site):
    """Every shard the search page lists exists and no term is in a shard it cannot be found in."""
    page = (shipped_site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    keys = re.search(r'data-prefixes="([^"]*)"', page).group(1).split()
    for key in keys:
        terms = json.loads((shipped_site / INDEX_DIR / f"t-{key}.json").read_text(encoding="utf-8"))
        for term in terms:
            assert max((k for k in keys if term.startswith(k)), key=len) == key, term


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
    """Like conftest's open_page, for this module's server."""
    contexts = []

    def open_(url: str, javascript: bool = True) -> BrowserPage:
        context = browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        recorded = BrowserPage(page, [], [])
        page.on("request", lambda request: recorded.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and recorded.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: recorded.console_errors.append(str(exc)))
        page.goto(url, wait_until="networkidle")
        return recorded

    yield open_
    for context in contexts:
        context.close()


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
