"""`python -m bulletin export-markdown DIR`: the site as plain Markdown, for any Markdown
static site generator (Zensical, Hugo, ProperDocs without our hooks...).

DIR/docs/ holds every page the hooks generate, as Markdown files, with content/ (photos only
as their re-encoded variants, never the originals), the generated non-page files (charts,
feeds, search shards, open-data exports) and our theme assets (overrides/assets);
DIR/mkdocs.yml is the site's configuration without hooks or theme overrides. docs/ENGINES.md
says what another engine makes of it.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import yaml
import yaml_env_tag

LEFT_OUT = ("admin/",)  # the web form is configured for this project's own build and backend
_PLAIN_CONFIG_DROPS = ("hooks", "watch", "validation")
# A Markdown link by its docs-absolute path (`/cau-chuyen/x.md`, `/feed.xml`), as the templates
# write them: MkDocs resolves those (`validation.links.absolute_links: relative_to_docs`).
_ABSOLUTE_LINK = re.compile(r"\]\(/(?!/)([^)\s#]+)(#[^)\s]*)?\)")


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: `!ENV [NAME, default]` becomes its value or the default, as
    MkDocs reads it (its own constructor)."""


_ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)


def read_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)


def plain_config(config: dict) -> dict:
    """The site's configuration for an engine without our hooks or theme overrides."""
    plain = {key: value for key, value in config.items() if key not in _PLAIN_CONFIG_DROPS}
    plain["docs_dir"] = "docs"
    plain["site_dir"] = "site"
    plain["theme"] = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    return plain


def relative_links(markdown: str, src_uri: str) -> str:
    """Docs-absolute links made relative to the page, which every engine understands."""
    folder = posixpath.dirname(src_uri) or "."

    def relative(match: re.Match) -> str:
        return f"]({posixpath.relpath(match.group(1), folder)}{match.group(2) or ''})"

    return _ABSOLUTE_LINK.sub(relative, markdown)


def export_markdown(root: Path, out: Path, sources: list[tuple[str, bytes, bool]]) -> int:
    """Write the export; the number of Markdown pages written."""
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    pages = 0
    for uri, data, is_page in sources:
        if uri.startswith(LEFT_OUT):
            continue
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if is_page:
            data = relative_links(data.decode("utf-8"), uri).encode("utf-8")
            pages += 1
        target.write_bytes(data)
    assets = root / "overrides" / "assets"
    if assets.is_dir():
        shutil.copytree(assets, docs / "assets", dirs_exist_ok=True)
    config = plain_config(read_config(root / "mkdocs.yml"))
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pages
