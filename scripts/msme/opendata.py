"""Open data: stories and events as JSON and CSV per language, with stable, documented field names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from msme import fielddocs, l10n
from msme.catalogue import Catalogue
from msme.model import Event, Story
from msme.urls import absolute, lang_path

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


def last_modified(cat: Catalogue) -> str:
    """Latest publication or event date in the data (deterministic, unlike the clock)."""
    dates = [e.story.published.isoformat() for e in cat.entries if e.story.published]
    dates += [ev.start.isoformat() for _, _, ev, _ in cat.events()]
    return max(dates, default="")


def to_json(records: list[dict[str, Any]], fields: dict[str, str], cat: Catalogue, title: str) -> str:
    """The dataset as JSON: metadata (licence, publisher, fields) and `records`."""
    return (
        json.dumps(
            {
                "title": title,
                "publisher": cat.site.config.identity.publisher,
                "license": LICENCE,
                "license_url": LICENCE_URL,
                "language": cat.lang,
                "modified": last_modified(cat),
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
    formula (=, +, -, @, tab, carriage return first) prefixed with ' as OWASP advises. Numbers
    stay numbers: a negative count is not a formula."""
    if isinstance(value, list):
        value = ";".join(value)
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


def write(cat: Catalogue, lang_dir: Path, image_for: dict[str, str] | None = None) -> dict[str, int]:
    """Write data/stories.{json,csv} and data/events.{json,csv} under a language's root; return sizes."""
    folder = lang_dir / "data"
    folder.mkdir(parents=True, exist_ok=True)
    labels = l10n.labels(cat.lang, cat.site.config.default.locale)
    files = {
        "stories.json": to_json(story_records(cat, image_for), STORY_FIELDS, cat, labels["data_stories_title"]),
        "stories.csv": to_csv(story_records(cat, image_for), STORY_FIELDS),
        "events.json": to_json(event_records(cat), EVENT_FIELDS, cat, labels["data_events_title"]),
        "events.csv": to_csv(event_records(cat), EVENT_FIELDS),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: len(text.encode()) for name, text in files.items()}
