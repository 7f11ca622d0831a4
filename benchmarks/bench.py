"""Build-time benchmark: this project against Hugo and plain MkDocs + Material on the very
pages it generates, and against its own targets. A script with a report, not a test.

Usage: python benchmarks/bench.py [--sizes 1000 5000] [--huge] [--repeat 1] [--serve-max 1000]
                                  [--out benchmarks/out/report.md] [--profile]

For each size N the project's synthetic generator (bulletin/synthetic.py) writes N stories and
proportional people, models, commendations, units... into a temporary copy of the project
(mkdocs.yml, build_hooks.py, content/, overrides/). The builds, side by side in one run:

- hugo: Debian's `hugo` (installed with apt-get if missing) over the Markdown our hooks generate
  (record and listing pages from the Markdown templates, as a plain site would write them),
  written out as files (`index.md` renamed `_index.md`, Hugo's name for a section page), with a
  minimal layout this script writes: the page title, a menu of the nav's entries, the content.
- base: plain MkDocs + Material, no hooks, no overrides, no extra CSS/JS, the same theme block,
  Markdown extensions and nav, over the same Markdown files.
- before: ours with `BULLETIN_WORKERS=0`: MkDocs renders every page in its own loop, one
  process, no page cache (the project before the page cache and the workers).
- cold: ours as shipped, with `.cache/` emptied first: every page rendered, on all cores.
- markdown: cold, but record and listing pages from the Markdown templates the ready-HTML ones
  replaced (tests/markdown_templates/): the project before ready HTML, in the same run.
- rebuild: ours after editing one story, `.cache/` kept from the previous build (what CI does
  with a kept cache, and what a second `make site` does).
- cold and rebuild without the memos (`BULLETIN_MEMO=0`): the same builds with the page cache
  only, as before the data layer was made incremental (records parsed, pages' text generated,
  search weights and output checks all made again on every build).
- serve save (N <= --serve-max): `mkdocs serve` on the project; one story saved; seconds until
  the server answers with the new text (MkDocs holds requests while it rebuilds); with and
  without the memos.

Every build runs in its own process, under a small wrapper that waits for it and reads
getrusage(RUSAGE_CHILDREN): wall seconds, CPU seconds (worker processes included) and the peak
RSS of the largest single process. Runs are interleaved (hugo, base, before, cold, rebuild,
hugo, ...) so that machine noise hits all alike; the tables show medians, and the machine's
load average is recorded. `--profile` adds a cProfile of the builds at the first size.
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
import urllib.request
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import BUILD_DAY, free_port  # noqa: E402

from bulletin.markdown_export import read_config  # noqa: E402
from bulletin.model import load_site  # noqa: E402
from bulletin.reference import render_reference  # noqa: E402
from bulletin.render import render_pages, rendered_from_markdown  # noqa: E402
from bulletin.synthetic import generate  # noqa: E402

TWINS = REPO / "tests" / "markdown_templates"  # the Markdown templates ready HTML replaced
SITE_URL = "http://127.0.0.1:8000/"
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'seconds': seconds, 'code': code, 'cpu_s': usage.ru_utime + usage.ru_stime,"
    " 'peak_mb': usage.ru_maxrss / 1024}))\n"  # ru_maxrss is in KiB on Linux
)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "BULLETIN_TODAY": BUILD_DAY, "NO_MKDOCS_2_WARNING": "1", **extra}


def _mkdocs(config: Path, site_dir: Path) -> list[str]:
    return ["-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)]


def measure(command: list[str], env: dict[str, str], site_dir: Path) -> dict:
    """One build in a fresh process: wall and CPU seconds, peak RSS, HTML pages written."""
    shutil.rmtree(site_dir, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"measuring {command} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        rerun = subprocess.run(command, env=env, capture_output=True, text=True)
        raise RuntimeError(f"build failed: {command}\n{rerun.stderr[-3000:]}")
    result["pages"] = sum(1 for _ in site_dir.rglob("*.html"))
    return result


# --- The projects --------------------------------------------------------------------------
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


def write_generated_markdown(ours: Path, docs: Path) -> None:
    """The pages our hooks generate, as Markdown files, plus content/. As Markdown: record and
    listing pages from the Markdown templates their ready-HTML ones replaced (what a plain
    MkDocs site would hold; tests/test_ready_html.py shows both give the same pages)."""
    site, errors = load_site(ours, date.fromisoformat(BUILD_DAY))
    if errors:
        raise RuntimeError("synthetic data has errors:\n" + "\n".join(map(str, errors[:10])))
    with rendered_from_markdown(TWINS):
        pages = list(render_pages(site, SITE_URL))
    for page in pages:
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    (docs / "huong-dan").mkdir(parents=True, exist_ok=True)
    (docs / "huong-dan" / "du-lieu.md").write_text(render_reference(), encoding="utf-8")
    (docs / "tim-kiem.md").write_text("# Tìm kiếm\n", encoding="utf-8")
    shutil.copytree(ours / "content", docs, dirs_exist_ok=True)


def make_baseline(ours: Path, root: Path) -> Path:
    """Plain MkDocs + Material over the same pages, written out as Markdown files."""
    docs = root / "docs"
    if not docs.exists():
        write_generated_markdown(ours, docs)
    config = read_config(ours / "mkdocs.yml")
    for key in ("hooks", "watch", "extra_css", "extra_javascript", "plugins"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)  # our overrides are not plain Material
    config.update(site_url=SITE_URL, docs_dir="docs", plugins=[])
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_HUGO_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ .Site.Title }}</title><meta name="description" content="{{ .Description }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Menus.main }}<a href="{{ .URL | relURL }}">{{ .Name }}</a> {{ end }}</nav></header>
<main>{{ .Content }}</main></body></html>
"""


