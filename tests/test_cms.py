"""The editors' form (/admin/, Sveltia CMS): its config comes from the schemas, its sign-in
from the build's settings, and the real CMS loads from the built site, in Vietnamese, with
no request leaving for any host but the chosen forge. The editor flows themselves (saving
records into a folder) are in test_editor_flows.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pytest
import yaml
from conftest import REPO, build_project, serve, write_project
from pydantic import Field
from test_build import PERSON, STORY, UNITS

from bulletin.cms import (
    OFFLINE_ADDRESSES,
    VENDOR,
    admin_files,
    admin_policy,
    backend_config,
    cms_config,
    collection_config,
    field_config,
    fields_config,
    offline_bundle,
)
from bulletin.layout import data_files, formatted
from bulletin.schema import COLLECTIONS, Part, Record, UnitRef

SCREENSHOTS = REPO / "docs" / "screenshots"


def _by_name(fields):
    return {f["name"]: f for f in fields}


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_every_schema_field_is_in_the_form(name):
    config = collection_config(name)
    model = COLLECTIONS[name].model
    assert [f["name"] for f in config["fields"]] == list(model.model_fields)
    for field in config["fields"]:
        assert field["label"] and field["required"] == model.model_fields[field["name"]].is_required()
    assert config["folder"] == f"data/{name}"


def test_widgets_follow_the_field_types():
    story = _by_name(collection_config("stories")["fields"])
    assert story["date"]["widget"] == "datetime" and story["date"]["format"] == "YYYY-MM-DD"
    assert story["body"]["widget"] == "markdown" and story["summary"]["widget"] == "text"
    assert story["units"] == {**story["units"], "widget": "relation", "collection": "units", "multiple": True}
    assert story["people"]["display_fields"] == ["{{family_name}} {{middle_name}} {{given_name}}"]
    assert story["image"]["widget"] == "object"
    plan = _by_name(_by_name(collection_config("campaigns")["fields"])["plan"]["fields"])
    assert plan["issuer"]["required"] and not plan["number"]["required"]
    person = _by_name(collection_config("people")["fields"])
    assert person["unit"]["widget"] == "relation" and person["unit"]["multiple"] is False
    honours = _by_name(person["honours"]["fields"])
    assert honours["year"] == {**honours["year"], "widget": "number", "min": 1930, "max": 2100}
    assert honours["title"]["widget"] == "select" and "đảng viên bốn tốt" in honours["title"]["options"]
    consent = _by_name(person["consent"]["fields"])
    assert consent["covers"]["widget"] == "select" and consent["covers"]["multiple"] is True
    # an optional group keeps its own rules: they apply once the editor adds the group
    assert person["consent"]["required"] is False and consent["given_on"]["required"] is True
    assert story["image"]["fields"][0] == {**story["image"]["fields"][0], "name": "file", "widget": "image"}
    assert re.search(story["summary"]["pattern"][0], "x" * 400) and not re.search(story["summary"]["pattern"][0], "x" * 401)
    project = _by_name(collection_config("projects")["fields"])
    assert project["budget_billion_vnd"]["min"] == 0
    criterion = _by_name(_by_name(collection_config("criteria")["fields"])["criteria"]["fields"])
    assert re.search(criterion["id"]["pattern"][0], "tot-nhiem-vu") and not re.search(criterion["id"]["pattern"][0], "Tốt")


def test_a_month_is_accepted_as_the_loader_accepts_it():
    phases = _by_name(_by_name(collection_config("campaigns")["fields"])["phases"]["fields"])
    pattern = phases["end"]["pattern"][0]
    for month in ("9/2025", "09/2025", "2025-09", "2025-9"):
        assert re.search(pattern, month), month
    assert not re.search(pattern, "tháng 9")


def test_lists_of_text_get_one_box_per_item():
    """A bare list widget is one comma-separated input: saving it would split every tag,
    slogan or sentence that holds a comma into several items."""
    campaign = _by_name(collection_config("campaigns")["fields"])
    for name in ("slogans", "purposes", "requirements", "rewards"):
        assert campaign[name]["widget"] == "list" and campaign[name]["field"]["widget"] == "text", name
    assert _by_name(collection_config("stories")["fields"])["tags"]["field"]["widget"] == "string"
    for collection in COLLECTIONS:
        for field in _all_fields(collection_config(collection)["fields"]):
            if field["widget"] == "list":
                assert "field" in field or "fields" in field, (collection, field["name"])


def _all_fields(fields):
    for field in fields:
        yield field
        yield from _all_fields(field.get("fields", []))


def test_labels_tell_fields_and_units_apart():
    story = _by_name(collection_config("stories")["fields"])
    assert story["date"]["label"] != story["publish_on"]["label"]
    labels = [f["label"] for f in collection_config("stories")["fields"]]
    assert len(labels) == len(set(labels))
    unit_picker = _by_name(collection_config("people")["fields"])["unit"]
    assert unit_picker["display_fields"] == ["{{name}} · {{kind}}"]  # «Đảng bộ phường Sa Huỳnh · đảng bộ cơ sở»
    project = _by_name(collection_config("projects")["fields"])
    assert "{{fields.date" in project["milestones"]["summary"] and "{{fields.title}}" in project["milestones"]["summary"]
    assert "{{fields.percent}}" in project["progress"]["summary"]


def test_new_files_are_named_like_the_records_already_in_data():
    assert collection_config("people")["slug"] == "{{fields.family_name}}-{{fields.middle_name}}-{{fields.given_name}}"
    assert collection_config("honours")["slug"] == "{{fields.unit}}-{{fields.year}}"
    assert collection_config("stories")["slug"] == "{{slug}}" and collection_config("stories")["identifier_field"] == "title"


def test_a_schema_change_changes_the_form():
    class Part2(Part):
        shade: Literal["đỏ", "vàng"] = Field(title="Màu")

    class Sample(Record):
        place: list[UnitRef] = Field(default_factory=list, title="Nơi")
        parts: list[Part2] = Field(title="Các phần")

    fields = _by_name(fields_config(Sample))
    assert fields["place"]["widget"] == "relation" and fields["place"]["multiple"] is True
    assert fields["parts"]["widget"] == "list" and fields["parts"]["required"] is True
    assert field_config(Part2, "shade")["options"] == ["đỏ", "vàng"]


def test_config_writes_the_layout_of_data_and_ascii_file_names():
    config = cms_config({})
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert config["output"] == {
        "omit_empty_optional_fields": True,
        "yaml": {"indent_size": 2, "indent_sequences": True, "quote": "none"},
    }
    assert [c["name"] for c in config["collections"]] == list(COLLECTIONS)


def test_every_shipped_data_file_is_in_the_layout_the_form_writes():
    """So that saving a record in the form changes only the lines the editor changed
    (`python -m bulletin fmt` puts a file back in this layout)."""
    files = data_files(REPO)
    assert len(files) > 100
    for file in files:
        text, errors = formatted(REPO, file)
        assert errors == [] and text == file.read_text(encoding="utf-8"), file.relative_to(REPO)


# --- Sign-in: the forge and its addresses come from the build's settings ----------------------
BACKENDS = {
    "github-token": {"BULLETIN_CMS_BACKEND": "github", "BULLETIN_CMS_REPO": "phuong-sa-huynh/ban-tin"},
    "github-relay": {
        "BULLETIN_CMS_BACKEND": "github",
        "BULLETIN_CMS_REPO": "phuong-sa-huynh/ban-tin",
        "BULLETIN_CMS_BASE_URL": "https://dang-nhap.sahuynh.example",
    },
    "gitlab-com": {"BULLETIN_CMS_BACKEND": "gitlab", "BULLETIN_CMS_REPO": "sa-huynh/ban-tin", "BULLETIN_CMS_APP_ID": "a1b2c3"},
    "gitlab-self-hosted": {
        "BULLETIN_CMS_BACKEND": "gitlab",
        "BULLETIN_CMS_REPO": "tuyen-giao/ban-tin",
        "BULLETIN_CMS_BASE_URL": "https://git.quangngai.example",
        "BULLETIN_CMS_APP_ID": "d4e5f6",
    },
    "forgejo": {
        "BULLETIN_CMS_BACKEND": "gitea",
        "BULLETIN_CMS_REPO": "tuyen-giao/ban-tin",
        "BULLETIN_CMS_BASE_URL": "https://forgejo.sahuynh.example",
        "BULLETIN_CMS_APP_ID": "0f1e2d",
    },
}
# (backend name, the forge hosts the form may talk to, sign-in buttons it must offer)
EXPECTED = {
    "github-token": ("github", {"https://api.github.com"}, ["Đăng nhập bằng mã truy cập"]),
    "github-relay": ("github", {"https://api.github.com"}, ["Đăng nhập bằng \u2068GitHub\u2069", "Đăng nhập bằng mã truy cập"]),
    "gitlab-com": ("gitlab", {"https://gitlab.com"}, ["Đăng nhập bằng \u2068GitLab\u2069", "Đăng nhập bằng mã truy cập"]),
    "gitlab-self-hosted": (
        "gitlab",
        {"https://git.quangngai.example"},
        ["Đăng nhập bằng \u2068GitLab\u2069", "Đăng nhập bằng mã truy cập"],
    ),
    "forgejo": (
        "gitea",
        {"https://forgejo.sahuynh.example"},
        ["Đăng nhập bằng \u2068Gitea / Forgejo\u2069", "Đăng nhập bằng mã truy cập"],
    ),
}


def _connect_sources(policy: str) -> set[str]:
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    return set(directives["connect-src"].split()) - {"'self'", "blob:", "data:"}


@pytest.mark.parametrize("case", list(BACKENDS))
def test_backend_and_policy_follow_the_settings(case):
    backend = backend_config(BACKENDS[case])
    name, hosts, _ = EXPECTED[case]
    assert backend["name"] == name and backend["repo"] == BACKENDS[case]["BULLETIN_CMS_REPO"] and backend["branch"] == "main"
    assert _connect_sources(admin_policy(backend)) == hosts
    if name in {"gitlab", "gitea"}:  # PKCE with the application's id: no secret, no server
        address = next(iter(hosts))
        assert backend["base_url"] == address and backend["app_id"] == BACKENDS[case]["BULLETIN_CMS_APP_ID"]
        assert backend["api_root"] == address + ("/api/v4" if name == "gitlab" else "/api/v1")
    if name == "gitlab":
        assert backend["auth_type"] == "pkce" and backend["auth_endpoint"] == "oauth/authorize"
    if case == "github-token":
        assert backend["auth_methods"] == ["token"] and "base_url" not in backend  # never Netlify's service
    if case == "github-relay":
        assert backend["base_url"] == "https://dang-nhap.sahuynh.example"


def test_a_forge_without_an_application_signs_in_with_a_token_only():
    backend = backend_config({"BULLETIN_CMS_BACKEND": "gitlab", "BULLETIN_CMS_BASE_URL": "https://git.example"})
    assert backend["auth_methods"] == ["token"] and "app_id" not in backend
    with pytest.raises(ValueError, match="github, gitlab, gitea"):
        backend_config({"BULLETIN_CMS_BACKEND": "bitbucket"})


def test_the_form_s_policy_lets_it_read_back_a_photo_and_nothing_else():
    """The form reads an upload back from its blob: URL before saving it: without blob: in
    connect-src, saving a record with a new photo fails ("Failed to fetch")."""
    directives = dict(d.strip().split(" ", 1) for d in admin_policy(backend_config({})).split(";"))
    assert {"blob:", "'self'"} <= set(directives["connect-src"].split())
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval


def test_the_bundle_fetches_its_strings_and_fonts_from_the_site_itself():
    """Sveltia CMS fetches its Vietnamese strings and its fonts from public CDNs; what /admin/
    serves points them at the vendored copies instead (and fails if an address moved)."""
    original = (VENDOR / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "unpkg.com/@sveltia/cms" in original and "/locales" in original  # the claim checked
    served = offline_bundle(original)
    assert "cdn.jsdelivr.net" not in served
    for local in OFFLINE_ADDRESSES.values():
        assert (VENDOR / local).is_file() and local in served
    paths = {uri for uri, _ in admin_files(REPO, {})}
    assert {"admin/locales/vi.json", "admin/package.json", "admin/sveltia-cms.js", "admin/LICENSE.txt"} <= paths
    with pytest.raises(ValueError, match="no longer in the Sveltia CMS bundle"):
        offline_bundle(original.replace("cdn.jsdelivr.net", "cdn.example"))


# --- In Chromium ------------------------------------------------------------------------------
def _only_local(context, forge_hosts: set[str]) -> list[str]:
    """Every request leaving localhost is recorded and refused (there is no internet here)."""
    left: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost")):
            return route.continue_()
        left.append(url)
        return route.abort()

    context.route("**/*", route)
    return left


def _admin_site(tmp_path: Path, monkeypatch, settings: dict[str, str]) -> Path:
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    project = write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY})
    return build_project(project, tmp_path / "site")


@pytest.mark.parametrize("case", list(BACKENDS))
def test_the_published_form_offers_the_forge_s_sign_in(case, tmp_path, monkeypatch, browser):
    """Built for each forge, /admin/ loads without a configuration error, offers that forge's
    sign-in, and sends nothing anywhere but localhost (the forge is reached only on sign-in)."""
    site = _admin_site(tmp_path, monkeypatch, BACKENDS[case])
    name, hosts, buttons = EXPECTED[case]
    assert yaml.safe_load((site / "admin" / "config.yml").read_text())["backend"]["name"] == name
    with serve(site) as url:
        context = browser.new_context(viewport={"width": 1000, "height": 700}, locale="vi-VN")
        left = _only_local(context, hosts)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(f"{url}/admin/")
        page.get_by_role("button", name="Đăng nhập bằng mã truy cập").wait_for()
        offered = [b.inner_text().strip() for b in page.get_by_role("button").all()]
        body = page.locator("body").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"admin-sign-in-{case}.png"))
        page.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
        token_box = page.get_by_role("textbox").count()  # where the editor pastes a token
        page.keyboard.press("Escape")
        popup_url = ""
        if len(buttons) == 2:  # OAuth: a window opens on the forge (or the relay) itself
            with context.expect_page() as popup:
                page.get_by_role("button", name=buttons[0]).click()
            for _ in range(50):  # the window is sent to the forge after it opens
                popup_url = next((u for u in left if "authorize" in u or "/auth" in u), "")
                if popup_url:
                    break
                popup.value.wait_for_timeout(100)
        context.close()
    assert [b for b in offered if b.startswith("Đăng nhập")] == buttons, offered
    assert "Làm việc với kho mã nguồn cục bộ" in offered  # local editing on this machine
    assert "Lỗi" not in body and "cấu hình" not in body.lower(), body
    assert token_box >= 1
    settings = BACKENDS[case]
    if name in {"gitlab", "gitea"}:  # PKCE on the forge: its application id, a code challenge
        endpoint = "oauth/authorize" if name == "gitlab" else "login/oauth/authorize"
        assert popup_url.startswith(f"{next(iter(hosts))}/{endpoint}?"), left
        assert f"client_id={settings['BULLETIN_CMS_APP_ID']}" in popup_url and "code_challenge=" in popup_url
    if case == "github-relay":  # the ward's relay, never Netlify's
        assert popup_url.startswith(settings["BULLETIN_CMS_BASE_URL"] + "/auth"), left
    # nothing else left localhost: not the forge before sign-in, no CDN ever
    assert [u for u in left if u != popup_url] == []
    # the forge's status page is refused by the policy before it leaves: only that is allowed
    assert all("status" in e and "Content Security Policy" in e for e in errors if "Refused" in e or "violates" in e)
    assert not [e for e in errors if "Refused" not in e and "violates" not in e and "status" not in e], errors
