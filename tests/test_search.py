"""The site's search: its index in small files (msme.searchindex), per-page records (msme.search),
what a first query downloads at 10,000 stories, and the results readers get in every language."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from benchmarks.search import synthetic_records

from conftest import AXE, ROOT, Build, serve
from msme import catalogue, l10n, searchindex
from msme.siteconfig import load_site_config
from msme.validate import load_site

BUDGET = 300_000  # bytes of index a first search may fetch (issue 16)
CONFIG = load_site_config(ROOT / "mkdocs.yml")
# Queries a reader types, from one word to many, short prefixes and common words included.
QUERIES = [
    "spain",
    "Croatia training",
    "example widgets 1234",
    "fictional exchange 9876",
    "imaginary tools",
    "a fictional story number 5 about two companies that do not exist",
    "exa",
    "st",
    "companies",
]


def test_fold_matches_accents_case_and_alphabets() -> None:
    """Readers type without accents or capitals, in any alphabet: both sides fold the same way."""
    assert searchindex.fold("Ελλάδα ΟΔΟΣ") == "ελλαδα οδοσ"  # tonos dropped, final sigma as any sigma
    assert searchindex.fold("Španjolska Đakovo Čakovec") == "spanjolska dakovo cakovec"
    assert searchindex.fold("Straße Bélgica Ærø") == "strasse belgica aero"
    assert searchindex.words("Queen's Pianos, 2020–2023: a B2B deal") == [
        "queen",
        "pianos",
        "2020",
        "2023",
        "b2b",
        "deal",
    ]


def test_records_survive_json() -> None:
    """A page's records are plain JSON, so the page cache can store and replay them unchanged."""
    rec = searchindex.record("stories/x/", "Ελλάδα <b>", "text text text text", "Spain", "A summary")
    assert json.loads(json.dumps(rec)) == rec
    weights = searchindex.weights(rec)
    assert weights["text"] == searchindex.TEXT_CAP and weights["ελλαδα"] == searchindex.TITLE
    assert weights["spain"] == searchindex.FACTS and rec["s"] == "A summary"


def test_sections_of_a_page() -> None:
    """A guide gives one document per h2/h3 section; a story is one document."""
    from msme import search

    parts = search._sections(
        '<h1>Title</h1><p>Intro text</p><h2 id="who">Who <em>can</em> apply</h2><p>Staff of SMEs.</p>'
        '<h3 id="how">How</h3><p>By form.</p><h4>Detail</h4><p>More.</p>'
    )
    assert parts == [
        ("", "", "Intro text"),
        ("who", "Who can apply", "Staff of SMEs."),
        ("how", "How", "By form. Detail More."),
    ]


def _index(tmp: Path, n: int) -> tuple[Path, dict[str, int]]:
    folder = tmp / str(n)
    return folder, searchindex.write(synthetic_records(n), folder)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, dict[str, int]]]:
    """Indexes of 1,000 and 10,000 synthetic stories."""
    tmp = tmp_path_factory.mktemp("search")
    return {n: _index(tmp, n) for n in (1_000, 10_000)}


def test_first_query_within_budget_at_10000_stories(indexes: dict) -> None:
    """At 10,000 stories, every query fetches at most 300 KB of index, and no query can fetch
    more: the manifest, MAX_SHARDS of the largest shards and a page of the largest chunks."""
    folder, sizes = indexes[10_000]
    for query in QUERIES:
        results, fetched = searchindex.first_query(folder, query)
        assert sum(fetched.values()) <= BUDGET, (query, fetched)
        assert len(results) <= searchindex.PAGE
    shards = sorted((v for k, v in sizes.items() if k.startswith("t-")), reverse=True)
    chunks = sorted((v for k, v in sizes.items() if k.startswith("d-")), reverse=True)
    bound = sizes[searchindex.MANIFEST] + sum(shards[: searchindex.MAX_SHARDS]) + sum(chunks[: searchindex.PAGE])
    assert bound <= BUDGET, bound
    # The query for one story's numbers finds that story first.
    assert searchindex.first_query(folder, "example widgets 1234")[0][0]["url"] == "stories/fictional-01234/"


