"""Illustrations for the sample records: flat drawings made with Pillow, never a photograph
and never a face (people are faceless figures, seen as shapes). They are sample data like
the records that show them, and their captions say «Ảnh minh họa».

Usage: python -m bulletin.sample_art [OUT_DIR]   (default content/images/sample)

The drawings are deterministic: running the script again gives the same files.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

SCALE = 2  # drawn at twice the size, then reduced: smooth edges without an anti-aliasing API
LANDSCAPE = (1200, 800)
PORTRAIT = (800, 1000)

Colour = tuple[int, ...]  # RGB
Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

SKY = ((126, 178, 221), (214, 234, 248))
DUSK = ((52, 48, 97), (233, 140, 92))
NIGHT = ((18, 28, 61), (58, 73, 122))
SEA = (38, 120, 168)
SAND = (236, 214, 163)
GRASS = (122, 170, 84)
FIELD = (151, 196, 89)
ROOF_RED = (190, 62, 45)
WALL = (240, 226, 196)
TRUNK = (110, 78, 50)
LEAF = (58, 125, 68)
SKIN = (214, 170, 128)
HAIR = (45, 35, 30)


class Canvas:
    """A drawing surface in output pixels; shapes are scaled to the working size."""

    def __init__(self, size: tuple[int, int], seed: int):
        self.width, self.height = size
        self.image = Image.new("RGB", (self.width * SCALE, self.height * SCALE))
        self.draw = ImageDraw.Draw(self.image)
        self.random = random.Random(seed)

    def _xy(self, points: Sequence[Point]) -> list[Point]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    def gradient(self, top: Colour, bottom: Colour, y0: float = 0, y1: float | None = None) -> None:
        y1 = self.height if y1 is None else y1
        for y in range(int(y0 * SCALE), int(y1 * SCALE)):
            t = (y - y0 * SCALE) / max((y1 - y0) * SCALE, 1)
            colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            self.draw.line([(0, y), (self.width * SCALE, y)], fill=colour)
        # Below the gradient, its last colour: whatever a scene draws next covers it.
        self.draw.rectangle((0, int(y1 * SCALE), self.width * SCALE, self.height * SCALE), fill=bottom)

    def rect(self, box: Box, fill: Colour, radius: float = 0) -> None:
        x0, y0, x1, y1 = (v * SCALE for v in box)
        if radius:
            self.draw.rounded_rectangle((x0, y0, x1, y1), radius * SCALE, fill=fill)
        else:
            self.draw.rectangle((x0, y0, x1, y1), fill=fill)

    def poly(self, points: Sequence[Point], fill: Colour) -> None:
        self.draw.polygon(self._xy(points), fill=fill)

    def circle(self, x: float, y: float, r: float, fill: Colour) -> None:
        self.draw.ellipse(((x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE), fill=fill)

    def ellipse(self, box: Box, fill: Colour) -> None:
        self.draw.ellipse([v * SCALE for v in box], fill=fill)

    def line(self, points: Sequence[Point], fill: Colour, width: float) -> None:
        self.draw.line(self._xy(points), fill=fill, width=max(1, round(width * SCALE)))

    def hills(self, base: float, amplitude: float, colour: Colour, waves: float = 2.0, phase: float = 0.0) -> None:
        points: list[Point] = [(0, self.height)]
        for x in range(0, self.width + 20, 20):
            y = base - amplitude * (0.6 * math.sin(x / self.width * math.pi * waves + phase) + 0.4 * math.sin(x / 97 + phase))
            points.append((x, y))
        points.append((self.width, self.height))
        self.poly(points, colour)

    def save(self, path: Path, exif: Image.Exif | None = None) -> None:
        small = self.image.resize((self.width, self.height), Image.Resampling.LANCZOS)
        extra = {"exif": exif} if exif is not None else {}
        small.save(path, "JPEG", quality=86, optimize=True, progressive=True, **extra)


def camera_exif() -> Image.Exif:
    """Made-up camera and GPS tags, as a phone photo carries them: the one sample that has
    them shows that the build strips them (tests/test_images.py)."""
    exif = Image.Exif()
    exif[0x0110] = "SampleCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (14.0, 47.0, 12.5), 3: "E", 4: (108.0, 57.0, 3.2)})
    return exif


# --- Things in the pictures ------------------------------------------------------------------
def tree(c: Canvas, x: float, ground: float, height: float, leaf: Colour = LEAF) -> None:
    c.rect((x - height * 0.05, ground - height * 0.55, x + height * 0.05, ground), TRUNK)
    for dx, dy, r in ((0, -0.7, 0.3), (-0.18, -0.55, 0.22), (0.18, -0.55, 0.22)):
        c.circle(x + dx * height, ground + dy * height, r * height, leaf)


def palm(c: Canvas, x: float, ground: float, height: float) -> None:
    c.line([(x, ground), (x + height * 0.12, ground - height)], TRUNK, height * 0.06)
    top = (x + height * 0.12, ground - height)
    for angle in range(0, 360, 45):
        a = math.radians(angle)
        tip = (top[0] + math.cos(a) * height * 0.45, top[1] + math.sin(a) * height * 0.22 + height * 0.08)
        c.line([top, tip], LEAF, height * 0.05)


def house(c: Canvas, x: float, ground: float, w: float, h: float, wall: Colour = WALL, roof: Colour = ROOF_RED) -> None:
    c.rect((x, ground - h, x + w, ground), wall)
    c.poly([(x - w * 0.1, ground - h), (x + w / 2, ground - h - h * 0.55), (x + w * 1.1, ground - h)], roof)
    c.rect((x + w * 0.4, ground - h * 0.55, x + w * 0.6, ground), (120, 80, 50))
    c.rect((x + w * 0.1, ground - h * 0.75, x + w * 0.3, ground - h * 0.45), (150, 190, 215))
    c.rect((x + w * 0.7, ground - h * 0.75, x + w * 0.9, ground - h * 0.45), (150, 190, 215))


def figure(
    c: Canvas, x: float, ground: float, height: float, shirt: Colour, hat: str = "", carrying: Colour | None = None
) -> None:
    """A faceless person: head, body, legs as plain shapes, seen from afar."""
    head = height * 0.12
    c.rect((x - height * 0.09, ground - height * 0.45, x - height * 0.02, ground), (60, 60, 70))
    c.rect((x + height * 0.02, ground - height * 0.45, x + height * 0.09, ground), (60, 60, 70))
    c.rect((x - height * 0.14, ground - height * 0.82, x + height * 0.14, ground - height * 0.42), shirt, radius=height * 0.05)
    c.circle(x, ground - height * 0.82 - head * 0.9, head, SKIN)
    if hat == "nón":
        y = ground - height * 0.82 - head * 1.2
        c.poly([(x - head * 2.1, y + head * 0.5), (x, y - head * 1.6), (x + head * 2.1, y + head * 0.5)], (230, 210, 150))
    else:
        c.ellipse((x - head, ground - height * 0.82 - head * 2, x + head, ground - height * 0.82 - head * 0.9), HAIR)
    if carrying:
        c.rect((x + height * 0.14, ground - height * 0.5, x + height * 0.3, ground - height * 0.3), carrying, radius=4)


def sun(c: Canvas, x: float, y: float, r: float, colour: Colour = (255, 224, 130)) -> None:
    c.circle(x, y, r * 1.5, tuple(min(255, v + 20) for v in colour))
    c.circle(x, y, r, colour)


def waves(c: Canvas, top: float, colour: Colour = SEA) -> None:
    c.rect((0, top, c.width, c.height), colour)
    for row in range(6):
        y = top + 15 + row * 28
        for x in range(-40 + (row % 2) * 60, c.width, 120):
            c.line([(x, y), (x + 50, y)], (255, 255, 255), 3)


def boat(c: Canvas, x: float, y: float, w: float, colour: Colour = (200, 60, 50)) -> None:
    c.poly([(x, y), (x + w, y), (x + w * 0.85, y + w * 0.2), (x + w * 0.12, y + w * 0.2)], colour)
    c.rect((x + w * 0.35, y - w * 0.25, x + w * 0.7, y), (245, 240, 225))
    c.line([(x + w * 0.5, y - w * 0.25), (x + w * 0.5, y - w * 0.55)], (80, 60, 40), 4)
    c.poly([(x + w * 0.52, y - w * 0.55), (x + w * 0.72, y - w * 0.47), (x + w * 0.52, y - w * 0.4)], (220, 40, 40))


def lamp(c: Canvas, x: float, ground: float, height: float, lit: bool) -> None:
    c.line([(x, ground), (x, ground - height)], (70, 70, 80), 6)
    c.line([(x, ground - height), (x + height * 0.18, ground - height)], (70, 70, 80), 5)
    if lit:
        c.circle(x + height * 0.18, ground - height + 8, 26, (255, 236, 160))
    c.circle(x + height * 0.18, ground - height + 8, 10, (255, 250, 210))


def rice_rows(c: Canvas, top: float, colour: Colour = FIELD) -> None:
    c.rect((0, top, c.width, c.height), colour)
    for i in range(14):
        y = top + 10 + i * i * 2.2
        c.line([(0, y), (c.width, y)], tuple(max(0, v - 25) for v in colour), 2 + i * 0.4)


# --- Scenes ----------------------------------------------------------------------------------
def beach_cleanup(c: Canvas) -> None:
    c.gradient(*SKY, 0, 420)
    sun(c, 980, 130, 60)
    waves(c, 420)
    c.poly([(0, 560), (c.width, 500), (c.width, 800), (0, 800)], SAND)
    for i, x in enumerate((220, 380, 560, 760, 930)):
        figure(c, x, 690 + (i % 2) * 30, 200, (46, 125, 50), carrying=(60, 90, 160))
    palm(c, 80, 600, 300)


def sea_rescue(c: Canvas) -> None:
    c.gradient((96, 125, 160), (190, 205, 220), 0, 380)
    waves(c, 380, (30, 95, 140))
    boat(c, 180, 470, 360)
    boat(c, 700, 540, 300, (40, 110, 180))
    c.line([(540, 460), (760, 500)], (250, 200, 60), 5)
    c.circle(650, 600, 28, (255, 120, 40))
    c.circle(650, 600, 14, (30, 95, 140))


def school(c: Canvas) -> None:
    c.gradient(*SKY, 0, 560)
    sun(c, 160, 130, 55)
    c.hills(520, 60, (150, 190, 120))
    c.rect((0, 560, c.width, 800), (205, 190, 160))
    c.rect((330, 300, 930, 590), (250, 236, 170))
    c.poly([(300, 300), (630, 180), (960, 300)], ROOF_RED)
    for x in range(370, 900, 110):
        c.rect((x, 360, x + 60, 440), (150, 190, 215))
        c.rect((x, 480, x + 60, 560), (150, 190, 215))
    c.line([(1030, 590), (1030, 260)], (90, 90, 90), 6)
    c.rect((1033, 262, 1123, 322), (218, 37, 29))
    c.poly(
        [
            (1078, 275),
            (1084, 290),
            (1100, 290),
            (1087, 299),
            (1092, 314),
            (1078, 305),
            (1064, 314),
            (1069, 299),
            (1056, 290),
            (1072, 290),
        ],
        (255, 222, 0),
    )
    for x in (120, 230):
        tree(c, x, 600, 220)


def village_road(c: Canvas) -> None:
    c.gradient(*SKY, 0, 420)
    c.hills(420, 50, (120, 165, 110), 3)
    c.rect((0, 420, c.width, 800), GRASS)
    c.poly([(520, 420), (680, 420), (1050, 800), (150, 800)], (190, 190, 185))
    c.line([(600, 430), (600, 800)], (255, 255, 255), 6)
    for x, s in ((40, 170), (880, 190)):
        house(c, x, 560, s, s * 0.7)
    for x, h in ((300, 200), (420, 150), (820, 160), (1120, 220)):
        tree(c, x, 600 if x < 600 else 620, h)


def canal(c: Canvas) -> None:
    c.gradient(*SKY, 0, 360)
    c.hills(360, 40, (110, 150, 120), 2.5)
    rice_rows(c, 360)
    c.poly([(560, 360), (640, 360), (900, 800), (300, 800)], (170, 170, 165))
    c.poly([(575, 360), (625, 360), (840, 800), (360, 800)], (80, 150, 185))
    for x in (100, 1080):
        palm(c, x, 520, 260)


def street_lights(c: Canvas) -> None:
    c.gradient(*DUSK, 0, 560)
    c.hills(480, 50, (60, 60, 90), 2)
    c.rect((0, 560, c.width, 800), (70, 80, 60))
    c.poly([(0, 640), (c.width, 600), (c.width, 700), (0, 760)], (110, 110, 110))
    for i in range(6):
        x = 80 + i * 200
        lamp(c, x, 650 - i * 7, 260 - i * 12, lit=True)
    for x in (300, 900):
        house(c, x, 600, 140, 100, (200, 185, 160), (120, 50, 40))


def bookshelf(c: Canvas) -> None:
    c.rect((0, 0, c.width, c.height), (243, 232, 210))
    c.rect((180, 80, 1020, 760), (150, 100, 60))
    for shelf in range(4):
        top = 110 + shelf * 160
        c.rect((210, top, 990, top + 140), (255, 248, 230))
        x = 220
        while x < 960:
            w = c.random.randint(22, 46)
            h = c.random.randint(90, 132)
            colour = c.random.choice([(198, 40, 40), (40, 90, 160), (46, 125, 50), (240, 180, 40), (120, 60, 140), (0, 120, 120)])
            c.rect((x, top + 140 - h, x + w, top + 140), colour)
            c.line([(x + 4, top + 150 - h), (x + w - 4, top + 150 - h)], (255, 255, 255), 2)
            x += w + 4
    c.rect((170, 760, 1030, 790), (120, 80, 50))


def clinic_night(c: Canvas) -> None:
    c.gradient(*NIGHT, 0, 560)
    for _ in range(40):
        c.circle(c.random.randint(0, c.width), c.random.randint(0, 380), 2, (240, 240, 255))
    c.circle(1020, 120, 45, (245, 240, 210))
    c.rect((0, 560, c.width, 800), (50, 60, 55))
    c.rect((300, 280, 900, 600), (235, 235, 240))
    c.poly([(270, 280), (600, 170), (930, 280)], (60, 110, 160))
    for x in range(340, 880, 120):
        c.rect((x, 340, x + 70, 420), (255, 230, 140))
    c.rect((540, 470, 660, 600), (255, 230, 140))
    c.rect((580, 200, 620, 270), (220, 30, 30))
    c.rect((565, 215, 635, 255), (220, 30, 30))


def vegetables(c: Canvas) -> None:
    c.gradient(*SKY, 0, 330)
    c.hills(330, 30, (110, 150, 100), 2)
    c.rect((0, 330, c.width, 800), (150, 110, 75))
    for row in range(7):
        y = 360 + row * 62
        for x in range(30 + (row % 2) * 40, c.width, 80):
            c.circle(x, y, 16 + row * 2.5, (70 + row * 8, 160 - row * 4, 70))
    c.poly([(760, 330), (1180, 330), (1180, 150), (970, 80), (760, 150)], (225, 240, 235))
    c.line([(970, 80), (970, 330)], (170, 190, 185), 4)
    figure(c, 300, 760, 240, (70, 110, 170), hat="nón")


def farm(c: Canvas) -> None:
    c.gradient(*SKY, 0, 420)
    sun(c, 200, 120, 50)
    c.hills(420, 70, (140, 185, 100), 1.5)
    c.rect((0, 520, c.width, 800), GRASS)
    for x, y, s in ((320, 600, 1.0), (620, 650, 1.2), (900, 590, 0.9)):
        c.ellipse((x - 90 * s, y - 45 * s, x + 90 * s, y + 35 * s), (176, 110, 60))
        c.ellipse((x + 70 * s, y - 60 * s, x + 130 * s, y - 10 * s), (176, 110, 60))
        for dx in (-60, -25, 30, 65):
            c.rect((x + dx * s, y + 20 * s, x + (dx + 14) * s, y + 85 * s), (140, 85, 45))
    c.rect((40, 430, 200, 540), (160, 60, 40))
    c.poly([(30, 430), (120, 370), (210, 430)], (110, 40, 30))


def house_repair(c: Canvas) -> None:
    c.gradient(*SKY, 0, 520)
    sun(c, 1030, 120, 55)
    c.rect((0, 520, c.width, 800), (200, 185, 150))
    house(c, 360, 640, 480, 300, (250, 240, 215), (200, 90, 60))
    c.line([(880, 640), (770, 330)], (150, 110, 70), 8)
    c.line([(930, 640), (820, 330)], (150, 110, 70), 8)
    for i in range(1, 9):
        t = i / 9
        c.line([(880 - 110 * t, 640 - 310 * t), (930 - 110 * t, 640 - 310 * t)], (150, 110, 70), 5)
    figure(c, 200, 720, 230, (46, 100, 60))
    figure(c, 1040, 720, 220, (46, 100, 60), carrying=(170, 120, 70))
    tree(c, 100, 600, 200)


def blood_drive(c: Canvas) -> None:
    c.gradient(*SKY, 0, 480)
    c.rect((0, 480, c.width, 800), (220, 210, 190))
    c.poly([(200, 480), (600, 300), (1000, 480)], (240, 240, 245))
    c.rect((230, 480, 970, 700), (250, 250, 252))
    for x in range(230, 970, 92):
        c.rect((x, 480, x + 46, 520), (200, 40, 40))
    c.circle(560, 590, 55, (210, 30, 40))
    c.circle(640, 590, 55, (210, 30, 40))
    c.poly([(508, 612), (600, 700), (692, 612)], (210, 30, 40))
    for x in (120, 1080):
        figure(c, x, 760, 210, (200, 40, 40))


def market(c: Canvas) -> None:
    c.gradient(*SKY, 0, 420)
    c.rect((0, 420, c.width, 800), (205, 190, 165))
    for i, x in enumerate(range(40, 1160, 280)):
        c.poly([(x - 20, 360), (x + 250, 360), (x + 230, 300), (x, 300)], (200, 50, 40) if i % 2 else (230, 150, 40))
        c.rect((x, 360, x + 230, 560), (245, 235, 210))
        c.rect((x + 10, 480, x + 220, 500), (140, 100, 60))
        for j in range(6):
            c.circle(x + 30 + j * 34, 468, 14, c.random.choice([(90, 160, 70), (230, 120, 40), (200, 40, 40), (250, 210, 60)]))
    figure(c, 420, 760, 230, (180, 70, 120), hat="nón", carrying=(110, 160, 70))
    figure(c, 840, 740, 210, (60, 110, 170))


def bridge(c: Canvas) -> None:
    c.gradient(*SKY, 0, 480)
    c.hills(460, 50, (120, 160, 120), 1.8)
    c.rect((0, 480, c.width, 800), (60, 130, 170))
    c.rect((0, 330, c.width, 372), (150, 150, 155))
    c.rect((0, 320, c.width, 332), (110, 110, 115))
    for x in range(80, c.width, 220):
        c.rect((x, 372, x + 36, 560), (170, 170, 170))
    for i in range(5):
        c.line([(0, 520 + i * 50), (c.width, 520 + i * 50)], (120, 180, 210), 3)
    boat(c, 820, 600, 160)


def flag_hill(c: Canvas) -> None:
    c.gradient(*SKY, 0, 800)
    c.hills(520, 160, (110, 160, 100), 1.2, 1.0)
    c.hills(650, 60, (90, 140, 85), 2.5)
    c.line([(640, 420), (640, 140)], (200, 200, 200), 8)
    c.rect((644, 142, 820, 250), (218, 37, 29))
    c.poly(
        [(732, 165), (742, 188), (767, 188), (747, 203), (755, 228), (732, 212), (709, 228), (717, 203), (697, 188), (722, 188)],
        (255, 222, 0),
    )
    c.rect((580, 410, 700, 440), (190, 190, 190))


def city_road(c: Canvas) -> None:
    c.gradient(*SKY, 0, 460)
    for x, h in ((40, 240), (200, 300), (330, 200), (820, 280), (960, 220), (1080, 320)):
        c.rect((x, 460 - h, x + 120, 460), (c.random.randint(200, 235), c.random.randint(195, 225), c.random.randint(180, 215)))
        for wy in range(int(480 - h), 440, 40):
            for wx in (x + 15, x + 55, x + 95):
                c.rect((wx, wy, wx + 16, wy + 20), (150, 185, 210))
    c.rect((0, 460, c.width, 800), (90, 90, 95))
    c.poly([(0, 460), (c.width, 460), (c.width, 500), (0, 500)], (190, 190, 185))
    for x in range(0, c.width, 160):
        c.rect((x, 620, x + 90, 632), (255, 255, 255))
    for x in (150, 550, 950):
        lamp(c, x, 500, 220, lit=False)
        tree(c, x + 120, 500, 150)


def drainage(c: Canvas) -> None:
    c.gradient(*SKY, 0, 380)
    for x in (60, 900):
        house(c, x, 420, 220, 150)
    c.rect((0, 420, c.width, 800), (180, 175, 165))
    c.poly([(380, 800), (820, 800), (700, 420), (500, 420)], (120, 120, 125))
    c.poly([(430, 800), (770, 800), (680, 420), (520, 420)], (80, 140, 170))
    for i in range(8):
        y = 440 + i * 45
        c.line([(500 - i * 14, y), (700 + i * 14, y)], (150, 150, 150), 4)


def new_countryside(c: Canvas) -> None:
    c.gradient(*SKY, 0, 380)
    sun(c, 1000, 110, 50)
    c.hills(380, 40, (110, 150, 100), 2)
    rice_rows(c, 380, (170, 205, 90))
    c.poly([(0, 560), (c.width, 470), (c.width, 510), (0, 610)], (190, 190, 185))
    for x in (120, 420, 760):
        house(c, x, 470, 150, 100, (250, 240, 220), (200, 80, 50))
    tree(c, 330, 480, 160)
    tree(c, 650, 470, 140)


def portrait(background: Callable[[Canvas], None], shirt: Colour, hat: str = "") -> Callable[[Canvas], None]:
    """A faceless half-figure in front of a scene of the person's work."""

    def draw(c: Canvas) -> None:
        scene = Canvas(LANDSCAPE, seed=0)
        background(scene)
        height = c.height * SCALE
        width = round(scene.image.width * height / scene.image.height)
        scaled = scene.image.resize((width, height), Image.Resampling.LANCZOS)
        left = (width - c.width * SCALE) // 2
        c.image.paste(scaled.crop((left, 0, left + c.width * SCALE, height)))
        x, ground = c.width / 2, c.height + 40
        c.ellipse((x - 260, ground - 430, x + 260, ground + 300), shirt)
        c.rect((x - 55, ground - 470, x + 55, ground - 400), SKIN)
        c.ellipse((x - 130, ground - 760, x + 130, ground - 430), SKIN)
        if hat == "nón":
            c.poly([(x - 300, ground - 610), (x, ground - 860), (x + 300, ground - 610)], (232, 212, 150))
            c.line([(x - 300, ground - 610), (x + 300, ground - 610)], (200, 180, 120), 6)
        elif hat == "mũ":
            c.ellipse((x - 140, ground - 800, x + 140, ground - 640), (40, 110, 60))
            c.rect((x - 140, ground - 700, x + 200, ground - 665), (40, 110, 60))
        else:
            c.ellipse((x - 140, ground - 785, x + 140, ground - 600), HAIR)

    return draw


