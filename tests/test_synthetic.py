"""The synthetic generator writes valid, deterministic data sets of any size."""

from __future__ import annotations

from datetime import date

import pytest

from bulletin.loader import load_records
from bulletin.model import load_site
from bulletin.schema import COLLECTIONS
from bulletin.synthetic import CHANGE_DAY, generate, main


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    return root, generate(root, 50)


def test_generated_records_load_without_errors(generated):
    root, counts = generated
    loaded, errors = load_records(root)
    assert errors == []
    assert len(loaded) == sum(counts.values())
    assert all(item.record.sample for item in loaded)


def test_generated_data_passes_the_cross_record_checks(generated):
    root, counts = generated
    site, errors = load_site(root, date(2026, 11, 24))
    assert errors == []
    assert site.withheld == []  # everyone named consented to name and story
    assert len(site.stories) == counts["stories"] == 50


def test_every_collection_gets_records(generated):
    root, counts = generated
    assert set(counts) == set(COLLECTIONS)
    assert all(counts[name] > 0 for name in COLLECTIONS)
    for name in COLLECTIONS:
        assert len(list((root / "data" / name).iterdir())) == counts[name]


def test_units_span_the_reorganisation(generated):
    root, _ = generated
    units = {item.record.id: item.record for item in load_records(root)[0] if item.collection == "units"}
    before = [u for u in units.values() if u.valid_to == CHANGE_DAY]
    after = [u for u in units.values() if u.valid_from == CHANGE_DAY]
    assert len(before) >= 15 and len(after) >= 5
    assert all(u.reorganised and all(s in units for s in u.successors + u.territory_to) for u in before if u.kind != "đảng bộ")


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate(tmp_path / "a", 30, seed=7)
    generate(tmp_path / "b", 30, seed=7)
    generate(tmp_path / "c", 30, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_command_line(tmp_path, capsys):
    assert main(["12", str(tmp_path)]) == 0
    assert "12 stories" in capsys.readouterr().out
    assert len(list((tmp_path / "data" / "stories").glob("*.md"))) == 12
