"""What decides that a page can be written from the cache without MkDocs reading it
(msme.pagereuse), and the counts the generated pages' titles show (msme.virtual)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from benchmarks.corpus import write_corpus

from conftest import ROOT
from msme import catalogue, pagereuse, virtual
from msme.siteconfig import load_site_config
from msme.validate import load_site


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "docs", 6, ["en", "fr"], base=ROOT / "docs")


def _digest(docs: Path, **changes: object) -> str:
    config = load_site_config(ROOT / "mkdocs.yml")
    site = load_site(docs, ROOT / "data/consent.yml", config)
    assert not site.problems
    for name, value in changes.items():
        setattr(site, name, value)
    return pagereuse.content_digest(site)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_content_digest_ignores_a_story_text_but_not_what_other_pages_show(docs: Path) -> None:
    """A story's body is shown by its own page only; its front matter, a guide's text (the nav
    shows guide titles), another file under docs/ and the day taken as today reach other pages."""
    first = _digest(docs)
    assert _digest(docs) == first
    _append(docs / "stories/fictional-0002/index.md", "\nOne more fictional sentence.\n")
    assert _digest(docs) == first
    story = docs / "stories/fictional-0002/index.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Fictional exchange 2:", "Renamed exchange 2:"))
    second = _digest(docs)
    assert second != first
    guide = next((docs / "guides").glob("*.md"))
    _append(guide, "\nA new paragraph.\n")
    third = _digest(docs)
    assert third != second
    (docs / "stories/fictional-0002/extra.pdf").write_bytes(b"%PDF-1.4")
    assert _digest(docs) != third
    assert _digest(docs, today=dt.date(2031, 1, 1)) != _digest(docs)


def test_nav_files_reads_every_level() -> None:
    nav = [{"Home": "index.md"}, {"Guides": ["guides/a.md", {"B": "guides/b.md"}, {"Web": "https://x.invalid/"}]}]
    assert pagereuse.nav_files(nav) == {"index.md", "guides/a.md", "guides/b.md"}


def test_listing_counts_match_each_list(docs: Path) -> None:
    """The counts in the generated pages' titles are those of the stories each list holds."""
    config = load_site_config(ROOT / "mkdocs.yml")
    site = load_site(docs, ROOT / "data/consent.yml", config)
    cat = catalogue.build(site, "fr")
    counts = virtual.listing_counts(cat)
    assert counts[("all", "")] == len(cat.entries) > 0
    facets = [li for li in cat.listings if li.kind != "all" and li.page == 1]
    assert facets
    for li in facets:
        expected = sum(1 for e in cat.entries if li.key in e.values(li.kind))
        assert counts[(li.kind, li.key)] == expected > 0
