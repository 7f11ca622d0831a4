"""How the bulletin looks: the front page's cards and campaign timeline, the honour board's
portrait cards, avatars and filter links, share images, print layout, budgets, and HTML that
the Nu HTML Checker passes. Built sites are checked as HTML and, where a person would look
or click, in Debian's Chromium at a phone's (360 px) and a desktop's (1280 px) width."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, article, build_project, page, serve, write_project
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from test_build import PERSON, STORY, UNITS

from benchmarks.page_weight import measure
from bulletin import build, share_image
from bulletin.share_image import BOLD, REGULAR, SIZE

WIDTHS = (360, 1280)
VNU = "vnu-jar@26.9.27"
NODE_TOOLS = REPO / ".cache" / "node"


@pytest.fixture(scope="module")
def base_url(shipped_site):
    with serve(shipped_site) as url:
        yield url


# --- Headings and HTML conformance ---------------------------------------------------------
class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []
        self._article = False

    def handle_starttag(self, tag, attrs):
        self._article = self._article or tag == "article"
        if self._article and re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def _heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def test_honour_board_pages_never_skip_a_heading_level(shipped_site):
    pages = sorted((shipped_site / "bang-vang").rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        levels = _heading_levels(path.read_text(encoding="utf-8"))
        assert levels[0] == 1, path
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], (path.relative_to(shipped_site), levels)


def _vnu_jar() -> Path:
    """The Nu HTML Checker's jar from npm, installed once into .cache/node (Java runs it)."""
    jar = NODE_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        npm = ["npm", "install", "--prefix", str(NODE_TOOLS), "--no-audit", "--no-fund", "--ignore-scripts", "-E", VNU]
        subprocess.run(npm, check=True, capture_output=True, timeout=600)
    return jar


