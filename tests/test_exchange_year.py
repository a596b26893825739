"""The year shown and faceted is the exchange's, never the date a story went onto this site; quotes
and values a translation cannot set carry the language they are written in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from pathlib import Path

import feedparser
import jinja2
import pytest

from conftest import ROOT
from msme import catalogue, feeds, filterdata, l10n, model, opendata, seo, views, virtual
from msme.catalogue import Catalogue, Entry
from msme.site import Site
from msme.validate import load_site

PUBLISHED = dt.date(2026, 11, 29)  # when the stories went onto this site: a year no exchange ran in
EVENT = "events/final-conference.md"


@cache
def _site() -> Site:
    return load_site()


def _catalogue(periods: list[model.Period], lang: str = "en") -> Catalogue:
    """The real catalogue's stories, each given one of `periods` and the same publication date."""
    real = catalogue.build(_site(), lang)
    assert len(real.entries) >= len(periods) > 0
    entries = [
        dataclasses.replace(e, story=e.story.model_copy(update={"period": p, "published": PUBLISHED}))
        for e, p in zip(real.entries, periods, strict=False)
    ]
    return Catalogue(_site(), lang, entries)


def _ctx(lang: str) -> views.Context:
    site = _site()
    default = site.config.default.locale
    return views.Context(lang, l10n.labels(lang, default), site.consent, default)


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"), autoescape=True)


def _card_html(cat: Catalogue, entry: Entry) -> str:
    card = views.story_card(entry, "x/", _ctx(cat.lang))
    return _env().get_template("partials/msme-card.html").render(s=card)


def test_card_and_facet_show_the_exchange_year() -> None:
    """A story published in 2026 about an exchange that began in May 2021 is a 2021 story on its
    card, in the year facet and in its pages; 2026 appears nowhere."""
    cat = _catalogue([model.Period(start="2021-05"), model.Period(start="2022-11", end="2023-01")])
    first, second = cat.entries[:2]
    assert (first.year, second.year) == ("2021", "2022")
    html = _card_html(cat, first)
    assert '<time datetime="2021-05">2021</time>' in html and "2026" not in html
    assert dict(cat.facets["year"]) == {"2021": 1, "2022": 1}
    pages = [s.path for s in virtual.specs(cat) if s.path.startswith("stories/year/")]
    assert pages == ["stories/year/2021/", "stories/year/2022/"]  # one URL each
    year_facet = next(
        f
        for f in views.listing(cat, cat.listings[0], _ctx("en"), rel_url=str, image_for=lambda e: None)["facets"]
        if f["kind"] == "year"
    )
    assert [v["key"] for v in year_facet["values"]] == ["2021", "2022"]


def test_end_gives_the_year_when_the_start_is_unknown() -> None:
    """Only an end month known: its year is the exchange's."""
    assert model.Period(end="2022-03").year == "2022" and model.Period().year == ""


def test_no_year_is_shown_without_an_exchange_date() -> None:
    """A story whose sources date no exchange shows no year (not its publication year) and is in
    no year page."""
    cat = _catalogue([model.Period(), model.Period(start="2021-05")])
    undated = cat.entries[0]
    assert undated.year == "" and undated.values("year") == ()
    html = _card_html(cat, undated)
    assert "<time" not in html and "2026" not in html
    year_pages = [li for li in cat.listings if li.kind == "year"]
    assert [li.key for li in year_pages] == ["2021"]
    assert all(undated not in li.entries for li in year_pages)


def test_no_year_facet_when_no_story_has_a_year(tmp_path: Path) -> None:
    """No exchange dated: the year facet has no pages, no group on the list, no filter."""
    cat = _catalogue([model.Period()] * 3)
    assert cat.facets["year"] == [] and "year" not in cat.offered
    assert not [li for li in cat.listings if li.kind == "year"]
    assert not [s for s in virtual.specs(cat) if "/year/" in s.path]
    kinds = [
        f["kind"]
        for f in views.listing(cat, cat.listings[0], _ctx("en"), rel_url=str, image_for=lambda e: None)["facets"]
    ]
    assert "year" not in kinds and "country" in kinds
    data = json.loads(filterdata.write(cat, tmp_path).read_text(encoding="utf-8"))
    assert all(s["keys"]["year"] == [] for s in data["stories"])


