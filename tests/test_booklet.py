"""The success-stories booklet: a tagged, accessible PDF per language, cached, escaped, with
consent applied and only local files read (issue 17)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
from benchmarks.corpus import phone_photo, story_markdown, write_corpus
from typer.testing import CliRunner

from conftest import ROOT, require_tool
from msme import booklet, booklet_pdf, catalogue, l10n
from msme.site import Site
from msme.siteconfig import load_site_config
from msme.validate import load_site

CONFIG = load_site_config(ROOT / "mkdocs.yml")
CONSENT = ROOT / "data" / "consent.yml"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real docs plus three fictional stories with phone photos (camera EXIF included)."""
    docs = write_corpus(tmp_path_factory.mktemp("booklet") / "docs", 3, CONFIG.locales, photos=2, base=ROOT / "docs")
    site = load_site(docs, CONSENT, CONFIG)
    assert site.problems == []
    return site


@pytest.fixture(scope="module")
def made(corpus: Site, tmp_path_factory: pytest.TempPathFactory) -> dict[str, booklet_pdf.Made]:
    """The English and Greek booklets of the corpus, made once."""
    cache = tmp_path_factory.mktemp("booklet-cache")
    jobs = [booklet_pdf.job(corpus, catalogue.build(corpus, lang), cache) for lang in ("en", "el")]
    return booklet_pdf.run(jobs, cache)


