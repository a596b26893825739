"""Strict builds: the real site has its pages, shows facts, and escapes everything from front matter."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import FIXTURES, ROOT, Build, build, make_project
from msme import searchindex
from msme.validate import load_site

EXPECTED = [
    "index.html",
    "about/index.html",
    "stories/index.html",
    "stories/silentium-piano-queens-pianos/index.html",
    "stories/euabout-melograno-vita/index.html",
    "stories/audiovisuals-sustainable-tourism/index.html",
    "guides/who-can-take-part/index.html",
    "guides/how-an-exchange-works/index.html",
    "guides/financial-support/index.html",
    "guides/local-contact-points/index.html",
    "events/final-conference/index.html",
]


def test_strict_build_is_warning_free(real_site: Build) -> None:
    """`mkdocs build --strict` passes and prints no WARNING line."""
    assert "WARNING" not in real_site.output


def test_expected_pages_exist(real_site: Build) -> None:
    """Every page of the English site is built."""
    missing = [rel for rel in EXPECTED if not (real_site.site / rel).is_file()]
    assert missing == []


def test_drafts_are_not_built(real_site: Build) -> None:
    """Draft stories (Yepso!, SPACE-A Food: countries unknown) are absent from the site and its search."""
    assert not (real_site.site / "stories/yepso").exists()
    assert not (real_site.site / "stories/space-a-food").exists()
    urls = {url for url, _, _ in searchindex.documents(real_site.site / "search")}
    assert "stories/silentium-piano-queens-pianos/" in urls  # a published story is there
    assert "stories/yepso/" not in urls and "stories/space-a-food/" not in urls


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_story_fact_box(real_site: Build) -> None:
    """A story opens with a fact box holding both companies, countries, duration and types."""
    html = real_site.html("stories/silentium-piano-queens-pianos/index.html")
    box = html.split('class="msme-factbox"', 1)[1].split("</section>", 1)[0]
    text = _text(box)
    for value in (
        "Silentium Piano",
        "Spain",
        "Queen&#39;s Pianos",
        "Belgium",
        "3 months",
        "Market research and marketing",
        "Training and knowledge transfer",
    ):
        assert value in text, value
    assert html.index("msme-factbox") < html.index("Gonzalo Palenzuela, a self-employed")


def test_story_list_shows_published_stories(real_site: Build) -> None:
    """The story list links every published story, with sending → host countries."""
    html = real_site.html("stories/index.html")
    site = load_site()
    published = [
        rel
        for (lang, rel), p in site.pages.items()
        if lang == "en" and p.type == "story" and getattr(p, "status", "") == "published"
    ]
    links = re.findall(r'<h3 class="msme-card__title"><a href="([^"]+)"', html)
    assert len(links) == len(published) == 3
    assert "Spain → Belgium" in html


def test_grant_table_has_every_country(real_site: Build) -> None:
    """The financial-support guide renders the whole grant table from data/grants.yml."""
    import yaml

    grants = yaml.safe_load((ROOT / "data/grants.yml").read_text(encoding="utf-8"))
    html = real_site.html("guides/financial-support/index.html")
    rows = re.findall(r'<tr><th scope="row">', html)
    assert len(rows) == len(grants["per_month"]) + 1  # + the disability row
    assert 'Denmark</th><td class="msme-num">€1,100' in html


def test_event_page(real_site: Build) -> None:
    """The conference recap shows date, place, attendees and speakers by session."""
    text = _text(real_site.html("events/final-conference/index.html"))
    for value in ("14 March 2023", "Brussels", "Belgium", "76", "Lambert Kleinmann", "Paolo Pasimeni"):
        assert value in text, value


def test_markup_in_front_matter_is_escaped(tmp_path: Path) -> None:
    """A title with <script> shows as text on the page, in <title> and in the search index."""
    result = build(make_project(tmp_path, FIXTURES / "xss", FIXTURES / "consent-empty.yml"))
    assert result.code == 0, result.output
    html = result.html("stories/xss-test/index.html")
    for raw in (
        "<script>alert(1)</script>",
        "<script>alert(3)</script>",
        "<img src=x",
        "<b>bold</b>",
        "<em>bread</em>",
        "<i>Fixture</i>",
    ):
        assert raw not in html, raw
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Fictional exchange</h1>" in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; Fictional exchange - MobiliseSME</title>" in html
    assert 'content="Fictional fixture whose fields carry markup &lt;b&gt;bold&lt;/b&gt;' in html
    # The index holds titles as text (the search script shows them with textContent), and its
    # files hold no markup even as text: <, > and & are JSON escapes.
    docs = searchindex.documents(result.site / "search")
    titles = [title for url, title, _ in docs if url.startswith("stories/xss-test")]
    assert titles == ["<script>alert(1)</script> Fictional exchange"]
    assert all("<" not in f.read_text(encoding="utf-8") for f in (result.site / "search").glob("*.json"))
    listing = result.html("stories/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fictional exchange</a>" in listing
    assert "<script>alert(1)" not in listing


def test_build_options_round_trip_and_refuse_bad_values() -> None:
    """MSME_BUILD carries every option as JSON; a bad value stops the build with its name and what it takes."""
    import datetime as dt

    import pytest

    from msme.build import BuildOptions

    options = BuildOptions(preview=True, today=dt.date(2030, 1, 1), only_langs=("fr",), serve_stories=5)
    assert BuildOptions.from_environ(options.environ({})) == options
    assert BuildOptions.from_environ({}) == BuildOptions() and BuildOptions().to_json() == "{}"
    for text, message in (
        ('{"preview": "1"}', "MSME_BUILD: preview='1': must be true or false"),
        ('{"today": "soon"}', "MSME_BUILD: today='soon': must be a date as YYYY-MM-DD"),
        ('{"serve_stories": 0}', "MSME_BUILD: serve_stories=0: must be a whole number above 0"),
        ('{"previews": true}', "MSME_BUILD: unknown option(s) previews"),
        ("preview", "MSME_BUILD: not JSON"),
    ):
        with pytest.raises(ValueError, match=re.escape(message)):
            BuildOptions.from_json(text)
    assert set(BuildOptions(preview=True, generators=False).authoring()) == {"preview", "generators"}


def test_material_markup_is_valid_without_repairs(real_site: Build) -> None:
    """The overridden partials emit no autocomplete on checkboxes, no empty tabindex, and no label
    pointing at a control the page lacks (what the Nu HTML Checker flagged in Material's markup)."""
    from lxml import html as lxml_html

    pages = [p for p in real_site.site.rglob("*.html") if "admin" not in p.parts]
    assert len(pages) > 50
    for path in pages:
        tree = lxml_html.fromstring(path.read_bytes())
        ids = set(tree.xpath("//@id"))
        where = path.relative_to(real_site.site)
        assert not tree.xpath("//input[@type='checkbox'][@autocomplete]"), where
        assert not tree.xpath("//*[@tabindex='']"), where
        assert {f for f in tree.xpath("//label/@for") if f not in ids} == set(), where


def test_generated_pages_are_rendered_by_mkdocs_and_not_indexed(real_site: Build) -> None:
    """List, facet, map and data pages exist in every language, carry the search base of their
    language, and are not entries of the search index (their stories are)."""
    fr_map = real_site.html("fr/stories/map/index.html")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', fr_map).group(1))
    assert config["base"] == "../../"
    locations = {url.partition("#")[0] for url, _, _ in searchindex.documents(real_site.site / "fr/search")}
    assert "stories/silentium-piano-queens-pianos/" in locations
    assert "stories/map/" not in locations and "data/" not in locations and "events/" not in locations
    assert (real_site.site / "de/data/index.html").exists() and (real_site.site / "stories/map/index.html").exists()
