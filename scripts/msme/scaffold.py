"""New content from templates (the archetypes MkDocs lacks): a story, guide or event in its folder.

Only the original is created; the translation status then lists its translations as missing.
Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from msme import fielddocs, l10n, model
from msme.vocab import load_vocab


class Exists(FileExistsError):
    """The target already exists; nothing was written."""


def slugify(text: str) -> str:
    """'Pianos from Spain to Belgium!' -> 'pianos-from-spain-to-belgium'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-") or "untitled"


def check_country(value: str) -> str:
    """An eligible ISO country code (case-insensitive; an English country name is turned into
    its code), or ValueError saying which ones exist."""
    countries = load_vocab().countries
    by_name = {l10n.country(code, "en").casefold(): code for code in countries}
    value = value.strip()
    return load_vocab().check("countries", by_name.get(value.casefold(), value.upper()))


def check_date(value: str | dt.date) -> dt.date:
    """A date written YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD (e.g. 2023-03-14)") from None


def check_sector(value: str | None) -> str | None:
    """A NACE section letter, or None for 'unknown'."""
    value = (value or "").strip().upper()
    return None if value in ("", "-", "?") else load_vocab().check("sectors", value)


def check_duration(value: str | int | None) -> int | None:
    """A number of months within the model's bounds for `duration_months`, or None when the
    source does not say."""
    if value is None or str(value).strip() in ("", "-", "?"):
        return None
    low, high = model.bounds(model.field_at(model.Story, "duration_months"))
    try:
        months = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number of months ({low} to {high})") from None
    if not low <= months <= high:
        raise ValueError(f"{months} months is outside the programme's {low} to {high} months")
    return months


def _keys(value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else value.split(",")  # already parsed, or as typed
    return [v.strip() for v in items if v.strip()]


def check_types(value: str | list[str]) -> list[str]:
    """Comma-separated collaboration-type keys, each checked."""
    keys = _keys(value)
    if not keys:
        raise ValueError("give at least one type of collaboration")
    return [load_vocab().check("collaboration_types", k) for k in keys]


def check_audiences(value: str | list[str]) -> list[str]:
    """Comma-separated audience keys, each checked."""
    keys = _keys(value)
    if not keys:
        raise ValueError("give at least one audience")
    return [load_vocab().check("audiences", k) for k in keys]


@dataclass
class StoryAnswers:
    """What the `new story` command asks for."""

    title: str
    summary: str
    sending_name: str
    sending_country: str
    host_name: str
    host_country: str
    collaboration_types: list[str]
    source_title: str
    source_url: str
    duration_months: int | None = None
    sending_sector: str | None = None
    host_sector: str | None = None
    slug: str = ""
    published: dt.date = field(default_factory=dt.date.today)


# The example sentence each new page's text starts from (here and in the web editor).
STORY_TEXT = "Write the story here."
GUIDE_TEXT = "Write the guide here, from the sources listed."
RECAP_TEXT = "Write the recap here, from the sources listed."

PLACEHOLDERS = {
    STORY_TEXT,
    GUIDE_TEXT,
    RECAP_TEXT,
    "What the sending company was seeking.",
    "What the host company was seeking.",
    "A main activity, one per line.",
    "A result for the host company.",
    "A result for the sending company.",
    "What to do, in one or two sentences.",
}

STORY_BODY = f"""
<!--
  The story in the programme's format. The fact box, "what they were seeking", the main
  activities and the results for each company come from the front matter above; write them
  there. Below, tell the story in a few short paragraphs, only from the sources listed.
  Photos: put them in this folder and list them under images: with alt text and credit;
  everyone pictured, quoted or named needs a record in data/consent.yml.
-->

{STORY_TEXT}
"""


def _initial_status(ctype: str) -> str:
    """The status a new page starts with, as the model says (the web editor's default too)."""
    return model.facts(model.field_at(model.MODELS[ctype], "status"))["initial"]


def _front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) + "---\n"


def _write_new(path: Path, text: str) -> Path:
    """Create `path` with `text`, refusing if it (or for an index.md, its folder) exists."""
    if path.exists() or (path.name == "index.md" and path.parent.exists()):
        raise Exists(f"{path} already exists; nothing was written (choose another title or --slug)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite, even in a race
        out.write(text)
    return path


def new_story(docs_dir: Path, a: StoryAnswers) -> Path:
    """docs/stories/<slug>/index.md as a draft in the programme's story format."""
    slug = a.slug or slugify(a.title)
    sending = {"name": a.sending_name, "country": a.sending_country}
    host = {"name": a.host_name, "country": a.host_country}
    if a.sending_sector:
        sending["sector"] = a.sending_sector
    if a.host_sector:
        host["sector"] = a.host_sector
    data: dict = {
        "title": a.title,
        "summary": a.summary,
        "status": _initial_status("story"),
        "published": a.published,
        "sending": sending,
        "host": host,
    }
    if a.duration_months:
        data["duration_months"] = a.duration_months
    data |= {
        "collaboration_types": a.collaboration_types,
        "sought": {"sending": "What the sending company was seeking.", "host": "What the host company was seeking."},
        "activities": ["A main activity, one per line."],
        "results": {
            "kind": "expected",
            "host": ["A result for the host company."],
            "sending": ["A result for the sending company."],
        },
        "people": [],
        "images": [],
        "sources": [{"title": a.source_title, "url": a.source_url, "confidence": "sure"}],
    }
    return _write_new(docs_dir / "stories" / slug / "index.md", _front_matter(data) + STORY_BODY)


def new_guide(docs_dir: Path, *, title: str, summary: str, audiences: list[str], slug: str = "") -> Path:
    """docs/guides/<slug>.md with audience, review date and an example step."""
    data = {
        "title": title,
        "summary": summary,
        "status": _initial_status("guide"),
        "audiences": audiences,
        "reviewed": dt.date.today(),
        "steps": [{"title": "First step", "text": "What to do, in one or two sentences."}],
        "sources": [],
    }
    return _write_new(
        docs_dir / "guides" / f"{slug or slugify(title)}.md",
        _front_matter(data) + f"\n{GUIDE_TEXT}\n",
    )


def new_event(
    docs_dir: Path,
    *,
    title: str,
    name: str,
    start: dt.date,
    organiser: str,
    city: str = "",
    country: str = "",
    online: bool = False,
    slug: str = "",
) -> Path:
    """docs/events/<slug>.md with date, place (a city and country, or `online`) and organiser
    filled in. ValueError for an online event given a city or country, which the model leaves out."""
    if online and (city or country):
        raise ValueError(
            f"an online event has no city or country: {fielddocs.description(model.Event, 'place.online')}"
        )
    data = {
        "title": title,
        "summary": f"{name}." if online else f"{name}, {city}.",
        "status": _initial_status("event"),
        "name": name,
        "start": start,
        "place": {"online": True} if online else {"city": city, "country": country},
        "organisers": [organiser],
        "speakers": [],
        "sessions": [],
        "key_figures": [],
        "takeaways": [],
        "sources": [],
    }
    return _write_new(
        docs_dir / "events" / f"{slug or slugify(title)}.md",
        _front_matter(data) + f"\n{RECAP_TEXT}\n",
    )
