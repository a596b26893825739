"""No script from content: the sanitiser, validation of the text, escaping everywhere, and the pages' CSP."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from benchmarks.corpus import phone_photo

from conftest import FIXTURES, Build, build, make_project, serve
from msme import csp, sanitize, searchindex
from msme.validate import load_site
from test_browser import CSP_LISTENER

HOSTILE = FIXTURES / "hostile"  # markup in every front-matter field that is shown, original and translation
HOSTILE_CONSENT = FIXTURES / "hostile-data" / "consent.yml"
HOSTILE_BODY = FIXTURES / "hostile-body"  # a text validation must refuse, line by line
LANGS = [{"locale": x, "name": x, "default": x == "en", "build": True} for x in ("en", "es")]
# Every kind of reader page: home, list, story, the four facets, map, data, guide, event, 404.
PAGES = [
    "",
    "stories/",
    "stories/zebrafish-exchange/",
    "stories/country/es/",
    "stories/sector/c/",
    "stories/type/training/",
    "stories/year/2022/",
    "stories/map/",
    "data/",
    "events/",
    "guides/zebrafish-guide/",
    "events/zebrafish-event/",
    "404.html",
]
# The payloads in the fixture, as they must never appear in a page's markup.
PAYLOADS = ("<img src=x onerror=", "<script>pwned", "<svg onload=", "<iframe srcdoc=", 'href="javascript:')


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The hostile fixture (English and Spanish) built once, with a photo so alt text and credit show."""
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    shutil.copytree(HOSTILE, docs)
    phone_photo(docs / "stories/zebrafish-exchange/photo.jpg", 1200, 900, seed=3)
    result = build(make_project(root / "p", docs, HOSTILE_CONSENT, languages=LANGS, cache=root / "cache"))
    assert result.code == 0, result.output
    return result


def _reader_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("admin/"))


# --- (a) validation refuses what the sanitiser would remove, naming file and line ---------------


def test_validation_refuses_hostile_text_line_by_line() -> None:
    """Raw <script>, on…= handlers, <iframe srcdoc>, <svg onload>, attr_list handlers, javascript: and
    data: addresses are refused with file, line and fix, in an original and a translation; code is not."""
    site = load_site(HOSTILE_BODY, FIXTURES / "consent-empty.yml")
    found = sorted((p.path.rpartition("/")[2], p.field, p.message.split(" would be removed")[0]) for p in site.problems)
    assert found == sorted(
        [
            ("index.md", "(text) line 7", "raw HTML <script>"),
            ("index.md", "(text) line 9", "attribute onerror= on <img>"),
            ("index.md", "(text) line 11", "address 'javascript:pwned()'"),
            ("index.md", "(text) line 11", "address 'data:image/png;base64,AAAA'"),
            ("index.md", "(text) line 13", "raw HTML <iframe>"),
            ("index.md", "(text) line 15", "raw HTML <svg>"),
            ("index.md", "(text) line 18", "attribute onclick= (set with {: … })"),
            ("index.es.md", "(text) line 7", "attribute onerror= on <img>"),
            ("index.es.md", "(text) line 9", "address 'JavaScript:pwned()'"),
            ("index.es.md", "(text) line 9", "address 'javascript:pwned()'"),
            ("index.es.md", "(text) line 9", "attribute onclick= on <a>"),
        ]
    )
    for p in site.problems:
        assert "write it in Markdown, or use an allowed" in p.message or "only http:, https: and mailto:" in p.message
    assert all(str(p).startswith("hostile-body/index") for p in site.problems)


def test_markdown_problems_ignore_code_and_allowed_html() -> None:
    """Code spans, fenced and indented code, allowed elements and addresses are not problems."""
    text = (
        "`<script>x()</script>` and <b>bold</b>, <abbr title='t'>T</abbr>, [a](https://e.org/), [b](../x/),\n"
        "[c](mailto:z@example.org), ![d](photo.jpg), [e](#top), [f](?q=1)\n\n"
        "    <script>x()</script>\n\n```\n<svg onload=x()>\n```\n\n## A heading {: #anchor .wide }\n"
    )
    assert sanitize.markdown_problems(text) == []


