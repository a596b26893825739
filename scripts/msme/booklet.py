"""The success-stories booklet of one language, as HTML for print: cover, the programme in
figures, contents by country, one section per story (fact box, photo, text, results, sources),
and the legal notice with the EU funding statement.

Everything comes from the validated site, as the pages show it: the catalogue's published
stories, consent applied (names of people who withdrew replaced, quotes and photos only with
consent), the publisher from mkdocs.yml. Jinja autoescapes every value; story text is rendered
from Markdown and passed through the site's HTML allow-list. `booklet_pdf` turns it into a PDF.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from msme import cards, l10n, media, pageview, sanitize, urls, views
from msme.catalogue import Catalogue, Entry
from msme.markdown_reader import parser
from msme.model import Story
from msme.site import Site

ASSETS = Path(__file__).parent / "booklet_assets"
TEMPLATE = "booklet.html"
STYLESHEET = ASSETS / "booklet.css"
HOME, LEGAL = "index.md", "legal-notice.md"
# Print geometry, shared with booklet.css: the photo spans the text column.
COLUMN_MM = 170
MIN_DPI, MAX_DPI = 200, 300  # below MIN_DPI a photo prints soft; above MAX_DPI nothing shows
FONT_FILES = {  # url in the HTML -> Debian's fonts-dejavu-core file (cards use the same two)
    "regular": cards.FONT_REGULAR,
    "bold": cards.FONT_BOLD,
    "italic": cards.FONT_DIR / "DejaVuSans-Oblique.ttf",
}


class BookletError(Exception):
    """The booklet cannot be made; the message names the file and what to do."""


def pixels(mm: float, dpi: int) -> int:
    """Pixels needed to print `mm` millimetres at `dpi`."""
    return round(mm / 25.4 * dpi)


@dataclass(frozen=True)
class Photo:
    """A story's first picture as the booklet prints it."""

    source: Path
    url: str  # the address the HTML uses; booklet_pdf's fetcher serves only these
    alt: str
    credit: str
    width: int  # of the original, upright
    height: int


@dataclass
class Booklet:
    """What one language's booklet prints."""

    lang: str
    labels: dict[str, Any]
    groups: list[tuple[str, list[dict[str, Any]]]]  # (country name, stories), in print order
    photos: list[Photo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def stories(self) -> list[dict[str, Any]]:
        """Every story, in print order."""
        return [s for _, items in self.groups for s in items]


def select(entries: Iterable[Entry], country: str = "", year: str = "") -> list[Entry]:
    """The stories with a company from `country` (either side) and an exchange in `year`."""
    return [e for e in entries if (not country or country.upper() in e.countries) and (not year or e.year == str(year))]


def group_country(entry: Entry) -> str:
    """The country a story is listed under: the sending company's, else the host's."""
    return entry.story.sending.country or entry.story.host.country or ""


def ordered(entries: Iterable[Entry], lang: str) -> list[tuple[str, list[Entry]]]:
    """Stories grouped by country name, countries and titles in the language's alphabetical order."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(l10n.country(group_country(e), lang), []).append(e)
    return [
        (name, sorted(items, key=lambda e: (l10n.sort_key(e.story.title), e.rel)))
        for name, items in sorted(groups.items(), key=lambda kv: l10n.sort_key(kv[0]))
    ]


def check_glyphs(rel: str, title: str) -> None:
    """Refuse a title the print font cannot draw, exactly as the social cards do."""
    missing = cards.missing_glyphs(title)
    if missing:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:8])
        raise BookletError(
            f"{rel}: title: characters the booklet's font (DejaVu Sans) cannot print: "
            f"{' '.join(missing[:8])} ({codes}); write them with other characters"
        )


def print_size_warning(path: Path, width: int, height: int) -> str:
    """'' when a photo of width × height pixels prints sharp across the column, else the warning."""
    need = pixels(COLUMN_MM, MIN_DPI)
    if width >= need:
        return ""
    return (
        f"{path}: {width}×{height} px is too small to print; the booklet needs at least "
        f"{need}×{round(height * need / width)} px ({COLUMN_MM} mm at {MIN_DPI} dpi)"
    )


def _source_file(site: Site, lang: str, rel: str) -> Any:
    return next((sf for sf in site.files if sf.lang == lang and sf.original_rel == rel), None)


def markdown_html(site: Site, lang: str, rel: str, shift: int = 0) -> Markup:
    """A page's text in `lang` (its original where untranslated) as the site shows it (publisher
    filled in, withdrawn names replaced), rendered and passed through the allow-list. Headings go
    `shift` levels down; links to pages become the site's addresses; pictures are left out (the
    booklet prints a story's own photo, with consent checked)."""
    tl = lang if site.page(lang, rel) is not None else site.config.default.locale
    sf, page = _source_file(site, tl, rel), site.page(tl, rel)
    if sf is None or page is None:
        return Markup("")
    text = pageview.render_text(site, tl, page, sf.body)
    md = parser()
    tokens = md.parse(text)
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = f"h{min(6, int(tok.tag[1]) + shift)}"
        for child in tok.children or []:
            if child.type == "link_open":
                child.attrSet("href", _address(site, lang, rel, str(child.attrGet("href") or "")))
        if tok.children:
            tok.children = [c for c in tok.children if c.type != "image"]
    return Markup(sanitize.clean(md.renderer.render(tokens, md.options, {})))


