"""Publishing as communications staff: the new-story command, consent enforced and withdrawn, review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from benchmarks.corpus import phone_photo, story_markdown
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, bakery_story, build, make_project
from msme import translations
from msme.cli import app
from msme.validate import load_site

EMPTY_CONSENT = FIXTURES / "consent-empty.yml"
ANSWERS = [
    "Fictional exchange of bakers",
    "A fictional test story.",
    "Example Bakery",
    "xx",
    "es",  # a wrong country code is refused and asked again
    "Imaginary Mill",
    "Belgium",  # a country's English name is taken for its code
    "9",
    "3",  # so is a duration over six months
    "trainin",
    "training, market-research",  # and an unknown type, with a suggestion
    "c",
    "",
    "Fictional source",
    "https://example.org/fictional",
]


def test_new_story_asks_checks_and_creates_a_valid_draft(tmp_path: Path) -> None:
    """The command checks each answer as it is given, writes a valid draft, and lists its translations
    as missing."""
    result = CliRunner().invoke(app, ["new", "story", "--docs", str(tmp_path)], input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    assert "unknown country code 'XX'" in result.output
    assert "9 months is outside the programme's 1 to 6 months" in result.output
    assert "did you mean training?" in result.output
    assert "Value error" not in result.output  # the refusal is shown as written, with its fix
    path = tmp_path / "stories/fictional-exchange-of-bakers/index.md"
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert meta["sending"] == {"name": "Example Bakery", "country": "ES", "sector": "C"}
    assert meta["host"]["country"] == "BE" and meta["duration_months"] == 3 and meta["status"] == "draft"
    assert meta["collaboration_types"] == ["training", "market-research"]
    site = load_site(tmp_path, EMPTY_CONSENT)
    assert site.problems == []
    report = translations.status(site)
    assert all(st.missing == ["stories/fictional-exchange-of-bakers/index.md"] for st in report)


def test_new_story_never_overwrites(tmp_path: Path) -> None:
    """A second story with the same title is refused and the first file is untouched."""
    args = ["new", "story", "--docs", str(tmp_path)]
    CliRunner().invoke(app, args, input="\n".join(ANSWERS) + "\n")
    path = tmp_path / "stories/fictional-exchange-of-bakers/index.md"
    path.write_text(path.read_text() + "\nMy own words.\n")
    before = path.read_text()
    again = CliRunner().invoke(app, args, input="\n".join(ANSWERS) + "\n")
    assert again.exit_code == 1
    assert "already exists; nothing was written" in again.output
    assert path.read_text() == before


def test_new_guide_and_event(tmp_path: Path) -> None:
    """Guides and events have their own templates, valid as created."""
    runner = CliRunner()
    ok = runner.invoke(
        app,
        [
            "new",
            "guide",
            "--docs",
            str(tmp_path),
            "--title",
            "Fictional guide",
            "--summary",
            "A fictional guide.",
            "--audiences",
            "staff, host-sme",
        ],
    )
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(
        app,
        [
            "new",
            "event",
            "--docs",
            str(tmp_path),
            "--title",
            "Fictional meeting",
            "--name",
            "Fictional Meeting 2030",
            "--start",
            "2030-05-04",
            "--city",
            "Ghent",
            "--country",
            "be",
            "--organiser",
            "Example Organisation",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert load_site(tmp_path, EMPTY_CONSENT).problems == []


def test_template_text_blocks_publication(tmp_path: Path) -> None:
    """A scaffolded story switched to published without being written is refused, field by field."""
    CliRunner().invoke(app, ["new", "story", "--docs", str(tmp_path)], input="\n".join(ANSWERS) + "\n")
    path = tmp_path / "stories/fictional-exchange-of-bakers/index.md"
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    fields = [p.field for p in load_site(tmp_path, EMPTY_CONSENT).problems]
    assert fields == [
        "sought.sending",
        "sought.host",
        "activities[0]",
        "results.host[0]",
        "results.sending[0]",
        "(text)",
    ]


def test_name_without_consent_fails_the_build(tmp_path: Path) -> None:
    """Naming someone with no consent record stops the build with the file, field and fix."""
    docs = tmp_path / "docs"
    (docs / "stories/x").mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n")
    text = story_markdown(1).replace("sources:", "people: [{id: jane-fictional, role: the manager}]\nsources:", 1)
    (docs / "stories/x/index.md").write_text(text)
    result = build(make_project(tmp_path / "p", docs, EMPTY_CONSENT))
    assert result.code != 0
    assert (
        "docs/stories/x/index.md: people[0].id: 'jane-fictional' has no consent record (add "
        "people.jane-fictional with scope [name] to data/consent.yml, or remove them)"
    ) in result.output


def _site_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".txt")
    )


def _withdraw(tmp_path: Path, *people: str) -> Path:
    register = yaml.safe_load((ROOT / "data/consent.yml").read_text(encoding="utf-8"))
    for pid in people:
        register["people"][pid]["withdrawn"] = True
    path = tmp_path / "consent.yml"
    path.write_text(yaml.safe_dump(register, allow_unicode=True), encoding="utf-8")
    return path


def test_withdrawn_consent_removes_a_person_everywhere(tmp_path: Path) -> None:
    """Withdraw two real records: the next build names neither in any page, language, list, feed,
    data file, search index or sitemap; words that fit many people stand in their place (not their
    role, which names the one person who held it), and their quote and place in the programme are gone."""
    consent = _withdraw(tmp_path, "gonzalo-palenzuela", "lambert-kleinmann")
    result = build(make_project(tmp_path / "p", consent=consent, keep_nav=True))
    assert result.code == 0, result.output
    text = _site_text(result.site)
    for name in ("Gonzalo", "Palenzuela", "Lambert", "Kleinmann"):
        assert text.count(name) == 0, name
    assert "do not regret doing so" not in text  # Kleinmann's quote
    story = result.html("stories/silentium-piano-queens-pianos/index.html")
    assert "A participant, a self-employed" in story and "owner of Silentium Piano" not in story
    assert "Una persona participante, especialista" in result.html(
        "es/stories/silentium-piano-queens-pianos/index.html"
    )
    event = result.html("events/final-conference/index.html")
    assert "A speaker closed the conference" in event
    assert "Labour Mobility" not in event  # his role, in the programme
    de_event = result.html("de/events/final-conference/index.html")
    assert "Eine vortragende Person schloss die Konferenz" in de_event and "GD EMPL" in de_event


STAND_IN_STORY = bakery_story(
    "people: [{id: jane-fictional, role: the only head baker of Imaginary Tools GmbH}]\n",
    "Jane Fictional welcomed the visiting baker.\n",
)


@pytest.mark.parametrize(
    ("replacement", "en", "es"),
    [
        ("", "A participant welcomed", "Una persona participante dio"),
        ("host_representative", "A representative of the host company welcomed", "Una persona representante de"),
        (
            "{en: a fictional guest, es: una invitada ficticia, fr: x, it: x, de: x, el: x, hr: x}",
            "A fictional guest welcomed",
            "Una invitada ficticia dio",
        ),
    ],
)
def test_withdrawn_person_becomes_the_records_stand_in(tmp_path: Path, replacement: str, en: str, es: str) -> None:
    """The words that replace a withdrawn name come from the record (a key into the labels, or its
    own words per language), by default words that fit many people; never the page's role."""
    from msme.consent import redact
    from msme.site import page_redactions

    docs = tmp_path / "docs"
    (docs / "stories/x").mkdir(parents=True)
    (docs / "stories/x/index.md").write_text(STAND_IN_STORY, encoding="utf-8")
    (docs / "stories/x/index.es.md").write_text(
        "---\ntranslation_of: 000000000000\n---\nJane Fictional dio la bienvenida al panadero.\n", encoding="utf-8"
    )
    record = {"name": "Jane Fictional", "scope": ["name"], "date": "2026-01-01", "basis": "Fixture.", "withdrawn": True}
    if replacement:
        record["replacement"] = yaml.safe_load(replacement)
    consent = tmp_path / "consent.yml"
    consent.write_text(yaml.safe_dump({"people": {"jane-fictional": record}}, allow_unicode=True), encoding="utf-8")
    site = load_site(docs, consent)
    assert site.problems == []
    texts = {}
    for lang in ("en", "es"):
        sf = site.translations("stories/x/index.md").get(lang) or site.originals()[0]
        texts[lang] = redact(sf.body, page_redactions(site, lang, site.page(lang, "stories/x/index.md")))
    assert texts["en"].startswith(en) and texts["es"].startswith(es)
    assert "head baker" not in site.page("en", "stories/x/index.md").model_dump_json()