# --- (c) the sanitiser on rendered HTML ----------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a<script>pwned()</script>b</p>", "<p>ab</p>"),
        ('<p><img src="x" onerror="pwned()" alt="a"></p>', '<p><img src="x" alt="a"></p>'),
        ('<p><a href="javascript:pwned()">x</a></p>', "<p><a>x</a></p>"),
        ('<p><a href=" JaVa&#x53;cript:pwned()">x</a></p>', "<p><a>x</a></p>"),
        ('<p><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a"></p>', '<p><img alt="a"></p>'),
        ('<iframe srcdoc="&lt;script&gt;parent.pwned()&lt;/script&gt;"></iframe><p>t</p>', "<p>t</p>"),
        ("<svg onload=pwned()><circle></circle></svg><p>t</p>", "<p>t</p>"),
        ('<p onclick="pwned()" style="color:red" class="c">t</p>', '<p class="c">t</p>'),
        ('<h2 id="__config">c</h2>', "<h2>c</h2>"),
        ('<form action="https://e.org/"><input name="q"></form>', ""),
        ('<a href="https://e.org/" target="_blank" rel="opener">x</a>', '<a href="https://e.org/">x</a>'),
    ],
)
def test_clean_removes_what_could_run_or_deceive(html: str, expected: str) -> None:
    """Scripts, handlers, javascript:/data: addresses, frames, SVG, styles, forms and theme ids go."""
    assert sanitize.clean(html) == expected


def test_clean_keeps_what_the_sites_markdown_writes() -> None:
    """Headings with ids, admonitions, tables, links, images, lists and code pass unchanged."""
    html = (
        '<h2 id="steps">Steps</h2>\n<div class="admonition note">\n<p class="admonition-title">Note</p>\n'
        '<p>See <a href="../guides/x/" title="t">x</a>, <a href="https://e.org/">e</a>, '
        '<a href="mailto:z@example.org">m</a> and <img alt="a" src="photo.jpg">.</p>\n</div>\n'
        '<table>\n<thead>\n<tr>\n<th align="left">A</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n'
        '</tbody>\n</table>\n<ol start="3">\n<li><strong>b</strong> <em>i</em> <code>&lt;x&gt;</code></li>\n</ol>\n'
        "<pre><code>&lt;script&gt;\n</code></pre>\n<blockquote>\n<p>q</p>\n</blockquote>\n<hr>"
    )
    assert sanitize.clean(html) == html


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://e.org/", True),
        ("mailto:z@example.org", True),
        ("../x/", True),
        ("#top", True),
        ("photo.jpg", True),
        ("javascript:x()", False),
        (" \tjava\nscript:x()", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
    ],
)
def test_url_allowed(url: str, allowed: bool) -> None:
    """Only http, https, mailto and relative addresses, however a scheme is disguised."""
    assert sanitize.url_allowed(url) is allowed


# --- (b) the built hostile site ------------------------------------------------------------------


class _Scripts(HTMLParser):
    """Every <script> element's attributes and text, and the page's CSP <meta> in order of appearance."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.head: list[tuple[str, dict]] = []  # elements of <head>, in order
        self._in: dict | None = None
        self._head = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._head = self._head or tag == "head"
        if tag == "body":
            self._head = False
        if self._head and tag != "head":
            self.head.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append((self._in, ""))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.scripts[-1] = (self._in, self.scripts[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None


def test_every_page_carries_the_policy_and_no_inline_script(hostile_site: Build) -> None:
    """Every reader page (generated ones and 404s too) opens its head with the CSP <meta>, and has
    no script the policy would block: only files from the site, JSON config and JSON-LD."""
    pages = _reader_pages(hostile_site.site)
    assert len(pages) >= 2 * len(PAGES)
    for path in pages:
        parser = _Scripts()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.head[:2] == [
            ("meta", {"charset": "utf-8"}),
            ("meta", {"http-equiv": "Content-Security-Policy", "content": csp.page_policy()}),
        ], path
        for attrs, text in parser.scripts:
            data = attrs.get("type") in ("application/json", "application/ld+json")
            assert data or (attrs.get("src") and not text.strip()), (path, attrs, text[:80])


def test_hostile_values_are_text_in_every_built_file(hostile_site: Build) -> None:
    """Pages, search indexes and feeds carry the fixture's markup only as escaped text, and a heading
    cannot take over Material's __config id."""
    files = [*_reader_pages(hostile_site.site), *hostile_site.site.rglob("search/*.json")]
    files += list(hostile_site.site.rglob("feed.xml"))
    assert len(files) > len(PAGES)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for payload in PAYLOADS:
            assert payload not in text, (path, payload)
    story = hostile_site.html("stories/zebrafish-exchange/index.html")
    assert story.count('id="__config"') == 1  # Material's own, not the heading's
    assert "Zebrafish exchange &lt;img src=x onerror=pwned()&gt;" in story  # the payload is there, as text
    docs = searchindex.documents(hostile_site.site / "es/search")
    assert any("Resumen cebra <svg onload=pwned()>" in s for _, _, s in docs)


