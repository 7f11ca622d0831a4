"""Search network cost on a large synthetic site: bytes (gzip-counted) moved by the first
search, including the search code, and by a second search; plus the time spent making the
index, against the rest of the build.

Usage: python benchmarks/search_bytes.py [--n 5000] [--out benchmarks/out/search.md]
"""

from __future__ import annotations

import re

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from benchmarks.page_weight import _file_for, transfer_size  # noqa: E402


def _is_search(url: str) -> bool:
    return "/tim-kiem/chi-muc/" in url or "/assets/search/" in url


def _search_bytes(page, base_url: str, site_dir: Path, query: str, seen: set[str]) -> int:
    """Bytes of search requests (search code and index) made while answering ``query``."""
    fresh: list[str] = []
    listener = lambda request: fresh.append(request.url)  # noqa: E731
    page.on("request", listener)
    page.fill("#bulletin-search-page-q", query)
    page.click(".bulletin-search-page button")
    page.locator("[data-search-status]", has_text=re.compile("^(Tìm thấy|Không)")).wait_for()
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", listener)
    total = 0
    for url in fresh:
        if url in seen or not _is_search(url):
            continue
        seen.add(url)
        file = _file_for(site_dir, url)
        total += transfer_size(file) if file else 0
    return total


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    from playwright.sync_api import sync_playwright

    from bulletin.model import load_site
    from bulletin.search import index_files
    from bulletin.synthetic import generate
    from conftest import CHROMIUM, CHROMIUM_ARGS, build_project, serve

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "search.md")
    args = parser.parse_args()
    os.environ.setdefault("BULLETIN_TODAY", "2026-11-24")
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
        start = time.perf_counter()
        site, errors = load_site(root, date.fromisoformat(os.environ["BULLETIN_TODAY"]))
        files, info = index_files(site)
        index_s = time.perf_counter() - start
        load_s = _timed(lambda: load_site(root, date.fromisoformat(os.environ["BULLETIN_TODAY"])))
        index_s -= load_s
        pages = info["docs"]
        index_mb = sum(len(text.encode()) for _, text in files) / 1e6
        with sync_playwright() as playwright, serve(site_dir) as base_url:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            seen: set[str] = set()
            page.on("request", lambda request: None)
            page.goto(f"{base_url}/tim-kiem/", wait_until="networkidle")  # the search code
            loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
            first = sum(transfer_size(f) for u in loaded if _is_search(u) and (f := _file_for(site_dir, u)) and not seen.add(u))
            first += _search_bytes(page, base_url, site_dir, "dang vien", seen)
            second = _search_bytes(page, base_url, site_dir, "ho ngheo", seen)
            browser.close()
    report = "\n".join([
        f"Synthetic site: {args.n:,} stories, {pages:,} indexed pages, index {index_mb:.1f} MB on disk.",
        "",
        "| measure | value | bar |",
        "|---|---|---|",
        f"| first search (search code + index slices + results), gzip | {first / 1024:.1f} KB | ≤ 150 KB |",
        f"| second search, additional, gzip | {second / 1024:.1f} KB | ≤ 50 KB |",
        f"| full build with indexing | {build_s:.1f} s | |",
        f"| making the index (part of the build) | {index_s:.1f} s ({index_s / (build_s - index_s) * 100:.1f}% of the rest of the build) | ≤ 20% |",
    ])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
