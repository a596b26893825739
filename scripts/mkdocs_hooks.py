"""Thin MkDocs glue: hands each page the core's validated model and view. No site logic here.

Event order: static-i18n runs its on_files at priority -100 and, in the default language's
on_post_build, builds every other language and writes one combined search index. Our
on_files (priority 0) therefore sees the raw file list first, and our on_post_build runs at
-110 so that it comes after static-i18n's and can split that index per language.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).parent))

from msme import htmlfix, images, l10n, media, search, seo, sitemap, urls, views
from msme.content import split_lang
from msme.model import Story
from msme.siteconfig import load_site_config
from msme.translations import format_status, status
from msme.validate import Site, load_site

TEMPLATES = {"story": "story.html", "guide": "guide.html", "event": "event.html"}
STORY_LIST = "stories/index.md"
CONFIG_JSON = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_state: dict = {}
log = logging.getLogger("mkdocs.hooks.msme")


def _lang(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or config.theme.get("language", "en")


def _site() -> Site:
    return _state["site"]


def _sitemap_entries() -> list[tuple[str, list[dict[str, str]]]]:
    return _state.setdefault("sitemap", [])


def _nested_build(config: MkDocsConfig) -> bool:
    """True inside static-i18n's per-language builds, which re-run every event, on_config included."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate all content once per build; any problem stops the build with the full list."""
    if _nested_build(config) and "site" in _state:
        return config
    root = Path(config.config_file_path).parent
    consent = root / config.extra.get("consent_file", "data/consent.yml")
    site = load_site(Path(config.docs_dir), consent, load_site_config(Path(config.config_file_path)))
    if site.problems:
        listing = "\n".join(f"  {p}" for p in site.problems)
        raise PluginError(f"Content has {len(site.problems)} problem(s):\n{listing}")
    _state["site"] = site
    _state["sitemap"] = []  # filled page by page, in every language build
    return config


def _original(site: Site, src_uri: str) -> str:
    return split_lang(src_uri, site.config.locales, site.config.default.locale)[1]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave out unpublished stories, and every original photo: only processed images are published."""
    site = _site()
    for file in list(files):
        if images.is_raster(file.src_uri) and not file.src_uri.startswith("assets/"):
            files.remove(file)
            continue
        if not file.src_uri.endswith(".md"):
            continue
        page = site.page(site.config.default.locale, _original(site, file.src_uri))
        if isinstance(page, Story) and page.status != "published":
            files.remove(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap the page's raw front matter for the validated, merged model."""
    site = _site()
    lang, default = _lang(config), site.config.default.locale
    original = _original(site, page.file.src_uri)
    model = site.page(lang, original)
    fallback = model is None
    model = model or site.page(default, original)
    if model is None:
        return markdown
    meta = model.model_dump(mode="json")
    # Material prints page.meta.title and .description unescaped; Markup keeps them escaped
    # there while our own templates' `| e` leaves Markup untouched.
    meta["title"] = escape(model.title)
    meta["description"] = escape(model.summary)
    meta["template"] = "story-list.html" if original == STORY_LIST else TEMPLATES.get(model.type, "page.html")
    meta["hide"] = model.hide
    meta["msme_fallback"] = fallback
    meta["msme_text_lang"] = default if fallback else lang
    page.meta = meta
    page.__dict__["msme_model"] = model
    page.__dict__["msme_original"] = original
    return markdown


