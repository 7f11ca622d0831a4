"""The MkDocs side of the build: the only module that imports MkDocs.

``build_hooks.py`` forwards each MkDocs event to a function here. Per-build state is reset in
``on_config`` because ``mkdocs serve`` keeps the hook module alive between rebuilds.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
import mkdocs
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import cache as page_cache
from . import page_memo
from .checks import check_output, forbidden_verdicts, page_checker, read_allow_list
from .cms import admin_files
from .content import DocumentRefused, clean_pdf, verdict
from .csp import add_csp
from .export import export_files
from .folders import inside_a_link
from .images import PhotoError, photo_variants
from .memo import Memos, code_version
from .model import Site, load_site
from .parallel import MIN_ITEMS_FOR_POOL, Background, Beside, run_beside, worker_count
from .prerender import Entry, Pipeline, prerender, restore_render, restore_source, with_stub_template
from .ready_html import Heading, is_ready_html, render_ready_html
from .reference import render_reference
from .render import CompiledTemplates, GeneratedPage, keep_compiled_templates, render, render_pages
from .sanitize import sanitize_html
from .search import index_files
from .serve_errors import Problems, error_page, error_site, replace_with_error_site
from .served_output import ServedOutput, content_token, source_token
from .share_image import ShareImage, draw, draw_on_workers, share_images
from .theme_html import conform
from .vietnamese import heading_id
from .watcher import watch_natively

log = get_plugin_logger("bulletin")
GENERATOR = "bulletin"


class _State:
    site: Site | None = None
    serving: bool = False  # `mkdocs serve` injects an inline live-reload script
    dirty: bool = False  # `--dirty` writes over the previous output: nothing to stage
    published: Path | None = None  # the site_dir asked for, while MkDocs writes into staging
    config: MkDocsConfig | None = None  # for on_build_error, which MkDocs calls without it
    warnings: _WarningCount | None = None
    problems: Problems = Problems()  # under serve: what this build shows instead of the site (serve_errors.py)
    error_html: str = ""
    cache: page_cache.PageCache | None = None
    env = None  # the theme's Jinja environment prerender.py used
    memos: Memos | None = None  # the data layer's results by content (memo.py); under serve they live between builds
    drawing: _Drawing | None = None  # share images drawn on a background process meanwhile
    scanning: Beside | None = None  # under serve: the exports scanned beside MkDocs' own work

    def __init__(self) -> None:
        self.served = ServedOutput()  # under serve: what the output folder holds between builds
        self.keeping = False  # this build leaves unchanged files of the served folder as they are
        self.files: Files | None = None
        self.entries: dict[str, Entry] = {}  # prerendered pages by src_uri (prerender.py)
        self.cache_keys: set[str] = set()
        self.cache_memory: dict[str, Entry] = {}  # under `mkdocs serve`, the entries between builds


class _WarningCount(logging.Handler):
    """MkDocs' --strict counts warnings after on_post_build: counted here too, so that a
    strict build with warnings does not swap its output in first."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_state = _State()


# The town's day, whatever the machine's zone: a CI runner on UTC is still on the day before
# until 07:00 in Vietnam, and a record scheduled for today would appear a day late.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def build_date() -> date:
    """The day the site is built for: today in Vietnam; BULLETIN_TODAY (YYYY-MM-DD) fixes it."""
    fixed = os.environ.get("BULLETIN_TODAY")
    return date.fromisoformat(fixed) if fixed else datetime.now(VIETNAM).date()


def preview_build() -> bool:
    """BULLETIN_PREVIEW=1 builds a preview: drafts and scheduled records shown with a banner."""
    return os.environ.get("BULLETIN_PREVIEW") == "1"


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def cache_enabled() -> bool:
    """BULLETIN_CACHE=0 builds everything from scratch: no page cache, no memos."""
    return os.environ.get("BULLETIN_CACHE") != "0"


def _memos(root: Path, version: str) -> Memos | None:
    """This build's memos: under serve the previous build's, kept in memory; otherwise read
    from .cache/ as they are needed. BULLETIN_MEMO=0 builds without them (the page cache
    stays): what a build cost before them, for the benchmark."""
    if os.environ.get("BULLETIN_MEMO") == "0":
        return None
    folder = root / ".cache" / "memo"
    kept = _state.memos if _state.serving and _state.memos is not None and _state.memos.folder == folder else None
    return (kept or Memos(folder)).begin(version)


