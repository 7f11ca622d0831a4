"""Build-time benchmark: our generated site against plain MkDocs + Material building the same
pages written by hand. A script with a report, not a test.

Usage: python benchmarks/bench.py [--sizes 1000 5000] [--repeat 1] [--out benchmarks/out/report.md]
                                  [--no-search-baseline] [--profile]

For each size N the project's synthetic generator (bulletin/synthetic.py) writes N stories and
proportional people, models, commendations, units... into a temporary copy of the project
(mkdocs.yml, build_hooks.py, content/, overrides/).

- ours: `mkdocs build` of that copy, through the hooks.
- baseline: plain MkDocs + Material, no hooks, no theme overrides, no extra CSS/JS, the same
  theme block, Markdown extensions and nav, building the very Markdown pages our hooks generate,
  saved as hand-written files (record pages out of the nav in both, as in the real site).
- baseline + search: the same with Material's default `search` plugin, i.e. what plain MkDocs +
  Material does out of the box (our site ships its own search, so this is the like-for-like
  comparison for a site with search).
- one-record rebuild: `mkdocs build` again after editing one story. MkDocs has no incremental
  build (`--dirty` rebuilds every generated page anyway), so this is a full build.

Every build runs in its own process, under a small wrapper that waits for it and reads
getrusage(RUSAGE_CHILDREN) in the wrapper, whose only child is that build: wall seconds, CPU
seconds and the peak RSS of that one build, unpolluted by earlier runs. Runs are interleaved
(ours, baseline, baseline + search, ours, ...) so that machine noise hits all alike; the table
shows medians. `--profile` adds a cProfile of one "ours" build at the first size.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
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
SITE_URL = "http://127.0.0.1:8000/"
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'seconds': seconds, 'code': code, 'cpu_s': usage.ru_utime + usage.ru_stime,"
    " 'peak_mb': usage.ru_maxrss / 1024}))\n"  # ru_maxrss is in KiB on Linux
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1"}


def _mkdocs(config: Path, site_dir: Path) -> list[str]:
    return ["-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)]


def measure_build(config: Path, site_dir: Path) -> dict:
    """One `mkdocs build` in a fresh process: wall and CPU seconds, peak RSS, pages written."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, *_mkdocs(config, site_dir)]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"measuring {config} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"build failed: {config}\n{done.stderr[-3000:]}")
    result["pages"] = sum(1 for _ in site_dir.rglob("*.html"))
    return result


# --- The two projects ----------------------------------------------------------------------
class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: `!ENV [NAME, default]` -> its value or default."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    names = loader.construct_sequence(node)
    return next((os.environ[n] for n in names[:-1] if n in os.environ), names[-1] if len(names) > 1 else None)


_ConfigLoader.add_constructor("!ENV", _env_tag)


def make_ours(root: Path, n: int) -> tuple[Path, dict[str, int]]:
    for name in ("mkdocs.yml", "build_hooks.py", "checks.yml"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, root / name)
    for folder in ("content", "overrides"):
        if (REPO / folder).is_dir():
            # Not the shipped sample photos: no synthetic record shows them (they would be
            # published as hand-written pages' photos and re-encoded in every cold build).
            shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("sample"))
    counts = generate(root, n)
    return root / "mkdocs.yml", counts


