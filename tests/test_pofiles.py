"""Translators' PO files (msme.pofiles, `msme translate`): export, then import, on copies of real pages."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import polib
import pytest
from PIL import Image
from typer.testing import CliRunner

from msme import cli_translate, pofiles, translations
from msme.content import file_digest
from msme.validate import load_site

ROOT = Path(__file__).resolve().parents[1]
LANGS = ["es", "fr", "it", "de"]
STORY = "stories/euabout-melograno-vita/index.md"
EVENT = "events/final-conference.md"  # quotes, speakers, sessions
GUIDE = "guides/financial-support.md"  # a list, a link; the copy gets a table and more markup
PAGES = [STORY, EVENT, GUIDE]
TABLE_EN = "\n| Host country | Monthly grant |\n| --- | ---: |\n| Spain | EUR 830 |\n| Denmark | EUR 1,100 |\n"
TABLE_ES = (
    "\n| País de acogida | Subvención mensual |\n| --- | ---: |\n| España | 830 EUR |\n| Dinamarca | 1.100 EUR |\n"
)
MARKUP_EN = "\nThe *amounts* are in `grants.csv`, with a ![map of the grants](grant-map.png) and [the source](https://mobilise-sme.eu/financial-support/).\n"
MARKUP_ES = "\nLos *importes* están en `grants.csv`, con un ![mapa de las subvenciones](grant-map.png) y [la fuente](https://mobilise-sme.eu/financial-support/).\n"


def _rel(page: str, lang: str) -> str:
    return pofiles.translation_rel(page, lang)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Copies of three real pages and every translation of them; the guide gains a table and a
    paragraph with emphasis, code, an image and a link (in English and Spanish; the other
    languages get the English lines), each translation re-stamped as current."""
    docs = tmp_path / "docs"
    for page in PAGES:
        for lang in ["", *LANGS]:
            rel = _rel(page, lang) if lang else page
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / "docs" / rel, docs / rel)
    Image.new("RGB", (40, 30), "teal").save(docs / "guides" / "grant-map.png")
    guide = docs / GUIDE
    guide.write_text(guide.read_text(encoding="utf-8") + TABLE_EN + MARKUP_EN, encoding="utf-8")
    digest = file_digest(guide.read_bytes())
    for lang in LANGS:
        tr = docs / _rel(GUIDE, lang)
        extra = TABLE_ES + MARKUP_ES if lang == "es" else TABLE_EN + MARKUP_EN
        text = re.sub(r"^translation_of: \w+$", f"translation_of: {digest}", tr.read_text(encoding="utf-8"), flags=re.M)
        tr.write_text(text + extra, encoding="utf-8")
    return docs


def _snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*.md"))}


def _export(docs: Path, lang: str, pages: list[str], out: Path) -> list[Path]:
    result = CliRunner().invoke(
        cli_translate.app, ["export", "--lang", lang, "--docs", str(docs), "--out", str(out), *pages]
    )
    assert result.exit_code == 0, result.output
    return [Path(line.removeprefix("wrote ")) for line in result.output.splitlines()]


def _import(docs: Path, files: list[Path]) -> tuple[int, str]:
    result = CliRunner().invoke(cli_translate.app, ["import", "--docs", str(docs), *map(str, files)])
    return result.exit_code, result.output


def _edit(po_path: Path, changes: dict[str, str | None]) -> None:
    """Set msgstr of the named segments; None removes the entry."""
    po = polib.pofile(str(po_path))
    for ctxt, text in changes.items():
        entry = next(e for e in po if e.msgctxt == ctxt)
        if text is None:
            po.remove(entry)
        else:
            entry.msgstr = text
    po.save(str(po_path))


def _entry(po_path: Path, ctxt: str) -> polib.POEntry:
    return next(e for e in polib.pofile(str(po_path)) if e.msgctxt == ctxt)


def test_export_then_import_leaves_every_translation_byte_identical(docs: Path, tmp_path: Path) -> None:
    before = _snapshot(docs)
    for lang in LANGS:
        files = _export(docs, lang, PAGES, tmp_path / "po")
        assert len(files) == len(PAGES)
        for path in files:  # the existing translation is carried: every body segment has its text
            po = polib.pofile(str(path))
            assert po.metadata["Language"] == lang
            assert [e for e in po if e.msgctxt.startswith("body:")]
            assert all(e.msgstr for e in po if e.msgctxt.startswith("body:")), path
        code, output = _import(docs, files)
        assert code == 0, output
        assert output.count("unchanged ") == len(PAGES)
    assert _snapshot(docs) == before