def hugo_binary() -> str | None:
    """Debian's hugo; installed with apt-get when missing (None if apt cannot give it)."""
    if not shutil.which("hugo"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "hugo"]):
            subprocess.run(sudo + step, env=env, capture_output=True)
    return shutil.which("hugo")


def make_hugo(ours: Path, base: Path, root: Path) -> Path:
    """A minimal Hugo site over the same Markdown files as the baseline."""
    content = root / "content"
    for source in (base / "docs").rglob("*"):
        if source.is_file():
            name = "_index.md" if source.name == "index.md" else source.name
            target = content / source.parent.relative_to(base / "docs") / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    for kind in ("single", "list"):
        layout = root / "layouts" / "_default" / f"{kind}.html"
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(_HUGO_PAGE, encoding="utf-8")
    (root / "layouts" / "index.html").write_text(_HUGO_PAGE, encoding="utf-8")
    config = read_config(ours / "mkdocs.yml")
    menu = [
        {"name": name, "url": "/" + target.removesuffix("index.md").removesuffix(".md").strip("/") + "/", "weight": weight}
        for weight, entry in enumerate(config["nav"])
        for name, target in entry.items()
    ]
    settings = {
        "baseURL": SITE_URL,
        "title": config["site_name"],
        "languageCode": "vi",
        "disableKinds": ["taxonomy", "term"],
        "markup": {"goldmark": {"renderer": {"unsafe": True}, "parser": {"attribute": {"block": True}}}},
        "menu": {"main": menu},
    }
    (root / "config.json").write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return root


# Our cold build with record and listing pages from the Markdown templates the ready-HTML ones
# replaced (bulletin/ready_html.py): the project as it was before, measured in the same run.
_FROM_MARKDOWN_TEMPLATES = (
    "import pathlib, sys\n"
    "from bulletin.render import rendered_from_markdown\n"
    "from mkdocs.__main__ import cli\n"
    "with rendered_from_markdown(pathlib.Path(sys.argv.pop(1))):\n"
    "    cli()\n"
)


