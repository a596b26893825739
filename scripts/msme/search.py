"""What of each page is searchable (its records), and each language's index from them.

A page's records are computed when the page is rendered (`page_records`) and kept on the build
as `build.search_records[(lang, page_url)]`, plain JSON, so a build that reuses a page's output
reuses its records too; `write_indexes` assembles every language's index from them at the end
(`msme.searchindex`): no page is read again.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msme import searchindex, urls, views
from msme.site import GENERATED

if TYPE_CHECKING:
    from msme.build import Build
    from msme.pageview import Source

STORY_TEXT_CHARS = 600  # body text kept per story: enough to find it by what it is about
SECTIONS = {"h2", "h3"}  # a heading with an id starts a result of its own (guides, pages, events)
FOLDER = "search"  # under each language's folder
# Tags that end a word, as the browser's layout would; inline ones (a, em, strong) do not.
INLINE = {"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u"}


class _Sections(HTMLParser):
    """A page's text split at its h2/h3 headings: [(anchor, heading, text)], the first with no
    anchor (the text before the first heading). An h1 is the title, already indexed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[Any]] = [["", [], []]]
        self.heading: str | None = None  # the tag of the heading being read
        self.skip = 0  # inside an h1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id")
        if tag in SECTIONS and anchor:
            self.sections.append([anchor, [], []])
            self.heading = tag
        elif tag == "h1":
            self.skip += 1
        self._space(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.heading:
            self.heading = None
        elif tag == "h1" and self.skip:
            self.skip -= 1
        self._space(tag)

    def _space(self, tag: str) -> None:
        if tag not in INLINE:
            self.sections[-1][1 if self.heading else 2].append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.sections[-1][1 if self.heading else 2].append(data)


def _sections(html: str) -> list[tuple[str, str, str]]:
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return [(a, " ".join("".join(h).split()), " ".join("".join(t).split())) for a, h, t in parser.sections]


def story_facts(build: Build, lang: str) -> dict[str, str]:
    """Per story path: summary and fact-box words (companies, countries, sectors, collaboration
    types) in `lang`, computed once per language."""
    if lang not in build.search_facts:
        cat = build.catalogues.get(lang) or build.catalogues[build.default]
        build.search_facts[lang] = views.search_facts(cat)
    return build.search_facts[lang]


def page_records(build: Build, lang: str, src: Source | None, page_url: str, html: str) -> list[dict[str, Any]]:
    """The searchable documents of one rendered page (`html`: its sanitised text), addresses
    relative to the language's folder. None for generated pages (their stories are indexed
    themselves) and for a page shown in the original's language (not searchable in this one).

    A story is one document (title, summary, fact-box words and the start of its text); other
    pages give one per h2/h3 section, as readers look for a passage of a guide."""
    if src is None or src.fallback or src.key.startswith(GENERATED):
        return []
    path = urls.default_path(page_url, lang, build.default)
    title = str(src.model.title)
    parts = _sections(html)
    if src.model.type == "story":
        text = " ".join(x for _, h, t in parts for x in (h, t) if x)[:STORY_TEXT_CHARS]
        facts = story_facts(build, lang).get(path, "")
        return [searchindex.record(path, title, text, facts, summary=str(src.model.summary))]
    out = []
    for anchor, heading, text in parts:
        if not anchor:
            out.append(searchindex.record(path, title, text, summary=text or str(src.model.summary)))
        else:
            out.append(searchindex.record(f"{path}#{anchor}", heading or title, text))
    return out


def write_indexes(build: Build, site_dir: Path) -> dict[str, dict[str, int]]:
    """Each language's index under `<lang>/search/` from the pages' records; file → bytes per
    language. Only the languages this process renders (a parallel worker writes its own)."""
    by_lang: dict[str, list[dict[str, Any]]] = {lang: [] for lang in build.languages() if build.options.owns(lang)}
    for (lang, _url), records in build.search_records.items():
        if lang in by_lang:
            by_lang[lang].extend(records)
    out = {}
    for lang, records in by_lang.items():
        target = site_dir / urls.lang_prefix(lang, build.default) / FOLDER
        out[lang] = searchindex.write(records, target)
    return out
