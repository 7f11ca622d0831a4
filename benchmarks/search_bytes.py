"""Search network cost on a large synthetic site, measured in Chromium, and the index's share
of the build.

Usage: python benchmarks/search_bytes.py [--n 5000] [--out benchmarks/out/search.md]

The built folder is served by a static server that gzips text (level 6, as nginx's
``gzip on`` does), and every response's body size as Chromium received it (Playwright's
``request.sizes()``: the encoded bytes) is added up. A search starts from the header box of a
story page, as a reader would: the first search counts the search code, the search page and
every index slice and result record it fetched; the second search, typed on the results
page, counts what it fetched besides. Several query pairs are run, each in a fresh browser
context (empty cache), and the report gives each and the worst.

Build time: the full build is timed, and making the index (``search.index_files``, which the
build runs once) is timed alone on the same data; its share is index / (build - index).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

# (first search, second search); the second of one pair may use a filter (kind, year).
PAIRS = [
    ("duc pho", "pho thanh", None),
    ("dang vien bon tot", "ho ngheo", None),
    ("nguyen thi", "thanh nien", None),
    ("cau thanh duc", "tran van binh", None),
    ("Đức Phổ", "hien dat", ("nam", "2025")),
    ("ho ngheo", "pho chau", ("loai", "Đơn vị")),
    ("nguoi tot viec tot", "dang vien", None),
]


def _is_search(url: str) -> bool:
    return any(part in url for part in ("/tim-kiem/", "/assets/search/"))


class _Recorder:
    def __init__(self, page):
        self.requests = []
        page.on("requestfinished", lambda request: self.requests.append(request))

    def take(self) -> list:
        taken, self.requests = self.requests, []
        return taken


def _bytes(requests, seen: set[str], only_search: bool = True) -> tuple[int, list[tuple[str, int]]]:
    total, parts = 0, []
    for request in requests:
        url = request.url
        if url in seen or (only_search and not _is_search(url)):
            continue
        seen.add(url)
        size = request.sizes()["responseBodySize"]
        total += size
        parts.append((url.split("/", 3)[-1], size))
    return total, parts


def _wait_for_results(page) -> None:
    page.locator("[data-search-status]", has_text=re.compile("^(Tìm thấy|Không)")).wait_for()
    page.wait_for_load_state("networkidle")


def _pair(browser, base_url: str, story: str, first: str, second: str, option) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    recorder = _Recorder(page)
    seen: set[str] = set()
    page.goto(f"{base_url}/{story}", wait_until="networkidle")
    code, code_parts = _bytes(recorder.take(), seen)  # the search code every page carries
    page.fill("#bulletin-search-q", first)
    page.press("#bulletin-search-q", "Enter")
    _wait_for_results(page)
    found_first = page.locator("[data-search-results] li").count()
    first_bytes, first_parts = _bytes(recorder.take(), seen)
    page.fill("#bulletin-search-page-q", second)
    if option:
        page.select_option(f"[name={option[0]}]", label=option[1])
    page.click(".bulletin-search-page button")
    _wait_for_results(page)
    second_bytes, second_parts = _bytes(recorder.take(), seen)
    external = [r.url for r in recorder.requests if not r.url.startswith(base_url)]
    context.close()
    return {
        "first": first,
        "second": second + (f" ({option[0]}={option[1]})" if option else ""),
        "first_bytes": code + first_bytes,
        "second_bytes": second_bytes,
        "shown": found_first,
        "first_parts": code_parts + first_parts,
        "second_parts": second_parts,
        "external": external,
    }


def main() -> int:
    from conftest import CHROMIUM, CHROMIUM_ARGS, build_project, serve
    from playwright.sync_api import sync_playwright

    from bulletin.model import load_site
    from bulletin.render import render_pages
    from bulletin.search import index_files
    from bulletin.synthetic import generate

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "search.md")
    parser.add_argument("--verbose", action="store_true", help="print every file each search fetched")
    args = parser.parse_args()
    os.environ.setdefault("BULLETIN_TODAY", "2026-11-24")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    today = date.fromisoformat(os.environ["BULLETIN_TODAY"])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("mkdocs.yml", "build_hooks.py"):
            shutil.copy(REPO / name, root / name)
        for folder in ("content", "overrides"):
            shutil.copytree(REPO / folder, root / folder)
        generate(root, args.n)
        start = time.perf_counter()
        site_dir = build_project(root, Path(tmp) / "site")
        build_s = time.perf_counter() - start
        site, errors = load_site(root, today)
        assert not errors, errors[:3]
        pages = list(render_pages(site))  # the listing pages are indexed too, as in the build
        index_s = min(_timed(lambda: index_files(site, pages)) for _ in range(3))
        files, info = index_files(site, pages)
        index_mb = sum(len(text.encode()) for _, text in files) / 1e6
        stories = sorted(
            p.parent.name for p in (site_dir / "cau-chuyen").glob("*/index.html") if not p.parent.name.startswith("trang-")
        )
        story = f"cau-chuyen/{quote(stories[len(stories) // 2])}/"
        with sync_playwright() as playwright, serve(site_dir, gzipped=True) as base_url:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            runs = [_pair(browser, base_url, story, *pair) for pair in PAIRS]
            browser.close()
    kb = lambda n: f"{n / 1024:.1f} KB"  # noqa: E731
    worst_first = max(r["first_bytes"] for r in runs)
    worst_second = max(r["second_bytes"] for r in runs)
    external = sorted({u for r in runs for u in r["external"]})
    lines = [
        f"Synthetic site: {args.n:,} stories (`bulletin/synthetic.py`), {info['docs']:,} indexed records, "
        f"{len(files)} index files, {index_mb:.1f} MB on disk. Bytes are gzip bodies as Chromium received them.",
        "",
        "| first search | bytes | second search | additional bytes |",
        "|---|---|---|---|",
        *(f"| {r['first']} | {kb(r['first_bytes'])} | {r['second']} | {kb(r['second_bytes'])} |" for r in runs),
        "",
        "| measure | value | bar |",
        "|---|---|---|",
        f"| first search, worst of the above (search code, search page, index slices, results) | {kb(worst_first)} | ≤ 150 KB |",
        f"| second search, worst of the above, additional | {kb(worst_second)} | ≤ 50 KB |",
        f"| full build with indexing | {build_s:.1f} s | |",
        f"| making the index (part of the build) | {index_s:.2f} s ({index_s / (build_s - index_s) * 100:.1f} % of the rest of the build) | ≤ 20 % |",
        f"| requests to other hosts | {len(external)} | 0 |",
    ]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    print(report)
    if args.verbose:
        for r in runs:
            print(f"\n{r['first']} ({r['shown']} shown):", ", ".join(f"{u} {kb(s)}" for u, s in r["first_parts"]))
            print(f"{r['second']}:", ", ".join(f"{u} {kb(s)}" for u, s in r["second_parts"]))
    return 0


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