def test_feeds_carry_markup_as_plain_text(hostile_site: Build) -> None:
    """Feed titles and summaries are Atom text, so feed readers show the markup instead of running it."""
    for rel, title in (("feed.xml", "Zebrafish exchange"), ("es/feed.xml", "Intercambio cebra")):
        feed = feedparser.parse((hostile_site.site / rel).read_bytes())
        entry = next(e for e in feed.entries if e.title.startswith(title))
        assert entry.title_detail.type == "text/plain" and entry.summary_detail.type == "text/plain"
        assert "<img src=x onerror=pwned()>" in entry.title


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Build) -> Iterator[str]:
    """The hostile site served on 127.0.0.1 under a sub-path."""
    with serve(hostile_site.site) as url:
        yield url


class _Watch:
    """A browser context that counts what a hostile value would do if it ran: pwned() calls and
    dialogs; and what the policy reports."""

    def __init__(self, browser: object, *, policy: bool) -> None:
        # bypass_csp turns the policy off, so the escaping and the sanitiser are tested on their own.
        self.context = browser.new_context(bypass_csp=not policy)
        self.calls: list[str] = []
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        self.context.expose_binding("pwned", lambda source: self.calls.append(source["frame"].url))
        self.context.add_init_script(CSP_LISTENER)

    def open(self, url: str) -> object:
        page = self.context.new_page()
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url, wait_until="load")  # every handler of the markup has had its chance
        return page

    def done(self, page: object) -> None:
        self.violations += page.evaluate("window.__csp")
        page.close()


def _search(watch: _Watch, url: str, query: str) -> str:
    """Type `query` into Material's search box on `url`; return the results as the reader sees them."""
    page = watch.open(url)
    page.click("input.md-search__input")
    page.keyboard.type(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)  # every result drawn
    shown = page.inner_text(".md-search-result")
    watch.done(page)
    return shown


def test_hostile_pages_and_search_run_no_script(browser: object, hostile_server: str) -> None:
    """With the policy off, every kind of page in English and Spanish and searches for words of the
    hostile values run nothing: 0 dialogs, 0 payload calls (escaping and sanitiser alone)."""
    watch = _Watch(browser, policy=False)
    for prefix in ("", "es/"):
        for rel in PAGES:
            watch.done(watch.open(hostile_server + prefix + rel))
    queries = (("", "zebrafish"), ("", "onerror"), ("es/", "cebra"), ("es/", "pulpo"))
    shown = [_search(watch, hostile_server + prefix, query) for prefix, query in queries]
    watch.context.close()
    assert all("Zebrafish" in text or "cebra" in text for text in shown)
    assert any("onerror=pwned()" in text for text in shown)  # results show the markup, as text
    assert watch.calls == [] and watch.dialogs == []


def test_every_kind_of_page_works_under_the_policy(browser: object, hostile_server: str) -> None:
    """With the policy on, every kind of page (facets, map, data, 404 too) and a search report 0
    violations: nothing the theme or the site needs is blocked, nothing injected even tries."""
    watch = _Watch(browser, policy=True)
    for rel in PAGES:
        watch.done(watch.open(hostile_server + rel))
    shown = _search(watch, hostile_server + "es/", "cebra")
    watch.context.close()
    assert "Intercambio cebra" in shown
    assert watch.violations == [] and watch.calls == [] and watch.dialogs == []


def test_policy_blocks_an_injected_inline_script(browser: object, hostile_site: Build, hostile_server: str) -> None:
    """A script and a handler slipped into a built page (past every other defence) do not run, and
    the browser reports both to the policy."""
    folder = hostile_site.site / "stories/zebrafish-exchange"
    html = (folder / "index.html").read_text(encoding="utf-8")
    injected = '<script>pwned()</script><img src="missing.png" onerror="pwned()" alt="">'
    (folder / "injected.html").write_text(html.replace("</h1>", "</h1>" + injected, 1), encoding="utf-8")
    watch = _Watch(browser, policy=True)
    watch.done(watch.open(hostile_server + "stories/zebrafish-exchange/injected.html"))
    watch.context.close()
    assert watch.calls == []
    blocked = [v for v in watch.violations if v.startswith("script-src")]
    assert {v.split()[0] for v in blocked} == {"script-src-elem", "script-src-attr"}, watch.violations


def test_page_policy() -> None:
    """Scripts only from the site (no 'unsafe-inline' or 'unsafe-eval'), no plug-ins, frames or foreign
    base; a header version adds frame-ancestors, which a <meta> cannot carry."""
    policy = csp.page_policy()
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors" not in policy
    header = csp.page_policy({"frame-ancestors": ["'none'"]})
    assert header == policy + "; frame-ancestors 'none'"
