"""Command line: `python -m bulletin check|build|new|fmt|schema`.

`check` validates the data without building. `build` builds into a new folder and swaps it
in only when the whole build passed, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .layout import format_data
from .markdown_export import export_markdown
from .model import load_site
from .reference import json_schemas
from .scaffold import new_record
from .schema import KINDS


def _today():
    from .build import build_date  # MkDocs is imported only where it is needed

    return build_date()


def _escape(text: str, in_property: bool = False) -> str:
    """GitHub workflow-command escaping: a newline must not end the annotation early."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def _report_for_ci(errors: list, output_format: str) -> str:
    """GitHub annotations on the editor's file and line, or a GitLab Code Quality report."""
    if output_format == "github":
        return "".join(
            f"::error file={_escape(e.path, True)},line={e.line},title={_escape(e.field or 'dữ liệu', True)}::{_escape(e.message)}\n"
            for e in errors
        )
    if output_format == "gitlab":
        report = [
            {
                "description": f"{e.field}: {e.message}" if e.field else e.message,
                "check_name": "bulletin",
                "fingerprint": hashlib.sha1(str(e).encode()).hexdigest(),
                "severity": "blocker",
                "location": {"path": e.path, "lines": {"begin": e.line}},
            }
            for e in errors
        ]
        return json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    return ""


def check(root: Path, output_format: str = "text", output: Path | None = None) -> int:
    """Validate every record. The messages (file:line: field: message) always go to stderr,
    so they are in the job log; --format github|gitlab adds the forge's own report, on
    stdout or into --output (a file, so that nothing else make prints can get into it)."""
    site, errors = load_site(root, _today())
    for error in errors:
        print(error, file=sys.stderr)
    report = _report_for_ci(errors, output_format)
    if output is not None:
        output.write_text(report, encoding="utf-8")
    elif report:
        sys.stdout.write(report)
    if errors or site is None:
        print(f"Dữ liệu có {len(errors)} lỗi.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(records)} {name}" for name, records in site.records.items())
    print(f"Dữ liệu hợp lệ: {counts}.", file=sys.stderr)
    for reason in site.withheld:
        print(f"  {reason}", file=sys.stderr)
    return 0


def build(root: Path, site_dir: Path, strict: bool = True) -> int:
    """mkdocs build into a sibling folder (the build itself runs the output checks, in
    on_post_build), then swap it into place."""
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.new")
    previous = site_dir.with_name(f".{site_dir.name}.old")
    if previous.exists() and not site_dir.exists():
        previous.rename(site_dir)  # a run stopped between the two renames: the site comes back
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(staging)]
    env = {**_without_blank_site_url(os.environ), "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": _pythonpath()}
    try:
        result = subprocess.run(command + (["--strict"] if strict else []), env=env)
        if result.returncode != 0:
            print("Không tạo được trang; trang cũ (nếu có) được giữ nguyên.", file=sys.stderr)
            return result.returncode
        if site_dir.exists():
            site_dir.rename(previous)
        try:
            staging.rename(site_dir)
        except OSError:
            if previous.exists():
                previous.rename(site_dir)  # put the published site back
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # a failed or interrupted build leaves nothing behind
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Đã tạo trang tại {site_dir}")
    return 0


def _without_blank_site_url(environ) -> dict[str, str]:
    """SITE_URL empty or "/" means no public address (a preview; a forge step that gives the
    address was skipped): mkdocs.yml's local address then applies instead of MkDocs aborting on
    "/" as an invalid URL."""
    blank = environ.get("SITE_URL", "").strip() in ("", "/")
    return {key: value for key, value in environ.items() if not (key == "SITE_URL" and blank)}


def _pythonpath() -> str:
    package_parent = str(Path(__file__).resolve().parent.parent)
    return os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))


def export_site_markdown(root: Path, out: Path) -> int:
    from .build import site_sources  # MkDocs is imported only where it is needed

    try:
        sources = site_sources(root.resolve())
    except SystemExit:  # the data has errors: they were printed above
        print("Không xuất được: dữ liệu có lỗi.", file=sys.stderr)
        return 1
    pages = export_markdown(root.resolve(), out, sources)
    print(f"Đã xuất {pages} trang Markdown vào {out / 'docs'} (cấu hình: {out / 'mkdocs.yml'})")
    return 0


def write_schemas(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (out / f"{name}.schema.json").write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"Đã ghi JSON Schema vào {out}")
    return 0


def fmt(root: Path, check_only: bool) -> int:
    """Rewrite data/ in the layout the web form writes (bulletin/layout.py); --check only
    lists the files that are not in it."""
    changed, problems = format_data(root, write=not check_only)
    for problem in problems:
        print(problem, file=sys.stderr)
    for file in changed:
        print(file.relative_to(root))
    if check_only and changed:
        print(f"{len(changed)} tệp chưa theo bố cục của biểu mẫu: chạy `python -m bulletin fmt`.", file=sys.stderr)
        return 1
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bulletin")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="kiểm tra dữ liệu, không tạo trang")
    check_cmd.add_argument("root", nargs="?", default=".", type=Path)
    check_cmd.add_argument(
        "--format",
        choices=["text", "github", "gitlab"],
        default="text",
        help="github: chú thích ::error trên tệp và dòng; gitlab: báo cáo Code Quality (JSON)",
    )
    check_cmd.add_argument("--output", type=Path, default=None, help="ghi báo cáo github/gitlab vào tệp này")
    build_cmd = commands.add_parser("build", help="tạo trang (thay trang cũ chỉ khi thành công)")
    build_cmd.add_argument("root", nargs="?", default=".", type=Path)
    build_cmd.add_argument("--site-dir", type=Path, default=None)
    new_cmd = commands.add_parser("new", help="tạo tệp hồ sơ mới có đủ các trường")
    new_cmd.add_argument("kind", choices=sorted(KINDS))
    new_cmd.add_argument("title", nargs="?", default=None)
    new_cmd.add_argument("--root", type=Path, default=Path("."))
    fmt_cmd = commands.add_parser("fmt", help="ghi lại data/ theo bố cục biểu mẫu web ghi ra")
    fmt_cmd.add_argument("root", nargs="?", default=".", type=Path)
    fmt_cmd.add_argument("--check", action="store_true", help="chỉ liệt kê tệp chưa theo bố cục, không ghi")
    schema_cmd = commands.add_parser("schema", help="ghi JSON Schema cho trình soạn thảo")
    schema_cmd.add_argument("out", nargs="?", default=Path("schemas"), type=Path)
    export_cmd = commands.add_parser("export-markdown", help="xuất toàn bộ trang dưới dạng Markdown thuần")
    export_cmd.add_argument("out", type=Path)
    export_cmd.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.format, args.output)
    if args.command == "new":
        path = new_record(args.root, args.kind, args.title, _today())
        print(path)
        return 0
    if args.command == "fmt":
        return fmt(args.root, args.check)
    if args.command == "export-markdown":
        return export_site_markdown(args.root, args.out)
    if args.command == "build":
        return build(args.root.resolve(), args.site_dir or args.root / "site")
    return write_schemas(args.out)
