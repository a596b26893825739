"""Split the site-wide search index into one index per language, each with the right stemmer."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from msme.sanitize import clean
from msme.urls import lang_prefix

INDEX = Path("search") / "search_index.json"


def stemmer_available(site_dir: Path, lang: str) -> bool:
    """True when the theme ships a lunr stemmer for `lang` (English is lunr's built-in)."""
    return lang == "en" or (site_dir / f"assets/javascripts/lunr/min/lunr.{lang}.min.js").is_file()


STORY_TEXT_CHARS = 600  # body text kept per story: enough to find it by what it is about


class _Text(HTMLParser):
    """The text of an HTML fragment, entities kept as written (the index holds HTML, escaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")  # a tag separates words, as the browser's layout would

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")


def _plain(html: str) -> str:
    """The words of an HTML fragment, one space apart."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def safe(doc: dict) -> dict:
    """An index entry whose title and text hold nothing but allowed HTML.

    Material's search shows both as HTML. They arrive escaped (titles as Markup from the glue,
    text by Material's own parser); this keeps a slip anywhere upstream from reaching readers."""
    return {**doc, "title": clean(doc["title"]), "text": clean(doc["text"])}


def shape_stories(docs: list[dict], stories: dict[str, str]) -> list[dict]:
    """One compact entry per story instead of one per section.

    `stories` maps a story's location to its summary and fact-box words (countries, sector,
    collaboration types) as plain text, escaped here. Titles, summaries, fact-box values and
    the start of the body are indexed; the rest of a long story is not, which keeps a
    language's index near 1 KB a story (1.5 MiB budget at 1,000 stories). Guides, events and
    pages keep every section.
    """
    out = []
    for doc in docs:
        loc = doc["location"]
        page, _, anchor = loc.partition("#")
        if page in stories:
            if anchor:
                continue  # a story's sections are folded into its one entry
            text = f"{escape(stories[page], quote=False)} {_plain(doc['text'])[:STORY_TEXT_CHARS]}"
            out.append(safe({"location": loc, "title": doc["title"], "text": text}))
        else:
            out.append(safe(doc))
    return out


def split_index(
    site_dir: Path,
    locales: list[str],
    default: str,
    stories: dict[str, dict[str, str]] | None = None,
    fallbacks: dict[str, set[str]] | None = None,
) -> dict[str, int]:
    """Rewrite search/search_index.json per language under <lang>/search/; return entries per language.

    Locations become relative to the language's root, which is the `base` its pages give
    Material's search. A language without a stemmer gets no stemming and no (English) stop
    words, so Polish or Irish text is matched as written rather than mangled.
    """
    combined = site_dir / INDEX
    if not combined.exists():
        return {}
    data = json.loads(combined.read_text(encoding="utf-8"))
    others = [lang for lang in locales if lang != default]
    counts = {}
    for lang in locales:
        prefix = lang_prefix(lang, default)
        if lang == default:
            docs = [d for d in data["docs"] if not d["location"].startswith(tuple(f"{o}/" for o in others))]
        else:
            docs = [
                {**d, "location": d["location"][len(prefix) :]}
                for d in data["docs"]
                if d["location"].startswith(prefix)
            ]
        # A page shown in the original's language is not searchable in this one.
        skip = (fallbacks or {}).get(lang, set())
        docs = [d for d in docs if d["location"].partition("#")[0] not in skip]
        docs = shape_stories(docs, (stories or {}).get(lang, {}))
        config = dict(data["config"])
        if stemmer_available(site_dir, lang):
            config["lang"] = [lang]
        else:
            config["lang"], config["pipeline"] = ["en"], []
        target = site_dir / prefix / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        counts[lang] = len(docs)
    return counts
