"""Property-based tests over the loader: over 10,000 generated hostile inputs (random bytes,
random text, random YAML trees with real field names, mutated real records, real records with
hostile YAML constructs spliced in). Whatever comes in, the answer is a valid record (its text
NFC) or a list of errors located inside the file: never an exception, never a hang (each input
runs under an alarm and is timed). The count and the slowest input go to
artifacts/fuzz-count.txt."""

from __future__ import annotations

import re
import signal
import tempfile
import time
import unicodedata
from pathlib import Path

import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from test_trust import to_tcvn3, to_vni

from bulletin.errors import LocatedError
from bulletin.loader import read_file, validate_record
from bulletin.schema import COLLECTIONS

RUNS = {"bytes": 0, "text": 0, "trees": 0, "mutations": 0, "constructs": 0}
VERDICTS = {"record": 0, "errors": 0}
SLOWEST = [0.0]
EXAMPLES = 2100  # x5 strategies: 10,500 inputs
PER_INPUT_SECONDS = 10  # an input still running after this is a hang
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
_ALL = sorted(p for p in (REPO / "data").rglob("*.*") if p.parent.name in COLLECTIONS)
SEEDS = [p for name in sorted(COLLECTIONS) for p in [q for q in _ALL if q.parent.name == name][:5]]
_SCRATCH = Path(tempfile.mkdtemp(prefix="fuzz-"))


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"no answer after {PER_INPUT_SECONDS} s")


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _last_line(content: bytes) -> int:
    """The last line an error may name: line breaks as an editor or YAML counts them (CR,
    CRLF, NEL, LS, PS), plus the end of a file that does not end with one."""
    text = content.decode("utf-8", errors="replace")
    breaks = len(_BREAKS.findall(text))
    return breaks + (1 if _BREAKS.search(text[-2:] or "\n") and text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")) else 2)


def _load(content: bytes, collection: str, suffix: str) -> None:
    """read_file + validate_record on ``content``, checking the contract."""
    path = _SCRATCH / f"record{suffix}"
    path.write_bytes(content)
    shown = f"data/{collection}/record{suffix}"
    last_line = _last_line(content)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_INPUT_SECONDS)
    started = time.perf_counter()
    try:
        data, positions, errors = read_file(path, shown)
        record = None
        if data is not None:
            assert not errors
            record, errors = validate_record(collection, "record", data, shown, positions)
            assert (record is None) == bool(errors)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        SLOWEST[0] = max(SLOWEST[0], time.perf_counter() - started)
    if record is None:
        assert errors, "no record and no error"
        VERDICTS["errors"] += 1
    else:
        VERDICTS["record"] += 1
        assert all(unicodedata.is_normalized("NFC", text) for text in _texts(record))
    for error in errors:
        assert isinstance(error, LocatedError) and error.path == shown and error.message and str(error)
        assert 1 <= error.line <= last_line, (error, last_line)


collections = st.sampled_from(sorted(COLLECTIONS))
suffixes = st.sampled_from([".yml", ".md"])


@FUZZ
@given(st.binary(max_size=2000), collections, suffixes)
def test_random_bytes(content, collection, suffix):
    RUNS["bytes"] += 1
    _load(content, collection, suffix)


@FUZZ
@given(st.text(max_size=2000), collections, suffixes)
def test_random_text(content, collection, suffix):
    RUNS["text"] += 1
    _load(content.encode("utf-8", "surrogatepass"), collection, suffix)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40), st.dates())
trees = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6), max_leaves=40
)
field_names = st.sampled_from(sorted({name for c in COLLECTIONS.values() for name in c.model.model_fields}))


@FUZZ
@given(st.dictionaries(field_names, trees, max_size=12), collections)
def test_random_yaml_trees_with_real_field_names(tree, collection):
    RUNS["trees"] += 1
    _load(yaml.safe_dump(tree, allow_unicode=True).encode(), collection, ".yml")


