"""Head metadata for sharing and search engines: Open Graph, Twitter card and JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from msme import model

PROGRAMME = "MobiliseSME"
PROGRAMME_URL = "https://mobilise-sme.eu/"


def organization(site_url: str, logo_url: str) -> dict[str, Any]:
    """The programme as a schema.org Organization."""
    return {
        "@type": "Organization",
        "name": PROGRAMME,
        "alternateName": "Mobility Exchange Programme for SME Staff",
        "url": site_url,
        "logo": logo_url,
        "sameAs": [PROGRAMME_URL],
    }


def structured_data(
    page: model.Page, *, lang: str, url: str, image: str, site_url: str, logo_url: str
) -> list[dict[str, Any]]:
    """JSON-LD objects for a page: Article for stories, Event for events, Organization everywhere."""
    org = organization(site_url, logo_url)
    items: list[dict[str, Any]] = [{"@context": "https://schema.org", **org}]
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
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": {
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
