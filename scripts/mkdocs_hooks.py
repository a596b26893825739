"""Thin MkDocs glue: hands each page the core's validated model and view. No site logic here.

Event order: static-i18n runs its on_files at priority -100 and, in the default language's
on_post_build, builds every other language and writes one combined search index. So:
- our on_files (priority 0) sees the raw file list first;
- on_post_build has two handlers: at 0 it renders the generated pages of the language being
  built (before static-i18n moves on to the next language), and at -110, after the last
  language, it writes images, feeds, data files, per-language search indexes and the sitemap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import re
import sys
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

sys.path.insert(0, str(Path(__file__).parent))

from msme import (
    catalogue,
    charts,
    csp,
    editor,
    feeds,
    golive,
    hosting,
    htmlfix,
    images,
    l10n,
    media,
    opendata,
    parallel,
    preview,
    publisher,
    sanitize,
    search,
    seo,
    sitemap,
    urls,
    views,
    virtual,
)
from msme.consent import redact
from msme.content import split_lang
from msme.model import Story
from msme.paths import TOOLS
from msme.siteconfig import load_site_config
from msme.translations import format_status, status
from msme.validate import Site, load_site, page_redactions
from msme.vocab import load_vocab

TEMPLATES = {"story": "story.html", "guide": "guide.html", "event": "event.html"}
STORY_LIST = "stories/index.md"
CONFIG_JSON = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
log = logging.getLogger("mkdocs.hooks.msme")
_state: dict = {}


def _lang(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or config.theme.get("language", "en")


def _site() -> Site:
    return _state["site"]


def _nested_build(config: MkDocsConfig) -> bool:
    """True inside static-i18n's per-language builds, which re-run every event, on_config included."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate all content once per build; any problem stops the build with the full list."""
    if _nested_build(config) and "site" in _state:
        return config
    if golive.production():  # MSME_PRODUCTION=1: placeholders and authoring modes never go live
        refused = golive.check(Path(config.config_file_path))
        if refused:
            listing = "\n".join(f"  {p}" for p in refused)
            raise PluginError(f"Not ready for production, {len(refused)} problem(s):\n{listing}")
    root = Path(config.config_file_path).parent
    consent = root / config.extra.get("consent_file", "data/consent.yml")
    site_config = load_site_config(Path(config.config_file_path))
    scope = preview.from_environment(Path(config.docs_dir))
    only = None
    if scope is not None:  # the fast authoring loop: one language, recent stories (msme.preview)
        for lang in config.plugins["i18n"].config.languages:
            lang.build = lang.default or lang.locale == scope.lang
        site_config = dataclasses.replace(
            site_config,
            languages=tuple(lang for lang in site_config.languages if lang.default or lang.locale == scope.lang),
        )
        only = functools.partial(_in_scope, scope, site_config.default.locale)
    elif os.environ.get("MSME_ONLY_LANGS"):  # a parallel worker reads the default and its own languages
        only = functools.partial(_worker_reads, site_config.default.locale)
        for lang in config.plugins["i18n"].config.languages:  # and builds no other (see _switcher)
            lang.build = lang.default or _owned(lang.locale)
    site = load_site(Path(config.docs_dir), consent, site_config, only)
    if site.problems:
        listing = "\n".join(f"  {p}" for p in site.problems)
        raise PluginError(f"Content has {len(site.problems)} problem(s):\n{listing}")
    for warning in site.warnings:  # info, not warning: --strict would turn advice into a failure
        log.info("warning: %s", warning)
    site.preview = os.environ.get("MSME_PREVIEW") == "1"
    if os.environ.get("MSME_TODAY"):
        site.today = dt.date.fromisoformat(os.environ["MSME_TODAY"])
    cats = {
        lang: catalogue.build(site, lang)
        for lang in site.config.locales
        if _owned(lang) or lang == site.config.default.locale
    }
    _state.clear()
    # MSME_NO_GENERATORS=1 (benchmarks only) measures the build without lists, facets, feeds and data.
    generators = os.environ.get("MSME_NO_GENERATORS") != "1"
    specs = virtual.register(site, cats) if generators else []
    _state.update(site=site, catalogues=cats, specs=specs, sitemap=[], scope=only, generators=generators)
    return config


