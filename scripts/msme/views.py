"""Turn validated pages into plain, localised values for the templates (which escape them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msme import l10n, media, model
from msme.consent import ConsentRecord
from msme.datafiles import DATA_TABLES, read_yaml
from msme.paths import DATA_DIR


@dataclass(frozen=True)
class Context:
    """What every view needs: the language, its labels and the consent register; and the language
    of the originals (the site's default), which values a translation cannot set stay in."""

    lang: str
    labels: dict[str, Any]
    consent: dict[str, ConsentRecord]
    original_lang: str | None = None  # None: not known, so nothing is marked

    def foreign(self, lang: str | None) -> str:
        """`lang` where it differs from the page's language (for a `lang` attribute), else ""."""
        return lang if lang and lang != self.lang else ""

    @property
    def untranslated(self) -> str:
        """The `lang` attribute of a value no translation can set (an organiser's name, an
        affiliation): the original's language where it differs from the page's, else ""."""
        return self.foreign(self.original_lang)

    def person(self, pid: str, role: str, scope: str = "name") -> str:
        """A person's name where their consent allows it, otherwise the neutral role wording."""
        rec = self.consent.get(pid)
        return rec.name if rec is not None and rec.allows(scope) else role


def organisation(org: model.Organisation, ctx: Context) -> dict[str, str]:
    """Fact-box values for one company."""
    return {
        "name": org.name or ctx.labels["not_named"],
        "country": l10n.country(org.country, ctx.lang),
        "country_code": org.country or "",
        "city": org.city or "",
        "sector": ctx.labels["sectors"].get(org.sector, "") if org.sector else "",
        "description": org.description or "",
    }


def sources(page: model.Page, ctx: Context) -> list[dict[str, str]]:
    """Source list with a localised note on how sure each one is. A title is the document's own,
    in its language (`lang`, else the originals'), marked where that is not the page's; a title a
    translation gives in its own words is in the page's language."""
    return [
        {
            "title": s.title,
            "lang": "" if s.translated else ctx.foreign(s.lang or ctx.original_lang),
            "url": str(s.url),
            "confidence": ctx.labels["source_confidence"][s.confidence],
        }
        for s in page.sources
    ]


def quotes(
    page: model.Story | model.Event, ctx: Context, roles: dict[str, str], affiliations: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """Quotes whose speaker has consented to being quoted (the rest are dropped), each with the
    `lang` of its words where they are not in the page's language. A quote a translation gives in
    its own words is in the page's language, and says it is a translation (`translated`: the label)."""
    out = []
    for q in page.quotes:
        rec = ctx.consent.get(q.person)
        if rec is None or not rec.allows("quote"):
            continue
        role = roles.get(q.person, "")
        affiliation = (affiliations or {}).get(q.person, "")
        out.append(
            {
                "text": q.text,
                "lang": "" if q.translated else ctx.foreign(q.lang),
                "translated": ctx.labels["quote_translated"] if q.translated else "",
                "name": ctx.person(q.person, ""),  # "" without consent to be named: role alone
                "role": role,
                "affiliation": affiliation,
                "affiliation_lang": ctx.untranslated,
                "source_url": str(page.sources[q.source].url) if q.source < len(page.sources) else "",
            }
        )
    return out


def story(page: model.Story, ctx: Context) -> dict[str, Any]:
    """Everything a story page shows, localised."""
    lab = ctx.labels
    roles = {p.id: p.role for p in page.people}
    period = " – ".join(x for x in (l10n.date(page.period.start, ctx.lang), l10n.date(page.period.end, ctx.lang)) if x)
    return {
        "sending": organisation(page.sending, ctx),
        "host": organisation(page.host, ctx),
        "duration": l10n.months(page.duration_months, ctx.lang) if page.duration_months else lab["not_stated"],
        "period": period,
        "types": [lab["collaboration"][t] for t in page.collaboration_types],
        "sought": page.sought.model_dump(),
        "activities": page.activities,
        "results_heading": lab["results_expected" if page.results.kind == "expected" else "results_reported"],
        "results": [
            (lab[key], items)
            for key, items in (
                ("results_both", page.results.both),
                ("results_host", page.results.host),
                ("results_sending", page.results.sending),
            )
            if items
        ],
        "quotes": quotes(page, ctx, roles),
        "sources": sources(page, ctx),
        "published": l10n.date(page.published, ctx.lang),
    }


def guide(page: model.Guide, ctx: Context) -> dict[str, Any]:
    """Audience, review date, steps and an optional data table."""
    return {
        "audiences": [ctx.labels["audiences"][a] for a in page.audiences],
        "reviewed": l10n.date(page.reviewed, ctx.lang),
        "steps": [s.model_dump() for s in page.steps],
        "table": data_table(page.data_table, ctx) if page.data_table else None,
        "sources": sources(page, ctx),
    }


def event(page: model.Event, ctx: Context) -> dict[str, Any]:
    """Date, place, figures, speakers by session, takeaways."""
    speakers = {
        s.person: {
            "name": ctx.person(s.person, f"{s.role}, {s.affiliation}"),
            "role": s.role,
            "affiliation": s.affiliation,
        }
        for s in page.speakers
    }
    return {
        "when": l10n.date_range(page.start, page.end, ctx.lang),
        "where": ctx.labels.get("event_online", "Online")
        if page.place.online
        else ", ".join(
            x
            for x in (
                page.place.venue,
                page.place.city,
                l10n.country(page.place.country, ctx.lang) if page.place.country else None,
            )
            if x
        ),
        "attendees": l10n.number(page.attendees, ctx.lang) if page.attendees is not None else "",
        "organisers": page.organisers,
        # Organisers and affiliations are not translatable: they stay in the original's language.
        "untranslated_lang": ctx.untranslated,
        "figures": figures(page, ctx),
        "sessions": [{"title": s.title, "speakers": [speakers[p] for p in s.speakers]} for s in page.sessions],
        "takeaways": page.takeaways,
        "quotes": quotes(
            page, ctx, {s.person: s.role for s in page.speakers}, {s.person: s.affiliation for s in page.speakers}
        ),
        "sources": sources(page, ctx),
    }


def figures(page: model.Event | model.GenericPage, ctx: Context) -> list[dict[str, str]]:
    """Key figures formatted for the language, each with its source link."""
    return [
        {
            "value": l10n.figure(f.value, f.unit, ctx.lang),
            "label": f.label,
            "source_url": str(page.sources[f.source].url) if f.source < len(page.sources) else "",
        }
        for f in page.key_figures
    ]


def generic(page: model.GenericPage, ctx: Context) -> dict[str, Any]:
    """Key figures and sources of a plain page."""
    return {"figures": figures(page, ctx), "sources": sources(page, ctx)}


def data_table(name: str, ctx: Context, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Rows of a data table from data/<name>.yml, localised and sorted by country name."""
    raw = read_yaml(data_dir / f"{name}.yml", DATA_TABLES[name])
    if name == "grants":
        rows = sorted(
            (
                {"country": l10n.country(code, ctx.lang), "code": code, "amount": l10n.money(eur, ctx.lang)}
                for code, eur in raw["per_month"].items()
            ),
            key=lambda r: l10n.sort_key(r["country"]),
        )
        return {
            "kind": name,
            "rows": rows,
            "disability": l10n.money(raw["disability_rate"], ctx.lang),
            "source": raw["source"],
        }
    rows = sorted(
        (
            {
                **row,
                **_in_language("note", row.get("note"), ctx),
                "country_name": l10n.country(row["country"], ctx.lang),
                "confidence": ctx.labels["source_confidence"].get(row.get("confidence", "sure"), ""),
            }
            for row in raw
        ),
        key=lambda r: l10n.sort_key(r["country_name"]),
    )
    return {"kind": name, "rows": rows}


def _in_language(key: str, value: Any, ctx: Context) -> dict[str, str]:
    """`key` and `key_lang` (its `lang` attribute) of a data-file value written per language
    (`{en: …, fr: …}`) or as one text in the originals' language: the page's where the file has it."""
    if isinstance(value, dict):
        if value.get(ctx.lang):
            return {key: str(value[ctx.lang]), f"{key}_lang": ""}
        value = value.get(ctx.original_lang or "")
    return {key: str(value or ""), f"{key}_lang": ctx.untranslated if value else ""}


def story_card(entry: Any, url: str, ctx: Context, image: dict[str, Any] | None = None) -> dict[str, Any]:
    """One card of a story list (entry: a catalogue Entry)."""
    page = entry.story
    return {
        "url": url,
        "title": page.title,
        "summary": page.summary,
        "lang": entry.lang,
        "exchange": ctx.labels["exchange"].format(
            sending=l10n.country(page.sending.country, ctx.lang), host=l10n.country(page.host.country, ctx.lang)
        ),
        "sector": ", ".join(ctx.labels["sectors"][s] for s in entry.sectors),
        "year": entry.year,  # of the exchange, never of publication on this site
        "date": page.period.start or page.period.end or "",  # the <time> element's machine-readable value
        "image": image,
    }


def card_image(site: Any, entry: Any, page_url: str) -> dict[str, Any] | None:
    """A story's first picture at list-card size (`media.thumbnail`), URL relative to the page
    at `page_url`; None without a picture. (site: the validated Site; entry: an Entry.)"""
    return media.thumbnail(site, entry.rel, entry.story, page_url)


def listing(cat: Any, li: Any, ctx: Context, *, rel_url: Any, image_for: Any) -> dict[str, Any]:
    """A list page: its cards, its pagination and the facet links with counts.

    rel_url(path) turns a default-language URL path into a link relative to this page;
    image_for(entry) gives a card's picture or None.
    """
    facets = []
    for kind, ordered in cat.facet_menu.items():
        values = [
            {
                "key": key,
                "label": label,
                "count": count,
                "url": rel_url(f"stories/{kind}/{key.lower()}/"),
                "current": li.kind == kind and li.key == key,
            }
            for key, label, count in ordered
        ]
        facets.append({"kind": kind, "heading": ctx.labels[f"facet_{kind}"], "values": values})
    return {
        "heading": ctx.labels["story_list_heading"]
        if li.kind == "all"
        else ctx.labels[f"facet_title_{li.kind}"].format(value=cat.facet_label(li.kind, li.key)),
        "cards": [story_card(e, rel_url(e.path), ctx, image_for(e)) for e in li.entries],
        "page": li.page,
        "pages": [{"n": n, "url": rel_url(li.page_path(n)), "current": n == li.page} for n in range(1, li.pages + 1)],
        "prev": rel_url(li.page_path(li.page - 1)) if li.page > 1 else "",
        "next": rel_url(li.page_path(li.page + 1)) if li.page < li.pages else "",
        "all_url": rel_url("stories/"),
        "is_all": li.kind == "all",
        "facets": facets,
        "total": len(cat.entries),
    }


def search_facts(cat: Any) -> dict[str, str]:
    """Per story location (relative to its language root): summary and fact-box words to index."""
    labels = l10n.labels(cat.lang, cat.site.config.default.locale)
    out = {}
    for e in cat.entries:
        s = e.story
        words = [
            s.summary,
            s.sending.name or "",
            s.host.name or "",
            l10n.country(s.sending.country, cat.lang),
            l10n.country(s.host.country, cat.lang),
            *(labels["sectors"][x] for x in e.sectors),
            *(labels["collaboration"][t] for t in s.collaboration_types),
        ]
        out[e.path] = " ".join(w for w in words if w)
    return out


VIEWS = {"story": story, "guide": guide, "event": event, "page": generic}


def for_page(page: model.Page, ctx: Context) -> dict[str, Any]:
    """The view for any page, chosen by its type."""
    return VIEWS[page.type](page, ctx)
