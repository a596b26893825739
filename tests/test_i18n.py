"""Six languages: real translations, honest fallbacks, per-language search, localised formats."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, Build, build, make_project
from msme import linkcheck, searchindex, translations
from msme.siteconfig import load_site_config
from msme.validate import load_site

LANGS = ["es", "fr", "it", "de", "el", "hr"]
GENERATED = re.compile(r"/(stories/(country|sector|type|year|page|map)|data)/")
BUILT_LANGS = load_site_config().locales  # as mkdocs.yml lists them


def _pages(site: Path, lang: str) -> list[Path]:
    root = site if lang == "en" else site / lang
    others = [site / other for other in LANGS if other != lang]
    readers = set(linkcheck.reader_pages(site, "index.html"))
    return [
        p
        for p in root.rglob("index.html")
        if not any(p.is_relative_to(o) for o in others)
        and (lang != "en" or not any(p.is_relative_to(site / x) for x in LANGS))
        and p in readers
    ]


def test_languages_configured() -> None:
    """English is the default, then Spanish, French, Italian, German and Greek."""
    assert load_site_config().locales == ["en", *LANGS] == BUILT_LANGS


def test_status_reports_nothing_missing_or_outdated() -> None:
    """Every English page has a current translation in each language."""
    report = translations.status(load_site())
    assert {st.lang: (st.missing, st.outdated) for st in report} == {lang: ([], []) for lang in LANGS}


def test_no_fallback_pages_in_real_site(real_site: Build) -> None:
    """0 fallback pages: every page in every language is a real translation."""
    for lang in LANGS:
        pages = _pages(real_site.site, lang)
        assert len(pages) == len(_pages(real_site.site, "en"))
        fallbacks = [p for p in pages if "msme-notice" in p.read_text(encoding="utf-8")]
        assert fallbacks == [], lang


def test_translations_keep_links_headings_and_numbers() -> None:
    """The translation checker finds nothing to complain about in the real content."""
    assert [str(p) for p in translations.check(load_site())] == []


def test_checker_catches_drift(tmp_path: Path) -> None:
    """A changed figure, a dropped link and a renamed anchor are each reported."""
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides/g.md").write_text(
        "---\ntitle: Guide\nsummary: Fictional.\naudiences: [staff]\nreviewed: 2026-01-01\n---\n"
        "## Money matters\n\nThe grant is EUR 830 a month. See [the list](other.md).\n",
        encoding="utf-8",
    )
    (docs / "guides/g.fr.md").write_text(
        "---\ntranslation_of: x\ntitle: Guide\n---\n## Argent\n\nLa bourse est de 880 EUR par mois.\n", encoding="utf-8"
    )
    problems = {p.field: p.message for p in translations.check(load_site(docs))}
    assert "missing ['other.md']" in problems["(links)"]
    assert "money-matters" in problems["(headings)"] and "argent" in problems["(headings)"]
    assert "missing ['830'], added ['880']" in problems["(numbers)"]


def test_editing_an_original_outdates_its_translations(tmp_path: Path) -> None:
    """Change the English original: the status command names its four translations as outdated."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    target = docs / "guides/financial-support.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    report = translations.status(load_site(docs))
    outdated = {st.lang: [rel for rel, _, _ in st.outdated] for st in report}
    assert outdated == {lang: [f"guides/financial-support.{lang}.md"] for lang in LANGS}
    assert all(st.missing == [] for st in report)


