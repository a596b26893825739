"""Every text says which language it is in: a quote a translation gives in its own words is the
translation's (and says it is a translation), an untranslated one keeps its source's language;
source titles keep their document's language; contact-point notes exist in every language; and
line numbers in a page's text come from one body-start helper."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import yaml

from conftest import ROOT, Build, bakery_story
from msme import content, l10n, model, sanitize, terminology, translations, views
from msme.site import Site
from msme.validate import load_site

CONTACTS = "guides/local-contact-points.md"
EVENT = "events/final-conference.md"
QUOTE = "the oven taught us more than any course"  # fictional words of a fictional baker
STORY = bakery_story(
    "people: [{id: jane-fictional, role: Head baker}]\n"
    f"quotes:\n  - {{text: {QUOTE}, person: jane-fictional}}\n"
    "  - {text: we laminated every day, person: jane-fictional}\n",
    "The visiting baker learnt lamination.\n",
)


@cache
def _real() -> Site:
    return load_site()


def _ctx(site: Site, lang: str) -> views.Context:
    default = site.config.default.locale
    return views.Context(lang, l10n.labels(lang, default), site.consent, default)


def _render(partial: str, **values: object) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"), autoescape=True)
    return env.get_template(f"partials/{partial}").render(**values)


def _story_site(tmp_path: Path, translation: str) -> Site:
    """A fictional story with two quotes and a French translation with the given front matter lines."""
    docs = tmp_path / "docs"
    (docs / "stories/x").mkdir(parents=True)
    (docs / "stories/x/index.md").write_text(STORY, encoding="utf-8")
    (docs / "stories/x/index.fr.md").write_text(
        f"---\ntranslation_of: 000000000000\n{translation}---\nLe boulanger invité a appris le feuilletage.\n",
        encoding="utf-8",
    )
    record = {"name": "Jane Fictional", "scope": ["name", "quote"], "date": "2026-01-01", "basis": "Fixture."}
    consent = tmp_path / "consent.yml"
    consent.write_text(yaml.safe_dump({"people": {"jane-fictional": record}}), encoding="utf-8")
    return load_site(docs, consent)


def test_merge_marks_only_the_items_whose_words_a_translation_changes() -> None:
    """A quote or source title the translation rewrites is marked; one it copies unchanged, the
    other items, other lists and the original itself are not."""
    original = {
        "quotes": [{"text": "a", "person": "p"}, {"text": "b", "person": "q"}],
        "sources": [{"title": "Seite", "url": "https://example.org/"}],
        "steps": [{"title": "one", "text": "x"}],
    }
    overlay = {
        "quotes": [{"text": "a"}, {"text": "β"}],
        "sources": [{"title": "Page"}],
        "steps": [{"title": "un"}],
    }
    merged = content.merge_translation(original, overlay)
    assert [q.get("translated", False) for q in merged["quotes"]] == [False, True]
    assert merged["quotes"][1] == {"text": "β", "person": "q", "translated": True}
    assert merged["sources"][0]["translated"] is True
    assert "translated" not in merged["steps"][0]
    assert all("translated" not in item for key in original for item in original[key])
    assert {"quotes", "sources"} == model.TRANSLATION_MARKED
    assert not model.is_translatable("quotes[].translated") and not model.is_translatable("sources[].lang")


def test_translated_quote_is_in_the_pages_language_and_says_so(tmp_path: Path) -> None:
    """On the French page a quote given in French carries no lang="en" and is labelled a translation;
    the quote left in English keeps lang="en"; the English page marks neither."""
    site = _story_site(tmp_path, "quotes:\n  - text: le four nous a appris plus que n'importe quel cours\n  - {}\n")
    assert [str(p) for p in site.problems] == []
    fr = views.quotes(site.page("fr", "stories/x/index.md"), _ctx(site, "fr"), {"jane-fictional": "Boulangère"})
    assert [(q["lang"], q["translated"]) for q in fr] == [("", "citation traduite"), ("en", "")]
    html = _render("msme-quotes.html", quotes=fr, t=_ctx(site, "fr").labels)
    assert html.count('lang="en"') == 1 and html.count("(citation traduite)") == 1
    first = html.split("</figure>")[0]
    assert "n&#39;importe quel cours" in first and "lang=" not in first
    en = views.quotes(site.page("en", "stories/x/index.md"), _ctx(site, "en"), {})
    assert [(q["lang"], q["translated"]) for q in en] == [("", ""), ("", "")]


def test_quote_copied_unchanged_keeps_its_source_language(tmp_path: Path) -> None:
    """A translation that repeats the original's words has not translated them."""
    site = _story_site(tmp_path, f"quotes:\n  - text: {QUOTE}\n  - {{}}\n")
    assert [str(p) for p in site.problems] == []
    fr = views.quotes(site.page("fr", "stories/x/index.md"), _ctx(site, "fr"), {})
    assert [(q["lang"], q["translated"]) for q in fr] == [("en", ""), ("en", "")]


def test_a_translation_cannot_set_the_mark_itself(tmp_path: Path) -> None:
    """`translated` is the build's: written by hand in a translation, it is refused like any fact."""
    site = _story_site(tmp_path, "quotes:\n  - {translated: true}\n  - {}\n")
    assert any("quotes[].translated" in str(p) for p in site.problems), site.problems


def test_untranslated_conference_quote_stays_english() -> None:
    """The real conference quote, which no translation rewrites, is marked English on every
    translated page and never called a translation."""
    site = _real()
    for lang in site.config.locales[1:]:
        quotes = views.event(site.page(lang, EVENT), _ctx(site, lang))["quotes"]
        assert quotes and all((q["lang"], q["translated"]) == ("en", "") for q in quotes), lang


