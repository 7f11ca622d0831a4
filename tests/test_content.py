"""What leaves content/: an allow-list by type, and never anything through a symlink.

Each case is refused (or cleaned) the same way by `python -m bulletin check`, by a MkDocs
build and by `python -m bulletin build`, with the same located line."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest
from conftest import build_project
from mkdocs.exceptions import Abort
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject
from test_build import PERSON, STORY, UNITS

from bulletin.cli import build as cli_build
from bulletin.cli import check as cli_check


def _project(make_project, extra: dict[str, str] | None = None) -> Path:
    return make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY, **(extra or {})})


def _refused_everywhere(project: Path, tmp_path: Path, caplog, capsys, line: str) -> None:
    """``line`` from `check`, from a MkDocs build (which writes nothing) and from the CLI
    build (which keeps the previous site)."""
    assert cli_check(project) == 1
    assert line in capsys.readouterr().err.splitlines()
    caplog.clear()
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert line in [r.getMessage().removeprefix("bulletin: ") for r in caplog.records]
    assert not (tmp_path / "site").exists()
    assert cli_build(project, project / "site") != 0 and not (project / "site").exists()


# --- Symlinks ------------------------------------------------------------------------------
def _secret(tmp_path: Path, name: str, content: bytes) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / name).write_bytes(content)
    return outside / name


LINK = "đây là liên kết tượng trưng (symlink) tới «{target}»: không được dùng trong data/, content/ và overrides/"


def test_a_symlink_in_content_to_a_file_outside_is_refused_everywhere(make_project, tmp_path, caplog, capsys):
    project = _project(make_project)
    target = _secret(tmp_path, "passwd", b"root:x:0:0:root:/root:/bin/bash\n")
    (project / "content" / "mat-khau.txt").symlink_to(target)
    line = f"content/mat-khau.txt:1: {LINK.format(target=target)}"
    _refused_everywhere(
        project, tmp_path, caplog, capsys, line + ", vì nó có thể đăng một tệp nằm ngoài dự án; hãy chép tệp thật vào chỗ này"
    )


def test_a_symlinked_record_in_data_is_refused_not_published(make_project, tmp_path, caplog, capsys):
    project = _project(make_project)
    story = STORY.replace("Chị Mai trả lại ví", "Câu chuyện từ ngoài dự án")
    target = _secret(tmp_path, "ngoai.md", story.encode())
    (project / "data" / "stories" / "ngoai.md").symlink_to(target)
    assert cli_check(project) == 1
    assert f"data/stories/ngoai.md:1: {LINK.format(target=target)}" in capsys.readouterr().err
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_symlinked_folder_is_refused_and_not_read(make_project, tmp_path, capsys):
    project = _project(make_project)
    folder = tmp_path / "outside-folder"
    folder.mkdir()
    Image.new("RGB", (60, 40)).save(folder / "anh.jpg", exif=_gps())
    (project / "content" / "anh-ngoai").symlink_to(folder, target_is_directory=True)
    (project / "data" / "models").symlink_to(folder, target_is_directory=True)
    assert cli_check(project) == 1
    errors = capsys.readouterr().err
    assert f"content/anh-ngoai:1: {LINK.format(target=folder)}" in errors
    assert f"data/models:1: {LINK.format(target=folder)}" in errors


def test_a_photo_symlinked_from_outside_is_not_published_as_it_is(make_project, tmp_path, caplog):
    project = _project(make_project)
    target = tmp_path / "outside.jpg"
    Image.new("RGB", (600, 400)).save(target, exif=_gps())
    (project / "content" / "images").mkdir(exist_ok=True)
    (project / "content" / "images" / "ngoai.jpg").symlink_to(target)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert any(r.getMessage().startswith("bulletin: content/images/ngoai.jpg:1: đây là liên kết") for r in caplog.records)


def test_a_symlink_to_the_environment_of_the_process_is_refused(make_project, tmp_path, caplog, capsys):
    """A merge-request preview would publish the runner's secrets."""
    project = _project(make_project)
    (project / "content" / "env.md").symlink_to("/proc/self/environ")
    line = f"content/env.md:1: {LINK.format(target='/proc/self/environ')}"
    _refused_everywhere(
        project, tmp_path, caplog, capsys, line + ", vì nó có thể đăng một tệp nằm ngoài dự án; hãy chép tệp thật vào chỗ này"
    )


def _gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (14.0, 48.0, 30.0)}
    return exif


# --- The allow-list by type ----------------------------------------------------------------
REFUSED_DOCX = (
    "content/tai-lieu/bao-cao.docx:1: tệp .docx không được đăng: content/ chỉ nhận trang .md, ảnh (.jpg, .png, "
    ".webp...) và PDF; nếu thật cần đăng nguyên trạng loại tệp này, thêm «.docx» vào extensions trong checks.yml"
)


def test_a_file_of_a_kind_not_allowed_is_refused_everywhere(make_project, tmp_path, caplog, capsys):
    project = _project(make_project)
    (project / "content" / "tai-lieu").mkdir()
    (project / "content" / "tai-lieu" / "bao-cao.docx").write_bytes(b"PK\x03\x04 docProps/core.xml Nguyen Van A")
    _refused_everywhere(project, tmp_path, caplog, capsys, REFUSED_DOCX)


