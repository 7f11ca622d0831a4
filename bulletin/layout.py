"""The layout of a record file: the one the web form writes, so that saving a record in the
form changes only the lines of the fields the editor changed.

Sveltia CMS serialises a record with the `yaml` library (`output` in cms.py): keys in the
form's field order (the schema's), an empty optional field left out, a tick box always
written, strings plain where YAML allows and in single quotes otherwise, lines never folded,
block lists indented by two spaces; a Markdown record is `---`, that YAML, `---`, a blank
line and the body. `record_text` writes the same from a record's data, and
`python -m bulletin fmt` rewrites data/ with it (explanations live on the data-format page,
/huong-dan/du-lieu/, not in comments, which the form would drop).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from .errors import LocatedError
from .fields import field_shape
from .loader import read_file
from .schema import COLLECTIONS

INDENT = "  "
# The `yaml` library's test for a string it cannot write plain (stringifyString.ts); JS's `$`
# is Python's `\Z` here.
_NOT_PLAIN = re.compile(r"^[\n\t ,\[\]{}#&*!|>'\"%@`]|^[?-]\Z|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]\Z")
# Strings YAML 1.2 would read as something else (core schema: null, booleans, numbers)...
_OTHER_TYPE = re.compile(
    r"^(?:~|[Nn]ull|NULL)?\Z|^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)\Z|^[-+]?[0-9]+\Z|^0o[0-7]+\Z|^0x[0-9a-fA-F]+\Z"
    r"|^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)\Z|^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+\Z"
    r"|^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)\Z"
)
# ... and strings our loader (libyaml's YAML 1.1 resolvers) would: 1:30, 0b101, 1_000,
# 2024-09-18 in a text field. The form writes these plain; quoting them keeps their meaning,
# at the cost of that one line if the form saves the record again.
_RESOLVER = yaml.resolver.Resolver()
_TEXT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:bool"}  # the loader's booleans are 1.2's


def _read_as_other_type(text: str) -> bool:
    return bool(_OTHER_TYPE.search(text)) or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) not in _TEXT_TAGS


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _quoted(text: str) -> str:
    """Single quotes, unless the text has a single quote and no double one."""
    if "'" in text and '"' not in text:
        return '"' + "".join(_ESCAPES.get(c, f"\\x{ord(c):02x}" if ord(c) < 0x20 else c) for c in text) + '"'
    return "'" + text.replace("'", "''") + "'"


def _block(text: str, indent: str) -> str:
    """A multi-line string as a literal block (|, |- or |+ by its trailing newlines)."""
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    header = ("2" if body.startswith(" ") else "") + chomp
    lines = [indent + line if line else "" for line in body.split("\n")]
    tail = ["" for _ in range(trailing - 1)] if chomp == "+" else []
    return f"|{header}\n" + "\n".join(lines + tail)


def scalar(value: Any, indent: str = INDENT) -> str:
    """One value as the form writes it; ``indent`` is that of a block string's lines."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _NOT_PLAIN.search(text):
        return _block(text, indent) if "\n" in text else _quoted(text)
    if "\n" in text:
        return _block(text, indent)
    if _read_as_other_type(text):
        return _quoted(text)
    return text


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def ordered(model: type[BaseModel] | None, data: dict) -> dict:
    """``data`` in the form's field order, empty optional fields left out, every tick box
    written (the form writes its default); keys the schema does not know come last."""
    if model is None:
        return dict(data)
    result: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "body":
            continue
        shape = field_shape(info)
        if name not in data:
            if shape.base is bool:
                result[name] = bool(info.default)
            continue
        value = data[name]
        if _is_empty(value) and not info.is_required():
            continue
        part = shape.model()
        if part is not None and isinstance(value, dict):
            value = ordered(part, value)
        elif part is not None and isinstance(value, list):
            value = [ordered(part, item) if isinstance(item, dict) else item for item in value]
        result[name] = value
    result.update({k: v for k, v in data.items() if k not in model.model_fields})
    return result


def _lines(value: Any, indent: str) -> list[str]:
    """A mapping or a list in block style, each line at ``indent``."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += _entry(f"{indent}{key}:", item, indent + INDENT, indent + INDENT)
    else:
        for item in value:
            nested = _entry(f"{indent}-", item, indent + INDENT, indent + INDENT)
            if isinstance(item, dict) and item:  # the first key goes on the dash's line
                nested = [f"{indent}- " + nested[1].lstrip(), *nested[2:]]
            lines += nested
    return lines


def _entry(head: str, value: Any, indent: str, block_indent: str) -> list[str]:
    if isinstance(value, dict) and value:
        return [head, *_lines(value, indent)]
    if isinstance(value, list) and value:
        return [head, *_lines(value, indent)]
    if isinstance(value, (dict, list)):
        return [f"{head} {'{}' if isinstance(value, dict) else '[]'}"]
    return [f"{head} {scalar(value, block_indent)}"]


def yaml_text(data: dict) -> str:
    return "\n".join(_lines(data, "")) + "\n" if data else "{}\n"


def record_text(collection: str, data: dict) -> str:
    """The whole file of a record (its body, if any, under ``data["body"]``)."""
    model = COLLECTIONS[collection].model
    front = yaml_text(ordered(model, {k: v for k, v in data.items() if k != "body"}))
    if not COLLECTIONS[collection].has_body:
        return front
    body = str(data.get("body") or "").strip("\n")
    return "---\n" + front + "---\n" + (f"\n{body}\n" if body else "")


def formatted(root: Path, file: Path) -> tuple[str | None, list[LocatedError]]:
    """The file's text in the form's layout, or None and why if it cannot be read."""
    relative = file.relative_to(root).as_posix()
    data, _, errors = read_file(file, relative)
    if data is None:
        return None, errors
    return record_text(file.parent.name, data), []


def data_files(root: Path) -> list[Path]:
    return sorted(
        f for name in COLLECTIONS for f in (root / "data" / name).glob("*") if f.suffix in {".yml", ".md"} and f.is_file()
    )


def format_data(root: Path, write: bool = True) -> tuple[list[Path], list[LocatedError]]:
    """Rewrite (or, with write=False, only list) the files of data/ not in the form's layout.
    A file that does not parse is left as it is and reported."""
    changed, problems = [], []
    for file in data_files(root):
        text, errors = formatted(root, file)
        problems += errors
        if text is not None and text != file.read_text(encoding="utf-8"):
            changed.append(file)
            if write:
                file.write_text(text, encoding="utf-8")
    return changed, problems
