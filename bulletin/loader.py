"""Read record files under data/ into validated records, keeping the line of every field.

Nothing here raises on bad data: every function returns the errors it found, located by file,
line and field path, so that one run reports every mistake in every file.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Loc, LocatedError, describe, format_loc
from .fields import annotation_at
from .folders import link_error, list_folder
from .memo import Memo, content_key
from .parallel import map_forked, worker_count
from .schema import COLLECTIONS, ID_PATTERN, Record
from .vietnamese import format_number, normalize_text

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000  # a YAML "billion laughs" expands aliases past any real record
MAX_DEPTH = 40
RECORD_SUFFIXES = {".yml", ".yaml", ".md"}
RESERVED_ID = re.compile(r"^trang-\d+$")  # listing pages are named trang-2, trang-3, ...
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass
class Positions:
    """Line numbers (1-based) of the keys and items of one record file."""

    lines: dict[Loc, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, loc: Loc) -> int:
        """The line of ``loc``, or of its nearest ancestor present in the file."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return self.first_line


@dataclass
class LoadedRecord:
    collection: str
    record: Record
    path: str
    positions: Positions


class _TooLarge(Exception):
    pass


_TOO_DEEP = "dữ liệu lồng quá sâu hoặc quá nhiều bí danh (&, *)"
_NOT_UTF8 = "tệp không phải UTF-8 (có thể lưu từ phần mềm cũ hoặc bảng mã TCVN3/VNI); hãy mở và lưu lại dạng UTF-8"


