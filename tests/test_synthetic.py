"""The synthetic generator writes valid, deterministic data sets of any size."""

from __future__ import annotations

from datetime import date

from bulletin.model import load_site
from bulletin.schema import COLLECTIONS
from bulletin.synthetic import generate


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}


def test_generated_data_passes_every_check(tmp_path):
    counts = generate(tmp_path, 50)
    site, errors = load_site(tmp_path, date(2026, 11, 24))
    assert errors == []
    assert set(counts) == set(COLLECTIONS)
    assert len(site.stories) == counts["stories"] == 50


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate(tmp_path / "a", 30, seed=7)
    generate(tmp_path / "b", 30, seed=7)
    generate(tmp_path / "c", 30, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
