"""Real-browser gates: headless Chromium (Debian's, through Playwright) with axe-core, every language."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import AXE, PREFIX, Build, record, serve
from msme import searchindex
from test_i18n import BUILT_LANGS

PAGES = [
    "",
    "stories/",
    "stories/silentium-piano-queens-pianos/",
    "guides/financial-support/",
    "events/final-conference/",
    "stories/map/",
    "data/",
]


@pytest.fixture(scope="module")
def server(real_site: Build) -> Iterator[str]:
    """The built site served on 127.0.0.1 under a sub-path."""
    with serve(real_site.site) as url:
        yield url


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Content-Security-Policy violations, recorded from before the page's first script.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline")), true);
"""


def _visit(browser: object, url: str, origin: str, width: int = 1280, height: int = 800) -> dict:
    """Open a page; return its axe violations, console errors, failed and third-party requests and
    CSP violations."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(CSP_LISTENER)
    seen = {"console": [], "failed": [], "third_party": [], "csp": []}
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("response", lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on(
        "request",
        lambda r: (
            seen["third_party"].append(r.url)
            if urlsplit(r.url).netloc not in ("", origin) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(url, wait_until="networkidle")
    seen["csp"] = page.evaluate("window.__csp")
    # Evaluated, not added as a <script>: the page's policy rightly refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    seen["axe"] = [f"{v['id']}: {v['nodes'][0]['target']} {v['help']}" for v in result["violations"]]
    page.close()
    return seen


@pytest.mark.parametrize("lang", BUILT_LANGS)
def test_pages_in_browser(browser: object, server: str, lang: str) -> None:
    """Home, story list, a story, a guide, the recap, map and data: 0 axe violations (WCAG 2.1 A/AA), 0
    console errors, 0 failed requests, 0 requests to any other host, 0 CSP violations."""
    origin = urlsplit(server).netloc
    prefix = "" if lang == "en" else f"{lang}/"
    found = {"axe": [], "console": [], "failed": [], "third_party": [], "csp": []}
    for rel in PAGES:
        for key, items in _visit(browser, server + prefix + rel, origin).items():
            found[key] += [f"{prefix}{rel}: {item}" for item in items]
    record("axe violations", lang, len(found["axe"]))
    record("console errors", lang, len(found["console"]))
    record("failed requests", lang, len(found["failed"]))
    record("third-party requests", lang, len(found["third_party"]))
    record("CSP violations", lang, len(found["csp"]))
    assert found == {"axe": [], "console": [], "failed": [], "third_party": [], "csp": []}


def test_mobile_story_page(browser: object, server: str) -> None:
    """At 390×844 a story has no axe violations either (reflow, target sizes, contrast)."""
    seen = _visit(browser, server + "stories/euabout-melograno-vita/", urlsplit(server).netloc, 390, 844)
    assert seen["axe"] == [] and seen["console"] == [] and seen["failed"] == [] and seen["csp"] == []


@pytest.mark.parametrize(
    ("lang", "query"), [("en", "piano"), ("es", "pianos"), ("de", "Klaviere"), ("el", "ισπανια"), ("hr", "spanjolska")]
)
def test_search_finds_pages_in_the_readers_language(
    browser: object, real_site: Build, server: str, lang: str, query: str
) -> None:
    """Nothing of the index is fetched until the reader searches; then only the files the core
    names for that query (msme.searchindex.first_query), all in the reader's language folder;
    the script shows the core's results in its order, every one a page of the reader's language,
    and the count is announced (a live region)."""
    prefix = "" if lang == "en" else f"{lang}/"
    expected, files = searchindex.first_query(real_site.site / prefix / "search", query)
    assert expected  # the query means something in this language
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/search/" in r.url else None)
    page.goto(server + prefix, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert fetched == []  # nothing until the reader searches
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_load_state("networkidle")
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    status = page.get_attribute(".md-search-result__meta", "role"), page.inner_text(".md-search-result__meta")
    first = list(fetched)
    # The script ranks every document as the core does, for every word of the titles and its
    # first letters (prefix matches), each alone and with the query.
    folder = real_site.site / prefix / "search"
    words = sorted({w for _, title, _ in searchindex.documents(folder) for w in searchindex.words(title)})[:40]
    queries = [*words, *(w[:3] for w in words), *(f"{query} {w}" for w in words[:10])]
    script = page.evaluate("qs => Promise.all(qs.map(q => window.msmeSearch.ranked(q)))", queries)
    core = [searchindex.ranked(searchindex.Folder(folder), q) for q in queries]
    page.close()
    assert script == core
    assert sorted(first) == sorted(f"{server}{prefix}search/{name}" for name in files)
    assert links == [urljoin(server + prefix, r["url"]) for r in expected]
    assert status[0] == "status" and status[1].strip()
    others = [lang_ for lang_ in BUILT_LANGS if lang_ not in ("en", lang)]
    for href in links:
        path = urlsplit(href).path
        assert path.startswith(PREFIX + prefix), href
        assert not any(path.startswith(f"{PREFIX}{o}/") for o in others), href


def test_language_switcher_keeps_the_page(browser: object, server: str) -> None:
    """Choosing Français on the English financial-support guide opens the French version of that guide."""
    page = browser.new_page()
    page.goto(server + "guides/financial-support/", wait_until="networkidle")
    page.click(".md-header__option .md-select > button")
    page.click('a.md-select__link[hreflang="fr"]')
    page.wait_for_load_state("networkidle")
    url, lang = page.url, page.eval_on_selector("html", "e => e.lang")
    page.close()
    assert url.endswith(f"{PREFIX}fr/guides/financial-support/") and lang == "fr"
