"""Every validation rule, by its id in msme.validate.RULES, with the exact message it gives; and the
translation checker, which reads Markdown with the site's parser."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, bakery_story
from msme import translations
from msme.sanitize import TAGS
from msme.siteconfig import Language, SiteConfig
from msme.validate import RULES, load_site

CONFIG = SiteConfig((Language("en", "English", True), Language("fr", "Français", False)), "", "")
JANE = "{name: Jane Fictional, scope: [name], date: 2026-01-01, basis: Fixture.}"
JANE_QUOTES = JANE.replace("[name]", "[name, quote]")
STORY = "docs/stories/x/index.md"
STORY_FR = "docs/stories/x/index.fr.md"
HOME = "---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n"
JANE_STORY = bakery_story("people: [{id: jane-fictional, role: the head baker}]\n", "Jane bakes.\n")
EVENT = (
    "---\ntitle: Fictional fair\nsummary: Fictional.\nname: Fictional Fair\nstart: 2026-03-02\n{dates}"
    "place: {{city: Lyon, country: FR}}\norganisers: [Example Fictional Agency]\n"
    "speakers: [{{person: jane-fictional, role: host, affiliation: Example Fictional Bakery}}]\n{sessions}---\nText.\n"
)


@dataclass
class Case:
    """One broken input for a tiny valid site, and every line validation prints for it."""

    files: dict[str, str | bytes]  # project-relative path -> content, added to or replacing the site's
    expected: str  # the one line it prints
    consent: str = ""  # more records, as `id: {…}` lines under people:
    jane: str = JANE  # jane-fictional's record


@dataclass
class Project:
    """A tiny valid site in a temporary folder: a home page and one story naming jane-fictional."""

    root: Path
    files: dict[str, str | bytes] = field(default_factory=dict)

    def write(self, case: Case) -> None:
        """Lay out the site with `case`'s files and consent records."""
        shutil.copytree(ROOT / "data", self.root / "data", ignore=shutil.ignore_patterns("consent.yml"))
        files = {"docs/index.md": HOME, STORY: JANE_STORY, **case.files}
        people = f"  jane-fictional: {case.jane}\n" + "".join(f"  {line}\n" for line in case.consent.splitlines())
        files.setdefault("data/consent.yml", f"people:\n{people}")
        for rel, content in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def validate(self) -> tuple[list[str], list[str]]:
        """(problems, warnings) as the validate command prints them."""
        site = load_site(self.root / "docs", self.root / "data/consent.yml", CONFIG, data_dir=self.root / "data")
        return [str(p) for p in site.problems], [str(w) for w in site.warnings]


def _fr(front: str, text: str = "Jane fait du pain.\n") -> str:
    """A French translation of the story with these front-matter lines."""
    return f"---\n{front}---\n{text}"


def _story(people_and_quotes: str = "", text: str = "Jane bakes.\n") -> str:
    return bakery_story(f"people: [{{id: jane-fictional, role: the head baker}}]\n{people_and_quotes}", text)


FIX_NAME = "(use lower-case letters a–z, digits and hyphens only: rename the folder to bad-name)"
SOCIAL = "(write the title in Latin, Greek or Cyrillic letters, without emoji)"
ALLOWED_HTML = ", ".join(sorted(TAGS))  # the allow-list itself is sanitize's (tests/test_security.py)

