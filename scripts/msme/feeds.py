"""Atom feed of stories and events, one per language, built with feedgen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from feedgen.feed import FeedGenerator

from msme import l10n
from msme.catalogue import Catalogue
from msme.urls import absolute, lang_prefix


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


def atom(cat: Catalogue) -> bytes:
    """The language's Atom feed: every published story and event, newest first, absolute links."""
    site = cat.site
    prefix = lang_prefix(cat.lang, site.config.default.locale)
    labels = l10n.labels(cat.lang, site.config.default.locale)
    home = absolute(site.config.site_url, prefix)
    fg = FeedGenerator()
    fg.id(home)
    fg.title(labels["feed_title"].format(site=site.config.site_name))
    fg.subtitle(labels["feed_subtitle"])
    fg.author({"name": site.config.identity.publisher})  # who publishes it (extra.identity)
    fg.link(href=home, rel="alternate")
    fg.link(href=absolute(site.config.site_url, prefix + "feed.xml"), rel="self")
    fg.language(cat.lang)
    fg.generator("MobiliseSME site")
    items: list[tuple[dt.date, str, str, str, str]] = []
    for e in cat.entries:
        if e.story.published:
            items.append(
                (
                    e.story.published,
                    absolute(site.config.site_url, prefix + e.path),
                    e.story.title,
                    e.story.summary,
                    e.lang,
                )
            )
    for _, path, ev, tl in cat.events():
        items.append((ev.start, absolute(site.config.site_url, prefix + path), ev.title, ev.summary, tl))
    items.sort(key=lambda x: (x[0], x[1]))
    for day, url, title, summary, _lang in items:  # feedgen prepends: oldest first gives newest on top
        entry = fg.add_entry()
        entry.id(url)
        # Title and summary are Atom text (no type="html"): a reader shows markup in them as text.
        entry.title(title)
        entry.link(href=url, rel="alternate")
        entry.summary(summary)
        entry.published(_when(day))
        entry.updated(_when(day))
    fg.updated(_when(max((x[0] for x in items), default=dt.date(2020, 8, 1))))
    return fg.atom_str(pretty=True)


def write(cat: Catalogue, lang_dir: Path) -> int:
    """Write feed.xml at the language's root; return its size."""
    data = atom(cat)
    lang_dir.mkdir(parents=True, exist_ok=True)
    (lang_dir / "feed.xml").write_bytes(data)
    return len(data)
