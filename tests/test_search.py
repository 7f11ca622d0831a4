"""Search in a real browser on the shipped sample site: Vietnamese queries with or without
diacritics (đ included) find the right page near the top; no request leaves localhost."""

from __future__ import annotations

import re

from urllib.parse import quote

import pytest

from conftest import serve

QUERIES = [
    ("duc pho", {"/don-vi/dang-bo-thi-xa-duc-pho/", "/don-vi/thi-xa-duc-pho/", "/don-vi/phuong-duc-pho/", "/don-vi/ubnd-thi-xa-duc-pho/", "/don-vi/van-phong-thi-uy/"}),
    ("Đức Phổ", {"/don-vi/dang-bo-thi-xa-duc-pho/", "/don-vi/thi-xa-duc-pho/", "/don-vi/phuong-duc-pho/", "/don-vi/ubnd-thi-xa-duc-pho/", "/don-vi/van-phong-thi-uy/"}),
    ("dang vien bon tot", {"/tieu-chi/dang-vien-bon-tot-mau/"}),
    ("ho ngheo", {"/cau-chuyen/trang-trai-giup-ho-ngheo/", "/mo-hinh/cho-muon-bo-giong/"}),
    ("cau thanh duc", {"/cong-trinh/cau-thanh-duc/"}),
    ("pho thanh", {"/don-vi/phuong-pho-thanh/"}),
    ("tran van binh", {"/ca-nhan/tran-van-binh/"}),  # a person's name typed without marks
    ("pho chau", {"/don-vi/phuong-sa-huynh/"}),  # a former unit finds its successor too
]


@pytest.fixture(scope="module")
def search(shipped_site, open_page):
    with serve(shipped_site) as url:

        def run(query: str):
            opened = open_page(f"{url}/tim-kiem/?q={quote(query)}")
            # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings.
            opened.page.locator("[data-search-status]", has_text=re.compile("^(Tìm thấy|Không)")).wait_for()
            links = opened.page.locator("[data-search-results] li a")
            return opened, [links.nth(i).get_attribute("href") for i in range(links.count())]

        yield run


@pytest.fixture(scope="module")
def open_page(browser):  # module-scoped twin of conftest's, for the module-scoped server
    from conftest import BrowserPage

    contexts = []

    def open_(url):
        context = browser.new_context(viewport={"width": 360, "height": 780})
        contexts.append(context)
        page = context.new_page()
        recorded = BrowserPage(page, [], [])
        page.on("request", lambda request: recorded.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and recorded.console_errors.append(msg.text))
        page.goto(url, wait_until="networkidle")
        return recorded

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_the_right_page_in_the_first_three(search, query, expected):
    opened, urls = search(query)
    paths = ["/" + u.split("/", 3)[-1] if u.startswith("http") else u for u in urls[:3]]
    assert expected & set(paths), (query, paths)
    assert opened.console_errors == [] and opened.external_requests() == []


def test_results_show_title_kind_date_and_a_highlighted_snippet(search):
    opened, urls = search("ho ngheo")
    first = opened.page.locator("[data-search-results] li").filter(has_text="Chủ trang trại").first
    assert "Câu chuyện · 20/5/2025" in first.inner_text()
    assert first.locator("mark").count() >= 1


def test_no_match_says_so_in_vietnamese(search):
    opened, urls = search("xyzqw")
    assert urls == []
    assert opened.page.locator("[data-search-status]").inner_text() == (
        "Không tìm thấy kết quả nào cho «xyzqw». Hãy thử từ khác, hoặc bỏ bớt bộ lọc."
    )


def test_kind_filter_narrows_results(search):
    opened, _ = search("pho thanh")
    opened.page.select_option("#bulletin-search-kind", "Đơn vị")
    opened.page.click(".bulletin-search-page button")
    opened.page.wait_for_timeout(500)
    kinds = opened.page.locator(".bulletin-search-results__meta").all_inner_texts()
    assert kinds and all(k.startswith("Đơn vị") for k in kinds)


def test_header_form_leads_to_results(shipped_site, open_page):
    with serve(shipped_site) as url:
        opened = open_page(f"{url}/cau-chuyen/")
        opened.page.fill("#bulletin-search-q", "cau thanh duc")
        opened.page.press("#bulletin-search-q", "Enter")
        opened.page.wait_for_selector("[data-search-results] li a")
        assert "/cong-trinh/cau-thanh-duc/" in opened.page.locator("[data-search-results] li a").first.get_attribute("href")