# --- Reading one file ----------------------------------------------------------------------
def _decode(raw: bytes, path: str) -> tuple[str | None, list[LocatedError]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [LocatedError(path, 1, "", f"tệp quá lớn ({format_number(len(raw))} byte); tối đa 1 MB")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, Notepad's "Unicode"
        return None, [LocatedError(path, 1, "", _NOT_UTF8)]
    if b"\x00" in raw:
        return None, [LocatedError(path, 1, "", "tệp nhị phân, không phải văn bản")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [LocatedError(path, line, "", _NOT_UTF8)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if control := _CONTROL.search(text):
        line = text.count("\n", 0, control.start()) + 1
        return None, [LocatedError(path, line, "", _control_message(control[0]))]
    return text, []


# What YAML calls non-printable (C0 and C1 controls but tab, line breaks and NEL; lone
# surrogates; U+FFFE/FFFF): pasted from a word processor or a PDF, invisible in an editor.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _control_message(char: str) -> str:
    return (
        f"có ký tự điều khiển không in được (U+{ord(char):04X}), thường do dán từ phần mềm khác; "
        "hãy xóa ký tự đó (gõ lại đoạn chữ quanh nó)"
    )


class _RecordLoader(yaml.CSafeLoader):
    """libyaml's parser (fast, nesting-limited) with YAML 1.2 booleans: only true/false are
    booleans, so a value such as "no" or "on" stays text. A subclass, so the global loader
    that MkDocs uses is untouched."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_RecordLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


_SAFE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


class _BadTag(Exception):
    def __init__(self, tag: str, line: int):
        self.tag, self.line = tag, line


# Text typed with the old TCVN3 (ABC) or VNI fonts and pasted as Unicode turns into letters
# mixed with symbols ("§¶ng viªn", "kÕt") or into letter pairs that Vietnamese never has
# ("Ñaûng vieân"). Such text is refused, never published as garbage. Measured on the shipped
# data converted to each encoding: 97% of the changed values are caught (the rest are short
# words that read as real ones: "Thò", "hé"), and no Unicode value of data/, content/ or
# docs/ is refused.
_L = r"[^\W\d_]"  # a letter, Vietnamese included
_TCVN3 = re.compile(
    rf"(?<={_L})[¸¶·¹¨¼½¾ª¢£¤¥¦÷µ¬§]|[¸¶·¹¨¼½¾ª¢£¤¥¦÷§\xad](?={_L})|(?<!\d)µ(?={_L})"
    rf"|®(?={_L})|(?<={_L})[«»©×¡](?={_L})"  # ® đ starts a word; a guillemet touches one letter only
    r"|(?<=[a-zß-öø-ÿ])[ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝÇËÎÏÑÖØÜÞ]"  # a capital inside a word: "kÕt", "TuÊn"
)
_TCVN3_LETTERS = re.compile(rf"(?<={_L})[ÆÇËÎÏÑÖØÜÞßäåæçëîïñöøûüþ]|[ÆÇËÎÏÑÖØÜÞßäåæçëîïñöøûüþ](?={_L})")
_V = "aeiouyAEIOUYôöÔÖ"
_VNI = re.compile(
    rf"[{_V}][øûïäåëüùØÛÏÄÅËÜÙ]|[aeAE][áàãâÁÀÃÂ]|[oO][âÂ]|[aA][êéèúÊÉÈÚ]|[öÖ][ôÔ]"
    rf"|(?<!{_L})[ñÑ](?=[{_V}])|(?<={_L})æ|(?<=[A-Z])Ñ(?![a-z])"
)
# A syllable ending in c, ch, p or t takes only the sắc or nặng tone: "tèt" is no Vietnamese.
_IMPOSSIBLE = re.compile(rf"(?i)[àèìòùỳảẻỉỏủỷãẽĩõũỹầềồằẩểổẳẫễỗẵờừởửỡữ][aeiouy]?(?:ch|c|p|t)(?!{_L})")


def legacy_encoding(text: str) -> str | None:
    """'TCVN3' or 'VNI' when ``text`` looks typed in an old Vietnamese font encoding."""
    if text.isascii():
        return None
    vni, tcvn3 = len(_VNI.findall(text)), len(_TCVN3.findall(text))
    if vni or tcvn3:
        return "VNI" if vni > tcvn3 else "TCVN3"
    if len(_TCVN3_LETTERS.findall(text)) >= 2 or _IMPOSSIBLE.search(text):
        return "TCVN3"
    return None


def _legacy_letters(text: str) -> _Legacy | None:
    """Letters Vietnamese never has (ä, å, ß, ï...) twice in one file: one alone may be a
    foreign name; a record of "Hå" and "Ngäc" is TCVN3 even if no value says so alone."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if _TCVN3_LETTERS.search(line)]
    if sum(len(_TCVN3_LETTERS.findall(line)) for _, line in lines) >= 2:
        return _Legacy("TCVN3/VNI", lines[0][0], lines[0][1].strip())
    return None


class _Legacy(Exception):
    def __init__(self, encoding: str, line: int, sample: str, loc: Loc = ()):
        self.encoding, self.line, self.sample, self.loc = encoding, line, sample, loc


def _legacy_error(exc: _Legacy, path: str, offset: int) -> LocatedError:
    message = (
        f"văn bản có vẻ gõ bằng bảng mã {exc.encoding} cũ («{exc.sample[:40]}»); "
        "hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi dán lại"
    )
    return LocatedError(path, exc.line + offset, format_loc(exc.loc), message)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


def _plain(node: yaml.Node, loc: Loc, lines: dict[Loc, int], budget: list[int], loader: _RecordLoader) -> Any:
    """libyaml's node tree -> plain dict/list/scalars, NFC text, recording the line of every
    key and item. The node budget stops alias bombs, which share nodes instead of copying."""
    budget[0] -= 1
    if budget[0] < 0 or len(loc) > MAX_DEPTH:
        raise _TooLarge
    if node.tag not in _SAFE_TAGS:  # !!python/object and friends are never constructed
        raise _BadTag(node.tag, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag not in _SAFE_TAGS:  # the merge key <<, a tagged key
                raise _BadTag(key_node.tag, key_node.start_mark.line + 1)
            name = normalize_text(str(loader.construct_object(key_node)))
            if name in result:
                raise _DuplicateKey(name, key_node.start_mark.line + 1)
            lines[(*loc, name)] = key_node.start_mark.line + 1
            result[name] = _plain(value_node, (*loc, name), lines, budget, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            items.append(_plain(item, (*loc, index), lines, budget, loader))
        return items
    try:
        value = loader.construct_object(node)
    except (ValueError, OverflowError):
        value = node.value  # 2024-02-30, a 5,000-digit number: the schema words the error
    if not isinstance(value, str):
        return value
    if encoding := legacy_encoding(value):
        raise _Legacy(encoding, node.start_mark.line + 1, value, loc)
    return normalize_text(value)


def parse_yaml(text: str, path: str, line_offset: int) -> tuple[Any, Positions, list[LocatedError]]:
    positions = Positions(first_line=1 + line_offset)
    loader = _RecordLoader(text)
    try:
        tree = loader.get_single_node()
        lines: dict[Loc, int] = {}
        data = None if tree is None else _plain(tree, (), lines, [MAX_NODES], loader)
    except _BadTag as exc:
        tag = exc.tag.replace("tag:yaml.org,2002:", "!!")
        message = f"thẻ YAML «{tag}» không được dùng trong hồ sơ; hãy ghi giá trị thường"
        return None, positions, [LocatedError(path, exc.line + line_offset, "", message)]
    except _Legacy as exc:
        return None, positions, [_legacy_error(exc, path, line_offset)]
    except _DuplicateKey as exc:
        message = f"khóa «{exc.key}» bị lặp (mỗi trường chỉ ghi một lần)"
        return None, positions, [LocatedError(path, exc.line + line_offset, "", message)]
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # libyaml's own limit, before ours
            return None, positions, [LocatedError(path, 1 + line_offset, "", _TOO_DEEP)]
        return None, positions, [_syntax_error(exc, path, line_offset)]
    except (_TooLarge, RecursionError):
        return None, positions, [LocatedError(path, 1 + line_offset, "", _TOO_DEEP)]
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return None, positions, [LocatedError(path, 1 + line_offset, "", f"giá trị YAML không đọc được: {exc}")]
    finally:
        loader.dispose()
    positions.lines = {loc: line + line_offset for loc, line in lines.items()}
    return data, positions, []


# libyaml's problems, in the words of an editor who just made them. Matched on libyaml's
# problem text, which is its only error "type".
_SYNTAX_HINTS = (
    ("unexpected end of stream", "dấu ngoặc kép chưa được đóng"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("mapping values are not allowed", "thụt lề sai, hoặc giá trị có dấu hai chấm (hãy đặt giá trị trong ngoặc kép)"),
    ("did not find expected ','", "dấu ngoặc [ ] hoặc { } chưa được đóng"),
    ("cannot start any token", "có ký tự không dùng được ở đây (thường là phím Tab: hãy thụt lề bằng dấu cách)"),
    ("<document start>", "dòng đầu bị thụt lề, hoặc các dòng thụt lề không đều"),
    ("did not find expected key", "thụt lề không đều, hoặc có chữ sau dấu ngoặc kép đóng"),
    ("<block end>", "thụt lề không đều, hoặc có chữ sau dấu ngoặc kép đóng"),
    ("another document", "có thêm dòng --- ở giữa tệp"),
    ("undefined alias", "bí danh (*) chưa được khai báo"),
    ("did not find expected '-'", "danh sách thụt lề không đều"),
)
# For these, the context mark is where the enclosing block began, not the broken line.
_CONTEXT_IS_THE_BLOCK = ("while parsing a block mapping", "while parsing a block collection", "expected a single document")


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, offset: int) -> LocatedError:
    # Otherwise the context mark is where the broken construct began (the unclosed quote,
    # the key missing its colon): the line an editor has to fix.
    use_problem = not exc.context_mark or (exc.context or "").startswith(_CONTEXT_IS_THE_BLOCK)
    mark = exc.problem_mark if use_problem and exc.problem_mark else exc.context_mark
    line = (mark.line + 1 if mark else 1) + offset
    problem = exc.problem or ""
    hint = next(
        (vn for key, vn in _SYNTAX_HINTS if key in problem), "cấu trúc không đúng (kiểm tra thụt lề, dấu hai chấm, ngoặc kép)"
    )
    return LocatedError(path, line, "", f"lỗi cú pháp YAML: {hint}")


def read_file(file: Path, path: str, raw: bytes | None = None) -> tuple[dict[str, Any] | None, Positions, list[LocatedError]]:
    """Parse a .yml record, or a .md record (YAML front matter + Markdown body); ``raw``: its
    bytes, when the caller has read them already."""
    text, errors = _decode(file.read_bytes() if raw is None else raw, path)
    if text is None:
        return None, Positions(), errors
    body, body_line, whole = None, 1, text
    if file.suffix == ".md":
        match = _FRONT_MATTER.match(text)
        if not match:
            return None, Positions(), [LocatedError(path, 1, "", "tệp .md cần phần đầu YAML nằm giữa hai dòng ---")]
        body = normalize_text(text[match.end() :].strip("\n"))
        rest = text[match.end() :]
        # The body's line is that of its first text: blank lines after --- are skipped.
        body_line = text[: match.end()].count("\n") + 1 + (len(rest) - len(rest.lstrip("\n")))
        for number, line in enumerate(body.splitlines(), body_line):
            if encoding := legacy_encoding(line):
                return None, Positions(), [_legacy_error(_Legacy(encoding, number, line.strip(), ("body",)), path, 0)]
        text = match[1] or ""
    data, positions, errors = parse_yaml(text, path, 1 if body is not None else 0)
    if errors:
        return None, positions, errors
    if legacy := _legacy_letters(whole):
        return None, positions, [_legacy_error(legacy, path, 0)]
    data = {} if data is None else data
    if not isinstance(data, dict):
        return None, positions, [LocatedError(path, 1, "", "hồ sơ cần là một nhóm trường «tên: giá trị»")]
    if body is not None:
        if "body" in data:
            return (
                None,
                positions,
                [
                    LocatedError(
                        path,
                        positions.line_of(("body",)),
                        "body",
                        "nội dung đã viết bên dưới phần đầu, không ghi thêm trường body",
                    )
                ],
            )
        data["body"] = body
        positions.lines[("body",)] = body_line
    return data, positions, []


# --- Validating one record -----------------------------------------------------------------
def _choices(model: type[BaseModel], error: ErrorDetails) -> list[str] | None:
    if error["type"] == "extra_forbidden":
        owner = annotation_at(model, error["loc"][:-1])
        if isinstance(owner, type) and issubclass(owner, BaseModel):
            return list(owner.model_fields)
    if error["type"] == "literal_error":
        found = annotation_at(model, error["loc"])
        if typing.get_origin(found) is Literal:
            return [str(a) for a in typing.get_args(found)]
    return None


def validate_record(
    collection: str, record_id: str, data: dict[str, Any], path: str, positions: Positions
) -> tuple[Record | None, list[LocatedError]]:
    model = COLLECTIONS[collection].model
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return None, [
            LocatedError(
                path,
                positions.line_of(err["loc"]),
                format_loc(err["loc"]),
                describe(err, _choices(model, err)),
            )
            for err in exc.errors(include_url=False)
        ]
    record.bind(record_id, path)
    return record, []


# --- Reading the data folder ---------------------------------------------------------------
def _record_files(data_dir: Path, root: Path) -> Iterator[tuple[str, Path, str, list[LocatedError]]]:
    """(collection, file, display path, errors about the file's place) for every file; a
    symlink is refused, never read (folders.py)."""
    listing = list_folder(data_dir)
    for link in listing.links:
        yield "", link, link.relative_to(root).as_posix(), [link_error(link, root)]
    for file in listing.files:
        parts = file.relative_to(data_dir).parts
        if any(p.startswith(".") for p in parts):
            continue
        path = file.relative_to(root).as_posix()
        if file.name.lower() == "readme.md":
            continue
        if len(parts) != 2 or parts[0] not in COLLECTIONS:
            known = ", ".join(COLLECTIONS)
            yield "", file, path, [LocatedError(path, 1, "", f"tệp nằm ngoài các thư mục hồ sơ: {known}")]
        elif file.suffix not in RECORD_SUFFIXES:
            yield "", file, path, [LocatedError(path, 1, "", "chỉ nhận tệp .yml hoặc .md")]
        else:
            yield parts[0], file, path, []


def _check_id(record_id: str, path: str) -> list[LocatedError]:
    if not re.match(ID_PATTERN, record_id):
        return [
            LocatedError(path, 1, "", "tên tệp chỉ dùng chữ thường không dấu, số và dấu gạch ngang (ví dụ: nguyen-van-a.yml)")
        ]
    if RESERVED_ID.match(record_id):
        return [LocatedError(path, 1, "", "tên tệp dạng trang-2 dành cho trang danh sách; hãy đặt tên khác")]
    return []


def _load_file(
    collection: str, record_id: str, file: Path, path: str, raw: bytes | None
) -> tuple[LoadedRecord | None, list[LocatedError]]:
    """One record file read and validated: the record, or the errors that keep it out."""
    data, positions, errors = read_file(file, path, raw)
    if data is None:
        return None, errors
    if not COLLECTIONS[collection].has_body and "body" in data and file.suffix == ".md":
        return None, [
            LocatedError(path, positions.line_of(("body",)), "", "loại hồ sơ này không có phần nội dung; dùng tệp .yml")
        ]
    record, record_errors = validate_record(collection, record_id, data, path, positions)
    return (None if record is None else LoadedRecord(collection, record, path, positions)), record_errors


def load_records(root: Path, memo: Memo | None = None) -> tuple[list[LoadedRecord], list[LocatedError]]:
    """Read and validate every record under ``root/data``, collecting every error.

    With a ``memo`` (memo.py), a file whose path and bytes were read before is not parsed or
    validated again: its record (or its errors) comes from the memo. The entries are never
    changed after they are made, so a memo kept in memory may hand out the same objects.
    The files left to parse are parsed on every core when there are many (a cold build)."""
    data_dir = root / "data"
    if not data_dir.is_dir():
        return [], [LocatedError("data", 1, "", "không thấy thư mục data/")]
    found: list[_Found] = []
    seen: dict[tuple[str, str], str] = {}
    for collection, file, path, place_errors in _record_files(data_dir, root):
        if place_errors:
            found.append(_Found(collection, file, path, place_errors, None, (None, [])))
            continue
        id_errors = _check_id(file.stem, path)
        if (collection, file.stem) in seen:
            id_errors.append(LocatedError(path, 1, "", f"trùng mã «{file.stem}» với {seen[collection, file.stem]}"))
        seen.setdefault((collection, file.stem), path)
        raw = file.read_bytes() if memo is not None else None  # read once: for the key, and parsed on a miss
        key = (collection, path, content_key(raw)) if raw is not None else None
        remembered = memo.get(key) if memo is not None and key is not None else None
        found.append(_Found(collection, file, path, id_errors, raw, remembered, key))
    missing = [item for item in found if item.loaded is None]
    for item, loaded in zip(missing, map_forked(_Found.load, missing, worker_count()), strict=True):
        item.loaded = loaded
        if memo is not None and item.key is not None:
            memo.put(item.key, loaded)
    records: list[LoadedRecord] = []
    errors: list[LocatedError] = []
    for item in found:
        assert item.loaded is not None
        record, file_errors = item.loaded
        errors += item.errors + file_errors
        if record is not None and not item.errors:
            records.append(record)
    return records, errors


@dataclass
class _Found:
    """A record file found under data/: its errors of place or name, its bytes (with a memo),
    and what loading it gave (from the memo, or parsed)."""

    collection: str
    file: Path
    path: str
    errors: list[LocatedError]
    raw: bytes | None
    loaded: tuple[LoadedRecord | None, list[LocatedError]] | None
    key: tuple[str, str, bytes] | None = None

    def load(self) -> tuple[LoadedRecord | None, list[LocatedError]]:
        return _load_file(self.collection, self.file.stem, self.file, self.path, self.raw)