def test_publication_date_stays_in_feed_json_ld_and_open_data() -> None:
    """The date the story went onto this site is still what the feed, JSON-LD and open data give
    as published; open data adds the exchange's year as a column of its own."""
    cat = _catalogue([model.Period(start="2021-05")])
    story = cat.entries[0].story
    parsed = feedparser.parse(feeds.atom(cat))
    entry = next(e for e in parsed.entries if e.title == story.title)
    assert entry.published.startswith(PUBLISHED.isoformat())
    items = seo.structured_data(
        story, lang="en", url="https://x.test/s/", image="https://x.test/i.webp", config=_site().config, logo_url=""
    )
    article = next(i for i in items if i.get("@type") == "Article")
    assert article["datePublished"] == PUBLISHED.isoformat()
    record = opendata.story_records(cat)[0]
    assert (record["published"], record["exchange_year"]) == (PUBLISHED.isoformat(), "2021")
    assert opendata.to_csv([record], opendata.STORY_FIELDS).splitlines()[0].endswith(",exchange_year")
    assert "exchange_year" in opendata.STORY_FIELDS


def _event(lang: str) -> model.Event:
    page = _site().page(lang, EVENT)
    assert isinstance(page, model.Event) and page.quotes
    return page


@pytest.mark.parametrize(("lang", "marked"), [("es", True), ("en", False)])
def test_english_quote_is_marked_on_a_spanish_page(lang: str, marked: bool) -> None:
    """A quote printed in English carries lang="en" on a Spanish page, and nothing on an English one."""
    quotes = views.event(_event(lang), _ctx(lang))["quotes"]
    assert quotes and all(q["lang"] == ("en" if marked else "") for q in quotes)
    html = _env().get_template("partials/msme-quotes.html").render(quotes=quotes, t=_ctx(lang).labels)
    assert (html.count('lang="en"><p>') == len(quotes)) is marked
    assert ('<span lang="en">' in html) is marked  # the affiliation, never translated


def test_quote_in_the_pages_language_is_not_marked() -> None:
    """A quote whose source prints it in Spanish is not marked on the Spanish page."""
    page = _event("es")
    spanish = page.model_copy(update={"quotes": [q.model_copy(update={"lang": "es"}) for q in page.quotes]})
    assert all(q["lang"] == "" for q in views.event(spanish, _ctx("es"))["quotes"])
    assert model.Quote.model_fields["lang"].default == "en"
    assert not model.is_translatable("quotes[].lang")


def test_organisers_and_affiliations_keep_the_originals_language() -> None:
    """Values no translation can set are in the original's language: marked on translated pages only."""
    assert views.event(_event("es"), _ctx("es"))["untranslated_lang"] == "en"
    assert views.event(_event("en"), _ctx("en"))["untranslated_lang"] == ""
    assert not model.is_translatable("organisers[]") and not model.is_translatable("speakers[].affiliation")


def test_online_event_has_no_city() -> None:
    """An online meeting is valid without city or country, says so, and is a virtual event in JSON-LD."""
    with pytest.raises(ValueError, match="online: true"):
        model.Place.model_validate({"city": "Brussels"}, context={"vocab": None})
    page = _event("es")
    online = page.model_copy(update={"place": model.Place.model_validate({"online": True}, context={"vocab": None})})
    ctx = _ctx("es")
    assert views.event(online, ctx)["where"] == ctx.labels["event_online"]
    items = seo.structured_data(
        online, lang="es", url="https://x.test/e/", image="", config=_site().config, logo_url=""
    )
    event = next(i for i in items if i.get("@type") == "Event")
    assert event["location"]["@type"] == "VirtualLocation"
    assert event["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
