"""What record pages emitted as ready HTML (bulletin/ready_html.py) would save: Markdown time
per page type, and a full build with one page type switched to ready HTML. A script with a
report, not a test.

Usage: python benchmarks/ready_html_gain.py [--n 1000] [--kind ca-nhan] [--out benchmarks/out/ready_html.md]

1. Every generated page of an N-story synthetic site is rendered both ways: MkDocs' own
   `Page.render` (Python-Markdown) and `render_ready_html` on the HTML Markdown made for it (what
   a template writing HTML would emit). Content, table of contents, anchors and title must be
   equal; the CPU time of each way is summed per page type.
2. The prototype: the site is built in this process (one process, no page cache), as shipped and
   with every page of one type (`--kind`, a URL folder) handed to the build as
   ready HTML. The two output trees must be byte-identical; the CPU times are compared.

The templates are not rewritten here (another piece of work owns them): the ready HTML is what
Markdown made, so the figures say what converting the templates would save, not how.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.update(BULLETIN_TODAY="2026-11-24", NO_MKDOCS_2_WARNING="1")

from bench import make_ours  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.structure.files import File, get_files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

import bulletin.build  # noqa: E402
from bulletin.ready_html import MARK, render_ready_html  # noqa: E402
from bulletin.render import GeneratedPage  # noqa: E402

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
REPEAT = 3


def _ready_source(markdown_source: str, html: str) -> str:
    front_matter = _FRONT_MATTER.match(markdown_source)
    return (front_matter.group(0) if front_matter else "") + MARK + "\n" + html


def both_ways(root: Path) -> tuple[dict[str, list[float]], dict[str, str], int]:
    """Per page type: [pages, Markdown s, ready HTML s]; each page's ready source; mismatches."""
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    times: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    ready: dict[str, str] = {}
    mismatches = 0
    for file in list(files.documentation_pages()):
        if not file.generated_by:
            continue
        kind = file.src_uri.split("/")[0] if "/" in file.src_uri else "(top)"
        page = Page(None, file, config)
        page.read_source(config)
        start = time.process_time()
        page.render(config, files)
        markdown_s = time.process_time() - start
        source = _ready_source(file.content_string, page.content)
        twin = Page(None, File.generated(config, "ready/" + file.src_uri, content=source), config)
        twin.read_source(config)
        start = time.process_time()
        render_ready_html(twin, get_toc)
        ready_s = time.process_time() - start
        same = (page.content, str(page.toc), page.present_anchor_ids, page.title) == (
            twin.content,
            str(twin.toc),
            twin.present_anchor_ids,
            twin.title,
        )
        mismatches += not same
        ready[file.src_uri] = source
        row = times[kind]
        row[0] += 1
        row[1] += markdown_s
        row[2] += ready_s
    return times, ready, mismatches


def timed_build(root: Path, site: Path) -> float:
    start = time.process_time()
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    return time.process_time() - start


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def prototype(root: Path, ready: dict[str, str], kind: str, tmp: Path) -> tuple[float, float, int, bool]:
    """CPU seconds of a build as shipped and of one with `kind` pages as ready HTML."""
    shipped = bulletin.build.render_pages

    def with_ready_pages(site, site_url="/"):
        for page in shipped(site, site_url):
            if page.src_uri.startswith(kind + "/") and page.src_uri in ready:
                page = GeneratedPage(page.src_uri, ready[page.src_uri], page.has_body)
            yield page

    as_shipped, with_ready = [], []
    for _ in range(REPEAT):  # alternated, the least of each: CPU time is noisy on a shared machine
        gc.collect()
        as_shipped.append(timed_build(root, tmp / "shipped"))
        bulletin.build.render_pages = with_ready_pages
        try:
            gc.collect()
            with_ready.append(timed_build(root, tmp / "ready"))
        finally:
            bulletin.build.render_pages = shipped
    converted = sum(1 for uri in ready if uri.startswith(kind + "/"))
    return min(as_shipped), min(with_ready), converted, tree(tmp / "shipped") == tree(tmp / "ready")


def report(times: dict[str, list[float]], mismatches: int, proto: tuple, kind: str, n: int) -> str:
    total_markdown = sum(row[1] for row in times.values())
    lines = [
        f"Synthetic site, {n:,} stories; CPU seconds in one process.",
        "",
        "| page type (URL folder) | pages | Markdown s | ready HTML s | saved s |",
        "|---|---|---|---|---|",
    ]
    for name, (pages, markdown_s, ready_s) in sorted(times.items(), key=lambda kv: -kv[1][1]):
        lines.append(f"| {name} | {pages:,} | {markdown_s:.2f} | {ready_s:.3f} | {markdown_s - ready_s:.2f} |")
    ready_total = sum(row[2] for row in times.values())
    lines.append(
        f"| all generated pages | {sum(row[0] for row in times.values()):,} | {total_markdown:.2f} | {ready_total:.3f} | "
        f"{total_markdown - ready_total:.2f} |"
    )
    as_shipped, with_ready, converted, identical = proto
    lines += [
        "",
        f"Pages whose ready-HTML rendering differs from Markdown's (content, toc, anchors, title): {mismatches}.",
        "",
        f"Prototype: `{kind}/` pages ({converted:,}) as ready HTML in a full build: {with_ready:.2f} s CPU against "
        f"{as_shipped:.2f} s as shipped ({100 * (as_shipped - with_ready) / as_shipped:.1f} % less; least of {REPEAT} "
        "alternated builds each); output trees "
        f"{'byte-identical' if identical else 'DIFFERENT'}.",
        f"All generated pages as ready HTML would save about {total_markdown - ready_total:.1f} s CPU of that "
        f"{as_shipped:.1f} s build ({100 * (total_markdown - ready_total) / as_shipped:.0f} %).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--kind", default="ca-nhan", help="URL folder of the page type built as ready HTML")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "ready_html.md")
    args = parser.parse_args()
    os.environ.update(BULLETIN_WORKERS="1", BULLETIN_CACHE="0")  # one process: its CPU time is the build's
    with tempfile.TemporaryDirectory(prefix="ready-html-") as tmp:
        tmp = Path(tmp)
        (tmp / "project").mkdir()
        make_ours(tmp / "project", args.n)
        os.chdir(tmp / "project")
        times, ready, mismatches = both_ways(tmp / "project")
        proto = prototype(tmp / "project", ready, args.kind, tmp)
    text = report(times, mismatches, proto, args.kind, args.n)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