def _collect_after_serving() -> None:
    """Under serve, half a second after a build (the browser has had its page): the garbage of
    the builds collected, with what on_config froze, outside the time an editor waits."""
    timer = threading.Timer(0.5, _collect_all)
    timer.daemon = True
    timer.start()


def _collect_all() -> None:
    gc.unfreeze()
    gc.collect()


def _end_memos(complete: bool) -> None:
    """Entries this build did not use are dropped, unless it stopped early or made an error
    site (serve, bad data), using none of the pages: the fix then renders only what changed.
    Outside serve, the memos go to .cache/."""
    if _state.memos is not None:
        _state.memos.end(write=not _state.serving, prune=complete and not _state.problems)
    if _state.serving:
        _collect_after_serving()
    else:
        gc.unfreeze()


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve"
    _state.dirty = dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.site = None
    _state.problems, _state.error_html = Problems(), ""
    _state.entries, _state.cache, _state.cache_keys, _state.env = {}, None, set(), None
    if cache_enabled():
        version = code_version()  # of what the memos and our compiled templates depend on
        _state.memos = _memos(project_root(config), version)
        keep_compiled_templates(_compiled_templates(config), version)
    else:
        _state.memos = None
    # What outlives this build's pages (the imports, the memos: read from .cache/, or under
    # serve the builds' before) is not scanned again by each of its garbage collections.
    gc.freeze()
    _state.keeping, _state.files = False, None
    _end_side_work()  # a build stopped before its end (serve) may have left one
    config.mdx_configs.setdefault("toc", {})["slugify"] = heading_id
    config.theme.get_env = _listing_visible_files(config.theme.get_env)  # type: ignore[method-assign]
    _stage(config)
    return config


# --- Staging: MkDocs writes pages as it goes; the output checks run on what it wrote. -------
def _staging_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.staging")


def _stage(config: MkDocsConfig) -> None:
    """Point MkDocs at a sibling folder; on_post_build swaps it in only if every check
    passed, so a refused build leaves the previous site as it was, never a poisoned one.
    Not while serving (a temporary folder) nor for --dirty (which writes over the old output)."""
    _state.published, _state.config = None, config
    if _state.serving or _state.dirty:
        return
    published = Path(config.site_dir)
    staging = _staging_dir(published)
    shutil.rmtree(staging, ignore_errors=True)
    _state.published = published
    config.site_dir = str(staging)
    _state.warnings = _WarningCount() if config.strict else None
    if _state.warnings:
        logging.getLogger("mkdocs").addHandler(_state.warnings)


