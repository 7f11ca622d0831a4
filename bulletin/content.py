"""What may leave content/ (MkDocs' docs_dir) for the site, and in what form: an allow-list
by type, so that nothing an editor drops there is published as it came in.

- Markdown pages: rendered (and read by the output checks like every output).
- Images in any format Pillow reads: never copied; re-encoded without metadata (images.py),
  or refused with the reason.
- PDF documents: their metadata removed with pypdf (document information, XMP streams on any
  object, page-piece data, the authors of comments); one that is encrypted, unreadable, or
  carries attachments or scripts is refused.
- Anything else: refused, unless ``checks.yml`` lists its extension under ``extensions``.
- Symlinks in content/, data/ and overrides/: refused (folders.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .checks import read_allow_list
from .errors import LocatedError
from .folders import link_error, list_folder
from .images import OTHER_PICTURES, RASTER

PAGE = {".md"}
DOCUMENT = {".pdf"}
MAX_DOCUMENT_BYTES = 20_000_000
LINKED_FOLDERS = ("content", "overrides")  # data/ is the loader's
# Keys that hold who made a PDF and with what: removed wherever they are.
_PDF_METADATA = {"/Metadata", "/PieceInfo", "/LastModified"}
_ANNOTATION_AUTHOR = {"/T", "/M", "/CreationDate"}
# What makes a PDF more than a document: refused, never published.
_PDF_ACTIVE = {"/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/Launch", "/AA", "/XFA", "/RichMedia"}


@dataclass(frozen=True)
class Verdict:
    kind: str  # "page", "photo", "document", "allowed" or "refused"
    problem: str = ""  # why it is refused, in Vietnamese


class DocumentRefused(Exception):
    pass


def verdict(path: Path, allowed_extensions: list[str]) -> Verdict:
    """How a file of content/ goes out, judged by its extension (photos and documents are
    then read, and refused if they do not read as what their name says)."""
    suffix = path.suffix.lower()
    if suffix in PAGE:
        return Verdict("page")
    if suffix in RASTER:
        return Verdict("photo")
    if suffix in DOCUMENT:
        return Verdict("document")
    if suffix in allowed_extensions:
        return Verdict("allowed")
    if suffix in OTHER_PICTURES:
        return Verdict("refused", f"ảnh dạng {suffix} không đọc được để làm sạch siêu dữ liệu; hãy lưu lại dạng .jpg hoặc .png")
    shown = suffix or "không có đuôi"
    return Verdict(
        "refused",
        f"tệp {shown} không được đăng: content/ chỉ nhận trang .md, ảnh (.jpg, .png, .webp...) và PDF; "
        f"nếu thật cần đăng nguyên trạng loại tệp này, thêm «{suffix or '.'}» vào extensions trong checks.yml",
    )


def content_errors(root: Path, content_dir: Path, broken_photos: dict[str, str]) -> list[LocatedError]:
    """Every file of content/ that may not go out, and every symlink in data/, content/ or
    overrides/, as located errors (for `check` and every build)."""
    allow, errors = read_allow_list(root)
    for name in LINKED_FOLDERS:
        errors += [link_error(link, root) for link in list_folder(root / name).links]
    listing = list_folder(content_dir)
    for file in listing.files:
        relative = file.relative_to(content_dir).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue  # MkDocs leaves hidden files out of the site
        shown = f"{content_dir.name}/{relative}"
        judged = verdict(file, allow.extensions)
        if judged.kind == "refused":
            errors.append(LocatedError(shown, 1, "", judged.problem))
        elif judged.kind == "photo" and relative in broken_photos:
            errors.append(LocatedError(shown, 1, "", broken_photos[relative]))
        elif judged.kind == "document":
            try:
                clean_pdf(file.read_bytes())
            except DocumentRefused as exc:
                errors.append(LocatedError(shown, 1, "", str(exc)))
    return errors


# --- PDF -----------------------------------------------------------------------------------
def clean_pdf(raw: bytes) -> bytes:
    """The PDF without who made it: no document information, no XMP, no piece data, no
    comment authors. Raises DocumentRefused (Vietnamese) for what cannot be published."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(f"tệp PDF {len(raw) // 1_000_000} MB, tối đa {MAX_DOCUMENT_BYTES // 1_000_000} MB")
    # pypdf is imported where a PDF is read: a tenth of a second of every build's start, for
    # sites that mostly carry none.
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise DocumentRefused("PDF có mật khẩu hoặc mã hóa; hãy xuất lại PDF không đặt mật khẩu")
        writer = PdfWriter(clone_from=reader)
        _strip(writer.root_object, set())
        writer.metadata = None
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)  # the removed XMP streams
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise DocumentRefused("không đọc được tệp PDF (hỏng hoặc không phải PDF); hãy xuất lại PDF") from None


def _strip(node: object, seen: set[int], annotation: bool = False) -> None:
    """Walk every object reachable from the catalogue, removing metadata keys in place."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject  # imported by clean_pdf

    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, DictionaryObject):
        active = _PDF_ACTIVE & set(node) or ({"/S"} & set(node) and node["/S"] in ("/JavaScript", "/Launch"))
        if active:
            raise DocumentRefused("PDF có tệp đính kèm, mã JavaScript hoặc lệnh tự chạy; hãy xuất lại PDF chỉ gồm nội dung")
        for key in _PDF_METADATA & set(node):
            del node[NameObject(key)]
        if node.get("/Type") == "/Annot" or annotation:
            for key in _ANNOTATION_AUTHOR & set(node):
                del node[NameObject(key)]
        for key, value in list(node.items()):
            if key != "/Parent":
                _strip(value, seen, annotation=key == "/Annots")
    elif isinstance(node, ArrayObject):
        for item in node:
            _strip(item, seen, annotation)
