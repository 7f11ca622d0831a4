"""Share images (Open Graph, 1200×630) for stories, made at build time.

A story with a photo shares its photo, cropped to the frame; a story without one shares a
card with its title, drawn with Pillow in Be Vietnam Pro (``bulletin/fonts``, SIL OFL 1.1),
a font that covers every Vietnamese letter and tone mark. Readers never download the font:
it is used only here. Images are cached by what they show, so a rebuild re-draws only the
stories that changed.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from .cache import file_digest
from .images import clean_pixels
from .model import Site
from .parallel import map_forked
from .schema import COLLECTIONS, Story
from .vietnamese import format_date

SIZE = WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).parent / "fonts"
BOLD = FONTS / "BeVietnamPro-Bold.ttf"
REGULAR = FONTS / "BeVietnamPro-Regular.ttf"
DRAWING_VERSION = "3"  # bump when the card's drawing changes, to re-draw cached cards

RED, DARK_RED, GOLD, WHITE, PINK = (163, 21, 21), (118, 8, 8), (255, 213, 79), (255, 255, 255), (255, 205, 205)
MARGIN = 72
TITLE_SIZES = (76, 68, 60, 54, 48)
MAX_LINES = 4
BAND = HEIGHT - 110  # where the dark band at the foot starts


@dataclass(frozen=True)
class ShareCard:
    """What a title card shows."""

    site_name: str
    title: str
    footer: str


def share_image_uri(story: Story) -> str:
    """Where a story's share image is written, beside its page."""
    return f"{COLLECTIONS['stories'].url}/{story.id}/anh-chia-se.jpg"


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words in lines no wider than ``width`` (a single longer word keeps a line of its own)."""
    lines: list[str] = []
    used = 0.0  # the last line's width
    for word in text.split():
        wider = used + _width(font, " ") + _width(font, word)
        if lines and wider <= width:
            lines[-1], used = f"{lines[-1]} {word}", wider
        else:
            lines.append(word)
            used = _width(font, word)
    return lines


@functools.lru_cache(maxsize=8192)  # a thousand titles share a few thousand syllables
def _width(font: ImageFont.FreeTypeFont, word: str) -> float:
    """A word's advance. A line measures as its words and spaces: the fonts kern no pair
    across a space, so this is the whole line's width, without laying it out at each word."""
    return font.getlength(word)


@functools.lru_cache(maxsize=16)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


@functools.lru_cache(maxsize=4)
def _background(site_name: str) -> Image.Image:
    """What every card shares, drawn once: the colours and the site's name."""
    image = Image.new("RGB", SIZE, RED)
    draw = ImageDraw.Draw(image)
    # A darker band at the foot and a gold rule: the bulletin's colours, nothing to read.
    draw.rectangle((0, BAND, WIDTH, HEIGHT), fill=DARK_RED)
    draw.rectangle((MARGIN, 118, MARGIN + 120, 126), fill=GOLD)
    draw.text((MARGIN, 60), site_name.upper(), font=_font(REGULAR, 30), fill=GOLD)
    return image


def _title_lines(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(BOLD, size)
        lines = wrap(title, font, WIDTH - 2 * MARGIN)
        if len(lines) <= MAX_LINES and _title_bottom(font, len(lines)) <= BAND - 16:
            return font, lines
    kept = lines[:MAX_LINES]
    while font.getlength(kept[-1] + " …") > WIDTH - 2 * MARGIN and " " in kept[-1]:
        kept[-1] = kept[-1].rsplit(" ", 1)[0]
    kept[-1] += " …"
    return font, kept


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.25)


def _title_top(font: ImageFont.FreeTypeFont, lines: int) -> int:
    """The title's lines centred in the room of MAX_LINES lines."""
    return 160 + (MAX_LINES - lines) * _line_height(font) // 2


def _title_bottom(font: ImageFont.FreeTypeFont, lines: int) -> int:
    """Where the last line's descenders end: four lines at the largest size would reach
    into the band at the foot."""
    ascent, descent = font.getmetrics()
    return _title_top(font, lines) + (lines - 1) * _line_height(font) + ascent + descent