def _alternates(site: Site, original: str, path: str) -> list[dict[str, str]]:
    """Absolute URLs of the languages this page really exists in, plus x-default."""
    default = site.config.default.locale
    alts = [
        {"lang": lang, "url": urls.absolute(site.config.site_url, urls.lang_path(path, lang, default))}
        for lang in site.config.locales
        if site.page(lang, original) is not None
    ]
    if alts:
        alts.append({"lang": "x-default", "url": urls.absolute(site.config.site_url, path)})
    return alts


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Give templates `t` (labels), `view` (localised values), language facts and, on the list, the stories."""
    site = _site()
    lang, default = _lang(config), site.config.default.locale
    ctx = views.Context(lang, l10n.labels(lang, default), site.consent)
    context["t"] = ctx.labels
    context["msme_lang_prefix"] = "" if lang == default else f"{lang}/"
    model = page.__dict__.get("msme_model")
    if model is None:
        return context
    context["view"] = views.for_page(model, ctx)
    path = urls.default_path(page.url, lang, default)
    # A fallback page is not a translation: it claims no language versions at all.
    alternates = [] if page.meta["msme_fallback"] else _alternates(site, page.__dict__["msme_original"], path)
    page.meta["msme_alternates"] = alternates
    if not page.meta["msme_fallback"] and page.canonical_url:
        _sitemap_entries().append((page.canonical_url, alternates))
    if page.meta["msme_fallback"]:
        # The text is the original's: point search engines at it, claim no translation.
        page.canonical_url = urls.absolute(site.config.site_url, path)
        context["msme_notice"] = ctx.labels["fallback_notice"].format(
            language=l10n.language_name(lang, lang), original=l10n.language_name(default, lang)
        )
    if page.file.src_uri.startswith("stories/index"):
        context["stories"] = _story_cards(site, lang, ctx)
    context["msme_head"] = _head(site, model, page, path)
    context["figures"] = media.figures(site, page.__dict__["msme_original"], model, page.url)
    return context


def _head(site: Site, model: object, page: Page, path: str) -> dict:
    """Open Graph / Twitter values and JSON-LD for one page (its card is drawn in on_post_build)."""
    text_lang = page.meta["msme_text_lang"]
    image = urls.absolute(site.config.site_url, media.card_path(text_lang, path))
    url = page.canonical_url or urls.absolute(site.config.site_url, page.url)
    logo = urls.absolute(site.config.site_url, "assets/logo.svg")
    items = seo.structured_data(
        model, lang=text_lang, url=url, image=image, site_url=site.config.site_url, logo_url=logo
    )
    return {
        "type": "article" if isinstance(model, Story) else "website",
        "url": url,
        "image": image,
        "image_alt": model.title,
        "locale": seo.og_locale(text_lang),
        "jsonld": Markup(seo.jsonld_script_body(items)),
    }


def _story_cards(site: Site, lang: str, ctx: views.Context) -> list[dict]:
    """Published stories, newest first, with URLs relative to the list page."""
    cards = []
    for sf in site.originals():
        model = site.page(lang, sf.rel) or site.page(site.config.default.locale, sf.rel)
        if isinstance(model, Story) and model.status == "published":
            slug = sf.rel.removesuffix("index.md").removeprefix("stories/")
            cards.append(views.story_card(model, slug, ctx))
    return sorted(cards, key=lambda c: (c["date"], c["title"]), reverse=True)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Repair Material's invalid markup; point its search at this language's own index."""
    output = htmlfix.fix(output)
    site = _site()
    lang = _lang(config)
    if lang == site.config.default.locale:
        return output
    match = CONFIG_JSON.search(output)
    if match is None:
        return output
    data = json.loads(match.group(2))
    data["base"] = urls.relative(f"{lang}/", page.url)
    return output[: match.start(2)] + json.dumps(data, ensure_ascii=False) + output[match.end(2) :]


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The same markup repairs for pages rendered from theme templates alone (404.html)."""
    return htmlfix.fix(output) if template_name.endswith(".html") else output


@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    """After the last language: one search index per language, and the translation report."""
    if _nested_build(config):
        return  # the outer (default-language) build finishes the job
    site = _site()
    site_dir = Path(config.site_dir)
    root = Path(config.config_file_path).parent
    stats = images.run(media.jobs(site), site_dir, root / config.extra.get("image_cache", ".cache/images"))
    if stats.errors:
        listing = "\n".join(f"  {e}" for e in stats.errors)
        raise PluginError(f"{len(stats.errors)} image(s) could not be processed:\n{listing}")
    log.info(stats.summary())
    search.split_index(site_dir, site.config.locales, site.config.default.locale)
    # Every language build overwrites sitemap.xml with its own pages; write the whole one last.
    sitemap.write(site_dir, _sitemap_entries())
    report = status(site)
    (site_dir / "translation-status.txt").write_text(format_status(report, site) + "\n", encoding="utf-8")


def on_env(env, config: MkDocsConfig, files: Files):
    """Register `Markup` so templates can mark core-built HTML safe explicitly."""
    env.globals["Markup"] = Markup
    return env