@pytest.mark.browser  # needs Java and an npm package, like the browser tests need Chromium: not in `make quick`
def test_nu_html_checker_finds_no_error_on_any_page(shipped_site):
    """Every page the site publishes (the web form under admin/ is the vendored CMS's)."""
    assert shutil.which("java"), "Java runs the Nu HTML Checker"
    pages = [str(p) for p in sorted(shipped_site.rglob("*.html")) if "admin" not in p.relative_to(shipped_site).parts]
    assert len(pages) > 100
    result = subprocess.run(
        ["java", "-jar", str(_vnu_jar()), "--format", "json", "--errors-only", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []


# --- Avatars, photos and consent -----------------------------------------------------------
PHOTO = "images/chan-dung-mai.jpg"
PERSON_WITH_PHOTO = PERSON + f"photo:\n  file: {PHOTO}\n  alt: Ảnh chị Mai\n  caption: Ảnh minh họa\n"


def _project_with_photo(tmp_path, covers: str) -> Path:
    person = PERSON_WITH_PHOTO.replace("covers: [tên, câu chuyện]", f"covers: [{covers}]")
    project = write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": person, "stories/chi-mai.md": STORY})
    (project / "content" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 750), (20, 130, 90)).save(project / "content" / PHOTO)
    return build_project(project, tmp_path / "site")


def test_without_photo_consent_the_card_shows_an_initials_avatar_and_no_photo(tmp_path):
    site = _project_with_photo(tmp_path, "tên, câu chuyện")
    board = article(site, "bang-vang/")
    avatar = "anh-dai-dien/ca-nhan-tran-thi-mai.svg"
    assert f'src="../{avatar}"' in board and "chan-dung-mai" not in board
    svg = (site / avatar).read_text(encoding="utf-8")
    assert re.findall(r">([^<>\s]+)</text>", svg) == ["TM"]  # family and given name's initials
    assert "Mai" not in svg and "Trần" not in svg  # the initials, nothing else about her
    assert not list((site / "images").glob("chan-dung-mai*"))  # the photo is not published at all


def test_with_photo_consent_the_card_shows_the_photo(tmp_path):
    site = _project_with_photo(tmp_path, "tên, ảnh, câu chuyện")
    board = article(site, "bang-vang/")
    assert 'srcset="../images/chan-dung-mai-480.webp 480w' in board and 'alt="Ảnh chị Mai"' in board
    assert "anh-dai-dien/ca-nhan-tran-thi-mai.svg" not in board
    assert not (site / "anh-dai-dien" / "ca-nhan-tran-thi-mai.svg").exists()


# --- Share images ----------------------------------------------------------------------------
def _og(html: str, prop: str) -> str:
    return re.search(rf'<meta property="{prop}" content="([^"]*)"', html)[1]


def test_every_story_has_a_1200x630_share_image_in_its_open_graph_meta(shipped_site):
    stories = [
        p.parent.name for p in (shipped_site / "cau-chuyen").glob("*/index.html") if not p.parent.name.startswith("trang-")
    ]
    assert len(stories) > 10
    for story in stories:
        html = page(shipped_site, f"cau-chuyen/{story}/")
        url = _og(html, "og:image")
        assert url.endswith(f"/cau-chuyen/{story}/anh-chia-se.jpg"), url
        assert (_og(html, "og:image:width"), _og(html, "og:image:height")) == ("1200", "630")
        with Image.open(shipped_site / "cau-chuyen" / story / "anh-chia-se.jpg") as image:
            assert image.size == SIZE and image.format == "JPEG"
            assert not image.getexif()  # a photo's metadata does not travel with its share image


def test_a_story_shares_its_photo_and_one_without_a_photo_a_card_with_its_title(shipped_site):
    with_photo = Image.open(shipped_site / "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach/anh-chia-se.jpg").convert("RGB")
    card = Image.open(shipped_site / "cau-chuyen/hoc-sinh-tra-lai-vi/anh-chia-se.jpg").convert("RGB")
    assert with_photo.getpixel((600, 40))[2] > 150  # the drawing's blue sky
    red, green, blue = card.getpixel((20, 300))
    assert red > 140 and green < 60 and blue < 60  # the bulletin's red card
    colours = {card.getpixel((x, y)) for x in range(60, 1140, 7) for y in range(150, 520, 7)}
    assert len(colours) > 50  # title text was drawn on it


def test_a_share_image_is_linked_from_the_cache(shipped_site):
    published = shipped_site / "cau-chuyen/hoc-sinh-tra-lai-vi/anh-chia-se.jpg"
    cached = [p for p in (REPO / ".cache" / "share").glob("*.jpg") if p.stat().st_ino == published.stat().st_ino]
    assert len(cached) == 1  # the same file: nothing copied
    assert published.stat().st_mode & 0o200  # writable as any output file: a deploy may copy over it


def test_where_links_are_refused_share_images_are_copied(make_project, tmp_path, monkeypatch):
    def refused(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr("os.link", refused)
    records = {**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY}
    site = build_project(make_project(records), tmp_path / "site")
    published = site / "cau-chuyen/tra-vi/anh-chia-se.jpg"
    cached = list((tmp_path / "project" / ".cache" / "share").glob("*.jpg"))
    assert [p.read_bytes() for p in cached] == [published.read_bytes()]
    assert published.stat().st_ino != cached[0].stat().st_ino


def test_share_images_the_background_process_left_undrawn_are_drawn_before_the_check(tmp_path):
    """A cold build draws share images on a background process (build._Drawing); whatever it
    did not draw, failing here on every image, this process draws before the check reads them."""
    parent = os.getpid()

    def make() -> Image.Image:
        if os.getpid() != parent:
            raise RuntimeError("the background process fails")
        return Image.new("RGB", SIZE, "red")

    (tmp_path / "cache").mkdir()
    images = [share_image.ShareImage(f"cau-chuyen/{n}/anh-chia-se.jpg", tmp_path / "cache" / f"{n}.jpg", make) for n in range(30)]
    drawing = build._Drawing(images, images, tmp_path / "site")
    drawing.wait()
    for image in images:
        published = tmp_path / "site" / image.uri
        assert published.stat().st_ino == image.file.stat().st_ino
        with Image.open(published) as drawn:
            assert drawn.size == SIZE and drawn.getpixel((600, 300))[0] > 200
    assert not list((tmp_path / "cache").glob("*.part"))


def test_stories_sharing_a_card_do_not_stop_the_background_drawing(tmp_path, monkeypatch):
    """Two stories with the same title, date and unit share a card file: the background process
    draws past it (a file found drawn is where the build's own drawing has arrived)."""
    monkeypatch.setenv("BULLETIN_WORKERS", "2")  # a build with cores to spare, not serve
    (tmp_path / "cache").mkdir()
    images = [
        share_image.ShareImage(
            f"cau-chuyen/{n}/anh-chia-se.jpg", tmp_path / "cache" / f"{n // 2}.jpg", lambda: Image.new("RGB", SIZE)
        )
        for n in range(60)
    ]
    build._start_drawing(images, tmp_path / "site")
    drawing, build._state.drawing = build._state.drawing, None
    assert drawing is not None
    drawing._background.join()  # alone, before the build draws from the end
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(f"{n}.jpg" for n in range(30))


def _ink(image: Image.Image, background: Image.Image) -> Image.Image:
    return ImageChops.difference(image, background).convert("L")


def test_a_card_drawn_word_by_word_looks_like_the_whole_line():
    """Words are rendered once and pasted (share_image._draw_line): each lands within a pixel
    of where Pillow draws the whole line, kerning and Vietnamese marks included."""
    line, font = "Nguyễn Văn Tường trả lại ví, AV Ty", share_image._font(BOLD, 76)
    whole, pasted = Image.new("L", (1200, 140)), Image.new("L", (1200, 140))
    ImageDraw.Draw(whole).text((10, 10), line, font=font, fill=255)
    share_image._draw_line(pasted, (10, 10), line, font, 255)
    left, top, right, bottom = whole.getbbox()
    assert all(abs(a - b) <= 1 for a, b in zip(pasted.getbbox(), (left, top, right, bottom), strict=True))
    # Every stroke of the whole line is inked in the pasted one, give or take a pixel.
    thickened = pasted.filter(ImageFilter.MaxFilter(3))
    assert not ImageChops.subtract(
        whole.point(lambda v: 255 if v > 160 else 0), thickened.point(lambda v: 255 if v > 40 else 0)
    ).getbbox()


def test_a_long_title_stays_clear_of_the_band_at_the_foot():
    title = "Anh Nguyễn Văn An duy trì việc dọn rác bờ biển mỗi sáng chủ nhật suốt ba năm liền ở khu phố bốn"
    card = share_image.draw_card(share_image.ShareCard("Bản tin", title, ""))
    ink = _ink(card, share_image._background("Bản tin"))
    assert ink.crop((0, 150, 1200, share_image.BAND)).getbbox()  # the title is there
    assert not ink.crop((0, share_image.BAND - 8, 1200, 630)).getbbox()  # and ends above the band


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@pytest.mark.parametrize("font_file", [BOLD, REGULAR], ids=lambda p: p.name)
def test_the_shipped_font_has_every_vietnamese_letter(font_file):
    """A letter the font lacks is drawn as its "missing glyph" box, the same as a private-use
    character: every letter, both cases, must look different from that box."""
    font = ImageFont.truetype(str(font_file), 48)

    def drawn(char: str) -> Image.Image:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 5), char, font=font, fill=255)
        return image

    missing = drawn("\ue000")
    lacking = [c for c in VIETNAMESE + VIETNAMESE.upper() if not ImageChops.difference(drawn(c), missing).getbbox()]
    assert lacking == []
    assert (font_file.parent / "OFL.txt").is_file()