@FUZZ
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 20), st.binary(max_size=8)), max_size=6))
def test_mutated_real_records(seed, edits):
    RUNS["mutations"] += 1
    content = bytearray(seed.read_bytes())
    for position, length, replacement in edits:
        position %= max(len(content), 1)
        content[position : position + length] = replacement
    _load(bytes(content), seed.parent.name, seed.suffix)


def _laughs(levels: int) -> str:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


# What a hostile or careless file holds, spliced into real records at random lines.
CONSTRUCTS = [
    _laughs(9),
    _laughs(4),
    "deep: " + "[" * 300 + "]" * 300 + "\n",
    "deep: " + "{a: " * 60 + "b" + "}" * 60 + "\n",
    "".join(" " * i + "- \n" for i in range(0, 120, 2)),
    "\ufeff",
    "\t",
    "\tkey: value\n",
    "  \t- x\n",
    "title: một\ntitle: hai\n",
    "<<: *anchor\n",
    "x: &a b\ny: *a\n",
    "? [a, b]\n: c\n",
    "x: *missing\n",
    "!!python/object/apply:os.system [ls]\n",
    "x: !!binary aGVsbG8=\n",
    "x: !custom 1\n",
    "%YAML 1.1\n",
    "--- \n",
    "...\n",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r",
    "\r\n",
    "\u2028",
    "\u0085",
    "\ud800",
    "\U0001f600",
    "\u202e",
    "\ufffe",
    "title: \u0110a\u0309ng vie\u0302n\n",
    "title: \u00d0\u00f4ng\n",
    "x: 'không đóng\n",
    'x: "không đóng\n',
    "x: [a, b\n",
    "x: |\n  khối\n    chữ\n",
    "x: >-\n  gấp\n",
    "x: 1e400\n",
    "x: 0x1F\n",
    "x: .nan\n",
    "x: -.inf\n",
    "x: ~\n",
    "x: yes\n",
    "x: on\n",
    "x: 2024-02-30\n",
    "x: 2024-13-01\n",
    "x: 12:30:00\n",
    "x: 99999999999999999999999999\n",
    "date: 2024-02-30\n",
    "year: 2O24\n",
    "body: x\n",
    "consent:\n  covers: [tất cả]\n",
    "- a\n- b\n",
    "x: " + "Đảng viên " * 2000 + "\n",
    "k" * 2000 + ": v\n",
    "---\n---\n",
    "---\nx: 1\n---\nbody\n---\n",
    to_tcvn3("title: Đảng viên gương mẫu\n"),
    to_vni("summary: Người tốt việc tốt\n"),
    to_tcvn3("Bằng khen\n"),
    to_vni("Ủy ban nhân dân phường Sa Huỳnh\n"),
    "family_name: Hå\ngiven_name: Ngäc\n",
]


@FUZZ
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 200), st.sampled_from(CONSTRUCTS)), min_size=1, max_size=6))
def test_hostile_constructs_spliced_into_real_records(seed, inserts):
    RUNS["constructs"] += 1
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    for position, construct in inserts:
        lines.insert(position % (len(lines) + 1), construct)
    _load("".join(lines).encode("utf-8", "surrogatepass"), seed.parent.name, seed.suffix)


def test_the_fuzzers_ran_over_ten_thousand_inputs():
    """Runs last in this module (pytest keeps file order): count what the fuzzers did."""
    total = sum(RUNS.values())
    report = f"{total} inputs {RUNS}; verdicts {VERDICTS}; slowest input {SLOWEST[0]:.2f} s\n"
    (REPO / "artifacts").mkdir(exist_ok=True)
    (REPO / "artifacts" / "fuzz-count.txt").write_text(report, encoding="utf-8")
    print(report)
    assert total >= 10_000, RUNS
    assert VERDICTS["record"] > 100 and VERDICTS["errors"] > 1000  # both outcomes were exercised