CASES: dict[str, Case] = {
    "data-file": Case(
        {"data/grants.yml": "- a list\n- where a mapping belongs\n"},
        (
            "data/grants.yml: (file): must hold a mapping of `key: value` lines, not a list "
            "(restore its layout from the repository)"
        ),
    ),
    "consent-record": Case(
        {},
        (
            "data/consent.yml: people.joe-fictional.scope[0]: got 'nam', which is not one of 'name', 'quote' "
            "or 'photo' (write one of these exactly)"
        ),
        consent="joe-fictional: {name: Joe Fictional, scope: [nam], date: 2026-01-01, basis: Fixture.}",
    ),
    "consent-replacement-wording": Case(
        {},
        (
            "data/consent.yml: people.jane-fictional.replacement: 'boss' is not a wording under withdrawn_as: "
            "in data/i18n/en.yml (use one of participant, speaker, host_representative, sending_representative, "
            "organiser_representative, or give the words per language: {en: …})"
        ),
        jane=JANE.replace("}", ", replacement: boss}"),
    ),
    "consent-replacement-languages": Case(
        {},
        (
            "data/consent.yml: people.jane-fictional.replacement: has no words for fr (add fr: … for every "
            "language the site is built in, or use a key under withdrawn_as:)"
        ),
        jane=JANE.replace("}", ", replacement: {en: a baker}}"),
    ),
    "file-encoding": Case(
        {"docs/about.md": b"---\ntitle: Caf\xe9\n---\n"},
        "docs/about.md: (file): is not UTF-8 text: byte 0xe9 on line 2 cannot be read (save the file as UTF-8)",
    ),
    "front-matter-yaml": Case(
        {"docs/about.md": "---\ntitle: [Home\n---\n"},
        (
            "docs/about.md: (front matter): YAML does not parse at line 4, column 1: did not find expected ',' "
            "or ']' (check indentation, and quote values that contain ': ')"
        ),
    ),
    "front-matter-mapping": Case(
        {"docs/about.md": "---\n- title\n---\n"},
        "docs/about.md: (front matter): must be `field: value` lines, one field a line (start each line with a field "
        "name, e.g. `title: …`)",
    ),
    "text-raw-html": Case(
        {STORY: _story(text="Jane bakes.\n\n<script>alert(1)</script>\n")},
        (
            f"docs/stories/x/index.md: (text) line 15: raw HTML <script> would be removed from the page "
            f"(write it in Markdown, or use an allowed element: {ALLOWED_HTML})"
        ),
    ),
    "text-address": Case(
        {STORY: _story(text="Jane [bakes](javascript:alert(1)).\n")},
        (
            "docs/stories/x/index.md: (text) line 13: address 'javascript:alert(1)' would be removed from the "
            "page: only http:, https: and mailto: addresses or relative ones are allowed (link to a web page, "
            "an e-mail address or a page of this site)"
        ),
    ),
    "text-attribute": Case(
        {STORY: _story(text="Jane *bakes*{: onclick=alert(1) }.\n")},
        (
            "docs/stories/x/index.md: (text) line 13: attribute onclick= (set with {: … }) would be removed "
            "from the page (write it in Markdown, or use an allowed attribute: class, dir, id, lang, title)"
        ),
    ),
    "file-name": Case(
        {"docs/stories/Bad_Name/index.md": JANE_STORY},
        f"docs/stories/Bad_Name/index.md: (file name): 'Bad_Name' cannot be part of a web address {FIX_NAME}",
    ),
    "translation-of-in-original": Case(
        {"docs/about.md": "---\ntitle: About\nsummary: Fictional.\ntranslation_of: 0123456789ab\n---\nText.\n"},
        "docs/about.md: translation_of: belongs in translations only (delete it from the original)",
    ),
    "translation-orphan": Case(
        {"docs/stories/gone/index.fr.md": _fr("translation_of: 0123456789ab\ntitle: Disparu\n")},
        (
            "docs/stories/gone/index.fr.md: (file): translates stories/gone/index.md, which does not exist "
            "(rename the file to match its original, or delete it)"
        ),
    ),
    "translation-hash": Case(
        {STORY_FR: _fr("title: Des boulangers fictifs\n")},
        (
            "docs/stories/x/index.fr.md: translation_of: is required in a translation (run `./dev msme status` "
            "and copy the hash it shows for stories/x/index.md)"
        ),
    ),
    "translation-fixed-field": Case(
        {STORY_FR: _fr("translation_of: 0123456789ab\nsending: {country: FR}\n")},
        (
            "docs/stories/x/index.fr.md: sending.country: is not translatable; set it in the original "
            "stories/x/index.md only (delete it here)"
        ),
    ),
    "translation-item-count": Case(
        {
            STORY: _story("activities: [Kneading]\n"),
            STORY_FR: _fr("translation_of: 0123456789ab\nactivities: [Pétrir, Cuire]\n"),
        },
        (
            "docs/stories/x/index.fr.md: activities: has 2 items but the original has 1 (translate each item "
            "once, in the same order)"
        ),
    ),
    "unknown-type": Case(
        {"docs/about.md": "---\ntype: recipe\ntitle: About\nsummary: Fictional.\n---\nText.\n"},
        "docs/about.md: type: unknown type 'recipe' (use one of story, guide, event, page)",
    ),
    "schema": Case(
        {"docs/about.md": "---\nsummary: Fictional.\n---\nText.\n"},
        "docs/about.md: title: is required (add `title:` to the front matter)",
    ),
    "story-published-needs": Case(
        {STORY: JANE_STORY.replace("published: 2026-01-01\n", "")},
        (
            "docs/stories/x/index.md: (page): a published story needs published (fill them in from a source, "
            "or set status: draft)"
        ),
    ),
    "event-date-order": Case(
        {"docs/events/fair.md": EVENT.format(dates="end: 2026-03-01\n", sessions="")},
        "docs/events/fair.md: (page): end is before start (swap them or fix the date)",
    ),
    "event-session-speaker": Case(
        {"docs/events/fair.md": EVENT.format(dates="", sessions="sessions: [{title: Bread, speakers: [joe]}]\n")},
        (
            "docs/events/fair.md: (page): session 'Bread' names speaker 'joe' who is not in speakers (add them "
            "to speakers: with role and affiliation)"
        ),
    ),
    "placeholder": Case(
        {STORY: _story("activities: ['A main activity, one per line.']\n")},
        (
            "docs/stories/x/index.md: activities[0]: still holds the template's example text (write it from "
            "the sources, or set status: draft)"
        ),
    ),
    "quote-repeated": Case(
        {
            STORY: _story(
                "quotes: [{text: We learnt to laminate dough, person: jane-fictional}]\n",
                "We learnt\nto laminate dough.\n",
            )
        },
        (
            "docs/stories/x/index.md: quotes[0]: is repeated word for word in the text (paraphrase it there, "
            "so that withdrawing consent can remove it)"
        ),
        jane=JANE_QUOTES,
    ),
    "consent-missing": Case(
        {STORY: bakery_story("people: [{id: joe-fictional, role: a baker}]\n", "Joe bakes.\n")},
        (
            "docs/stories/x/index.md: people[0].id: 'joe-fictional' has no consent record (add "
            "people.joe-fictional with scope [name] to data/consent.yml, or remove them)"
        ),
    ),
    "consent-scope": Case(
        {STORY: _story("quotes: [{text: We learnt a lot, person: jane-fictional}]\n")},
        (
            "docs/stories/x/index.md: quotes[0].person: 'jane-fictional' has not consented to 'quote' (extend "
            "their scope in data/consent.yml, or remove the quote)"
        ),
    ),
    "image-file": Case(
        {STORY: _story("images: [{src: oven.jpg, alt: An oven, credit: Fixture}]\n")},
        (
            "docs/stories/x/index.md: images[0].src: file 'oven.jpg' not found in stories/x/ (put the photo "
            "next to the page or fix the name)"
        ),
    ),
    "source-index": Case(
        {STORY: _story("quotes: [{text: We learnt a lot, person: jane-fictional, source: 4}]\n")},
        (
            "docs/stories/x/index.md: quotes[0].source: points to source 4, but the page lists 1 (use "
            "an index into sources)"
        ),
        jane=JANE_QUOTES,
    ),
    "url-generated": Case(
        {"docs/stories/map/index.md": JANE_STORY},
        (
            "docs/stories/map/index.md: (slug): would be built at stories/map/, among the pages the site "
            "generates (lists, facets, map, data) (rename or move it)"
        ),
    ),
    "url-unique": Case(
        {"docs/stories/x.md": JANE_STORY},
        (
            "docs/stories/x.md: (slug): would be built at stories/x/, the same URL as stories/x/index.md "
            "(rename or move one of them)"
        ),
    ),
    "card-glyphs": Case(
        {STORY: JANE_STORY.replace("title: Fictional bakers", "title: 🥐 Fictional bakers")},
        (
            "docs/stories/x/index.md: title: has characters the social-card font cannot draw, which would show "
            f"as empty boxes: 🥐 (U+1F950) {SOCIAL}"
        ),
    ),
    "svg-refused": Case(
        {"docs/stories/x/oven.svg": "<svg/>", STORY: _story(text="Jane bakes. ![An oven](oven.svg)\n")},
        (
            "docs/stories/x/oven.svg: (file): is an SVG, which content folders do not accept: an SVG can carry "
            "a script that runs when the file is opened (export it as PNG and link the PNG instead)"
        ),
    ),
    "unlinked-file": Case(
        {"docs/stories/x/recipe.pdf": "%PDF-1.4\n"},
        (
            "docs/stories/x/recipe.pdf: (file): no page links to it, so it is not published (link it from a "
            "page, or delete it)"
        ),
    ),
    "withdrawn-quote-close": Case(
        {
            STORY: _story(
                "quotes: [{text: our bakers learnt to laminate dough in half the time, person: jane-fictional}]\n",
                "The bakers learnt to laminate dough in a week.\n",
            )
        },
        (
            "docs/stories/x/index.md: line 14: is close to a quote by jane-fictional, who withdrew consent: "
            "'The bakers learnt to laminate dough in a week.' (rewrite it so the quote cannot be recognised, "
            "or remove it)"
        ),
        jane=JANE_QUOTES.replace("}", ", withdrawn: true}"),
    ),
}