# --- In the browser: cards, timeline, figures --------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
def test_home_is_a_front_page_with_lead_story_cards_timeline_and_figures(base_url, open_page, width):
    opened = open_page(f"{base_url}/", width=width)
    page_ = opened.page
    lead = page_.locator("article .lead-story")
    assert lead.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert lead.locator("img").get_attribute("loading") is None  # the first picture is not lazy
    cards = page_.locator("article ul.card-grid").first.locator("li.card")
    assert cards.count() >= 4
    for i in range(cards.count()):
        card = cards.nth(i)
        assert card.locator("h3 a").inner_text().strip()
        assert re.search(r"\d{1,2}/\d{1,2}/20\d\d · \S", card.locator(".card__meta").inner_text())
    # the timeline: every phase, today's marker within the bar, the reviews listed
    assert page_.locator(".timeline__phase").count() == 2
    assert "Hôm nay" in page_.locator(".timeline__today").inner_text()
    bar, now = page_.locator(".timeline__bar").bounding_box(), page_.locator(".timeline__now").bounding_box()
    assert bar["x"] - 2 <= now["x"] <= bar["x"] + bar["width"] + 2
    assert "Tổng kết" in page_.locator(".timeline__marks").inner_text()
    # every key figure links to a page that exists
    figures = page_.locator("a.figure__link")
    assert figures.count() == 6
    assert page_.evaluate("document.documentElement.scrollWidth") <= width
    for href in [figures.nth(i).get_attribute("href") for i in range(figures.count())]:
        response = page_.request.get(f"{base_url}/{href.split('#')[0]}")
        assert response.ok, href


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_shifts_while_pictures_load(base_url, open_page, width):
    """Every picture has its box from the start (width and height set, CSS aspect ratio):
    the cumulative layout shift of the main pages stays at zero."""
    for path in ("", "bang-vang/", "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach/", "cong-trinh/cau-thanh-duc/"):
        opened = open_page(f"{base_url}/{path}", width=width)
        images = opened.page.locator("article img")
        for i in range(images.count()):
            assert images.nth(i).get_attribute("width") and images.nth(i).get_attribute("height"), path
        opened.page.mouse.wheel(0, 20000)  # bring the lazy pictures in
        opened.page.wait_for_load_state("networkidle")
        shift = opened.page.evaluate(
            """() => new Promise((done) => {
                let total = 0;
                new PerformanceObserver((list) => {
                    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
                }).observe({type: "layout-shift", buffered: true});
                setTimeout(() => done(total), 300);
            })"""
        )
        assert shift < 0.01, (path, shift)


