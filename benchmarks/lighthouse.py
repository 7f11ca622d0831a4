"""Lighthouse (mobile) on the home page, a story and the honour board.

Usage: python benchmarks/lighthouse.py [--runs N] [SITE_DIR]

Lighthouse 12.2.3 from npm (pinned: 13 needs Node 22), installed once into .cache/node, runs
Debian's Chromium with its default mobile settings (a mid-range phone, simulated slow 4G).
The site is built with its address set to where it is served, so canonical and Open Graph
links point at the page itself, and served by a static server that gzips text, as any real
host does. Each page runs N times (default 3); the report gives the median of each score and
exits 1 if a page misses a bar: performance ≥ 95, accessibility 100, best practices ≥ 95,
SEO 100. Writes benchmarks/out/lighthouse.md and each run's JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CHROMIUM, free_port, serve  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
NODE_TOOLS = REPO / ".cache" / "node"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
PAGES = {"trang chủ": "", "câu chuyện": "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach/", "bảng vàng": "bang-vang/"}
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}


def lighthouse_cli() -> Path:
    cli = NODE_TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        npm = ["npm", "install", "--prefix", str(NODE_TOOLS), "--no-audit", "--no-fund", "--ignore-scripts", "-E", LIGHTHOUSE]
        subprocess.run(npm, check=True)
    return cli


def run_lighthouse(url: str, report: Path) -> dict[str, float]:
    """Scores (0–100) of one run, by category."""
    command = [
        "node",
        str(lighthouse_cli()),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def _failed_audits(report: Path) -> list[str]:
    result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    failed = []
    for name in ("accessibility", "best-practices", "seo"):
        for ref in result["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{name}: {audit['id']} ({audit['title']})")
    return failed


def _report(all_runs: dict[str, list[dict[str, float]]], notes: dict[str, list[str]]) -> str:
    runs = len(next(iter(all_runs.values())))
    lines = [
        f"{LIGHTHOUSE.replace('@', ' ').capitalize()}, mobile (default throttling), Debian Chromium; median of {runs} runs per page",
        "(performance of each run in brackets).",
        "",
        "| page | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|",
    ]
    for page, scores in all_runs.items():
        medians = {c: statistics.median(r[c] for r in scores) for c in CATEGORIES}
        each = ", ".join(f"{r['performance']:.0f}" for r in scores)
        cells = [f"{medians['performance']:.0f} ({each})"] + [f"{medians[c]:.0f}" for c in list(CATEGORIES)[1:]]
        lines.append(f"| {page} (/{PAGES[page]}) | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Bars: " + ", ".join(f"{c} ≥ {bar}" for c, bar in CATEGORIES.items()))
    for page, failed in notes.items():
        lines += [f"- {page}: {item}" for item in failed]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args()
    port = free_port()
    if args.site_dir:
        site_dir = args.site_dir
    else:
        from conftest import BUILD_DAY, build_project

        os.environ.update(SITE_URL=f"http://127.0.0.1:{port}/", NO_MKDOCS_2_WARNING="1")
        os.environ.setdefault("BULLETIN_TODAY", BUILD_DAY)
        site_dir = build_project(REPO, Path(tempfile.mkdtemp()) / "site")
    args.out.mkdir(parents=True, exist_ok=True)
    all_runs: dict[str, list[dict[str, float]]] = {}
    notes: dict[str, list[str]] = {}
    with serve(site_dir, port, gzipped=True) as base_url:
        for page, path in PAGES.items():
            runs = []
            for run in range(args.runs):
                report = args.out / f"lighthouse-{path.strip('/').replace('/', '_') or 'home'}-{run + 1}.json"
                runs.append(run_lighthouse(f"{base_url}/{path}", report))
            all_runs[page] = runs
            notes[page] = _failed_audits(report)
    text = _report(all_runs, {p: n for p, n in notes.items() if n})
    (args.out / "lighthouse.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    missed = [
        (p, c) for p, runs in all_runs.items() for c, bar in CATEGORIES.items() if statistics.median(r[c] for r in runs) < bar
    ]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