def test_the_tiny_site_is_valid(tmp_path: Path) -> None:
    """The site every case breaks is valid as it is, so each case's lines are its rule's alone."""
    project = Project(tmp_path)
    project.write(Case({}, ""))
    assert project.validate() == ([], [])


@pytest.mark.parametrize("rule", list(CASES))
def test_rule_message(tmp_path: Path, rule: str) -> None:
    """The rule's bad input gives exactly its line: file, field, problem and fix; a warning is
    reported as a warning and never stops the build."""
    case = CASES[rule]
    project = Project(tmp_path)
    project.write(case)
    problems, warnings = project.validate()
    if RULES[rule].warning:
        problems, warnings = warnings, problems
    assert (problems, warnings) == ([case.expected], [])


def test_every_rule_has_a_test() -> None:
    """A rule added to the registry without a case here, or a case for a rule that is gone, fails."""
    assert sorted(CASES) == sorted(RULES)


# The translation checker: links, images, headings and numbers of the prose, never of code.
ORIGINAL = "---\ntitle: Guide\nsummary: Fictional.\naudiences: [staff]\nreviewed: 2026-01-01\n---\n"
CODE_BLOCKS = {
    "tilde fence": "~~~\nSee [the list](other.md), 830 a month.\n## Not a heading\n~~~\n",
    "backtick fence": "```\nSee [the list](other.md), 830 a month.\n```\n",
    "indented code": "    See [the list](other.md), 830 a month.\n    ## Not a heading\n",
    "code span": "Type `[the list](other.md) 830`.\n",
}