def make_baseline(ours: Path, root: Path, search: bool) -> Path:
    """Plain MkDocs + Material over the same pages, written out as Markdown files."""
    docs = root / "docs"
    if not docs.exists():
        site, errors = load_site(ours, date.fromisoformat(BUILD_DAY))
        if errors:
            raise RuntimeError("synthetic data has errors:\n" + "\n".join(map(str, errors[:10])))
        for page in render_pages(site, SITE_URL):
            target = docs / page.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
        (docs / "huong-dan").mkdir(parents=True, exist_ok=True)
        (docs / "huong-dan" / "du-lieu.md").write_text(render_reference(), encoding="utf-8")
        (docs / "tim-kiem.md").write_text("# Tìm kiếm\n", encoding="utf-8")
        shutil.copytree(ours / "content", docs, dirs_exist_ok=True)
    config = yaml.load((ours / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    for key in ("hooks", "watch", "extra_css", "extra_javascript", "plugins"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)  # our overrides are not plain Material
    config.update(site_url=SITE_URL, docs_dir="docs", plugins=["search"] if search else [])
    path = root / ("mkdocs-search.yml" if search else "mkdocs.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def measure_check(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bulletin", "check", str(root)], env=_env(), capture_output=True, check=True)
    return time.perf_counter() - start


def edit_one_story(root: Path) -> Path:
    story = sorted((root / "data" / "stories").iterdir())[0]
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\ntitle: ", "\ntitle: (sửa) ", 1) + "\nMột câu thêm sau khi sửa.\n", encoding="utf-8")
    return story


# --- Running -------------------------------------------------------------------------------
def run(sizes: list[int], repeat: int, with_search: bool, profile: bool) -> list[dict]:
    rows = []
    for index, n in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            tmp = Path(tmp)
            for name in ("ours", "base"):
                (tmp / name).mkdir()
            print(f"N={n}: generating...", file=sys.stderr, flush=True)
            ours_config, counts = make_ours(tmp / "ours", n)
            kinds = {"ours": ours_config, "base": make_baseline(tmp / "ours", tmp / "base", search=False)}
            if with_search:
                kinds["search"] = make_baseline(tmp / "ours", tmp / "base", search=True)
            runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
            for attempt in range(repeat):  # interleaved, so machine noise hits all alike
                for kind, config in kinds.items():
                    runs[kind].append(measure_build(config, tmp / f"site-{kind}"))
                    print(f"N={n} run {attempt + 1} {kind}: {runs[kind][-1]}", file=sys.stderr, flush=True)
            edit_one_story(tmp / "ours")
            rebuild = measure_build(ours_config, tmp / "site-ours")
            row = {
                "n": n,
                "records": sum(counts.values()),
                "counts": counts,
                "rebuild_s": rebuild["seconds"],
                "check_s": measure_check(tmp / "ours"),
            }
            for kind, results in runs.items():
                row[f"{kind}_s"] = statistics.median(r["seconds"] for r in results)
                row[f"{kind}_cpu"] = statistics.median(r["cpu_s"] for r in results)
                row[f"{kind}_mb"] = statistics.median(r["peak_mb"] for r in results)
                row[f"{kind}_pages"] = results[0]["pages"]
            if profile and index == 0:
                row["profile"] = profile_report(
                    {
                        kind: profile_build(config, tmp / f"site-profile-{kind}", tmp / f"{kind}.prof")
                        for kind, config in kinds.items()
                    }
                )
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "profile"}, ensure_ascii=False), file=sys.stderr, flush=True)
    return rows


# --- Profile -------------------------------------------------------------------------------
PHASES = [  # (label, file suffix, function): cumulative time of the build's stages
    ("whole build (`mkdocs.commands.build.build`)", "mkdocs/commands/build.py", "build"),
    ("load + check the data (our `on_pre_build`)", "bulletin/build.py", "on_pre_build"),
    ("generate pages, search index, exports, photos (our `on_files`)", "bulletin/build.py", "on_files"),
    ("… record and listing pages (`render_pages`)", "bulletin/render.py", "render_pages"),
    ("… search index (`index_files`)", "bulletin/search.py", "index_files"),
    ("… open-data exports (`export_files`)", "bulletin/export.py", "export_files"),
    ("… photo variants (`photo_variants`)", "bulletin/images.py", "photo_variants"),
    ("… editors' form files (`admin_files`)", "bulletin/cms.py", "admin_files"),
    ("Markdown → HTML of every page (`Page.render`)", "mkdocs/structure/pages.py", "render"),
    ("… heading ids (toc `slugify`)", "bulletin/vietnamese.py", "heading_id"),
    ("sanitising editor bodies (our `on_page_content`)", "bulletin/build.py", "on_page_content"),
    ("theme template per page + write (`_build_page`)", "mkdocs/commands/build.py", "_build_page"),
    ("… CSP meta tag (our `on_post_page`)", "bulletin/build.py", "on_post_page"),
    ("Material search: per page (`on_page_context`)", "material/plugins/search/plugin.py", "on_page_context"),
    ("Material search: write the index (`on_post_build`)", "material/plugins/search/plugin.py", "on_post_build"),
    ("navigation (`get_navigation`)", "mkdocs/structure/nav.py", "get_navigation"),
    ("copy static files (`copy_static_files`)", "mkdocs/structure/files.py", "copy_static_files"),
]
AREAS = [  # (label, path fragment), first match wins
    ("bulletin (ours)", f"{os.sep}bulletin{os.sep}"),
    ("Material theme", f"{os.sep}material{os.sep}"),
    ("MkDocs", f"{os.sep}mkdocs{os.sep}"),
    ("Python-Markdown + pymdownx", f"{os.sep}markdown{os.sep}"),
    ("Python-Markdown + pymdownx", f"{os.sep}pymdownx{os.sep}"),
    ("Jinja2 / MarkupSafe", f"{os.sep}jinja2{os.sep}"),
    ("Jinja2 / MarkupSafe", f"{os.sep}markupsafe{os.sep}"),
    ("pydantic", f"{os.sep}pydantic"),
    ("YAML", f"{os.sep}yaml{os.sep}"),
    ("Babel", f"{os.sep}babel{os.sep}"),
]


