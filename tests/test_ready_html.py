"""Record and listing pages are generated as ready HTML (bulletin/ready_html.py): the templates
write the HTML Markdown made, and only an editor's body goes through Markdown.

The proof is a comparison: the same sites built from the Markdown templates the ready-HTML ones
replaced (frozen copies in tests/markdown_templates/) give every page the same DOM (html5lib's
parse; attribute order and whitespace between elements aside): content, heading ids,
permalinks, table of contents. A template change that is meant to show must be made in its
Markdown twin too, until the twins are retired."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import html5lib
import pytest
from conftest import REPO, article, build_project, write_project

from bulletin.model import load_site
from bulletin.ready_html import BODY_END, BODY_START, is_ready_html
from bulletin.render import render_pages, rendered_from_markdown
from bulletin.synthetic import generate

TWINS = Path(__file__).parent / "markdown_templates"


def build_from_markdown_templates(project: Path, site_dir: Path) -> Path:
    """The site as it was built before ready HTML: every converted template replaced by its
    Markdown twin, rendered with Markdown escaping, and run through Markdown by the build."""
    with rendered_from_markdown(TWINS), pytest.MonkeyPatch.context() as patch:
        patch.setenv("BULLETIN_CACHE", "0")
        return build_project(project, site_dir)


def dom(text: str) -> list[str]:
    """A page's DOM as lines: elements with sorted attributes, text with whitespace runs
    collapsed; whitespace-only text (between block elements) and comments left out."""
    lines: list[str] = []

    def text_line(depth: int, value: str | None) -> None:
        if value and value.strip():
            lines.append("  " * depth + "| " + re.sub(r"\s+", " ", value))

    def walk(element, depth: int) -> None:
        if isinstance(element.tag, str):
            attributes = " ".join(f'{k}="{v}"' for k, v in sorted(element.attrib.items()))
            lines.append("  " * depth + f"<{element.tag} {attributes}>")
            text_line(depth + 1, element.text)
            for child in element:
                walk(child, depth + 1)
        text_line(depth, element.tail)

    walk(html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False), 0)
    return lines


def different_pages(before: Path, after: Path) -> dict[str, tuple[str, str]]:
    """Pages whose DOM differs: the first differing line of each, before and after."""
    pages = sorted(p.relative_to(before).as_posix() for p in before.rglob("*.html"))
    assert pages == sorted(p.relative_to(after).as_posix() for p in after.rglob("*.html"))
    differences = {}
    for name in pages:
        old, new = dom((before / name).read_text(encoding="utf-8")), dom((after / name).read_text(encoding="utf-8"))
        if old != new:
            at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            differences[name] = (old[at] if at < len(old) else "(end)", new[at] if at < len(new) else "(end)")
    return differences


def test_the_shipped_site_has_the_dom_it_had_from_markdown_templates(shipped_site, tmp_path):
    before = build_from_markdown_templates(REPO, tmp_path / "before")
    assert different_pages(before, shipped_site) == {}


def test_a_synthetic_site_has_the_dom_it_had_from_markdown_templates(tmp_path):
    project = write_project(tmp_path / "project", {})
    generate(project, 40)
    before = build_from_markdown_templates(project, tmp_path / "before")
    after = build_project(project, tmp_path / "after")
    assert different_pages(before, after) == {}


# Values with every character Markdown gives a meaning to, and bodies whose headings meet the
# template's: the ids must come out unique and as Markdown's toc extension made them.
TRICKY = r"""*sao* _gạch_ [ngoặc](x.md) `mã` #thăng |ống| \chéo & <b>thẻ</b> "kép" 'đơn' {#id}"""


def q(*parts: str) -> str:
    """A YAML string (JSON's are valid YAML) of the parts joined by spaces."""
    return json.dumps(" ".join(parts), ensure_ascii=False)


