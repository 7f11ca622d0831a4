"""What an editor does in the web form, done in Chromium against the generated /admin/:
each flow saves through the form into a project folder, then checks the saved file and the
site built from it.

The form edits a folder through the browser's File System Access API (Sveltia CMS's local
mode, what `make edit` uses). A test cannot click through the browser's folder picker, so
`showDirectoryPicker` hands the form a folder of the browser's own private file system,
filled with the project's files; what the form writes there is copied back to disk and built.
Everything else (the form, its widgets, its serialiser, its writes) is the real thing.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from conftest import REPO, article, build_project, serve, write_project
from test_build import PERSON, UNITS

from bulletin.loader import load_records

SCREENSHOTS = REPO / "docs" / "screenshots"
PARTY_UNIT = "name: Đảng bộ phường Sa Huỳnh\nkind: đảng bộ cơ sở\nvalid_from: 2025-07-01\n"
PROJECT = """\
title: Cầu Thạnh Đức
summary: Cầu mới bắc qua cửa biển Sa Huỳnh.
location: Cửa biển Sa Huỳnh
units:
  - phuong-sa-huynh
status: đang thi công
milestones:
  - date: 2026-04-10
    title: Hợp long
    done: false
progress:
  - date: 2026-02-01
    percent: 61
"""
RECORDS = {
    **UNITS,
    "units/dang-bo-phuong-sa-huynh.yml": PARTY_UNIT,
    "people/tran-thi-mai.md": "---\n" + PERSON + "---\n",  # the form reads people as .md
}
# The browser's private folder stands in for the folder the editor would pick.
FOLDER_SCRIPT = """
window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle(window.__folderName, { create: true });
window.__writeFolder = async (files) => {
  const root = await window.showDirectoryPicker();
  for (const [path, base64] of Object.entries(files)) {
    const parts = path.split('/');
    let folder = root;
    for (const name of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(name, { create: true });
    const writable = await (await folder.getFileHandle(parts.at(-1), { create: true })).createWritable();
    await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    await writable.close();
  }
};
window.__readFolder = async () => {
  const files = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else {
        let bytes;
        try { bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer()); }
        catch (error) { continue; }  // a file the form is still writing: read on the next poll
        let text = '';
        for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
        files[prefix + name] = btoa(text);
      }
    }
  };
  await walk(await window.showDirectoryPicker(), '');
  return files;
};
"""


class Form:
    """The web form opened on a project folder, as an editor would use it."""

    def __init__(self, browser, url: str, project: Path):
        self.url, self.project = url, project
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        self.left: list[str] = []
        self.context.route("**/*", self._only_local)
        self.context.add_init_script(f"window.__folderName = {json.dumps(uuid.uuid4().hex)};" + FOLDER_SCRIPT)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(f"{url}/admin/")
        files = {".git/HEAD": b"ref: refs/heads/main\n"}
        files |= {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}
        self.before = {path: data for path, data in files.items() if path.startswith(("data/", "content/images/"))}
        wanted = {k: v for k, v in files.items() if k.startswith((".git/", "data/", "content/images/"))}
        self.page.evaluate("files => window.__writeFolder(files)", {k: base64.b64encode(v).decode() for k, v in wanted.items()})
        self.page.get_by_role("button", name="Làm việc với kho mã nguồn cục bộ").click()
        self.page.get_by_text("Chuyên mục").first.wait_for()

    def _only_local(self, route):
        if route.request.url.startswith(("http://127.0.0.1", "http://localhost")):
            return route.continue_()
        self.left.append(route.request.url)
        return route.abort()

    def open(self, where: str) -> None:
        self.page.goto(f"{self.url}/admin/#/collections/{where}")
        self.page.locator("section.field").first.wait_for()

    def field(self, key_path: str):
        """The field at ``key_path`` ("phases.0.end"), scrolled into view (lists draw their
        items only when seen)."""
        parts = key_path.split(".")
        for end in range(1, len(parts)):
            if parts[end - 1].isdigit():  # a list item is no field of its own
                continue
            self.page.locator(f'section.field[data-key-path="{".".join(parts[:end])}"]').first.scroll_into_view_if_needed()
        section = self.page.locator(f'section.field[data-key-path="{key_path}"]').first
        section.scroll_into_view_if_needed()
        return section

    def fill(self, key_path: str, value: str) -> None:
        self.field(key_path).locator("input, textarea").first.fill(value)

    def add(self, key_path: str, label: str) -> None:
        """«Thêm …»: a new item of a list, or an optional group."""
        section = self.field(key_path)
        section.get_by_role("button", name=f"Thêm \u2068{label}\u2069").or_(section.get_by_role("checkbox")).first.click()

    def pick(self, key_path: str, typed: str, option: str) -> None:
        """A record from a picker: type part of its name, click the option."""
        section = self.field(key_path)
        name = re.compile("^" + re.escape(option))
        few = section.get_by_role("checkbox", name=name).or_(section.get_by_role("radio", name=name))
        if few.count():  # a handful of choices are shown as tick boxes
            few.first.click()
            return
        section.locator("[role=combobox]").first.click()
        search = self.page.locator('input[aria-label="Lọc tùy chọn"]:visible')
        if typed and search.count():
            search.first.fill(typed)
        self.page.locator(f'[role=option][data-label^="{option}"]:visible').first.click()
        if self.page.locator("[role=listbox]:visible").count():
            self.page.keyboard.press("Escape")

    def save(self) -> dict[str, bytes]:
        """«Lưu», then what the folder holds that changed."""
        self.page.get_by_role("button", name="Lưu", exact=True).click()
        for _ in range(100):
            changed = self.changed()
            if any(path.startswith("data/") for path in changed):  # the record, after its photo
                self.page.wait_for_timeout(300)
                return self.changed()
            self.page.wait_for_timeout(100)
        return {}

    def changed(self) -> dict[str, bytes]:
        files = {k: base64.b64decode(v) for k, v in self.page.evaluate("window.__readFolder()").items()}
        return {k: v for k, v in files.items() if k.startswith(("data/", "content/")) and self.before.get(k) != v}

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"))

    def close(self) -> None:
        self.context.close()


def _write_back(project: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(data)


def _check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bulletin", "check", str(project)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "BULLETIN_TODAY": "2026-11-24", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def admin_url(tmp_path_factory):
    """The form as a build publishes it (default settings), served on localhost."""
    root = tmp_path_factory.mktemp("admin")
    site = build_project(write_project(root / "project", RECORDS), root / "site")
    with serve(site) as url:
        yield url


@pytest.fixture
def form(browser, admin_url, tmp_path):
    opened: list[Form] = []

    def open_(records: dict[str, str] | None = None, project: Path | None = None) -> Form:
        folder = project or write_project(tmp_path / "project", {**RECORDS, **(records or {})})
        opened.append(Form(browser, admin_url, folder))
        return opened[-1]

    yield open_
    for each in opened:
        assert each.left == [], each.left  # no request left localhost
        each.close()


def test_a_new_story_with_pickers_a_tag_with_a_comma_and_a_markdown_body(form, tmp_path):
    editor = form()
    editor.open("stories/new")
    editor.fill("title", "Chị Mai trả lại ví")
    editor.fill("author", "Ban Tuyên giáo")
    editor.fill("summary", "Nhặt được ví, chị Mai tìm trả người mất.")
    editor.pick("people", "Mai", "Trần Thị Mai")
    editor.pick("units", "Sa Huỳnh", "Phường Sa Huỳnh · phường")
    editor.add("tags", "Thẻ")
    editor.fill("tags.0", "trả của rơi, phụ nữ")
    body = editor.field("body").locator("[contenteditable=true]").first
    body.click()
    # as an editor types it: "- " starts a list, Enter continues it, Enter on an empty item ends it
    editor.page.keyboard.type("Chị Mai đã làm ba việc:\n- nhặt ví\nbáo công an\n")
    editor.page.keyboard.press("Enter")
    editor.page.keyboard.type("Xem [trang phường](https://sahuynh.quangngai.gov.vn).")
    editor.screenshot("story")
    saved = editor.save()
    text = saved["data/stories/chi-mai-tra-lai-vi.md"].decode()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["tags"] == ["trả của rơi, phụ nữ"]  # one tag, not two
    assert front["people"] == ["tran-thi-mai"] and front["units"] == ["phuong-sa-huynh"]
    project = editor.project
    _write_back(project, saved)
    site = build_project(project, tmp_path / "site")
    html = article(site, "cau-chuyen/chi-mai-tra-lai-vi")
    assert re.search(r"<ul>\s*<li>nhặt ví</li>\s*<li>báo công an</li>\s*</ul>", html)  # one flat list
    assert 'href="https://sahuynh.quangngai.gov.vn"' in html
    assert "trả của rơi, phụ nữ" in html


def test_a_required_field_left_empty_is_answered_at_the_field_in_vietnamese(form):
    editor = form()
    editor.open("stories/new")
    editor.fill("title", "Tin chưa xong")
    editor.page.get_by_role("button", name="Lưu", exact=True).click()
    author = editor.field("author")
    message = author.get_by_role("alert").or_(author.locator("[id$='-error']")).first
    message.wait_for()
    editor.screenshot("required-field")
    assert "bắt buộc" in message.inner_text().lower() or "trống" in message.inner_text().lower(), message.inner_text()
    assert editor.changed() == {}  # nothing was written


def test_a_person_saved_without_touching_consent_is_stored_as_no_consent(form, tmp_path):
    editor = form()
    editor.open("people/new")
    editor.fill("family_name", "Lê")
    editor.fill("middle_name", "Văn")
    editor.fill("given_name", "Đức")
    editor.pick("unit", "Sa Huỳnh", "Phường Sa Huỳnh · phường")
    saved = editor.save()
    text = saved["data/people/le-van-duc.md"].decode()
    assert "consent" not in text  # no half-filled consent: no consent at all
    _write_back(editor.project, saved)
    result = _check(editor.project)
    assert result.returncode == 0, result.stderr
    site = build_project(editor.project, tmp_path / "site")
    assert not (site / "ca-nhan" / "le-van-duc").exists()  # not published


def test_a_commendation_to_a_household(form, tmp_path):
    """A household is named only with its own consent (issue 10): the editor records it in the form."""
    editor = form()
    editor.open("commendations/new")
    editor.pick("form", "", "Giấy khen")
    editor.fill("title", "Hộ gia đình văn hóa tiêu biểu")
    editor.fill("issuer", "Ủy ban nhân dân phường Sa Huỳnh")
    editor.fill("decision_number", "15/QĐ-UBND")
    editor.fill("reason", "Gương mẫu giữ gìn vệ sinh môi trường.")
    editor.add("recipients", "Người, tập thể được khen")
    editor.fill("recipients.0.household", "Hộ ông Nguyễn Văn Tư")
    editor.pick("recipients.0.unit", "Sa Huỳnh", "Phường Sa Huỳnh · phường")
    editor.add("recipients.0.consent", "Đồng ý công bố")
    editor.pick("recipients.0.consent.covers", "", "tên")
    editor.fill("recipients.0.consent.given_on", "2026-11-20")
    editor.fill("recipients.0.consent.given_by", "Nguyễn Văn Tư (chủ hộ)")
    editor.fill("recipients.0.consent.evidence", "Giấy đồng ý lưu tại UBND phường")
    saved = editor.save()
    (path,) = [p for p in saved if p.startswith("data/commendations/")]
    front = yaml.safe_load(saved[path])
    (recipient,) = front["recipients"]
    assert recipient["unit"] == "phuong-sa-huynh" and recipient["household"] == "Hộ ông Nguyễn Văn Tư"
    assert recipient["consent"]["covers"] == ["tên"]
    _write_back(editor.project, saved)
    site = build_project(editor.project, tmp_path / "site")
    page = article(site, f"khen-thuong/{Path(path).stem}")
    assert "Hộ ông Nguyễn Văn Tư" in page and "Giấy đồng ý" not in page  # the consent record stays private


def test_a_progress_update_and_a_milestone_marked_done(form, tmp_path):
    editor = form({"projects/cau-thanh-duc.md": "---\n" + PROJECT + "---\n"})
    project = editor.project
    editor.open("projects/entries/cau-thanh-duc")
    editor.field("milestones.0.done").get_by_role("switch").or_(
        editor.field("milestones.0.done").get_by_role("checkbox")
    ).first.click()
    editor.add("progress", "Cập nhật tiến độ")
    editor.fill("progress.1.date", "2026-04-15")
    editor.fill("progress.1.percent", "78")
    editor.screenshot("project-progress")
    saved = editor.save()
    text = saved["data/projects/cau-thanh-duc.md"].decode()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["milestones"][0]["done"] is True
    assert front["progress"][-1] == {"date": "2026-04-15", "percent": 78} or front["progress"][-1]["percent"] == 78
    _write_back(project, saved)
    site = build_project(project, tmp_path / "site")
    assert "78" in article(site, "cong-trinh/cau-thanh-duc")


def test_a_draft_and_a_scheduled_story_stay_off_the_public_site(form, tmp_path):
    editor = form()
    for title, setting in (("Tin nháp", "draft"), ("Tin hẹn giờ", "publish_on")):
        editor.open("stories/new")
        editor.fill("title", title)
        editor.fill("author", "Ban Tuyên giáo")
        editor.fill("summary", "Chưa đăng.")
        if setting == "draft":
            editor.field("draft").get_by_role("switch").or_(editor.field("draft").get_by_role("checkbox")).first.click()
        else:
            editor.fill("publish_on", "2026-12-31")
        editor.field("body").locator("[contenteditable=true]").first.click()
        editor.page.keyboard.type("Nội dung.")
        _write_back(editor.project, editor.save())
        editor.before = {**editor.before, **editor.changed()}
    draft = (editor.project / "data" / "stories" / "tin-nhap.md").read_text(encoding="utf-8")
    scheduled = (editor.project / "data" / "stories" / "tin-hen-gio.md").read_text(encoding="utf-8")
    assert "\ndraft: true\n" in draft and "\npublish_on: 2026-12-31\n" in scheduled
    site = build_project(editor.project, tmp_path / "site")
    assert not (site / "cau-chuyen" / "tin-nhap").exists() and not (site / "cau-chuyen" / "tin-hen-gio").exists()


def test_a_one_field_edit_of_the_shipped_campaign_changes_one_line(form, tmp_path):
    """The campaign's first phase ends in «9/2025», typed as editors write it: the saved file
    differs from the shipped one by that line only, and the shipped site builds from it."""
    project = tmp_path / "shipped"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".git", ".venv", "site", ".site*", ".cache", "tests"))
    editor = form(project=project)
    editor.open("campaigns/entries/duc-pho-2024-2026")
    editor.fill("phases.0.end", "9/2025")
    editor.screenshot("campaign-month")
    saved = editor.save()
    path = "data/campaigns/duc-pho-2024-2026.md"
    before = (REPO / path).read_text(encoding="utf-8").splitlines()
    after = saved[path].decode().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("    end: 2025-08", "    end: 9/2025")]
    _write_back(project, saved)
    loaded, errors = load_records(project)
    assert errors == []
    campaign = next(r.record for r in loaded if r.collection == "campaigns")
    assert campaign.phases[0].end == "2025-09"


def test_a_new_person_with_consent_and_a_photo_from_the_image_widget(form, tmp_path):
    from PIL import Image as Picture

    photo = tmp_path / "Ảnh chị Lan.jpg"
    exif = Picture.Exif()
    exif[0x010F] = "Máy ảnh thử"  # Make
    Picture.new("RGB", (640, 480), (200, 30, 30)).save(photo, exif=exif)
    editor = form()
    editor.open("people/new")
    editor.fill("family_name", "Bùi")
    editor.fill("middle_name", "Thị")
    editor.fill("given_name", "Lan")
    editor.pick("unit", "Sa Huỳnh", "Phường Sa Huỳnh · phường")
    editor.add("photo", "Ảnh")
    editor.field("photo.file").locator("input[type=file]").or_(editor.page.locator("input[type=file]")).first.set_input_files(
        photo
    )
    confirm = editor.page.get_by_role("button", name="Chèn").or_(editor.page.get_by_role("button", name="Chọn", exact=True))
    if confirm.count():
        confirm.first.click()
    editor.fill("photo.alt", "Chị Lan bên quầy rau")
    editor.add("consent", "Đồng ý công bố")
    for scope in ("tên", "ảnh"):
        editor.pick("consent.covers", "", scope)
    editor.fill("consent.given_on", "2026-11-20")
    editor.fill("consent.given_by", "Bùi Thị Lan")
    editor.fill("consent.evidence", "Phiếu đồng ý lưu tại UBND phường")
    editor.screenshot("person-photo")
    saved = editor.save()
    if "data/people/bui-thi-lan.md" not in saved:
        editor.page.screenshot(path=str(tmp_path / "not-saved.png"), full_page=True)
    front = yaml.safe_load(saved["data/people/bui-thi-lan.md"].decode().split("---\n")[1])
    images = [p for p in saved if p.startswith("content/images/")]
    # the form stores the photo's site address, /images/x.jpg: the file content/images/x.jpg
    assert len(images) == 1 and front["photo"]["file"] == "/" + images[0].removeprefix("content/")
    assert front["consent"]["covers"] == ["tên", "ảnh"]
    _write_back(editor.project, saved)
    site = build_project(editor.project, tmp_path / "site")
    html = article(site, "ca-nhan/bui-thi-lan")
    assert "Chị Lan bên quầy rau" in html
    published = [p for p in (site / "images").rglob("*") if p.suffix in {".jpg", ".webp"}]
    assert published
    for file in published:
        with Picture.open(file) as image:
            assert not image.getexif(), file  # re-encoded: no camera data
