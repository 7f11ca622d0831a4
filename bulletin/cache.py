"""The page cache: finished pages stored under ``.cache/pages/``, keyed by everything that
went into them, so that a build renders again only the pages whose inputs changed.

A key is a SHA-256 over a page's own inputs (its source, its path) and the build's
fingerprint (engine and theme versions, the theme overrides, our code, the configuration,
the navigation). What a page looked up while it was rendered (the files its links point to)
is stored with it and checked on every hit, like a build system's recorded dependencies:
adding or removing a record changes only the pages that link to it.

Nothing here imports MkDocs; ``build.py`` gathers the inputs and ``prerender.py`` makes the
entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
import time
import uuid
from collections.abc import Callable, Container, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

# Distributions whose version changes the HTML of every page (the theme's templates, the
# Markdown engine and its extensions, the sanitiser).
ENGINE_DISTRIBUTIONS = (
    "mkdocs",
    "properdocs",
    "mkdocs-material",
    "Markdown",
    "pymdown-extensions",
    "Jinja2",
    "MarkupSafe",
    "nh3",
    "Pygments",
)
# A full set of entries for every page is kept per configuration (build, serve, another
# engine); beyond this many sets' worth, the entries no build used lately are removed.
KEPT_GENERATIONS = 3
MAX_PACKS = 16  # each build writes a pack (each save under serve too): past this many, merged


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def engine_versions() -> dict[str, str | None]:
    return {name: installed_version(name) for name in ENGINE_DISTRIBUTIONS}


def stable(value: Any) -> Any:
    """A JSON-ready form of configuration values that is the same from one run to the next
    (functions by their qualified name, sets sorted, objects by type and text)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(key): stable(item) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [stable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(stable(item)) for item in value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return f"{type(value).__module__}.{type(value).__qualname__}:{value}"


def digest(*parts: Any) -> str:
    text = json.dumps([stable(part) for part in parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def tree_digest(folder: Path, suffixes: Container[str] | None = None) -> str:
    """The paths and bytes of every file under ``folder`` (with one of ``suffixes``, if given)."""
    sha = hashlib.sha256()
    if folder.is_dir():
        found = (p for p in folder.rglob("*") if suffixes is None or p.suffix in suffixes)
        for path in sorted(p for p in found if p.is_file() and "__pycache__" not in p.parts):
            sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


_file_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read again only when its size or modification time
    changed: under `mkdocs serve` a save does not re-read every photo of the site."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _file_digests:
        _file_digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _file_digests[key]


def files_digest(paths: Iterable[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(str(path).encode() + b"\0")
        sha.update(path.read_bytes() if path.is_file() else b"-")
    return sha.hexdigest()


# A pickle that cannot be read back: missing, half-written by a killed build, or from older code.
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError)


def write_pickle(path: Path, value: Any) -> None:
    """A pickle written whole or not at all (``_write_atomically``), streamed: a memo of
    hundreds of megabytes is not first made into one bytes object."""
    _write_atomically(path, lambda stream: pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL))


class PageCache:
    """Entries (any picklable value) stored in packs: one file per build holding the entries
    it rendered, pickled, behind an index of where each one is. Creating a file costs up to a
    millisecond on a busy disk, so a thousand pages are not a thousand files. A pack is written
    whole under a temporary name and then renamed, so that concurrent builds sharing the
    folder never read half of one; one that cannot be read is a miss."""

    def __init__(self, folder: Path, enabled: bool = True, memory: dict[str, Any] | None = None) -> None:
        self.folder = folder
        self.enabled = enabled
        # `mkdocs serve` passes a dict that outlives one build: a save reads nothing from disk.
        self.memory = memory
        self._where: dict[str, tuple[str, int, int]] | None = None  # key -> (pack, offset, length)
        self._open: dict[str, int] = {}  # pack name -> file descriptor
        self._new: dict[str, bytes] = {}  # this build's entries, pickled, until written

    def key(self, fingerprint: str, *parts: Any) -> str:
        sha = hashlib.sha256(fingerprint.encode())
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
            sha.update(len(data).to_bytes(8, "little") + data)
        return sha.hexdigest()

    def load(self, key: str) -> Any | None:
        if not self.enabled:
            return None
        if self.memory is not None and key in self.memory:
            return self.memory[key]
        try:
            entry = pickle.loads(self._read(key))
        except (KeyError, TypeError, *UNREADABLE):
            return None  # missing, pruned by a concurrent build, or from an older layout: a miss
        if self.memory is not None:
            self.memory[key] = entry
        return entry

    def pickled(self, entry: Any) -> bytes | None:
        """What ``add`` takes: the entry as it is stored (None without a cache). A worker
        process pickles it once, for the pack and for its way back to the parent."""
        return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL) if self.enabled else None

    def add(self, key: str, pickled: bytes) -> None:
        """An entry rendered by this build, stored by ``write``."""
        if self.enabled:
            self._new[key] = pickled

    def write(self) -> None:
        """This build's new entries, as one pack."""
        if self._new:
            _write_pack(self.folder, self._new)
            self._new = {}
            self._where = None  # the new pack is part of the index now

    def remember(self, key: str, entry: Any) -> None:
        """Under serve, an entry kept in memory for the next build (a worker process's own
        copy would be dropped: the parent remembers what its workers rendered)."""
        if self.enabled and self.memory is not None:
            self.memory[key] = entry

    def prune(self, used: set[str]) -> int:
        """Once the packs hold more than a few full sets of entries, the entries in use are
        gathered into one pack and the oldest packs removed; how many entries went."""
        if self.memory is not None:
            for key in set(self.memory) - used:
                del self.memory[key]
        if not self.enabled or not self.folder.is_dir():
            return 0
        self._remove_old_layout()
        packs = self._packs()
        self._where = _places(packs)
        stored = sum(len(index) for _, index in packs)
        if stored <= KEPT_GENERATIONS * max(len(used), 1) and len(packs) <= MAX_PACKS:
            self.close()
            return 0
        kept = {}
        for key in used:
            with contextlib.suppress(KeyError, TypeError, *UNREADABLE):
                kept[key] = self._read(key)
            if key not in kept and self.memory is not None and key in self.memory:  # its pack gone meanwhile
                kept[key] = pickle.dumps(self.memory[key], protocol=pickle.HIGHEST_PROTOCOL)
        self.close()
        newest = _write_pack(self.folder, kept) if kept else ""
        removed, left = 0, len(packs)
        for name, index in packs:  # the oldest first; every entry in use is in the newest now
            if stored - removed <= (KEPT_GENERATIONS - 1) * max(len(used), 1) and left <= MAX_PACKS // 2:
                break
            if name != newest:
                (self.folder / name).unlink(missing_ok=True)
                removed, left = removed + len(index), left - 1
        return removed

    def close(self) -> None:
        for descriptor in self._open.values():
            os.close(descriptor)
        self._open = {}

    def _read(self, key: str) -> bytes:
        name, offset, length = self._index()[key]
        if name not in self._open:
            self._open[name] = os.open(self.folder / name, os.O_RDONLY)
        data = os.pread(self._open[name], length, offset)
        if len(data) != length:
            raise EOFError(f"{name}: entry cut short")
        return data

    def _index(self) -> dict[str, tuple[str, int, int]]:
        if self._where is None:
            self._where = _places(self._packs())
        return self._where

    def _packs(self) -> list[tuple[str, dict[str, tuple[int, int]]]]:
        """Every readable pack's name and index, the oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for entry in os.scandir(self.folder):
            if entry.name.startswith(PACK_PREFIX) and entry.name.endswith(PACK_SUFFIX):
                with contextlib.suppress(TypeError, *UNREADABLE):
                    found.append((entry.stat().st_mtime_ns, entry.name, _pack_index(Path(entry.path))))
        return [(name, index) for _, name, index in sorted(found)]

    def _remove_old_layout(self) -> None:
        """Entries stored one file each by earlier versions (never read now), and packs a
        stopped build left half-written (an hour old: not another build's, being written)."""
        an_hour_ago = time.time() - 3600
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".pickle") or (entry.name.startswith(".tmp-") and entry.stat().st_mtime < an_hour_ago):
                Path(entry.path).unlink(missing_ok=True)


def _places(packs: list[tuple[str, dict[str, tuple[int, int]]]]) -> dict[str, tuple[str, int, int]]:
    """Key -> (pack, offset, length) over every pack."""
    return {key: (name, *place) for name, index in packs for key, place in index.items()}


PACK_PREFIX, PACK_SUFFIX = "pack-", ".bin"
_HEADER = 8  # the index's length, before the index itself


def _write_pack(folder: Path, entries: dict[str, bytes]) -> str:
    """A pack of pickled entries: the index's length, the index (key -> where the entry
    starts after the index, its length), then the entries one after the other. Its name."""
    places, position = {}, 0
    for key, data in entries.items():
        places[key] = (position, len(data))
        position += len(data)
    index = pickle.dumps(places, protocol=pickle.HIGHEST_PROTOCOL)
    name = f"{PACK_PREFIX}{uuid.uuid4().hex}{PACK_SUFFIX}"
    _write_atomically(
        folder / name, lambda stream: stream.writelines([len(index).to_bytes(_HEADER, "little"), index, *entries.values()])
    )
    return name


def _pack_index(path: Path) -> dict[str, tuple[int, int]]:
    """A pack's index: key -> (offset in the file, length)."""
    with open(path, "rb") as stream:
        length = int.from_bytes(stream.read(_HEADER), "little")
        places = pickle.loads(stream.read(length))
    if not isinstance(places, dict):
        raise ValueError(f"{path.name}: no index")
    start = _HEADER + length
    return {key: (start + offset, size) for key, (offset, size) in places.items()}


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Written whole or not at all: a temporary file beside it, then renamed, so that worker
    processes and concurrent builds never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
