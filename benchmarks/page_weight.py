"""Page weight: what a phone downloads to show a page, gzip-counted, before and with images.

Usage: python benchmarks/page_weight.py [SITE_DIR]   (builds the shipped site if no folder)

Every request the page makes in Chromium is mapped to its file in the built folder and
counted at gzip level 6 (what a static server sends for text; images are counted as is).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

COMPRESSED_ALREADY = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".woff2", ".gz"}


@dataclass
class Weight:
    url: str
    by_kind: dict[str, int] = field(default_factory=dict)
    third_party: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def before_images(self) -> int:
        return self.total - self.by_kind.get("image", 0)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"}:
        return "image"
    return {".html": "html", ".css": "css", ".js": "js", ".json": "json"}.get(suffix, "other")


def _file_for(site_dir: Path, url: str) -> Path | None:
    path = unquote(urlparse(url).path).lstrip("/")
    candidate = site_dir / path
    if candidate.is_dir() or path.endswith("/") or not path:
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def transfer_size(file: Path) -> int:
    data = file.read_bytes()
    return len(data) if file.suffix.lower() in COMPRESSED_ALREADY else len(gzip.compress(data, 6))


def measure(site_dir: Path, base_url: str, path: str, browser) -> Weight:
    """Load ``path`` in a 360px-wide page and count every request it made."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base_url}/{path}", wait_until="networkidle")
    context.close()
    weight = Weight(path)
    for url in dict.fromkeys(requested):
        if not url.startswith(base_url):
            weight.third_party.append(url)
            continue
        file = _file_for(site_dir, url)
        if file is not None:
            kind = _kind(file)
            weight.by_kind[kind] = weight.by_kind.get(kind, 0) + transfer_size(file)
    return weight


def _report(weights: list[Weight]) -> str:
    lines = [
        "| page | HTML | CSS | JS | images | other | total before images | total |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for w in weights:
        k = {name: w.by_kind.get(name, 0) / 1024 for name in ("html", "css", "js", "image")}
        other = (w.total - sum(w.by_kind.get(n, 0) for n in ("html", "css", "js", "image"))) / 1024
        lines.append(
            f"| /{w.url} | {k['html']:.1f} KB | {k['css']:.1f} KB | {k['js']:.1f} KB | {k['image']:.1f} KB | "
            f"{other:.1f} KB | **{w.before_images / 1024:.1f} KB** | {w.total / 1024:.1f} KB |"
        )
    third = sorted({u for w in weights for u in w.third_party})
    lines.append(f"\nThird-party requests: {len(third)}" + "".join(f"\n- {u}" for u in third))
    return "\n".join(lines)


def main() -> int:
    from conftest import CHROMIUM, CHROMIUM_ARGS, build_project, serve
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site_dir", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "page-weight.md")
    args = parser.parse_args()
    site_dir = args.site_dir or build_project(REPO, Path(tempfile.mkdtemp()) / "site")
    stories = sorted(
        p.parent.name for p in (site_dir / "cau-chuyen").glob("*/index.html") if not p.parent.name.startswith("trang-")
    )
    paths = ["", "cau-chuyen/", f"cau-chuyen/{stories[0]}/", "bang-vang/", "chi-tieu/", "cong-trinh/"]
    with sync_playwright() as playwright, serve(site_dir) as base_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        report = _report([measure(site_dir, base_url, path, browser) for path in paths])
        browser.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