def test_index_grows_at_most_linearly(indexes: dict) -> None:
    """Ten times the stories: the index, its files and its manifest at most ten times bigger
    (plus a margin), and no shard or chunk bigger than its cap."""
    small, large = indexes[1_000][1], indexes[10_000][1]
    assert sum(large.values()) <= 10.5 * sum(small.values())
    assert large[searchindex.MANIFEST] <= 10.5 * small[searchindex.MANIFEST]
    largest_word = searchindex.MAX_POSTINGS * len("99999,99,") + 100  # a capped word's own shard
    for sizes in (small, large):
        assert max(v for k, v in sizes.items() if k.startswith("t-")) <= max(searchindex.SHARD_BYTES, largest_word)
        assert max(v for k, v in sizes.items() if k.startswith("d-")) <= searchindex.CHUNK * 1000
    assert len(large) <= 10.5 * len(small)


def test_common_words_do_not_hide_rare_ones(tmp_path: Path) -> None:
    """A word in more documents than MAX_POSTINGS keeps a partial list; a document matching the
    rare word of a query still comes first, even if the common word's list left it out."""
    n = searchindex.MAX_POSTINGS + 50
    records = [searchindex.record(f"d/{i:05d}/", f"common {i}", "filler") for i in range(n)]
    records[-1] = searchindex.record(f"d/{n - 1:05d}/", "common rare", "filler")
    searchindex.write(records, tmp_path)
    keys = json.loads((tmp_path / searchindex.MANIFEST).read_text(encoding="utf-8"))["k"]
    key = searchindex.shards_for(keys, "common")[0]
    shard = json.loads((tmp_path / searchindex.shard_name(key)).read_text(encoding="utf-8"))
    assert shard["common"][0] < 0 and len(shard["common"]) == 1 + 2 * searchindex.MAX_POSTINGS
    results, _ = searchindex.first_query(tmp_path, "common rare")
    assert results[0]["url"] == f"d/{n - 1:05d}/"


# --- The real site: queries derived from its content, in every language ---------------------


@pytest.fixture(scope="module")
def content() -> object:
    """The validated site, for the expected results (its stories, countries and sectors)."""
    return load_site(ROOT / "docs", ROOT / "data" / "consent.yml", CONFIG)


def _urls(site_dir: Path, lang: str, query: str, limit: int = 50) -> list[str]:
    folder = site_dir / ("" if lang == CONFIG.default.locale else lang) / "search"
    return [r["url"] for r in searchindex.run(searchindex.Folder(folder), query, limit)]


