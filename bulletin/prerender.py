"""MkDocs' page pipeline run ahead of MkDocs' own loop: on worker processes, or not at all
when the page cache holds the finished page.

For each page, the same steps and plugin events as MkDocs' ``_populate_page`` and
``_build_page`` (read the source, Markdown to HTML, ``on_page_content``, the theme template,
``on_post_page``), run with the navigation complete. The result is an ``Entry``: the final
HTML (compressed) and what the rest of the build needs from the page (title, table of
contents, metadata, anchors, links to other pages' anchors, the log lines it produced).
MkDocs' loop then only restores entries (``restore_source``, ``restore_render``), through a
one-line stub template; the pages' files are written by the workers (``write``), or by that
loop under serve.

The objects are MkDocs' own, used through their methods only: ``build.py`` remains the one
module that imports MkDocs, and hands in ``get_context``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import jinja2

from .cache import PageCache, digest, engine_versions, files_digest, tree_digest
from .parallel import map_forked

STUB_TEMPLATE = "bulletin-prerendered.html"
_LOGGER_ROOT = "mkdocs"


@dataclass
class Entry:
    output: bytes  # the page's final HTML, zlib-compressed UTF-8
    title: str | None
    toc: Any
    meta: dict
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # target src_uri -> {anchor: link as written}
    log: list[tuple[str, int, str]] = field(default_factory=list)
    lookups: list[tuple[str, tuple | None]] = field(default_factory=list)

    def html(self) -> str:
        return zlib.decompress(self.output).decode("utf-8", "surrogatepass")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def _collected_logs() -> Iterator[list[tuple[str, int, str]]]:
    collector = _Collector()
    logger = logging.getLogger(_LOGGER_ROOT)
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)


def file_answer(file: Any) -> tuple | None:
    """What a link to a path depends on: whether the file is there, its URL, whether it is
    left out of the site."""
    return None if file is None else (file.src_uri, file.url, file.inclusion.is_excluded())


@functools.lru_cache(maxsize=65536)
def _as_files_key(path: str) -> str:
    """A path as MkDocs' Files keys it (the same links recur on many pages)."""
    return PurePath(path).as_posix()


@contextlib.contextmanager
def _recorded_lookups(files: Any) -> Iterator[list[tuple[str, tuple | None]]]:
    """Every path Markdown's link resolution asks ``files`` for, with the answer."""
    lookups: list[tuple[str, tuple | None]] = []
    lookup = files.get_file_from_path

    def recording(path: str) -> Any:
        found = lookup(path)
        lookups.append((_as_files_key(path), file_answer(found)))
        return found

    files.get_file_from_path = recording  # shadows the method on this instance only
    try:
        yield lookups
    finally:
        del files.get_file_from_path


@dataclass
class Pipeline:
    """One build's pages, rendered outside MkDocs' loop with MkDocs' own steps."""

    config: Any
    files: Any
    nav: Any
    env: Any
    get_context: Callable[..., Any]

    def __post_init__(self) -> None:
        self.doc_files = self.files.documentation_pages()

    def read_nav_pages(self) -> None:
        """Every page shows the nav, so the nav's pages come first: their metadata (Material
        reads icons and status from it) and, where mkdocs.yml gives none, their title."""
        for page in self.nav.pages:
            page.read_source(self.config)
            if page.title is None or ("title" not in vars(page) and "title" not in page.meta):
                self.populate(page)

    def fingerprint(self, engine: list[str], root: Path, package: Path, serving: bool) -> str:
        """Everything besides a page's own source that its HTML depends on."""
        config = self.config
        return digest(
            {
                "engine": [*engine, engine_versions()],
                "code": tree_digest(package, {".py"}),
                "overrides": tree_digest(Path(config.theme.custom_dir)) if config.theme.custom_dir else None,
                "hooks": files_digest(root / hook for hook in config.hooks),
                "theme": [config.theme.name, dict(config.theme)],
                "plugins": list(config.plugins),
                "config": {key: config[key] for key in config if key not in _VOLATILE_CONFIG},
                "nav": _nav_state(self.nav.items),
                "serving": serving,
                # which log records exist (and so are kept for replay) depends on the level
                "log_level": logging.getLogger(_LOGGER_ROOT).getEffectiveLevel(),
            }
        )

    def populate(self, page: Any) -> None:
        """Read the source, Markdown to HTML, ``on_page_content`` (MkDocs' ``_populate_page``)."""
        config, plugins = self.config, self.config.plugins
        config._current_page = page
        try:
            page = plugins.on_pre_page(page, config=config, files=self.files)
            page.read_source(config)
            page.markdown = plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
            page.render(config, self.files)
            page.content = plugins.on_page_content(page.content, page=page, config=config, files=self.files)
        finally:
            config._current_page = None

    def build(self, page: Any) -> str:
        """The theme template and ``on_post_page`` (MkDocs' ``_build_page``, without writing)."""
        config, plugins = self.config, self.config.plugins
        config._current_page = page
        page.active = True
        try:
            context = self.get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            return plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
            config._current_page = None

    def render(self, page: Any) -> Entry:
        with _collected_logs() as log, _recorded_lookups(self.files) as lookups:
            self.populate(page)
            output = self.build(page)
        links = page.links_to_anchors
        entry = Entry(
            output=zlib.compress(output.encode("utf-8", "surrogatepass"), 1),
            title=page.title,
            toc=page.toc,
            meta=page.meta,
            anchors=page.present_anchor_ids,
            links=None if links is None else {target.src_uri: dict(found) for target, found in links.items()},
            log=log,
            lookups=lookups,
        )
        page.content = page.markdown = None  # the parent holds the entry; this copy is done with
        return entry


