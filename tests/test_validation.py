"""The content model and validator: real content passes, broken content fails with exact messages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build, make_project
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


def test_validate_command_lists_all_and_fails() -> None:
    """The validate command prints every problem and exits non-zero."""
    proc = subprocess.run(
        [sys.executable, "-m", "msme", "validate", "--docs", str(FIXTURES / "broken"), "--consent", str(EMPTY_CONSENT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
    )
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
        ("finished", "ES", "", "status: got 'finished'; input should be 'draft', 'review' or 'published'"),
        ("published", "null", "", "(page): a published story needs sending.country (fill them in from a source"),
        (
            "published",
            "ES",
            "people: [{id: nobody-known, role: a manager}]",
            "people[0].id: 'nobody-known' has no consent record (add people.nobody-known with scope [name]",
        ),
        ("published", "ES", "period: {start: May 2021}", "period.start: got 'May 2021'; must match"),
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