@pytest.mark.parametrize("lang", CONFIG.locales)
def test_search_quality(real_site: Build, content: object, lang: str) -> None:
    """Per language: a company's name finds its story first; a country or a sector, in the
    language's words and typed with or without accents, lists every story it applies to before
    any other story; a guide's title and a section heading find that guide and that section."""
    cat = catalogue.build(content, lang)
    labels = l10n.labels(lang, CONFIG.default.locale)
    assert cat.entries
    for e in cat.entries:
        for company in (e.story.sending.name, e.story.host.name):
            if company:
                assert _urls(real_site.site, lang, company)[0] == e.path, (lang, company)
    facets = {
        l10n.country(c, lang): {e.path for e in cat.entries if c in e.countries}
        for c in {c for e in cat.entries for c in e.countries}
    }
    facets |= {
        labels["sectors"][s]: {e.path for e in cat.entries if s in e.sectors}
        for s in {s for e in cat.entries for s in e.sectors}
    }
    for name, expected in facets.items():
        for typed in {name, name.lower(), searchindex.fold(name)}:
            stories = [u for u in _urls(real_site.site, lang, typed) if u.startswith("stories/")]
            assert set(stories[: len(expected)]) == expected, (lang, typed)
    prefix = "" if lang == CONFIG.default.locale else f"{lang}/"
    for page in sorted((real_site.site / prefix / "guides").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        url = f"guides/{page.parent.name}/"
        title = unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1])
        assert url in _urls(real_site.site, lang, re.sub(r"<[^>]+>", "", title))[:3], (lang, title)
        heading = re.search(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', html, re.S)
        if heading:
            text = unescape(re.sub(r"<[^>]+>", "", heading[2]))
            assert f"{url}#{heading[1]}" in _urls(real_site.site, lang, text)[:5], (lang, text)


def test_greek_query_typed_without_accents(real_site: Build, content: object) -> None:
    """A Greek reader typing a country without its accent gets the stories of that country."""
    cat = catalogue.build(content, "el")
    spain = [e.path for e in cat.entries if "ES" in e.countries]
    name = l10n.country("ES", "el")
    assert name != searchindex.fold(name)  # the Greek name carries an accent: the test means something
    typed = searchindex.fold(name)
    assert spain and set(_urls(real_site.site, "el", typed)[: len(spain)]) == set(spain)


@pytest.mark.parametrize(("width", "lang", "query"), [(390, "el", "ισπανια"), (1280, "en", "training")])
def test_search_dialog_accessible(browser: object, real_site: Build, width: int, lang: str, query: str) -> None:
    """With results shown, on a phone and a desktop: 0 axe violations (WCAG 2.1 A/AA) in the
    search dialog, the arrow keys reach the results, Escape closes the dialog."""
    prefix = "" if lang == CONFIG.default.locale else f"{lang}/"
    with serve(real_site.site) as base:
        page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 600, has_touch=width < 600)
        page.goto(base + prefix, wait_until="networkidle")
        page.click("label.md-header__button[for=__search]" if width < 600 else "input.md-search__input")
        page.keyboard.type(query, delay=30)
        page.wait_for_selector(".md-search-result__item")
        page.wait_for_load_state("networkidle")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
        found = page.evaluate(
            "tags => axe.run(document.querySelector('.md-search'), {runOnly: {type: 'tag', values: tags}})", tags
        )
        page.focus("input.md-search__input")
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.className")
        page.keyboard.press("Escape")
        closed = not page.evaluate("document.getElementById('__search').checked")
        page.close()
    assert [f"{v['id']}: {v['nodes'][0]['target']}" for v in found["violations"]] == []
    assert "md-search-result__link" in focused and closed


# The reader's first move towards the search: a click, a tap (a CSS selector) or a key.
FIRST_MOVES = [(1280, "input.md-search__input"), (390, "label.md-header__button[for=__search]"), (1280, "/")]


@pytest.mark.parametrize(("width", "gesture"), FIRST_MOVES)
def test_search_script_loads_on_first_use(browser: object, real_site: Build, width: int, gesture: str) -> None:
    """A page fetches neither the search script nor its index until the reader turns to the search
    (clicks the box, taps the search button, presses "/"); that first move opens the dialog and
    focuses the box, what is typed before the script arrives stays, and the script, fetched once,
    searches for it."""
    with serve(real_site.site) as base:
        page = browser.new_page(viewport={"width": width, "height": 844}, is_mobile=width < 600, has_touch=width < 600)
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url.rpartition("/")[2]) if "search" in r.url else None)
        held: list[object] = []  # the script is held back until the whole query is typed

        def hold(route: object) -> None:  # a function: Playwright tags its handlers, a bound builtin refuses
            held.append(route)

        page.route("**/assets/msme-search.js", hold)
        page.goto(base, wait_until="networkidle")
        page.wait_for_timeout(300)
        before = list(fetched)
        if gesture == "/":
            page.keyboard.press("/")
        else:
            page.click(gesture)
        page.keyboard.type("training")
        for _ in range(100):  # the request reaches the route handler while Playwright waits
            if held:
                break
            page.wait_for_timeout(50)
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_selector(".md-search-result__item")
        page.wait_for_load_state("networkidle")
        state = page.evaluate("[document.getElementById('__search').checked, document.activeElement.className]")
        value = page.input_value("input.md-search__input")
        page.close()
    assert before == ["msme-search-load.js"]
    assert state[0] and "md-search__input" in state[1] and value == "training"
    assert fetched.count("msme-search.js") == 1 and fetched.count("manifest.json") == 1
