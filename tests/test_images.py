"""Images: small, private, cached; social cards in every language, any EU script."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from benchmarks.corpus import GPS_IFD, phone_photo, story_markdown
from PIL import Image

from conftest import FIXTURES, Build, build, make_project
from msme import cards, images, linkcheck
from msme.validate import load_site

EMPTY_CONSENT = FIXTURES / "consent-empty.yml"


def _photo_docs(root: Path) -> Path:
    """A tiny fictional site: one story with a landscape phone photo and a rotated portrait one."""
    docs = root / "docs"
    (docs / "stories/photo-story").mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: Fixture home\nsummary: Fictional home.\n---\nHome.\n")
    (docs / "stories/index.md").write_text("---\ntitle: Stories\nsummary: Fictional list.\n---\nList.\n")
    text = story_markdown(1, image="photo.jpg").replace(
        "sources:", "  - {src: portrait.jpg, alt: A fictional portrait, credit: Fictional Photographer}\nsources:", 1
    )
    (docs / "stories/photo-story/index.md").write_text(text)
    phone_photo(docs / "stories/photo-story/photo.jpg", seed=1)
    phone_photo(docs / "stories/photo-story/portrait.jpg", 1200, 900, seed=2, orientation=6)
    return docs


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture built once, with its own empty image cache."""
    root = tmp_path_factory.mktemp("photos")
    project = make_project(root / "p", _photo_docs(root), EMPTY_CONSENT, cache=root / "cache")
    result = build(project)
    assert result.code == 0, result.output
    return result


def test_no_original_and_no_metadata_published(photo_site: Build) -> None:
    """The site holds only processed images: no JPEG original, and no image with EXIF (GPS or other)."""
    files = [p for p in photo_site.site.rglob("*") if p.suffix.lower() in images.RASTER_SUFFIXES]
    assert not [p for p in files if p.suffix.lower() in (".jpg", ".jpeg")]
    photos = sorted(p.name for p in files if "stories/photo-story/" in p.as_posix())
    # 5 widths of the 4000-pixel photo; the rotated one is 900 wide upright, so only up to 800
    assert photos == [
        "photo-1200.webp",
        "photo-240.webp",
        "photo-480.webp",
        "photo-640.webp",
        "photo-800.webp",
        "portrait-240.webp",
        "portrait-480.webp",
        "portrait-640.webp",
        "portrait-800.webp",
    ]
    for path in files:
        with Image.open(path) as im:
            exif = im.getexif()
            assert not exif.get_ifd(GPS_IFD) and not len(exif), path
            assert "exif" not in im.info and "xmp" not in im.info and "icc_profile" not in im.info, path


def test_photo_markup(photo_site: Build) -> None:
    """srcset/sizes, width and height set, alt text from front matter, lazy loading below the fold."""
    html = photo_site.html("stories/photo-story/index.html")
    tags = re.findall(r"<img [^>]*>", html.split('class="md-content"')[1])
    assert len(tags) == 2
    first, second = tags
    srcset = "photo-240.webp 240w, photo-480.webp 480w, photo-640.webp 640w, photo-800.webp 800w, photo-1200.webp 1200w"
    assert f'srcset="{srcset}"' in first
    phone = "photo-240.webp 240w, photo-480.webp 480w, photo-640.webp 640w"
    assert f'<source media="(max-width: 37.5em)" srcset="{phone}" sizes="100vw">' in html
    assert 'width="800" height="600"' in first and 'alt="A fictional photo of workshop 1"' in first
    assert "loading=" not in first and 'fetchpriority="high"' in first
    assert 'loading="lazy"' in second and 'width="800" height="1067"' in second  # rotated upright: portrait


def test_orientation_applied(photo_site: Build) -> None:
    """A photo stored landscape with EXIF orientation 6 comes out portrait."""
    with Image.open(photo_site.site / "stories/photo-story/portrait-480.webp") as im:
        assert im.size == (480, 640)


def test_translations_reference_the_same_files(photo_site: Build) -> None:
    """A language's page points at the one set of variants (no copies per language)."""
    html = photo_site.html("fr/stories/photo-story/index.html")
    assert 'src="../../../stories/photo-story/photo-800.webp"' in html