def test_photo_of_withdrawn_person_is_dropped(tmp_path: Path) -> None:
    """A photo showing someone whose consent is withdrawn is not published, in any size."""
    docs = tmp_path / "docs"
    folder = docs / "stories/x"
    folder.mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n")
    phone_photo(folder / "team.jpg", 1200, 900, seed=4)
    (folder / "index.md").write_text(
        story_markdown(1).replace(
            "sources:",
            "images:\n  - {src: team.jpg, alt: A fictional team, credit: Nobody, people: [jane-fictional]}\nsources:",
            1,
        )
    )
    consent = tmp_path / "consent.yml"
    record = {"name": "Jane Fictional", "scope": ["name", "photo"], "date": "2026-01-01", "basis": "Fixture."}
    consent.write_text(yaml.safe_dump({"people": {"jane-fictional": record}}))
    shown = build(make_project(tmp_path / "a", docs, consent, cache=tmp_path / "cache"))
    assert shown.code == 0 and (shown.site / "stories/x/team-800.webp").exists()
    record["withdrawn"] = True
    consent.write_text(yaml.safe_dump({"people": {"jane-fictional": record}}))
    hidden = build(make_project(tmp_path / "b", docs, consent, cache=tmp_path / "cache"))
    assert hidden.code == 0, hidden.output
    assert not list(hidden.site.rglob("team-*")) and "team-" not in _site_text(hidden.site)


