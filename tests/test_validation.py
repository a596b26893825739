"""The content model and validator: real content passes, broken content fails with exact messages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, bakery_story, build, make_project
from msme.siteconfig import load_site_config
from msme.validate import load_site

EMPTY_CONSENT = FIXTURES / "consent-empty.yml"

FIVE_MISTAKES = [
    (
        "broken/stories/bad-yaml/index.md: (front matter): YAML does not parse at line 7, column 1: "
        "did not find expected ',' or '}' (check indentation, and quote values that contain ': ')"
    ),
    "broken/stories/five-mistakes/index.md: title: is required (add `title:` to the front matter)",
    (
        "broken/stories/five-mistakes/index.md: sending.country: unknown country code 'XX' (use one of the "
        "codes under countries: in data/vocabularies.yml: AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, …)"
    ),
    "broken/stories/five-mistakes/index.md: duration_months: must be at most 6, got 9 (correct the number)",
    (
        "broken/stories/five-mistakes/index.md: images[0].src: file 'missing-photo.jpg' not found in "
        "stories/five-mistakes/ (put the photo next to the page or fix the name)"
    ),
]


def test_real_content_is_valid() -> None:
    """Every real content file in docs/ passes the schema and the cross-file rules."""
    site = load_site()
    assert [str(p) for p in site.problems] == []
    assert len(site.pages) >= 10


def test_five_mistakes_reported_in_one_run() -> None:
    """A YAML error in one file and four mistakes in another are all named, with file and field."""
    site = load_site(FIXTURES / "broken", EMPTY_CONSENT)
    assert [str(p) for p in site.problems] == FIVE_MISTAKES


def _validate_command(docs: Path, consent: Path) -> subprocess.CompletedProcess[str]:
    """`msme validate` run as a person runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "msme", "validate", "--docs", str(docs), "--consent", str(consent)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
    )


def test_validate_command_lists_all_and_fails() -> None:
    """The validate command prints every problem and exits non-zero."""
    proc = _validate_command(FIXTURES / "broken", EMPTY_CONSENT)
    assert proc.returncode == 1
    for line in FIVE_MISTAKES:
        assert line in proc.stderr
    assert "5 problem(s) in 2 file(s)." in proc.stderr


def test_build_refuses_broken_content(tmp_path: Path) -> None:
    """`mkdocs build` stops on invalid content and names every problem."""
    result = build(make_project(tmp_path, FIXTURES / "broken", EMPTY_CONSENT))
    assert result.code != 0
    assert "Content has 5 problem(s)" in result.output
    for line in FIVE_MISTAKES:
        assert line.replace("broken/", "docs/", 1) in result.output
    assert not (result.site / "index.html").exists()


def _write(tmp: Path, rel: str, text: str) -> None:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


STORY = """---
title: Fictional exchange for a schema test
summary: Fictional.
status: {status}
published: 2026-01-01
sending: {{name: Example Fictional Bakery, country: {country}}}
host: {{name: Imaginary Tools GmbH, country: DE}}
collaboration_types: [training]
{extra}
sources:
  - {{title: Fixture, url: "https://example.org/fixture"}}
---
Body.
"""


@pytest.mark.parametrize(
    ("status", "country", "extra", "expected"),
    [
        ("published", "ES", "colour: blue", "colour: is not a known field (check its spelling or remove it;"),
        (
            "finished",
            "ES",
            "",
            "status: got 'finished', which is not one of 'draft', 'review' or 'published' (write one of these exactly)",
        ),
        ("published", "null", "", "(page): a published story needs sending.country (fill them in from a source"),
        (
            "published",
            "ES",
            "people: [{id: nobody-known, role: a manager}]",
            "people[0].id: 'nobody-known' has no consent record (add people.nobody-known with scope [name]",
        ),
        (
            "published",
            "ES",
            "period: {start: May 2021}",
            "period.start: got 'May 2021', which is not a month or a date (write YYYY-MM or YYYY-MM-DD",
        ),
        ("published", "ES", "collaboration_types: [trainin]", "did you mean training?"),
    ],
)
def test_schema_rejects(tmp_path: Path, status: str, country: str, extra: str, expected: str) -> None:
    """Each broken field gets one readable message naming the field and the fix."""
    text = STORY.format(status=status, country=country, extra=extra)
    if "collaboration_types: [trainin]" in extra:
        text = text.replace("collaboration_types: [training]\n", "")
    _write(tmp_path, "stories/x/index.md", text)
    problems = [str(p) for p in load_site(tmp_path, EMPTY_CONSENT).problems]
    assert any(expected in p for p in problems), problems


