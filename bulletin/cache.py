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

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Container, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

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
    """Written whole or not at all: a temporary file beside it, then renamed, so that worker
    processes and concurrent builds never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PageCache:
    """Entries (any picklable value) stored one file each, written atomically, so that worker
    processes and concurrent builds sharing the folder never read half a file."""

    def __init__(self, folder: Path, enabled: bool = True, memory: dict[str, Any] | None = None) -> None:
        self.folder = folder
        self.enabled = enabled
        # `mkdocs serve` passes a dict that outlives one build: a save reads nothing from disk.
        self.memory = memory

    def key(self, fingerprint: str, *parts: Any) -> str:
        sha = hashlib.sha256(fingerprint.encode())
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
            sha.update(len(data).to_bytes(8, "little") + data)
        return sha.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def load(self, key: str) -> Any | None:
        if not self.enabled:
            return None
        if self.memory is not None and key in self.memory:
            return self.memory[key]
        try:
            with open(self._path(key), "rb") as stream:
                entry = pickle.load(stream)
        except UNREADABLE:
            return None  # missing, pruned by a concurrent build, or from an older layout: a miss
        if self.memory is not None:
            self.memory[key] = entry
        return entry

    def store(self, key: str, entry: Any) -> None:
        if not self.enabled:
            return
        write_pickle(self._path(key), entry)

    def remember(self, key: str, entry: Any) -> None:
        """Under serve, an entry kept in memory for the next build (a worker process's own
        copy would be dropped: the parent remembers what its workers rendered)."""
        if self.enabled and self.memory is not None:
            self.memory[key] = entry

    def prune(self, used: set[str]) -> int:
        """Remove the oldest unused entries once the folder holds more than a few full sets."""
        if self.memory is not None:
            for key in set(self.memory) - used:
                del self.memory[key]
        if not self.enabled or not self.folder.is_dir():
            return 0
        entries = list(os.scandir(self.folder))
        if len(entries) <= KEPT_GENERATIONS * max(len(used), 1):
            return 0
        unused = [e for e in entries if e.name.removesuffix(".pickle") not in used]
        unused.sort(key=lambda e: e.stat().st_mtime)
        excess = len(entries) - (KEPT_GENERATIONS - 1) * max(len(used), 1)
        for entry in unused[:excess]:
            Path(entry.path).unlink(missing_ok=True)
        return min(excess, len(unused))