def _in_scope(scope: preview.Scope, default: str, lang: str, original: str) -> bool:
    return scope.keeps(lang, original, default)


def _worker_reads(default: str, lang: str, original: str) -> bool:
    # The default language's worker reads everything: it writes the translation report.
    return lang == default or _owned(lang) or _owned(default)


def _owned(lang: str) -> bool:
    """False for a language another worker of a parallel build renders (MSME_ONLY_LANGS)."""
    only = os.environ.get("MSME_ONLY_LANGS")
    return not only or lang in only.split(",")


def _original(site: Site, src_uri: str) -> str:
    return split_lang(src_uri, site.config.locales, site.config.default.locale)[1]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish from docs/ only what built pages use (msme.media.publishes); theme files pass."""
    site = _site()
    if "published" not in _state:  # once per build, not once per language
        _state["published"] = media.published_files(site)
    for file in list(files):
        if file.src_dir == config.docs_dir and not media.publishes(site, file.src_uri, _state["published"]):
            files.remove(file)
    return files


def _prepare(page: Page, site: Site, lang: str, key: str, template: str | None = None) -> bool:
    """Put the validated model of `key` in `lang` (or its original, as a fallback) on the page."""
    default = site.config.default.locale
    model = site.page(lang, key)
    fallback = model is None
    model = model or site.page(default, key)
    if model is None:
        return False
    meta = model.model_dump(mode="json")
    # Material prints page.meta.title and .description unescaped; Markup keeps them escaped
    # there while our own templates' `| e` leaves Markup untouched.
    meta["title"] = escape(model.title)
    meta["description"] = escape(model.summary)
    meta["template"] = template or ("story-list.html" if key == STORY_LIST else TEMPLATES.get(model.type, "page.html"))
    meta["hide"] = model.hide
    meta["msme_fallback"] = fallback
    meta["msme_text_lang"] = default if fallback else lang
    page.meta = meta
    page.__dict__["msme_model"] = model
    page.__dict__["msme_key"] = key
    return True


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Swap the page's raw front matter for the validated, merged model; remove withdrawn names."""
    site = _site()
    if not _prepare(page, site, _lang(config), _original(site, page.file.src_uri)):
        return markdown
    rules = page_redactions(site, page.meta["msme_text_lang"], page.__dict__["msme_model"])
    try:  # {{ publisher }}, {{ legal_name }}, {{ email }}: mkdocs.yml's extra.identity
        markdown = publisher.fill(markdown, site.config.identity)
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    return redact(markdown, rules) if rules else markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Remove from the rendered text everything outside the allow-list (script, on…= handlers, javascript: links)."""
    return sanitize.clean(html)


def _alternates(site: Site, key: str, path: str) -> list[dict[str, str]]:
    """Absolute URLs of the languages this page really exists in, plus x-default.

    Generated pages exist in every language; a written page where its file does (a parallel
    worker has not read other languages' files, only listed them)."""
    default = site.config.default.locale
    alts = [
        {"lang": lang, "url": urls.absolute(site.config.site_url, urls.lang_path(path, lang, default))}
        for lang in site.config.locales
        if key.startswith(media.GENERATED) or (lang, key) in site.present
    ]
    if alts:
        alts.append({"lang": "x-default", "url": urls.absolute(site.config.site_url, path)})
    return alts


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Give templates `t` (labels), `view` (localised values), language facts, lists and pictures."""
    site = _site()
    lang, default = _lang(config), site.config.default.locale
    _state["nav"] = nav
    ctx = views.Context(lang, l10n.labels(lang, default), site.consent)
    context["t"] = ctx.labels
    context["msme_lang_prefix"] = "" if lang == default else f"{lang}/"
    model = page.__dict__.get("msme_model")
    if model is None:
        return context
    key = page.__dict__["msme_key"]
    context["view"] = views.for_page(model, ctx)
    path = urls.default_path(page.url, lang, default)
    # A fallback page is not a translation: it claims no language versions at all.
    alternates = [] if page.meta["msme_fallback"] else _alternates(site, key, path)
    page.meta["msme_alternates"] = alternates
    if page.meta["msme_fallback"]:
        # The text is the original's: point search engines at it, claim no translation.
        _state.setdefault("fallbacks", {}).setdefault(lang, set()).add(path)
        page.canonical_url = urls.absolute(site.config.site_url, path)
        context["msme_notice"] = ctx.labels["fallback_notice"].format(
            language=l10n.language_name(lang, lang), original=l10n.language_name(default, lang)
        )
    elif page.canonical_url and _owned(lang):
        _state["sitemap"].append((page.canonical_url, alternates))
    context["msme_head"] = _head(site, model, page, path)
    # static-i18n sets the menu as an attribute of `extra`, which templates read before the key.
    config.extra.alternate = _switcher(site, path)
    # A parallel worker renders other languages' home pages only to discard them.
    cat = _state["catalogues"].get(lang) or _state["catalogues"][default]
    prefix = context["msme_lang_prefix"]

    def rel_url(target: str) -> str:
        return urls.relative(prefix + target, page.url)

    context["msme_feed"] = rel_url("feed.xml")
    if key == STORY_LIST or page.__dict__.get("msme_listing"):
        li = page.__dict__.get("msme_listing") or cat.listings[0]
        context["listing"] = views.listing(
            cat, li, ctx, rel_url=rel_url, image_for=lambda e: _card_image(site, e, page.url)
        )
    if not media.is_public(model, site.today):
        when = "scheduled" if model.status == "published" else model.status
        context["msme_preview"] = ctx.labels[f"preview_{when}"].format(date=l10n.date(model.published, lang))
    if isinstance(model, Story) and _state["generators"]:
        context["related"] = [
            views.story_card(e, rel_url(e.path), ctx, _card_image(site, e, page.url)) for e in cat.related(key)
        ]
    if not key.startswith(media.GENERATED):
        context["figures"] = media.figures(site, key, model, page.url)
    return context


def _switcher(site: Site, path: str) -> list[dict[str, str]]:
    """The language menu: this page in every language, as links relative to the page.

    static-i18n's own menu links home pages absolutely (wrong under a sub-path) and lists only
    the languages built by the process, which a parallel worker restricts."""
    default = site.config.default.locale
    return [
        {"name": lang.name, "lang": lang.locale, "link": urls.lang_path(path, lang.locale, default)}
        for lang in site.config.languages
    ]


def _card_image(site: Site, entry: catalogue.Entry, page_url: str) -> dict | None:
    """The first picture of a story, at list-card size, or None."""
    figs = media.figures(site, entry.rel, entry.story, page_url)
    if not figs:
        return None
    width = min(figs[0]["variants"])  # the 240-pixel thumbnail
    small = figs[0]["variants"][width]
    return {
        **figs[0],
        "src": small,
        "width": width,
        "height": round(figs[0]["height"] * width / figs[0]["width"]),
        "lazy": True,
    }


def _head(site: Site, model: object, page: Page, path: str) -> dict:
    """Open Graph / Twitter values and JSON-LD for one page (its card is drawn in on_post_build)."""
    text_lang = page.meta["msme_text_lang"]
    image = urls.absolute(site.config.site_url, media.card_path(text_lang, path))
    url = page.canonical_url or urls.absolute(site.config.site_url, page.url)
    logo = urls.absolute(site.config.site_url, "assets/logo.svg")
    items = seo.structured_data(model, lang=text_lang, url=url, image=image, config=site.config, logo_url=logo)
    return {
        "type": "article" if isinstance(model, Story) else "website",
        "url": url,
        "image": image,
        "image_alt": model.title,
        "locale": seo.og_locale(text_lang),
        "jsonld": Markup(seo.jsonld_script_body(items)),
    }


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


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """The 404 page's language menu links each language's home page (as every page's menu does)."""
    if template_name == "404.html":
        config.extra.alternate = _switcher(_site(), "")
    return context


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The same markup repairs for pages rendered from theme templates alone (404.html)."""
    return htmlfix.fix(output) if template_name.endswith(".html") else output


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


def on_env(env, config: MkDocsConfig, files: Files):
    """Share compiled templates across language builds; keep the env for the generated pages."""
    env.bytecode_cache = _BYTECODE
    env.globals["msme_csp"] = csp.page_policy()  # the <meta> policy of every page (main.html)
    _state["env"] = env
    return env


@event_priority(0)
def _render_generated_pages(config: MkDocsConfig) -> None:
    """Render list, facet, map and data pages of the language being built, through the theme."""
    site = _site()
    lang = _lang(config)
    # Every language build writes the theme's 404.html at the root; keep each as <lang>/404.html
    # and the default language's at the root (restored in _finish_site).
    not_found = Path(config.site_dir) / "404.html"
    if not_found.exists():
        if lang == site.config.default.locale:
            _state["404"] = not_found.read_bytes()
        else:
            write_file(not_found.read_bytes(), str(Path(config.site_dir) / lang / "404.html"))
    if not _owned(lang):
        return
    prefix = "" if lang == site.config.default.locale else f"{lang}/"
    cat = _state["catalogues"][lang]
    for spec in _state["specs"]:
        file = File(prefix + spec.path.rstrip("/") + ".md", config.docs_dir, config.site_dir, config.use_directory_urls)
        page = Page(None, file, config)
        page.markdown, page.content = "", ""
        _prepare(page, site, lang, spec.key, spec.template)
        page.__dict__["msme_listing"] = spec.listing
        context = get_context(_state["nav"], Files([]), config, page)
        context = on_page_context(context, page, config, _state["nav"])
        if spec.kind == "map":
            context["charts"] = _charts(cat, lang)
        elif spec.kind == "data":
            context["datasets"] = _datasets(cat, page.url)
        output = _state["env"].get_template(spec.template).render(context)
        write_file(on_post_page(output, page, config).encode("utf-8"), file.abs_dest_path)


def _charts(cat: catalogue.Catalogue, lang: str) -> dict:
    """The map and bar charts of one language, with their tables."""
    t = l10n.labels(lang, cat.site.config.default.locale)
    codes = {c for e in cat.entries for c in e.countries} | set(charts.TILES)
    names = {c: l10n.country(c, lang) for c in codes}
    by_country = [(names[k], n) for k, n in cat.facets["country"]]
    by_sector = [(cat.facet_label("sector", k), n) for k, n in cat.facets["sector"]]
    n_ex = sum(n for *_, n in cat.exchanges)
    return {
        "map": Markup(
            charts.exchange_map(
                cat.exchanges,
                names,
                t["map_svg_title"],
                t["map_svg_desc"].format(stories=n_ex, pairs=len(cat.exchanges)),
            )
        ),
        "exchanges": [{"sending": names[s], "host": names[h], "count": n} for s, h, n in cat.exchanges],
        "by_country_svg": Markup(
            charts.bar_chart(by_country, t["chart_country_title"], t["chart_country_desc"], "msme-by-country")
        ),
        "by_country": by_country,
        "by_sector_svg": Markup(
            charts.bar_chart(by_sector, t["chart_sector_title"], t["chart_sector_desc"], "msme-by-sector")
        )
        if by_sector
        else "",
        "by_sector": by_sector,
    }


def _datasets(cat: catalogue.Catalogue, page_url: str) -> dict:
    """DCAT-style description of the two datasets of one language, with download links."""
    t = l10n.labels(cat.lang, cat.site.config.default.locale)
    prefix = "" if cat.lang == cat.site.config.default.locale else f"{cat.lang}/"
    sets = []
    for name, fields, count in (
        ("stories", opendata.STORY_FIELDS, len(cat.entries)),
        ("events", opendata.EVENT_FIELDS, len(cat.events())),
    ):
        sets.append(
            {
                "name": name,
                "title": t[f"data_{name}_title"],
                "description": t[f"data_{name}_description"],
                "records": count,
                "fields": fields,
                "downloads": [
                    {
                        "format": fmt.upper(),
                        "media": media_type,
                        "url": urls.relative(f"{prefix}data/{name}.{fmt}", page_url),
                        "abs": urls.absolute(cat.site.config.site_url, f"{prefix}data/{name}.{fmt}"),
                    }
                    for fmt, media_type in (("json", "application/json"), ("csv", "text/csv"))
                ],
            }
        )
    return {
        "sets": sets,
        "modified": l10n.date(opendata.last_modified(cat) or None, cat.lang),
        "modified_iso": opendata.last_modified(cat),
        "licence_url": opendata.LICENCE_URL,
        "publisher": cat.site.config.identity.publisher,
    }


@event_priority(-110)
def _finish_site(config: MkDocsConfig) -> None:
    """After the last language: images, feeds, data files, search indexes, sitemap, translation report."""
    if _nested_build(config):
        return  # the outer (default-language) build finishes the job
    site = _site()
    site_dir = Path(config.site_dir)
    root = Path(config.config_file_path).parent
    if "404" in _state:
        (site_dir / "404.html").write_bytes(_state["404"])
    owned = [lang for lang in site.config.locales if _owned(lang)]
    jobs = [j for j in media.jobs(site) if parallel.owner(j.outputs().popitem()[1], site.config.locales) in owned]
    stats = images.run(jobs, site_dir, root / config.extra.get("image_cache", ".cache/images"))
    if stats.errors:
        listing = "\n".join(f"  {e}" for e in stats.errors)
        raise PluginError(f"{len(stats.errors)} image(s) could not be processed:\n{listing}")
    log.info(stats.summary())
    for lang, cat in _state["catalogues"].items():
        if lang not in owned:
            continue
        lang_dir = site_dir / ("" if lang == site.config.default.locale else lang)
        first_images = {}
        for e in cat.entries:
            figs = media.figures(site, e.rel, e.story, "")
            if figs:
                url = figs[0]["variants"].get(480, figs[0]["src"])
                first_images[e.rel] = urls.absolute(site.config.site_url, url)
        if _state["generators"]:
            feeds.write(cat, lang_dir)
            opendata.write(cat, lang_dir, first_images)
    search.split_index(
        site_dir,
        site.config.locales,
        site.config.default.locale,
        {lang: views.search_facts(cat) for lang, cat in _state["catalogues"].items()},
        _state.get("fallbacks", {}),
    )
    if os.environ.get("MSME_ONLY_LANGS"):  # a worker: the parallel build merges all workers' entries
        (site_dir / parallel.ENTRIES).write_text(json.dumps(_state["sitemap"]), encoding="utf-8")
    else:
        sitemap.write(site_dir, _state["sitemap"], site.config)

    if _owned(site.config.default.locale) and _state["generators"]:
        _write_editor(config, site, site_dir)

    def built(rel: str) -> bool:  # drafts stay private: the public report names only built pages
        return media.is_built(site, rel)

    report = status(site, only=built)
    (site_dir / "translation-status.txt").write_text(format_status(report, site, only=built) + "\n", encoding="utf-8")
    if not site.preview and not os.environ.get("MSME_ONLY_LANGS"):  # parallel.build does it after merging
        log.info(hosting.finish(site_dir, site.config.site_url, site.config.locales))


def _write_editor(config: MkDocsConfig, site: Site, site_dir: Path) -> None:
    """The web editor at /admin/, configured from the content model."""
    settings = config.extra.get("editor", {})
    try:
        backend = dict(settings.get("backend", {}))
        cfg = editor.config(load_vocab(), site.config.locales, backend, site.config.site_url, editor.local_port())
        editor.write(site_dir, TOOLS, cfg)
    except (FileNotFoundError, ValueError) as exc:
        raise PluginError(str(exc)) from None


on_post_build = CombinedEvent(_render_generated_pages, _finish_site)
