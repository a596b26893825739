"""Open data: stories, events, grants by host country, Local Contact Points and the country list as
JSON and CSV per language, with stable, documented field names (their Table Schemas:
`msme.datapackage`; the DCAT-AP catalogue describing them: `msme.dcat`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from msme import fielddocs, l10n
from msme.catalogue import Catalogue
from msme.datafiles import DATA_TABLES, read_yaml
from msme.model import Event, Story
from msme.paths import DATA_DIR
from msme.urls import absolute, lang_path
from msme.vocab import load_vocab

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column name -> the model field it comes from; the words are the field's (msme.fielddocs).
# Names are stable: add columns (at the end, so CSV positions hold too), never rename or remove one.
STORY_COLUMNS: dict[str, str] = {
    "title": "title",
    "summary": "summary",
    "published": "published",
    "sending_name": "sending.name",
    "sending_country": "sending.country",
    "sending_sector": "sending.sector",
    "host_name": "host.name",
    "host_country": "host.country",
    "host_sector": "host.sector",
    "duration_months": "duration_months",
    "period_start": "period.start",
    "period_end": "period.end",
    "collaboration_types": "collaboration_types",
    "sources": "sources[].url",
}
EVENT_COLUMNS: dict[str, str] = {
    "name": "name",
    "title": "title",
    "summary": "summary",
    "start": "start",
    "end": "end",
    "city": "place.city",
    "country": "place.country",
    "attendees": "attendees",
    "organisers": "organisers",
    "sources": "sources[].url",
}
# Columns the site adds, which no content field holds.
ADDED: dict[str, str] = {
    "id": "Stable identifier (the page's folder or file name).",
    "url": "Address of the page in this language.",
    "language": "Language of title and summary (ISO 639-1).",
    "sending_country_name": "Sending company's country, in this language.",
    "host_country_name": "Host company's country, in this language.",
    "image": "Address of the story's first picture (480 px WebP), if any.",
    "exchange_year": "Year of the exchange (of period_start, else of period_end); empty when the sources give none.",
}
STORY_ORDER = (
    "id", "url", "language", "title", "summary", "published", "sending_name", "sending_country",
    "sending_country_name", "sending_sector", "host_name", "host_country", "host_country_name", "host_sector",
    "duration_months", "period_start", "period_end", "collaboration_types", "image", "sources",
    "exchange_year",
)  # fmt: skip
EVENT_ORDER = (
    "id", "url", "language", "name", "title", "summary", "start", "end", "city", "country", "attendees",
    "organisers", "sources",
)  # fmt: skip


def field_docs(cls: type[BaseModel], columns: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    """Column name -> description, in the datasets' column order."""
    return {name: ADDED[name] if name in ADDED else fielddocs.column(cls, columns[name]) for name in order}


STORY_FIELDS: dict[str, str] = field_docs(Story, STORY_COLUMNS, STORY_ORDER)
EVENT_FIELDS: dict[str, str] = field_docs(Event, EVENT_COLUMNS, EVENT_ORDER)
# The tables built from data/ files, which no content model describes: their words are here.
GRANT_FIELDS: dict[str, str] = {
    "country": "Host country (ISO 3166-1 alpha-2 code); the grant depends on where the employee is hosted.",
    "country_name": "Host country, in this language.",
    "monthly_grant_eur": "Grant per month of exchange, in euro, paid by the sending partner organisation to the "
    "sending company.",
    "monthly_grant_disability_eur": "Grant per month, in euro, for an employee with a disability (the same in "
    "every host country).",
    "source_url": "Page the figures come from.",
}
CONTACT_POINT_FIELDS: dict[str, str] = {
    "organisation": "Partner organisation acting as Local Contact Point.",
    "country": "Country it covers (ISO 3166-1 alpha-2 code).",
    "country_name": "Country it covers, in this language.",
    "note": "Its role, where a source gives one (in the dataset's language).",
    "source_url": "Page that ties the organisation to the programme and the country.",
    "confidence": "How sure that page is: sure (the programme's own page), likely (a partner's or third "
    "party's page), unsure (partly read or inferred).",
}
COUNTRY_FIELDS: dict[str, str] = {
    "code": "ISO 3166-1 alpha-2 code, as the other tables write countries.",
    "name": "Country, in this language (short names of the EU Interinstitutional Style Guide).",
    "eligible": "Whether companies there could take part in the programme.",
    "partner": "Whether a partner organisation of the programme is based there.",
}
# Every dataset, in the order the Data page and the catalogue list them: name -> its columns' words.
DATASETS: dict[str, dict[str, str]] = {
    "stories": STORY_FIELDS,
    "events": EVENT_FIELDS,
    "grants": GRANT_FIELDS,
    "contact_points": CONTACT_POINT_FIELDS,
    "countries": COUNTRY_FIELDS,
}
FORMATS = {"json": "application/json", "csv": "text/csv"}  # file extension -> media type
# Where each table built from data/ comes from (the content tables: each record's own sources).
SOURCE_FILES = {"grants": "data/grants.yml", "contact_points": "data/contact_points.yml",
                "countries": "data/vocabularies.yml"}  # fmt: skip