def measure_check(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bulletin", "check", str(root)], env=_env(), capture_output=True, check=True)
    return time.perf_counter() - start


def edit_one_story(root: Path, number: int = 0) -> tuple[Path, str]:
    """A visible edit of one story: its title gains a marker; returns the file and the marker."""
    story = sorted((root / "data" / "stories").iterdir())[number]
    marker = f"Sửa lần {time.time_ns()}"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\ntitle: ", f"\ntitle: {marker} ", 1), encoding="utf-8")
    return story, marker


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def measure_serve(root: Path, saves: int = 3, env: dict[str, str] | None = None) -> list[float]:
    """Seconds from saving one story to `mkdocs serve` answering with the new text."""
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env or _env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = []
    try:
        deadline = time.monotonic() + 600
        while _get(f"http://127.0.0.1:{port}/") is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("mkdocs serve did not start")
            time.sleep(0.2)
        for number in range(saves):
            time.sleep(1.0)  # the watcher settles after the previous build
            story, marker = edit_one_story(root, number + 1)
            url = f"http://127.0.0.1:{port}/cau-chuyen/{story.stem}/"
            start = time.perf_counter()
            while marker not in (_get(url) or ""):
                if time.perf_counter() - start > 120:
                    raise RuntimeError("the saved story never showed up")
                time.sleep(0.02)
            seconds.append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return seconds


# --- Running -------------------------------------------------------------------------------
def _kinds(
    tmp: Path, ours_config: Path, base_config: Path, hugo: str | None, markdown_templates: bool
) -> dict[str, tuple[list[str], dict, Path]]:
    """Each build: its command, environment and output folder."""
    kinds = {}
    if hugo:
        kinds["hugo"] = ([hugo, "--quiet", "-s", str(tmp / "hugo"), "-d", str(tmp / "site-hugo")], _env(), tmp / "site-hugo")
    kinds["base"] = ([sys.executable, *_mkdocs(base_config, tmp / "site-base")], _env(), tmp / "site-base")
    before = [sys.executable, *_mkdocs(ours_config, tmp / "site-before")]
    kinds["before"] = (before, _env(BULLETIN_WORKERS="0"), tmp / "site-before")
    ours = [sys.executable, *_mkdocs(ours_config, tmp / "site-ours")]
    kinds["cold-nomemo"] = (ours, _env(BULLETIN_MEMO="0"), tmp / "site-ours")
    kinds["rebuild-nomemo"] = (ours, _env(BULLETIN_MEMO="0"), tmp / "site-ours")
    kinds["cold"] = (ours, _env(), tmp / "site-ours")
    if markdown_templates:
        command = [sys.executable, "-c", _FROM_MARKDOWN_TEMPLATES, str(TWINS), *_mkdocs(ours_config, tmp / "site-md")[2:]]
        kinds["markdown"] = (command, _env(BULLETIN_CACHE="0"), tmp / "site-md")  # cold, and the cache left as it was
    kinds["rebuild"] = (ours, _env(), tmp / "site-ours")
    return kinds


def run(sizes: list[int], repeat: int, serve_max: int, profile: bool, markdown_templates: bool) -> list[dict]:
    rows = []
    hugo = hugo_binary()
    for index, n in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            tmp = Path(tmp)
            for name in ("ours", "base", "hugo"):
                (tmp / name).mkdir()
            print(f"N={n}: generating...", file=sys.stderr, flush=True)
            ours_config, counts = make_ours(tmp / "ours", n)
            base_config = make_baseline(tmp / "ours", tmp / "base")
            if hugo:
                make_hugo(tmp / "ours", tmp / "base", tmp / "hugo")
            kinds = _kinds(tmp, ours_config, base_config, hugo, markdown_templates)
            runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
            load = [os.getloadavg()[0]]
            for attempt in range(repeat):  # interleaved, so machine noise hits all alike
                for kind, (command, env, site_dir) in kinds.items():
                    if kind.startswith("cold"):
                        shutil.rmtree(tmp / "ours" / ".cache", ignore_errors=True)
                    if kind == "markdown":  # cold too: it draws the share images again, as "cold" did
                        shutil.rmtree(tmp / "ours" / ".cache" / "share", ignore_errors=True)
                    if kind.startswith("rebuild"):
                        edit_one_story(tmp / "ours")
                    runs[kind].append(measure(command, env, site_dir))
                    load.append(os.getloadavg()[0])
                    print(f"N={n} run {attempt + 1} {kind}: {runs[kind][-1]}", file=sys.stderr, flush=True)
            row = {"n": n, "records": sum(counts.values()), "counts": counts, "check_s": measure_check(tmp / "ours")}
            for kind, results in runs.items():
                for measure_name in ("seconds", "cpu_s", "peak_mb"):
                    row[f"{kind}_{measure_name}"] = statistics.median(r[measure_name] for r in results)
                row[f"{kind}_pages"] = results[0]["pages"]
            if n <= serve_max:
                row["serve_nomemo_s"] = statistics.median(measure_serve(tmp / "ours", env=_env(BULLETIN_MEMO="0")))
                row["serve_s"] = statistics.median(measure_serve(tmp / "ours"))
            row["load"] = (min(load), statistics.median(load), max(load))
            if profile and index == 0:
                row["profile"] = profile_report(
                    {
                        "before": profile_build(ours_config, tmp / "p-before", tmp / "before.prof", BULLETIN_WORKERS="0"),
                        "after, one process": profile_build(
                            ours_config, tmp / "p-after", tmp / "after.prof", BULLETIN_WORKERS="1", BULLETIN_CACHE="0"
                        ),
                        "rebuild, page cache only": _profile_rebuild(tmp, ours_config, BULLETIN_MEMO="0"),
                        "after, rebuild": _profile_rebuild(tmp, ours_config),
                        "base": profile_build(base_config, tmp / "p-base", tmp / "base.prof"),
                    }
                )
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "profile"}, ensure_ascii=False), file=sys.stderr, flush=True)
    return rows


