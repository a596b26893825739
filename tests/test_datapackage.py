"""The open data as a Frictionless data package: every CSV the build writes from the real content
passes its own Table Schema (types, enumerations from data/vocabularies.yml, keys), a wrong value
or a dangling country code is caught, and the Data page lists the schema's fields."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate
from pydantic import ValidationError

from msme import datapackage, l10n, model, opendata, pageview
from msme.build import BuildOptions, prepare
from msme.siteconfig import load_site_config
from msme.vocab import load_vocab

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every language's data folder, written from the real content as the build writes it."""
    build, _ = prepare(ROOT / "mkdocs.yml", ROOT / "docs", {}, BuildOptions())
    out = tmp_path_factory.mktemp("opendata")
    folders = {}
    for lang, cat in build.catalogues.items():
        lang_dir = out / lang
        opendata.write(cat, lang_dir, {e.rel: "https://example.org/fixture.webp" for e in cat.entries})
        datapackage.write(cat, lang_dir)
        folders[lang] = lang_dir / "data"
    return folders


def _report(folder: Path) -> dict:
    return validate(str(folder / datapackage.PACKAGE)).to_dict()


def test_every_language_package_is_valid(written: dict[str, Path]) -> None:
    assert list(written) == load_site_config(ROOT / "mkdocs.yml").locales
    for lang, folder in written.items():
        report = _report(folder)
        tasks = {task["name"]: task for task in report["tasks"]}
        assert set(tasks) == set(opendata.DATASETS), lang
        summary = {name: (task["stats"]["rows"], task["stats"]["errors"]) for name, task in tasks.items()}
        print(lang, summary)  # the per-resource summary the issue asks to see (pytest -s)
        assert report["valid"], (lang, [e["message"] for t in report["tasks"] for e in t["errors"]][:5])
        assert all(errors == 0 for _, errors in summary.values())
        # The tables built from data/ hold every row of their files.
        assert tasks["grants"]["stats"]["rows"] == len(opendata.data_table("grants")["per_month"])
        assert tasks["contact_points"]["stats"]["rows"] == len(opendata.data_table("contact_points"))
        assert tasks["countries"]["stats"]["rows"] == len(load_vocab().countries)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _edit_row(folder: Path, name: str, column: str, value: str) -> None:
    path = folder / f"{name}.csv"
    rows = _rows(path)
    rows[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _errors(folder: Path) -> list[tuple[str, str, str]]:
    report = _report(folder)
    return [(t["name"], e["type"], e.get("fieldName", "")) for t in report["tasks"] for e in t["errors"]]


@pytest.mark.parametrize(
    "case",
    [
        ("stories", "host_country", "XX", "constraint-error"),  # not in data/vocabularies.yml
        ("stories", "duration_months", "9", "constraint-error"),  # the model allows 1 to 6
        ("stories", "collaboration_types", "training;dancing", "constraint-error"),
        ("grants", "monthly_grant_eur", "a lot", "type-error"),
        ("events", "start", "14 March 2023", "type-error"),
        ("contact_points", "confidence", "certain", "constraint-error"),
    ],
)
def test_a_wrong_value_is_caught(written: dict[str, Path], tmp_path: Path, case: tuple[str, str, str, str]) -> None:
    name, column, value, kind = case
    folder = shutil.copytree(written["en"], tmp_path / "data")
    assert _errors(folder) == []
    _edit_row(folder, name, column, value)
    assert (name, kind, column) in _errors(folder)


def test_a_country_missing_from_the_country_list_breaks_the_foreign_key(
    written: dict[str, Path], tmp_path: Path
) -> None:
    folder = shutil.copytree(written["en"], tmp_path / "data")
    used = _rows(folder / "grants.csv")[0]["country"]
    path = folder / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(f"{used},")), encoding="utf-8")
    assert any(name == "grants" and kind == "foreign-key" for name, kind, _ in _errors(folder))


def test_the_schemas_take_their_values_from_the_vocabularies_and_the_model() -> None:
    locales = ["en", "fr"]
    stories = {f["name"]: f for f in datapackage.schema("stories", locales)["fields"]}
    vocab = load_vocab()
    assert stories["sending_country"]["constraints"]["enum"] == list(vocab.countries)
    assert stories["host_sector"]["constraints"]["enum"] == list(vocab.sectors)
    assert stories["language"]["constraints"]["enum"] == locales
    low, high = model.bounds(model.field_at(model.Story, "duration_months"))
    assert (
        stories["duration_months"]["constraints"]["minimum"],
        stories["duration_months"]["constraints"]["maximum"],
    ) == (
        low,
        high,
    )
    pattern = stories["collaboration_types"]["constraints"]["pattern"]
    assert datapackage._listed(pattern) == list(vocab.collaboration_types)
    assert stories["period_start"]["constraints"]["pattern"] == model.PARTIAL_DATE_PATTERN
    keys = datapackage.schema("stories", locales)["foreignKeys"]
    assert {k["fields"][0] for k in keys} == {"sending_country", "host_country"}
    assert all(k["reference"] == {"resource": "countries", "fields": ["code"]} for k in keys)


