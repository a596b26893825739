"""Finding stories: lists, facets, map, feeds, open data and related stories, in every language."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from benchmarks.corpus import story_markdown

from conftest import FIXTURES, ROOT, Build, build, make_project, serve
from msme import catalogue, charts
from msme.validate import load_site
from test_i18n import BUILT_LANGS

FACET_PAGES = [
    "stories/country/es/",
    "stories/country/be/",
    "stories/country/it/",
    "stories/type/training/",
    "stories/year/2021/",
]


def _prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def _published() -> list[str]:
    site = load_site()
    return [e.rel for e in catalogue.build(site, "en").entries]


def _event_starts() -> list[str]:
    """Start dates of the event pages, as the catalogue lists them."""
    return [event.start.isoformat() for _, _, event, _ in catalogue.build(load_site(), "en").events()]


@pytest.mark.parametrize("lang", BUILT_LANGS)
def test_everything_exists_in_every_language(real_site: Build, lang: str) -> None:
    """List, facet pages, map, data page, feed and data files are built for each language."""
    p = real_site.site / _prefix(lang)
    for rel in [
        "stories/index.html",
        "stories/map/index.html",
        "data/index.html",
        "feed.xml",
        "data/stories.json",
        "data/stories.csv",
        "data/events.json",
        "data/events.csv",
        *[f"{f}index.html" for f in FACET_PAGES],
    ]:
        assert (p / rel).is_file(), f"{lang}: {rel}"


@pytest.mark.parametrize("lang", BUILT_LANGS)
def test_feed_parses_with_absolute_links(real_site: Build, lang: str) -> None:
    """The Atom feed parses without error, lists every published story and the event, links absolute,
    and every page of the language links to it from its head."""
    feed = feedparser.parse((real_site.site / _prefix(lang) / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.language == lang
    links = [e.link for e in feed.entries]
    assert len(links) == len(_published()) + len(_event_starts()) == 3 + 2  # stories + events
    assert all(u.startswith(f"https://mobilise-sme.example.org/{_prefix(lang)}") for u in links)
    html = real_site.html(f"{_prefix(lang)}guides/who-can-take-part/index.html")
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="\.\./\.\./feed\.xml">', html
    )


@pytest.mark.parametrize("lang", BUILT_LANGS)
def test_data_files_have_one_row_per_published_story(real_site: Build, lang: str) -> None:
    """CSV and JSON hold exactly the published stories, with the documented fields and CC BY 4.0."""
    folder = real_site.site / _prefix(lang) / "data"
    data = json.loads((folder / "stories.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((folder / "stories.csv").read_text(encoding="utf-8"))))
    published = _published()
    assert len(data["records"]) == len(rows) == len(published) == 3
    assert data["license"] == "CC-BY-4.0" and data["modified"] == "2026-11-29"
    assert list(rows[0]) == list(data["fields"]) == list(data["records"][0])
    assert {r["id"] for r in rows} == {rel.split("/")[1] for rel in published}
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    assert sorted(e["start"] for e in events["records"]) == sorted(_event_starts()) == ["2020-10-05", "2023-03-14"]


def test_data_page_describes_datasets(real_site: Build) -> None:
    """The Data page gives DCAT-style metadata and working download links."""
    html = real_site.html("fr/data/index.html")
    for needle in (
        "CC BY 4.0",
        "MobiliseSME",
        'href="stories.json"',
        'href="stories.csv"',
        'href="events.csv"',
        '<time datetime="2026-11-29">29 novembre 2026</time>',
        "Dernière modification",
    ):
        assert needle in html, needle
    datasets = [json.loads(x) for x in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    assert {d.get("@type") for d in datasets} >= {"Dataset"}


def test_facet_counts_and_lists(real_site: Build) -> None:
    """Facet pages list exactly the matching stories, and the list shows the counts."""
    html = real_site.html("de/stories/country/be/index.html")
    cards = re.findall(r'<h3 class="msme-card__title"><a href="([^"]+)"', html)
    assert sorted(cards) == ["../../euabout-melograno-vita/", "../../silentium-piano-queens-pianos/"]
    listing = real_site.html("stories/index.html")
    assert re.search(r'<a href="country/be/">Belgium</a> <span class="msme-count">\(2\)</span>', listing)


def test_related_stories(real_site: Build) -> None:
    """A story ends with others that share a country."""
    html = real_site.html("stories/silentium-piano-queens-pianos/index.html")
    related = html.split('class="msme-related"')[1]
    links = re.findall(r'<h3 class="msme-card__title"><a href="([^"]+)"', related)
    assert links == ["../euabout-melograno-vita/", "../audiovisuals-sustainable-tourism/"]


def test_map_svg_is_accessible_and_matches_its_table(real_site: Build) -> None:
    """The map has a title and description, and the table beside it has the same numbers."""
    html = real_site.html("it/stories/map/index.html")
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 582', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "3 storie tra 3 coppie di paesi" in svg
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"msme-num\">(\d+)</td></tr>", html)
    assert ("Belgio", "Italia", "1") in rows and len(rows) == 3
    arrows = re.findall(r"<title>([^<]+ → [^<]+: \d+)</title>", svg)
    assert len(arrows) == 3


def test_chart_escapes_labels() -> None:
    """Text in the SVG is escaped."""
    svg = charts.bar_chart([("<b>x</b>", 2)], "T<", "D&", "id")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "T&lt;" in svg


def test_new_story_appears_everywhere_and_draft_nowhere(tmp_path: Path) -> None:
    """One build: a new story is in the list, its facets, the feed, the data and the map; a draft
    story is in none of them, nor in the search index or the sitemap."""
    docs = tmp_path / "src"
    shutil.copytree(ROOT / "docs", docs)
    new = docs / "stories/fictional-new-story/index.md"
    new.parent.mkdir()
    new.write_text(story_markdown(7, countries=("PL", "GR"), sector="J"))
    draft = docs / "stories/fictional-draft/index.md"
    draft.parent.mkdir()
    draft.write_text(story_markdown(8, status="draft", countries=("FI", "MT")))
    result = build(make_project(tmp_path / "p", docs, keep_nav=True))
    assert result.code == 0, result.output
    site = result.site
    title_new, title_draft = "Fictional exchange 7", "Fictional exchange 8"
    assert title_new in (site / "stories/index.html").read_text()
    assert title_new in (site / "stories/country/pl/index.html").read_text()
    assert title_new in (site / "stories/sector/j/index.html").read_text()
    assert title_new in (site / "fr/feed.xml").read_text()
    assert "fictional-new-story" in (site / "de/data/stories.csv").read_text()
    assert (
        "PL → GR" in (site / "stories/map/index.html").read_text()
        or "Poland → Greece" in (site / "stories/map/index.html").read_text()
    )
    assert len(json.loads((site / "data/stories.json").read_text())["records"]) == 4
    assert not (site / "stories/fictional-draft").exists() and not (site / "stories/country/fi").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert title_draft not in text and "fictional-draft" not in text, path


def test_draft_real_stories_are_nowhere(real_site: Build) -> None:
    """The real drafts (Yepso!, SPACE-A Food) have no page, card, feed entry, data row or sitemap entry."""
    for path in real_site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert "stories/yepso" not in text and "stories/space-a-food" not in text, path


def test_filter_in_browser(real_site: Build, browser: object) -> None:
    """The filter combines facets, works with the keyboard, announces the count and keeps its state
    in the URL, so a reload (or a shared link) shows the same view."""
    with serve(real_site.site) as base:
        page = browser.new_page()
        page.goto(base + "es/stories/", wait_until="networkidle")
        page.focus("select[name=country]")
        page.keyboard.press("ArrowDown")  # keyboard only: first country in the list
        page.select_option("select[name=country]", "IT")
        page.wait_for_function("document.querySelector('.msme-filter__status[role=status]').textContent.length > 0")
        assert page.inner_text(".msme-filter__status[role=status]") == "2 historias coinciden."
        page.select_option("select[name=type]", "joint-research")
        assert page.inner_text(".msme-filter__status[role=status]") == "1 historias coinciden."
        assert "country=IT" in page.url and "type=joint-research" in page.url
        shown = page.eval_on_selector_all(".msme-cards:not([hidden]) .msme-card__title a", "a => a.map(x => x.href)")
        assert len(shown) == 1 and shown[0].endswith("/es/stories/euabout-melograno-vita/")
        page.goto(page.url, wait_until="networkidle")
        assert page.input_value("select[name=type]") == "joint-research"
        assert page.inner_text(".msme-filter__status[role=status]") == "1 historias coinciden."
        page.click("#msme-filter button[type=reset]")
        page.wait_for_function("document.querySelector('.msme-filter__status[role=status]').textContent === ''")
        assert "?" not in page.url
        page.close()


def test_story_list_does_not_shift_as_the_filter_loads(real_site: Build, browser: object) -> None:
    """The filter is in place from the first paint: nothing on the list moves when its script runs
    (Lighthouse measured a layout shift of 0.21 when the script unhid it)."""
    with serve(real_site.site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.add_init_script(
            "window.__shift = 0; new PerformanceObserver(list => list.getEntries().forEach(e => {"
            " if (!e.hadRecentInput) window.__shift += e.value; })).observe({type: 'layout-shift', buffered: true});"
        )
        page.goto(base + "stories/", wait_until="networkidle")
        page.wait_for_timeout(500)
        assert page.is_visible("#msme-filter")
        assert page.evaluate("window.__shift") < 0.01
        page.close()


def test_facet_pages_work_without_javascript(real_site: Build, browser: object) -> None:
    """With JavaScript off, the filter stays hidden and the facet links lead to static lists."""
    with serve(real_site.site) as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "stories/", wait_until="networkidle")
        assert not page.is_visible("#msme-filter")
        page.click(".msme-facets >> text=Italy")
        assert page.url.endswith("/stories/country/it/")
        assert len(page.query_selector_all(".msme-card")) == 2
        context.close()


def test_catalogue_paginates_large_corpora() -> None:
    """At 1,000 stories, lists are cut into pages of 24 with a link to each page."""
    site = load_site(FIXTURES / "xss", FIXTURES / "consent-empty.yml")
    cat = catalogue.build(site, "en")
    entry = cat.entries[0]
    cat.entries = [catalogue.Entry(f"stories/s{i}/index.md", f"stories/s{i}/", entry.story, "en") for i in range(1000)]
    first = [li for li in cat.listings if li.kind == "all"]
    assert len(first) == 42 and all(len(li.entries) == 24 for li in first[:-1]) and len(first[-1].entries) == 16
    assert first[1].path == "stories/page/2/" and first[0].page_path(3) == "stories/page/3/"
