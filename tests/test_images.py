"""Photos: re-encoded without metadata, resized, WebP with a JPEG fallback, sized and lazy
below the fold; a missing or broken photo is a located data error."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort
from PIL import Image

from conftest import REPO, article, build_project
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
    assert '<source type="image/webp" srcset="../../images/sample/cho-tra-cau-480.webp 480w, ../../images/sample/cho-tra-cau-1200.webp 1200w"' in html
    assert '<img src="../../images/sample/cho-tra-cau-1200.jpg" width="1200" height="800" alt="Hình minh họa dãy sạp chợ' in html
    assert "<figcaption>Ảnh minh họa chợ (dữ liệu mẫu)</figcaption>" in html
    project = article(shipped_site, "cong-trinh/cau-thanh-duc")
    assert 'width="1200" height="800" alt="Hình minh họa cây cầu' in project and ' loading="lazy" ' in project


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "không có tệp ảnh content/images/a.jpg"),
        (b"not an image", "content/images/a.jpg: không đọc được ảnh (UnidentifiedImageError)"),
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
