"""Scaling and budgets, checked on sizes and counts (never on timings)."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import random
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from benchmarks.corpus import write_corpus

from conftest import FIXTURES, ROOT, Build, build, make_project
from msme import catalogue
from msme.publish import atomic_build
from msme.siteconfig import load_site_config

EN_ONLY = [{"locale": "en", "name": "English", "default": True, "build": True}]
SEARCH_BUDGET_PER_STORY = 1.5 * 2**20 / 1000  # 1.5 MiB for a language at 1,000 stories


def _corpus_site(tmp: Path, n: int) -> Build:
    docs = write_corpus(tmp / "docs", n, ["en"], base=ROOT / "docs")
    result = build(make_project(tmp / "p", docs, keep_nav=True, languages=EN_ONLY))
    assert result.code == 0, result.output
    return result


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real pages plus 10 fictional stories, English only."""
    return _corpus_site(tmp_path_factory.mktemp("n10"), 10)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real pages plus 200 fictional stories, English only."""
    return _corpus_site(tmp_path_factory.mktemp("n200"), 200)


def _nav(html: str) -> str:
    """The primary navigation (sidebar and tabs share its entries) up to the page content."""
    start = html.index('<nav class="md-nav md-nav--primary')
    return html[start : html.index('<div class="md-content"', start)]


@pytest.mark.parametrize("page", ["guides/who-can-take-part/index.html", "stories/fictional-0003/index.html"])
def test_navigation_does_not_grow_with_stories(small: Build, large: Build, page: str) -> None:
    """Every page renders the same navigation at 10 and at 200 stories (stories are not in it)."""
    assert len(_nav(small.html(page))) == len(_nav(large.html(page)))


def test_story_page_does_not_grow_with_stories(small: Build, large: Build) -> None:
    """A story page carries at most three related stories, whatever the size of the catalogue."""
    a, b = small.html("stories/fictional-0003/index.html"), large.html("stories/fictional-0003/index.html")
    related = [len(re.findall(r'class="msme-card"', h.split('class="msme-related"')[1])) for h in (a, b)]
    assert related[0] <= 3 and related[1] == 3
    assert abs(len(a) - len(b)) < 600  # only the related titles differ


def test_lists_are_paginated(large: Build) -> None:
    """200 stories make 9 list pages of at most 24 cards; no page holds them all."""
    pages = [large.html("stories/index.html")] + [large.html(f"stories/page/{n}/index.html") for n in range(2, 10)]
    counts = [len(re.findall(r'<li class="msme-card"', html)) for html in pages]
    assert sum(counts) == 203 and max(counts) == 24
    assert not (large.site / "stories/page/10").exists()


def test_search_index_within_budget(small: Build, large: Build) -> None:
    """Each story adds under 1.5 KiB to its language's index files (manifest, shards, chunks): under
    1.5 MiB on disk at 1,000 stories; what one search fetches of it is bounded (tests/test_search.py)."""
    size = lambda b: sum(f.stat().st_size for f in (b.site / "search").glob("*.json"))  # noqa: E731
    assert size(large) > size(small) > 0  # the index is there, and the stories are in it
    per_story = (size(large) - size(small)) / 190
    assert per_story < SEARCH_BUDGET_PER_STORY, per_story


def test_catalogue_built_once_per_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lists, facets, related stories and the map come from one catalogue per language and build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from msme import catalogue

    calls: list[str] = []
    real = catalogue.build
    monkeypatch.setattr(catalogue, "build", lambda site, lang: calls.append(lang) or real(site, lang))
    docs = write_corpus(tmp_path / "docs", 30, ["en", "es", "fr", "it", "de"], base=ROOT / "docs")
    project = make_project(tmp_path / "p", docs, keep_nav=True)
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    cfg = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(cfg)
    assert sorted(calls) == sorted(load_site_config().locales)  # once each, not once per page or per language build
    assert (project / "site/de/stories/page/2/index.html").exists()


def test_failed_build_keeps_the_last_good_site(tmp_path: Path) -> None:
    """The build writes to a temporary folder: broken content leaves the published site as it was."""
    project = make_project(tmp_path / "p", FIXTURES / "xss", FIXTURES / "consent-empty.yml")
    out = tmp_path / "site"
    assert atomic_build(project / "mkdocs.yml", out) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (project / "docs/index.md").write_text("---\ntitle: [broken\n---\n")
    assert atomic_build(project / "mkdocs.yml", out) != 0
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.glob(".site-*")] == [os.readlink(out)]  # only the site's own folder


def test_parallel_build_is_byte_identical(tmp_path: Path) -> None:
    """Languages built in parallel processes and merged give exactly the sequential build's files."""
    project = make_project(tmp_path / "p", keep_nav=True)
    assert atomic_build(project / "mkdocs.yml", tmp_path / "seq", jobs=1) == 0
    assert atomic_build(project / "mkdocs.yml", tmp_path / "par", jobs=2) == 0

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    seq, par = tree(tmp_path / "seq"), tree(tmp_path / "par")
    assert sorted(seq) == sorted(par)
    assert [name for name in seq if seq[name] != par[name]] == []
    assert len(seq) > 300 and "fr/stories/map/index.html" in seq and "sitemap.xml" in seq


