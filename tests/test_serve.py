"""`mkdocs serve` (what `make serve` and `make edit` run) keeps answering when the data is bad:
every address shows the located errors, /admin/ still works, and the site comes back on the
next good save, without a restart. Run for real: a server subprocess on a free port, records
edited on disk as the web form's proxy would, HTTP requests and Chromium."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO, free_port, write_project
from test_build import PERSON, STORY, UNITS

TITLE = "Chị Mai trả lại ví cho người đánh rơi"
BROKEN = PERSON.replace("year: 2024", "year: 2O24")
LOCATED = "data/people/tran-thi-mai.yml:7"
ANSWER_WITHIN = 10  # seconds: a stuck server never answers; a working one at once, or after the build under way
REBUILD_WITHIN = 60  # seconds for a save to show, generous for a loaded 2-core machine
# A test-only hook that breaks our own code while overrides/BOOM.txt exists (a bug, not bad data).
BOOM_HOOKS = """\
from pathlib import Path

import bulletin.build

_render_pages = bulletin.build.render_pages


def _broken_render_pages(site, site_url):
    if (Path(__file__).parent / "overrides" / "BOOM.txt").exists():
        raise KeyError("boom")
    return _render_pages(site, site_url)


bulletin.build.render_pages = _broken_render_pages
"""


def _get(url: str) -> tuple[int, str]:
    """Status and body; raises (socket timeout) if the server does not answer in time."""
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_WITHIN) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _wait_for(url: str, condition, what: str) -> float:
    """Seconds until ``condition(status, body)`` holds, every request answering in time."""
    start = time.monotonic()
    while time.monotonic() - start < REBUILD_WITHIN:
        status, body = _get(url)
        if condition(status, body):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{what}: not seen within {REBUILD_WITHIN} s at {url}")


@contextlib.contextmanager
def _serving(project: Path, **settings: str):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "BULLETIN_TODAY": BUILD_DAY, **settings}
    log = project / "serve.log"
    with log.open("w") as output:
        command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        start = time.monotonic()
        while True:
            assert server.poll() is None, log.read_text(encoding="utf-8")
            with contextlib.suppress(OSError):
                _get(url)
                break
            assert time.monotonic() - start < REBUILD_WITHIN, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _project(tmp_path: Path, person: str = PERSON) -> Path:
    return write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": person, "stories/tra-vi.md": STORY})


def _write(project: Path, person: str) -> None:
    (project / "data/people/tran-thi-mai.yml").write_text(person, encoding="utf-8")


def _shows_errors(status: int, body: str) -> bool:
    return status == 200 and 'id="loi-du-lieu"' in body


def _shows_story(status: int, body: str) -> bool:
    return status == 200 and TITLE in body and 'id="loi-du-lieu"' not in body


def test_a_bad_save_shows_the_located_errors_and_the_next_good_save_brings_the_site_back(tmp_path, capsys):
    project = _project(tmp_path)
    with _serving(project) as url:
        story = url + "cau-chuyen/tra-vi/"
        assert _shows_story(*_get(story))
        _write(project, BROKEN)
        shown = _wait_for(url, _shows_errors, "the error page")
        status, home = _get(url)
        assert LOCATED in home and "honours[0].year" in home and "cần một năm từ 1930 đến 2100" in home
        assert "Dữ liệu có 1 lỗi" in home
        status, admin = _get(url + "admin/")
        assert status == 200 and "<title>Biên tập" in admin
        assert _get(url + "admin/config.yml")[0] == 200
        # any other address answers at once, with the same list (MkDocs' 404 page is ours)
        status, page = _get(story)
        assert status == 404 and LOCATED in page
        _write(project, PERSON)
        recovered = _wait_for(story, _shows_story, "the story after the fix")
        assert "loi-du-lieu" not in _get(url)[1]
    # the error site did not empty the page cache: the fix renders only what the person shows
    rendered = re.findall(r"(\d+) trang được dựng lại, (\d+) trang lấy từ bộ nhớ đệm", (project / "serve.log").read_text())
    again, cached = map(int, rendered[-1])
    assert cached > again, rendered
    # nor the memos the server keeps between builds: most page templates give their text from there
    templates = re.findall(r"(\d+) mẫu trang được dựng lại, (\d+) lấy từ bộ nhớ đệm", (project / "serve.log").read_text())
    again, kept = map(int, templates[-1])
    assert kept > again, templates
    with capsys.disabled():
        print(f"\nserve: errors shown {shown:.1f} s after the bad save, site back {recovered:.1f} s after the fix")


@pytest.mark.parametrize("polling", ["", "1"], ids=["system-events", "polling"])
def test_each_save_is_built_once(tmp_path, polling):
    """Saves are noticed through the system's file events (watcher.py), or MkDocs' polling with
    BULLETIN_POLLING=1; either way one save is one build: the build reading every data file
    (file events "opened", "closed") does not start another."""
    project = _project(tmp_path)
    with _serving(project, BULLETIN_POLLING=polling) as url:
        story = url + "cau-chuyen/tra-vi/"
        for number in (1, 2):
            edited = STORY.replace("title: ", f"title: Lần {number} ", 1)
            (project / "data/stories/tra-vi.md").write_text(edited, encoding="utf-8")
            _wait_for(story, lambda status, body, n=number: status == 200 and f"Lần {n} " in body, f"save {number}")
        time.sleep(2.5)  # more than a polling round and a build: a loop would have begun
        log = (project / "serve.log").read_text(encoding="utf-8")
    assert log.count("Detected file changes") == 2, log
    assert log.count("Building documentation") == 3, log  # the first build and one per save


def test_the_server_starts_on_bad_data_and_recovers(tmp_path):
    """`make edit` on a checkout whose data is already broken: the editor can still open the form."""
    project = _project(tmp_path, BROKEN)
    with _serving(project) as url:
        assert _shows_errors(*_get(url)) and LOCATED in _get(url)[1]
        assert _get(url + "admin/")[0] == 200
        _write(project, PERSON)
        _wait_for(url + "cau-chuyen/tra-vi/", _shows_story, "the story after the fix")


def test_a_failure_of_our_own_code_is_reported_and_does_not_hang_the_server(tmp_path):
    project = _project(tmp_path)
    (project / "boom_hooks.py").write_text(BOOM_HOOKS, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - build_hooks.py\n", "  - build_hooks.py\n  - boom_hooks.py\n")
    )
    with _serving(project) as url:
        assert _shows_story(*_get(url + "cau-chuyen/tra-vi/"))
        (project / "overrides/BOOM.txt").write_text("boom", encoding="utf-8")
        _wait_for(url, _shows_errors, "the error page")
        home = _get(url)[1]
        assert "Lỗi trong chương trình" in home and "KeyError: &#39;boom&#39; (bulletin/build.py:" in home
        assert "Traceback" not in home  # the traceback is in the terminal, not on the editor's page
        assert _get(url + "admin/")[0] == 200
        (project / "overrides/BOOM.txt").unlink()
        _wait_for(url + "cau-chuyen/tra-vi/", _shows_story, "the story after the fix")
    log = (project / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "KeyError: 'boom'" in log


def test_a_failure_outside_our_hooks_does_not_hang_the_server(tmp_path):
    """A broken theme template fails inside MkDocs itself: the error site still replaces it."""
    project = _project(tmp_path)
    main = project / "overrides/main.html"
    good = main.read_text(encoding="utf-8")
    with _serving(project) as url:
        main.write_text(good.replace("{% block extrahead %}", "{% block extrahead %}{{ no_such_thing.here }}", 1))
        _wait_for(url, _shows_errors, "the error page")
        assert "UndefinedError" in _get(url)[1] and _get(url + "admin/")[0] == 200
        assert LOCATED not in _get(url)[1]
        main.write_text(good, encoding="utf-8")
        _wait_for(url + "cau-chuyen/tra-vi/", _shows_story, "the story after the fix")


@pytest.mark.browser
def test_an_open_page_reloads_to_the_errors_and_back_in_chromium(tmp_path, browser):
    """The editor keeps a record page open: a bad save replaces it with the error list, the fix
    brings the record back, and the browser is never told to reload."""
    project = _project(tmp_path)
    with _serving(project) as url:
        context = browser.new_context(viewport={"width": 360, "height": 780})
        try:
            page = context.new_page()
            page.goto(url + "cau-chuyen/tra-vi/", wait_until="load")  # live reload keeps a request open
            assert TITLE in page.locator("h1").first.inner_text()
            _write(project, BROKEN)
            start = time.monotonic()
            page.wait_for_selector("#loi-du-lieu", timeout=REBUILD_WITHIN * 1000)
            shown = time.monotonic() - start
            assert LOCATED in page.locator("#loi-du-lieu").inner_text()
            assert page.url == url + "cau-chuyen/tra-vi/"
            page.screenshot(path=str(tmp_path / "serve-errors.png"))
            admin = context.new_page()
            admin.goto(url + "admin/", wait_until="load")
            admin.get_by_text("Đăng nhập", exact=False).first.wait_for(timeout=20_000)  # the form's sign-in
            admin.close()
            _write(project, PERSON)
            start = time.monotonic()
            page.wait_for_selector(f"h1:has-text('{TITLE}')", timeout=REBUILD_WITHIN * 1000)
            recovered = time.monotonic() - start
            assert page.locator("#loi-du-lieu").count() == 0
        finally:
            context.close()
    print(f"\nChromium: errors shown {shown:.1f} s after the bad save, record back {recovered:.1f} s after the fix")


def test_the_error_page_escapes_what_the_editor_typed():
    from bulletin.errors import LocatedError
    from bulletin.serve_errors import Problems, error_page

    typed = LocatedError("data/stories/a.md", 3, "title", 'cần một đoạn chữ, nhận được "<script>alert(1)</script>"')
    html = error_page(Problems(data=[typed]), "/thi-dua/")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<code>data/stories/a.md:3</code>: <code class="field">title</code>' in html
    assert 'href="/thi-dua/admin/"' in html