def _unstage(config: MkDocsConfig, publish: bool) -> None:
    """Swap the staged output in (publish) or throw it away; MkDocs' config points at the
    published folder again (gh-deploy pushes config.site_dir after the build)."""
    published, staging = _state.published, Path(config.site_dir)
    if published is None:
        return
    _state.published = None
    config.site_dir = str(published)
    if _state.warnings:
        logging.getLogger("mkdocs").removeHandler(_state.warnings)
    if not publish:
        shutil.rmtree(staging, ignore_errors=True)
        return
    staging.mkdir(parents=True, exist_ok=True)
    previous = published.with_name(f".{published.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if published.exists():
        published.rename(previous)
    staging.rename(published)
    shutil.rmtree(previous, ignore_errors=True)


def on_post_build(config: MkDocsConfig) -> None:
    """The output checks (checks.py) on everything MkDocs wrote: forbidden personal data,
    links, photos, documents. Every build path runs them: mkdocs build, gh-deploy, serve,
    ProperDocs, python -m bulletin build. The page cache first drops the entries no page used."""
    _forget_prerendered()
    memo = _state.memos.checks if _state.memos else None
    known, listed = _settle_served(config) if _state.keeping else (None, None)
    try:
        if _state.scanning is not None:
            _keep_scanned(_state.scanning)
        site_dir = Path(config.site_dir)
        problems = check_output(site_dir, project_root(config), _mount_path(config), memo, known, _state.drawing, listed)
    finally:
        _end_side_work()
    _end_memos(complete=True)
    for problem in problems:
        log.error(problem)
    if problems and _state.serving:
        log.error(f"Trang xem thử có {len(problems)} lỗi (xem trên): bản này sẽ không được đăng.")
        return
    strict_warnings = _state.warnings.count if _state.warnings else 0
    if problems or strict_warnings:
        _discard_output(config)
        if problems:
            raise PluginError(f"Trang tạo ra có {len(problems)} lỗi (xem trên); chưa đăng, trang cũ (nếu có) được giữ nguyên.")
        raise PluginError(f"Có {strict_warnings} cảnh báo ở chế độ --strict; chưa đăng, trang cũ (nếu có) được giữ nguyên.")
    _unstage(config, publish=True)


def _settle_served(config: MkDocsConfig) -> tuple[dict[str, str], list[str]]:
    """Under serve: what this build no longer makes removed from the folder; the digests of
    what it holds, for the checks (the files left as they were need not be read again), and
    the names of all its files."""
    site_dir = Path(config.site_dir)
    listed = _state.served.remove_stale(site_dir, _made(_state.files or [], config))
    return _state.served.settle(site_dir), listed


def _made(files: Iterable[File], config: MkDocsConfig) -> set[str]:
    """What this build writes, by path under the site folder."""
    written = (lambda file: file.inclusion.is_in_serve()) if _state.serving else (lambda file: file.inclusion.is_included())
    made = {file.dest_uri for file in files if written(file)}
    return made | set(config.theme.static_templates) | set(config.extra_templates) | {"sitemap.xml.gz"}


def _forget_prerendered() -> None:
    # An error site (serve, bad data) used none of the site's pages: pruning after it would
    # make the next good save render every page again.
    if _state.cache is not None:
        if not _state.problems:
            _state.cache.prune(_state.cache_keys)
        _state.cache.close()
    _state.entries, _state.cache, _state.env = {}, None, None


def _discard_output(config: MkDocsConfig) -> None:
    """A refused build leaves nothing: the staging folder goes; an unstaged (--dirty) output
    is emptied rather than left poisoned."""
    if _state.published is not None:
        _unstage(config, publish=False)
    else:
        shutil.rmtree(config.site_dir, ignore_errors=True)


def on_build_error(error: Exception) -> None:
    """A build stopped by any error leaves no staging folder behind."""
    config = _state.config
    _end_side_work()
    if _state.cache is not None:
        _state.cache.close()
    _end_memos(complete=False)
    if config is not None and _state.serving:
        _stop_keeping(config)
        _state.served.forget()
    if config is not None and _state.published is not None:
        _unstage(config, publish=False)


def on_pre_build(config: MkDocsConfig) -> None:
    """Load and check every record before MkDocs cleans the output folder, so that bad data
    fails the build with all its errors and leaves the previous site in place."""
    _state.keeping = _state.serving and not _state.dirty and _state.memos is not None
    if _state.keeping:  # MkDocs empties the folder next: the previous files wait aside
        _state.served.set_aside(Path(config.site_dir))
    try:
        memo = _state.memos.records if _state.memos else None
        site, errors = load_site(project_root(config), build_date(), preview_build(), memo)
    except Exception as failure:
        _shown_while_serving(failure)
        return
    if errors:
        for error in errors:
            log.error(str(error))
        if _state.serving:  # the site shows them instead, and the server keeps answering
            _state.problems.data = errors
            log.error(f"Dữ liệu có {len(errors)} lỗi: trang web hiện danh sách lỗi; sửa rồi lưu, trang tự tải lại.")
            return
        raise PluginError(f"Dữ liệu có {len(errors)} lỗi; sửa các dòng trên rồi chạy lại. Trang chưa được tạo.")
    assert site is not None  # load_site gives a site whenever it reports no error
    for reason in site.withheld:
        log.info(reason)
    _state.site = site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not _state.problems:
        try:
            files = _site_files(files, config)
            if _state.keeping:
                _state.served.bring_back(Path(config.site_dir))
            return files
        except Exception as error:
            _shown_while_serving(error)
    _end_side_work()
    _stop_keeping(config)  # the error site replaces everything
    return _error_site(files, config)


def _stop_keeping(config: MkDocsConfig) -> None:
    if _state.keeping:
        _state.keeping = False
        _state.served.discard(Path(config.site_dir))


def _shown_while_serving(error: Exception) -> None:
    """Under serve, a failure of our own code is logged with its traceback and shown on the
    error site; elsewhere it fails the build as it is."""
    if not _state.serving:
        raise error
    log.exception(f"Lỗi trong chương trình khi tạo trang: {error}")
    _state.problems.add_exception(error)


def _error_site(files: Files, config: MkDocsConfig) -> Files:
    """While serving with problems: the theme's files, /admin/ (independent of the data), and the
    error page at the home address; the server sends the same page (404.html) for any other."""
    content_dir = Path(config.docs_dir).resolve()
    kept = [f for f in files if f.src_dir and not Path(f.src_dir).resolve().is_relative_to(content_dir)]
    generated = error_site(_state.problems, _mount_path(config), project_root(config))
    _state.error_html = str(dict(generated)["404.html"])  # the theme writes its 404.html after: on_post_template
    config.nav = None  # the configured nav names pages this build does not make
    return Files(kept + [File.generated(config, uri, content=content) for uri, content in generated])


def _mount_path(config: MkDocsConfig) -> str:
    return urlsplit(config.site_url or "/").path or "/"


def _site_files(files: Files, config: MkDocsConfig) -> Files:
    _guard_content(files, config)
    site = _state.site
    assert site is not None  # on_pre_build loaded it, or the build stopped there
    images = share_images(site, Path(config.docs_dir), _share_cache(config), config.site_name)
    _start_drawing(images, Path(config.site_dir))
    exports: list[tuple[str, bytes]]
    if _state.keeping:
        # Under serve a save's exports are small work (only the saved record's rows are made
        # again, export.py), made after the pages: a fork meanwhile would make this process pay
        # for every page of memory it writes to (copy on write). Their scan, which reads them
        # all, goes on beside MkDocs' own work until the check (on_post_build).
        pages, (search_files, search_info) = _pages_and_search(site, config)
        exports = _export_files(site)
        _state.scanning = Beside(lambda: _export_verdicts(exports, config), worker_count())
    else:
        (pages, (search_files, search_info)), (exports, verdicts) = run_beside(
            lambda: _pages_and_search(site, config), lambda: _exports(site, config), worker_count()
        )
        _keep_verdicts(verdicts)
    for page in [*pages, _reference_page(), _search_page(search_info)]:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"content/{page.src_uri} trùng đường dẫn với trang tạo từ dữ liệu; hãy đổi tên tệp")
        file = File.generated(config, page.src_uri, content=page.content)
        # Pages holding an editor's Markdown body are sanitised after Markdown (sanitize.py).
        file.generated_by = GENERATOR if page.has_body else f"{GENERATOR}:escaped"
        files.append(file)
    _replace_photos(files, config, site)
    made: list[tuple[str, str | bytes]] = [*search_files, *exports, *admin_files(project_root(config))]
    for uri, content in made:
        files.append(File.generated(config, uri, content=content))
    for image in images:
        file = File.generated(config, image.uri, abs_src_path=str(image.file))
        # Being drawn meanwhile, the images are linked once drawn (_Drawing.wait).
        linked = _left_as_written if _state.drawing else functools.partial(_link_or_copy, str(image.file), file.abs_dest_path)
        file.copy_file = linked  # type: ignore[method-assign]
        files.append(file)
    return files