def _profile_rebuild(tmp: Path, config: Path, **env: str) -> pstats.Stats:
    """The main process of a one-record rebuild with a warm cache."""
    edit_one_story(tmp / "ours")
    name = "rebuild-" + "-".join(env.values())
    return profile_build(config, tmp / f"p-{name}", tmp / f"{name}.prof", **env)


# --- Profile -------------------------------------------------------------------------------
PHASES = [  # (label, file suffix, function): cumulative time of the build's stages
    ("whole build (`mkdocs.commands.build.build`)", "mkdocs/commands/build.py", "build"),
    ("load + check the data (our `on_pre_build`)", "bulletin/build.py", "on_pre_build"),
    ("generate pages, search index, exports, photos (our `on_files`)", "bulletin/build.py", "on_files"),
    ("… record and listing pages, memo session included (`_generated_pages`)", "bulletin/build.py", "_generated_pages"),
    ("… record and listing pages (`render_pages`)", "bulletin/render.py", "render_pages"),
    ("… search index (`index_files`)", "bulletin/search.py", "index_files"),
    ("… open-data exports (`export_files`)", "bulletin/export.py", "export_files"),
    ("… photo variants (`photo_variants`)", "bulletin/images.py", "photo_variants"),
    ("… editors' form files (`admin_files`)", "bulletin/cms.py", "admin_files"),
    ("pages rendered ahead of MkDocs' loop, cache included (our `on_nav`)", "bulletin/build.py", "on_nav"),
    ("… page cache: load and check entries (`PageCache.load`)", "bulletin/cache.py", "load"),
    ("… pages rendered, this process or workers (`map_forked`)", "bulletin/parallel.py", "map_forked"),
    ("Markdown → HTML of every page (`Page.render`)", "mkdocs/structure/pages.py", "render"),
    ("… heading ids (toc `slugify`)", "bulletin/vietnamese.py", "heading_id"),
    ("sanitising editor bodies (our `on_page_content`)", "bulletin/build.py", "on_page_content"),
    ("theme template per page + write (`_build_page`)", "mkdocs/commands/build.py", "_build_page"),
    ("… CSP meta tag (our `on_post_page`)", "bulletin/build.py", "on_post_page"),
    ("Material search: per page (`on_page_context`)", "material/plugins/search/plugin.py", "on_page_context"),
    ("Material search: write the index (`on_post_build`)", "material/plugins/search/plugin.py", "on_post_build"),
    ("output checks, memos written (our `on_post_build`)", "bulletin/build.py", "on_post_build"),
    ("… the checks (`check_output`)", "bulletin/checks.py", "check_output"),
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


def profile_build(config: Path, site_dir: Path, out: Path, **env: str) -> pstats.Stats:
    command = [sys.executable, "-c", _PROFILE, str(out), *_mkdocs(config, site_dir)]
    subprocess.run(command, env=_env(**env), check=True, stdout=subprocess.DEVNULL)
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
KIND_LABELS = {
    "hugo": "Hugo (minimal layout), same Markdown",
    "base": "plain MkDocs + Material, same Markdown",
    "before": "ours, MkDocs' own page loop (before)",
    "cold": "ours, cold (empty cache, all cores)",
    "markdown": "ours, cold, pages from the Markdown templates (before ready HTML)",
    "cold-nomemo": "ours, cold, without the data-layer memos (before)",
    "rebuild-nomemo": "ours, one story edited, page cache only (before)",
    "rebuild": "ours, one story edited (cache and memos kept)",
}


def _ratio(kind: str, other: str, measure: str = "seconds"):
    def value(row: dict) -> float | None:
        if f"{kind}_{measure}" not in row or f"{other}_{measure}" not in row:
            return None
        return row[f"{kind}_{measure}"] / row[f"{other}_{measure}"]

    return value


TARGETS = [  # (name, bar, wall or single measure, CPU measure or None)
    ("full cold build ÷ Hugo", 2.0, _ratio("cold", "hugo"), _ratio("cold", "hugo", "cpu_s")),
    ("full cold build ÷ plain MkDocs + Material (first bar)", 0.7, _ratio("cold", "base"), _ratio("cold", "base", "cpu_s")),
    (
        "one-record rebuild ÷ full cold build, before (page cache only)",
        0.05,
        _ratio("rebuild-nomemo", "cold-nomemo"),
        _ratio("rebuild-nomemo", "cold-nomemo", "cpu_s"),
    ),
    ("one-record rebuild ÷ full cold build", 0.05, _ratio("rebuild", "cold"), _ratio("rebuild", "cold", "cpu_s")),
    ("save under `mkdocs serve` visible (s), before (page cache only)", 1.0, lambda r: r.get("serve_nomemo_s"), None),
    ("save under `mkdocs serve` visible (s)", 1.0, lambda r: r.get("serve_s"), None),
    (
        "peak memory ÷ plain MkDocs + Material, before (cold, without the memos)",
        1.2,
        _ratio("cold-nomemo", "base", "peak_mb"),
        None,
    ),
    ("peak memory ÷ plain MkDocs + Material", 1.2, _ratio("cold", "base", "peak_mb"), None),
]


def _fmt(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def report(rows: list[dict]) -> str:
    lines = [
        "| target | stories N | measured (wall) | measured (CPU) | bar | met (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, bar, value_of, cpu_of in TARGETS:
        for r in rows:
            value, cpu = value_of(r), cpu_of(r) if cpu_of else None
            if value is not None:
                shown = "–" if cpu is None else _fmt(cpu)
                lines.append(f"| {name} | {r['n']:,} | {_fmt(value)} | {shown} | ≤ {bar:g} | {'yes' if value <= bar else 'no'} |")
    if "hugo_seconds" not in rows[0]:
        lines.append("| full cold build ÷ Hugo | – | Hugo unavailable: apt-get could not install Debian's `hugo` | – | ≤ 2 | – |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = (last["cold_seconds"] / last["n"]) / (first["cold_seconds"] / first["n"])
        cpu_growth = (last["cold_cpu_s"] / last["n"]) / (first["cold_cpu_s"] / first["n"])
        lines.append(
            f"| linear: time per story at {last['n']:,} ÷ at {first['n']:,} (cold) | {first['n']:,}→{last['n']:,} | "
            f"{growth:.2f} | {cpu_growth:.2f} | ≤ 1.25 | {'yes' if growth <= 1.25 else 'no'} |"
        )
    lines += [
        "",
        "Every build, medians. CPU is user + system time of the build and its worker processes; peak MB is "
        "the largest single process. Wall time is what a person waits; CPU is steadier when the machine is shared.",
        "",
        "| stories N | records | build | pages | wall s | CPU s | peak MB | ÷ plain MkDocs, wall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        for kind, label in KIND_LABELS.items():
            if f"{kind}_seconds" in r:
                lines.append(
                    f"| {r['n']:,} | {r['records']:,} | {label} | {r[f'{kind}_pages']:,} | {_fmt(r[f'{kind}_seconds'])} | "
                    f"{_fmt(r[f'{kind}_cpu_s'])} | {r[f'{kind}_peak_mb']:.0f} | {r[f'{kind}_seconds'] / r['base_seconds']:.2f} |"
                )
        if "serve_s" in r:
            lines.append(
                f"| {r['n']:,} | {r['records']:,} | save under `mkdocs serve`, until served, page cache only (before) | – | "
                f"{_fmt(r['serve_nomemo_s'])} | – | – | – |"
            )
            lines.append(
                f"| {r['n']:,} | {r['records']:,} | save under `mkdocs serve`, until served | – | {_fmt(r['serve_s'])} | – | – | – |"
            )
        lines.append(f"| {r['n']:,} | {r['records']:,} | `python -m bulletin check` | – | {_fmt(r['check_s'])} | – | – | – |")
    lines += [
        "",
        "Machine load average (1 min) during each size's runs, min / median / max: "
        + "; ".join(f"N={r['n']:,}: {r['load'][0]:.1f} / {r['load'][1]:.1f} / {r['load'][2]:.1f}" for r in rows)
        + f" (on {os.cpu_count()} cores).",
    ]
    for r in rows:
        if "profile" in r:
            lines += ["", f"### Profile of one build of each kind at N={r['n']:,}", "", r["profile"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--huge", action="store_true", help="add 20,000 stories (linearity; long)")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind per size; the table shows medians")
    parser.add_argument("--serve-max", type=int, default=1000, help="measure `mkdocs serve` saves up to this size")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "report.md")
    parser.add_argument("--profile", action="store_true", help="also cProfile the builds at the first size")
    parser.add_argument(
        "--no-markdown-templates", action="store_true", help="skip the cold build from the Markdown templates (before ready HTML)"
    )
    args = parser.parse_args()
    sizes = args.sizes + ([20000] if args.huge else [])
    text = report(run(sizes, args.repeat, args.serve_max, args.profile, not args.no_markdown_templates))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