def _area(filename: str) -> str:
    if filename.startswith("<template>") or filename.endswith(".html"):
        return "Jinja2 templates (compiled)"
    for label, fragment in AREAS:
        if fragment in filename:
            return label
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins called from the top level"
    return "other (stdlib, ...)"


def _by_area(stats: pstats.Stats) -> dict[str, float]:
    """Self time per package; a C function's time goes to the packages calling it."""
    areas: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, callers) in stats.stats.items():
        if filename == "~" and callers:
            for (caller_file, _, _), caller_stats in callers.items():
                areas[_area(caller_file)] = areas.get(_area(caller_file), 0.0) + caller_stats[2]
        else:
            areas[_area(filename)] = areas.get(_area(filename), 0.0) + tottime
    return areas


def _stage(stats: pstats.Stats, suffix: str, function: str) -> float | None:
    found = [
        entry[3]
        for (filename, _, name), entry in stats.stats.items()
        if name == function and filename.replace(os.sep, "/").endswith(suffix)
    ]
    return sum(found) if found else None


def _name(key) -> str:
    filename, line, function = key
    short = filename.split("site-packages" + os.sep)[-1].replace(str(REPO) + os.sep, "")
    return f"`{short}:{line} {function}`" if line else f"`{function}`"


# cProfile with a CPU-time clock: other processes on a shared machine do not inflate the figures
# (`python -m cProfile` measures wall time).
_PROFILE = (
    "import cProfile, runpy, sys, time\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv = ['mkdocs', *sys.argv[3:]]\n"
    "profiler = cProfile.Profile(time.process_time)\n"
    "try:\n"
    "    profiler.runcall(runpy.run_module, 'mkdocs', run_name='__main__')\n"
    "except SystemExit as exit:\n"
    "    if exit.code:\n"
    "        raise\n"
    "profiler.dump_stats(out)\n"
)


def profile_build(config: Path, site_dir: Path, out: Path) -> pstats.Stats:
    command = [sys.executable, "-c", _PROFILE, str(out), *_mkdocs(config, site_dir)]
    subprocess.run(command, env=_env(), check=True, stdout=subprocess.DEVNULL)
    return pstats.Stats(str(out))


