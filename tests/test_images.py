"""Photos: re-encoded without metadata, resized, WebP with a JPEG fallback, sized and lazy
below the fold; a missing or broken photo is a located data error."""

from __future__ import annotations

import logging

import pytest
from conftest import REPO, article, build_project
from mkdocs.exceptions import Abort
from PIL import Image
from test_build import PERSON, STORY, UNITS


def test_originals_with_gps_exif_never_reach_the_site(shipped_site):
    original = REPO / "content/images/sample/cau-thanh-duc.jpg"
    assert 0x8825 in Image.open(original).getexif()  # the sample does carry GPS
    assert not (shipped_site / "images/sample/cau-thanh-duc.jpg").exists()
    outputs = [p for p in shipped_site.rglob("*") if p.suffix in {".jpg", ".jpeg", ".png", ".webp"}]
    assert any(p.name == "cau-thanh-duc-480.webp" for p in outputs)
    for path in outputs:
        with Image.open(path) as image:
            assert dict(image.getexif()) == {}, path
            assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info, path
            assert image.width <= 1200


def test_story_photo_is_a_sized_picture_with_webp_and_fallback(shipped_site):
    html = article(shipped_site, "cau-chuyen/tieu-thuong-tra-cau-giu-cho-sach")
    assert (
        '<source type="image/webp" srcset="../../images/sample/cho-tra-cau-480.webp 480w, ../../images/sample/cho-tra-cau-1200.webp 1200w"'
        in html
    )
    assert '<img src="../../images/sample/cho-tra-cau-1200.jpg" width="1200" height="800" alt="Hình minh họa dãy sạp chợ' in html
    assert "<figcaption>Ảnh minh họa chợ (dữ liệu mẫu)</figcaption>" in html
    project = article(shipped_site, "cong-trinh/cau-thanh-duc")
    assert 'width="1200" height="800" alt="Hình minh họa cây cầu' in project and ' loading="lazy" ' in project


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "không có tệp ảnh content/images/a.jpg"),
        (b"not an image", "content/images/a.jpg: không đọc được ảnh: tệp không phải ảnh, hoặc đã hỏng"),
    ],
)
def test_missing_or_broken_photo_is_a_located_error(make_project, tmp_path, caplog, content, message):
    story = STORY.replace("tags:", "image:\n  file: images/a.jpg\n  alt: Ảnh chị Mai\ntags:")
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": story})
    if content is not None:
        (project / "content/images").mkdir(parents=True, exist_ok=True)
        (project / "content/images/a.jpg").write_bytes(content)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    lines = [r.getMessage().removeprefix("bulletin: ") for r in caplog.records]
    assert any(line.startswith(f"data/stories/tra-vi.md:9: image.file: {message}") for line in lines), lines


