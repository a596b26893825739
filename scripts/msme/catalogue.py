"""The story catalogue of one language: entries, facets, paginated listings and related stories.

Computed once per build and language; every page that needs it reads the same object, so no
page does work that grows with the number of stories.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from msme import eventlist, l10n
from msme.media import text_lang, url_path
from msme.model import Event, Story
from msme.publication import is_built
from msme.site import Site

PER_PAGE = 24
RELATED_POOL = 60  # stories considered per shared country or sector when picking related ones
FACETS = ("country", "sector", "type", "year")
LIST_ROOT = "stories/"


@dataclass(frozen=True)
class Entry:
    """One published story as a language shows it."""

    rel: str
    path: str
    story: Story
    lang: str  # language of the text

    @property
    def year(self) -> str:
        """Year of the exchange, as its sources give it ("" when they do not). Never the date the
        story went onto this site, which readers would take for the exchange's year."""
        return self.story.period.year

    @property
    def countries(self) -> tuple[str, ...]:
        """Sending and host country codes (each once)."""
        return tuple(dict.fromkeys(c for c in (self.story.sending.country, self.story.host.country) if c))

    @property
    def sectors(self) -> tuple[str, ...]:
        """NACE sections of either company."""
        return tuple(dict.fromkeys(s for s in (self.story.sending.sector, self.story.host.sector) if s))

    @cached_property
    def keysets(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """Countries, sectors and collaboration types as sets, for scoring related stories
        (each story is compared with up to hundreds of others)."""
        return frozenset(self.countries), frozenset(self.sectors), frozenset(self.values("type"))

    def values(self, kind: str) -> tuple[str, ...]:
        """The entry's keys for one facet."""
        if kind == "country":
            return self.countries
        if kind == "sector":
            return self.sectors
        if kind == "type":
            return tuple(self.story.collaboration_types)
        return (self.year,) if self.year else ()


@dataclass(frozen=True)
class Listing:
    """One page of a list: all stories, or one facet value, `page` of `pages`."""

    kind: str  # "all" or a facet
    key: str
    page: int
    pages: int
    entries: tuple[Entry, ...]

    @property
    def base(self) -> str:
        """URL path of the list's first page."""
        return LIST_ROOT if self.kind == "all" else f"{LIST_ROOT}{self.kind}/{self.key.lower()}/"

    @property
    def path(self) -> str:
        """URL path of this page of the list."""
        return self.base if self.page == 1 else f"{self.base}page/{self.page}/"

    def page_path(self, n: int) -> str:
        """URL path of page n of the same list."""
        return self.base if n == 1 else f"{self.base}page/{n}/"


@dataclass
class Catalogue:
    """Everything lists, facets, feeds, data files and related-story boxes need, for one language."""

    site: Site
    lang: str
    entries: list[Entry] = field(default_factory=list)

    @cached_property
    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """Per facet: (key, number of stories), most frequent first, then by key."""
        out = {}
        for kind in FACETS:
            counts = Counter(v for e in self.entries for v in e.values(kind))
            out[kind] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return out

    @cached_property
    def offered(self) -> tuple[str, ...]:
        """The facets with at least one value: a facet no story has (no exchange year known) is
        neither listed, filtered on nor given pages."""
        return tuple(kind for kind in FACETS if self.facets[kind])

    @cached_property
    def facet_menu(self) -> dict[str, list[tuple[str, str, int]]]:
        """Per offered facet: (key, label, number of stories) as every list page shows them,
        by label (years by frequency, as `facets`): computed once, not on every list page."""
        out = {}
        for kind in self.offered:
            values = [(key, self.facet_label(kind, key), count) for key, count in self.facets[kind]]
            if kind != "year":
                values.sort(key=lambda v: l10n.sort_key(v[1]))
            out[kind] = values
        return out

    @cached_property
    def listings(self) -> list[Listing]:
        """Every list page: all stories, then each facet value, paginated."""
        lists: list[Listing] = []
        groups = [("all", "", self.entries)] + [
            (kind, key, [e for e in self.entries if key in e.values(kind)])
            for kind in self.offered
            for key, _ in self.facets[kind]
        ]
        for kind, key, items in groups:
            pages = max(1, math.ceil(len(items) / PER_PAGE))
            for n in range(1, pages + 1):
                chunk = tuple(items[(n - 1) * PER_PAGE : n * PER_PAGE])
                lists.append(Listing(kind, key, n, pages, chunk))
        return lists

    @cached_property
    def exchanges(self) -> list[tuple[str, str, int]]:
        """(sending country, host country, number of stories), largest first."""
        pairs = Counter(
            (e.story.sending.country, e.story.host.country)
            for e in self.entries
            if e.story.sending.country and e.story.host.country  # a draft in preview may lack them
        )
        return sorted(((s, h, n) for (s, h), n in pairs.items()), key=lambda x: (-x[2], x[0], x[1]))

    @cached_property
    def _by_value(self) -> dict[tuple[str, str], list[Entry]]:
        """(facet, key) -> the newest RELATED_POOL stories with that value: bounded work per story."""
        index: dict[tuple[str, str], list[Entry]] = {}
        for e in self.entries:  # newest first, so each pool keeps the newest
            for kind in ("country", "sector"):
                for key in e.values(kind):
                    pool = index.setdefault((kind, key), [])
                    if len(pool) < RELATED_POOL:
                        pool.append(e)
        return index

    def related(self, rel: str, n: int = 3) -> list[Entry]:
        """Up to n other stories sharing a country or a sector, the closest match first.

        Candidates come from the newest stories per shared value (a bounded pool), so the cost
        per story does not grow with the size of the catalogue."""
        me = self._by_rel.get(rel)
        if me is None:
            return []
        candidates = self.candidates(rel)
        scored = []
        mine = me.keysets
        for other in candidates.values():
            theirs = other.keysets
            shared = 2 * len(mine[0] & theirs[0]) + 2 * len(mine[1] & theirs[1]) + len(mine[2] & theirs[2])
            scored.append((-shared, self._rank[other.rel], other))
        return [e for *_, e in sorted(scored, key=lambda x: (x[0], x[1]))[:n]]

    def candidates(self, rel: str) -> dict[str, Entry]:
        """The stories `related` weighs for the story `rel`: the pools of its countries and
        sectors, so at most 4 × RELATED_POOL whatever the size of the catalogue."""
        me = self._by_rel.get(rel)
        if me is None:
            return {}
        return {
            o.rel: o
            for kind in ("country", "sector")
            for key in me.values(kind)
            for o in self._by_value.get((kind, key), [])
            if o.rel != rel
        }

    @cached_property
    def _by_rel(self) -> dict[str, Entry]:
        return {e.rel: e for e in self.entries}

    @cached_property
    def _rank(self) -> dict[str, int]:
        return {e.rel: i for i, e in enumerate(self.entries)}

    def events(self) -> list[tuple[str, str, Event, str]]:
        """(rel, url path, event, text language) of every published event, newest first: the
        events list's own selection (msme.eventlist), so feeds and open data never carry a draft."""
        return [(e.rel, e.path, e.event, e.lang) for e in eventlist.published(self.site, self.lang)]

    def facet_label(self, kind: str, key: str) -> str:
        """Human name of a facet value in this language."""
        labels = l10n.labels(self.lang, self.site.config.default.locale)
        if kind == "country":
            return l10n.country(key, self.lang)
        if kind == "sector":
            return labels["sectors"].get(key, key)
        if kind == "type":
            return labels["collaboration"].get(key, key)
        return key


def build(site: Site, lang: str) -> Catalogue:
    """The catalogue of `lang`: published stories, newest first (untranslated ones in the original)."""
    entries = []
    for sf in site.originals():
        default_page = site.page(site.config.default.locale, sf.rel)
        if not isinstance(default_page, Story) or not is_built(site, sf.rel):
            continue
        tl = text_lang(site, lang, sf.rel)
        entries.append(Entry(sf.rel, url_path(sf.rel), site.page(tl, sf.rel), tl))
    entries.sort(key=lambda e: (e.story.published.isoformat() if e.story.published else "", e.rel), reverse=True)
    return Catalogue(site, lang, entries)