def test_values_as_the_web_editor_writes_them(tmp_path: Path) -> None:
    """YAML 1.2 as forms write it: NO is Norway (not false), a full date in a text field stays
    text, and an optional field left blank ("" or null) is simply unset."""
    extra = "duration_months: ''\nperiod: {start: 2021-05-14, end: ''}\nresults: {kind: null}"
    _write(tmp_path, "stories/x/index.md", STORY.format(status="published", country="NO", extra=extra))
    site = load_site(tmp_path, EMPTY_CONSENT)
    assert [str(p) for p in site.problems] == []
    story = site.page("en", "stories/x/index.md")
    assert story.sending.country == "NO" and story.period.start == "2021-05-14"
    assert story.duration_months is None and story.period.end is None and story.results.kind == "reported"
    assert story.published == dt.date(2026, 1, 1)  # a real date field still reads as a date


def test_draft_may_leave_countries_unknown(tmp_path: Path) -> None:
    """A draft is valid without the facts a source has not given yet."""
    _write(tmp_path, "stories/x/index.md", STORY.format(status="draft", country="null", extra=""))
    assert load_site(tmp_path, EMPTY_CONSENT).problems == []


def test_translation_may_not_change_facts(tmp_path: Path) -> None:
    """A translation that sets a non-translatable field (a country) is refused."""
    _write(tmp_path, "stories/x/index.md", STORY.format(status="published", country="ES", extra=""))
    _write(
        tmp_path,
        "stories/x/index.fr.md",
        "---\ntranslation_of: abc\ntitle: Échange fictif\nsending: {country: FR}\n---\nCorps.\n",
    )
    from msme.siteconfig import Language, SiteConfig

    config = SiteConfig((Language("en", "English", True), Language("fr", "Français", False)), "", "")
    problems = [str(p) for p in load_site(tmp_path, EMPTY_CONSENT, config).problems]
    assert problems == [
        (
            f"{tmp_path.name}/stories/x/index.fr.md: sending.country: is not translatable; set it in the "
            "original stories/x/index.md only (delete it here)"
        )
    ]


def test_digit_only_translation_hash_keeps_its_zeros(tmp_path: Path) -> None:
    """A hash made only of digits would read as a number in YAML; it is taken as written."""
    from msme.content import parse_file

    path = tmp_path / "page.fr.md"
    path.write_text("---\ntranslation_of: 012345678901\ntitle: Page\n---\nTexte.\n", encoding="utf-8")
    assert parse_file(path, "page.fr.md", "fr", "page.md").meta["translation_of"] == "012345678901"


def test_names_urls_and_card_glyphs(tmp_path: Path) -> None:
    """A folder name that is not a URL slug, an English page whose URL is a translation's, a page
    where the site generates one, two files for one URL, and titles the card font cannot draw (in
    any language): each named once, with the fix."""
    site = load_site(FIXTURES / "broken-names", EMPTY_CONSENT)
    assert [str(p) for p in site.problems] == [
        (
            "broken-names/stories/Café Story/index.md: (file name): 'Café Story' cannot be part of a web "
            "address (use lower-case letters a–z, digits and hyphens only: rename the folder to cafe-story)"
        ),
        (
            "broken-names/es/about.md: (slug): would be built at es/about/, the same URL as about.es.md "
            "(rename or move one of them)"
        ),
        (
            "broken-names/stories/map/index.md: (slug): would be built at stories/map/, among the pages the "
            "site generates (lists, facets, map, data) (rename or move it)"
        ),
        (
            "broken-names/stories/twice.md: (slug): would be built at stories/twice/, the same URL as "
            "stories/twice/index.md (rename or move one of them)"
        ),
        (
            "broken-names/stories/glyphs/index.fr.md: title: has characters the social-card font cannot draw, "
            "which would show as empty boxes: 🥐 (U+1F950) (write the title in Latin, Greek or Cyrillic "
            "letters, without emoji)"
        ),
        (
            "broken-names/stories/glyphs/index.md: title: has characters the social-card font cannot draw, "
            "which would show as empty boxes: 交 包 店 流 面 (U+4EA4, U+5305, U+5E97, U+6D41, U+9762) (write "
            "the title in Latin, Greek or Cyrillic letters, without emoji)"
        ),
    ]