def test_warm_rebuild_processes_nothing_and_a_title_change_one_card(tmp_path: Path) -> None:
    """Second build: 0 images processed. Change one title: only that page's card is redrawn."""
    project = make_project(tmp_path / "p", _photo_docs(tmp_path), EMPTY_CONSENT, cache=tmp_path / "cache")
    cold = build(project)
    assert cold.code == 0, cold.output
    assert re.search(r"images: (\d+) processed, 0 skipped", cold.output)
    warm = build(project)
    assert re.search(r"images: 0 processed, (\d+) skipped", warm.output), warm.output
    story = project / "docs/stories/photo-story/index.md"
    story.write_text(story.read_text().replace("Fictional exchange 1:", "Renamed fictional exchange 1:"))
    changed = build(project)
    assert "images: 1 processed" in changed.output, changed.output


def test_cards_for_every_page_and_language(photo_site: Build) -> None:
    """Every page's og:image is an existing 1200×630 PNG; stories' cards differ per language."""
    for page in linkcheck.reader_pages(photo_site.site, "index.html"):
        html = page.read_text(encoding="utf-8")
        url = re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]
        rel = url.split("example.org/", 1)[1]
        with Image.open(photo_site.site / rel) as im:
            assert im.size == (1200, 630), rel
    assert (photo_site.site / "assets/cards/en/stories--photo-story.png").is_file()


@pytest.mark.parametrize(
    "title",
    [
        "Ανταλλαγή προσωπικού ΜμΕ μεταξύ Ελλάδας και Κύπρου",  # Greek
        "Обмен на служители между малки и средни предприятия в България",  # Bulgarian
        "Współpraca małych firm: Łódź, Gdańsk, Kraków — ąęśćźż",  # Polish diacritics
    ],
)
def test_font_covers_eu_scripts(title: str, tmp_path: Path) -> None:
    """The card font draws Greek, Cyrillic and Latin-extended letters (no empty boxes)."""
    assert cards.missing_glyphs(title) == []
    cards.write(cards.Card(title, "MobiliseSME"), tmp_path / "c.png")
    with Image.open(tmp_path / "c.png") as im:
        assert im.size == (1200, 630)


def test_glyph_check_can_fail() -> None:
    """A script the font lacks is reported, so the coverage test above means something."""
    assert cards.missing_glyphs("中小企业交流") != []


