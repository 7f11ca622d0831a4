"""Checks on the built site, run on the staging folder before it replaces the published one.

1. Forbidden data (``scan_output``): nothing written may look like an ID-card number (9 or 12
   digits), a Vietnamese phone number (mobile, landline, +84) or a private e-mail address,
   unless ``checks.yml`` allows it. Every text file is read the way its reader would see it:
   HTML entities decoded and inline tags dropped, JSON strings unescaped, ``.gz`` files
   decompressed. Each finding names the output file and the data file and line it came from.
2. Links (``check_links``): every internal link, anchor and image of every page resolves.
3. Photos (``check_images``): no image written carries EXIF (GPS), XMP or comments, no
   original photo of content/ was copied, no image format outside the photo pipeline.
4. Documents (``check_documents``): no PDF written still carries its metadata.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Annotated, ClassVar, Protocol, TypeVar
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .errors import LocatedError, describe, format_loc
from .memo import Memo, content_key
from .schema import COLLECTIONS

THEME_ASSETS = "assets"  # Material's own files and our static scripts and styles: not data
NOT_TEXT = {".wasm", ".map", ".woff", ".woff2", ".ttf", ".ico", ".zip"}
PIPELINE_IMAGES = {".jpg", ".jpeg", ".png", ".webp"}
OTHER_IMAGES = {".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif", ".jxl"}
MARKUP = {".html", ".htm", ".xml", ".svg", ".atom", ".rss"}
MAX_SCAN_BYTES = 64_000_000  # a decompressed .gz is read up to this size, never further

# Numbers are read as people write them: digits in groups separated by a space, a dot or a
# dash (never a line break: table cells are not one number), an area code in parentheses,
# +84, (+84), 0084 or 84 in front of the national number.
_SEP = r"\)?[ \u00a0\t.\-]?"  # 0905 123 456, 0905.123.456, 0905-123-456, (0255) 3822 123
# An amount or a count, not a personal number: "265 000 000 đồng", "123 456 789 người" (but an
# ID-card number starts with 0, as no count does: "079123456789 người" is still refused).
_UNIT_AFTER = re.compile(r"[ \u00a0]?(?:đồng|đ\b|vnđ|vnd|usd|tỷ|triệu|nghìn|ngàn|người|hộ|lượt|m2|m²|m³|ha\b|km|kg|tấn|%)", re.I)
PHONE = re.compile(
    r"(?<![\w+/])(?<!\d[.,\-])"  # not the tail of a longer number, word or decision number
    r"(?:\(?(?:\+|00)?84\)?[ \u00a0.\-]?(?:\(0\)[ \u00a0.\-]?)?|\(?0)"  # +84, (+84), 0084, 84, +84 (0), (0, 0
    # The national number, 9 digits (mobile 09x...) or 10 (landline 02xx, old mobile 016x), its
    # first group at least "09" + one digit ("01 05 10 11 12", a list of pairs, is no phone),
    # or a one-digit area code in parentheses: (04) 3822 1234.
    rf"\(?(?:[1-9]\d(?:{_SEP}\d){{7,8}}|[1-9]\)[ \u00a0.\-]?\d(?:{_SEP}\d){{7}})"
    r"\)?(?![\d/])(?![.,\-]\d)",  # and nothing that continues it
)
_ID_GROUPED = r"\d{3}(?P<sep>[ \u00a0\-])\d{3}(?P=sep)\d{3}(?:(?P=sep)\d{3})?"  # 079 123 456 789, 212-345-678
ID_NUMBER = re.compile(
    r"(?<![\w+/])(?<!\d[.,/\-])(?<!\d[ \u00a0])"
    rf"(?:\d{{12}}|\d{{9}}|{_ID_GROUPED}|0\d\d\.\d{{3}}\.\d{{3}}\.\d{{3}})"  # CCCD, CMND
    r"(?![.,\-]?\d)(?![\w/])(?![ \u00a0]\d)",
)
EMAIL = re.compile(r"[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_DIGITS = re.compile(r"\D")
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var|wbr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")


# --- The allow-list ------------------------------------------------------------------------
def _phone_like(number: str) -> str:
    if not 3 <= len(_DIGITS.sub("", number)) <= 13:
        raise ValueError(f"«{number}» không giống một số điện thoại")
    return number


def _domain_like(domain: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", domain):
        raise ValueError(f"«{domain}» không phải tên miền (ví dụ: quangngai.gov.vn)")
    return domain.lower()


def _extension_like(suffix: str) -> str:
    suffix = suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix):
        raise ValueError(f"«{suffix}» không phải đuôi tệp (ví dụ: .txt)")
    return suffix


class AllowList(BaseModel):
    """checks.yml: official contacts that may be published, and the kinds of file that may
    go out of content/ as they are."""

    model_config = ConfigDict(extra="forbid")
    numbers: list[Annotated[str, AfterValidator(_phone_like)]] = Field(
        default_factory=list, description="Số điện thoại cơ quan được phép đăng."
    )
    email_domains: list[Annotated[str, AfterValidator(_domain_like)]] = Field(
        default_factory=lambda: ["gov.vn"], description="Tên miền thư điện tử công vụ (cả tên miền con)."
    )
    extensions: list[Annotated[str, AfterValidator(_extension_like)]] = Field(
        default_factory=list,
        description="Đuôi tệp khác được đăng nguyên trạng từ content/ (ảnh và PDF luôn được làm sạch trước khi đăng).",
    )

    def allows_number(self, text: str) -> bool:
        return _core(text) in {_core(n) for n in self.numbers}

    def allows_email(self, domain: str) -> bool:
        domain = domain.lower()
        return any(domain == d or domain.endswith("." + d) for d in self.email_domains)


class AllowListError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_allow_list(root: Path) -> tuple[AllowList, list[LocatedError]]:
    """checks.yml, read by the record loader (lines, hostile-input guards) and validated;
    its mistakes are located Vietnamese errors (and the defaults apply meanwhile)."""
    from .loader import read_file  # the loader never imports checks: no cycle, but keep it local

    path = root / "checks.yml"
    if not path.exists():
        return AllowList(), []
    data, positions, errors = read_file(path, "checks.yml")
    if errors:
        return AllowList(), errors
    try:
        return AllowList.model_validate(data), []
    except ValidationError as exc:
        fields = list(AllowList.model_fields)
        return AllowList(), [
            LocatedError(
                "checks.yml",
                positions.line_of(e["loc"]),
                format_loc(e["loc"]),
                str(e["ctx"]["error"])
                if e["type"] == "value_error"
                else describe(e, fields if e["type"] == "extra_forbidden" else None),
            )
            for e in exc.errors(include_url=False)
        ]


def load_allow_list(root: Path) -> AllowList:
    """checks.yml; a mistake in it is an AllowListError with located Vietnamese messages."""
    allow, errors = read_allow_list(root)
    if errors:
        raise AllowListError([str(e) for e in errors])
    return allow


def _core(number: str) -> str:
    """The national number without 0, 84 or 0084: +84 905... and 0905... are one number."""
    digits = _DIGITS.sub("", number)
    for prefix in ("0084", "84", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 9:
            return digits[len(prefix) :]
    return digits


# --- What was written ---------------------------------------------------------------------
V = TypeVar("V")


class Written:
    """The files of a built site: their names, and their bytes and digests when asked.

    With a memo, a check's verdict on a file (``verdict``) is kept under the file's name and
    the digest of its bytes: the next build asks again only about files whose bytes changed."""

    def __init__(
        self,
        site_dir: Path,
        memo: Memo | None = None,
        known: dict[str, str] | None = None,
        coming: Iterable[str] = (),
        listed: Iterable[str] | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.memo = memo
        self.names = sorted({*(_walk(site_dir) if listed is None else listed), *coming})
        self._digests: dict[str, str] = dict(known or {})  # digests the build already knows (served_output.py)
        self._last: tuple[str, bytes] = ("", b"")

    def path(self, name: str) -> Path:
        return self.site_dir / name

    @cached_property
    def path_order(self) -> list[str]:
        """The names as the files' paths sort (folder by folder), as a folder walk lists them."""
        return sorted(self.names, key=lambda name: name.split("/"))

    def size(self, name: str) -> int:
        return self.path(name).stat().st_size

    def read(self, name: str) -> bytes:
        if self._last[0] != name:
            self._last = (name, self.path(name).read_bytes())
        return self._last[1]

    def knows_digest(self, name: str) -> bool:
        return name in self._digests

    def digest(self, name: str) -> str:
        if name not in self._digests:
            self._digests[name] = _sha256(self.read(name))
        return self._digests[name]

    def keep(self, check: str, name: str, digest: str) -> None:
        if self.memo is not None:
            self.memo.keep(self.key(check, name, digest))

    @staticmethod
    def key(check: str, name: str, digest: str, *depends: str) -> tuple:
        """The memo's key of a check's verdict on a file's bytes (``digest``: their SHA-256)."""
        return (check, name, digest, *depends)

    def verdict(
        self, check: str, name: str, compute: Callable[[str], V], *depends: str, valid: Callable[[V], bool] | None = None
    ) -> V:
        """``compute(name)``, or what it gave before for the same bytes (and ``depends``);
        ``valid`` may refuse a remembered verdict whose own dependencies changed."""
        if self.memo is None:
            return compute(name)
        key = self.key(check, name, self.digest(name), *depends)
        found = self.memo.get(key)
        if found is None or (valid is not None and not valid(found)):
            found = compute(name)
            self.memo.put(key, found)
        return found