def draw_card(card: ShareCard) -> Image.Image:
    image = _background(card.site_name).copy()
    font, lines = _title_lines(card.title)
    for index, line in enumerate(lines):
        _draw_line(image, (MARGIN, _title_top(font, len(lines)) + index * _line_height(font)), line, font, WHITE)
    _draw_line(image, (MARGIN, HEIGHT - 74), card.footer, _font(REGULAR, 30), PINK)
    return image


def _draw_line(image: Image.Image, xy: tuple[int, int], line: str, font: ImageFont.FreeTypeFont, fill: tuple) -> None:
    """``ImageDraw.text`` word by word, each word's pixels rendered once per drawing pass: FreeType
    takes 2 ms a title line, and a thousand titles share a few thousand syllables. A word
    lands where it stands in the whole line (the widths of the words and spaces before it),
    rounded to the pixel: at most half a pixel from where the whole line would put it."""
    x, y = xy
    offset = 0.0
    for word in line.split(" "):
        if word:
            mask, left, top = _word_mask(font, word)
            image.paste(fill, (round(x + offset) + left, y + top), mask)
            offset += _width(font, word)
        offset += _width(font, " ")


@functools.lru_cache(maxsize=4096)  # some 10 KB each: emptied after each drawing pass
def _word_mask(font: ImageFont.FreeTypeFont, word: str) -> tuple[Image.Image, int, int]:
    """A word's coverage, cut to its ink, and where that ink starts from the pen."""
    left, top, right, bottom = (round(v) for v in font.getbbox(word))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), word, font=font, fill=255)
    return mask, left, top


def crop_photo(source: Path) -> Image.Image:
    """The photo cut to the share frame around its centre, without its metadata."""
    return ImageOps.fit(clean_pixels(source), SIZE, Image.Resampling.LANCZOS)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84)
    return buffer.getvalue()


def _cache_file(key: str, cache_dir: Path) -> Path:
    return cache_dir / f"{hashlib.sha256((DRAWING_VERSION + key).encode()).hexdigest()[:24]}.jpg"


@dataclass(frozen=True)
class ShareImage:
    """A story's share image: its address on the site, its file in the cache, its drawing."""

    uri: str
    file: Path
    make: Callable[[], Image.Image]


def _draw(image: ShareImage) -> None:
    partial = image.file.with_suffix(f".{os.getpid()}.part")  # a stopped build leaves no half image
    partial.write_bytes(_jpeg(image.make()))
    partial.replace(image.file)


def card_for(site: Site, story: Story, site_name: str) -> ShareCard:
    units = ", ".join(site.units[u].name for u in story.units[:2])
    footer = format_date(story.date) + (f" · {units}" if units else "")
    return ShareCard(site_name, story.title, footer)


def share_images(site: Site, content_dir: Path, cache_dir: Path, site_name: str) -> list[ShareImage]:
    """Every published story's share image, its JPEG file in ``cache_dir`` drawn already or
    not (``draw``): the build links the files into the output (a thousand images are not
    carried in memory or between processes)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    return [
        ShareImage(share_image_uri(story), *_share_image(story, site, content_dir, cache_dir, site_name))
        for story in site.stories.values()
    ]


def draw(images: Sequence[ShareImage], until_one_is_drawn: bool = False) -> None:
    """The images whose file is missing, drawn in order. ``until_one_is_drawn``: stop at the
    first found drawn, where another process drawing the list from its end has arrived."""
    for image in images:
        if not image.file.is_file():
            _draw(image)
        elif until_one_is_drawn:
            break
    _word_mask.cache_clear()


def draw_on_workers(missing: Sequence[ShareImage], workers: int) -> None:
    """Images whose file is missing, drawn on ``workers`` processes when there are many."""
    map_forked(_draw, missing, workers)
    _word_mask.cache_clear()


def _share_image(
    story: Story, site: Site, content_dir: Path, cache_dir: Path, site_name: str
) -> tuple[Path, Callable[[], Image.Image]]:
    """Where the story's share image is kept, and how it is drawn."""
    if story.image:
        source = content_dir / story.image.file
        return _cache_file("photo:" + file_digest(source), cache_dir), functools.partial(crop_photo, source)
    card = card_for(site, story, site_name)
    return _cache_file(f"card:{card!r}", cache_dir), functools.partial(draw_card, card)