def profile_report(profiles: dict[str, pstats.Stats]) -> str:
    """Stages and packages side by side for each profiled build, then our hot spots."""
    kinds = list(profiles)
    lines = [
        "CPU seconds under cProfile (several times the unprofiled figures: compare columns, not with the tables above).",
        "",
        "| stage (cumulative s) | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for label, suffix, function in PHASES:
        values = [_stage(profiles[k], suffix, function) for k in kinds]
        if any(v is not None for v in values):
            lines.append(f"| {label} | " + " | ".join("–" if v is None else f"{v:.2f}" for v in values) + " |")
    areas = {k: _by_area(stats) for k, stats in profiles.items()}
    labels = sorted({a for found in areas.values() for a in found}, key=lambda a: -areas[kinds[0]].get(a, 0.0))
    lines += [
        "",
        "| package (self time s; C functions counted in their caller's package) | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(f"{areas[k].get(label, 0.0):.2f}" for k in kinds) + " |")
    stats = profiles[kinds[0]]
    ours = [(key, entry) for key, entry in stats.stats.items() if f"{os.sep}bulletin{os.sep}" in key[0]]
    lines += [
        "",
        f"Our functions in the {kinds[0]} build by cumulative time (with what they call):",
        "",
        "| function | calls | cumulative s | self s |",
        "|---|---|---|---|",
    ]
    for key, (_, calls, tottime, cumtime, _) in sorted(ours, key=lambda kv: -kv[1][3])[:16]:
        lines.append(f"| {_name(key)} | {calls:,} | {cumtime:.2f} | {tottime:.2f} |")
    lines += [
        "",
        f"Hottest functions anywhere in the {kinds[0]} build by self time:",
        "",
        "| function | calls | self s |",
        "|---|---|---|",
    ]
    for key, (_, calls, tottime, _, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]:
        lines.append(f"| {_name(key)} | {calls:,} | {tottime:.2f} |")
    return "\n".join(lines)


# --- Report --------------------------------------------------------------------------------
KIND_LABELS = {"ours": "ours (hooks)", "base": "baseline: plain MkDocs + Material", "search": "baseline + Material search plugin"}


def report(rows: list[dict]) -> str:
    kinds = [k for k in KIND_LABELS if f"{k}_s" in rows[0]]
    lines = [
        "| stories N | records | pages written (ours / baseline) | ours s | baseline s | ratio | ours MB | "
        "baseline MB | one-record rebuild s | `check` s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['records']:,} | {r['ours_pages']:,} / {r['base_pages']:,} | {r['ours_s']:.1f} | "
            f"{r['base_s']:.1f} | {r['ours_s'] / r['base_s']:.2f} | {r['ours_mb']:.0f} | {r['base_mb']:.0f} | "
            f"{r['rebuild_s']:.1f} | {r['check_s']:.1f} |"
        )
    lines += [
        "",
        "Every build, medians; CPU is user + system time of the build process, steadier than wall time "
        "when the machine is shared:",
        "",
        "| stories N | build | wall s | CPU s | peak MB | ours ÷ this, wall | ours ÷ this, CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        for k in kinds:
            lines.append(
                f"| {r['n']:,} | {KIND_LABELS[k]} | {r[f'{k}_s']:.1f} | {r[f'{k}_cpu']:.1f} | {r[f'{k}_mb']:.0f} | "
                f"{r['ours_s'] / r[f'{k}_s']:.2f} | {r['ours_cpu'] / r[f'{k}_cpu']:.2f} |"
            )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        size = last["n"] / first["n"]
        growth = [
            f"{KIND_LABELS[k]} ×{last[f'{k}_s'] / first[f'{k}_s']:.2f} wall, ×{last[f'{k}_cpu'] / first[f'{k}_cpu']:.2f} CPU, "
            f"×{last[f'{k}_mb'] / first[f'{k}_mb']:.2f} memory"
            for k in kinds
        ]
        lines += [
            "",
            f"Growth {first['n']:,} → {last['n']:,} stories (×{size:g}; linear is ×{size:g}): " + "; ".join(growth) + ".",
        ]
    lines += [
        "",
        "MkDocs has no incremental build: the one-record rebuild is a full build. The editor's fast "
        "feedback is `python -m bulletin check` (last column of the first table).",
    ]
    for r in rows:
        if "profile" in r:
            lines += ["", f"### Profile of one build of each kind at N={r['n']:,}", "", r["profile"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind per size; the table shows medians")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "report.md")
    parser.add_argument("--no-search-baseline", action="store_true", help="skip the baseline with Material's search")
    parser.add_argument("--profile", action="store_true", help="also cProfile one build at the first size")
    args = parser.parse_args()
    text = report(run(args.sizes, args.repeat, not args.no_search_baseline, args.profile))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
