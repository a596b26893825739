"""What the site publishes: which pages are built (public, or shown in the local preview) and
which files of docs/ go into the site as they are."""

from __future__ import annotations

from typing import Any

from msme import references
from msme.content import split_lang
from msme.images import is_raster
from msme.site import Site


def is_public(page: Any, today: Any) -> bool:
    """Published, and (for a story) its publication date has come."""
    published = getattr(page, "published", None)
    return page.status == "published" and (published is None or published <= today)


def is_built(site: Site, original_rel: str) -> bool:
    """True unless the page is not (yet) public: a draft, a page in review, or a story whose
    publication date is still to come. The local preview builds those too."""
    page = site.page(site.config.default.locale, original_rel)
    if page is None or site.preview:
        return page is not None
    return is_public(page, site.today)


def published_files(site: Site) -> set[str]:
    """Docs-relative paths of the files that built pages (and their translations) reference."""
    return references.referenced(sf for sf in site.files if is_built(site, sf.original_rel))


def publishes(site: Site, src_uri: str, used: set[str]) -> bool:
    """Whether a file of docs/ goes into the site as it is: a built page, one of the site's own
    assets, or a file a built page links to (`used`: published_files). Never an original photo:
    photos are published as processed variants only, without their metadata."""
    locales, default = site.config.locales, site.config.default.locale
    if src_uri.endswith(".md"):
        return is_built(site, split_lang(src_uri, locales, default)[1])
    if references.is_site_asset(src_uri):
        return True
    return not is_raster(src_uri) and references.is_used(src_uri, used, locales, default)
