"""The events list (`events/` in every language) and `msme new event --online`."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, Build, build, make_project
from msme import eventlist, fielddocs, l10n, model, urls
from msme.cli import app
from msme.media import url_path
from msme.siteconfig import load_site_config
from msme.validate import load_site
from msme.vocab import load_vocab

EMPTY_CONSENT = FIXTURES / "consent-empty.yml"
HOSTILE_TITLE = 'Quokka <script>alert("events")</script> & "summit"'
HOSTILE_SUMMARY = "A fictional summit <img src=x onerror=alert(1)>."
# Fictional events added to a copy of the real docs: one published with markup in its title,
# newer than every real event; one draft, newer still, that no list may show.
EXTRA = {
    "events/quokka-summit.md": {
        "title": HOSTILE_TITLE,
        "summary": HOSTILE_SUMMARY,
        "status": "published",
        "name": "Fictional Quokka Summit",
        "start": "2024-06-01",
        "end": "2024-06-02",
        "place": {"city": "Quokkaville", "country": "BE"},
        "organisers": ["Example Fictional Chamber"],
    },
    "events/zebra-draft.md": {
        "title": "Zebra draft gathering",
        "summary": "A fictional draft event.",
        "status": "draft",
        "name": "Fictional Zebra Gathering",
        "start": "2025-01-01",
        "place": {"online": True},
        "organisers": ["Example Fictional Chamber"],
    },
}
ROW = re.compile(
    r'<li class="msme-card">.*?<h2 class="msme-card__title"(?: lang="(?P<lang>[^"]+)")?><a href="(?P<href>[^"]+)">'
    r'(?P<title>.*?)</a></h2>\s*<p class="msme-card__exchange"><time datetime="(?P<start>[^"]+)">(?P<when>[^<]*)</time>'
    r" · (?P<where>[^<]*)</p>",
    re.S,
)


@pytest.fixture(scope="module")
def events_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """The real docs plus the fictional events above, built once; returns the build and its docs."""
    root = tmp_path_factory.mktemp("events")
    project = make_project(root / "p")
    docs = project / "docs"
    for rel, meta in EXTRA.items():
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        (docs / rel).write_text(f"---\n{front}---\n\nA fictional event.\n", encoding="utf-8")
    result = build(project)
    assert result.code == 0, result.output
    return result, docs


def _rows(html: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in ROW.finditer(html)]


def _expected(docs: Path) -> tuple[list[str], dict]:
    """The published events' paths, newest first, read from the validated site (not the list code)."""
    site = load_site(docs, ROOT / "data" / "consent.yml", load_site_config(ROOT / "mkdocs.yml"))
    assert site.problems == []
    default = site.config.default.locale
    events = [
        (site.page(default, sf.rel), sf.rel)
        for sf in site.originals()
        if isinstance(site.page(default, sf.rel), model.Event) and site.page(default, sf.rel).status == "published"
    ]
    events.sort(key=lambda pair: pair[0].start, reverse=True)
    return [url_path(rel) for _, rel in events], site


def _list_page(result: Build, lang: str, default: str) -> str:
    return result.html(urls.lang_prefix(lang, default) + eventlist.PATH + "index.html")


def test_every_language_lists_its_published_events_newest_first(events_site: tuple[Build, Path]) -> None:
    """events/ exists in every configured language, with every published event once, newest first,
    each dated by Babel for the language and placed (or "online") in the language's words."""
    result, docs = events_site
    paths, site = _expected(docs)
    assert len(paths) >= 3  # two real events and the fictional one
    default = site.config.default.locale
    for lang in site.config.locales:
        rows = _rows(_list_page(result, lang, default))
        assert [r["href"] for r in rows] == [p.removeprefix(eventlist.PATH) for p in paths], lang
        labels = l10n.labels(lang, default)
        for row, path in zip(rows, paths, strict=True):
            rel = next(sf.rel for sf in site.originals() if url_path(sf.rel) == path)
            event = site.page(lang, rel) or site.page(default, rel)
            assert row["start"] == event.start.isoformat()
            assert unescape(row["when"]) == l10n.date_range(event.start, event.end, lang)
            if event.place.online:
                assert unescape(row["where"]) == labels["event_online"]
            else:
                assert l10n.country(event.place.country, lang) in unescape(row["where"])


def test_list_page_is_a_translated_page_with_alternates_and_sitemap(events_site: tuple[Build, Path]) -> None:
    """Title from the labels of each language, hreflang alternates for every language plus
    x-default, and an entry in the sitemap for each language."""
    result, _ = events_site
    config = load_site_config(ROOT / "mkdocs.yml")
    default = config.default.locale
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    titles = set()
    for lang in config.locales:
        html = _list_page(result, lang, default)
        title = l10n.labels(lang, default)["event_list_title"]
        titles.add(title)
        assert f"<h1>{title}</h1>" in html
        assert f'<html lang="{lang}"' in html
        assert len(re.findall(r'<link rel="alternate" hreflang=', html)) == len(config.locales) + 1
        loc = urls.absolute(config.site_url, urls.lang_path(eventlist.PATH, lang, default))
        assert f"<loc>{loc}</loc>" in sitemap
    assert len(titles) == len(config.locales)  # translated, not English copies