def _walk(folder: Path, prefix: str = "") -> Iterator[str]:
    """Every file under ``folder`` by its path from there, as rglob finds them (os.scandir: faster)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield prefix + entry.name


# --- Reading what was written --------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    output: str
    what: str
    found: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.sources) or "không rõ hồ sơ nguồn"
        return f"{self.output}: có {self.what} «{self.found}» (từ {where})"


@lru_cache(maxsize=1)
def _vendored() -> dict[int, set[str]]:
    """Sizes and hashes of the third-party files we ship unchanged (their licences name
    their authors' addresses): an output file identical to one of them is not data."""
    from .cms import vendored_files  # cms -> render -> model -> content -> checks: import late

    known: dict[int, set[str]] = {}
    for _, content in vendored_files():
        known.setdefault(len(content), set()).add(hashlib.sha256(content).hexdigest())
    return known


def _scanned(written: Written) -> Iterator[str]:
    vendored = _vendored()
    for name in written.path_order:
        if name.split("/")[0] == THEME_ASSETS:
            continue
        if posixpath.splitext(name)[1].lower() in NOT_TEXT | PIPELINE_IMAGES | OTHER_IMAGES:
            continue
        if written.knows_digest(name):  # no need to stat it for its size
            if any(written.digest(name) in digests for digests in vendored.values()):
                continue
        elif (size := written.size(name)) in vendored and written.digest(name) in vendored[size]:
            continue
        yield name


def _strings(data: object) -> Iterator[str]:
    """Every string, key and integer of decoded JSON, in the order written (a stack, not
    recursion: a search shard holds tens of thousands of small lists)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            yield str(item)
        elif isinstance(item, dict):
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _texts(name: str, raw: bytes) -> list[str]:
    """What a reader of the file sees, in the forms a number or address could hide in."""
    if name.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as packed:
                raw = packed.read(MAX_SCAN_BYTES)
        except (OSError, EOFError):
            return []
        name = name[:-3]
    if name.lower().endswith(".pdf"):
        return [pdf_text(raw)]
    if b"\x00" in raw[:8192]:
        return []  # binary
    text = raw.decode("utf-8", errors="replace")
    suffix = posixpath.splitext(name)[1].lower()
    if suffix == ".json":
        try:
            texts = ["\n".join(_strings(json.loads(text)))]
        except ValueError:
            texts = [text]
    elif suffix in MARKUP:
        # "0905 <strong>123</strong> 456" is a number to a reader; "<td>123</td><td>456</td>" is not.
        # Block tags become "|": a number never runs from one table cell into the next.
        texts = [html.unescape(text), html.unescape(_TAG.sub(" | ", _INLINE_TAG.sub("", text)))]
    else:
        texts = [text]
    if any("%40" in t or "%2B" in t.upper() for t in texts):
        texts += [unquote(t) for t in texts]
    return texts


def pdf_text(raw: bytes) -> str:
    """The text a reader of a PDF sees, page by page, and its document information."""
    from pypdf import PdfReader  # where a PDF is read (content.clean_pdf says why)
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = [str(value) for value in (reader.metadata or {}).values()]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        return ""  # the document check says it cannot be read
    return "\n".join(pages + info)


class _Sources:
    """Where a found number or address was written by hand: data/ first, then content/,
    overrides/ and mkdocs.yml; failing that, the record whose page the output file is."""

    SUFFIXES: ClassVar = {".yml", ".yaml", ".md", ".html", ".txt", ".csv", ".json", ".j2"}

    def __init__(self, root: Path):
        self.root = root
        self._lines: list[tuple[str, str]] | None = None
        self._found: dict[tuple[str, str], tuple[str, ...]] = {}

    def lines(self) -> list[tuple[str, str]]:
        if self._lines is None:
            self._lines = []
            files = [f for folder in ("data", "content", "overrides") for f in sorted((self.root / folder).rglob("*"))]
            for file in [*files, self.root / "mkdocs.yml"]:
                if file.suffix not in self.SUFFIXES or not file.is_file():
                    continue
                try:
                    text = file.read_text(encoding="utf-8-sig")
                except (UnicodeDecodeError, OSError):
                    continue
                where = file.relative_to(self.root).as_posix()
                self._lines += [(f"{where}:{n}", line) for n, line in enumerate(text.splitlines(), 1)]
        return self._lines

    def of(self, found: str, output: str) -> tuple[str, ...]:
        if (found, output) not in self._found:
            self._found[found, output] = self._search(found, output)
        return self._found[found, output]

    def _search(self, found: str, output: str) -> tuple[str, ...]:
        if "@" in found:
            needle = found.lower()
            hits = [where for where, line in self.lines() if needle in line.lower()]
        else:
            core = _core(found)
            hits = [where for where, line in self.lines() if core in _DIGITS.sub("", line)]
        return tuple(hits) or self.record_of(output)

    def record_of(self, output: str) -> tuple[str, ...]:
        """data/<collection>/<id>.* of a record page (/ca-nhan/<id>/), or the collection of an
        export (du-lieu-mo/people.json)."""
        parts = output.split("/")
        for name, collection in COLLECTIONS.items():
            if len(parts) >= 3 and parts[0] == collection.url:
                found = sorted((self.root / "data" / name).glob(f"{parts[1]}.*"))
                if found:
                    return tuple(f.relative_to(self.root).as_posix() for f in found)
            if parts[0] == "du-lieu-mo" and posixpath.splitext(parts[-1])[0] == name:
                return (f"data/{name}/",)
        return ()


# The full patterns are slow to try at every character of megabytes of HTML: they are tried
# only on the short stretches that could hold a match (a run of digits and the separators a
# number may have, never a line break; the surroundings of an @), with a little context for
# their look-behinds.
_NUMBER_LIKE = re.compile(r"[+(\d][\d \u00a0\t.()+\-]{7,}")


def _windows(text: str, candidates: re.Pattern) -> Iterator[str]:
    for match in candidates.finditer(text):
        yield text[max(0, match.start() - 2) : match.end() + 8]  # room for a unit: "265 000 000 đồng"


def _around_at(text: str) -> Iterator[str]:
    at = text.find("@")
    while at >= 0:
        yield text[max(0, at - 64) : at + 256]
        at = text.find("@", at + 1)


def find_forbidden(text: str, allow: AllowList) -> Iterator[tuple[str, str]]:
    """(what, found) for every phone number, ID-like number or private e-mail address in
    ``text`` that ``allow`` does not allow."""
    for window in _windows(text, _NUMBER_LIKE):
        phones = list(PHONE.finditer(window))
        for match in phones:
            if not allow.allows_number(match[0]):
                yield "số điện thoại", match[0]
        for match in ID_NUMBER.finditer(window):
            inside_a_phone = any(p.start() <= match.start() < p.end() for p in phones)
            a_quantity = not match[0].startswith("0") and _UNIT_AFTER.match(window, match.end())
            if not inside_a_phone and not a_quantity and not allow.allows_number(match[0]):
                yield "dãy số giống số căn cước/CMND", match[0]
    for window in _around_at(text):
        for match in EMAIL.finditer(window):
            if not allow.allows_email(match[1]):
                yield "địa chỉ thư điện tử cá nhân", match[0]


def scan_forbidden(site_dir: Path, root: Path, written: Written | None = None) -> list[Finding]:
    """Every forbidden number or address in what was written, traced to its source."""
    allow = load_allow_list(root)
    written = written or Written(site_dir)
    allowed = allow.model_dump_json()  # a file's findings depend on the allow-list too
    sources = _Sources(root)
    findings: dict[tuple[str, str, str], Finding] = {}
    for output in _scanned(written):
        found_in_file = written.verdict("forbidden", output, lambda name: _forbidden_in(name, written.read(name), allow), allowed)
        for what, found in found_in_file:
            if (output, what, found) not in findings:
                findings[output, what, found] = Finding(output, what, found, sources.of(found, output))
    return list(findings.values())


def forbidden_verdicts(
    files: Iterable[tuple[str, bytes]], root: Path, memo: Memo | None = None
) -> list[tuple[tuple, list[tuple[str, str]]]]:
    """The scan's verdicts on files not yet written, as (memo key, verdict): worked out ahead,
    where a core has time (the open-data exports, megabytes that change with every record),
    and found by ``scan_forbidden`` by the same bytes. Those ``memo`` holds are left out: a
    save changes one or two exports of twenty."""
    scan = _forbidden_scanner(root, memo)
    return [scan(name, raw, _sha256(raw)) for name, raw in files] if scan else []


def page_checker(root: Path, names: Iterable[str], base_path: str) -> Callable[[str, bytes], list[tuple[tuple, object]]]:
    """The output check's verdicts on one page not yet written, as (memo key, verdict): its
    scan for personal numbers and its links, against the ``names`` of the files the build
    will write. For a page rendered on a worker: the check finds them ready by its bytes."""
    scan, links = _forbidden_scanner(root), _link_checker(names, base_path)

    def check(name: str, raw: bytes) -> list[tuple[tuple, object]]:
        digest = _sha256(raw)  # both verdicts' keys hold it
        return [found for found in (scan(name, raw, digest) if scan else None, links(name, raw, digest)) if found is not None]

    return check


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _forbidden_scanner(
    root: Path, memo: Memo | None = None
) -> Callable[[str, bytes, str], tuple[tuple, list[tuple[str, str]]]] | None:
    """The scan of one file not yet written (its name under the site, its bytes and their
    SHA-256), giving (memo key, verdict) as ``scan_forbidden`` keeps it. A verdict ``memo``
    holds is not worked out again. None when checks.yml is wrong: the scan reports that."""
    try:
        allow = load_allow_list(root)
    except AllowListError:
        return None
    allowed = allow.model_dump_json()

    def scan(name: str, raw: bytes, digest: str) -> tuple[tuple, list[tuple[str, str]]]:
        key = Written.key("forbidden", name, digest, allowed)
        known = memo.get(key) if memo is not None else None
        return key, _forbidden_in(name, raw, allow) if known is None else known

    return scan


def _forbidden_in(output: str, raw: bytes, allow: AllowList) -> list[tuple[str, str]]:
    return [(what, " ".join(found.split())) for text in _texts(output, raw) for what, found in find_forbidden(text, allow)]


def scan_output(site_dir: Path, sources: Path) -> list[str]:
    """Forbidden data in everything written under ``site_dir``, as Vietnamese lines naming
    the output file and the source file and line; ``sources`` is the project root (data/,
    content/, checks.yml). Empty when nothing is forbidden."""
    return [str(f) for f in scan_forbidden(site_dir, sources)]


# --- Links ---------------------------------------------------------------------------------
_LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
_SRCSET = re.compile(r"""srcset=["']([^"']+)["']""")
# id="..." after a non-word character; the pattern starts with its literal and the boundary is
# tested apart: a leading \b made the regex engine try every position (20 times slower).
_ID = re.compile(r"""id=["']([^"']+)["']""")
_WORD_CHARACTER = re.compile(r"\w")


def _targets(html_text: str) -> Iterator[str]:
    yield from _LINK.findall(html_text)
    for srcset in _SRCSET.findall(html_text):
        yield from (candidate.split()[0] for candidate in srcset.split(",") if candidate.strip())


def check_links(site_dir: Path, base_path: str = "/", written: Written | None = None) -> list[str]:
    """'page: broken link' for every internal link, anchor or image that does not resolve.
    ``base_path`` is where the site is published ("/thi-dua/" on a project's forge pages):
    links from the root (the 404 page's) start with it.

    Paths are resolved as strings against the set of written files: no filesystem call per
    link, so 7,000 pages with their navigation check in seconds. With a memo, a page checked
    before is checked again only if its bytes, the set of files, or a page its anchors point
    into changed."""
    written = written or Written(site_dir)
    links = _Links(written.names, base_path)

    @cache
    def ids_of(page: str) -> frozenset[str]:
        return written.verdict("ids", page, lambda name: _ids(_text(written.read(name))))

    def page_problems(name: str) -> tuple[list[str], tuple[tuple[str, str], ...]]:
        """The page's broken links, and the pages (with their digests) its anchors point into."""
        problems, anchored = links.problems(name, _text(written.read(name)), ids_of)
        return problems, tuple((page, written.digest(page) if written.memo else "") for page in sorted(anchored))

    def still_true(found: tuple[list[str], tuple[tuple[str, str], ...]]) -> bool:
        """The anchored pages are as they were; their ids stay remembered for the day the
        set of files changes and this page is checked again."""
        if not all(written.digest(page) == digest for page, digest in found[1]):
            return False
        for page, digest in found[1]:
            written.keep("ids", page, digest)
        return True

    problems = []
    for name in (f for f in written.names if f.endswith(".html")):  # names are sorted
        problems += written.verdict("broken links", name, page_problems, links.file_set, valid=still_true)[0]
    return problems


class _Links:
    """Links resolved as strings against the names of a site's files."""

    def __init__(self, names: list[str], base_path: str) -> None:
        self.files, self.base_path = set(names), base_path
        # what a page's verdict depends on besides its own bytes
        self.file_set = hashlib.sha256("\n".join([base_path, *names]).encode("utf-8", "surrogatepass")).hexdigest()
        self.resolve = cache(self._resolve)  # the navigation's links recur on every page

    def _resolve(self, folder: str, path: str) -> str | None:
        if path.startswith("/"):
            if not (path + "/").startswith(self.base_path):
                return None
            folder, path = "", path[len(self.base_path) :]
        joined = posixpath.normpath(posixpath.join(folder, unquote(path)))
        if joined.startswith(".."):
            return None
        if joined in self.files:
            return joined
        index = posixpath.join("" if joined == "." else joined, "index.html")
        return index if index in self.files else None

    def problems(self, name: str, page_text: str, ids_of: Callable[[str], frozenset[str]]) -> tuple[list[str], set[str]]:
        """A page's broken links, and the pages its anchors point into (``ids_of`` gives a
        page's ids)."""
        folder = posixpath.dirname(name)
        problems, anchored = [], set()
        for link in sorted(set(_targets(page_text))):
            link = html.unescape(link)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "data:")):
                continue
            target = self.resolve(folder, parts.path) if parts.path else name
            if target is None:
                problems.append(f"{name}: liên kết hỏng «{link}»")
            elif parts.fragment and target.endswith(".html"):
                anchored.add(target)
                if unquote(parts.fragment) not in ids_of(target):
                    problems.append(f"{name}: liên kết tới mục không có «{link}»")
        return problems, anchored


class _AnotherPage(Exception):
    """A link points into another page's anchors: that page is not at hand."""


def _link_checker(names: Iterable[str], base_path: str) -> Callable[[str, bytes, str], tuple[tuple, tuple] | None]:
    """The link check of one page not yet written (its name under the site, its bytes and
    their SHA-256), against the names of the files the build will write, giving (memo key, verdict) as
    ``check_links`` does; for a page rendered on a worker. None for a page with an anchor
    in another page: ``check_links`` works that out. The verdict is found only if the names
    are exactly those written (its key holds their digest)."""
    links = _Links(sorted(names), base_path)

    def check(name: str, raw: bytes, digest: str) -> tuple[tuple, tuple] | None:
        page_text = _text(raw)

        @cache
        def ids_of(page: str) -> frozenset[str]:
            if page != name:
                raise _AnotherPage(page)
            return _ids(page_text)

        try:
            problems, anchored = links.problems(name, page_text, ids_of)
        except _AnotherPage:
            return None
        return Written.key("broken links", name, digest, links.file_set), (problems, tuple((page, digest) for page in anchored))

    return check


def _text(raw: bytes) -> str:
    """A page's text as Path.read_text gives it (universal newlines)."""
    return raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def _ids(page_text: str) -> frozenset[str]:
    return frozenset(
        html.unescape(found[1])
        for found in _ID.finditer(page_text)
        if not found.start() or not _WORD_CHARACTER.match(page_text, found.start() - 1)
    )


# --- Photos --------------------------------------------------------------------------------
def _metadata(path: Path) -> list[str]:
    """The kinds of metadata an image file still carries."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            found = ["EXIF GPS" if 0x8825 in exif else "EXIF"] if exif else []
            found += [key for key in ("xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc") if image.info.get(key)]
            found += ["văn bản PNG"] if getattr(image, "text", None) else []
            return found
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return ["không đọc được ảnh để kiểm tra"]


def check_images(site_dir: Path, root: Path, written: Written | None = None) -> list[str]:
    """Photos go out only as the pipeline's clean variants (bulletin/images.py)."""
    written = written or Written(site_dir)
    problems = []
    content = root / "content"
    for output in written.path_order:
        suffix = posixpath.splitext(output)[1].lower()
        if suffix not in PIPELINE_IMAGES | OTHER_IMAGES:
            continue
        if suffix in OTHER_IMAGES:
            problems.append(f"{output}: định dạng ảnh {suffix} không qua bước làm sạch ảnh; hãy dùng .jpg, .png hoặc .webp")
            continue
        original = content / output
        # the verdict depends on the original of the same name in content/, if there is one
        copied_from = content_key(original.read_bytes()).hex() if original.is_file() else ""
        problems += written.verdict("image", output, lambda name: _image_problems(name, written, content / name), copied_from)
    return problems


def _image_problems(output: str, written: Written, original: Path) -> list[str]:
    if original.is_file() and original.read_bytes() == written.read(output):
        return [f"{output}: ảnh gốc content/{output} bị chép nguyên lên trang (có thể còn tọa độ GPS)"]
    if kinds := _metadata(written.path(output)):
        return [f"{output}: ảnh còn siêu dữ liệu ({', '.join(kinds)})"]
    return []


def check_documents(site_dir: Path, written: Written | None = None) -> list[str]:
    """No PDF written still says who made it (content.py strips that; this checks it did)."""
    written = written or Written(site_dir)
    problems = []
    for output in written.path_order:
        if output.endswith(".pdf"):
            problems += written.verdict("document", output, lambda name: _document_problems(name, written.path(name)))
    return problems


def _document_problems(output: str, path: Path) -> list[str]:
    from pypdf import PdfReader  # where a PDF is read (content.clean_pdf says why)
    from pypdf.errors import PyPdfError
    from pypdf.generic import DictionaryObject

    try:
        reader = PdfReader(path)
        catalogue = reader.trailer["/Root"]
        if not isinstance(catalogue, DictionaryObject):
            raise TypeError("the trailer's /Root is no dictionary")
        carries = bool(reader.metadata) or "/Metadata" in catalogue
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        return [f"{output}: không đọc được tệp PDF để kiểm tra"]
    if carries:
        return [f"{output}: PDF còn siêu dữ liệu (tác giả, phần mềm, XMP)"]
    return []


class Coming(Protocol):
    """Images still being made while the pages are checked (a cold build's share images)."""

    names: list[str]  # their paths under the site folder

    def wait(self) -> None:
        """Returns once every one of them is written."""


def check_output(
    site_dir: Path,
    root: Path,
    base_path: str = "/",
    memo: Memo | None = None,
    known: dict[str, str] | None = None,
    coming: Coming | None = None,
    listed: Iterable[str] | None = None,
) -> list[str]:
    """Every problem of a built site, as Vietnamese lines; empty when it may be published.
    With a ``memo`` (memo.py), each check's verdict on a file is kept by the file's bytes, so
    a build checks again only the files that changed (and the pages whose links they touch);
    ``known``: the digests of files the build knows it did not write again (under serve);
    ``coming``: images links may point to already, whose files are checked once written;
    ``listed``: every file of the site, when the build has just listed the folder."""
    written = Written(site_dir, memo, known, coming.names if coming else (), listed)
    try:
        forbidden = [str(f) for f in scan_forbidden(site_dir, root, written)]
    except AllowListError as exc:
        return exc.problems
    links = check_links(site_dir, base_path, written)
    if coming:
        coming.wait()
    return forbidden + links + check_images(site_dir, root, written) + check_documents(site_dir, written)