def test_long_titles_wrap_and_shrink() -> None:
    """A very long title shrinks and wraps into at most four lines, none wider than the card allows."""
    from PIL import ImageDraw

    title = " ".join(["Internationalisierungsstrategien"] * 3 + ["für kleine und mittlere Unternehmen"] * 4)
    font, lines = cards.fit_title(title)
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    assert len(lines) <= cards.MAX_TITLE_LINES
    assert all(draw.textlength(line, font=font) <= cards.WIDTH - 2 * cards.MARGIN for line in lines)
    assert font.size < cards.TITLE_SIZES[0]
    short_font, short_lines = cards.fit_title("Short title")
    assert short_font.size == cards.TITLE_SIZES[0] and short_lines == ["Short title"]


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width×height (a decompression bomb needs no real pixels)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def test_bad_images_are_all_reported(tmp_path: Path) -> None:
    """Corrupt, bomb, unsupported, missing and oversized images: one message each, page and file named,
    and the build fails without writing a site."""
    docs = tmp_path / "docs"
    folder = docs / "stories/bad"
    folder.mkdir(parents=True)
    (folder / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    (folder / "bomb.png").write_bytes(_png_header(30000, 30000))
    Image.new("RGB", (10, 10)).save(folder / "old.bmp", format="BMP")
    (folder / "huge.jpg").write_bytes(b"\0" * (images.MAX_BYTES + 1))
    (folder / "notes.jpg").write_text("a text file saved with a photo's name")
    names = ["corrupt.jpg", "bomb.png", "old.bmp", "missing.jpg", "huge.jpg", "notes.jpg"]
    listing = "".join(f"  - {{src: {n}, alt: Fictional, credit: Nobody}}\n" for n in names)
    (folder / "index.md").write_text(story_markdown(1).replace("sources:", "images:\n" + listing + "sources:", 1))
    problems = [str(p) for p in load_site(docs, EMPTY_CONSENT).problems]
    assert problems == [
        (
            "docs/stories/bad/index.md: images[0].src: 'corrupt.jpg' is damaged or incomplete (the file ends "
            "before the picture does) (re-export it as JPEG)"
        ),
        (
            "docs/stories/bad/index.md: images[1].src: 'bomb.png' is 30000×30000 pixels, over the 50 megapixel "
            "limit (resize it; a phone photo is about 12 megapixels)"
        ),
        (
            "docs/stories/bad/index.md: images[2].src: 'old.bmp' is BMP, which is not supported (save it as JPEG "
            "or PNG; supported: GIF, JPEG, PNG, TIFF, WEBP)"
        ),
        (
            "docs/stories/bad/index.md: images[3].src: file 'missing.jpg' not found in stories/bad/ (put the photo "
            "next to the page or fix the name)"
        ),
        (
            "docs/stories/bad/index.md: images[4].src: 'huge.jpg' is 20.0 MiB, over the 20 MiB limit (export it "
            "smaller, e.g. 3000 px wide as JPEG)"
        ),
        (
            "docs/stories/bad/index.md: images[5].src: 'notes.jpg' is not an image that can be read "
            "(UnidentifiedImageError); it may be corrupt or in an unsupported format (re-export it as JPEG)"
        ),
    ]
    result = build(make_project(tmp_path / "p", docs, EMPTY_CONSENT, cache=tmp_path / "cache"))
    assert result.code != 0 and "Content has 6 problem(s)" in result.output
    assert not result.site.exists() or not any(result.site.rglob("*.webp"))


def test_truncated_photo_is_refused_by_validation(tmp_path: Path) -> None:
    """A JPEG cut short (an interrupted upload) has a sound header; validation decodes it in full and
    refuses it with page, field, file and fix, so the pre-commit hook catches it before the build."""
    docs = tmp_path / "docs"
    photo = phone_photo(docs / "stories/x/photo.jpg", 1200, 900, seed=5)
    photo.write_bytes(photo.read_bytes()[:-2000])
    (docs / "stories/x/index.md").write_text(story_markdown(1, image="photo.jpg"))
    with Image.open(photo) as im:
        assert im.size == (1200, 900)  # what a header-only check sees
    problems = [str(p) for p in load_site(docs, EMPTY_CONSENT).problems]
    assert problems == [
        (
            "docs/stories/x/index.md: images[0].src: 'photo.jpg' is damaged or incomplete (the file ends before "
            "the picture does) (re-export it as JPEG)"
        )
    ]


def test_decoding_is_remembered_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A photo is decoded once: the memo file keeps the verdict by content hash (a copy under another
    name is not decoded again), and a changed file is decoded anew."""
    decoded = []
    real = images.decode_damage
    monkeypatch.setattr(images, "decode_damage", lambda data: decoded.append(len(data)) or real(data))
    photo = phone_photo(tmp_path / "a.jpg", 800, 600, seed=6)
    memo_file = tmp_path / "cache/validated-images.json"
    memo = images.DecodeMemo(memo_file)
    images.inspect(photo, memo)
    images.inspect(photo, memo)
    memo.save()
    assert len(decoded) == 1 and memo_file.is_file()
    warm = images.DecodeMemo(memo_file)
    (tmp_path / "copy.jpg").write_bytes(photo.read_bytes())
    images.inspect(photo, warm)
    images.inspect(tmp_path / "copy.jpg", warm)
    assert len(decoded) == 1
    photo.write_bytes(photo.read_bytes()[:-500])
    with pytest.raises(images.ImageProblem, match="damaged or incomplete"):
        images.inspect(photo, warm)
    assert len(decoded) == 2


@pytest.mark.parametrize("kind", ["cmyk", "16bit", "palette-transparent", "rgba"])
def test_colour_modes_become_srgb(kind: str, tmp_path: Path) -> None:
    """CMYK, 16-bit, palette with transparency and RGBA sources all become valid 8-bit WebP."""
    src = tmp_path / f"{kind}.png"
    if kind == "cmyk":
        src = tmp_path / "cmyk.jpg"
        Image.new("CMYK", (640, 480), (0, 200, 200, 0)).save(src, format="JPEG")
    elif kind == "16bit":
        Image.new("I;16", (640, 480), 40000).save(src, format="PNG")
    elif kind == "palette-transparent":
        im = Image.new("P", (640, 480), 1)
        im.paste(0, (0, 0, 320, 480))  # left half transparent
        im.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
        im.save(src, format="PNG", transparency=0)
    else:
        Image.new("RGBA", (640, 480), (10, 20, 30, 128)).save(src, format="PNG")
    images.process_photo(src, (480,), tmp_path)
    with Image.open(tmp_path / "480.webp") as out:
        assert out.format == "WEBP" and out.mode in ("RGB", "RGBA") and out.size == (480, 360)
        if kind == "cmyk":
            r, g, b = out.convert("RGB").getpixel((10, 10))
            assert r > 200 and g < 120 and b < 120  # cyan-free, magenta+yellow -> red
        if kind in ("palette-transparent", "rgba"):
            assert out.mode == "RGBA"


def test_phone_downloads_small_images(photo_site: Build, browser: object) -> None:
    """On a 390-pixel-wide phone (3× pixels) the story's largest image download is under 150 KB,
    and it is a processed WebP, never the original."""
    from conftest import serve

    with serve(photo_site.site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
        sizes: dict[str, int] = {}
        page.on(
            "response",
            lambda r: sizes.__setitem__(r.url, len(r.body())) if r.request.resource_type == "image" else None,
        )
        page.goto(base + "stories/photo-story/", wait_until="networkidle")
        page.mouse.wheel(0, 20000)  # bring the lazy second photo into view too
        page.wait_for_timeout(500)
        page.close()
    photos = {u: n for u, n in sizes.items() if "/stories/photo-story/" in u}
    assert photos and all(u.endswith(".webp") for u in photos)
    assert max(photos.values()) < 150 * 1024, photos


def test_truncated_photo_fails_the_build_and_leaves_no_output(tmp_path: Path) -> None:
    """A photo whose header is fine but whose data is cut off fails the build (validation decodes it);
    the cache keeps nothing half-written and the previous site stays in place."""
    from msme.publish import atomic_build

    docs = _photo_docs(tmp_path)
    project = make_project(tmp_path / "p", docs, EMPTY_CONSENT, cache=tmp_path / "cache")
    assert atomic_build(project / "mkdocs.yml", tmp_path / "out") == 0
    before = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*"))
    photo = project / "docs/stories/photo-story/photo.jpg"
    data = photo.read_bytes()
    photo.write_bytes(data[: len(data) // 3])
    assert atomic_build(project / "mkdocs.yml", tmp_path / "out") != 0
    assert sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*")) == before
    assert not list((tmp_path / "cache").glob(".tmp-*"))
    assert [p for p in tmp_path.glob(".site-*") if p != (tmp_path / "out").resolve()] == []  # but the site's own


def test_story_page_weight_budget(tmp_path: Path, browser: object) -> None:
    """First load of a story with a textured 4000×3000 phone photo, on a 390-pixel phone (3×):
    at most 350 KB uncompressed, images included, and at most 15 requests (sizes read from the
    built files, so the count is exact)."""
    from urllib.parse import urlsplit

    from conftest import PREFIX, serve

    docs = _photo_docs(tmp_path)
    (docs / "stories/photo-story/portrait.jpg").unlink()
    story = docs / "stories/photo-story/index.md"
    story.write_text(re.sub(r"  - \{src: portrait.jpg[^\n]*\n", "", story.read_text()))
    photo_site = build(make_project(tmp_path / "p", docs, EMPTY_CONSENT, cache=tmp_path / "cache"))
    assert photo_site.code == 0, photo_site.output
    with serve(photo_site.site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        page.goto(base + "stories/photo-story/", wait_until="networkidle")
        page.wait_for_timeout(300)
        page.close()
    files = [photo_site.site / (urlsplit(u).path.removeprefix(PREFIX) or ".") for u in urls]
    sizes = [(f / "index.html" if f.is_dir() else f).stat().st_size for f in files]
    assert len(urls) <= 15, urls
    assert sum(sizes) <= 350 * 1000, "\n".join(f"{s:>8} {u}" for u, s in zip(urls, sizes, strict=True))


def test_changed_photo_is_processed_again(tmp_path: Path) -> None:
    """Photos are keyed by content (hashed once per size and mtime): a warm run skips them, a
    replaced photo is processed again."""
    src = phone_photo(tmp_path / "in/p.jpg", 800, 600, seed=1)
    jobs = [images.PhotoJob(src, images.inspect(src).widths, "photos/p")]
    assert images.run(jobs, tmp_path / "site", tmp_path / "cache", 1).processed == 1
    assert images.run(jobs, tmp_path / "site", tmp_path / "cache", 1).processed == 0
    phone_photo(src, 800, 600, seed=2)
    assert images.run(jobs, tmp_path / "site", tmp_path / "cache", 1).processed == 1


def test_a_photo_recording_its_position_is_refused_until_stripped(tmp_path: Path) -> None:
    """A source photo with a GPS position would leak it through the repository: validation names
    it and the command to run; `strip-location` removes the position and nothing else."""
    from typer.testing import CliRunner

    from msme.cli import app

    docs = _photo_docs(tmp_path)
    photo = phone_photo(docs / "stories/photo-story/portrait.jpg", 1200, 900, seed=2, orientation=6, gps=True)
    problems = [str(p) for p in load_site(docs, EMPTY_CONSENT).problems]
    assert len(problems) == 1 and "images[1].src" in problems[0], problems
    assert "records where it was taken (a GPS position)" in problems[0]
    assert "./dev msme strip-location" in problems[0]
    with Image.open(photo) as im:
        pixels_before = im.tobytes()
    result = CliRunner().invoke(app, ["strip-location", str(docs / "stories")])
    assert result.exit_code == 0, result.output
    assert "portrait.jpg: position removed" in result.output and "photo.jpg: no position recorded" in result.output
    with Image.open(photo) as im:
        exif = im.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert exif[0x0112] == 6 and exif[0x010F] == "Fictional Phones Ltd"  # orientation and camera kept
        assert im.size == (1200, 900) and im.tobytes() == pixels_before  # the same quantisation: same pixels
    assert load_site(docs, EMPTY_CONSENT).problems == []


def test_the_pipeline_strips_a_position_it_is_given(tmp_path: Path) -> None:
    """Defence in depth: even a photo that reached the pipeline with GPS yields variants without it."""
    src = phone_photo(tmp_path / "in/p.jpg", 800, 600, seed=1, gps=True)
    info = images.SourceInfo(src, 800, 600)  # inspect() would refuse it; the pipeline is tried alone
    images.run([images.PhotoJob(src, info.widths, "photos/p")], tmp_path / "site", tmp_path / "cache", 1)
    outputs = list((tmp_path / "site").rglob("*.webp"))
    assert outputs
    for out in outputs:
        with Image.open(out) as im:
            assert not im.getexif().get_ifd(GPS_IFD) and "exif" not in im.info


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_strip_location_keeps_png_and_webp_pixels(tmp_path: Path, fmt: str) -> None:
    """PNG and WebP are rewritten losslessly, without the position."""
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 50.0, 30.0)})
    path = tmp_path / f"map.{fmt.lower()}"
    Image.effect_noise((64, 48), 40).convert("RGB").save(path, format=fmt, exif=exif.tobytes(), lossless=True)
    with Image.open(path) as im:
        assert images.records_location(im)
        before = im.tobytes()
    assert images.strip_location(path)
    with Image.open(path) as im:
        assert not images.records_location(im) and im.tobytes() == before


def test_strip_location_reads_jpeg_fill_bytes(tmp_path: Path) -> None:
    """Fill bytes (0xFF padding) before a marker are legal JPEG; the position still goes."""
    photo = phone_photo(tmp_path / "padded.jpg", 800, 600, gps=True)
    data = photo.read_bytes()
    photo.write_bytes(data[:2] + b"\xff\xff\xff" + data[2:])
    with Image.open(photo) as im:
        before = im.tobytes()
    assert images.strip_location(photo)
    with Image.open(photo) as im:
        assert not images.records_location(im) and im.tobytes() == before


def test_variants_each_width_once_largest_first_never_upscaled(tmp_path: Path) -> None:
    """Each width is made once, largest first, each exactly its width and the photo's proportions;
    a photo narrower than a standard width gets no variant wider than itself."""
    clean = Image.new("RGB", (1000, 750), (90, 120, 150))
    made = [(w, im.size) for w, im in images.variants(clean, (240, 800, 240, 480, 800))]
    assert made == [(800, (800, 600)), (480, (480, 360)), (240, (240, 180))]
    assert images.SourceInfo(tmp_path / "x.jpg", 1000, 750).widths == (240, 480, 640, 800)
    assert images.SourceInfo(tmp_path / "x.jpg", 200, 150).widths == (200,)
    assert all(w <= 1000 for w in images.SourceInfo(tmp_path / "x.jpg", 1000, 750).widths)


def test_each_variant_is_written_once_and_smaller_than_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """process_photo saves every width exactly once (no file written twice); no variant is larger
    than the source in pixels or in bytes, and a wider variant never weighs less than a narrower one."""
    src = phone_photo(tmp_path / "p.jpg", 1300, 975, seed=3)
    saved: list[str] = []
    real_save = Image.Image.save
    monkeypatch.setattr(
        Image.Image, "save", lambda im, fp, *a, **k: saved.append(Path(fp).name) or real_save(im, fp, *a, **k)
    )
    widths = images.inspect(src).widths
    out = tmp_path / "out"
    out.mkdir()
    written = images.process_photo(src, widths, out)
    assert sorted(saved) == sorted(f"{w}.webp" for w in widths) == sorted(p.name for p in out.iterdir())
    assert written == sum(p.stat().st_size for p in out.iterdir())
    sizes = []
    for width in widths:
        with Image.open(out / f"{width}.webp") as im:
            assert im.size == (width, round(975 * width / 1300)) and im.width <= 1300
        sizes.append((out / f"{width}.webp").stat().st_size)
    assert max(sizes) < src.stat().st_size
    assert sizes == sorted(sizes)


def test_a_photo_used_twice_is_processed_once(tmp_path: Path) -> None:
    """The same photo under two names (two stories) is processed once and placed under both names."""
    first = phone_photo(tmp_path / "in/a.jpg", 800, 600, seed=4)
    second = tmp_path / "in/b.jpg"
    second.write_bytes(first.read_bytes())
    jobs = [images.PhotoJob(p, images.inspect(p).widths, f"stories/{p.stem}/photo") for p in (first, second)]
    stats = images.run(jobs, tmp_path / "site", tmp_path / "cache", 1)
    assert (stats.processed, stats.skipped) == (1, 1)
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == 1
    for stem in ("a", "b"):
        assert sorted(p.name for p in (tmp_path / f"site/stories/{stem}").iterdir()) == sorted(
            f"photo-{w}.webp" for w in jobs[0].widths
        )


def test_cards_use_the_sixteen_card_colours_exactly(tmp_path: Path) -> None:
    """A card is a 4-bit palette PNG of the card's own colours: blue, white and yellow exact."""
    cards.write(cards.Card("Ανταλλαγή προσωπικού ΜμΕ", "MobiliseSME", "Ελλάδα → Κύπρος"), tmp_path / "c.png")
    with Image.open(tmp_path / "c.png") as im:
        assert im.mode == "P" and len(im.getcolors()) <= 16
        colours = {rgb for _, rgb in im.convert("RGB").getcolors()}
    assert {cards.BLUE, cards.WHITE, cards.YELLOW, cards.PALE} <= colours
    assert len(cards.palette().getpalette()) == 16 * 3