def test_preview_scope_keeps_recent_stories_and_one_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large site the preview reads only the default language, the chosen one, every page that is
    not a story, and the most recently edited stories (the one just saved among them)."""
    import os

    from msme import preview
    from msme.build import BuildOptions

    docs = write_corpus(tmp_path / "docs", 40, ["en", "fr"])
    edited = docs / "stories/fictional-0003/index.md"
    os.utime(edited, (edited.stat().st_atime, edited.stat().st_mtime + 60))
    options = BuildOptions(serve_scope=True, serve_stories=5, serve_lang="fr")
    scope = preview.scope(docs, options)
    assert scope is not None and len(scope.stories) == 5 and "stories/fictional-0003" in scope.stories
    assert scope.keeps("fr", "stories/fictional-0003/index.md", "en")
    assert not scope.keeps("fr", "stories/fictional-0000/index.md", "en")  # the oldest, untouched
    assert not scope.keeps("de", "guides/x.md", "en") and scope.keeps("en", "guides/x.md", "en")
    assert (
        preview.scope(docs, BuildOptions(serve_scope=True, serve_stories=100)) is None
    )  # a small site is previewed whole


def _catalogue(tmp: Path, n: int, monkeypatch: pytest.MonkeyPatch, pool: int = 5) -> catalogue.Catalogue:
    """The English catalogue of n fictional stories, with a small related pool so that it fills
    at these sizes (the property is the same at RELATED_POOL and 10,000 stories)."""
    from msme.validate import load_site

    monkeypatch.setattr(catalogue, "RELATED_POOL", pool)
    config = load_site_config()
    config = dataclasses.replace(config, languages=config.languages[:1])
    docs = write_corpus(tmp / f"docs-{n}", n, ["en"])
    site = load_site(docs, ROOT / "data/consent.yml", config)
    assert not site.problems, site.problems
    cat = catalogue.build(site, "en")
    cat.candidates(cat.entries[0].rel)  # the pools are made now, while the small pool is set
    return cat


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> tuple[catalogue.Catalogue, catalogue.Catalogue]:
    """Catalogues of 100 and 400 fictional stories."""
    with pytest.MonkeyPatch.context() as mp:
        tmp = tmp_path_factory.mktemp("catalogues")
        return _catalogue(tmp, 100, mp), _catalogue(tmp, 400, mp)


def test_related_work_per_story_is_bounded(catalogues: tuple[catalogue.Catalogue, catalogue.Catalogue]) -> None:
    """A story weighs the same number of candidates for its related box at 100 and at 400
    stories: the pools of its countries and sectors, each capped, never the whole catalogue."""
    small, large = ([len(cat.candidates(e.rel)) for e in cat.entries] for cat in catalogues)
    assert max(large) <= 4 * 5 and max(large) == max(small)
    assert sum(large) / len(large) <= 1.25 * sum(small) / len(small)  # overlaps differ a little


def test_list_pages_grow_linearly(catalogues: tuple[catalogue.Catalogue, catalogue.Catalogue]) -> None:
    """Four times the stories make at most four times the list pages and the cards on them; no
    list page holds more than PER_PAGE cards."""
    small, large = catalogues
    assert len(large.listings) <= 4 * len(small.listings)
    cards = [sum(len(li.entries) for li in cat.listings) for cat in catalogues]
    assert cards[1] <= 4 * cards[0]
    assert max(len(li.entries) for li in large.listings) == catalogue.PER_PAGE
    # every story is on the all-stories list and on one page per facet value it has
    per_story = 1 + sum(len(e.values(kind)) for e in large.entries for kind in large.offered) / len(large.entries)
    assert cards[1] == pytest.approx(per_story * len(large.entries))


def test_generated_pages_read_each_story_a_bounded_number_of_times(
    catalogues: tuple[catalogue.Catalogue, catalogue.Catalogue], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titling the generated pages (their story counts) reads each story's facet values a fixed
    number of times, not once per list page: 4× the stories, 4× the reads."""
    from msme import virtual

    reads = []
    for cat in catalogues:
        assert cat.listings  # made (and memoised) by the catalogue before any page is titled
        calls = [0]
        values = catalogue.Entry.values

        def counted(entry: catalogue.Entry, kind: str, calls: list[int] = calls, values=values) -> tuple[str, ...]:
            calls[0] += 1
            return values(entry, kind)

        monkeypatch.setattr(catalogue.Entry, "values", counted)
        counts = virtual.listing_counts(cat)
        for spec in virtual.specs(cat):
            virtual.page_model(spec, cat, counts)
        monkeypatch.undo()
        reads.append(calls[0] / len(cat.entries))
    assert 0 < reads[1] <= reads[0] <= len(catalogues[1].offered)