# Configuration keys that do not change a page's HTML (paths of this run, serve address...).
_VOLATILE_CONFIG = {"config_file_path", "site_dir", "docs_dir", "dev_addr", "strict", "watch", "hooks", "plugins", "theme"}


def _nav_state(items: list) -> list:
    return [
        [item.title, getattr(item, "url", None), getattr(item, "meta", None), _nav_state(item.children or [])] for item in items
    ]


def still_valid(entry: Entry, answers: dict[str, tuple | None]) -> bool:
    """A cached page is reused only if every file its links looked up is as it was."""
    return all(answers.get(path) == answer for path, answer in entry.lookups)


def prerender(
    pipeline: Pipeline,
    pages: list[Any],
    cache: PageCache,
    fingerprint: str,
    workers: int,
    inspect: Callable[[str, bytes], Any] | None = None,
    write: bool = False,
) -> tuple[dict[str, Entry], set[str], int, list[Any]]:
    """Every page's entry, from the cache or rendered (on workers when many); the cache keys
    in use; how many pages were rendered; ``inspect(dest_uri, bytes written)`` of each page
    rendered, worked out where it was rendered (the output check's scan, ahead). ``write``:
    every page's file written too, where it was rendered or by the workers (creating a
    thousand files costs a core seconds on a busy disk; MkDocs' loop would write them on one)."""
    keys = _page_keys(cache, fingerprint, pages)
    entries: dict[str, Entry] = {}
    answers = {file.src_uri: file_answer(file) for file in pipeline.files}
    for uri, key in keys.items():
        entry = cache.load(key)
        if isinstance(entry, Entry) and still_valid(entry, answers):
            entries[uri] = entry
    cache.close()  # the packs read: the workers need not inherit their files
    missing = [page for page in pages if page.file.src_uri not in entries]

    def render_and_inspect(page: Any) -> tuple[Entry | bytes, Any] | None:
        """The entry (pickled when it is cached: the pack takes it as it came back), and
        what ``inspect`` says of the page's HTML; None for a cached page only written."""
        cached = entries.get(page.file.src_uri)
        entry = cached if cached is not None else pipeline.render(page)
        raw = written_bytes(entry.html()) if inspect or write else b""
        if write:
            write_file(raw, page.file.abs_dest_path)
        if cached is not None:
            return None
        inspected = inspect(page.file.dest_uri, raw) if inspect else None
        return cache.pickled(entry) or entry, inspected

    only_written = [page for page in pages if page.file.src_uri in entries] if write else []
    # The first page here: the theme's templates get compiled once, before the workers fork.
    first = [render_and_inspect(page) for page in missing[:1]]
    rest = map_forked(render_and_inspect, [*only_written, *missing[1:]], workers)
    rendered = [made for made in first + rest if made is not None]
    for page, (made, _) in zip(missing, rendered, strict=True):
        key = keys[page.file.src_uri]
        if isinstance(made, bytes):
            cache.add(key, made)
            made = pickle.loads(made)
        entries[page.file.src_uri] = made
        cache.remember(key, made)
    cache.write()
    return entries, set(keys.values()), len(missing), [inspected for _, inspected in rendered] if inspect else []


# Under serve (a cache held in memory): each page's key with the very text it was worked out
# from. The page memo hands back the same string for a page whose text did not change, so a
# save hashes only the pages it changed. src_uri -> (text, fingerprint, generated_by, key)
_keys_by_text: dict[str, tuple[str, str, Any, str]] = {}


def _page_keys(cache: PageCache, fingerprint: str, pages: list[Any]) -> dict[str, str]:
    """Each page's cache key: its source text and everything else it depends on."""
    keys, held = {}, {}
    for page in pages:
        uri, generated_by, text = page.file.src_uri, page.file.generated_by, page.file.content_string
        found = _keys_by_text.get(uri)
        if found is not None and found[0] is text and found[1:3] == (fingerprint, generated_by):
            keys[uri] = found[3]
        else:
            keys[uri] = cache.key(fingerprint, uri, generated_by, text)
        held[uri] = (text, fingerprint, generated_by, keys[uri])
    _keys_by_text.clear()
    if cache.memory is not None:
        _keys_by_text.update(held)
    return keys


def written_bytes(html: str) -> bytes:
    """A page's HTML as MkDocs writes it to its file."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


def write_file(raw: bytes, path: str) -> None:
    """As MkDocs' ``utils.write_file``: the folders made as needed."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as file:
        file.write(raw)


def restore_source(page: Any, entry: Entry) -> None:
    """In place of reading the source: no Markdown to convert, and the stub template."""
    page.markdown = ""
    page.meta = {**entry.meta, "template": STUB_TEMPLATE}


def restore_render(page: Any, entry: Entry, files: Any) -> None:
    """In place of Markdown: what the page's rendering produced, and the log lines it wrote."""
    page.content = ""
    page.title = entry.title
    page.toc = entry.toc
    page.present_anchor_ids = entry.anchors
    if entry.links is not None:
        targets = {uri: files.get_file_from_path(uri) for uri in entry.links}
        page.links_to_anchors = {targets[uri]: links for uri, links in entry.links.items() if targets[uri] is not None}
    for name, level, message in entry.log:
        logging.getLogger(name).log(level, message)


def with_stub_template(env: jinja2.Environment) -> jinja2.Environment:
    """The theme's environment plus the empty template prerendered pages are built with."""
    loaders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else []
    if not any(isinstance(loader, jinja2.DictLoader) and STUB_TEMPLATE in loader.mapping for loader in loaders):
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({STUB_TEMPLATE: ""}), *([env.loader] if env.loader else [])])
    return env
