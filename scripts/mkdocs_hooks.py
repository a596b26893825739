"""MkDocs adapter: turns MkDocs events into calls to the core (`msme.build`, `msme.pageview`) and
puts the results where MkDocs and its templates read them. No decisions here.

Event order: static-i18n runs the whole build once per language (the default first; the others
inside the default's on_post_build at priority -100), re-running every event. So:
- on_config prepares the build once (the nested language builds reuse it);
- on_files keeps from docs/ what the core publishes (priority 0, before static-i18n sorts the
  files by language) and adds the language's generated pages (-110, after it, so they are
  plain files of the language being built, in no navigation);
- on_post_build keeps each language's 404 page (0) and, after the last language (-110), has the
  core finish the site.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from msme import build as core
from msme import csp, pageview, sanitize

log = logging.getLogger("mkdocs.hooks.msme")
_state: dict[str, core.Build] = {}


def _i18n(config: MkDocsConfig, *, build: list[str] | None = None, menu: list | None = None) -> tuple[str, bool]:
    """Every touch of static-i18n's state, checked against mkdocs-static-i18n 1.3.1, which has
    no public interface for these: returns the language being built and whether this is one of
    its nested per-language builds; sets which languages it builds (`build`) and the language
    menu (`menu`: it keeps the menu as an attribute of `extra`, which templates read first)."""
    plugin = config.plugins.get("i18n")
    if build is not None:
        for lang in plugin.config.languages:
            lang.build = lang.locale in build
    if menu is not None:
        config.extra.alternate = menu
    current = getattr(plugin, "current_language", None) or config.theme.get("language", "en")
    return current, bool(getattr(plugin, "building", False))


def _build() -> core.Build:
    return _state["build"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Prepare the build once: any problem stops it with the full list."""
    if _i18n(config)[1] and "build" in _state:
        return config
    try:
        build, warnings = core.prepare(
            Path(config.config_file_path), Path(config.docs_dir), config.extra, templates=Path(config.theme.custom_dir)
        )
    except core.BuildError as exc:
        raise PluginError(str(exc)) from None
    for warning in warnings:  # info, not warning: --strict would turn advice into a failure
        log.info(warning)
    _i18n(config, build=build.languages())
    _state["build"] = build
    return config


@event_priority(0)
def _published_only(files: Files, config: MkDocsConfig) -> Files:
    """Drop the files of docs/ the site does not publish; theme files pass."""
    for file in list(files):
        if file.src_dir == config.docs_dir and not _build().publishes(file.src_uri):
            files.remove(file)
    return files


@event_priority(-110)
def _generated_pages(files: Files, config: MkDocsConfig) -> Files:
    """Add the language's list, facet, map and data pages; MkDocs renders them like any page."""
    for src_uri in _build().generated(_i18n(config)[0]):
        files.append(File.generated(config, src_uri, content=""))
    return files


on_files = CombinedEvent(_published_only, _generated_pages)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap the page's raw front matter for the validated, merged model; fill in its text."""
    build = _build()
    src = pageview.source(build, _i18n(config)[0], page.file.src_uri)
    if src is None:
        return markdown
    page.meta = pageview.meta(src)
    page.__dict__["msme"] = src
    try:
        return pageview.text(build, src, markdown)
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep of the rendered text only what the allow-list allows (msme.sanitize)."""
    return sanitize.clean(html)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Give templates what the core computes for the page (msme.pageview)."""
    src = page.__dict__.get("msme")
    view = pageview.view(_build(), src, _i18n(config)[0], page.url, page.canonical_url)
    context.update(view.context)
    if src is not None:
        page.meta["msme_alternates"] = view.alternates
        page.canonical_url = view.canonical_url
    if view.switcher is not None:
        _i18n(config, menu=view.switcher)
    return context


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """The 404 page's language menu links each language's home page, as every page's does."""
    if template_name == "404.html":
        _i18n(config, menu=pageview.switcher(_build().site, ""))
    return context


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the per-language builds of one run (each makes a new env)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Share compiled templates across language builds; give every page its policy (main.html)."""
    env.bytecode_cache = _BYTECODE
    env.globals["msme_csp"] = csp.page_policy()
    return env


@event_priority(0)
def _keep_404(config: MkDocsConfig) -> None:
    """Each language build writes its 404 page at the root: the core keeps each one."""
    core.keep_not_found(_build(), Path(config.site_dir), _i18n(config)[0])


@event_priority(-110)
def _finish(config: MkDocsConfig) -> None:
    """After the last language, the core finishes the site (images, feeds, data, search, ...)."""
    if _i18n(config)[1]:
        return  # a nested language build: the outer one finishes
    try:
        for line in core.finish(_build(), Path(config.site_dir)):
            log.info(line)
    except core.BuildError as exc:
        raise PluginError(str(exc)) from None


on_post_build = CombinedEvent(_keep_404, _finish)