def test_a_draft_event_never_appears(events_site: tuple[Build, Path]) -> None:
    """The draft is newer than every event, yet no language's list names or links it."""
    result, _ = events_site
    config = load_site_config(ROOT / "mkdocs.yml")
    for lang in config.locales:
        html = _list_page(result, lang, config.default.locale)
        assert "zebra-draft" not in html and "Zebra draft gathering" not in html
    assert not (result.site / "events/zebra-draft").exists()


def test_a_hostile_title_is_text_and_an_untranslated_event_is_marked(events_site: tuple[Build, Path]) -> None:
    """Markup in an event's title and summary reaches the list only escaped; where the event has no
    translation, its English text carries lang="en" (as the story list marks a fallback)."""
    result, _ = events_site
    config = load_site_config(ROOT / "mkdocs.yml")
    default = config.default.locale
    for lang in config.locales:
        html = _list_page(result, lang, default)
        assert '<script>alert("events")' not in html and "<img src=x onerror" not in html
        row = next(r for r in _rows(html) if "quokka-summit" in r["href"])
        assert unescape(row["title"]) == HOSTILE_TITLE
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert row["lang"] == (None if lang == default else default)


def test_new_event_online_writes_a_valid_file(tmp_path: Path) -> None:
    """--online writes place.online and no city or country, asks for neither, and the file validates;
    its help is the model's own description of the field."""
    result = CliRunner().invoke(
        app,
        [
            "new",
            "event",
            "--docs",
            str(tmp_path),
            "--title",
            "Fictional webinar",
            "--name",
            "Fictional Webinar",
            "--start",
            "2030-05-04",
            "--organiser",
            "Example Organisation",
            "--online",
        ],
        input="",  # nothing to answer: an online event asks for no place
    )
    assert result.exit_code == 0, result.output
    meta = yaml.safe_load((tmp_path / "events/fictional-webinar.md").read_text(encoding="utf-8").split("---")[1])
    assert meta["place"] == {"online": True}
    site = load_site(tmp_path, EMPTY_CONSENT)
    assert site.problems == []
    page = site.page(site.config.default.locale, "events/fictional-webinar.md")
    assert isinstance(page, model.Event) and page.place.online and page.place.city is None
    event = typer.main.get_command(app).commands["new"].commands["event"]
    online = next(p for p in event.params if p.name == "online")
    assert online.is_flag and online.help == fielddocs.help_text(model.Event, "place.online", load_vocab())


def test_new_event_asks_for_a_place_unless_online(tmp_path: Path) -> None:
    """Without --online the city and country are asked for (a wrong country is asked again); with
    --online a city is refused and nothing is written."""
    args = ["new", "event", "--docs", str(tmp_path), "--name", "Fictional Fair", "--start", "2030-05-04"]
    args += ["--organiser", "Example Organisation"]
    asked = CliRunner().invoke(app, [*args, "--title", "Fictional fair"], input="Ghent\nxx\nbe\n")
    assert asked.exit_code == 0, asked.output
    assert "unknown country code 'XX'" in asked.output
    meta = yaml.safe_load((tmp_path / "events/fictional-fair.md").read_text(encoding="utf-8").split("---")[1])
    assert meta["place"] == {"city": "Ghent", "country": "BE"}
    refused = CliRunner().invoke(app, [*args, "--title", "Fictional both", "--online", "--city", "Ghent"])
    assert refused.exit_code == 2
    assert not (tmp_path / "events/fictional-both.md").exists()


def test_published_skips_drafts_and_sorts_newest_first(tmp_path: Path) -> None:
    """The list's values without a build: drafts out, newest first, the original's text (and its
    language) where a language has no translation."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "events", docs / "events")
    for rel, meta in EXTRA.items():
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        (docs / rel).write_text(f"---\n{front}---\n\nA fictional event.\n", encoding="utf-8")
    site = load_site(docs, ROOT / "data" / "consent.yml", load_site_config(ROOT / "mkdocs.yml"))
    assert site.problems == []
    for lang in site.config.locales:
        entries = eventlist.published(site, lang)
        starts = [e.event.start for e in entries]
        assert starts == sorted(starts, reverse=True)
        assert "events/zebra-draft.md" not in {e.rel for e in entries}
        quokka = next(e for e in entries if e.rel == "events/quokka-summit.md")
        assert quokka.lang == site.config.default.locale and quokka.event.title == HOSTILE_TITLE


def test_a_draft_event_is_in_no_feed_or_dataset(events_site: tuple[Build, Path]) -> None:
    """Feeds and open data take the events list's selection: the draft is in none of them."""
    result, _ = events_site
    files = [*result.site.rglob("feed.xml"), *result.site.rglob("events.json"), *result.site.rglob("events.csv")]
    assert len(files) >= 3 * len(load_site_config(ROOT / "mkdocs.yml").locales)
    for path in files:
        assert "zebra-draft" not in path.read_text(encoding="utf-8"), path


def test_the_nav_events_entry_is_the_list(real_site: Build) -> None:
    """In every language the nav's "Events" tab leads to that language's events list."""
    config = load_site_config(ROOT / "mkdocs.yml")
    for lang in config.locales:
        html = real_site.html(urls.lang_prefix(lang, config.default.locale) + "about/index.html")
        tabs = re.findall(r'<a href="([^"]+)" class="md-tabs__link', html)
        assert "../events/" in tabs, (lang, tabs)