# Every error type pydantic gives for the content model's field types (text, patterns, URL, whole
# and decimal numbers, bounds, true/false, lists, groups of fields, dates, fixed choices, unknown
# and missing fields, the model's own checks); the enumeration below must produce each of them.
ERROR_KINDS = {
    "missing",
    "extra_forbidden",
    "string_type",
    "string_too_short",
    "string_too_long",
    "string_pattern_mismatch",
    "url_type",
    "url_parsing",
    "url_scheme",
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "float_parsing",
    "greater_than_equal",
    "less_than_equal",
    "bool_type",
    "bool_parsing",
    "list_type",
    "too_short",
    "model_type",
    "date_type",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "literal_error",
    "value_error",
}
WRONG_VALUES = [None, "", "not valid", "x" * 400, -5, 2.5, 10**30, True, [], [1, 2], {"a": 1}, "ftp://x", "Jane Doe"]


def _every_model_error() -> list[tuple[type, dict]]:
    """(model, error) for each field of every content model and the consent record, given each kind
    of wrong value next to an unknown field."""
    from pydantic import ValidationError

    from msme import consent, model
    from msme.vocab import load_vocab

    classes = [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, model.Strict)]
    out = []
    for cls in [*classes, consent.ConsentRecord]:
        for name in cls.model_fields:
            for value in WRONG_VALUES:
                try:
                    cls.model_validate({name: value, "colour": "blue"}, context={"vocab": load_vocab()})
                except ValidationError as exc:
                    out += [(cls, err) for err in exc.errors()]
    return out


def test_every_pydantic_error_in_the_projects_words() -> None:
    """Every error the content model's field types can produce is described in the project's own
    words and ends with a fix in brackets; none repeats pydantic's text."""
    import re

    from msme.describe import pydantic_error

    errors = _every_model_error()
    assert {err["type"] for _, err in errors} >= ERROR_KINDS
    for cls, err in errors:
        where, message = pydantic_error(err, cls)
        assert err["msg"].casefold() not in message.casefold(), (err, message)
        assert "should" not in message and "Input" not in message, (err, message)
        assert re.search(r" \([^()]+(\([^()]*\)[^()]*)*\)$", message), (err, message)
        assert where and " " not in where, (err, where)


def _data_copy(tmp_path: Path, name: str, content: bytes) -> tuple[Path, Path]:
    """A copy of data/ with one file replaced, and a one-page docs folder."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / name).write_bytes(content)
    _write(tmp_path, "docs/index.md", "---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n")
    return data, tmp_path / "docs"


BROKEN_DATA = {
    "encoding": (
        b"# a comment\ntitle: caf\xe9\n",
        "is not UTF-8 text: byte 0xe9 on line 2 cannot be read (save the file as UTF-8)",
    ),
    "yaml": (
        b"# a comment\nkey: [unclosed\n",
        (
            "YAML does not parse at line 3, column 1: did not find expected ',' or ']' "
            "(check indentation, and quote values that contain ': ')"
        ),
    ),
    "layout": (
        b"- a list\n- where a mapping belongs\n",
        "must hold a mapping of `key: value` lines, not a list (restore its layout from the repository)",
    ),
}


@pytest.mark.parametrize("kind", list(BROKEN_DATA))
@pytest.mark.parametrize(
    "name", ["consent.yml", "vocabularies.yml", "grants.yml", "contact_points.yml", "i18n/en.yml", "i18n/de.yml"]
)
def test_broken_data_file_is_named(tmp_path: Path, name: str, kind: str) -> None:
    """A data file with a bad byte, bad YAML or the wrong layout is one `data/<file>: (file):` line."""
    content, message = BROKEN_DATA[kind]
    if kind == "layout" and name == "contact_points.yml":  # the one file that is a list
        content, message = (
            b"key: a mapping\n",
            message.replace("a mapping of `key: value` lines, not a list", "a list of `- ` items, not a mapping"),
        )
    data, docs = _data_copy(tmp_path, name, content)
    site = load_site(docs, data / "consent.yml", data_dir=data)
    assert [str(p) for p in site.problems] == [f"data/{name}: (file): {message}"]


def test_validate_command_reports_a_broken_register(tmp_path: Path) -> None:
    """A consent register with a byte that is not UTF-8 is a line of the validate command, not a traceback."""
    consent = tmp_path / "consent.yml"
    consent.write_bytes(b"people:\n  jane-fictional:\n    name: Jos\xe9\n")
    proc = _validate_command(FIXTURES / "broken", consent)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert (
        "data/consent.yml: (file): is not UTF-8 text: byte 0xe9 on line 3 cannot be read (save the file as UTF-8)"
    ) in proc.stderr


def test_consent_records_in_the_projects_words(tmp_path: Path) -> None:
    """A wrong date, scope, id or replacement in the register gets the project's message and fix."""
    consent = tmp_path / "consent.yml"
    consent.write_text(
        "people:\n"
        "  Jane Fictional: {name: Jane Fictional, scope: [name], date: 2026-01-01, basis: Fixture.}\n"
        "  joe-fictional: {name: Joe Fictional, scope: [nam], date: soon, basis: Fixture.}\n"
        "  ann-fictional: {name: Ann Fictional, scope: [name], date: 2026-01-01, basis: Fixture., replacement: boss}\n"
        "  bo-fictional: {name: Bo Fictional, scope: [name], date: 2026-01-01, basis: Fixture.,\n"
        "                 replacement: {en: a guest, es: una persona invitada}}\n",
        encoding="utf-8",
    )
    _write(tmp_path, "docs/index.md", "---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n")
    assert [str(p) for p in load_site(tmp_path / "docs", consent).problems] == [
        (
            "data/consent.yml: people.Jane Fictional: is not an id that pages can refer to (use lower-case "
            "letters, digits and hyphens, e.g. jane-doe)"
        ),
        (
            "data/consent.yml: people.joe-fictional.scope[0]: got 'nam', which is not one of 'name', 'quote' "
            "or 'photo' (write one of these exactly)"
        ),
        (
            "data/consent.yml: people.joe-fictional.date: got 'soon', which is not a date (write it as "
            "YYYY-MM-DD, e.g. 2023-03-14)"
        ),
        (
            "data/consent.yml: people.ann-fictional.replacement: 'boss' is not a wording under withdrawn_as: in "
            "data/i18n/en.yml (use one of participant, speaker, host_representative, sending_representative, "
            "organiser_representative, or give the words per language: {en: …})"
        ),
        (
            "data/consent.yml: people.bo-fictional.replacement: has no words for "
            + ", ".join(x for x in load_site_config().locales if x not in ("en", "es"))
            + " (add fr: … for every language the site is built in, or use a key under withdrawn_as:)"
        ),
    ]


