"""Fixtures that build real (tiny or shipped) sites with MkDocs into temporary folders."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import http.server
import io
import shutil
import socket
import sys
import threading
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parent.parent
BUILD_DAY = "2026-11-24"


@pytest.fixture(autouse=True)
def fixed_build_day(monkeypatch):
    monkeypatch.setenv("BULLETIN_TODAY", BUILD_DAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _sample_photos(folder: str, names: list[str]) -> set[str]:
    return {"sample"} if Path(folder) == REPO / "content" / "images" else set()


def write_project(root: Path, records: dict[str, str]) -> Path:
    """A project folder like the repo's (config, hooks, content, overrides) with ``records``
    written under data/ (keys are paths relative to data/)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "build_hooks.py"):
        shutil.copy(REPO / name, root / name)
    for folder in ("content", "overrides"):
        if (REPO / folder).is_dir():
            # The shipped sample photos stay out: no tiny record shows them, and every tiny
            # build would re-encode them all (seconds per test).
            shutil.copytree(REPO / folder, root / folder, dirs_exist_ok=True, ignore=_sample_photos)
    (root / "data").mkdir(exist_ok=True)
    for relative, text in records.items():
        path = root / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_project(root: Path, site_dir: Path) -> Path:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
    build(config)
    return site_dir


@pytest.fixture
def make_project(tmp_path):
    def make(records: dict[str, str]) -> Path:
        return write_project(tmp_path / "project", records)

    return make


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The repo's own data built once per test session."""
    import os

    os.environ["BULLETIN_TODAY"] = BUILD_DAY
    site_dir = tmp_path_factory.mktemp("shipped") / "site"
    return build_project(REPO, site_dir)


def page(site_dir: Path, url: str) -> str:
    """The HTML of a built page by its URL path ("cau-chuyen/x/")."""
    return (site_dir / url / "index.html").read_text(encoding="utf-8")


def article(site_dir: Path, url: str) -> str:
    """Only the page's main content, so navigation links do not make a check pass."""
    html = page(site_dir, url)
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


# --- Browser tests -------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_TEXT = {".html", ".js", ".css", ".svg", ".json", ".xml", ".txt"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _GzipHandler(_QuietHandler):
    """Text gzipped (level 6, as nginx's ``gzip on``) for clients that accept it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in _TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # Chromium drops connections it no longer needs
            super().handle_error(request, client_address)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(site_dir: Path, port: int = 0, gzipped: bool = False):
    """Serve a built site on localhost (a free port unless ``port`` is given), as any static
    server would; ``gzipped``: text compressed as a production server sends it."""
    handler = functools.partial(_GzipHandler if gzipped else _QuietHandler, directory=str(site_dir))
    server = _QuietServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclasses.dataclass
class BrowserPage:
    """A Playwright page that records every request and console error it sees."""

    page: object
    requests: list[str]
    console_errors: list[str]

    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))]


@contextlib.contextmanager
def page_opener(browser):
    """``open_(url, width, height, javascript)``: a recorded page in a context of its own;
    every context is closed at the end."""
    contexts = []

    def open_(url: str, width: int = 360, height: int = 780, javascript: bool = True) -> BrowserPage:
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        recorded = BrowserPage(page, [], [])
        page.on("request", lambda request: recorded.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and recorded.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: recorded.console_errors.append(str(exc)))
        page.goto(url, wait_until="networkidle")
        return recorded

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_page(browser):
    with page_opener(browser) as open_:
        yield open_


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium are marked `browser`, so `make quick` can leave them out."""
    for item in items:
        if {"browser", "open_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