def test_files_schema_and_page_list_the_same_fields_in_the_same_order(written: dict[str, Path]) -> None:
    t = l10n.labels("de")
    for name, words in opendata.DATASETS.items():
        header = (written["de"] / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        schema = [f["name"] for f in datapackage.schema(name, ["de"])["fields"]]
        page = [row["name"] for row in datapackage.field_rows(name, ["de"], t)]
        records = json.loads((written["de"] / f"{name}.json").read_text(encoding="utf-8"))
        assert header == schema == page == list(words) == list(records["fields"]), name
        assert all(row["type"] in t["data_types"].values() for row in datapackage.field_rows(name, ["de"], t))


def _fictional_story(i: int, vocab_sectors: list[str], types: list[str]) -> str:
    """A published fictional story at the edges of what the model accepts (index `i` picks them)."""
    summary = ("=HYPERLINK(1)", "-1 minus", "@at", "+plus", 'Quotes "and", commas; semicolons')[i % 5]
    host = (
        "" if i % 3 == 0 else f"host: {{name: Imaginary Host {i}, country: DE, sector: {vocab_sectors[-1 - i % 4]}}}\n"
    )
    return (
        f"---\ntitle: 'Fictional exchange {i}'\nsummary: '{summary}'\n"
        f"status: published\npublished: 2026-01-0{1 + i % 9}\n"
        f"sending: {{name: Example Fictional {i}, country: ES, sector: {vocab_sectors[i % len(vocab_sectors)]}}}\n"
        + (host or "host: {country: IS}\n")
        + f"duration_months: {1 + i % 6}\nperiod: {{start: 202{i % 4}-0{1 + i % 9}}}\n"
        f"collaboration_types: [{', '.join(types[: 1 + i % len(types)])}]\n"
        'sources:\n  - {title: Fixture, url: "https://example.org/fixture"}\n---\nFictional text.\n'
    )


def test_the_export_never_writes_a_row_its_schema_rejects(tmp_path: Path) -> None:
    """Fictional stories at the model's edges (formula-like text, every duration, sector and
    collaboration type, a host without a name) go through the export and pass its own schema."""
    vocab = load_vocab()
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name in ("index.md", "about.md", "privacy.md", "legal-notice.md", "accessibility.md"):
        shutil.copyfile(ROOT / "docs" / name, docs / name)
    (docs / "stories").mkdir()
    for listing in (ROOT / "docs" / "stories").glob("*.md"):  # the story list, none of the real stories
        shutil.copy(listing, docs / "stories")
    for i in range(12):
        page = docs / "stories" / f"fictional-{i}" / "index.md"
        page.parent.mkdir(parents=True)
        page.write_text(_fictional_story(i, list(vocab.sectors), list(vocab.collaboration_types)), encoding="utf-8")
    build, _ = prepare(ROOT / "mkdocs.yml", docs, {}, BuildOptions())
    cat = build.catalogues["en"]
    assert len(cat.entries) == 12
    opendata.write(cat, tmp_path / "out")
    datapackage.write(cat, tmp_path / "out")
    report = _report(tmp_path / "out" / "data")
    assert report["valid"], [e["message"] for t in report["tasks"] for e in t["errors"]][:5]
    stories = _rows(tmp_path / "out" / "data" / "stories.csv")
    assert len(stories) == 12 and {r["duration_months"] for r in stories} == {str(n) for n in range(1, 7)}
    assert any(r["summary"].startswith("'=") for r in stories)  # formula-escaped, still valid text


def test_bad_content_is_refused_before_it_could_reach_a_row() -> None:
    """An unknown country or a duration out of range never becomes a record: validation refuses it."""
    base = {
        "type": "story",
        "title": "Fictional bakers",
        "summary": "A fictional exchange.",
        "status": "draft",
        "sending": {"name": "Example Fictional Bakery", "country": "ES"},
        "host": {"name": "Imaginary Tools GmbH", "country": "DE"},
        "collaboration_types": ["training"],
        "sources": [{"title": "Fixture", "url": "https://example.org/fixture"}],
    }
    model.Story.model_validate(base, context={"vocab": load_vocab()})
    for bad in ({"host": {"country": "XX"}}, {"duration_months": 9}):
        with pytest.raises(ValidationError):
            model.Story.model_validate({**base, **bad}, context={"vocab": load_vocab()})


def test_data_page_values_read_the_schema(written: dict[str, Path]) -> None:
    build, _ = prepare(ROOT / "mkdocs.yml", ROOT / "docs", {}, BuildOptions())
    cat = build.catalogues["fr"]
    view = pageview.datasets(cat, "fr/data/")
    assert [d["name"] for d in view["sets"]] == list(opendata.DATASETS)
    grants = next(d for d in view["sets"] if d["name"] == "grants")
    assert grants["records"] == len(opendata.data_table("grants")["per_month"])
    assert grants["source"].startswith("data/grants.yml") and "mobilise-sme.eu" in grants["source"]
    country = next(f for f in grants["fields"] if f["name"] == "country")
    assert "countries.csv" in country["allowed"] and country["required"]
    publisher = build.site.config.identity.publisher
    assert publisher in view["cite_intro"]
    assert all(d["cite"].startswith(publisher + " (") for d in view["sets"])
