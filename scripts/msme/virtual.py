"""Pages the build generates from the content model (story lists, facets, map, data, the events
list): no file in docs/.

The set of pages is the same in every language (facet keys are codes), so each one exists in
all languages and carries hreflang alternates like any translated page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from msme import eventlist, l10n, model
from msme.catalogue import Catalogue, Listing
from msme.site import GENERATED as KEY_PREFIX
from msme.site import Site


@dataclass(frozen=True)
class Spec:
    """One generated page: its default-language URL path, what it shows, and its template."""

    path: str
    kind: str  # "listing", "map", "data" or "events"
    template: str
    listing: Listing | None = None

    @property
    def key(self) -> str:
        """Key of the page in Site.pages (never a real file path)."""
        return KEY_PREFIX + self.path


def specs(cat: Catalogue) -> list[Spec]:
    """Every generated page, from a catalogue (any language gives the same set)."""
    out = [Spec(li.path, "listing", "story-list.html", li) for li in cat.listings if li.path != "stories/"]
    out.append(Spec("stories/map/", "map", "map.html"))
    out.append(Spec("data/", "data", "data.html"))
    out.append(Spec(eventlist.PATH, "events", "event-list.html"))
    return out


def listing_counts(cat: Catalogue) -> Counter[tuple[str, str]]:
    """How many stories each list shows: ("all", "") and every (facet, value)."""
    counts: Counter[tuple[str, str]] = Counter({("all", ""): len(cat.entries)})
    for kind in {li.kind for li in cat.listings if li.kind != "all"}:
        counts.update((kind, value) for e in cat.entries for value in set(e.values(kind)))
    return counts


def page_model(spec: Spec, cat: Catalogue, counts: Counter[tuple[str, str]]) -> model.GenericPage:
    """Title and summary of a generated page in the catalogue's language (unique per page);
    `counts`: the catalogue's listing_counts."""
    t = l10n.labels(cat.lang, cat.site.config.default.locale)
    if spec.kind == "map":
        title, summary = t["map_title"], t["map_summary"]
    elif spec.kind == "data":
        title, summary = t["data_title"], t["data_summary"]
    elif spec.kind == "events":
        title, summary = t["event_list_title"], t["event_list_summary"]
    else:
        li = spec.listing
        count = counts[("all", "") if li.kind == "all" else (li.kind, li.key)]
        if li.kind == "all":
            title, summary = t["story_list_title"], t["story_list_summary"].format(count=count)
        else:
            value = cat.facet_label(li.kind, li.key)
            title = t[f"facet_title_{li.kind}"].format(value=value)
            summary = t[f"facet_summary_{li.kind}"].format(value=value, count=count)
        if li.pages > 1:
            page_of = t["page_of"].format(n=li.page, pages=li.pages)
            title, summary = f"{title} ({page_of})", f"{summary} ({page_of})"
    return model.GenericPage(type="page", title=title, summary=summary, template=spec.template)


def register(site: Site, catalogues: dict[str, Catalogue]) -> list[Spec]:
    """Add every generated page, in every language, to the site's pages; return the specs."""
    found = specs(catalogues[site.config.default.locale])
    for lang, cat in catalogues.items():
        counts = listing_counts(cat)
        for spec in found:
            site.pages[(lang, spec.key)] = page_model(spec, cat, counts)
    return found
