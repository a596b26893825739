"""Head metadata for sharing and search engines: Open Graph, Twitter card and JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from msme import model
from msme.siteconfig import SiteConfig
from msme.urls import absolute

PROGRAMME = "MobiliseSME"
PROGRAMME_URL = "https://mobilise-sme.eu/"  # the programme's own site


def programme() -> dict[str, Any]:
    """The programme as a schema.org Organization: what the site is about."""
    return {
        "@type": "Organization",
        "name": PROGRAMME,
        "alternateName": "Mobility Exchange Programme for SME Staff",
        "url": PROGRAMME_URL,
    }


def home(config: SiteConfig) -> str:
    """The site's address, with the trailing slash MkDocs gives it."""
    return absolute(config.site_url, "")


def publisher(config: SiteConfig, logo_url: str) -> dict[str, Any]:
    """Who publishes the site (mkdocs.yml extra.identity) as a schema.org Organization; the
    programme itself (sameAs its own site) only when the identity says it is the publisher."""
    ident = config.identity
    org: dict[str, Any] = {"@type": "Organization", "name": ident.publisher, "url": home(config), "logo": logo_url}
    if ident.legal_name:
        org["legalName"] = ident.legal_name
    if ident.email:
        org["email"] = ident.email
    if ident.publisher_is_programme:
        org["alternateName"] = programme()["alternateName"]
        org["sameAs"] = [PROGRAMME_URL]
    return org


def structured_data(
    page: model.Page, *, lang: str, url: str, image: str, config: SiteConfig, logo_url: str
) -> list[dict[str, Any]]:
    """JSON-LD objects for a page: the publisher everywhere, the site (about the programme), and
    Article for stories or Event for events."""
    org = publisher(config, logo_url)
    items: list[dict[str, Any]] = [
        {"@context": "https://schema.org", **org},
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": config.site_name,
            "url": home(config),
            "inLanguage": lang,
            "publisher": org,
            "about": programme(),
        },
    ]
    if isinstance(page, model.Story):
        items.append(
            {
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": page.title[:110],
                "description": page.summary,
                "image": [image],
                "datePublished": page.published.isoformat() if page.published else None,
                "inLanguage": lang,
                "mainEntityOfPage": url,
                "author": org,
                "publisher": org,
                "about": programme(),
            }
        )
    elif isinstance(page, model.Event):
        items.append(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": page.name,
                "description": page.summary,
                "startDate": page.start.isoformat(),
                "endDate": (page.end or page.start).isoformat(),
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/"
                + ("OnlineEventAttendanceMode" if page.place.online else "OfflineEventAttendanceMode"),
                "location": {"@type": "VirtualLocation", "url": url}
                if page.place.online
                else {
                    "@type": "Place",
                    "name": page.place.venue or page.place.city,
                    "address": {
                        "@type": "PostalAddress",
                        "addressLocality": page.place.city,
                        "addressCountry": page.place.country,
                    },
                },
                "image": [image],
                "organizer": [{"@type": "Organization", "name": o} for o in page.organisers],
                "inLanguage": lang,
                "url": url,
            }
        )
    return items


def jsonld_script_body(items: list[dict[str, Any]]) -> str:
    """JSON for a <script type="application/ld+json"> element; '<' is escaped so no value can close it."""
    data = (
        items[0]
        if len(items) == 1
        else {
            "@context": "https://schema.org",
            "@graph": [{k: v for k, v in item.items() if k != "@context"} for item in items],
        }
    )
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def og_locale(lang: str) -> str:
    """Open Graph locale (fr -> fr_FR)."""
    region = {"en": "GB", "el": "GR", "da": "DK", "sv": "SE", "cs": "CZ", "et": "EE", "sl": "SI", "ga": "IE"}
    return f"{lang}_{region.get(lang, lang.upper())}"
