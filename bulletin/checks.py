"""Checks on the built site, run before it replaces the published one.

1. Forbidden data: nothing written may look like an ID-card number (9 or 12 digits), a
   Vietnamese phone number or a private e-mail address, unless checks.yml allows it. Each
   finding names the output file and the data file it came from.
2. Links: every internal link, anchor and image of every page resolves.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field

SCANNED = {".html", ".xml", ".json", ".csv", ".svg", ".txt"}
THEME_ASSETS = "assets"  # Material's own files and ours: not data

ID_NUMBER = re.compile(r"(?<![\d.,/])(\d{12}|\d{9})(?![\d.,/-]?\d)")
PHONE = re.compile(r"(?<![\d+])(?:\+84[\s.-]?|0)(?:[35789]\d|2\d{1,2})(?:[\s.-]?\d){7,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_DIGITS = re.compile(r"\D")


class AllowList(BaseModel):
    """checks.yml: official contacts that may be published."""

    model_config = ConfigDict(extra="forbid")
    numbers: list[str] = Field(default_factory=list, description="Số điện thoại cơ quan được phép đăng.")
    email_domains: list[str] = Field(default_factory=lambda: ["gov.vn"], description="Tên miền thư điện tử công vụ.")

    def allows_number(self, text: str) -> bool:
        return _DIGITS.sub("", text) in {_DIGITS.sub("", n) for n in self.numbers}

    def allows_email(self, domain: str) -> bool:
        domain = domain.lower()
        return any(domain == d or domain.endswith("." + d) for d in self.email_domains)


def load_allow_list(root: Path) -> AllowList:
    path = root / "checks.yml"
    return AllowList.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else AllowList()


@dataclass(frozen=True)
class Finding:
    output: str
    what: str
    found: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.sources) or "không rõ hồ sơ nguồn"
        return f"{self.output}: có {self.what} «{self.found}» (từ {where})"


def _outputs(site_dir: Path):
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in SCANNED and path.is_file() and path.relative_to(site_dir).parts[0] != THEME_ASSETS:
            yield path


def _sources(root: Path, found: str) -> tuple[str, ...]:
    """data/ files (with line) that hold the same digits or address."""
    digits = _DIGITS.sub("", found) if "@" not in found else None
    hits = []
    for file in sorted((root / "data").rglob("*.*")):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            if (digits and digits in _DIGITS.sub("", line)) or (not digits and found in line):
                hits.append(f"{file.relative_to(root).as_posix()}:{number}")
    return tuple(hits)


def _data_part(text: str) -> str:
    """Of a page, the article: header, navigation and footer come from templates, not data."""
    start = text.find("<article")
    return text[start : text.find("</article>", start)] if start >= 0 else text


def scan_forbidden(site_dir: Path, root: Path) -> list[Finding]:
    allow = load_allow_list(root)
    findings = []
    for path in _outputs(site_dir):
        text = _data_part(path.read_text(encoding="utf-8", errors="replace"))
        output = path.relative_to(site_dir).as_posix()
        for match in PHONE.finditer(text):
            if not allow.allows_number(match[0]):
                findings.append(Finding(output, "số điện thoại", match[0], _sources(root, match[0])))
        for match in ID_NUMBER.finditer(text):
            if not allow.allows_number(match[0]) and not PHONE.fullmatch(match[0]):
                findings.append(Finding(output, "dãy số giống số căn cước/CMND", match[0], _sources(root, match[0])))
        for match in EMAIL.finditer(text):
            if not allow.allows_email(match[1]):
                findings.append(Finding(output, "địa chỉ thư điện tử cá nhân", match[0], _sources(root, match[0])))
    return findings


# --- Links ---------------------------------------------------------------------------------
_LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
_SRCSET = re.compile(r"""srcset=["']([^"']+)["']""")
_ID = re.compile(r"""\bid=["']([^"']+)["']""")


def _targets(html: str):
    yield from _LINK.findall(html)
    for srcset in _SRCSET.findall(html):
        yield from (candidate.split()[0] for candidate in srcset.split(",") if candidate.strip())


def check_links(site_dir: Path) -> list[str]:
    """'page: broken link' for every internal link, anchor or image that does not resolve.

    Paths are resolved as strings against the set of written files: no filesystem call per
    link, so 7,000 pages with their navigation check in seconds."""
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}

    @lru_cache(maxsize=None)
    def ids_of(page: str) -> frozenset[str]:
        return frozenset(_ID.findall((site_dir / page).read_text(encoding="utf-8", errors="replace")))

    @lru_cache(maxsize=None)
    def resolve(folder: str, path: str) -> str | None:
        joined = posixpath.normpath(posixpath.join("" if path.startswith("/") else folder, unquote(path).lstrip("/")))
        if joined.startswith(".."):
            return None
        if joined in files:
            return joined
        index = posixpath.join("" if joined == "." else joined, "index.html")
        return index if index in files else None

    problems = []
    for name in sorted(f for f in files if f.endswith(".html")):
        html = (site_dir / name).read_text(encoding="utf-8", errors="replace")
        folder = posixpath.dirname(name)
        for link in sorted(set(_targets(html))):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "data:")):
                continue
            target = resolve(folder, parts.path) if parts.path else name
            if target is None:
                problems.append(f"{name}: liên kết hỏng «{link}»")
            elif parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in ids_of(target):
                problems.append(f"{name}: liên kết tới mục không có «{link}»")
    return problems


def check_output(site_dir: Path, root: Path) -> list[str]:
    """Every problem of a built site, as Vietnamese lines; empty when it may be published."""
    return [str(f) for f in scan_forbidden(site_dir, root)] + check_links(site_dir)
