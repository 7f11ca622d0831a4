"""The MkDocs side of the build: the only module that imports MkDocs.

``build_hooks.py`` forwards each MkDocs event to a function here. Per-build state is reset in
``on_config`` because ``mkdocs serve`` keeps the hook module alive between rebuilds.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

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
from .cms import admin_files
from .csp import add_csp
from .export import export_files
from .images import RASTER, photo_variants
from .model import Site, load_site
from .parallel import run_beside, worker_count
from .prerender import Entry, Pipeline, prerender, restore_render, restore_source, with_stub_template
from .ready_html import is_ready_html, render_ready_html
from .reference import render_reference
from .render import GeneratedPage, render, render_pages
from .sanitize import sanitize_html
from .search import index_files
from .vietnamese import heading_id

log = get_plugin_logger("bulletin")
GENERATOR = "bulletin"


class _State:
    site: Site | None = None
    serving: bool = False  # `mkdocs serve` injects an inline live-reload script
    cache: page_cache.PageCache | None = None
    env = None  # the theme's Jinja environment prerender.py used

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}  # prerendered pages by src_uri (prerender.py)
        self.cache_keys: set[str] = set()
        self.cache_memory: dict[str, Entry] = {}  # under `mkdocs serve`, the entries between builds


_state = _State()


def build_date() -> date:
    """The day the site is built for; BULLETIN_TODAY (YYYY-MM-DD) fixes it in tests and CI."""
    fixed = os.environ.get("BULLETIN_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def preview_build() -> bool:
    """BULLETIN_PREVIEW=1 builds a preview: drafts and scheduled records shown with a banner."""
    return os.environ.get("BULLETIN_PREVIEW") == "1"


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.site = None
    _state.entries, _state.cache, _state.cache_keys, _state.env = {}, None, set(), None
    config.mdx_configs.setdefault("toc", {})["slugify"] = heading_id
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Load and check every record before MkDocs cleans the output folder, so that bad data
    fails the build with all its errors and leaves the previous site in place."""
    site, errors = load_site(project_root(config), build_date(), preview_build())
    if errors:
        for error in errors:
            log.error(str(error))
        raise PluginError(f"Dữ liệu có {len(errors)} lỗi; sửa các dòng trên rồi chạy lại. Trang chưa được tạo.")
    for reason in site.withheld:
        log.info(reason)
    _state.site = site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _state.site
    # The pages here, the search index and the exports on another core meanwhile.
    generated, (search_files, search_info, exports) = run_beside(
        lambda: list(render_pages(site, config.site_url or "/")),
        lambda: (*index_files(site), list(export_files(site))),
        worker_count(),
    )
    for page in [*generated, _reference_page(), _search_page(search_info)]:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"content/{page.src_uri} trùng đường dẫn với trang tạo từ dữ liệu; hãy đổi tên tệp")
        file = File.generated(config, page.src_uri, content=page.content)
        # Pages holding an editor's Markdown body are sanitised after Markdown (sanitize.py).
        file.generated_by = GENERATOR if page.has_body else f"{GENERATOR}:escaped"
        files.append(file)
    _replace_photos(files, config, site)
    for uri, content in [*search_files, *exports, *admin_files(project_root(config))]:
        files.append(File.generated(config, uri, content=content))
    return files


def site_sources(root: Path) -> list[tuple[str, bytes, bool]]:
    """Every file of the site before it is rendered: content/ and what the hooks generate
    (pages as Markdown, charts, feeds, search shards, exports, photo variants), as
    (path, bytes, is a page). For `python -m bulletin export-markdown`."""
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    return [(file.src_uri, file.content_bytes, file.is_documentation_page()) for file in files]


def _replace_photos(files: Files, config: MkDocsConfig, site: Site) -> None:
    """Editors' photos never go out as they came in (EXIF GPS...): only re-encoded variants."""
    content_dir = Path(config.docs_dir).resolve()
    for file in list(files):
        is_photo = Path(file.src_uri).suffix.lower() in RASTER and file.abs_src_path
        if is_photo and Path(file.abs_src_path).resolve().is_relative_to(content_dir):
            files.remove(file)  # theme images (favicon, Open Graph default) stay
    for uri, content in photo_variants(site, content_dir, project_root(config) / ".cache" / "photos"):
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
        render_ready_html(self, get_toc)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Every page rendered now, with the navigation complete: unchanged pages from .cache/,
    the others on all cores (BULLETIN_WORKERS=0 leaves the pages to MkDocs' own loop)."""
    for file in files.documentation_pages():
        if file.generated_by and is_ready_html(file.content_string):
            (file.page or Page(None, file, config)).__class__ = _ReadyHtmlPage
    workers = worker_count()
    if workers == 0:
        return nav
    _state.env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    pipeline = Pipeline(config, files, nav, _state.env, get_context)
    pages = [file.page or Page(None, file, config) for file in files.documentation_pages()]
    pipeline.read_nav_pages()
    _state.cache = page_cache.PageCache(
        project_root(config) / ".cache" / "pages",
        enabled=os.environ.get("BULLETIN_CACHE") != "0",
        memory=_state.cache_memory if _state.serving else None,
    )
    engine = [mkdocs.__name__, mkdocs.__version__]  # ProperDocs answers with its own name
    fingerprint = pipeline.fingerprint(engine, project_root(config), Path(__file__).parent, _state.serving)
    _state.entries, _state.cache_keys, rendered = prerender(pipeline, pages, _state.cache, fingerprint, workers)
    for page in pages:
        page.__class__ = _PrerenderedPage
    log.info(f"{rendered} trang được dựng lại, {len(pages) - rendered} trang lấy từ bộ nhớ đệm (.cache/pages).")
    return nav


def on_env(env, config: MkDocsConfig, files: Files):
    """The environment the pages were rendered with, its templates already compiled (404.html)."""
    return _state.env or with_stub_template(env)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if isinstance(page, _PrerenderedPage):
        return html
    if page.file.generated_by == GENERATOR:
        return sanitize_html(html)
    return html


_CONTENT_MARK = "<!--bulletin:page-content-->"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The Content-Security-Policy meta tag: nothing from other origins, and only the theme's
    inline scripts, by their sha256. The page's own content (records, hand-written Markdown)
    is left out while hashing, so a script that ever got into it would still be refused."""
    if isinstance(page, _PrerenderedPage):
        return _state.entries.pop(page.file.src_uri).html()
    if _state.serving:  # the policy would block MkDocs' own live-reload script
        return output
    content = page.content or ""
    if content and content in output:
        return add_csp(output.replace(content, _CONTENT_MARK, 1)).replace(_CONTENT_MARK, content, 1)
    return add_csp(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """Theme pages that are not built from Markdown (404.html) get the policy too."""
    return add_csp(output) if template_name.endswith(".html") and not _state.serving else output


def on_post_build(config: MkDocsConfig) -> None:
    if _state.cache is not None:
        _state.cache.prune(_state.cache_keys)
    _state.entries, _state.cache, _state.env = {}, None, None


def on_serve(server, config: MkDocsConfig, builder) -> None:
    """data/ and overrides/ are in mkdocs.yml's `watch:`; the package's templates are not."""
    server.watch(str(Path(__file__).parent / "templates"))
