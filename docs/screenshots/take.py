"""Screenshots of the site's main pages at a phone's and a desktop's width, for the docs.

Usage: python docs/screenshots/take.py [SITE_DIR]   (builds the shipped site if no folder)

Writes docs/screenshots/<page>-<width>.png: the whole page, every lazy picture loaded, in
Debian's Chromium with the build day fixed (tests/conftest.py's BUILD_DAY) so that the
campaign timeline's «today» is the same in every run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

PAGES = {
    "trang-chu": "",
    "bang-vang": "bang-vang/",
    "cau-chuyen": "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach/",
    "cong-trinh": "cong-trinh/cau-thanh-duc/",
}
WIDTHS = (360, 1280)
LOAD_LAZY_PICTURES = """async () => {
  document.querySelectorAll('img[loading="lazy"]').forEach((img) => { img.loading = "eager"; });
  await Promise.all([...document.images].map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done); img.addEventListener("error", done);
  })));
}"""


def take(site_dir: Path, out_dir: Path) -> list[Path]:
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright, serve(site_dir) as base_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in PAGES.items():
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                page.goto(f"{base_url}/{path}", wait_until="networkidle")
                page.evaluate(LOAD_LAZY_PICTURES)
                target = out_dir / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                context.close()
        browser.close()
    return written


def main() -> int:
    from conftest import BUILD_DAY, build_project

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site_dir", nargs="?", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("BULLETIN_TODAY", BUILD_DAY)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = args.site_dir or build_project(REPO, Path(tempfile.mkdtemp()) / "site")
    for path in take(site_dir, HERE):
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
