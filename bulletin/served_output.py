"""Under `mkdocs serve`: the output folder kept from one build to the next, a file whose bytes
would not change left as it was instead of deleted and written again.

MkDocs empties the output folder at the start of every build (all but hidden entries), then
writes every page and copies every file. Here the previous build's files are set aside in a
hidden folder while MkDocs empties it, and brought back before it writes; each file that
would be written as it already is (a page with the same HTML, a generated file with the same
bytes, a theme or content file not modified since) is then left out of MkDocs' writing. What
the build no longer makes is removed at the end. The output checks read only the files
written again: the others are the bytes they checked before (``digests``).

Only the server's own temporary folder is treated so; ``build.py`` uses this only while
serving, and forgets everything after any failure. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from .memo import ByObject

SET_ASIDE = ".bulletin-previous-build"  # hidden: MkDocs' cleaning leaves it alone


def content_token(content: bytes) -> tuple:
    return ("content", hashlib.sha256(content).hexdigest())


def source_token(path: str) -> tuple:
    stat = os.stat(path)
    return ("source", path, stat.st_mtime_ns, stat.st_size)


class ServedOutput:
    """What the served folder holds: for each file (by its path in the folder), what made it
    (``token``) and the SHA-256 of its bytes."""

    def __init__(self) -> None:
        self.tokens: dict[str, tuple] = {}
        self.digests: dict[str, str] = {}
        self.next_tokens: dict[str, tuple] = {}
        self.kept: set[str] = set()
        self.started = 0.0
        # A page's token by its bytes object (memo.ByObject): the page cache's memory hands the
        # same bytes for an unchanged page, so a save hashes only what changed.
        self.content_token = ByObject(content_token)

    def forget(self) -> None:
        """After a failure: the folder's content is unknown, the next build writes everything."""
        self.tokens, self.digests, self.next_tokens, self.kept = {}, {}, {}, set()

    def set_aside(self, site_dir: Path) -> None:
        """The previous build's files moved into a hidden folder, out of MkDocs' cleaning."""
        self.started, self.next_tokens, self.kept = time.time(), {}, set()
        self.content_token.next_round()
        if not self.tokens or not site_dir.is_dir():
            return
        aside = site_dir / SET_ASIDE
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir()
        for entry in os.listdir(site_dir):
            if not entry.startswith("."):
                os.rename(site_dir / entry, aside / entry)

    def bring_back(self, site_dir: Path) -> None:
        aside = site_dir / SET_ASIDE
        if aside.is_dir():
            for entry in os.listdir(aside):
                os.rename(aside / entry, site_dir / entry)
            aside.rmdir()

    def discard(self, site_dir: Path) -> None:
        shutil.rmtree(site_dir / SET_ASIDE, ignore_errors=True)
        self.forget()

    def unchanged(self, path: str, token: tuple) -> bool:
        """Whether the file at ``path`` is already what ``token`` would write (then it is kept)."""
        self.next_tokens[path] = token
        same = self.tokens.get(path) == token  # what has a token has a digest (settle)
        if same:
            self.kept.add(path)
        return same

    def remove_stale(self, site_dir: Path, expected: Iterable[str]) -> list[str]:
        """Files of an earlier build that this one does not make (a record removed): gone,
        and a folder they leave empty. A file written by this build is never removed, whatever
        its name, nor anything hidden. Returns every file the folder holds then (the checks
        need not list it again)."""
        made = set(expected)
        root = str(site_dir)
        held: list[str] = []
        folders: list[tuple[str, list[str], bool]] = []  # (folder, its subfolders, whether it is kept anyway)
        for folder, subfolders, names in os.walk(root):
            relative = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if relative == "." else relative + "/"
            hidden = any(part.startswith(".") for part in prefix.split("/"))
            left = 0
            for name in names:
                path = os.path.join(folder, name)
                if hidden or prefix + name in made or name.startswith(".") or os.stat(path).st_mtime >= self.started:
                    held.append(prefix + name)
                    left += 1
                else:
                    os.unlink(path)
            folders.append((folder, [os.path.join(folder, name) for name in subfolders], hidden or left > 0))
        removed: set[str] = set()
        for folder, subfolders, kept in reversed(folders[1:]):  # the deepest first
            if not kept and removed.issuperset(subfolders):
                os.rmdir(folder)
                removed.add(folder)
        return held

    def settle(self, site_dir: Path) -> dict[str, str]:
        """This build's files as the served folder now holds them: the digests of the files
        kept, and of those written again (read now); for the checks and the next build."""
        digests = {path: self.digests[path] for path in self.kept}
        for path in self.next_tokens.keys() - self.kept:
            try:
                digests[path] = hashlib.sha256((site_dir / path).read_bytes()).hexdigest()
            except OSError:
                continue  # not written after all (a page MkDocs skipped): never counted as kept
        self.tokens = {path: token for path, token in self.next_tokens.items() if path in digests}
        self.digests = digests
        return dict(digests)