def test_status_command_strict_flag(tmp_path: Path) -> None:
    """`status --strict` exits 1 when something is missing, 0 when all is current."""
    import subprocess
    import sys

    env = {"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [sys.executable, "-m", "msme", "status", "--strict"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "about.it.md").unlink()
    bad = subprocess.run(
        [sys.executable, "-m", "msme", "status", "--strict", "--docs", str(docs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "it: 1 missing, 0 outdated" in bad.stdout and "missing: about.md" in bad.stdout


@pytest.fixture(scope="module")
def missing_fr(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site with the French guide on financial support deleted."""
    project = make_project(tmp_path_factory.mktemp("nofr"), keep_nav=True)
    (project / "docs/guides/financial-support.fr.md").unlink()
    result = build(project)
    assert result.code == 0, result.output
    return result


def test_missing_translation_builds_strict_clean(missing_fr: Build) -> None:
    """Deleting a translation is not an error: the strict build passes without warnings."""
    assert "WARNING" not in missing_fr.output


def test_missing_translation_shows_notice_in_reader_language(missing_fr: Build) -> None:
    """The French URL shows the English text, marked lang="en", under a French notice."""
    html = missing_fr.html("fr/guides/financial-support/index.html")
    assert '<html lang="fr"' in html
    assert "Cette page n'est pas encore disponible en français ; la voici en anglais." in re.sub(
        r"[\u00a0\u202f]", " ", unescape(html)
    )
    assert '<div class="msme-body" lang="en">' in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    assert canonical == "https://mobilise-sme.example.org/guides/financial-support/"
    assert "hreflang" not in html.split("</head>")[0]


def test_missing_translation_is_claimed_nowhere(missing_fr: Build) -> None:
    """No other page's hreflang and no sitemap entry claims the page exists in French."""
    claim = "https://mobilise-sme.example.org/fr/guides/financial-support/"
    for page in missing_fr.site.rglob("*.html"):
        assert claim not in page.read_text(encoding="utf-8"), page
    sitemap = (missing_fr.site / "sitemap.xml").read_text(encoding="utf-8")
    assert claim not in sitemap
    assert "https://mobilise-sme.example.org/es/guides/financial-support/" in sitemap
    other = missing_fr.html("es/guides/financial-support/index.html")
    assert 'hreflang="fr"' not in other.split("</head>")[0] and 'hreflang="de"' in other


def test_hreflang_and_canonical_are_absolute(real_site: Build) -> None:
    """Every page's canonical and hreflang links are absolute URLs under site_url."""
    for page in linkcheck.reader_pages(real_site.site, "index.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        links = re.findall(r'<link rel="(?:canonical|alternate)"(?: hreflang="[^"]+")? href="([^"]+)"', head)
        assert links, page
        assert all(u.startswith("https://mobilise-sme.example.org/") for u in links), page


def test_language_switcher_keeps_the_page(real_site: Build) -> None:
    """The switcher on a French story links to the same story in every language."""
    html = real_site.html("fr/stories/silentium-piano-queens-pianos/index.html")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" class="md-select__link">', html))
    assert {v: k for k, v in links.items()} == {
        "en": "../../../stories/silentium-piano-queens-pianos/",
        **{x: f"../../../{x}/stories/silentium-piano-queens-pianos/" for x in LANGS},
        "fr": "./",
    }


def test_search_index_per_language(real_site: Build) -> None:
    """Each language has its own index holding only its pages, titled in its language, and its
    pages point the search at it."""
    for lang in ["en", *LANGS]:
        prefix = "" if lang == "en" else f"{lang}/"
        docs = searchindex.documents(real_site.site / prefix / "search")
        assert not any(url.startswith(tuple(f"{x}/" for x in LANGS)) for url, _, _ in docs)
        # Every written page is searchable; generated lists (the event list too), facets, map and
        # data pages are not.
        written = [
            p
            for p in _pages(real_site.site, "en")
            if not GENERATED.search(p.as_posix()) and p != real_site.site / "events/index.html"
        ]
        assert len([url for url, _, _ in docs if "#" not in url]) == len(written)
        story = next(title for url, title, _ in docs if url == "stories/silentium-piano-queens-pianos/")
        page = real_site.html(f"{prefix}stories/silentium-piano-queens-pianos/index.html")
        assert unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]) == story  # as the page shows it
    html = real_site.html("de/guides/financial-support/index.html")
    assert 'data-msme-search="../../search/"' in html


def test_localised_formats(real_site: Build) -> None:
    """Country names, dates and money come out in each language's own conventions (Babel/CLDR)."""
    assert "Belgique" in real_site.html("fr/stories/silentium-piano-queens-pianos/index.html")
    assert "Spanien" in real_site.html("de/stories/silentium-piano-queens-pianos/index.html")
    assert "14. März 2023" in real_site.html("de/events/final-conference/index.html")
    assert "14 marzo 2023" in real_site.html("it/events/final-conference/index.html")
    grants_de = real_site.html("de/guides/financial-support/index.html")
    assert 'Dänemark</th><td class="msme-num">1.100\u00a0€' in grants_de
    grants_en = real_site.html("guides/financial-support/index.html")
    assert 'Denmark</th><td class="msme-num">€1,100' in grants_en


def test_polish_without_content_builds(tmp_path: Path) -> None:
    """Adding `pl` (no translations) builds strict-clean; its pages show the English text, so its
    search index is empty."""
    langs = [{"locale": x, "name": x, "default": x == "en", "build": True} for x in ["en", *LANGS, "pl"]]
    result = build(make_project(tmp_path, keep_nav=True, languages=langs))
    assert result.code == 0, result.output
    assert "WARNING" not in result.output
    # Every Polish page shows the English text: none is searchable in Polish.
    assert searchindex.documents(result.site / "pl/search") == []
    assert (result.site / "pl/guides/financial-support/index.html").exists()
    assert "msme-notice" in result.html("pl/guides/financial-support/index.html")


def test_site_under_a_sub_path(tmp_path: Path) -> None:
    """With site_url under a sub-path, canonical and hreflang URLs include it; links stay relative."""
    from msme.siteconfig import dump_editable, load_editable

    project = make_project(tmp_path, keep_nav=True)
    cfg = load_editable(project / "mkdocs.yml")
    cfg["site_url"] = "https://example.org/programmes/mobilise/"
    (project / "mkdocs.yml").write_text(dump_editable(cfg), encoding="utf-8")
    result = build(project)
    assert result.code == 0, result.output
    html = result.html("it/about/index.html")
    assert '<link rel="canonical" href="https://example.org/programmes/mobilise/it/about/">' in html
    assert 'hreflang="de" href="https://example.org/programmes/mobilise/de/about/"' in html
    assert 'href="/' not in html.split("<body")[1]
