"""The content model is the one source of facts about fields: what translates, prompts and
--help, the scaffold's rules, open-data field docs, the editor's form, CONTRIBUTING's tables and
the filter's facets all follow it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import annotated_types
import pytest
import typer.main
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from msme import catalogue, editor, fielddocs, filterdata, model, opendata, scaffold
from msme.cli import app
from msme.validate import load_site
from msme.vocab import load_vocab

# The translatable paths as they were written out by hand before the model held them: the
# derived set must not drift from them unless a field's `translatable` mark is changed on purpose.
TRANSLATABLE_BEFORE = {
    "title", "summary", "name", "gaps[]", "sending.description", "host.description", "sending.name",
    "host.name", "sought.sending", "sought.host", "activities[]", "results.both[]", "results.host[]",
    "results.sending[]", "quotes[].text", "images[].alt", "people[].role", "steps[].title", "steps[].text",
    "place.venue", "place.city", "sending.city", "host.city", "speakers[].role", "sessions[].title",
    "key_figures[].label", "takeaways[]", "sources[].title",
}  # fmt: skip


def _exists(path: str) -> bool:
    for cls in model.MODELS.values():
        try:
            model.chain(cls, path)
        except KeyError:
            continue
        return True
    return False


def test_translatable_paths_exist_and_are_todays() -> None:
    """Every translatable path names a field of some content type; the set is the 28 of before."""
    assert model.TRANSLATABLE == TRANSLATABLE_BEFORE
    assert all(_exists(p) for p in model.TRANSLATABLE)
    assert not _exists("sending.nmae") and not _exists("quotes[].txt")


def test_translatable_follows_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unmarking a field takes it out of the derived set (the set is not written anywhere else)."""
    info = model.Quote.model_fields["text"]
    monkeypatch.setattr(info, "json_schema_extra", {})
    assert "quotes[].text" not in model.translatable_paths()
    assert "quotes[].text" in model.TRANSLATABLE


def _story_command() -> object:
    group = typer.main.get_command(app)
    return group.commands["new"].commands["story"]  # type: ignore[attr-defined]