def test_segments_cover_fields_headings_items_and_cells(docs: Path, tmp_path: Path) -> None:
    [guide] = _export(docs, "es", [GUIDE], tmp_path / "po")
    po = polib.pofile(str(guide))
    kinds = {e.msgctxt.split(":")[2] for e in po if e.msgctxt.startswith("body:")}
    assert kinds == {"paragraph", "heading", "item", "cell"}
    assert _entry(guide, "title").msgstr == "Ayuda económica"
    cells = [e for e in po if e.msgctxt.endswith(":cell")]
    assert [(e.msgid, e.msgstr) for e in cells[:2]] == [
        ("Host country", "País de acogida"),
        ("Monthly grant", "Subvención mensual"),
    ]
    [event] = _export(docs, "es", [EVENT], tmp_path / "po")
    assert _entry(event, "quotes[0].text").msgid.startswith("it has been an honour to coordinate")
    assert po.metadata["X-MSME-Translation-Of"] == file_digest((docs / GUIDE).read_bytes())


def test_a_changed_segment_replaces_only_its_own_lines(docs: Path, tmp_path: Path) -> None:
    guide_po, event_po = _export(docs, "es", [GUIDE, EVENT], tmp_path / "po")
    guide, event = docs / _rel(GUIDE, "es"), docs / _rel(EVENT, "es")
    old_guide, old_event = guide.read_text(encoding="utf-8"), event.read_text(encoding="utf-8")
    item = next(e for e in polib.pofile(str(guide_po)) if e.msgctxt.endswith(":item"))
    cell = [e for e in polib.pofile(str(guide_po)) if e.msgctxt.endswith(":cell")][3]  # "830 EUR"
    _edit(guide_po, {item.msgctxt: "el viaje de ida para incorporarse al puesto;", cell.msgctxt: "830 euros"})
    _edit(event_po, {"quotes[0].text": "ha sido un honor coordinar el programa durante sus 32 meses"})
    code, output = _import(docs, [guide_po, event_po])
    assert code == 0, output
    diff = [
        d for d in difflib.ndiff(old_guide.splitlines(), guide.read_text(encoding="utf-8").splitlines()) if d[0] in "+-"
    ]
    assert diff == [
        "- - el viaje para incorporarse al puesto de destino;",
        "+ - el viaje de ida para incorporarse al puesto;",
        "- | España | 830 EUR |",
        "+ | España | 830 euros |",
    ]
    added = [
        d for d in difflib.ndiff(old_event.splitlines(), event.read_text(encoding="utf-8").splitlines()) if d[0] in "+-"
    ]
    # The Spanish file had no quotes: the key is added at its English place (after takeaways), one
    # item per English quote so the others stay English; nothing else moves.
    assert added == ["+ quotes:", "+   - text: ha sido un honor coordinar el programa durante sus 32 meses"]
    assert event.read_text(encoding="utf-8").index("quotes:") > old_event.index("takeaways:")
    site = load_site(docs)
    page = site.page("es", EVENT)
    assert page is not None and page.quotes[0].text == "ha sido un honor coordinar el programa durante sus 32 meses"
    assert site.page("en", EVENT).quotes[0].text.startswith("it has been an honour")  # the original keeps its own
    assert not site.problems


def test_a_rewritten_paragraph_is_wrapped_and_keeps_its_markup(docs: Path, tmp_path: Path) -> None:
    [po_path] = _export(docs, "es", [GUIDE], tmp_path / "po")
    entry = next(e for e in polib.pofile(str(po_path)) if "grants.csv" in e.msgid)
    new = (
        "Todos los *importes* mensuales, país por país, figuran en el fichero `grants.csv`, junto con un "
        "![mapa de las subvenciones](grant-map.png) y un enlace a [la fuente original](https://mobilise-sme.eu/financial-support/)."
    )
    _edit(po_path, {entry.msgctxt: new})
    code, output = _import(docs, [po_path])
    assert code == 0, output
    text = (docs / _rel(GUIDE, "es")).read_text(encoding="utf-8")
    assert new in " ".join(text.split())  # line breaks inside a paragraph are spaces
    assert max(len(line) for line in text.split("\n\n")[-1].splitlines()) <= pofiles.WIDTH
    [again] = _export(docs, "es", [GUIDE], tmp_path / "again")
    assert _entry(again, entry.msgctxt).msgstr == new  # the wrapped lines read back as the same segment
    assert translations.links((docs / GUIDE).read_text()) == translations.links(text)


