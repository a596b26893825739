"""MkDocs adapter: turns MkDocs events into calls to the core (`msme.build`, `msme.pageview`) and
puts the results where MkDocs and its templates read them. No decisions here.

Event order: static-i18n runs the whole build once per language (the default first; the others
inside the default's on_post_build at priority -100), re-running every event. So:
- on_config prepares the build once (the nested language builds reuse it);
- on_files keeps from docs/ what the core publishes (priority 0, before static-i18n sorts the
  files by language) and adds the language's generated pages (-110, after it, so they are
  plain files of the language being built, in no navigation);
- on_post_build keeps each language's 404 page (0) and, after the last language (-110), has the
  core finish the site;
- on_page_markdown computes each page's view and its page-cache key: on a hit the page is neither
  converted nor rendered (msme.pagecache); on_post_page (100, first) stores a rendered page.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from msme import build as core
from msme import csp, pagecache, pagereuse, pageview, sanitize, search

log = logging.getLogger("mkdocs.hooks.msme")
_state: dict[str, Any] = {}


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


def _reuse() -> pagereuse.Reuse:
    return _state["reuse"]


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
    _state["reuse"] = pagereuse.Reuse(build, config.nav)
    return config


@event_priority(0)
def _published_only(files: Files, config: MkDocsConfig) -> Files:
    """Drop the files of docs/ the site does not publish, and the Markdown files of the pages
    taken from the page cache by their inputs (msme.pagereuse); theme files pass."""
    build, docs = _build(), config.docs_dir
    published = [f for f in files if f.src_dir != docs or build.publishes(f.src_uri)]
    pages = [f.src_uri for f in published if f.src_dir == docs and f.is_documentation_page()]
    reused = _reuse().docs(_i18n(config)[0], pages, Path(config.site_dir))
    return Files([f for f in published if f.src_dir != docs or f.src_uri not in reused])


@event_priority(-110)
def _generated_pages(files: Files, config: MkDocsConfig) -> Files:
    """Add the language's list, facet, map, data and events pages; MkDocs renders them like any page."""
    build, lang = _build(), _i18n(config)[0]
    for src_uri, spec in build.generated(lang).items():
        if _reuse().generated(lang, src_uri, Path(config.site_dir)):
            continue
        file = File.generated(config, src_uri, content="")
        file.dest_uri = build.generated_dest(lang, spec)  # MkDocs would derive it from the suffixed name
        files.append(file)
    return files


on_files = CombinedEvent(_published_only, _generated_pages)


@event_priority(-110)
def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    """The language's navigation (titles translated by static-i18n at -100) keys every page."""
    _build().pages.nav(_i18n(config)[0], nav.items)
    return nav


def _file_url(files: Files) -> Any:
    def url(path: str) -> str | None:
        file = files.get_file_from_path(path)
        return None if file is None else file.url

    return url


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap the page's raw front matter for the validated, merged model; fill in its text. The
    page's view is computed here, before rendering, because it keys the page cache: on a hit
    the page is neither converted nor rendered, its template prints the stored HTML."""
    build, lang = _build(), _i18n(config)[0]
    src = pageview.source(build, lang, page.file.src_uri)
    if src is None:
        return markdown
    page.meta = pageview.meta(src)
    page.__dict__["msme"] = src
    view = pageview.view(build, src, lang, page.url, page.canonical_url)
    page.canonical_url = view.canonical_url
    links = pagecache.link_targets(markdown, page.file.src_uri, _file_url(files))
    key = build.pages.key(
        lang, page.file.src_uri, page.url, markdown=markdown, meta=page.meta, view=view.context, links=links
    )
    cached = build.pages.load(key)
    # Its HTML is read again when the page is written: MkDocs holds every page between its two
    # loops, and 10,000 stored pages held at once would not fit the memory budget.
    page.__dict__["msme_cache"] = (key, None if cached is None else dataclasses.replace(cached, html=""))
    input_key = _reuse().key_of(lang, src, page.file.src_uri)
    build.pages.remember(input_key, key if cached is not None else None)
    page.__dict__["msme_inputs"] = input_key
    if cached is not None:  # its state recorded where rendering would record it: same order
        page.meta["template"] = pagecache.TEMPLATE
        pagecache.replay(build, lang, page.url, cached)
        return ""
    page.__dict__["msme_view"] = view
    try:
        return pageview.text(build, src, markdown)
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep of the rendered text only what the allow-list allows (msme.sanitize). A page from
    the cache gets back the anchors MkDocs checks links against after the build."""
    cached = page.__dict__.get("msme_cache", (None, None))[1]
    if cached is not None:
        page.present_anchor_ids = set(cached.anchors)
        page.links_to_anchors = {
            file: links
            for src_uri, links in cached.anchor_links.items()
            if (file := files.get_file_from_path(src_uri)) is not None
        }
        return html
    html = sanitize.clean(html)
    build, lang = _build(), _i18n(config)[0]
    build.search_records[(lang, page.url)] = search.page_records(build, lang, page.__dict__.get("msme"), page.url, html)
    return html


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Give templates what the core computes for the page (msme.pageview); a cached page's
    template gets its stored HTML."""
    build, lang = _build(), _i18n(config)[0]
    cached = page.__dict__.get("msme_cache", (None, None))[1]
    if cached is not None:
        context[pagecache.CONTEXT_KEY] = Markup(build.pages.html(page.__dict__["msme_cache"][0]))
        return context
    src = page.__dict__.get("msme")
    view = page.__dict__.pop("msme_view", None)
    if view is None:  # a page with no model: its view is not cached
        view = pageview.view(build, src, lang, page.url, page.canonical_url)
    context.update(view.context)
    if src is not None:
        page.meta["msme_alternates"] = view.alternates
    if view.switcher is not None:
        _i18n(config, menu=view.switcher)
    return context


@event_priority(100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Keep a rendered page in the cache, before any other plugin's post_page sees it (they run
    again on a cached page)."""
    key, cached = page.__dict__.get("msme_cache", (None, None))
    if cached is None:
        build = _build()
        entry = pagecache.Entry(
            output,
            page.url,
            page.file.dest_uri,
            sorted(page.present_anchor_ids or ()),
            {file.src_uri: dict(links) for file, links in (page.links_to_anchors or {}).items()},
            pagecache.capture(build, _i18n(config)[0], page.url),
        )
        build.pages.store(key, entry)
        build.pages.remember(page.__dict__.get("msme_inputs"), key)
    return output


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
    # Each build makes a new environment, so a template cannot change during one: no stat of
    # every included partial on every use (a card partial is included 24 times per list page).
    env.auto_reload = False
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