def test_files_grow_linearly(small: Build, large: Build) -> None:
    """Each story adds the same files whatever the size of the site: its own folder's files, its
    card, and list pages (one per PER_PAGE stories per facet value)."""

    def files(b: Build) -> list[Path]:
        return [p.relative_to(b.site) for p in b.site.rglob("*") if p.is_file()]

    own = [len(list((b.site / "stories/fictional-0003").rglob("*"))) for b in (small, large)]
    assert own[0] == own[1] > 0
    added = (len(files(large)) - len(files(small))) / 190
    assert own[1] <= added <= own[1] + 4, added  # own files, a card (+ compressed copies), list pages


def _relpath(target: str, current: str) -> str:
    """urls.relative as it was, on posixpath.relpath: the reference for the string version."""
    base = current if current.endswith("/") or not current else posixpath.dirname(current) + "/"
    rel = posixpath.relpath(target or ".", base or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def test_url_helpers_match_the_standard_library() -> None:
    """The string-only `urls.relative` and `urls.absolute` give exactly what posixpath.relpath
    and urljoin give, on site paths and on odd ones (dots, empty segments, schemes, queries)."""
    from msme import urls

    rng = random.Random(16)
    segments = ["", ".", "..", "fr", "stories", "x.webp", "index.html", "a:b", "q?x", "f#y", "%20", "é"]
    bases = ["https://mobilise-sme.example.org/", "https://x.eu/sub/path", "http://x.eu/a//b/", "https://x.eu/?q=1", ""]

    def path() -> str:
        p = "/".join(rng.choice(segments) for _ in range(rng.randrange(5)))
        return p + "/" if rng.random() < 0.4 else p

    for _ in range(20000):
        target, current = path(), path()
        assert urls.relative(target, current) == _relpath(target, current), (target, current)
        base = rng.choice(bases)
        assert urls.absolute(base, target) == urljoin(base if base.endswith("/") else base + "/", target)
