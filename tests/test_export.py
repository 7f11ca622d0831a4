"""Open-data exports: JSON and CSV parse back to the records the site shows, under the same
consent and draft rules."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from conftest import BUILD_DAY, REPO, build_project
from test_build import PERSON, STORY, UNITS

from bulletin.export import _cell, _json_item, _json_list, csv_columns, export_files, record_row
from bulletin.model import load_site
from bulletin.schema import COLLECTIONS


def _read_csv(raw: bytes) -> tuple[list[str], list[dict]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    return header, list(csv.DictReader(io.StringIO(text)))


def _unflatten(cells: dict[str, str], like: dict) -> dict:
    """A CSV row read back into the shape of a JSON record, using the JSON record only for
    the type each cell holds: lists are JSON, groups are spread over group.field columns."""

    def value(cell: str, original):
        if isinstance(original, (list, dict)):
            return json.loads(cell)
        if isinstance(original, bool):
            return {"true": True, "false": False}[cell]
        if isinstance(original, (int, float)):
            return type(original)(cell)
        return None if cell == "" and original is None else cell

    record = {}
    for key, original in like.items():
        if isinstance(original, dict):
            record[key] = _unflatten({k.split(".", 1)[1]: v for k, v in cells.items() if k.startswith(key + ".")}, original)
        elif original is None and any(k.startswith(key + ".") for k in cells):  # an empty group
            assert all(v == "" for k, v in cells.items() if k.startswith(key + ".")), key
            record[key] = None
        else:
            record[key] = value(cells[key], original)
    return record


def test_exports_round_trip_to_the_published_records(shipped_site):
    site, errors = load_site(REPO, date.fromisoformat(BUILD_DAY))
    assert errors == []
    for name, records in site.records.items():
        expected = json.loads(json.dumps(sorted((record_row(r) for r in records.values()), key=lambda row: row["id"])))
        as_json = json.loads((shipped_site / "du-lieu-mo" / f"{name}.json").read_text(encoding="utf-8"))
        assert as_json == expected, name
        header, rows = _read_csv((shipped_site / "du-lieu-mo" / f"{name}.csv").read_bytes())
        assert header == csv_columns(COLLECTIONS[name].model), name
        assert [_unflatten(row, original) for row, original in zip(rows, as_json, strict=True)] == as_json, name
        assert len(rows) == len(as_json)
    page = (shipped_site / "du-lieu-mo" / "index.html").read_text(encoding="utf-8")
    for collection in COLLECTIONS.values():
        assert f'href="{collection.name}.csv"' in page and collection.label in page


def test_groups_get_columns_and_lists_one_json_cell(shipped_site):
    header, rows = _read_csv((shipped_site / "du-lieu-mo" / "indicators.csv").read_bytes())
    assert {"baseline.year", "baseline.value", "targets"} <= set(header) and "baseline" not in header
    assert rows and all(row["baseline.year"].isdigit() for row in rows)
    assert all(isinstance(json.loads(row["targets"]), list) for row in rows)


def test_csv_cells_that_a_spreadsheet_would_run_are_defused():
    assert _cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("-2+3+cmd|' /C calc'!A0").startswith("'")
    assert _cell("-5") == "-5" and _cell("-1,5") == "-1,5" and _cell(["a"]) == '["a"]'
    assert _cell(True) == "true" and _cell(None) == ""


def test_an_empty_collection_still_has_its_header(make_project, tmp_path):
    site = build_project(make_project(UNITS), tmp_path / "site")
    header, rows = _read_csv((site / "du-lieu-mo" / "stories.csv").read_bytes())
    assert rows == [] and header == csv_columns(COLLECTIONS["stories"].model)
    assert json.loads((site / "du-lieu-mo" / "stories.json").read_text(encoding="utf-8")) == []


def test_exports_leave_out_consent_drafts_and_withheld_people(make_project, tmp_path):
    draft = STORY.replace("title: Chị Mai", "draft: true\ntitle: Chị Mai")
    withheld = PERSON.split("consent:")[0].replace("Mai", "Hoa")
    withdrawn = PERSON.replace("Mai", "Lan").replace("  evidence:", "  withdrawn_on: 2025-01-01\n  evidence:")
    later = STORY.replace("title: Chị Mai", "publish_on: 2027-01-01\ntitle: Chị Mai hẹn ngày").replace(
        "people: [tran-thi-mai]", "people: []"
    )
    project = make_project(
        {
            **UNITS,
            "people/tran-thi-mai.yml": PERSON,
            "people/tran-thi-hoa.yml": withheld,
            "people/tran-thi-lan.yml": withdrawn,
            "stories/tra-vi.md": draft,
            "stories/hen-ngay.md": later,
        }
    )
    site = build_project(project, tmp_path / "site")
    exports = "".join(p.read_text(encoding="utf-8-sig") for p in (site / "du-lieu-mo").glob("*.*"))
    assert '"given_name": "Mai"' in exports
    assert "Hoa" not in exports and "Lan" not in exports  # no consent, withdrawn consent
    assert "Chị Mai trả lại ví" not in exports and "hẹn ngày" not in exports  # draft, scheduled
    assert "consent" not in exports and "Giấy đồng ý" not in exports and "evidence" not in exports
    assert "draft" not in exports and "publish_on" not in exports
    assert "Tải về" in (site / "du-lieu-mo" / "index.html").read_text()


def test_a_preview_build_exports_drafts_with_the_rest(make_project, tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETIN_PREVIEW", "1")
    draft = STORY.replace("title: Chị Mai", "draft: true\ntitle: Chị Mai")
    site = build_project(
        make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": draft}), tmp_path / "site"
    )
    assert "Chị Mai trả lại ví" in (site / "du-lieu-mo" / "stories.json").read_text(encoding="utf-8")


def test_json_is_written_as_one_dump_of_the_rows_would_write_it():
    """Each record's JSON is made once and kept (a save under serve makes only its own): the
    file must still be byte for byte what json.dumps writes for the whole list."""
    rows = [
        {"id": "a", "title": "Chữ <b>đậm</b>", "tags": ["x", {"y": [1, 2.5, None]}], "empty": {}, "none": []},
        {"id": "b", "body": "dòng một\ndòng hai", "ok": True},
    ]
    for some in (rows, rows[:1], []):
        expected = json.dumps(some, ensure_ascii=False, indent=1).replace("<", "\\u003c")
        assert _json_list([_json_item(row) for row in some]) == expected


def test_a_record_changed_between_builds_is_exported_anew(shipped_site):
    """The records' texts are kept by the record object: a record loaded again (saved under
    serve) is a new object, and its rows follow it."""
    site, errors = load_site(REPO, date.fromisoformat(BUILD_DAY))
    assert site is not None and not errors
    before = dict(export_files(site))
    story = next(iter(site.stories.values()))
    site.stories[story.id] = story.model_copy(update={"title": "Tiêu đề mới sau khi lưu"})
    after = dict(export_files(site))
    assert "Tiêu đề mới sau khi lưu" not in before["du-lieu-mo/stories.json"]
    for name in ("stories.json", "stories.csv"):
        assert "Tiêu đề mới sau khi lưu" in after[f"du-lieu-mo/{name}"]
        assert story.title not in after[f"du-lieu-mo/{name}"]
    assert after["du-lieu-mo/people.json"] == before["du-lieu-mo/people.json"]
