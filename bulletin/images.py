"""Photos: re-encoded on every build, all metadata (EXIF GPS above all) stripped, resized,
served as WebP with a JPEG fallback. Originals never reach the site.

``scan_images`` runs with the data checks (sizes are needed by the templates, missing files
are data errors); ``photo_variants`` makes what the build writes instead of the originals.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

RASTER = {".jpg", ".jpeg", ".png", ".webp"}
WIDTHS = (480, 1200)
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


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
    """Every raster image under content/ with its size; and the unreadable ones, with why."""
    photos: dict[str, Photo] = {}
    broken: dict[str, str] = {}
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    for file in sorted(content_dir.rglob("*")):
        if file.suffix.lower() not in RASTER or not file.is_file():
            continue
        path = file.relative_to(content_dir).as_posix()
        try:
            with Image.open(file) as image:
                width, height = ImageOps.exif_transpose(image).size if _rotated(image) else image.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            broken[path] = f"không đọc được ảnh ({type(exc).__name__})"
            continue
        photos[path] = Photo(path, width, height)
    return photos, broken


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
        resized = clean.resize(photo.size_at(width), Image.LANCZOS) if width != clean.width else clean
        for suffix, options in (
            (".webp", {"format": "WEBP", "quality": 78}),
            (".jpg", {"format": "JPEG", "quality": 80, "optimize": True, "progressive": True}),
        ):
            if suffix == ".jpg" and width != photo.widths[-1]:
                continue  # one JPEG fallback is enough for old browsers
            buffer = io.BytesIO()
            resized.save(buffer, **options)
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
    variants = encode_variants(source, photo)
    folder.mkdir(parents=True, exist_ok=True)
    for uri, data in variants.items():
        (folder / PurePosixPath(uri).name).write_bytes(data)
    return variants


def photo_variants(site, content_dir: Path, cache_dir: Path) -> list[tuple[str, bytes]]:
    """(uri, bytes) of the clean variants of every photo the site may show."""
    photos = site.photos if site else {}
    return [item for photo in photos.values() for item in _cached_variants(content_dir / photo.path, photo, cache_dir).items()]
