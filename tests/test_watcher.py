"""watcher.py on real files: the system's file events take over MkDocs' polling watches, a
watched file reports only itself, and a system that refuses the events falls back to polling.
(test_serve.py runs the whole `mkdocs serve` both ways.)"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from bulletin.watcher import watch_natively

SEEN_WITHIN = 10  # seconds; events come at once, a poll within a second


class _Recorder(FileSystemEventHandler):
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.arrived = threading.Event()

    def on_any_event(self, event) -> None:
        self.paths.append(str(event.src_path))
        self.arrived.set()


class _Server:
    """What watch_natively uses of MkDocs' LiveReloadServer: its observer, and how long it
    waits after an event for more before it builds."""

    def __init__(self) -> None:
        self.observer = PollingObserver(timeout=0.2)
        self.build_delay = 0.1  # MkDocs' own


def _watched(tmp_path: Path, warnings: list[str]) -> tuple[_Server, _Recorder, Path]:
    (tmp_path / "data").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    server, recorder = _Server(), _Recorder()
    server.observer.schedule(recorder, str(tmp_path / "data"), recursive=True)
    server.observer.schedule(recorder, str(config), recursive=True)  # as MkDocs watches mkdocs.yml
    assert watch_natively(server, warnings.append)
    return server, recorder, config


def _changes_seen(server: _Server, recorder: _Recorder, tmp_path: Path, config: Path) -> list[str]:
    server.observer.start()
    try:
        time.sleep(0.5)  # a polling observer's first snapshot
        (tmp_path / "serve.log").write_text("a log beside mkdocs.yml\n", encoding="utf-8")
        (tmp_path / "data" / "story.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
        assert recorder.arrived.wait(SEEN_WITHIN), "the saved record was not reported"
        config.write_text("site_name: y\n", encoding="utf-8")
        deadline = time.monotonic() + SEEN_WITHIN
        while str(config) not in recorder.paths and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        return recorder.paths
    finally:
        server.observer.stop()
        if getattr(server.observer, "polling", None) is not None and server.observer.polling.is_alive():
            server.observer.polling.stop()


def test_the_system_events_report_saves_and_a_watched_file_only_itself(tmp_path):
    warnings: list[str] = []
    server, recorder, config = _watched(tmp_path, warnings)
    assert isinstance(server.observer, Observer) and not server.observer.polling.emitters
    assert server.build_delay < 0.1  # a save's events arrive together: the build starts sooner
    seen = _changes_seen(server, recorder, tmp_path, config)
    assert str(tmp_path / "data" / "story.md") in seen and str(config) in seen
    assert str(tmp_path / "serve.log") not in seen, seen  # the folder of mkdocs.yml is not watched
    assert not warnings


def test_a_system_refusing_its_events_leaves_the_watches_to_polling(tmp_path, monkeypatch):
    def refused(self) -> None:
        raise OSError(28, "inotify watch limit reached")

    warnings: list[str] = []
    server, recorder, config = _watched(tmp_path, warnings)
    monkeypatch.setattr(Observer, "start", refused)  # the system's observer; polling starts as ever
    seen = _changes_seen(server, recorder, tmp_path, config)
    assert str(tmp_path / "data" / "story.md") in seen and str(config) in seen
    assert str(tmp_path / "serve.log") not in seen, seen
    assert len(warnings) == 1 and "inotify watch limit reached" in warnings[0] and "quét định kỳ" in warnings[0]


def test_polling_is_kept_when_asked(monkeypatch):
    monkeypatch.setenv("BULLETIN_POLLING", "1")
    server = _Server()
    polling = server.observer
    assert not watch_natively(server, pytest.fail)
    assert server.observer is polling and server.build_delay == 0.1
