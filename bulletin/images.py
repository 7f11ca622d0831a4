"""Photos: re-encoded (once per content, kept in .cache/photos/), all metadata (EXIF GPS above
all) stripped, resized, served as WebP with a JPEG fallback. Originals never reach the site. Any format Pillow reads
is taken (a .tif, .gif or .bmp is re-encoded like a .jpg); one it cannot read is refused.

``scan_images`` runs with the data checks (sizes are needed by the templates, missing files
are data errors); ``photo_variants`` makes what the build writes instead of the originals.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from .folders import list_folder
from .vietnamese import format_number

if TYPE_CHECKING:  # the model imports this module: its Site is a type here, never imported at run time
    from .model import Site

WIDTHS = (480, 1200)
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
MAX_PHOTO_BYTES = 20_000_000  # a phone's photo is 2-8 MB; more is a scan or a raw file
COMMON = {".jpg", ".jpeg", ".png", ".webp"}  # what cameras and phones write


def _readable() -> frozenset[str]:
    """The extensions of every format this Pillow can open (not only save)."""
    Image.init()
    return frozenset(ext for ext, kind in Image.registered_extensions().items() if kind in Image.OPEN)


RASTER = _readable()
# Pictures that Pillow does not read here: refused with a hint rather than copied as they are.
OTHER_PICTURES = frozenset({".heic", ".heif", ".jxl", ".svg", ".svgz", ".raw", ".cr2", ".nef", ".arw", ".dng", ".orf"})


class PhotoError(Exception):
    """A photo that cannot be made into clean variants, with its located Vietnamese reason."""


@dataclass(frozen=True)
class Photo:
    """A source image under content/ and the variants made from it."""

    path: str  # relative to content/, e.g. images/cau.jpg
    width: int
    height: int

    def variant(self, width: int, suffix: str) -> str:
        stem = PurePosixPath(self.path).with_suffix("")
        return f"{stem}-{width}{suffix}"

    @property
    def widths(self) -> list[int]:
        largest = min(self.width, WIDTHS[-1])
        return [w for w in WIDTHS if w < largest] + [largest]

    @property
    def fallback(self) -> str:
        return self.variant(self.widths[-1], ".jpg")

    def size_at(self, width: int) -> tuple[int, int]:
        return width, round(self.height * width / self.width)


def scan_images(content_dir: Path) -> tuple[dict[str, Photo], dict[str, str]]:
    """Every image under content/ with its size; and the refused ones, with why (in Vietnamese,
    with the limit). Symlinks are never read (folders.py refuses them)."""
    photos: dict[str, Photo] = {}
    broken: dict[str, str] = {}
    for file in list_folder(content_dir).files:
        if file.suffix.lower() not in RASTER:
            continue
        path = file.relative_to(content_dir).as_posix()
        problem, size = _inspect(file)
        if problem:
            broken[path] = problem
        else:
            photos[path] = Photo(path, *size)
    return photos, broken


def _megapixels(pixels: int) -> str:
    return format_number(round(pixels / 1_000_000, 2))  # 40,04 rather than a puzzling «40, tối đa 40»


def _inspect(file: Path) -> tuple[str | None, tuple[int, int]]:
    """(why the photo is refused, or None; its displayed size). Only the header is read unless
    the format is uncommon, so a bomb is measured, never decoded."""
    if (file_bytes := file.stat().st_size) > MAX_PHOTO_BYTES:
        return (
            f"tệp ảnh {format_number(round(file_bytes / 1_000_000, 1))} MB, tối đa {MAX_PHOTO_BYTES // 1_000_000} MB; hãy lưu lại ảnh nhỏ hơn",
            (0, 0),
        )
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our own limit, worded below
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return (
                    f"ảnh {_megapixels(width * height)} megapixel ({width}×{height} điểm ảnh), tối đa "
                    f"{MAX_PIXELS // 1_000_000}; hãy thu nhỏ ảnh (cạnh dài 4.000 điểm ảnh là quá đủ)"
                ), (0, 0)
            if file.suffix.lower() not in COMMON:
                image.load()  # a rare format must prove it decodes (EPS needs Ghostscript, MPEG is a stub)
            size = ImageOps.exif_transpose(image).size if _rotated(image) else image.size
    except UnidentifiedImageError:
        return "không đọc được ảnh: tệp không phải ảnh, hoặc đã hỏng; hãy lưu lại dạng .jpg hoặc .png", (0, 0)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return "không đọc được ảnh: tệp hỏng, tải về chưa hết hoặc định dạng không hỗ trợ; hãy lưu lại dạng .jpg", (0, 0)
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    return None, size


def _rotated(image: Image.Image) -> bool:
    return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB pixels; a transparent background (a PNG logo) becomes white, not black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def clean_pixels(source: Path) -> Image.Image:
    """The photo upright, in RGB, as a new image made from its pixels alone: no EXIF, XMP,
    ICC or comments can survive into anything encoded from it."""
    with Image.open(source) as original:
        image = _flattened(ImageOps.exif_transpose(original))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def encode_variants(source: Path, photo: Photo) -> dict[str, bytes]:
    """{uri: bytes} for every width, WebP and JPEG; pixels only, no metadata."""
    clean = clean_pixels(source)
    variants = {}
    for width in photo.widths:
        resized = clean.resize(photo.size_at(width), Image.Resampling.LANCZOS) if width != clean.width else clean
        for suffix, image_format, options in (
            (".webp", "WEBP", {"quality": 78}),
            (".jpg", "JPEG", {"quality": 80, "optimize": True, "progressive": True}),
        ):
            if suffix == ".jpg" and width != photo.widths[-1]:
                continue  # one JPEG fallback is enough for old browsers
            buffer = io.BytesIO()
            resized.save(buffer, image_format, **options)
            variants[photo.variant(width, suffix)] = buffer.getvalue()
    return variants


ENCODING_VERSION = "2"  # bump when encode_variants changes, to re-encode cached photos


def _cached_variants(source: Path, photo: Photo, cache_dir: Path) -> dict[str, bytes]:
    """encode_variants, remembered by the source's content: re-encoding every photo on every
    build would cost a large site seconds per build."""
    key = hashlib.sha256(source.read_bytes() + ENCODING_VERSION.encode()).hexdigest()[:24]
    folder = cache_dir / key
    names = [
        PurePosixPath(photo.variant(w, s)).name
        for w in photo.widths
        for s in (".webp", ".jpg")
        if s == ".webp" or w == photo.widths[-1]
    ]
    if folder.is_dir() and all((folder / n).is_file() for n in names):
        base = PurePosixPath(photo.path).parent
        return {str(base / n): (folder / n).read_bytes() for n in names}
    try:
        variants = encode_variants(source, photo)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoError(
            f"content/{photo.path}: ảnh hỏng hoặc tải về chưa hết (không đọc được điểm ảnh); hãy lưu lại ảnh"
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    for uri, data in variants.items():
        (folder / PurePosixPath(uri).name).write_bytes(data)
    return variants


def photo_variants(site: Site | None, content_dir: Path, cache_dir: Path) -> list[tuple[str, bytes]]:
    """(uri, bytes) of the clean variants of every photo the site may show."""
    photos = site.photos if site else {}
    return [item for photo in photos.values() for item in _cached_variants(content_dir / photo.path, photo, cache_dir).items()]