def _check(tmp_path: Path, original: str, translation: str) -> dict[str, str]:
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides/g.md").write_text(ORIGINAL + original, encoding="utf-8")
    (docs / "guides/g.fr.md").write_text(f"---\ntranslation_of: x\ntitle: Guide\n---\n{translation}", encoding="utf-8")
    return {p.field: p.message for p in translations.check(load_site(docs))}


@pytest.mark.parametrize("code", list(CODE_BLOCKS))
def test_code_holds_no_links_headings_or_numbers(tmp_path: Path, code: str) -> None:
    """A link, heading or number inside code is not counted: a translation may drop or change it."""
    text = "## Money {#money}\n\nSee [the list](other.md).\n\n"
    assert _check(tmp_path, text + CODE_BLOCKS[code], text + "Du code.\n") == {}


def test_a_real_difference_is_still_reported(tmp_path: Path) -> None:
    """Outside code, a dropped link, a renamed anchor and a changed figure are each reported,
    next to code that differs freely."""
    problems = _check(
        tmp_path,
        "## Money matters\n\nThe grant is EUR 830 a month. See [the list](other.md).\n\n~~~\n[x](y.md)\n~~~\n",
        "## Argent\n\nLa bourse est de 880 EUR par mois.\n",
    )
    assert problems == {
        "(links)": (
            "links differ from guides/g.md: missing ['other.md'] (keep every link and image of the original, "
            "in the same order)"
        ),
        "(headings)": (
            "heading levels/anchors [(2, 'argent')] differ from the original's [(2, 'money-matters')] (keep the "
            "same headings, and add {#original-id} after each translated heading)"
        ),
        "(numbers)": (
            "figures drift from the original: missing ['830'], added ['880'] (write every number of the "
            "original with digits)"
        ),
    }