@pytest.fixture(scope="module")
def review_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three fictional stories: a draft, one in review, one published with a future date."""
    docs = tmp_path_factory.mktemp("review") / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ntitle: Home\nsummary: Fictional.\n---\nHome.\n")
    (docs / "stories").mkdir()
    (docs / "stories/index.md").write_text("---\ntitle: Stories\nsummary: Fictional list.\n---\nList.\n")
    for i, (status, date) in enumerate(
        [("draft", "2026-01-01"), ("review", "2026-01-01"), ("published", "2099-01-01"), ("published", "2026-01-01")]
    ):
        folder = docs / f"stories/s{i}"
        folder.mkdir()
        text = story_markdown(i, status=status)
        (folder / "index.md").write_text(re.sub(r"published: [\d-]+", f"published: {date}", text))
    return docs


def test_production_build_holds_back_unpublished(review_docs: Path, tmp_path: Path) -> None:
    """Draft, review and future-dated stories are absent from a production build."""
    result = build(make_project(tmp_path, review_docs, EMPTY_CONSENT))
    assert result.code == 0, result.output
    text = _site_text(result.site)
    for i in (0, 1, 2):
        assert not (result.site / f"stories/s{i}").exists() and f"Fictional exchange {i}:" not in text
    assert "Fictional exchange 3:" in result.html("stories/index.html")


def test_preview_shows_them_with_a_banner(review_docs: Path, tmp_path: Path) -> None:
    """The local preview (./dev serve) shows all four, each unpublished one under a banner saying why."""
    result = build(make_project(tmp_path, review_docs, EMPTY_CONSENT), env={"MSME_BUILD": '{"preview": true}'})
    assert result.code == 0, result.output
    assert "Draft: not published" in result.html("stories/s0/index.html")
    assert "In review: not published yet" in result.html("stories/s1/index.html")
    assert "Scheduled for 1 January 2099" in result.html("stories/s2/index.html")
    assert "msme-preview" not in result.html("stories/s3/index.html")


def test_scheduled_story_appears_on_its_date(review_docs: Path, tmp_path: Path) -> None:
    """A future-dated story is published by the first build on or after its date."""
    result = build(make_project(tmp_path, review_docs, EMPTY_CONSENT), env={"MSME_BUILD": '{"today": "2099-01-01"}'})
    assert (result.site / "stories/s2/index.html").exists()
