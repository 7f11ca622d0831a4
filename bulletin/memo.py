"""Results of the data layer kept between builds, keyed by their inputs' content: a record
file's parse by its bytes, a page's Markdown by what it read, an output file's checks by its
bytes. A build that finds the same inputs reuses the result instead of computing it again.
Under serve, what is computed from one object alone is also kept by that object (``ByObject``).

A ``Memo`` lives in memory for as long as its owner keeps it (``mkdocs serve`` keeps the
hook module, so a save reads nothing from disk) and is kept on disk as one pickle file under
``.cache/``, so that the next ``mkdocs build`` or CI run starts from it. Every entry belongs
to a *version*: a digest of the code that made it (``code_version``). Another version
empties the memo: an entry never outlives the code that computed it.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Generic, TypeVar

from .cache import UNREADABLE, tree_digest, write_pickle

_PACKAGE = Path(__file__).parent
T = TypeVar("T")
Thing = TypeVar("Thing")
_FORMAT = 1  # the layout of the file itself


def code_version(package: Path = _PACKAGE) -> str:
    """The paths and bytes of the package's Python files and templates: what every memoised
    result may depend on. Read on each build, so that a template edited under `mkdocs serve`
    (Jinja reloads it) is a new version too."""
    return tree_digest(package, {".py", ".j2"})


def content_key(data: bytes) -> bytes:
    """A short digest of bytes, for keys (collisions are as unlikely as SHA-256's)."""
    return hashlib.sha256(data).digest()


def remembered(memo: Memo | None, key: Hashable, compute: Callable[..., T], *arguments: Any) -> T:
    """``compute(*arguments)``, or what it gave before for the same ``key`` (without a memo:
    computed, and not kept)."""
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = compute(*arguments)
        if memo is not None:
            memo.put(key, found)
    return found


class ByObject(Generic[Thing, T]):
    """``compute(thing)`` kept by the very object it was computed from, for things never
    changed once made: the loader hands out the same record object while its file is
    unchanged (loader.py), the page cache the same bytes for an unchanged page. Under serve a
    save computes again only for the objects it made anew. Kept from one round (a load, a
    build) to the next: ``next_round`` forgets what the round before last used."""

    def __init__(self, compute: Callable[[Thing], T]) -> None:
        self.compute = compute
        self.now: dict[int, tuple[Thing, T]] = {}
        self.before: dict[int, tuple[Thing, T]] = {}

    def __call__(self, thing: Thing) -> T:
        found = self.now.get(id(thing)) or self.before.get(id(thing))
        if found is None or found[0] is not thing:  # an id is reused once its object is gone
            found = (thing, self.compute(thing))
        self.now[id(thing)] = found
        return found[1]

    def next_round(self) -> None:
        self.before, self.now = self.now, {}


class Memo:
    """Entries (picklable keys and values) of one kind, one version at a time.

    ``begin`` starts a build: entries of another version are dropped. ``get`` and ``put``
    mark the entries this build used; ``end`` drops the others (they belong to inputs that
    no longer exist) and writes the file when there is one."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.version: str | None = None
        self.entries: dict[Hashable, Any] = {}
        self.used: dict[Hashable, Any] = {}  # the entries this build used: what ``end`` keeps
        self.hits = self.misses = 0
        self._read = False

    def begin(self, version: str) -> Memo:
        if not self._read:
            self._read = True
            self._load()
        if version != self.version:
            self.version, self.entries = version, {}
        self.used, self.hits, self.misses = {}, 0, 0
        return self

    def get(self, key: Hashable) -> Any | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = found
        return found

    def keep(self, key: Hashable) -> None:
        """An entry this build did not need, but a later one will (it stays past ``end``)."""
        found = self.entries.get(key)
        if found is not None:
            self.used[key] = found

    def forget(self, key: Hashable) -> None:
        """An entry no longer valid, whether or not this build used it."""
        self.entries.pop(key, None)
        self.used.pop(key, None)

    def put(self, key: Hashable, value: Any) -> None:
        self.entries[key] = value
        self.used[key] = value

    def end(self, write: bool = True, prune: bool = True) -> None:
        """Keep only what this build used (unless ``prune`` is false: a build that made
        only part of the site); write the file (atomically) when asked."""
        if prune:  # kept aside as they were used: no key is looked up again
            self.entries = self.used
        if write and self.path is not None:
            self._write()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as stream:
                layout, version, entries = pickle.load(stream)
        except (*UNREADABLE, TypeError):  # TypeError: not the three parts of our layout
            return  # start empty
        if layout == _FORMAT and isinstance(entries, dict):
            self.version, self.entries = version, entries

    def _write(self) -> None:
        assert self.path is not None
        write_pickle(self.path, (_FORMAT, self.version, self.entries))


class Memos:
    """The data layer's memos of one project, under ``.cache/``: record files, pages'
    Markdown, search documents, output checks."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.records = Memo(folder / "records.pickle")
        self.pages = Memo(folder / "markdown.pickle")
        self.search = Memo(folder / "search.pickle")
        self.checks = Memo(folder / "checks.pickle")

    def all(self) -> tuple[Memo, ...]:
        return (self.records, self.pages, self.search, self.checks)

    def begin(self, version: str) -> Memos:
        for memo in self.all():
            memo.begin(version)
        return self

    def end(self, write: bool, prune: bool = True) -> None:
        for memo in self.all():
            memo.end(write, prune)