def expected_titles(site: Site, lang: str) -> list[str]:
    """The catalogue's stories in table-of-contents order: by country name, then title."""
    cat = catalogue.build(site, lang)

    def key(e: catalogue.Entry) -> tuple[str, str]:
        code = e.story.sending.country or e.story.host.country
        return l10n.sort_key(l10n.country(code, lang)), l10n.sort_key(e.story.title)

    return [e.story.title for e in sorted(cat.entries, key=key)]


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order, whitespace collapsed."""
    tool = require_tool("pdftotext", "apt-get install poppler-utils")
    out = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("lang", ["en", "el"])
def test_tagged_with_language_title_and_metadata(made: dict[str, booklet_pdf.Made], lang: str) -> None:
    """PDF/UA basics: a structure tree, marked content, the document language, its title shown."""
    with pikepdf.open(made[lang].pdf) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
        assert str(root.Lang) == lang
        title = l10n.labels(lang)["booklet_title"]
        assert str(pdf.docinfo.Title) == title
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == title and "pdfuaid:part" in meta


@pytest.mark.parametrize("lang", ["en", "el"])
def test_every_font_is_embedded(made: dict[str, booklet_pdf.Made], lang: str) -> None:
    with pikepdf.open(made[lang].pdf) as pdf:
        fonts = [f for page in pdf.pages for f in (page.Resources.get("/Font") or {}).values()]
        assert fonts
        for font in fonts:
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


@pytest.mark.parametrize("lang", ["en", "el"])
def test_one_bookmark_per_story_in_contents_order(made: dict[str, booklet_pdf.Made], corpus: Site, lang: str) -> None:
    """Countries are the first level of the outline, stories the second: one each, in order."""
    with pikepdf.open(made[lang].pdf) as pdf, pdf.open_outline() as outline:
        stories = [child.title for item in outline.root for child in item.children]
    assert stories == expected_titles(corpus, lang)
    assert made[lang].stories == len(stories) == 6
    assert made[lang].warnings == []  # no photo too small, no CSS WeasyPrint ignored


@pytest.mark.parametrize("lang", ["en", "el"])
def test_text_has_titles_in_contents_order_twice(made: dict[str, booklet_pdf.Made], corpus: Site, lang: str) -> None:
    """Reading order: the contents list every title in order, then the stories follow in that order."""
    text = pdf_text(made[lang].pdf)
    pos = 0
    for _ in ("contents", "stories"):
        for title in expected_titles(corpus, lang):
            found = text.find(" ".join(title.split()), pos)
            assert found >= 0, (title, pos)
            pos = found + 1
    assert l10n.labels(lang)["booklet_funding"] in text


def test_photos_at_print_size_without_metadata_and_with_alt_text(made: dict[str, booklet_pdf.Made]) -> None:
    """Two distinct photos (shared by three stories) embedded once each, as JPEG, full size (the
    1600-pixel originals are below the 300-dpi cap), carrying nothing the camera wrote."""
    with pikepdf.open(made["en"].pdf) as pdf:
        images = {
            obj.objgen: obj
            for page in pdf.pages
            for obj in (page.Resources.get("/XObject") or {}).values()
            if obj.get("/Subtype") == "/Image"
        }
        assert len(images) == 2
        for img in images.values():
            assert img.Filter == "/DCTDecode" and int(img.Width) == 1600 and int(img.Height) == 1200
            raw = img.read_raw_bytes()
            assert b"Exif" not in raw and b"Fictional" not in raw and b"SERIAL" not in raw
        alts = [str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
    assert sorted(alts) == sorted(f"A fictional photo of workshop {i}" for i in range(3))


def test_a_second_run_reuses_the_booklet_and_a_change_makes_a_new_one(corpus: Site, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cat = catalogue.build(corpus, "fr")
    first = booklet_pdf.run([booklet_pdf.job(corpus, cat, cache)], cache)["fr"]
    again = booklet_pdf.run([booklet_pdf.job(corpus, cat, cache)], cache)["fr"]
    assert not first.reused and again.reused and again.pdf == first.pdf and again.pages == first.pages
    changed = dataclasses.replace(cat.entries[0], story=cat.entries[0].story.model_copy(update={"summary": "New."}))
    other = booklet_pdf.job(corpus, cat, cache, [changed, *cat.entries[1:]])
    assert other.key != booklet_pdf.job(corpus, cat, cache).key
    assert len(list(cache.glob("*.pdf"))) == 1


def test_values_are_escaped(corpus: Site) -> None:
    cat = catalogue.build(corpus, "en")
    story = cat.entries[0].story.model_copy(update={"title": "Bold <b>moves</b> & <script>x()</script>"})
    html = booklet.html(booklet.make(corpus, cat, [dataclasses.replace(cat.entries[0], story=story)]))
    assert "<script" not in html and "<b>moves" not in html
    assert "Bold &lt;b&gt;moves&lt;/b&gt; &amp; &lt;script&gt;" in html


def test_a_title_the_font_lacks_is_refused_like_a_card(corpus: Site) -> None:
    cat = catalogue.build(corpus, "en")
    story = cat.entries[0].story.model_copy(update={"title": "Fictional 漢字 exchange"})
    with pytest.raises(booklet.BookletError, match=r"stories/.+/index\.md: title: .*漢.*U\+6F22"):
        booklet.make(corpus, cat, [dataclasses.replace(cat.entries[0], story=story)])


def test_a_photo_too_small_for_print_is_named_with_the_size_it_needs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    phone_photo(docs / "stories/small/tiny.jpg", 600, 400, seed=3)
    (docs / "stories/small/index.md").write_text(story_markdown(7, image="tiny.jpg"), encoding="utf-8")
    site = load_site(docs, CONSENT, CONFIG)
    assert site.problems == []
    made = booklet.make(site, catalogue.build(site, "en"))
    need = booklet.pixels(booklet.COLUMN_MM, booklet.MIN_DPI)
    expected = (
        f"{docs / 'stories/small/tiny.jpg'}: 600×400 px is too small to print; the booklet needs at least "
        f"{need}×{round(400 * need / 600)} px (170 mm at 200 dpi)"
    )
    assert made.warnings == [expected]


def test_the_fetcher_serves_only_what_it_was_handed() -> None:
    fetch = booklet_pdf.fetcher({"booklet:font/x.ttf": (b"font", "font/ttf")})
    assert fetch.fetch("booklet:font/x.ttf").read() == b"font"
    for url in ("https://example.org/x.png", "file:///etc/passwd", "booklet:photo/other.jpg"):
        with pytest.raises(ValueError, match="reads only"):
            fetch.fetch(url)


def test_a_withdrawn_person_is_not_named_in_the_booklet(tmp_path: Path) -> None:
    register = yaml.safe_load(CONSENT.read_text(encoding="utf-8"))
    register["people"]["gonzalo-palenzuela"]["withdrawn"] = True
    consent = tmp_path / "consent.yml"
    consent.write_text(yaml.safe_dump(register, allow_unicode=True), encoding="utf-8")
    site = load_site(ROOT / "docs", consent, CONFIG)
    for lang in ("en", "es"):
        html = booklet.html(booklet.make(site, catalogue.build(site, lang)))
        assert "Palenzuela" not in html and "Gonzalo" not in html
    assert re.search(r"A participant, a self-employed", booklet.html(booklet.make(site, catalogue.build(site, "en"))))


def test_the_command_makes_a_selection(tmp_path: Path) -> None:
    from msme.cli import app

    result = CliRunner().invoke(
        app,
        ["booklet", "--lang", "el", "--country", "be", "--dest", str(tmp_path), "--cache", str(tmp_path / "c")],
    )
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "mobilisesme-stories-el-BE.pdf"
    site = load_site(ROOT / "docs", CONSENT, CONFIG)
    wanted = booklet.select(catalogue.build(site, "el").entries, "BE")
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        assert len([c for item in outline.root for c in item.children]) == len(wanted) > 0


def test_the_site_links_each_booklet_with_its_size(real_site) -> None:
    for lang in CONFIG.locales:
        rel = booklet.site_path(lang, CONFIG.default.locale)
        pdf = real_site.site / rel
        assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF-")
        size = booklet.size_label(pdf.stat().st_size, lang)
        label = l10n.labels(lang)["booklet_link"].format(size=size)
        prefix = "" if lang == CONFIG.default.locale else f"{lang}/"
        for page in (f"{prefix}stories/index.html", f"{prefix}data/index.html"):
            html = real_site.html(page)
            assert f"booklet/{booklet.file_name(lang)}" in html and label in html, page
