"""The events list of one language: its published events, newest first, as plain values that
the template (`overrides/event-list.html`) escapes. Never imports MkDocs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from msme import views
from msme.media import text_lang, url_path
from msme.model import Event
from msme.publication import is_built
from msme.site import Site

PATH = "events/"  # the list's URL path in the default language


@dataclass(frozen=True)
class EventEntry:
    """One published event as a language shows it (a fallback: the original's text)."""

    rel: str
    path: str
    event: Event
    lang: str  # language of the text


def published(site: Site, lang: str) -> list[EventEntry]:
    """The events built in `lang` (drafts and pages in review never, as for every page), newest
    first by first day; untranslated ones in the original's text."""
    default = site.config.default.locale
    out = []
    for sf in site.originals():
        if not isinstance(site.page(default, sf.rel), Event) or not is_built(site, sf.rel):
            continue
        tl = text_lang(site, lang, sf.rel)
        out.append(EventEntry(sf.rel, url_path(sf.rel), site.page(tl, sf.rel), tl))
    out.sort(key=lambda e: (e.event.start, e.rel), reverse=True)
    return out


def items(entries: list[EventEntry], ctx: views.Context, rel_url: Callable[[str], str]) -> list[dict[str, Any]]:
    """The list's rows: title, summary, link, localised date(s), place or "online" (the same
    words as the event's own fact box), and `lang` where the text is not in the page's language.

    rel_url(path) turns a default-language URL path into a link relative to the list page."""
    out = []
    for e in entries:
        facts = views.event(e.event, ctx)
        out.append(
            {
                "title": e.event.title,
                "summary": e.event.summary,
                "url": rel_url(e.path),
                "when": facts["when"],
                "start": e.event.start.isoformat(),
                "where": facts["where"],
                "online": e.event.place.online,
                "lang": ctx.foreign(e.lang),
            }
        )
    return out
