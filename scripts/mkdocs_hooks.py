"""Thin MkDocs glue: hands each page the core's validated model and view. No site logic here.

Event order: MkDocs runs hooks after plugins of equal priority; static-i18n runs its own
on_files at priority -100, so our on_files (priority 0) sees the raw file list first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from msme import l10n, views
from msme.content import split_lang
from msme.model import Story
from msme.siteconfig import load_site_config
from msme.validate import Site, load_site

TEMPLATES = {"story": "story.html", "guide": "guide.html", "event": "event.html"}
STORY_LIST = "stories/index.md"
_state: dict[str, Site] = {}


def _lang(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or config.theme.get("language", "en")


def _site() -> Site:
    return _state["site"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate all content once; any problem stops the build with the full list."""
    root = Path(config.config_file_path).parent
    consent = root / config.extra.get("consent_file", "data/consent.yml")
    site = load_site(Path(config.docs_dir), consent, load_site_config(Path(config.config_file_path)))
    if site.problems:
        listing = "\n".join(f"  {p}" for p in site.problems)
        raise PluginError(f"Content has {len(site.problems)} problem(s):\n{listing}")
    _state["site"] = site
    return config


def _original(site: Site, src_uri: str) -> str:
    return split_lang(src_uri, site.config.locales, site.config.default.locale)[1]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave out stories that are not published (drafts and stories in review)."""
    site = _site()
    for file in list(files):
        if not file.src_uri.endswith(".md"):
            continue
        page = site.page(site.config.default.locale, _original(site, file.src_uri))
        if isinstance(page, Story) and page.status != "published":
            files.remove(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap the page's raw front matter for the validated, merged model."""
    site = _site()
    lang = _lang(config)
    original = _original(site, page.file.src_uri)
    model = site.page(lang, original) or site.page(site.config.default.locale, original)
    if model is None:
        return markdown
    meta = model.model_dump(mode="json")
    # Material prints page.meta.title and .description unescaped; Markup keeps them escaped
    # there while our own templates' `| e` leaves Markup untouched.
    meta["title"] = escape(model.title)
    meta["description"] = escape(model.summary)
    meta["template"] = "story-list.html" if original == STORY_LIST else TEMPLATES.get(model.type, "page.html")
    meta["hide"] = model.hide
    page.meta = meta
    page.__dict__["msme_model"] = model
    return markdown


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Give templates `t` (labels), `view` (localised values) and, on the list, the stories."""
    site = _site()
    lang = _lang(config)
    ctx = views.Context(lang, l10n.labels(lang, site.config.default.locale), site.consent)
    context["t"] = ctx.labels
    model = page.__dict__.get("msme_model")
    if model is not None:
        context["view"] = views.for_page(model, ctx)
    if page.file.src_uri.startswith("stories/index"):
        context["stories"] = _story_cards(site, lang, ctx, config)
    return context


def _story_cards(site: Site, lang: str, ctx: views.Context, config: MkDocsConfig) -> list[dict]:
    """Published stories, newest first, with URLs relative to the list page."""
    cards = []
    for sf in site.originals():
        model = site.page(lang, sf.rel) or site.page(site.config.default.locale, sf.rel)
        if isinstance(model, Story) and model.status == "published":
            slug = sf.rel.removesuffix("index.md").removeprefix("stories/")
            cards.append(views.story_card(model, slug, ctx))
    return sorted(cards, key=lambda c: (c["date"], c["title"]), reverse=True)


def on_env(env, config: MkDocsConfig, files: Files):
    """Register `Markup` so templates can mark core-built HTML safe explicitly."""
    env.globals["Markup"] = Markup
    return env
