"""Property-based tests over the loader: more than 10,000 generated hostile inputs (random
bytes, random text, random YAML trees, mutated real records). Whatever comes in, the answer
is a valid record or a list of located errors: never an exception, never a hang."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.errors import LocatedError
from bulletin.loader import read_file, validate_record
from bulletin.schema import COLLECTIONS
from conftest import REPO

RUNS = {"bytes": 0, "text": 0, "trees": 0, "mutations": 0}
EXAMPLES = 2600  # x4 strategies: over 10,000 inputs
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
SEEDS = [p for p in sorted((REPO / "data").rglob("*.*"))][:40]
_SCRATCH = Path(tempfile.mkdtemp(prefix="fuzz-"))


def _load(content: bytes, collection: str, suffix: str):
    """read_file + validate_record on ``content``, checking the contract; returns nothing."""
    path = _SCRATCH / f"record{suffix}"
    path.write_bytes(content)
    data, positions, errors = read_file(path, f"data/{collection}/record{suffix}")
    assert all(isinstance(e, LocatedError) and e.line >= 1 and e.message for e in errors)
    if data is None:
        assert errors, "no data and no error"
        return
    record, errors = validate_record(collection, "record", data, f"data/{collection}/record{suffix}", positions)
    assert (record is None) == bool(errors)
    assert all(isinstance(e, LocatedError) and e.line >= 1 and str(e) for e in errors)


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
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6), max_leaves=40)
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


def test_the_fuzzers_ran_over_ten_thousand_inputs():
    """Runs last in this module (pytest keeps file order): count what the fuzzers did."""
    total = sum(RUNS.values())
    (REPO / "artifacts").mkdir(exist_ok=True)
    (REPO / "artifacts" / "fuzz-count.txt").write_text(f"{total} {RUNS}\n", encoding="utf-8")
    assert total >= 10_000, RUNS
