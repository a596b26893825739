"""Everything a template reads for one page, as plain values: its metadata (`meta`), its
context (`view`: labels, localised values, lists, pictures, head metadata, charts, datasets),
the languages it exists in (hreflang) and the language menu. Never imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from msme import catalogue, charts, datapackage, dcat, eventlist, l10n, media, opendata, publisher, seo, urls, views
from msme.build import Build
from msme.catalogue import Listing
from msme.consent import redact
from msme.content import split_lang
from msme.model import Page, Story
from msme.publication import is_public
from msme.site import GENERATED, Site, page_redactions

TEMPLATES = {"story": "story.html", "guide": "guide.html", "event": "event.html"}
STORY_LIST = "stories/index.md"


@dataclass(frozen=True)
class Source:
    """What a page of the builder shows: the model under `key` in `lang` (or its original, a
    fallback), through `template`."""

    lang: str
    key: str
    model: Page
    fallback: bool
    text_lang: str  # the language the text is in: the original's for a fallback
    template: str
    kind: str = "page"  # a generated page's kind (virtual.Spec.kind)
    listing: Listing | None = None


def source(build: Build, lang: str, src_uri: str) -> Source | None:
    """The page the builder file `src_uri` renders in `lang`, or None when it shows no model."""
    site = build.site
    spec = build.generated(lang).get(src_uri)
    if spec is not None:
        key, template = spec.key, spec.template
    else:
        key = split_lang(src_uri, site.config.locales, build.default)[1]
        template = None
    model = site.page(lang, key)
    fallback = model is None
    model = model or site.page(build.default, key)
    if model is None:
        return None
    if template is None:
        template = "story-list.html" if key == STORY_LIST else TEMPLATES.get(model.type, "page.html")
    return Source(
        lang,
        key,
        model,
        fallback,
        build.default if fallback else lang,
        template,
        spec.kind if spec else "page",
        spec.listing if spec else None,
    )


def reads_every_story(src: Source) -> bool:
    """Whether the page shows what every story's text makes: the booklet's link and size."""
    return src.key == STORY_LIST or src.kind == "data"


def meta(src: Source) -> dict[str, Any]:
    """The page's metadata as templates read it (`page.meta`): the validated model, not the raw
    front matter. Material prints `title` and `description` unescaped, so they are escaped
    `Markup` here (our own templates' `| e` leaves Markup untouched)."""
    out = src.model.model_dump(mode="json")
    out["title"] = escape(src.model.title)
    out["description"] = escape(src.model.summary)
    out["template"] = src.template
    out["hide"] = src.model.hide
    out["msme_fallback"] = src.fallback
    out["msme_text_lang"] = src.text_lang
    if src.key.startswith(GENERATED):
        out["search"] = {"exclude": True}  # lists and charts: their stories are indexed themselves
    return out


def text(build: Build, src: Source, markdown: str) -> str:
    """The page's Markdown as rendered: `{{ publisher }}`, `{{ legal_name }}`, `{{ email }}`
    filled in from mkdocs.yml's extra.identity, withdrawn names removed. ValueError for an
    unknown placeholder."""
    return render_text(build.site, src.text_lang, src.model, markdown)


def render_text(site: Site, text_lang: str, model: Page, markdown: str) -> str:
    """`text` for any reader of a page's Markdown (the booklet too): publisher filled in,
    withdrawn names removed."""
    markdown = publisher.fill(markdown, site.config.identity)
    rules = page_redactions(site, text_lang, model)
    return redact(markdown, rules) if rules else markdown


@dataclass
class PageView:
    """What the builder puts where its templates read it."""

    context: dict[str, Any]  # added to the template context
    alternates: list[dict[str, str]] = field(default_factory=list)  # page.meta.msme_alternates
    canonical_url: str | None = None  # replaces the page's canonical URL
    switcher: list[dict[str, str]] | None = None  # the language menu (config.extra.alternate)


def base_context(build: Build, lang: str, page_url: str) -> dict[str, Any]:
    """What every page and the 404 page read: labels, the language's folder, its search index."""
    default = build.default
    context: dict[str, Any] = {
        "t": l10n.labels(lang, default),
        "msme_lang_prefix": urls.lang_prefix(lang, default),
    }
    if lang != default:  # a reader fetches their own language's index (msme.search)
        context["msme_search_base"] = urls.relative(urls.lang_prefix(lang, default), page_url)
    return context


def view(build: Build, src: Source | None, lang: str, page_url: str, canonical_url: str | None) -> PageView:
    """The view of the page at `page_url` built in `lang`; records it in the build's sitemap or
    fallbacks."""
    site, default = build.site, build.default
    out = PageView(base_context(build, lang, page_url), canonical_url=canonical_url)
    if src is None:
        return out
    ctx = views.Context(lang, out.context["t"], site.consent, default)
    model, key = src.model, src.key
    path = urls.default_path(page_url, lang, default)
    context = out.context
    context["view"] = views.for_page(model, ctx)
    if src.fallback:
        # The text is the original's: point search engines at it, claim no translation at all.
        out.canonical_url = urls.absolute(site.config.site_url, path)
        context["msme_notice"] = ctx.labels["fallback_notice"].format(
            language=l10n.language_name(lang, lang), original=l10n.language_name(default, lang)
        )
        build.record(lang, page_url, path, None)
    else:
        out.alternates = alternates(site, key, path)
        if canonical_url:
            build.record(lang, page_url, path, (canonical_url, out.alternates))
    context["msme_head"] = head(site, src, out.canonical_url or urls.absolute(site.config.site_url, page_url), path)
    out.switcher = switcher(site, path)
    cat = build.catalogues.get(lang) or build.catalogues[default]  # a worker's other languages

    def rel_url(target: str) -> str:
        return urls.relative(context["msme_lang_prefix"] + target, page_url)

    context["msme_feed"] = rel_url("feed.xml")
    context["msme_catalogue"] = urls.relative(dcat.TURTLE, page_url)  # the open-data catalogue (DCAT-AP)
    if key == STORY_LIST or src.listing:
        li = src.listing or cat.listings[0]
        context["listing"] = views.listing(
            cat, li, ctx, rel_url=rel_url, image_for=lambda e: views.card_image(site, e, page_url)
        )
    if not is_public(model, site.today):
        when = "scheduled" if model.status == "published" else model.status
        context["msme_preview"] = ctx.labels[f"preview_{when}"].format(date=l10n.date(model.published, lang))
    if isinstance(model, Story) and build.options.generators:
        context["related"] = [
            views.story_card(e, rel_url(e.path), ctx, views.card_image(site, e, page_url)) for e in cat.related(key)
        ]
    if not key.startswith(GENERATED):
        context["figures"] = media.figures(site, key, model, page_url)
    if src.kind == "map":
        context["charts"] = chart_view(cat, lang)
    elif src.kind == "data":
        context["datasets"] = datasets(cat, page_url)
    elif src.kind == "events":
        context["events"] = eventlist.items(eventlist.published(site, lang), ctx, rel_url)
    if reads_every_story(src):
        from msme import booklet_site  # here: the booklet renders story text with this module

        context["booklet"] = booklet_site.link(build, lang, page_url)
    return out


def alternates(site: Site, key: str, path: str) -> list[dict[str, str]]:
    """Absolute URLs of the languages this page really exists in, plus x-default.

    Generated pages exist in every language; a written page where its file does (a parallel
    worker has not read other languages' files, only listed them)."""
    default = site.config.default.locale
    alts = [
        {"lang": lang, "url": urls.absolute(site.config.site_url, urls.lang_path(path, lang, default))}
        for lang in site.config.locales
        if key.startswith(GENERATED) or (lang, key) in site.present
    ]
    if alts:
        alts.append({"lang": "x-default", "url": urls.absolute(site.config.site_url, path)})
    return alts


def switcher(site: Site, path: str) -> list[dict[str, str]]:
    """The language menu: the page at default-language `path` in every language, relative.

    static-i18n's own menu links home pages absolutely (wrong under a sub-path) and lists only
    the languages built by the process, which a parallel worker restricts."""
    default = site.config.default.locale
    return [
        {"name": lang.name, "lang": lang.locale, "link": urls.lang_path(path, lang.locale, default)}
        for lang in site.config.languages
    ]


def head(site: Site, src: Source, url: str, path: str) -> dict[str, Any]:
    """Open Graph / Twitter values and JSON-LD for one page (its card is drawn by the finish)."""
    image = urls.absolute(site.config.site_url, media.card_path(src.text_lang, path))
    logo = urls.absolute(site.config.site_url, "assets/logo.svg")
    items = seo.structured_data(src.model, lang=src.text_lang, url=url, image=image, config=site.config, logo_url=logo)
    return {
        "type": "article" if isinstance(src.model, Story) else "website",
        "url": url,
        "image": image,
        "image_alt": src.model.title,
        "locale": seo.og_locale(src.text_lang),
        "jsonld": Markup(seo.jsonld_script_body(items)),
    }


def chart_view(cat: catalogue.Catalogue, lang: str) -> dict[str, Any]:
    """The map and bar charts of one language, with their tables."""
    t = l10n.labels(lang, cat.site.config.default.locale)
    codes = {c for e in cat.entries for c in e.countries} | set(charts.TILES)
    names = {c: l10n.country(c, lang) for c in codes}
    by_country = [(names[k], n) for k, n in cat.facets["country"]]
    by_sector = [(cat.facet_label("sector", k), n) for k, n in cat.facets["sector"]]
    n_ex = sum(n for *_, n in cat.exchanges)
    desc = t["map_svg_desc"].format(stories=n_ex, pairs=len(cat.exchanges))
    sector_svg = charts.bar_chart(by_sector, t["chart_sector_title"], t["chart_sector_desc"], "msme-by-sector")
    return {
        "map": Markup(charts.exchange_map(cat.exchanges, names, t["map_svg_title"], desc)),
        "exchanges": [{"sending": names[s], "host": names[h], "count": n} for s, h, n in cat.exchanges],
        "by_country_svg": Markup(
            charts.bar_chart(by_country, t["chart_country_title"], t["chart_country_desc"], "msme-by-country")
        ),
        "by_country": by_country,
        "by_sector_svg": Markup(sector_svg) if by_sector else "",
        "by_sector": by_sector,
    }


def datasets(cat: catalogue.Catalogue, page_url: str) -> dict[str, Any]:
    """The Data page: every dataset of one language with its fields (from its Table Schema, as
    the files follow it), download links, a citation, and the catalogue and package links."""
    config = cat.site.config
    t = l10n.labels(cat.lang, config.default.locale)
    prefix = urls.lang_prefix(cat.lang, config.default.locale)
    modified = opendata.last_modified(cat)
    publisher = config.identity.publisher
    sets = []
    for name in opendata.DATASETS:
        downloads = [
            {
                "format": fmt.upper(),
                "media": media_type,
                "url": urls.relative(f"{prefix}data/{name}.{fmt}", page_url),
                "abs": urls.absolute(config.site_url, f"{prefix}data/{name}.{fmt}"),
            }
            for fmt, media_type in opendata.FORMATS.items()
        ]
        landing = urls.absolute(config.site_url, f"{prefix}data/") + f"#msme-ds-{name}"
        sets.append(
            {
                "name": name,
                "title": t[f"data_{name}_title"],
                "description": t[f"data_{name}_description"],
                "records": len(opendata.records(name, cat)),
                "fields": datapackage.field_rows(name, config.locales, t),
                "source": opendata.source_text(name),
                "cite": f"{publisher} ({modified[:4]}). {t[f'data_{name}_title']}. {landing}" if modified else "",
                "downloads": downloads,
            }
        )
    return {
        "sets": sets,
        "modified": l10n.date(modified or None, cat.lang),
        "modified_iso": modified,
        "licence_url": opendata.LICENCE_URL,
        "publisher": publisher,
        "cite_intro": t["data_cite_intro"].format(publisher=publisher),
        "links": [
            {"title": t["data_catalogue"], "format": "Turtle", "media": "text/turtle",
             "url": urls.relative(dcat.TURTLE, page_url)},
            {"title": t["data_catalogue"], "format": "JSON-LD", "media": "application/ld+json",
             "url": urls.relative(dcat.JSONLD, page_url)},
            {"title": t["data_package"], "format": "JSON", "media": "application/json",
             "url": urls.relative(f"{prefix}data/{datapackage.PACKAGE}", page_url)},
        ],
    }  # fmt: skip