def test_an_extension_allowed_in_checks_yml_goes_out_as_it_is_and_is_still_scanned(make_project, tmp_path, caplog):
    project = _project(make_project)
    (project / "checks.yml").write_text("extensions: [.txt]\n", encoding="utf-8")
    (project / "content" / "ghi-chu.txt").write_text("Lịch tiếp dân: thứ Năm hằng tuần.\n", encoding="utf-8")
    site = build_project(project, tmp_path / "site")
    assert (site / "ghi-chu.txt").read_text(encoding="utf-8") == "Lịch tiếp dân: thứ Năm hằng tuần.\n"
    (project / "content" / "ghi-chu.txt").write_text("Gọi chị Mai: 0905 123 456\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "again")
    assert "bulletin: ghi-chu.txt: có số điện thoại «0905 123 456» (từ content/ghi-chu.txt:1)" in [
        r.getMessage() for r in caplog.records
    ]


def test_a_picture_pillow_cannot_read_is_refused_with_a_hint(make_project, tmp_path, caplog, capsys):
    project = _project(make_project)
    (project / "content" / "images").mkdir(exist_ok=True)
    (project / "content" / "images" / "dien-thoai.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    line = (
        "content/images/dien-thoai.heic:1: ảnh dạng .heic không đọc được để làm sạch siêu dữ liệu; "
        "hãy lưu lại dạng .jpg hoặc .png"
    )
    _refused_everywhere(project, tmp_path, caplog, capsys, line)


def test_hidden_files_are_not_published_and_not_refused(make_project, tmp_path):
    project = _project(make_project)
    (project / "content" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    site = build_project(project, tmp_path / "site")
    assert not (site / ".DS_Store").exists()


# --- PDF documents -------------------------------------------------------------------------
AUTHOR = "Nguyễn Văn A, phòng Văn hóa"
XMP = b'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><dc:creator>Nguyen Van A</dc:creator></rdf:RDF></x:xmpmeta>'


def _pdf(javascript: bool = False, attachment: bool = False, comment: bool = False) -> bytes:
    """A one-page PDF as an office suite leaves it: author, creator, and what is asked for."""
    writer = PdfWriter()
    writer.add_blank_page(300, 400)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Microsoft Word", "/Title": "Kế hoạch"})
    if javascript:
        writer.add_open_action(JavaScript("app.alert(1)"))
    if attachment:
        writer.add_attachment("danh-sach.xlsx", b"ho ten, CCCD 079123456789")
    if comment:
        note = {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/T"): TextStringObject("Nguyen Van A"),
            NameObject("/Contents"): TextStringObject("sửa lại"),
        }
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject(note))])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _with_xmp(raw: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    stream = StreamObject()
    stream.set_data(XMP)
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_goes_out_without_its_metadata(make_project, tmp_path):
    project = _project(make_project)
    source = _with_xmp(_pdf(comment=True))
    assert b"Nguyen Van A" in source and b"Microsoft Word" in source
    (project / "content" / "tai-lieu").mkdir()
    (project / "content" / "tai-lieu" / "ke-hoach.pdf").write_bytes(source)
    site = build_project(project, tmp_path / "site")
    published = (site / "tai-lieu" / "ke-hoach.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(published))
    assert len(reader.pages) == 1
    assert not reader.metadata and reader.xmp_metadata is None and "/Metadata" not in reader.trailer["/Root"]
    assert b"Nguyen Van A" not in published and b"Microsoft Word" not in published
    annotation = reader.pages[0]["/Annots"][0].get_object()
    assert "/T" not in annotation and annotation["/Contents"] == "sửa lại"  # the comment stays, its author goes


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (lambda: _pdf(javascript=True), "PDF có tệp đính kèm, mã JavaScript hoặc lệnh tự chạy"),
        (lambda: _pdf(attachment=True), "PDF có tệp đính kèm, mã JavaScript hoặc lệnh tự chạy"),
        (lambda: b"%PDF-1.4\n garbage", "không đọc được tệp PDF (hỏng hoặc không phải PDF)"),
    ],
    ids=["javascript", "attachment", "broken"],
)
def test_a_pdf_that_is_more_than_a_document_is_refused_everywhere(make_project, tmp_path, caplog, capsys, raw, reason):
    project = _project(make_project)
    (project / "content" / "ke-hoach.pdf").write_bytes(raw())
    assert cli_check(project) == 1
    errors = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"content/ke-hoach.pdf:1: {reason}") for line in errors), errors
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_phone_number_in_a_pdf_is_found_by_the_output_check(tmp_path):
    from bulletin.checks import scan_output

    writer = PdfWriter()
    page = writer.add_blank_page(300, 400)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    content = StreamObject()
    content.set_data(b"BT /F1 12 Tf 20 300 Td (Lien he 0905 123 456) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    site = tmp_path / "out"
    site.mkdir()
    with open(site / "thong-bao.pdf", "wb") as out:
        writer.write(out)
    (tmp_path / "project").mkdir()
    assert scan_output(site, tmp_path / "project") == ["thong-bao.pdf: có số điện thoại «0905 123 456» (từ không rõ hồ sơ nguồn)"]


def test_no_symlink_no_hidden_trick_in_the_shipped_project():
    from conftest import REPO

    from bulletin.folders import list_folder

    for folder in ("data", "content", "overrides"):
        assert list_folder(REPO / folder).links == [], folder
    assert os.path.isdir(REPO / "content")