def test_quote_label_is_translated_in_every_language() -> None:
    """The label is real text in each of the site's languages, never the English one copied."""
    locales = _real().config.locales
    labels = {lang: l10n.labels(lang, locales[0])["quote_translated"] for lang in locales}
    assert len(labels) == 7 and len(set(labels.values())) == len(labels)
    assert re.search("[α-ω]", labels["el"])


@pytest.mark.parametrize(("lang", "marks"), [("fr", {"de", "it", "es", "en"}), ("es", {"de", "it", "en", ""})])
def test_source_titles_keep_their_documents_language(lang: str, marks: set[str]) -> None:
    """German, Italian and Spanish titles are marked as such on pages in other languages, English
    ones with the originals' language; a title in the page's own language is not marked."""
    site = _real()
    shown = {s["title"]: s["lang"] for s in views.sources(site.page(lang, CONTACTS), _ctx(site, lang))}
    assert shown["Kreativwirtschaft Austria: Mobilise SME – europaweite Mobilität für KMU-Mitarbeiter"] == "de"
    assert shown["About MobiliseSME"] == "en"
    assert set(shown.values()) == marks
    english = {s["title"]: s["lang"] for s in views.sources(site.page("en", CONTACTS), _ctx(site, "en"))}
    assert english["About MobiliseSME"] == "" and set(english.values()) == {"", "de", "it", "es"}
    html = _render("msme-sources.html", srcs=views.sources(site.page(lang, CONTACTS), _ctx(site, lang)), t={})
    assert html.count(' lang="') == sum(1 for v in shown.values() if v)


def test_source_title_given_by_a_translation_is_in_its_language(tmp_path: Path) -> None:
    """A title the French translation rewrites is French; the original's, shown elsewhere, is English."""
    site = _story_site(tmp_path, "sources:\n  - title: Dossier fictif\n")
    assert [str(p) for p in site.problems] == []
    assert [s["lang"] for s in views.sources(site.page("fr", "stories/x/index.md"), _ctx(site, "fr"))] == [""]
    assert [s["lang"] for s in views.sources(site.page("en", "stories/x/index.md"), _ctx(site, "es"))] == ["en"]


def test_contact_point_notes_in_every_language() -> None:
    """Every note the file gives is shown in each language in that language's own words, so none
    is marked; the English text stays under `note` for readers of the file."""
    site = _real()
    raw = yaml.safe_load((ROOT / "data/contact_points.yml").read_text(encoding="utf-8"))
    written = [r["note"] for r in raw if r["note"]]
    assert len(written) == 4 and all(set(n) == set(site.config.locales) for n in written)
    english = {n["en"] for n in written}
    for lang in site.config.locales:
        rows = views.data_table("contact_points", _ctx(site, lang))["rows"]
        notes = [r for r in rows if r["note"]]
        assert len(notes) == len(written) and all(r["note_lang"] == "" for r in notes), lang
        assert lang == "en" or not english & {r["note"] for r in notes}, lang


def test_contact_point_note_missing_in_a_language_falls_back_marked(tmp_path: Path) -> None:
    """A note the file gives only in English (or as plain text) shows in English, marked as such."""
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        {
            "organisation": "Fictional Chamber",
            "country": "BE",
            "note": {"en": "fictional note"},
            "url": "https://x.test/",
        },
        {"organisation": "Imaginary Guild", "country": "ES", "note": "plain note", "url": "https://x.test/"},
        {"organisation": "Invented Club", "country": "IE", "note": "", "url": "https://x.test/"},
    ]
    (data / "contact_points.yml").write_text(yaml.safe_dump(rows), encoding="utf-8")
    shown = views.data_table("contact_points", _ctx(_real(), "el"), data)["rows"]
    assert {(r["note"], r["note_lang"]) for r in shown} == {("fictional note", "en"), ("plain note", "en"), ("", "")}


def test_built_guide_shows_translated_notes_and_marked_titles(real_site: Build) -> None:
    """What a Greek and a French reader get in the built contact-points guide."""
    for lang, note in [("el", "συνσυντονιστής"), ("fr", "co-coordinatrice")]:
        html = real_site.html(f"{lang}/guides/local-contact-points/index.html")
        assert f"<td>{note}</td>" in html and "<td>co-coordinator</td>" not in html
        assert re.search(r'<a href="https://www\.kreativwirtschaft\.at/[^"]*" rel="external noopener" lang="de">', html)
        assert 'rel="external noopener" lang="en">About MobiliseSME</a>' in html


CRLF_PAGE = (
    "---\r\ntitle: Fictional\r\nsummary: Fixture.\r\n---\r\n\r\n\r\nFirst line.\r\n\r\n"
    'A <span onclick="x">word</span> and a Local Contact Points mention.\r\n'
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_body_start_gives_file_line_numbers(tmp_path: Path, newline: str) -> None:
    """Raw HTML (sanitize) and a wrong term (translations) on line 9 are both reported at line 9,
    after front matter and blank lines, whatever the line endings."""
    path = tmp_path / "docs" / "page.fr.md"
    path.parent.mkdir()
    path.write_bytes(CRLF_PAGE.replace("\r\n", newline).encode("utf-8"))
    sf = content.parse_file(path, "page.fr.md", "fr", "page.md")
    head = content.text_before_body(path, sf.body)
    assert head.count("\n") == 6 and head.startswith("---")
    assert [p.field for p in sanitize.body_problems(sf, path)] == ["(text) line 9"]
    site = SimpleNamespace(docs_dir=path.parent)  # all _page_terms reads of the site
    glossary = terminology.load_language(ROOT / "data/terminology/fr.yml", "fr")
    assert [p.field for p in translations._page_terms(site, sf, glossary)] == ["line 9"]  # type: ignore[arg-type]
