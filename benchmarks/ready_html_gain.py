"""What generating record and listing pages as ready HTML (bulletin/ready_html.py) saves: a
script with a report, not a test.

Usage: python benchmarks/ready_html_gain.py [--n 1000] [--out benchmarks/out/ready_html.md]

An N-story synthetic site is built in this process (one process, no page cache), alternately
from the Markdown templates the ready-HTML ones replaced (tests/markdown_templates/, the pages
as they were) and as shipped. For each build: its CPU time, and the CPU time of turning each
generated page's source into its content (MkDocs' read, Markdown or ready HTML with its body's
Markdown, the sanitiser), summed per page type. tests/test_ready_html.py shows that both builds
give every page the same DOM.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.update(BULLETIN_TODAY="2026-11-24", NO_MKDOCS_2_WARNING="1")

from bench import TWINS, make_ours  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from bulletin.prerender import Pipeline  # noqa: E402
from bulletin.render import rendered_from_markdown  # noqa: E402

REPEAT = 3


def _kind(src_uri: str) -> str:
    return src_uri.split("/")[0] if "/" in src_uri else "(top)"


def timed_build(root: Path, site: Path, markdown: bool) -> tuple[float, dict[str, list[float]]]:
    """CPU seconds of the whole build, and per page type [pages, seconds making the content]."""
    per_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    populate = Pipeline.populate

    def timed_populate(pipeline: Pipeline, page) -> None:
        start = time.process_time()
        populate(pipeline, page)
        if page.file.generated_by:
            row = per_kind[_kind(page.file.src_uri)]
            row[0] += 1
            row[1] += time.process_time() - start

    Pipeline.populate = timed_populate  # type: ignore[method-assign]
    try:
        with rendered_from_markdown(TWINS) if markdown else contextlib.nullcontext():
            gc.collect()
            start = time.process_time()
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
            return time.process_time() - start, dict(per_kind)
    finally:
        Pipeline.populate = populate  # type: ignore[method-assign]


def report(runs: dict[bool, list[tuple[float, dict]]], n: int) -> str:
    def best(markdown: bool) -> tuple[float, dict]:
        return min(runs[markdown], key=lambda run: run[0])

    (md_total, md_kinds), (ready_total, ready_kinds) = best(True), best(False)
    lines = [
        f"Synthetic site, {n:,} stories; CPU seconds in one process, no page cache; least of {REPEAT} alternated builds each.",
        "",
        "| page type (URL folder) | pages | content from Markdown templates s | content as ready HTML s | saved s |",
        "|---|---|---|---|---|",
    ]
    for kind, (pages, seconds) in sorted(md_kinds.items(), key=lambda kv: -kv[1][1]):
        ready = ready_kinds.get(kind, [0, 0.0])[1]
        lines.append(f"| {kind} | {int(pages):,} | {seconds:.2f} | {ready:.2f} | {seconds - ready:.2f} |")
    md_sum, ready_sum = sum(r[1] for r in md_kinds.values()), sum(r[1] for r in ready_kinds.values())
    pages = sum(int(r[0]) for r in md_kinds.values())
    lines += [
        f"| all generated pages | {pages:,} | {md_sum:.2f} | {ready_sum:.2f} | {md_sum - ready_sum:.2f} |",
        "",
        f"Whole build: {ready_total:.2f} s CPU as shipped against {md_total:.2f} s from the Markdown templates "
        f"({100 * (md_total - ready_total) / md_total:.0f} % less).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "ready_html.md")
    args = parser.parse_args()
    os.environ.update(BULLETIN_WORKERS="1", BULLETIN_CACHE="0")  # one process: its CPU time is the build's
    runs: dict[bool, list[tuple[float, dict]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="ready-html-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        make_ours(root, args.n)
        os.chdir(root)
        for _ in range(REPEAT):  # alternated: CPU time is noisy on a shared machine
            for markdown in (True, False):
                runs[markdown].append(timed_build(root, Path(tmp) / "site", markdown))
    text = report(runs, args.n)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