@pytest.mark.parametrize(
    ("change", "segment", "words"),
    [
        ("link", "body:", "links differ: missing ['local-contact-points.md']"),
        ("code", "body:", "code differ"),
        ("missing", "body:0:paragraph", "segment missing"),
        ("blank", "body:0:paragraph", "not translated"),
        ("block", "body:0:paragraph", "changes the page's blocks"),
    ],
)
def test_a_broken_po_is_refused_and_nothing_is_written(
    docs: Path, tmp_path: Path, change: str, segment: str, words: str
) -> None:
    guide_po, story_po = _export(docs, "es", [GUIDE, STORY], tmp_path / "po")
    _edit(story_po, {"title": "Un título nuevo"})  # a good file: not written either
    po = polib.pofile(str(guide_po))
    if change == "link":
        entry = next(e for e in po if "local-contact-points.md" in e.msgstr)
        edits: dict[str, str | None] = {entry.msgctxt: entry.msgstr.replace("local-contact-points.md", "contacts.md")}
    elif change == "code":
        entry = next(e for e in po if "`grants.csv`" in e.msgstr)
        edits = {entry.msgctxt: entry.msgstr.replace("`grants.csv`", "grants.csv")}
    else:
        entry = _entry(guide_po, "body:0:paragraph")
        edits = {"body:0:paragraph": {"missing": None, "blank": "", "block": "- " + entry.msgstr}[change]}
    _edit(guide_po, edits)
    before = _snapshot(docs)
    code, output = _import(docs, [guide_po, story_po])
    assert code == 1
    assert _snapshot(docs) == before
    line = next(line for line in output.splitlines() if words in line)
    assert line.startswith(f"{guide_po}: {segment}")
    assert re.search(r"\(.+\)$", line)  # ends with its fix
    assert "nothing was written" in output


def test_a_po_of_an_older_english_page_is_refused(docs: Path, tmp_path: Path) -> None:
    [po_path] = _export(docs, "fr", [STORY], tmp_path / "po")
    exported = file_digest((docs / STORY).read_bytes())
    english = docs / STORY
    english.write_text(english.read_text(encoding="utf-8").replace("pomegranates.", "pomegranates!"), encoding="utf-8")
    before = _snapshot(docs)
    code, output = _import(docs, [po_path])
    assert code == 1
    assert f"{po_path}: (header): exported from {STORY} at {exported}" in output
    assert "export the page again" in output
    assert _snapshot(docs) == before


def test_a_new_translation_is_created_from_the_english_and_validates(docs: Path, tmp_path: Path) -> None:
    (docs / _rel(STORY, "it")).unlink()
    runner = CliRunner()
    result = runner.invoke(
        cli_translate.app, ["export", "--lang", "it", "--outdated", "--docs", str(docs), "--out", str(tmp_path / "po")]
    )
    assert result.exit_code == 0, result.output
    po_path = tmp_path / "po" / "it" / "stories" / "euabout-melograno-vita" / "index.po"
    assert result.output.strip() == f"wrote {po_path}"
    po = polib.pofile(str(po_path))
    assert not any(e.msgstr for e in po)
    for e in po:  # a stand-in translation that keeps every figure and mark
        if e.msgctxt.startswith("body:") or e.msgctxt in ("title", "summary", "people[0].role"):
            e.msgstr = "IT " + e.msgid
    po.save(str(po_path))
    code, output = _import(docs, [po_path])
    assert code == 0, output
    created = docs / _rel(STORY, "it")
    text = created.read_text(encoding="utf-8")
    assert text.startswith(f"---\ntranslation_of: {file_digest((docs / STORY).read_bytes())}\ntitle: IT EU funding")
    assert "## IT What each side wanted {#what-each-side-wanted}" in text
    assert "people:\n  - role: IT the director of EUAbout\n  - {}\n" in text
    site = load_site(docs)
    assert not site.problems, site.problems
    assert not translations.check(site)
    it = next(st for st in translations.status(site) if st.lang == "it")
    assert it.ok
    assert site.page("it", STORY).title == "IT EU funding know-how for a pomegranate cooperative"