def test_new_story_help_names_every_option_and_its_values() -> None:
    """Each option of `new story` has help; a field with a vocabulary lists all its values there."""
    vocab = load_vocab()
    command = _story_command()
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
    assert len(options) == 14
    assert all(p.help for p in options), [p.name for p in options if not p.help]
    helps = {p.name: p.help for p in options}
    assert all(code in helps["sending_country"] for code in vocab.countries)
    assert all(key in helps["types"] for key in vocab.collaboration_types)
    assert all(key in helps["host_sector"] for key in vocab.sectors)
    assert "from 1 to 6" in helps["duration"]
    shown = CliRunner().invoke(app, ["new", "story", "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
    assert shown.exit_code == 0
    for key in vocab.collaboration_types:
        assert key in shown.output


def test_prompts_and_help_follow_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Change a field's description or label and the option's help and prompt change with it."""
    vocab = load_vocab()
    info = model.Story.model_fields["duration_months"]
    monkeypatch.setattr(info, "description", "How long it lasted.")
    monkeypatch.setattr(info, "json_schema_extra", {"label": "Length"})
    assert fielddocs.help_text(model.Story, "duration_months", vocab).startswith("How long it lasted.")
    assert fielddocs.prompt(model.Story, "duration_months", vocab) == "Length (1-6, empty if unknown)"
    assert fielddocs.prompt(model.Story, "sending.country", vocab, needed=True) == (
        "Sending company's country (ISO code, e.g. ES)"
    )


def test_scaffold_duration_follows_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scaffold's duration rule reads the field's bounds: move them and the rule moves."""
    assert scaffold.check_duration("6") == 6
    with pytest.raises(ValueError, match="outside the programme's 1 to 6 months"):
        scaffold.check_duration("9")
    info = model.Story.model_fields["duration_months"]
    monkeypatch.setattr(info, "metadata", [annotated_types.Ge(2), annotated_types.Le(12)])
    assert scaffold.check_duration("9") == 9
    with pytest.raises(ValueError, match="outside the programme's 2 to 12 months"):
        scaffold.check_duration("1")


def test_opendata_field_docs_are_the_models_words() -> None:
    """Each dataset column that holds a content field is documented with that field's description."""
    for fields, cls, columns in (
        (opendata.STORY_FIELDS, model.Story, opendata.STORY_COLUMNS),
        (opendata.EVENT_FIELDS, model.Event, opendata.EVENT_COLUMNS),
    ):
        assert set(fields) == set(columns) | (set(fields) & set(opendata.ADDED))
        for column, path in columns.items():
            words = model.field_at(cls, path).description.rstrip(".")
            assert words[1:] in fields[column], (column, fields[column])
    assert opendata.STORY_FIELDS["duration_months"].endswith("(1-6).")
    assert opendata.STORY_FIELDS["collaboration_types"].endswith("';'-separated in CSV.")


def test_opendata_docs_change_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rewording a field rewords its column's documentation."""
    monkeypatch.setattr(model.Organisation.model_fields["city"], "description", "Where it is.")
    monkeypatch.setitem(opendata.STORY_COLUMNS, "sending_city", "sending.city")
    docs = opendata.field_docs(model.Story, opendata.STORY_COLUMNS, (*opendata.STORY_ORDER, "sending_city"))
    assert docs["sending_city"] == "Sending company: where it is."


def _editor_fields(fields: list[dict], cls: type, prefix: str = "") -> list[tuple[str, dict]]:
    out = []
    for f in fields:
        if f["name"] == "body":
            continue
        path = f"{prefix}.{f['name']}" if prefix else f["name"]
        out.append((path, f))
        if "fields" in f:
            out += _editor_fields(f["fields"], cls, path + ("[]" if f["widget"] == "list" else ""))
    return out


def test_editor_hints_labels_and_defaults_come_from_the_model() -> None:
    """Every form field's hint is its description, its label the model's, long text a text area,
    and a new page starts with the model's initial status; fields not for the form are absent."""
    cfg = editor.config(load_vocab(), ["en", "es"], {"name": "github", "repo": "x/y"}, "https://x.example/")
    checked = 0
    for collection in cfg["collections"]:
        cls = model.MODELS[{"stories": "story", "guides": "guide", "events": "event"}[collection["name"]]]
        for path, field in _editor_fields(collection["fields"], cls):
            info = model.field_at(cls, path)
            facts = model.facts(info)
            assert field.get("hint") == info.description, path
            assert field["label"] == (facts.get("label") or field["name"].replace("_", " ").capitalize()), path
            assert (field["widget"] == "text") == (facts.get("widget") == "text"), path
            assert facts.get("form") is not False, path
            if "initial" in facts:
                assert field["default"] == facts["initial"], path
            checked += 1
    assert checked > 90
    assert {"type", "template", "hide", "translation_of"} == editor.HIDDEN


def test_contributing_tables_are_up_to_date() -> None:
    """CONTRIBUTING.md's field tables are what `./dev msme docs` writes."""
    result = CliRunner().invoke(app, ["docs", "--check"])
    assert result.exit_code == 0, result.output
    assert not fielddocs.stale(fielddocs.CONTRIBUTING, load_vocab())


def test_docs_check_fails_on_a_stale_copy(tmp_path: Path) -> None:
    """A table edited by hand (or a model changed without regenerating) fails the check, naming
    the file; `docs` then rewrites it and the check passes."""
    copy = tmp_path / "CONTRIBUTING.md"
    shutil.copyfile(fielddocs.CONTRIBUTING, copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("| `duration_months` |", "| `duration` |", 1), encoding="utf-8")
    runner = CliRunner()
    stale = runner.invoke(app, ["docs", "--check", "--path", str(copy)])
    assert stale.exit_code == 1
    assert f"{copy}: the field tables differ from the content model (run ./dev msme docs)" in stale.output
    fixed = runner.invoke(app, ["docs", "--path", str(copy)])
    assert fixed.exit_code == 0 and "rewritten" in fixed.output
    assert copy.read_text(encoding="utf-8") == text
    assert runner.invoke(app, ["docs", "--check", "--path", str(copy)]).exit_code == 0


def test_docs_check_fails_when_the_model_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables are the model's: a reworded field makes the committed file stale."""
    monkeypatch.setattr(model.Story.model_fields["gaps"], "description", "Reworded.")
    assert fielddocs.stale(fielddocs.CONTRIBUTING, load_vocab())


def test_docs_markers_missing_is_an_error(tmp_path: Path) -> None:
    """A file without the markers is refused with the marker it lacks, not silently skipped."""
    copy = tmp_path / "CONTRIBUTING.md"
    copy.write_text("# Guide\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["docs", "--check", "--path", str(copy)])
    assert result.exit_code == 1 and "<!-- fields:story:start -->" in result.output


@pytest.mark.parametrize("lang", ["en", "es"])
def test_filter_data_holds_the_catalogues_facets_and_cards(tmp_path: Path, lang: str) -> None:
    """filter.json lists every published story in catalogue order with exactly the facet keys
    the facet pages use, and each card links the story relative to the list page."""
    site = load_site()
    cat = catalogue.build(site, lang)
    path = filterdata.write(cat, tmp_path)
    assert path == tmp_path / "stories" / "filter.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["facets"] == list(catalogue.FACETS)
    assert len(data["stories"]) == len(cat.entries) > 0
    for kind in catalogue.FACETS:
        counts = {key: sum(key in s["keys"][kind] for s in data["stories"]) for key, _ in cat.facets[kind]}
        assert counts == dict(cat.facets[kind]), kind
    for record, entry in zip(data["stories"], cat.entries, strict=True):
        slug = entry.path.removeprefix("stories/")
        assert f'<a href="../{slug}">' in record["card"] or f'<a href="{slug}">' in record["card"]
        assert record["card"].startswith('<li class="msme-card"')


def test_filter_cards_escape_content() -> None:
    """A title holding markup reaches the card as text, never as an element."""
    site = load_site(FIXTURES / "xss", FIXTURES / "consent-empty.yml")
    cards = [r["card"] for r in filterdata.records(catalogue.build(site, "en"))]
    assert cards and all("<script" not in c for c in cards)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in c for c in cards)


def test_filter_script_reimplements_no_facet() -> None:
    """The script reads keys and cards from the data file: it names no story field or facet."""
    script = (ROOT / "docs" / "assets" / "filter.js").read_text(encoding="utf-8")
    for word in ("sending_country", "host_sector", "collaboration_types", "published", "msme-card__"):
        assert word not in script, word
    assert re.search(r"stories/filter\.json", (ROOT / "overrides" / "story-list.html").read_text(encoding="utf-8"))
