"""Build-time benchmark: our generated site against plain MkDocs + Material building the same
pages written by hand.

Usage: python benchmarks/bench.py [--sizes 1000 5000] [--repeat 1] [--out benchmarks/out/report.md]

For each size N, the project's synthetic generator writes N stories (and proportional people,
models, commendations, units...). "Ours" builds them through the hooks. "Baseline" is plain
MkDocs + Material, same theme settings, no hooks, building the very Markdown pages our hooks
generate, saved as hand-written files (record pages out of the nav in both). Runs are
interleaved and each build runs in its own process, whose peak RSS is read with getrusage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bulletin.model import load_site  # noqa: E402
from bulletin.reference import render_reference  # noqa: E402
from bulletin.render import render_pages  # noqa: E402
from bulletin.synthetic import generate  # noqa: E402

BUILD_DAY = "2026-11-24"
_MEASURE = (
    "import resource, subprocess, sys, time, json; start = time.perf_counter();"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode;"
    "print(json.dumps({'seconds': time.perf_counter() - start, 'code': code,"
    " 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1"}


def measure_build(config: Path, site_dir: Path) -> dict:
    """One `mkdocs build` in a fresh process; wall seconds and that process's peak RSS."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)]
    result = json.loads(subprocess.run(command, env=_env(), capture_output=True, text=True, check=True).stdout)
    if result["code"] != 0:
        raise RuntimeError(f"build failed: {config}")
    result["pages"] = sum(1 for _ in site_dir.rglob("index.html"))
    return result


def make_ours(root: Path, n: int) -> Path:
    for name in ("mkdocs.yml", "build_hooks.py"):
        shutil.copy(REPO / name, root / name)
    for folder in ("content", "overrides"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    generate(root, n)
    return root / "mkdocs.yml"


def make_baseline(ours: Path, root: Path) -> Path:
    """Plain MkDocs + Material over the same pages, written out as Markdown files."""
    os.environ["BULLETIN_TODAY"] = BUILD_DAY
    site, errors = load_site(ours, date.fromisoformat(BUILD_DAY))
    assert not errors, errors[:3]
    docs = root / "docs"
    for page in [*render_pages(site, "http://127.0.0.1:8000/")]:
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    (docs / "huong-dan").mkdir(exist_ok=True)
    (docs / "huong-dan" / "du-lieu.md").write_text(render_reference(), encoding="utf-8")
    shutil.copytree(ours / "content", docs, dirs_exist_ok=True)
    config = yaml.safe_load((ours / "mkdocs.yml").read_text().replace("!ENV", "").replace('[SITE_URL, "http://127.0.0.1:8000/"]', '"http://127.0.0.1:8000/"'))
    config = {key: value for key, value in config.items() if key not in ("hooks", "watch")}
    config["docs_dir"] = "docs"
    config["theme"].pop("custom_dir", None)
    config.pop("extra_css", None)
    config.pop("extra_javascript", None)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def measure_check(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bulletin", "check", str(root)], env=_env(), stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run(sizes: list[int], repeat: int) -> list[dict]:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "ours").mkdir()
            (tmp / "base").mkdir()
            ours_config = make_ours(tmp / "ours", n)
            base_config = make_baseline(tmp / "ours", tmp / "base")
            ours, base = [], []
            for _ in range(repeat):  # interleaved, so machine noise hits both alike
                ours.append(measure_build(ours_config, tmp / "ours" / "site"))
                base.append(measure_build(base_config, tmp / "base" / "site"))
            story = next((tmp / "ours" / "data" / "stories").iterdir())
            story.write_text(story.read_text().replace("title:", "title: (sửa)", 1), encoding="utf-8")
            rebuild = measure_build(ours_config, tmp / "ours" / "site")
            rows.append({
                "n": n,
                "ours_s": statistics.median(r["seconds"] for r in ours),
                "base_s": statistics.median(r["seconds"] for r in base),
                "ours_mb": max(r["peak_mb"] for r in ours),
                "base_mb": max(r["peak_mb"] for r in base),
                "pages": ours[0]["pages"],
                "base_pages": base[0]["pages"],
                "rebuild_s": rebuild["seconds"],
                "check_s": measure_check(tmp / "ours"),
            })
            print(rows[-1], flush=True)
    return rows


def report(rows: list[dict]) -> str:
    lines = [
        "| records (stories) | pages | ours s | baseline s | ratio | ours MB | baseline MB | one-record rebuild s | `check` s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['pages']:,} (baseline {r['base_pages']:,}) | {r['ours_s']:.1f} | {r['base_s']:.1f} | "
            f"{r['ours_s'] / r['base_s']:.2f} | {r['ours_mb']:.0f} | {r['base_mb']:.0f} | {r['rebuild_s']:.1f} | {r['check_s']:.1f} |"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        size = last["n"] / first["n"]
        lines.append(
            f"\nGrowth {first['n']:,} → {last['n']:,} records (×{size:g}): ours ×{last['ours_s'] / first['ours_s']:.2f}, "
            f"baseline ×{last['base_s'] / first['base_s']:.2f} (linear would be ×{size:g})."
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "report.md")
    args = parser.parse_args()
    text = report(run(args.sizes, args.repeat))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