def test_pictures_below_the_fold_are_lazy_and_the_first_ones_are_not(base_url, open_page):
    opened = open_page(f"{base_url}/", width=360, height=780)
    images = opened.page.locator("article img")
    positions = [(images.nth(i).bounding_box()["y"], images.nth(i).get_attribute("loading")) for i in range(images.count())]
    assert positions
    assert all(loading == "lazy" for y, loading in positions if y > 1.5 * 780)
    assert all(loading is None for y, loading in positions if y < 780)


def test_projects_and_models_are_cards(base_url, open_page):
    opened = open_page(f"{base_url}/cong-trinh/", width=360)
    cards = opened.page.locator("li.card--project")
    assert cards.count() == 5
    for i in range(cards.count()):
        card = cards.nth(i)
        value = float(card.locator("progress").get_attribute("value"))
        assert f"{value:g}".replace(".", ",") + "%" in card.locator(".progress-line").inner_text()
        assert card.locator(".status").inner_text().strip()
        assert re.search(r"Mốc tới: .+ \(\d+/\d+/20\d\d\)|Đã đạt mọi mốc", card.locator(".card__meta").inner_text())
    opened = open_page(f"{base_url}/mo-hinh/", width=360)
    models = opened.page.locator("li.card--model")
    assert models.count() >= 10
    assert models.locator(".headline-figure strong").count() >= 10
    assert all(models.nth(i).locator(".card__meta").inner_text().strip() for i in range(models.count()))


def test_a_project_shows_its_milestones_on_a_timeline_with_today(base_url, open_page):
    opened = open_page(f"{base_url}/cong-trinh/cau-thanh-duc/", width=360)
    milestones = opened.page.locator("ol.milestones > li")
    assert milestones.count() == 6  # five milestones and today
    dates = [milestones.nth(i).locator("time").get_attribute("datetime") for i in range(milestones.count())]
    assert dates == sorted(dates)
    assert opened.page.locator("li.milestone--today").inner_text().startswith("24/11/2026")
    assert opened.page.locator("li.milestone--done").count() == 4


# --- In the browser: the honour board ------------------------------------------------------
def _h1(page_) -> str:
    return page_.locator("article h1").inner_text().removesuffix("¶").strip()  # without the permalink