def test_encoded_photos_are_reused_until_the_source_changes(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from bulletin import images

    (tmp_path / "images").mkdir()
    source = tmp_path / "images" / "a.jpg"
    Image.new("RGB", (900, 600), (10, 120, 200)).save(source)
    photos, _ = images.scan_images(tmp_path)
    site = SimpleNamespace(photos=photos)
    first = images.photo_variants(site, tmp_path, tmp_path / "cache")
    assert sorted(uri for uri, _ in first) == ["images/a-480.webp", "images/a-900.jpg", "images/a-900.webp"]

    def refuse(*args):
        raise AssertionError("re-encoded a cached photo")

    monkeypatch.setattr(images, "encode_variants", refuse)
    assert images.photo_variants(site, tmp_path, tmp_path / "cache") == first
    Image.new("RGB", (900, 600), (200, 10, 10)).save(source)  # the editor replaces the photo
    with pytest.raises(AssertionError, match="re-encoded"):
        images.photo_variants(site, tmp_path, tmp_path / "cache")


def _with_every_kind_of_metadata(path, mode="RGB", size=(1600, 900)):
    """A photo as a phone or an editing program leaves it: EXIF with GPS and camera serial,
    XMP, an ICC profile, a comment or text chunks."""
    from PIL import ImageCms

    image = Image.new(mode, size, (30, 140, 90, 128) if mode == "RGBA" else (30, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (14.0, 48.0, 30.0), 3: "E", 4: (108.0, 57.0, 10.0)}  # GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    if path.suffix == ".png":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Nguyễn Văn A, 0905 123 456")
        text.add_itxt("XML:com.adobe.xmp", xmp.decode())
        image.save(path, exif=exif, icc_profile=icc, pnginfo=text)
    elif path.suffix == ".webp":
        image.save(path, exif=exif, icc_profile=icc, xmp=xmp)
    else:
        image.save(path, exif=exif, icc_profile=icc, comment=b"Nguyen Van A", xmp=xmp)
    return path


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp"])
def test_every_kind_of_metadata_is_stripped_from_every_variant(tmp_path, suffix):
    from types import SimpleNamespace

    from bulletin import images
    from bulletin.checks import _metadata

    (tmp_path / "images").mkdir()
    source = _with_every_kind_of_metadata(tmp_path / "images" / f"a{suffix}")
    assert "EXIF GPS" in _metadata(source)  # the check does see what the source carries
    photos, broken = images.scan_images(tmp_path)
    assert broken == {}
    variants = dict(images.photo_variants(SimpleNamespace(photos=photos), tmp_path, tmp_path / "cache"))
    assert sorted(variants) == ["images/a-1200.jpg", "images/a-1200.webp", "images/a-480.webp"]
    for uri, data in variants.items():
        (tmp_path / "out").mkdir(exist_ok=True)
        written = tmp_path / "out" / uri.replace("/", "_")
        written.write_bytes(data)
        with Image.open(written) as image:
            assert dict(image.getexif()) == {}, uri
            assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info), (uri, image.info)
            assert image.width == int(uri.split("-")[-1].split(".")[0])
        assert _metadata(written) == []
        assert b"SERIAL-123456" not in data and b"PhoneMaker" not in data and b"Nguyen" not in data


def test_a_transparent_png_gets_a_white_background_not_a_black_one(tmp_path):
    from types import SimpleNamespace

    from bulletin import images

    (tmp_path / "images").mkdir()
    logo = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    logo.paste((200, 20, 20, 255), (200, 100, 400, 200))
    logo.save(tmp_path / "images" / "logo.png")
    photos, _ = images.scan_images(tmp_path)
    variants = dict(images.photo_variants(SimpleNamespace(photos=photos), tmp_path, tmp_path / "cache"))
    (tmp_path / "logo.jpg").write_bytes(variants["images/logo-600.jpg"])
    with Image.open(tmp_path / "logo.jpg") as fallback:
        assert min(fallback.getpixel((10, 10))) > 240  # white corner
        red, green, _blue = fallback.getpixel((300, 150))
        assert red > 150 and green < 80


def test_sample_photos_are_small_and_one_carries_gps():
    samples = sorted((REPO / "content/images/sample").glob("*.jpg"))
    assert len(samples) >= 3
    gps = [p.name for p in samples if 0x8825 in Image.open(p).getexif()]
    assert gps and all(p.stat().st_size < 200_000 for p in samples)


def test_shipped_site_passes_the_photo_check(shipped_site):
    from bulletin.checks import check_images

    assert check_images(shipped_site, REPO) == []


def test_alt_caption_and_file_name_are_shown_as_written(make_project, tmp_path):
    """The picture is raw HTML inside Markdown: no Markdown escape may show ("\\[") or break a
    file name with "_" in it."""
    story = STORY.replace(
        "tags:",
        "image:\n  file: images/anh_so_1.jpg\n  alt: 'Chị Mai [bên trái] *đang* cười #1'\n  caption: 'Ảnh_1 {chụp} <b>2024</b>'\ntags:",
    )
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": story})
    (project / "content/images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (700, 500), (90, 90, 90)).save(project / "content/images/anh_so_1.jpg")
    site = build_project(project, tmp_path / "site")
    html = article(site, "cau-chuyen/tra-vi")
    assert 'srcset="../../images/anh_so_1-480.webp 480w, ../../images/anh_so_1-700.webp 700w"' in html
    assert '<img src="../../images/anh_so_1-700.jpg" width="700" height="500" alt="Chị Mai [bên trái] *đang* cười #1"' in html
    assert "<figcaption>Ảnh_1 {chụp} &lt;b&gt;2024&lt;/b&gt;</figcaption>" in html
    assert (site / "images/anh_so_1-700.jpg").exists()


# --- Every format Pillow reads, and the limits -----------------------------------------------
def _png_header(width: int, height: int) -> bytes:
    """A PNG that only declares its size: opening it reads this header, decoding it would fail."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def _story_with(project_files, make_project, name: str, content: bytes):
    story = STORY.replace("tags:", f"image:\n  file: images/{name}\n  alt: Ảnh chị Mai\ntags:")
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": story})
    (project / "content/images").mkdir(parents=True, exist_ok=True)
    (project / "content/images" / name).write_bytes(content)
    return project


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("lon.png", _png_header(12000, 12000), "ảnh 144 megapixel (12000×12000 điểm ảnh), tối đa 40; hãy thu nhỏ ảnh"),
        ("dai.png", _png_header(40000, 1001), "ảnh 40,04 megapixel (40000×1001 điểm ảnh), tối đa 40; hãy thu nhỏ ảnh"),
        ("nang.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 21_000_000, "tệp ảnh 21 MB, tối đa 20 MB; hãy lưu lại ảnh nhỏ hơn"),
        ("hong.jpg", b"not an image", "không đọc được ảnh: tệp không phải ảnh, hoặc đã hỏng"),
    ],
    ids=["144-megapixels", "long-strip", "21-megabytes", "not-an-image"],
)
def test_a_refused_photo_says_why_and_the_limit_in_vietnamese(make_project, tmp_path, caplog, name, content, reason):
    project = _story_with(None, make_project, name, content)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_project(project, tmp_path / "site")
    lines = [r.getMessage().removeprefix("bulletin: ") for r in caplog.records]
    assert any(line.startswith(f"data/stories/tra-vi.md:9: image.file: content/images/{name}: {reason}") for line in lines), lines
    assert any(line.startswith(f"content/images/{name}:1: {reason}") for line in lines), lines  # the file itself too
    assert not any("Error" in line or "Exception" in line for line in lines)  # no English class names


@pytest.mark.parametrize("suffix", [".tif", ".gif", ".bmp", ".jfif", ".ppm"])
def test_every_format_pillow_reads_is_reencoded_and_never_copied(make_project, tmp_path, suffix):
    project = make_project({**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY})
    (project / "content/images").mkdir(parents=True, exist_ok=True)
    source = project / "content/images" / f"anh{suffix}"
    image = Image.new("RGB", (700, 500), (120, 30, 60))
    options = {".jfif": {"exif": _gps()}, ".tif": {"tiffinfo": {270: "Nguyen Van A, 0905 123 456"}}}.get(suffix, {})
    image.save(source, format={".jfif": "JPEG", ".ppm": "PPM"}.get(suffix), **options)
    site = build_project(project, tmp_path / "site")
    written = sorted(p.name for p in (site / "images").glob("anh*"))
    assert written == ["anh-480.webp", "anh-700.jpg", "anh-700.webp"]
    for name in written:
        with Image.open(site / "images" / name) as variant:
            assert dict(variant.getexif()) == {} and "exif" not in variant.info
        assert b"Nguyen" not in (site / "images" / name).read_bytes()


def _gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (14.0, 48.0, 30.0)}
    return exif


def test_the_data_format_page_states_the_limits_the_code_enforces():
    from bulletin.images import MAX_PHOTO_BYTES, MAX_PIXELS
    from bulletin.loader import MAX_FILE_BYTES
    from bulletin.reference import render_reference

    page = render_reference()
    section = page[page.index("## Giới hạn ảnh và tệp") :]
    assert f"tối đa {MAX_FILE_BYTES // 1_000_000} MB" in section
    assert f"tối đa {MAX_PHOTO_BYTES // 1_000_000} MB và {MAX_PIXELS // 1_000_000} megapixel" in section
    guide = (REPO / "docs" / "EDITORS.md").read_text(encoding="utf-8")
    assert guide.rstrip().split("\n## ")[-1].startswith("Giới hạn ảnh và tệp")
    assert f"tối đa {MAX_PHOTO_BYTES // 1_000_000} MB và {MAX_PIXELS // 1_000_000} megapixel" in guide
