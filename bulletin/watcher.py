"""Under `mkdocs serve`: a saved file noticed when the system reports it, not at the next poll.

MkDocs watches the project with watchdog's polling observer: it lists and stats every watched
file twice a second (a thousand stories: some 1,500 files each time), so a save waits a quarter
of a second on average, half a second at worst, before the rebuild starts. The system's own
file events (inotify on Linux, FSEvents, ReadDirectoryChangesW) arrive at once. Where they do
not work (a folder shared from Windows into WSL, some network drives) BULLETIN_POLLING=1 keeps
MkDocs' polling; so does a system that refuses the events (inotify's watch limit reached).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

# How long MkDocs waits after a file event for more before it builds (its own: 0.1 s). The
# system reports a save's writes (truncate and write, or write and rename) within a millisecond
# or two of each other; an event that comes later still starts another build.
SETTLE_AFTER_EVENTS = 0.04
# The kinds of event polling reports. Not "opened" nor "closed without writing": every build
# reads the data files, and each read would start another build.
CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent]


class _SystemEvents(Observer):  # type: ignore[valid-type,misc]  # watchdog picks the class per system
    """The system's file events; if they cannot start, the polling observer MkDocs made,
    given every watch."""

    def __init__(self, polling: BaseObserver, warn: Callable[[str], None]) -> None:
        super().__init__()
        self.polling, self.warn = polling, warn

    def schedule(
        self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False, **options: Any
    ) -> ObservedWatch:
        return super().schedule(event_handler, path, recursive=recursive, event_filter=CHANGES)

    def start(self) -> None:
        try:
            super().start()
        except OSError as error:
            self.warn(f"Không theo dõi được tệp bằng sự kiện hệ thống ({error}): quét định kỳ nửa giây một lần.")
            for watch, handlers in list(self._handlers.items()):
                for handler in handlers:
                    self.polling.schedule(handler, watch.raw_path, recursive=watch.is_recursive)
            self.polling.start()


def watch_natively(server: Any, warn: Callable[[str], None]) -> bool:
    """``server`` (MkDocs' LiveReloadServer, not started yet) watches through the system's file
    events: the watches it has, and those MkDocs adds after on_serve (mkdocs.yml's `watch:`).
    False when BULLETIN_POLLING=1 keeps the polling. ``warn`` says when the system refuses."""
    if os.environ.get("BULLETIN_POLLING") == "1":
        return False
    polling = getattr(server, "observer", None)
    # watchdog lists no watch's handlers publicly: MkDocs' callbacks are taken from here.
    watches = getattr(polling, "_handlers", None)
    if polling is None or watches is None:
        return False  # another server than MkDocs' (or a watchdog that changed): it polls
    native = _SystemEvents(polling, warn)
    for watch, handlers in list(watches.items()):
        for handler in handlers:
            # A watched file (mkdocs.yml) by its own path: watchdog then reports only it, not
            # everything written in its folder (.cache/, a log).
            native.schedule(handler, watch.raw_path, recursive=watch.is_recursive)
    polling.unschedule_all()
    server.observer = native
    server.build_delay = SETTLE_AFTER_EVENTS
    return True