UNITS = {
    "units/phuong-pho-thanh.yml": "name: Phường Phổ Thạnh\nkind: phường\nvalid_to: 2025-07-01\nsuccessors: [phuong-sa-huynh]\n",
    "units/phuong-sa-huynh.yml": f"name: {q('Phường Sa Huỳnh', TRICKY)}\nkind: phường\nvalid_from: 2025-07-01\n",
}
PERSON = f"""\
---
family_name: Trần
middle_name: Thị
given_name: Mai
unit: phuong-sa-huynh
role: {q("Hội viên", TRICKY)}
honours:
  - {{year: 2024, title: người tốt việc tốt, note: {q(TRICKY)}}}
consent:
  covers: [tên, câu chuyện]
  given_on: 2024-09-01
  given_by: Trần Thị Mai
  evidence: Giấy đồng ý lưu tại Hội Nông dân phường
---
Chị **Mai** làm nông.

## Câu chuyện

Tiêu đề trùng với mục «Câu chuyện» của trang, [xem mục đó](#cau-chuyen_1).

## Giấy khen {{ #danh-hieu }}

<h3>Tiêu đề viết bằng HTML</h3>
"""
STORY = f"""\
---
title: {q("Chị Mai", TRICKY)}
date: 2025-10-02
author: Ban Tuyên giáo  # raw HTML in the Markdown template: escapes showed there (\\*)
summary: {q("Tóm tắt", TRICKY)}
people: [tran-thi-mai]
units: [phuong-sa-huynh]
tags: [trả của rơi, {q(TRICKY)}]
---
Chị **Mai** nhặt được ví. Xem [trang của chị](/ca-nhan/tran-thi-mai.md#cau-chuyen).

## Đơn vị

Mục trùng tên với mục «Đơn vị» bên dưới.

"""
MODEL = f"""\
---
title: {q("Mô hình", TRICKY)}
kind: mô hình mới
field: {q("Môi trường", TRICKY)}
unit: phuong-sa-huynh
started: 2025-09-01
summary: {q("Tóm tắt", TRICKY)}
results:
  - {{text: {q("Kết quả", TRICKY)}, value: 12.5, measure: "%"}}
  - {{text: Số quầy, value: 32, measure: quầy}}
replicated_in: [phuong-pho-thanh]
---
## Kết quả

Trùng với mục «Kết quả» phía trên.
"""
PROJECT = f"""\
title: {q("Công trình", TRICKY)}
summary: {q("Tóm tắt", TRICKY)}
status: đang thi công
location: {q("Địa điểm", TRICKY)}
units: [phuong-pho-thanh, phuong-sa-huynh]
milestones:
  - {{date: 2025-01-10, title: {q("Mốc", TRICKY)}, done: true}}
progress:
  - {{date: 2025-02-01, percent: 40, note: {q("Ghi chú", TRICKY)}}}
"""


@pytest.fixture(scope="module")
def tricky(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("tricky")
    records = {
        **UNITS,
        "people/tran-thi-mai.md": PERSON,
        "stories/chi-mai-tra-vi.md": STORY,
        "models/mo-hinh-thu.md": MODEL,
        "projects/cong-trinh-thu.yml": PROJECT,
    }
    project = write_project(root / "project", records)
    return project, build_from_markdown_templates(project, root / "before"), build_project(project, root / "after")


def test_values_and_bodies_that_meet_the_templates_give_the_dom_markdown_gave(tricky):
    _, before, after = tricky
    assert different_pages(before, after) == {}


def test_values_show_as_written_with_no_markdown_escape(tricky):
    _, _, site = tricky
    for url in ("cau-chuyen/chi-mai-tra-vi/", "ca-nhan/tran-thi-mai/", "mo-hinh/mo-hinh-thu/", "cong-trinh/cong-trinh-thu/"):
        text = article(site, url)
        shown = r"*sao* _gạch_ [ngoặc](x.md) `mã` #thăng |ống| \chéo &amp; &lt;b&gt;thẻ&lt;/b&gt;"
        assert shown in text, url
        assert "\\*" not in text and "\\_" not in text and "\\[" not in text and "\\|" not in text, url


def test_a_body_heading_and_a_template_heading_of_the_same_name_get_distinct_ids(tricky):
    _, _, site = tricky
    person = article(site, "ca-nhan/tran-thi-mai/")
    ids = re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', person)
    assert len(ids) == len(set(ids))
    # the body's «Câu chuyện» comes first: it keeps the plain id; the template's gets _1
    assert ids.index("cau-chuyen") < ids.index("cau-chuyen_1")
    # an id the editor gave is kept, and the template's heading, though before it, steps aside
    assert ids.index("danh-hieu_1") < ids.index("danh-hieu")
    # a heading written as HTML inside the body is a heading of the page too
    assert "tieu-de-viet-bang-html" in ids
    assert 'href="#cau-chuyen_1"' in person


def test_generated_record_and_listing_pages_are_ready_html_with_only_bodies_as_markdown(tricky):
    project, _, _ = tricky
    site, errors = load_site(project, date(2026, 11, 24))
    assert not errors and site is not None
    pages = [p for p in render_pages(site) if p.src_uri.endswith(".md")]
    assert pages and all(is_ready_html(p.content) for p in pages)
    story = next(p for p in pages if p.src_uri == "cau-chuyen/chi-mai-tra-vi.md")
    region = story.content.split(BODY_START)[1].split(BODY_END)[0]
    assert region.strip().startswith('<div class="record-body" markdown>')
    assert "Chị **Mai** nhặt được ví." in region
    assert "Người trong câu chuyện" not in region
    assert not any(BODY_START in p.content for p in pages if not p.has_body)