def _link_or_copy(source: str, target: str, dirty: bool = False) -> None:
    """In place of File.copy_file for a file drawn into .cache/ (share images): a hard link
    where the disk allows it. Creating a thousand files costs seconds on a busy disk; a link
    creates none. The output's file is the cached one: a tool that rewrites the output's
    images in place would change the cache too (README, Build speed)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)  # --dirty: the previous build's file, replaced and never written into
    try:
        os.link(source, target)
    except OSError:  # another disk, or a file system without links
        shutil.copyfile(source, target)


def _keep_scanned(scanning: Beside) -> None:
    """The exports' verdicts from the process that scanned them. Should it have failed, the
    check scans the exports itself, and an error in the scan is then raised there."""
    try:
        verdicts = scanning.result()
    except Exception:
        return
    _keep_verdicts(verdicts)


def _keep_verdicts(verdicts: list[tuple[tuple, list]]) -> None:
    """Output-check verdicts worked out ahead: the check (on_post_build) finds them by the
    same bytes."""
    for key, found in verdicts:
        assert _state.memos is not None
        _state.memos.checks.put(key, found)


def _pages_and_search(site: Site, config: MkDocsConfig) -> tuple[list[GeneratedPage], tuple[list[tuple[str, str]], dict]]:
    pages = _generated_pages(site, config.site_url or "/")
    search_memo = _state.memos.search if _state.memos else None
    return pages, index_files(site, pages, search_memo)  # listing pages are searched too


def _exports(site: Site, config: MkDocsConfig) -> tuple[list[tuple[str, bytes]], list[tuple[tuple, list]]]:
    """On the other core meanwhile: the open-data exports and, with the memos, the output check's
    scan of their text for personal numbers (megabytes, changed by every record: the check finds
    its verdict ready)."""
    exports = _export_files(site)
    return exports, _export_verdicts(exports, config)


def _export_files(site: Site) -> list[tuple[str, bytes]]:
    return [(uri, text.encode("utf-8")) for uri, text in export_files(site)]  # as written, and as scanned


def _export_verdicts(exports: list[tuple[str, bytes]], config: MkDocsConfig) -> list[tuple[tuple, list]]:
    data = [(uri, raw) for uri, raw in exports if uri.endswith((".json", ".csv"))]
    return forbidden_verdicts(data, project_root(config), _state.memos.checks) if _state.memos is not None else []


class _Drawing:
    """Share images drawn on a background process while the build goes on (a cold build draws
    thousands: a core's seconds, taken where it would idle). The output check waits for them
    before it checks photos (checks.Coming): this process draws what is left, from the end of
    the list, and links them all into the output."""

    def __init__(self, images: list[ShareImage], missing: list[ShareImage], site_dir: Path) -> None:
        self.images, self.missing, self.site_dir = images, missing, site_dir
        self.names = [image.uri for image in images]
        self._background = Background(lambda: draw(missing, until_one_is_drawn=True))

    def drawn(self) -> None:
        draw(self.missing[::-1])  # meets the other process halfway
        self._background.join()

    def wait(self) -> None:
        self.drawn()
        for image in self.images:
            _link_or_copy(str(image.file), str(self.site_dir / image.uri))

    def stop(self) -> None:
        self._background.stop()


def _start_drawing(images: list[ShareImage], site_dir: Path) -> None:
    """The share images not in the cache drawn: on a background process when there are many
    and nothing needs their files before the output check; now, on the workers, otherwise
    (under serve, whose unchanged-file test reads them before the pages are written)."""
    # Stories with the same card or photo share a file: drawn once, and a file found drawn
    # means the other process has arrived.
    missing = list({image.file: image for image in images if not image.file.is_file()}.values())
    workers = worker_count()
    if len(missing) >= MIN_ITEMS_FOR_POOL and workers > 1 and not _state.keeping:
        _state.drawing = _Drawing(images, missing, site_dir)
        log.info(f"{len(missing)} ảnh chia sẻ mới được vẽ trong nền.")
    elif missing:
        draw_on_workers(missing, workers)
        log.info(f"{len(missing)} ảnh chia sẻ mới được vẽ.")


def _end_side_work() -> None:
    """The processes working beside the build stopped, if they have not ended."""
    if _state.drawing is not None:
        _state.drawing.stop()
        _state.drawing = None
    if _state.scanning is not None:
        _state.scanning.stop()
        _state.scanning = None


def _share_cache(config: MkDocsConfig) -> Path:
    """Where each story's share image (its photo cropped, or a card with its title) is kept."""
    return project_root(config) / ".cache" / "share"


def _generated_pages(site: Site, site_url: str) -> list[GeneratedPage]:
    """Every generated page; with the memos, a template whose reads are unchanged since a
    previous build gives its text from there (page_memo.py)."""
    if _state.memos is None:
        return list(render_pages(site, site_url))
    with page_memo.session(_state.memos.pages, site) as session:
        pages = list(render_pages(site, site_url))
    log.info(
        f"{session.rendered} mẫu trang được dựng lại, {session.reused} lấy từ bộ nhớ đệm, {session.untraced} không ghi nhớ được."
    )
    return pages


def site_sources(root: Path) -> list[tuple[str, bytes, bool]]:
    """Every file of the site before it is rendered: content/ and what the hooks generate
    (pages as Markdown, charts, feeds, search shards, exports, photo variants), as
    (path, bytes, is a page). For `python -m bulletin export-markdown`."""
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    if _state.drawing is not None:  # the share images are read from .cache/ (no output here)
        _state.drawing.drawn()
        _state.drawing = None
    return [(file.src_uri, file.content_bytes, file.is_documentation_page()) for file in files]


def _guard_content(files: Files, config: MkDocsConfig) -> None:
    """Nothing leaves content/ or overrides/ through a symlink, and content/ goes out only as
    content.py allows: pages, photos (re-encoded in _replace_photos), PDFs without their
    metadata, extensions listed in checks.yml. load_site refuses the same files earlier,
    with the same messages; this is the guard on what MkDocs actually picked up."""
    root, content_dir = Path(os.path.abspath(os.path.dirname(config.config_file_path))), Path(config.docs_dir)
    ours = [content_dir, *([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])]
    allowed = read_allow_list(root)[0].extensions
    problems = []
    for file in list(files):
        source = Path(file.abs_src_path or "")
        if not file.abs_src_path or file.inclusion.is_excluded() or not any(source.is_relative_to(d) for d in ours):
            continue  # generated, hidden, or the installed theme's own files
        if inside_a_link(source, root):
            problems.append(f"{os.path.relpath(source, root)}: liên kết tượng trưng (symlink) không được đăng")
        elif source.is_relative_to(content_dir):
            judged = verdict(source, allowed)
            if judged.kind == "refused":
                problems.append(f"content/{file.src_uri}: {judged.problem}")
            elif judged.kind == "document":
                problems += _replace_document(files, file, config)
    if problems:
        for problem in problems:
            log.error(problem)
        raise PluginError(f"content/ có {len(problems)} tệp không được đăng (xem trên).")


def _replace_document(files: Files, file: File, config: MkDocsConfig) -> list[str]:
    try:
        cleaned = clean_pdf(Path(file.abs_src_path or "").read_bytes())
    except DocumentRefused as exc:
        return [f"content/{file.src_uri}: {exc}"]
    files.remove(file)
    files.append(File.generated(config, file.src_uri, content=cleaned))
    return []


def _replace_photos(files: Files, config: MkDocsConfig, site: Site) -> None:
    """Editors' photos never go out as they came in (EXIF GPS...): only re-encoded variants
    (and the share images cropped from them, made beside the pages)."""
    content_dir = Path(config.docs_dir)
    for file in list(files):
        if file.abs_src_path and Path(file.abs_src_path).is_relative_to(content_dir):
            if verdict(Path(file.abs_src_path), []).kind == "photo":
                files.remove(file)  # theme images (favicon, Open Graph default) stay
    try:
        variants = photo_variants(site, content_dir, project_root(config) / ".cache" / "photos")
    except PhotoError as exc:
        log.error(str(exc))
        raise PluginError("Có ảnh không làm sạch được (xem trên).") from None
    for uri, content in variants:
        files.append(File.generated(config, uri, content=content))


def _reference_page() -> GeneratedPage:
    return GeneratedPage("huong-dan/du-lieu.md", render_reference())


def _search_page(index: dict) -> GeneratedPage:
    return GeneratedPage("tim-kiem.md", render("search.md.j2", index=index))


# --- Pages rendered ahead of MkDocs' loop: on worker processes, or from the page cache ------
class _PrerenderedPage(Page):
    """A page prerender.py made before MkDocs' loop reached it: reading and rendering it only
    restore what was made."""

    def read_source(self, config: MkDocsConfig) -> None:
        restore_source(self, _state.entries[self.file.src_uri])

    def render(self, config: MkDocsConfig, files: Files) -> None:
        restore_render(self, _state.entries[self.file.src_uri], files)


class _ReadyHtmlPage(Page):
    """A generated page whose source is ready HTML (ready_html.py): no Markdown to run."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        render_ready_html(self, get_toc, lambda body: self.render_body(body, config, files), config.mdx_configs["toc"])

    def render_body(self, body: str, config: MkDocsConfig, files: Files) -> tuple[str, list[Heading]]:
        """An editor's Markdown, through MkDocs' own rendering of this page (links resolved
        and checked from here): its HTML and the headings of its table of contents."""
        source, self.markdown = self.markdown, body
        try:
            super().render(config, files)
        finally:
            self.markdown = source
        return self.content or "", [Heading(a.level, a.id, a.title) for a in _flat(self.toc)]


def _flat(toc) -> list:
    return [item for anchor in toc for item in (anchor, *_flat(anchor.children))]


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Every page rendered now, with the navigation complete: unchanged pages from .cache/,
    the others on all cores (BULLETIN_WORKERS=0 leaves the pages to MkDocs' own loop)."""
    for file in files.documentation_pages():
        if file.generated_by and is_ready_html(file.content_string):
            (file.page or Page(None, file, config)).__class__ = _ReadyHtmlPage
    _state.files = files
    workers = worker_count()
    if workers == 0:
        return nav
    _state.env = config.plugins.on_env(_theme_env(config), config=config, files=files)
    pipeline = Pipeline(config, files, nav, _state.env, get_context)
    pages = [file.page or Page(None, file, config) for file in files.documentation_pages()]
    pipeline.read_nav_pages()
    _state.cache = page_cache.PageCache(
        project_root(config) / ".cache" / "pages",
        enabled=cache_enabled(),
        memory=_state.cache_memory if _state.serving else None,
    )
    engine = [mkdocs.__name__, mkdocs.__version__]  # ProperDocs answers with its own name
    fingerprint = pipeline.fingerprint(engine, project_root(config), Path(__file__).parent, _state.serving)
    # With the memos, each page rendered is checked on its worker too (its verdicts kept).
    checks = page_checker(project_root(config), _made(files, config), _mount_path(config)) if _state.memos is not None else None
    # Under serve the folder keeps what did not change (_leave_unchanged): MkDocs' loop writes.
    write = not _state.keeping
    _state.entries, _state.cache_keys, rendered, verdicts = prerender(
        pipeline, pages, _state.cache, fingerprint, workers, checks, write
    )
    _keep_verdicts([verdict for page_verdicts in verdicts for verdict in page_verdicts])
    for page in pages:
        page.__class__ = _PrerenderedPage
        if write:
            page.file.abs_dest_path = os.devnull  # written already (on_post_page)
    log.info(f"{rendered} trang được dựng lại, {len(pages) - rendered} trang lấy từ bộ nhớ đệm (.cache/pages).")
    if _state.keeping:
        _leave_unchanged(files)
    return nav


def _leave_unchanged(files: Files) -> None:
    """Under serve: pages and files the folder already holds as this build would write them
    are left out of MkDocs' writing (a page is written to the null device instead)."""
    for file in files:
        if not file.inclusion.is_included():
            continue
        if file.is_documentation_page():
            entry = _state.entries.get(file.src_uri)
            if entry is not None and _state.served.unchanged(file.dest_uri, _state.served.content_token(entry.output)):
                file.abs_dest_path = os.devnull  # left as written (on_post_page)
            continue
        token = content_token(file.content_bytes) if file.abs_src_path is None else source_token(file.abs_src_path)
        if _state.served.unchanged(file.dest_uri, token):
            file.copy_file = _left_as_written  # type: ignore[method-assign]


def _left_as_written(dirty: bool = False) -> None:
    """In place of File.copy_file for a file the served folder already holds."""


class _VisibleThemeFiles(jinja2.FileSystemLoader):
    """The theme's folders listed without their hidden folders. MkDocs lists every file of
    the theme to copy its static ones, then leaves out whatever has a hidden part ('.*',
    '*/.*'): Material's .icons alone is 14,000 SVG files, a twentieth of a save under serve."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.sep, "/")
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)


def _listing_visible_files(get_env: Callable[[], jinja2.Environment]) -> Callable[[], jinja2.Environment]:
    """The theme's ``get_env``, its environment's loader listing no hidden folder."""

    def get_env_listing_visible_files() -> jinja2.Environment:
        env = get_env()
        if type(env.loader) is jinja2.FileSystemLoader:  # MkDocs' own (ProperDocs' too)
            env.loader.__class__ = _VisibleThemeFiles
        return env

    return get_env_listing_visible_files


def _theme_env(config: MkDocsConfig) -> jinja2.Environment:
    """The theme's environment, its templates compiled once for all builds: Jinja keeps the
    compiled code under .cache/jinja, checked against each template's source."""
    env = config.theme.get_env()
    if cache_enabled():
        folder = _compiled_templates(config)
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = CompiledTemplates(str(folder))
    return env


def _compiled_templates(config: MkDocsConfig) -> Path:
    return project_root(config) / ".cache" / "jinja"


def on_env(env, config: MkDocsConfig, files: Files):
    """The environment the pages were rendered with, its templates already compiled (404.html)."""
    return _state.env or with_stub_template(env)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if isinstance(page, _PrerenderedPage) or page.file.generated_by != GENERATOR:
        return html
    try:
        return sanitize_html(html)
    except Exception as error:
        _shown_while_serving(error)  # never the unsanitised text: the page says what broke
        return error_page(Problems(program=_state.problems.program), _mount_path(config))


_CONTENT_MARK = "<!--bulletin:page-content-->"
# Written to the null device in place of a page a worker wrote, or the served folder holds.
_LEFT_AS_WRITTEN = "<!-- the page's file is written already -->"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The theme's HTML made conformant (theme_html.py), then the Content-Security-Policy meta
    tag: nothing from other origins, and only the theme's inline scripts, by their sha256.
    The page's own content (records, hand-written Markdown) is left out while hashing, so a
    script that ever got into it would still be refused. A prerendered page went through all
    this on its worker: its finished HTML is restored as it is."""
    if isinstance(page, _PrerenderedPage):
        entry = _state.entries.pop(page.file.src_uri)
        return _LEFT_AS_WRITTEN if page.file.abs_dest_path == os.devnull else entry.html()
    output = conform(output)
    if _state.serving:  # the policy would block MkDocs' own live-reload script
        return output
    content = page.content or ""
    if content and content in output:
        return add_csp(output.replace(content, _CONTENT_MARK, 1)).replace(_CONTENT_MARK, content, 1)
    return add_csp(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """Theme pages that are not built from Markdown (404.html) get the policy too. On an error
    site, 404.html is the error page: the server sends it for every address it has no file for."""
    if _state.error_html and template_name == "404.html":
        return _state.error_html
    if not template_name.endswith(".html"):
        return output
    return conform(output) if _state.serving else add_csp(conform(output))


def on_serve(server, config: MkDocsConfig, builder) -> None:
    """data/ and overrides/ are in mkdocs.yml's `watch:`; the package's templates are not.
    Saves are noticed through the system's file events rather than polling (watcher.py)."""
    server.watch(str(Path(__file__).parent / "templates"))
    watch_natively(server, log.warning)
    server.builder = _answering_after_failures(server.builder, Path(server.root), config)


def _answering_after_failures(rebuild, site_dir: Path, config: MkDocsConfig):
    """A rebuild that fails outside our hooks (a theme template, Markdown itself) would leave
    MkDocs' server stuck; instead the error site replaces whatever the build left half-written,
    and the server goes on to the next save."""

    def rebuild_or_show_the_failure() -> None:
        try:
            rebuild()
        except Exception as error:  # MkDocs' Abort is an Exception too
            log.exception(f"Lỗi khi tạo trang: {error}")
            _state.served.forget()
            replace_with_error_site(site_dir, error, _mount_path(config), project_root(config))

    return rebuild_or_show_the_failure