SCENES: dict[str, tuple[tuple[int, int], Callable[[Canvas], None]]] = {
    "bo-bien-sach.jpg": (LANDSCAPE, beach_cleanup),
    "cuu-nan-tren-bien.jpg": (LANDSCAPE, sea_rescue),
    "diem-truong-mam-non.jpg": (LANDSCAPE, school),
    "duong-thon.jpg": (LANDSCAPE, village_road),
    "kenh-muong-noi-dong.jpg": (LANDSCAPE, canal),
    "duong-dien-chieu-sang.jpg": (LANDSCAPE, street_lights),
    "tu-sach.jpg": (LANDSCAPE, bookshelf),
    "tram-y-te-ban-dem.jpg": (LANDSCAPE, clinic_night),
    "ruong-rau.jpg": (LANDSCAPE, vegetables),
    "trang-trai-bo.jpg": (LANDSCAPE, farm),
    "sua-nha.jpg": (LANDSCAPE, house_repair),
    "hien-mau.jpg": (LANDSCAPE, blood_drive),
    "cho-tra-cau.jpg": (LANDSCAPE, market),
    "cau-thanh-duc.jpg": (LANDSCAPE, bridge),
    "nui-giang.jpg": (LANDSCAPE, flag_hill),
    "duong-do-thi.jpg": (LANDSCAPE, city_road),
    "thoat-nuoc.jpg": (LANDSCAPE, drainage),
    "nong-thon-moi.jpg": (LANDSCAPE, new_countryside),
    "chan-dung-tieu-thuong.jpg": (PORTRAIT, portrait(market, (180, 70, 120), "nón")),
    "chan-dung-ngu-dan.jpg": (PORTRAIT, portrait(sea_rescue, (40, 90, 150))),
    "chan-dung-hop-tac-xa.jpg": (PORTRAIT, portrait(vegetables, (70, 110, 170), "nón")),
    "chan-dung-thanh-nien.jpg": (PORTRAIT, portrait(beach_cleanup, (46, 125, 50), "mũ")),
    "chan-dung-trang-trai.jpg": (PORTRAIT, portrait(farm, (120, 90, 60))),
    "chan-dung-bi-thu-chi-bo.jpg": (PORTRAIT, portrait(canal, (245, 245, 240))),
}


WITH_GPS = {"cau-thanh-duc.jpg"}


def make_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index, (name, (size, draw)) in enumerate(sorted(SCENES.items())):
        canvas = Canvas(size, seed=index)
        draw(canvas)
        canvas.save(out_dir / name, camera_exif() if name in WITH_GPS else None)
        written.append(out_dir / name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content/images/sample")
    for path in make_all(target):
        print(path)