def _lang_url(cat: Catalogue, path: str) -> str:
    return absolute(cat.site.config.site_url, lang_path(path, cat.lang, cat.site.config.default.locale))


def story_records(cat: Catalogue, image_for: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One record per published story, in catalogue order (newest first)."""
    records = []
    for e in cat.entries:
        s = e.story
        records.append(
            {
                "id": e.rel.removeprefix("stories/").removesuffix("/index.md").removesuffix(".md"),
                "url": _lang_url(cat, e.path),
                "language": e.lang,
                "title": s.title,
                "summary": s.summary,
                "published": s.published.isoformat() if s.published else "",
                "sending_name": s.sending.name or "",
                "sending_country": s.sending.country or "",
                "sending_country_name": l10n.country(s.sending.country, cat.lang),
                "sending_sector": s.sending.sector or "",
                "host_name": s.host.name or "",
                "host_country": s.host.country or "",
                "host_country_name": l10n.country(s.host.country, cat.lang),
                "host_sector": s.host.sector or "",
                "duration_months": s.duration_months,
                "period_start": s.period.start or "",
                "period_end": s.period.end or "",
                "collaboration_types": list(s.collaboration_types),
                "image": (image_for or {}).get(e.rel, ""),
                "sources": [str(src.url) for src in s.sources],
                "exchange_year": e.year,
            }
        )
    return records


def event_records(cat: Catalogue) -> list[dict[str, Any]]:
    """One record per event recap."""
    return [
        {
            "id": rel.removeprefix("events/").removesuffix(".md"),
            "url": _lang_url(cat, path),
            "language": tl,
            "name": ev.name,
            "title": ev.title,
            "summary": ev.summary,
            "start": ev.start.isoformat(),
            "end": (ev.end or ev.start).isoformat(),
            "city": ev.place.city or "",  # none for an online meeting
            "country": ev.place.country or "",
            "attendees": ev.attendees,
            "organisers": list(ev.organisers),
            "sources": [str(src.url) for src in ev.sources],
        }
        for rel, path, ev, tl in cat.events()
    ]


def data_table(name: str, data_dir: Path = DATA_DIR) -> Any:
    """One of data/'s tables as the file holds it (grants, contact_points)."""
    return read_yaml(data_dir / f"{name}.yml", DATA_TABLES[name])


def grant_records(lang: str, data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """One record per host country of data/grants.yml, in the file's order."""
    raw = data_table("grants", data_dir)
    return [
        {
            "country": code,
            "country_name": l10n.country(code, lang),
            "monthly_grant_eur": eur,
            "monthly_grant_disability_eur": raw["disability_rate"],
            "source_url": raw["source"]["url"],
        }
        for code, eur in raw["per_month"].items()
    ]


def _note(note: Any, lang: str) -> str:
    """A note as written, or its text in `lang` (else English) where the file gives one per language."""
    if isinstance(note, dict):
        return str(note.get(lang) or note.get("en") or "")
    return str(note or "")


def contact_point_records(lang: str, data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """One record per Local Contact Point of data/contact_points.yml, in the file's order."""
    return [
        {
            "organisation": row["organisation"],
            "country": row["country"],
            "country_name": l10n.country(row["country"], lang),
            "note": _note(row.get("note"), lang),
            "source_url": row["url"],
            "confidence": row.get("confidence", "sure"),
        }
        for row in data_table("contact_points", data_dir)
    ]


def country_records(lang: str) -> list[dict[str, Any]]:
    """One record per country of data/vocabularies.yml: the list every country column points to."""
    return [
        {
            "code": code,
            "name": l10n.country(code, lang),
            "eligible": bool(facts.get("eligible")),
            "partner": bool(facts.get("partner")),
        }
        for code, facts in load_vocab().countries.items()
    ]


def records(name: str, cat: Catalogue, image_for: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The records of dataset `name` in the catalogue's language."""
    if name == "stories":
        return story_records(cat, image_for)
    if name == "events":
        return event_records(cat)
    return {"grants": grant_records, "contact_points": contact_point_records, "countries": country_records}[name](
        cat.lang
    )


def source_of(name: str) -> dict[str, str] | None:
    """The source a table built from data/ names ({title, url}), or None."""
    if name == "grants":
        return dict(data_table("grants")["source"])
    return None


def last_modified(cat: Catalogue) -> str:
    """Latest publication or event date in the data (deterministic, unlike the clock)."""
    dates = [e.story.published.isoformat() for e in cat.entries if e.story.published]
    dates += [ev.start.isoformat() for _, _, ev, _ in cat.events()]
    return max(dates, default="")


def to_json(records: list[dict[str, Any]], fields: dict[str, str], cat: Catalogue, title: str, source: str = "") -> str:
    """The dataset as JSON: metadata (licence, publisher, source, fields) and `records`."""
    meta = {
        "title": title,
        "publisher": cat.site.config.identity.publisher,
        "license": LICENCE,
        "license_url": LICENCE_URL,
        "language": cat.lang,
        "modified": last_modified(cat),
    }
    if source:
        meta["source"] = source
    return (
        json.dumps(
            {
                **meta,
                "fields": fields,
                "records": records,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists joined with ';', None empty, and text a spreadsheet would run as a
    formula (=, +, -, @, tab, carriage return first) prefixed with ' as OWASP advises, booleans
    as true/false. Numbers stay numbers: a negative count is not a formula."""
    if isinstance(value, list):
        value = ";".join(value)
    if isinstance(value, bool):  # Table Schema's booleans, not Python's True/False
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(records: list[dict[str, Any]], fields: dict[str, str]) -> str:
    """The dataset as CSV with a header row (cells: csv_cell; the JSON keeps values as they are)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: csv_cell(v) for k, v in rec.items()})
    return out.getvalue()


def source_text(name: str) -> str:
    """Where a table built from data/ comes from, in words: its file and the page it cites."""
    if name not in SOURCE_FILES:
        return ""
    cited = source_of(name)
    return f"{SOURCE_FILES[name]}" + (f", from {cited['title']} <{cited['url']}>" if cited else "")


def write(cat: Catalogue, lang_dir: Path, image_for: dict[str, str] | None = None) -> dict[str, int]:
    """Write data/<dataset>.{json,csv} for every dataset under a language's root; return sizes."""
    folder = lang_dir / "data"
    folder.mkdir(parents=True, exist_ok=True)
    labels = l10n.labels(cat.lang, cat.site.config.default.locale)
    files = {}
    for name, fields in DATASETS.items():
        rows = records(name, cat, image_for)
        files[f"{name}.json"] = to_json(rows, fields, cat, labels[f"data_{name}_title"], source_text(name))
        files[f"{name}.csv"] = to_csv(rows, fields)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: len(text.encode()) for name, text in files.items()}
