"""Open data: stories and events as JSON and CSV per language, with stable, documented field names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from msme import l10n
from msme.catalogue import Catalogue
from msme.urls import absolute

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Field name -> description. Names are stable: add fields, never rename or remove one.
STORY_FIELDS: dict[str, str] = {
    "id": "Stable identifier of the story (its folder name).",
    "url": "Address of the story in this language.",
    "language": "Language of title and summary (ISO 639-1).",
    "title": "Title of the story.",
    "summary": "One- or two-sentence summary.",
    "published": "Date the story was published on this site (YYYY-MM-DD).",
    "sending_name": "Name of the sending company (empty if the sources do not give it).",
    "sending_country": "Sending company's country, ISO 3166-1 alpha-2.",
    "sending_country_name": "Sending company's country, in this language.",
    "sending_sector": "Sending company's NACE Rev. 2 section letter, if known.",
    "host_name": "Name of the host company.",
    "host_country": "Host company's country, ISO 3166-1 alpha-2.",
    "host_country_name": "Host company's country, in this language.",
    "host_sector": "Host company's NACE Rev. 2 section letter, if known.",
    "duration_months": "Length of the exchange in months (1-6), if known.",
    "period_start": "First month of the exchange (YYYY-MM), if known.",
    "period_end": "Last month of the exchange (YYYY-MM), if known.",
    "collaboration_types": "Kinds of collaboration (programme's list); ';'-separated in CSV.",
    "image": "Address of the story's first picture (480 px WebP), if any.",
    "sources": "Addresses of the public sources; ';'-separated in CSV.",
}
EVENT_FIELDS: dict[str, str] = {
    "id": "Stable identifier of the event (its file name).",
    "url": "Address of the event recap in this language.",
    "language": "Language of title and summary (ISO 639-1).",
    "name": "The event's official name.",
    "title": "Title of the recap.",
    "summary": "One- or two-sentence summary.",
    "start": "First day (YYYY-MM-DD).",
    "end": "Last day (YYYY-MM-DD).",
    "city": "City.",
    "country": "Country, ISO 3166-1 alpha-2.",
    "attendees": "Number of attendees, if known.",
    "organisers": "Organisations that ran it; ';'-separated in CSV.",
    "sources": "Addresses of the public sources; ';'-separated in CSV.",
}


def _lang_url(cat: Catalogue, path: str) -> str:
    prefix = "" if cat.lang == cat.site.config.default.locale else f"{cat.lang}/"
    return absolute(cat.site.config.site_url, prefix + path)


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
            "city": ev.place.city,
            "country": ev.place.country,
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