def _address(site: Site, lang: str, rel: str, href: str) -> str:
    """A link of page `rel` as an absolute address of the site (a PDF has no relative links)."""
    if not href or "://" in href or href.startswith(("mailto:", "#")):
        return href
    target, _, anchor = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
    if path.endswith(".md"):
        path = media.url_path(path)
    url = urls.absolute(site.config.site_url, urls.lang_path(path, lang, site.config.default.locale))
    return url + (f"#{anchor}" if anchor else "")


def photo_source(site: Site, entry: Entry) -> Path | None:
    """The file of a story's first picture whose people all consent to a photo, or None."""
    images = media.publishable_images(site, entry.story)
    return site.docs_dir / posixpath.dirname(entry.rel) / images[0].src if images else None


def _photo(site: Site, entry: Entry, digests: Mapping[str, str]) -> Photo | None:
    source = photo_source(site, entry)
    if source is None:
        return None
    img = media.publishable_images(site, entry.story)[0]
    _, info = media.photo(site, entry.rel, img.src)
    # Named by content: one photo shown by several stories is embedded once.
    name = digests.get(str(source)) or hashlib.sha256(str(source).encode()).hexdigest()
    return Photo(source, f"booklet:photo/{name[:32]}.jpg", img.alt, img.credit, info.width, info.height)


def _story(site: Site, cat: Catalogue, entry: Entry, ctx: views.Context, photo: Photo | None) -> dict[str, Any]:
    assert isinstance(entry.story, Story)
    return {
        "id": f"story-{entry.path.strip('/').replace('/', '-')}",
        "title": entry.story.title,
        "summary": entry.story.summary,
        "lang": ctx.foreign(entry.lang),
        "view": views.story(entry.story, ctx),
        "text": markdown_html(site, cat.lang, entry.rel, shift=1),
        "photo": photo,
        "url": urls.absolute(site.config.site_url, urls.lang_path(entry.path, cat.lang, site.config.default.locale)),
    }


def make(
    site: Site, cat: Catalogue, entries: list[Entry] | None = None, digests: Mapping[str, str] | None = None
) -> Booklet:
    """The booklet of the catalogue's language (of `entries` when given: a selection); `digests`:
    each photo's content hash by path. BookletError for a title the font cannot print."""
    lang, default = cat.lang, site.config.default.locale
    labels = l10n.labels(lang, default, site.data_dir / "i18n")
    ctx = views.Context(lang, labels, site.consent, default)
    chosen = cat.entries if entries is None else entries
    for e in chosen:
        sf = _source_file(site, e.lang, e.rel)
        check_glyphs(sf.rel if sf is not None else e.rel, e.story.title)
    booklet = Booklet(lang, labels, [])
    for name, items in ordered(chosen, lang):
        stories = []
        for e in items:
            photo = _photo(site, e, digests or {})
            if photo is not None:
                booklet.photos.append(photo)
                warning = print_size_warning(photo.source, photo.width, photo.height)
                if warning:
                    booklet.warnings.append(warning)
            stories.append(_story(site, cat, e, ctx, photo))
        booklet.groups.append((name, stories))
    booklet.context = _front_and_back(site, lang, ctx)
    return booklet


def _front_and_back(site: Site, lang: str, ctx: views.Context) -> dict[str, Any]:
    """Cover, introduction with the figures the home page shows (and their sources), legal notice."""
    home = site.page(lang, HOME) or site.page(site.config.default.locale, HOME)
    legal = site.page(lang, LEGAL) or site.page(site.config.default.locale, LEGAL)
    figures, cited = [], {}  # cited: each source once, numbered in order of first use
    key_figures = getattr(home, "key_figures", [])  # a site without a home page has none
    for f, shown in zip(key_figures, views.figures(home, ctx) if key_figures else [], strict=True):
        src = home.sources[f.source] if f.source < len(home.sources) else None
        note = cited.setdefault((src.title, str(src.url)), len(cited) + 1) if src else 0
        figures.append({**shown, "note": note})
    return {
        "site_name": site.config.site_name,
        "home_title": home.title if home else "",
        "intro": home.summary if home else "",
        "figures": figures,
        "figure_sources": [{"n": n, "title": t, "url": u} for (t, u), n in cited.items()],
        "legal_title": legal.title if legal else "",
        "legal": markdown_html(site, lang, LEGAL, shift=0) if legal else Markup(""),
        "publisher": site.config.identity.publisher,
        "site_url": site.config.site_url,
        "fonts": {name: f"booklet:font/{name}.ttf" for name in FONT_FILES},
    }


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(ASSETS),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html(booklet: Booklet) -> str:
    """The booklet as one HTML document (every value escaped by the template)."""
    t = booklet.labels
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            lang=booklet.lang,
            t=t,
            title=t["booklet_title"],
            groups=booklet.groups,
            count=len(booklet.stories),
            **booklet.context,
        )
    )


def stylesheet() -> str:
    """The print CSS."""
    return STYLESHEET.read_text(encoding="utf-8")


def file_name(lang: str) -> str:
    """The PDF's name in the site."""
    return f"mobilisesme-stories-{lang}.pdf"


def site_path(lang: str, default: str) -> str:
    """The PDF's path in the site: `<lang>/booklet/<name>` (the default language at the root)."""
    return f"{urls.lang_prefix(lang, default)}booklet/{file_name(lang)}"


def size_label(size: int, lang: str) -> str:
    """A file size for people, in the language ('1.4 MB', '1,4 MB', '850 kB')."""
    from babel.units import format_unit

    locale = l10n.LOCALE_FOR.get(lang, lang)
    if size >= 1_000_000:
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=locale)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)
