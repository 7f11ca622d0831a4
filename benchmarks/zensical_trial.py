"""Zensical on this site: `python -m bulletin export-markdown`, then Zensical's build of the
export, in a virtual environment of its own under a temporary folder. A script with a report,
not a test (docs/ENGINES.md keeps the findings).

Usage: python benchmarks/zensical_trial.py [--version 0.0.70] [--out benchmarks/out/zensical.md]

Zensical ignores `hooks:`, so it gets the pages already generated. The report compares its
site with ours (MkDocs build of the same project): pages written, Zensical's warnings, links
left pointing at `.md` files, heading ids, the Content-Security-Policy tag, and the output
checks our build runs before publishing (links, anchors, personal data).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bulletin.checks import check_output  # noqa: E402

# 0.0.70 is the newest release whose dependencies the package registry here serves: from
# 0.0.71 on Zensical needs `zensical-ui`, which it does not have.
DEFAULT_VERSION = "0.0.70"
_WARNING = re.compile(r"Warning:\x1b?\S*\s+(.+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", **kwargs.pop("env", {})}
    return subprocess.run(command, capture_output=True, text=True, env=env, **kwargs)


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def trial(version: str, tmp: Path) -> list[str]:
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = _run([str(venv / "bin" / "pip"), "install", "-q", f"zensical=={version}"])
    if install.returncode != 0:
        return [f"Zensical {version} could not be installed:", "", "```", install.stderr[-1500:], "```"]
    _run([sys.executable, "-m", "bulletin", "export-markdown", str(tmp / "export"), "--root", str(REPO)], check=True)
    ours = _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp / "ours")])
    assert ours.returncode == 0, ours.stderr[-2000:]
    build = _run([str(venv / "bin" / "zensical"), "build", "-f", "mkdocs.yml"], cwd=tmp / "export")
    log = _ANSI.sub("", build.stdout + build.stderr)
    warnings = Counter(match.strip() for match in _WARNING.findall(log))
    zensical, reference = _pages(tmp / "export" / "site"), _pages(tmp / "ours")
    md_links = sum(len(re.findall(r'href="[^"#]*\.md[#"]', html)) for html in zensical.values())
    same_ids = sum(
        _HEADING_ID.findall(html) == _HEADING_ID.findall(reference[path]) for path, html in zensical.items() if path in reference
    )
    problems = check_output(tmp / "export" / "site", REPO)
    return [
        f"| what | Zensical {version} | ours (MkDocs + hooks) |",
        "|---|---|---|",
        f"| build exit code | {build.returncode} | 0 |",
        f"| HTML pages | {len(zensical)} | {len(reference)} |",
        f"| pages in both | {len(set(zensical) & set(reference))} | – |",
        f"| warnings | {sum(warnings.values())} ({', '.join(f'{n}× {w}' for w, n in warnings.most_common(4))}) | 0 |",
        f"| links still pointing at .md files | {md_links} | 0 |",
        f"| pages whose heading ids equal ours | {same_ids} of {len(set(zensical) & set(reference))} | – |",
        f"| pages with a Content-Security-Policy tag | {sum('Content-Security-Policy' in h for h in zensical.values())} | "
        f"{sum('Content-Security-Policy' in h for h in reference.values())} |",
        f"| pages loading our search script | {sum('assets/search/search.js' in h for h in zensical.values())} | "
        f"{sum('assets/search/search.js' in h for h in reference.values())} |",
        f"| problems found by our pre-publication checks | {len(problems)} | 0 |",
        "",
        "First problems reported by the checks:",
        "",
        *[f"- {problem}" for problem in problems[:8]],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "zensical.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zensical-") as tmp:
        text = "\n".join(trial(args.version, Path(tmp)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
