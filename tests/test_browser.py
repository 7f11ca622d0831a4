"""The citizen's site in a real browser (Playwright driving Debian's Chromium): every page
template loads cleanly, requests nothing from other hosts, passes axe-core, reads without
JavaScript; facet and pagination links lead where they say. Screenshots go to artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, build_project, serve, write_project
from test_build import PERSON, STORY, UNITS

from benchmarks.page_weight import measure

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = REPO / "artifacts" / "screenshots"


def _first_record(site: Path, folder: str, skip: tuple[str, ...] = ()) -> str:
    for child in sorted((site / folder).iterdir()):
        if child.is_dir() and (child / "index.html").exists() and not child.name.startswith(("trang-", *skip)):
            return f"{folder}/{child.name}/"
    raise AssertionError(f"no record page under {folder}/")


def _template_pages(site: Path) -> list[str]:
    """One page of every template."""
    pages = ["", "gioi-thieu/", "huong-dan/du-lieu/", "404.html"]
    pages += [
        f"{folder}/"
        for folder in (
            "cau-chuyen",
            "ca-nhan",
            "bang-vang",
            "mo-hinh",
            "cong-trinh",
            "chi-tieu",
            "khen-thuong",
            "don-vi",
            "dot-thi-dua",
            "tieu-chi",
        )
    ]
    pages += [
        _first_record(site, folder)
        for folder in ("cau-chuyen", "ca-nhan", "mo-hinh", "cong-trinh", "khen-thuong", "don-vi", "dot-thi-dua", "tieu-chi")
    ]
    pages += [_first_record(site, "bang-vang", skip=("don-vi",)), _first_record(site, "bang-vang/don-vi")]
    return pages


@pytest.fixture(scope="module")
def base_url(shipped_site):
    with serve(shipped_site) as url:
        yield url


def test_every_template_loads_without_errors_or_third_party_requests(shipped_site, base_url, open_page):
    for path in _template_pages(shipped_site):
        opened = open_page(f"{base_url}/{path}")
        assert opened.console_errors == [], (path, opened.console_errors)
        assert opened.external_requests() == [], (path, opened.external_requests())
        assert opened.page.locator("html").get_attribute("lang") == "vi"


def test_axe_finds_no_wcag_violation_on_any_template(shipped_site, base_url, open_page):
    axe = Axe()
    found = {}
    for path in _template_pages(shipped_site):
        opened = open_page(f"{base_url}/{path}")
        result = axe.run(opened.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if result.violations_count:
            found[path] = [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
    assert found == {}


def test_pages_read_without_javascript(shipped_site, base_url, open_page):
    story = _first_record(shipped_site, "cau-chuyen")
    opened = open_page(f"{base_url}/{story}", javascript=False)
    assert opened.page.locator("article h1").inner_text().strip()
    assert opened.page.locator("article p").count() > 2


def test_honour_roll_facets_lead_where_they_say(base_url, open_page):
    opened = open_page(f"{base_url}/bang-vang/")
    chips = opened.page.locator("nav.filters a.chip:not([aria-current])")
    pairs = [(chips.nth(i).text_content().strip(), chips.nth(i).get_attribute("href")) for i in range(chips.count())]
    assert len(pairs) >= 6
    for text, href in pairs[:: max(1, len(pairs) // 8)]:
        target = open_page(f"{base_url}/bang-vang/{href}")
        heading = target.page.locator("article h1").inner_text()
        label = re.sub(r" \(\d+\)$", "", text)  # a unit's chip carries its count
        assert label.lower() in heading.lower(), (text, href, heading)
        assert target.page.locator("article li.portrait").count() >= 1


def test_story_pagination_leads_to_the_next_page(tmp_path, open_page):
    stories = {
        f"stories/cau-chuyen-{n:02d}.md": STORY.replace("title: Chị Mai", f"title: Câu chuyện số {n:02d}, chị Mai").replace(
            "2024-10-02", f"2024-10-{n:02d}"
        )
        for n in range(1, 26)
    }
    project = write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": PERSON, **stories})
    site = build_project(project, tmp_path / "site")
    with serve(site) as url:
        opened = open_page(f"{url}/cau-chuyen/")
        assert opened.page.locator("article li").count() == 20
        assert "Câu chuyện số 25" in opened.page.locator("article li").first.inner_text()
        opened.page.get_by_role("link", name="Trang sau →").click()
        opened.page.wait_for_load_state()
        assert opened.page.url.endswith("/cau-chuyen/trang-2/")
        assert "trang 2" in opened.page.locator("article h1").inner_text()
        assert opened.page.locator("article li").count() == 5
        opened.page.get_by_role("link", name="← Trang trước").click()
        opened.page.wait_for_load_state()
        assert opened.page.url.endswith("/cau-chuyen/")


def test_phone_screenshots_of_home_and_story(shipped_site, base_url, open_page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", ""), ("story", _first_record(shipped_site, "cau-chuyen"))):
        opened = open_page(f"{base_url}/{path}", width=360, height=780)
        target = ARTIFACTS / f"{name}-360x780.png"
        opened.page.screenshot(path=str(target))
        assert target.stat().st_size > 5_000
        # nothing wider than the phone screen
        assert opened.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_story_page_weighs_at_most_100_kb_gzip_before_images(shipped_site, base_url, browser):
    weight = measure(shipped_site, base_url, _first_record(shipped_site, "cau-chuyen"), browser)
    assert weight.by_kind.get("html", 0) > 0 and weight.by_kind.get("css", 0) > 0
    assert weight.before_images <= 100 * 1024, weight.by_kind
