"""Listing a project folder (data/, content/, overrides/) without ever following a symlink.

A symlink in those folders would publish whatever it points at: ``/etc/passwd``, a record
outside the project, a photo with its EXIF, or in a CI preview ``/proc/self/environ`` with
the runner's secrets. So the listing never reads through one: it reports each link (file or
folder) so that the callers refuse it with a located message, and it does not descend into
linked folders. Only regular files are listed (a FIFO or a device would hang a reader).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LocatedError


@dataclass
class Listing:
    files: list[Path] = field(default_factory=list)  # regular files, sorted
    links: list[Path] = field(default_factory=list)  # symlinks (to files or folders), sorted


def list_folder(folder: Path) -> Listing:
    """Every regular file and every symlink under ``folder``, the folder itself included."""
    listing = Listing()
    if folder.is_symlink():
        listing.links.append(folder)
        return listing
    if not folder.is_dir():
        return listing
    todo = [folder]
    while todo:  # os.scandir's entries know their type: no stat per file (1,500 records)
        base = todo.pop()
        with os.scandir(base) as entries:
            for entry in entries:
                if entry.is_symlink():
                    listing.links.append(base / entry.name)  # never descended into, never read
                elif entry.is_dir(follow_symlinks=False):
                    todo.append(base / entry.name)
                elif entry.is_file(follow_symlinks=False):
                    listing.files.append(base / entry.name)
    listing.files.sort()
    listing.links.sort()
    return listing


def link_error(link: Path, root: Path) -> LocatedError:
    """The located refusal of a symlink, naming where it points."""
    shown = link.relative_to(root).as_posix() if link.is_relative_to(root) else str(link)
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    message = (
        f"đây là liên kết tượng trưng (symlink) tới «{target}»: không được dùng trong data/, content/ "
        "và overrides/, vì nó có thể đăng một tệp nằm ngoài dự án; hãy chép tệp thật vào chỗ này"
    )
    return LocatedError(shown, 1, "", message)


def inside_a_link(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is a symlink or lies inside a linked folder."""
    path = Path(os.path.abspath(path))
    root = Path(os.path.abspath(root))
    while path != root and path.is_relative_to(root):
        if path.is_symlink():
            return True
        path = path.parent
    return False
