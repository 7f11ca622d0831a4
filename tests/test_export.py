"""Open-data exports: JSON and CSV parse back to the records the site shows, under the same
consent and draft rules."""

from __future__ import annotations

import csv
import io
import json

from datetime import date

from bulletin.export import record_row
from bulletin.model import load_site
from conftest import BUILD_DAY, REPO, build_project
from test_build import PERSON, STORY, UNITS


def test_exports_round_trip_to_the_published_records(shipped_site):
    site, errors = load_site(REPO, date.fromisoformat(BUILD_DAY))
    assert errors == []
    for name, records in site.records.items():
        expected = sorted((record_row(r) for r in records.values()), key=lambda row: row["id"])
        as_json = json.loads((shipped_site / "du-lieu-mo" / f"{name}.json").read_text(encoding="utf-8"))
        assert as_json == json.loads(json.dumps(expected, ensure_ascii=False)), name
        raw = (shipped_site / "du-lieu-mo" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [row["id"] for row in rows] == [row["id"] for row in expected], name
        for row, original in zip(rows, as_json):
            for key, value in original.items():
                cell = row[key]
                parsed = json.loads(cell) if isinstance(value, (list, dict)) else cell
                assert parsed == (value if isinstance(value, (list, dict)) else ("" if value is None else str(value))), (name, key)


def test_csv_cells_that_a_spreadsheet_would_run_are_defused():
    from bulletin.export import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("-5") == "-5" and _cell(["a"]) == '["a"]'


def test_exports_leave_out_consent_drafts_and_withheld_people(make_project, tmp_path):
    draft = STORY.replace("title: Chị Mai", "draft: true\ntitle: Chị Mai")
    withheld = PERSON.split("consent:")[0].replace("Mai", "Hoa")
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "people/tran-thi-hoa.yml": withheld, "stories/tra-vi.md": draft})
    site = build_project(project, tmp_path / "site")
    exports = "".join(p.read_text(encoding="utf-8-sig") for p in (site / "du-lieu-mo").glob("*.*"))
    assert '"given_name": "Mai"' in exports
    assert '"given_name": "Hoa"' not in exports and "Hoa" not in exports
    assert "Chị Mai trả lại ví" not in exports
    assert "consent" not in exports and "Giấy đồng ý" not in exports
    assert "Tải về" in (site / "du-lieu-mo" / "index.html").read_text()