@pytest.mark.parametrize("width", WIDTHS)
def test_honour_board_filters_are_plain_links_that_work_without_javascript(base_url, open_page, width):
    opened = open_page(f"{base_url}/bang-vang/", width=width, javascript=False)
    board = opened.page
    assert board.locator("ul.portrait-grid > li.portrait").count() >= 10
    assert board.evaluate("document.documentElement.scrollWidth") <= width
    board.locator("nav.filters a.chip", has_text=re.compile(r"^2025$")).click()
    board.wait_for_load_state()
    assert _h1(board) == "Bảng vàng năm 2025"
    assert board.locator('nav.filters a[aria-current="page"]', has_text="2025").count() == 1
    titles = board.locator(".portrait__title").all_inner_texts()
    assert titles and all(t.endswith("· 2025") for t in titles)
    board.locator("nav.filters a.chip", has_text=re.compile(r"^Chi bộ bốn tốt$")).click()
    board.wait_for_load_state()
    assert _h1(board) == "Chi bộ bốn tốt năm 2025"
    titles = board.locator(".portrait__title").all_inner_texts()
    assert titles and all(t == "Chi bộ bốn tốt · 2025" for t in titles)
    board.locator("nav.filters summary").click()  # the unit list opens without JavaScript
    unit = board.locator("nav.filters details a.chip").first
    name = re.sub(r" \(\d+\)$", "", unit.inner_text())
    count = int(re.search(r"\((\d+)\)$", unit.inner_text())[1])
    unit.click()
    board.wait_for_load_state()
    assert _h1(board) == f"Bảng vàng — {name}"
    assert board.locator("li.portrait").count() == count


@pytest.mark.parametrize("width", WIDTHS)
def test_portraits_show_the_consented_photo_or_an_initials_avatar(base_url, open_page, width):
    opened = open_page(f"{base_url}/bang-vang/nguoi-tot-viec-tot/2026/", width=width)
    portraits = opened.page.locator("li.portrait")
    assert portraits.count() >= 3
    kinds = set()
    for i in range(portraits.count()):
        portrait = portraits.nth(i)
        image = portrait.locator(".portrait__media img")
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.decode()")
        source = image.evaluate("img => img.currentSrc")
        name = portrait.locator(".portrait__name").inner_text()
        if source.endswith(".svg"):
            kinds.add("avatar")
            svg = opened.page.request.get(source).text()
            initials = re.findall(r">([^<>\s]+)</text>", svg)
            assert initials == [(name.split()[0][0] + name.split()[-1][0]).upper()], (name, initials)
            assert image.get_attribute("alt") == ""  # the name is written beside it
        else:
            kinds.add("photo")
            assert image.get_attribute("alt")
        box = image.bounding_box()
        assert box["width"] > 60 and abs(box["width"] - box["height"]) < 2
    assert kinds == {"avatar", "photo"}


# --- In the browser: print -----------------------------------------------------------------
STORY_PAGE = "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach/"


@pytest.mark.parametrize("width", WIDTHS)
def test_an_article_prints_title_date_author_body_and_address_without_the_site_around_it(base_url, open_page, width):
    opened = open_page(f"{base_url}/{STORY_PAGE}", width=width)
    printed = opened.page
    assert printed.locator(".print-address").is_hidden()  # on screen: no address line
    printed.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".bulletin-search",
        ".md-footer",
        ".share",
        ".story-nav",
        ".print-button",
    ):
        locator = printed.locator(hidden)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden
    assert printed.locator("article h1").is_visible()
    meta = printed.locator("article .record-meta")
    assert meta.is_visible() and re.search(r"1/12/2025 · Ban biên tập", meta.inner_text())
    assert printed.locator("article .record-body p").first.is_visible()
    address = printed.locator(".print-address")
    assert address.is_visible()
    assert address.inner_text().strip().endswith(f"/{STORY_PAGE}")


def test_the_print_button_prints_under_the_sites_csp_and_is_absent_without_javascript(base_url, browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page_ = context.new_page()
    errors = []
    page_.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page_.goto(f"{base_url}/{STORY_PAGE}", wait_until="networkidle")
    assert "Content-Security-Policy" in page_.content()
    button = page_.get_by_role("button", name="In bài")
    assert button.is_visible()
    button.click()
    assert page_.evaluate("window.__printed") == 1
    assert errors == []
    context.close()
    without = browser.new_context(java_script_enabled=False)
    page_ = without.new_page()
    page_.goto(f"{base_url}/{STORY_PAGE}")
    assert page_.get_by_role("button", name="In bài").count() == 0  # hidden: no dead button
    without.close()


# --- Budgets -------------------------------------------------------------------------------
def test_home_weighs_at_most_250_kb_gzip_with_its_images_at_360_px(shipped_site, base_url, browser):
    weight = measure(shipped_site, base_url, "", browser)
    assert weight.by_kind.get("image", 0) > 0  # the lead picture is counted
    assert weight.third_party == []
    assert weight.total <= 250 * 1024, weight.by_kind
