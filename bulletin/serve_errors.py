"""Under `mkdocs serve` (`make serve`, `make edit`), bad data becomes a page, not a stuck server.

MkDocs' server answers no request at all after a failed build ("The server will appear stuck
until build errors are resolved"): one bad save in the web form would lock the editor out of the
form itself. So while serving, a failing check does not fail the build: the build makes an error
site instead, where every address shows the located errors (as Hugo's server shows its error
overlay), /admin/ still works, and the page reloads itself once the next save builds. Outside
`serve` nothing changes: the build fails loudly, as CI needs.
"""

from __future__ import annotations

import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .cms import admin_files
from .errors import LocatedError
from .render import render

PACKAGE = Path(__file__).resolve().parent


@dataclass
class Problems:
    """What stopped this build: editors' data errors, and failures of our own code."""

    data: list[LocatedError] = field(default_factory=list)
    program: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.data or self.program)

    def add_exception(self, error: BaseException) -> None:
        self.program.append(describe_exception(error))


def describe_exception(error: BaseException) -> str:
    """`KeyError: 'x' (bulletin/render.py:120)`: where in our code it broke, for whoever fixes
    it; the full traceback goes to the terminal, never to the editor's page."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).is_relative_to(PACKAGE)]
    where = f" ({Path(frames[-1].filename).relative_to(PACKAGE.parent)}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def error_page(problems: Problems, base_path: str) -> str:
    """The page every address shows while the data has errors. ``base_path`` is where the site
    is mounted ("/" or "/repo/"), for the links to the form and the home page from any address."""
    return render("serve_errors.html.j2", data=problems.data, program=problems.program, base=base_path)


def error_site(problems: Problems, base_path: str, root: Path) -> list[tuple[str, str | bytes]]:
    """The files of the error site: the error page as the home page and as the page the server
    sends for any other address (404.html), and the editors' form, which needs no data."""
    html = error_page(problems, base_path)
    return [("index.html", html), ("404.html", html), *admin_files(root)]


def replace_with_error_site(site_dir: Path, error: BaseException, base_path: str, root: Path) -> None:
    """After a build that failed halfway outside our hooks: the served folder holds the error
    site only, never a mix of old and new pages."""
    problems = Problems()
    problems.add_exception(error)
    for child in site_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for uri, content in error_site(problems, base_path, root):
        path = site_dir / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
