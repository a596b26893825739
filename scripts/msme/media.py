"""Which images the site needs: photo variants for story and event pictures, a card per page and language."""

from __future__ import annotations

import os
import posixpath
from functools import lru_cache
from pathlib import Path
from typing import Any

from msme import cards, l10n
from msme.images import CardJob, PhotoJob, SourceInfo, inspect
from msme.model import Event, Story
from msme.publication import is_built
from msme.site import GENERATED, Site

PHONE_MAX_WIDTH = 640  # the widest variant a phone is offered (see partials/msme-figure.html)
SIZES = "(min-width: 76.25em) 690px, (min-width: 60em) calc(100vw - 24rem), calc(100vw - 2rem)"


def url_path(original_rel: str) -> str:
    """Directory URL of a default-language page: 'guides/x.md' -> 'guides/x/', 'index.md' -> ''."""
    stem = original_rel.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def card_path(lang: str, path: str) -> str:
    """Site path of the card for the page at `path` whose text is in `lang`."""
    return f"assets/cards/{lang}/{path.strip('/').replace('/', '--') or 'home'}.png"


def text_lang(site: Site, lang: str, original_rel: str) -> str:
    """The language a page's text is really in when shown under `lang` (the default when untranslated)."""
    return lang if site.page(lang, original_rel) is not None else site.config.default.locale


def card_job(site: Site, lang: str, original_rel: str) -> CardJob:
    """The card for one page in one language: its title, the programme, and for stories the countries."""
    tl = text_lang(site, lang, original_rel)
    page = site.page(tl, original_rel)
    tagline = ""
    if isinstance(page, Story):
        tagline = l10n.labels(tl, site.config.default.locale)["exchange"].format(
            sending=l10n.country(page.sending.country, tl), host=l10n.country(page.host.country, tl)
        )
    card = cards.Card(page.title, site.config.site_name, tagline)
    return CardJob(card, card_path(tl, url_path(original_rel)))


@lru_cache(maxsize=4096)
def _inspect(path: Path, mtime: float) -> SourceInfo:  # mtime: re-inspect a replaced file
    return inspect(path)


def photo(site: Site, original_rel: str, src: str) -> tuple[PhotoJob, SourceInfo]:
    """The job and size facts for one picture of a page."""
    path = site.docs_dir / posixpath.dirname(original_rel) / src
    return photo_at(site.docs_dir, original_rel, src, path.stat().st_mtime)


def photo_at(docs_dir: Path, original_rel: str, src: str, mtime: float) -> tuple[PhotoJob, SourceInfo]:
    """`photo` for the file as it was at `mtime`."""
    folder = posixpath.dirname(original_rel)
    path = docs_dir / folder / src
    info = _inspect(path, mtime)
    stem = posixpath.join(folder, Path(src).stem)
    return PhotoJob(path, info.widths, stem), info


def publishable_images(site: Site, page: Any) -> list[Any]:
    """A page's pictures whose every pictured person currently consents to a photo."""
    return [
        img
        for img in getattr(page, "images", [])
        if all(site.consent.get(p) is not None and site.consent[p].allows("photo") for p in img.people)
    ]


def jobs(site: Site) -> list[CardJob | PhotoJob]:
    """Every image the built site needs, in every language."""
    out: list[CardJob | PhotoJob] = []
    for sf in site.originals():
        if not is_built(site, sf.rel):
            continue
        page = site.page(site.config.default.locale, sf.rel)
        if isinstance(page, Story | Event):
            out += [photo(site, sf.rel, img.src)[0] for img in publishable_images(site, page)]
        out += [card_job(site, lang, sf.rel) for lang in site.config.locales]
    for (lang, key), page in site.pages.items():
        if key.startswith(GENERATED):  # list, facet, map and data pages
            card = cards.Card(page.title, site.config.site_name)
            out.append(CardJob(card, card_path(lang, key.removeprefix(GENERATED))))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=8192)
def _variants(docs_dir: Path, original_rel: str, src: str, mtime: float) -> tuple[str, SourceInfo]:
    """A picture's site stem and size facts, once per file version (every page listing the
    story shows them: memoised so a page costs one stat per picture)."""
    job, info = photo_at(docs_dir, original_rel, src, mtime)
    return job.site_stem, info


def _picture(site: Site, original_rel: str, src: str) -> tuple[str, SourceInfo, int]:
    """A picture's site stem, size facts and default width (the smallest from 800 pixels)."""
    mtime = os.stat(os.path.join(site.docs_dir, posixpath.dirname(original_rel), src)).st_mtime
    stem, info = _variants(site.docs_dir, original_rel, src, mtime)
    return stem, info, min((w for w in info.widths if w >= 800), default=max(info.widths))


def thumbnail(site: Site, original_rel: str, page: Any, page_url: str) -> dict[str, Any] | None:
    """A page's first picture at list-card size (its smallest variant: the 240-pixel one), the
    URL relative to the page at `page_url`; None without a picture. Only what a card shows,
    so a list page of 24 cards does not work out every variant of every picture."""
    from msme.urls import relative

    pictures = publishable_images(site, page)
    if not pictures:
        return None
    stem, info, default_w = _picture(site, original_rel, pictures[0].src)
    width = min(info.widths)
    return {
        "src": relative(f"{stem}-{width}.webp", page_url),
        "width": width,
        "height": round(info.height_at(default_w) * width / default_w),
    }


def figures(site: Site, original_rel: str, page: Any, page_url: str) -> list[dict[str, Any]]:
    """Template values for a page's pictures, with URLs relative to the page at `page_url`."""
    from msme.urls import relative

    out = []
    for i, img in enumerate(publishable_images(site, page)):
        stem, info, default_w = _picture(site, original_rel, img.src)
        urls = {w: relative(f"{stem}-{w}.webp", page_url) for w in info.widths}
        out.append(
            {
                "src": urls[default_w],
                "variants": urls,  # width -> URL, for list thumbnails and the data files
                "srcset": ", ".join(f"{u} {w}w" for w, u in urls.items()),
                "phone_srcset": ", ".join(f"{u} {w}w" for w, u in urls.items() if w <= PHONE_MAX_WIDTH),
                "sizes": SIZES,
                "width": default_w,
                "height": info.height_at(default_w),
                "alt": img.alt,
                "credit": img.credit,
                "lazy": i > 0,
            }
        )
    return out
