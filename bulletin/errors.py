"""Located errors and their Vietnamese wording.

One output format, like a compiler's: ``data/people/a.yml:12: honours[0].year: message``.
Messages are chosen by pydantic's stable error ``type``, never by matching English text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class LocatedError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


class DataErrors(Exception):
    """Raised once, after every record was checked, carrying all the errors."""

    def __init__(self, errors: Iterable[LocatedError]):
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} lỗi dữ liệu")


def format_loc(loc: Loc) -> str:
    """('honours', 0, 'year') -> 'honours[0].year'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def shown(value: Any) -> str:
    """A found value as an editor would recognise it, kept short."""
    if value is None:
        return "để trống"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "một nhóm trường"
    if isinstance(value, list):
        return "một danh sách"
    text = str(value)
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def suggest(wrong: str, choices: Iterable[str]) -> str:
    """'. Có phải ý bạn là «x»?' when a close choice exists, else ''."""
    close = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.6)
    return f". Có phải ý bạn là «{close[0]}»?" if close else ""


# What each pydantic error type means, in the words an editor uses. ``{found}`` is added
# by ``describe`` for types whose input is worth showing.
_MESSAGES: dict[str, str] = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường lạ, không có trong loại hồ sơ này",
    "string_type": "cần một đoạn chữ",
    "string_too_short": "không được để trống",
    "string_too_long": "quá dài: tối đa {max_length} ký tự",
    "string_pattern_mismatch": "chỉ dùng chữ thường không dấu, số và dấu gạch ngang (ví dụ: pho-thanh)",
    "int_type": "cần một số nguyên",
    "int_parsing": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_type": "cần một con số (dùng dấu chấm cho phần thập phân: 12.5)",
    "float_parsing": "cần một con số (dùng dấu chấm cho phần thập phân: 12.5)",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "date_type": "cần một ngày dạng 2024-06-28 hoặc 28/6/2024",
    "date_parsing": "cần một ngày dạng 2024-06-28 hoặc 28/6/2024",
    "date_from_datetime_parsing": "cần một ngày dạng 2024-06-28 hoặc 28/6/2024",
    "date_from_datetime_inexact": "chỉ ghi ngày, không ghi giờ",
    "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng «- »)",
    "too_short": "cần ít nhất {min_length} mục",
    "model_type": "cần một nhóm trường (các dòng «tên: giá trị» thụt vào)",
    "model_attributes_type": "cần một nhóm trường (các dòng «tên: giá trị» thụt vào)",
    "dict_type": "cần một nhóm trường (các dòng «tên: giá trị» thụt vào)",
    "literal_error": "cần một trong: {expected}",
    "greater_than_equal": "cần một số không nhỏ hơn {ge}",
    "less_than_equal": "cần một số không lớn hơn {le}",
    "greater_than": "cần một số lớn hơn {gt}",
    "less_than": "cần một số nhỏ hơn {lt}",
}
_SHOW_FOUND = set(_MESSAGES) - {"missing", "extra_forbidden", "too_short", "string_too_short"}


def describe(error: ErrorDetails, choices: list[str] | None = None) -> str:
    """The Vietnamese message of one pydantic error dict.

    ``choices`` are the allowed values (literal fields) or the known field names (unknown
    key), looked up in the schema by the caller.
    """
    kind = error["type"]
    ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (error.get("ctx") or {}).items()}
    if kind == "literal_error" and choices:
        ctx["expected"] = ", ".join(f"«{c}»" for c in choices)
    template = _MESSAGES.get(kind)
    message = template.format(**ctx) if template else error["msg"]
    found = error.get("input")
    if kind in _SHOW_FOUND or (template is None and not isinstance(found, (dict, list))):
        message += f", nhận được {shown(found)}"
    if kind == "extra_forbidden" and choices:
        message += suggest(str(error["loc"][-1]), choices)
    if kind == "literal_error" and choices:
        message += suggest(str(error.get("input")), choices)
    return message
