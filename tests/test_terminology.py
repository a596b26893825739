"""The terminology base (data/terminology/<lang>.yml) and its check in `check-translations`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from msme import terminology, translations
from msme.paths import DATA_DIR
from msme.validate import load_site

BASE = DATA_DIR / "terminology"
LANGUAGES = ["en", "es", "fr", "it", "de", "el", "hr"]  # en first: the other files follow its keys
ORIGINAL = "---\ntitle: Guide\nsummary: Fictional.\naudiences: [staff]\nreviewed: 2026-01-01\n---\nText.\n"


def test_base_loads_and_every_language_has_every_term() -> None:
    """Seven languages, each with every term and organisation of en.yml, and no unreadable file."""
    base, problems = terminology.load(BASE, LANGUAGES)
    assert problems == []
    assert sorted(p.stem for p in BASE.glob("*.yml")) == sorted(LANGUAGES)
    keys = {lang: {(t.kind, t.key) for t in g.entries} for lang, g in base.items()}
    assert all(keys[lang] == keys["en"] for lang in LANGUAGES)
    kinds = {kind for kind, _ in keys["en"]}
    assert kinds == {"term", "organisation"}
    assert {"host country", "Local Contact Point", "grant", "legal notice"} <= {k for _, k in keys["en"]}


def test_a_missing_term_or_a_self_contradiction_is_reported(tmp_path: Path) -> None:
    """A language lacking a term, or avoiding a form its own preferred form contains, is named."""
    folder = tmp_path / "data/terminology"
    shutil.copytree(BASE, folder)
    de = (folder / "de.yml").read_text(encoding="utf-8")
    de = de.replace("  auditors:\n    use: Wirtschaftsprüfer\n    avoid: [Auditoren]\n", "")
    de = de.replace("avoid: [Daten des Austauschs", "avoid: [Zeitraum, Daten des Austauschs")
    (folder / "de.yml").write_text(de, encoding="utf-8")
    _, problems = terminology.load(folder, LANGUAGES)
    assert ("data/terminology/de.yml", "lacks term 'auditors' (add it, as in en.yml)") in problems
    assert any("avoids 'Zeitraum', which its own form 'Zeitraum' contains" in m for _, m in problems)


def _site(tmp_path: Path, translation: str, labels: str = "") -> list[str]:
    """check_terms on a one-page site with a German translation and German labels."""
    docs, data = tmp_path / "docs", tmp_path / "data"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides/g.md").write_text(ORIGINAL, encoding="utf-8")
    (docs / "guides/g.de.md").write_text(translation, encoding="utf-8")
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("i18n"))
    (data / "i18n").mkdir()
    (data / "i18n/de.yml").write_text(labels or "fact_box: Steckbrief\n", encoding="utf-8")
    return [str(p) for p in translations.check_terms(load_site(docs, data_dir=data))]


def test_a_wrong_term_in_a_page_is_reported_with_file_line_and_fix(tmp_path: Path) -> None:
    """In the text and in a translatable front-matter value, each on its own line of the file."""
    page = (
        "---\ntranslation_of: x\ntitle: Leitfaden\nsummary: Wie das Aufnahmeland zahlte.\n---\n"
        "Der Zuschuss hing vom Gastland ab.\n\nIn den Aufnahmeländern war er\nhöher; siehe Rechtlicher\nHinweis.\n"
    )
    assert _site(tmp_path, page) == [
        'docs/guides/g.de.md: line 4: uses "Aufnahmeland" (write "Gastland": terminology, term "host country")',
        'docs/guides/g.de.md: line 8: uses "Aufnahmeländern" (write "Gastland": terminology, term "host country")',
        'docs/guides/g.de.md: line 9: uses "Rechtlicher Hinweis" (write "Impressum": terminology, term "legal notice")',
    ]


def test_a_wrong_term_in_a_label_file_is_reported(tmp_path: Path) -> None:
    """A label value, nested ones included, is reported on its line of data/i18n/<lang>.yml."""
    labels = (
        "# Aufnahmeland im Kommentar zählt nicht\nhost_country: Aufnahmeland\naudiences:\n  host-sme: Aufnehmende KMU\n"
    )
    page = "---\ntranslation_of: x\ntitle: Leitfaden\n---\nText.\n"
    assert _site(tmp_path, page, labels) == [
        'data/i18n/de.yml: line 2: uses "Aufnahmeland" (write "Gastland": terminology, term "host country")',
        'data/i18n/de.yml: line 4: uses "Aufnehmende KMU" (write "Gast-KMU": terminology, term "host SME")',
    ]


CODE_AND_ADDRESSES = {
    "backtick fence": "```\nDas Aufnahmeland\n```\n",
    "tilde fence": "~~~\nDas Aufnahmeland\n~~~\n",
    "indented code": "Text.\n\n    Das Aufnahmeland\n",
    "code span": "Schreiben Sie nicht `Aufnahmeland`.\n",
    "link address": "Siehe [die Liste](https://example.org/Aufnahmeland/).\n",
    "autolink": "Siehe <https://example.org/Aufnahmeland>.\n",
    "bare address": "Siehe example.org/Aufnahmeland oder info@aufnahmeland.eu.\n",
    "text in another language": 'Die Broschüre (<span lang="en">Success Stories Booklet</span>).\n',
}


@pytest.mark.parametrize("case", list(CODE_AND_ADDRESSES))
def test_code_and_addresses_are_ignored(tmp_path: Path, case: str) -> None:
    """Only prose counts: the same word in the text next to it is still reported, once."""
    page = f"---\ntranslation_of: x\ntitle: Leitfaden\n---\n{CODE_AND_ADDRESSES[case]}\nDas Aufnahmeland zahlte.\n"
    found = _site(tmp_path, page)
    assert len(found) == 1 and '"Aufnahmeland"' in found[0], found


def test_a_kept_organisation_name_needs_its_language(tmp_path: Path) -> None:
    """An original name kept in a German page is marked with its language; a translated one is wrong."""
    page = (
        "---\ntranslation_of: x\ntitle: Leitfaden\n---\n"
        '<span lang="es">Fundación Equipo Humano</span> und\nFundación Equipo Humano mit der\n'
        '<span lang="en">Polytechnic University of Marche</span>.\n'
    )
    unmarked = (
        'docs/guides/g.de.md: line 6: names "Fundación Equipo Humano" without its language (write <span lang="es">'
        'Fundación Equipo Humano</span>: terminology, organisation "Fundación Equipo Humano")'
    )
    translated = (
        'docs/guides/g.de.md: line 7: uses "Polytechnic University of Marche" (write "Università Politecnica delle '
        'Marche": terminology, organisation "Università Politecnica delle Marche")'
    )
    assert _site(tmp_path, page) == [unmarked, translated]


def test_current_content_is_clean() -> None:
    """Every page and label file of the real site uses its language's terms."""
    assert [str(p) for p in translations.check_terms(load_site())] == []