WITHDRAWN_QUOTE = bakery_story(
    "people: [{id: jane-fictional, role: the head baker}]\n"
    "quotes: [{text: our bakers learnt to laminate dough in half the time, person: jane-fictional}]\n",
    "Jane Fictional runs Example Fictional Bakery.\nThe bakers learnt to laminate dough in a week.\n\n"
    "The bakers learnt to laminate dough.\n",
)

WITHDRAWN_QUOTE_FR = """---
translation_of: 000000000000
quotes: [{text: nos boulangers ont appris à feuilleter la pâte très vite}]
---
Jane Fictional dirige Example Fictional Bakery. Les boulangers ont appris à feuilleter la pâte.
"""


def test_prose_close_to_a_withdrawn_quote_is_a_warning(tmp_path: Path) -> None:
    """A sentence, in any language, that keeps 60% of a withdrawn person's quote in order is a
    warning naming file and line; one that keeps 50% is not."""
    from msme.validate import QUOTE_LIKENESS, likeness

    quote = "our bakers learnt to laminate dough in half the time"
    assert likeness(quote, "The bakers learnt to laminate dough in a week.") == QUOTE_LIKENESS == 0.6
    assert likeness(quote, "The bakers learnt to laminate dough.") == 0.5
    _write(tmp_path, "docs/stories/x/index.md", WITHDRAWN_QUOTE)
    _write(tmp_path, "docs/stories/x/index.fr.md", WITHDRAWN_QUOTE_FR)
    record = "{name: Jane Fictional, scope: [name, quote], date: 2026-01-01, basis: Fixture., withdrawn: true}"
    (tmp_path / "consent.yml").write_text(f"people:\n  jane-fictional: {record}\n", encoding="utf-8")
    site = load_site(tmp_path / "docs", tmp_path / "consent.yml")
    assert site.problems == []
    fix = "(rewrite it so the quote cannot be recognised, or remove it)"
    assert [str(w) for w in site.warnings] == [
        (
            "docs/stories/x/index.fr.md: line 5: is close to a quote by jane-fictional, who withdrew consent: "
            f"'Les boulangers ont appris à feuilleter la pâte.' {fix}"
        ),
        (
            "docs/stories/x/index.md: line 15: is close to a quote by jane-fictional, who withdrew consent: "
            f"'The bakers learnt to laminate dough in a week.' {fix}"
        ),
    ]
