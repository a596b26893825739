"""Safe to publish: only files built pages use, CSV cells no spreadsheet runs, and builds that leave
nothing behind when they fail or are interrupted, switching sites in one atomic step."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from benchmarks.corpus import phone_photo
from PIL import Image

from conftest import FIXTURES, ROOT, Build, build, make_project
from msme import filterdata, opendata, references
from msme.publish import PREFIX, atomic_build, switch

CONSENT = FIXTURES / "consent-empty.yml"
EN_ONLY = [{"locale": "en", "name": "English", "default": True, "build": True}]
FORMULA = '=HYPERLINK("http://x","y")'
STORY = """---
title: {title}
summary: A fictional story for the publication tests.
status: {status}
published: 2026-01-01
sending: {{name: '{sending}', country: ES}}
host: {{name: Imaginary Ovens, country: DE}}
collaboration_types: [training]
{images}sources:
  - {{title: Fixture, url: "https://example.org/fixture"}}
---
{body}
"""


def _story(
    folder: Path, body: str, *, status: str = "published", sending: str = "Example Bakery", images: str = ""
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = STORY.format(title=f"Fictional {folder.name}", status=status, sending=sending, images=images, body=body)
    (folder / "index.md").write_text(text, encoding="utf-8")


def _docs(root: Path, *, svg: bool) -> Path:
    """A published story with a linked form, its French translation linking another, an unlinked
    PDF and (with `svg`) a hostile SVG; a draft whose folder holds notes and a diagram it links."""
    docs = root / "docs"
    shutil.copytree(FIXTURES / "xss", docs)
    story = docs / "stories/open-bakery"
    photo = "images:\n  - {src: photo.jpg, alt: A fictional oven, credit: Fictional Photographer}\n"
    _story(
        story, 'Download [the form](form.pdf "Form"), or read [the list](../index.md).', sending=FORMULA, images=photo
    )
    (story / "index.fr.md").write_text(
        "---\ntranslation_of: 000000000000\ntitle: Boulangerie fictive\n---\n[Le formulaire](formulaire.pdf).\n",
        encoding="utf-8",
    )
    for name in ("form.pdf", "formulaire.pdf", "secret.pdf"):
        (story / name).write_bytes(b"%PDF-1.4 fictional " + name.encode())
    phone_photo(story / "photo.jpg", 500, 375)
    if svg:
        (story / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    draft = docs / "stories/secret-draft"
    _story(draft, "See [my notes](notes.txt) and ![the diagram](diagram.png).", status="draft")
    (draft / "notes.txt").write_text("Fictional notes that reveal the draft.", encoding="utf-8")
    Image.new("RGB", (300, 200), "teal").save(draft / "diagram.png")
    return docs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture site (without the SVG, which validation refuses), every language."""
    tmp = tmp_path_factory.mktemp("publication")
    result = build(make_project(tmp / "p", _docs(tmp, svg=False), CONSENT))
    assert result.code == 0, result.output
    return result


def test_only_files_built_pages_use_are_published(built: Build) -> None:
    """Story folders publish only what a built page links (photos as variants): no unlinked PDF,
    nothing from a draft's folder, no original photo."""
    files = {p.relative_to(built.site).as_posix() for p in built.site.rglob("*") if p.is_file()}
    # pages and their compressed copies (msme.hosting) aside
    pages = (".html", ".html.gz", ".html.br")
    # and the story filter's data the build writes beside the list (msme.filterdata)
    built_data = tuple(f"stories/{filterdata.FILE}{ext}" for ext in ("", ".gz", ".br"))
    beside_pages = {
        f for f in files if "stories/" in f and not f.endswith(pages + built_data) and not f.startswith("assets/")
    }
    assert beside_pages == {
        "stories/open-bakery/form.pdf",
        "stories/open-bakery/formulaire.pdf",  # linked by the French translation
        "stories/open-bakery/photo-240.webp",
        "stories/open-bakery/photo-480.webp",
    }
    assert not [f for f in files if "secret-draft" in f]
    assert "formulaire.pdf" in built.html("fr/stories/open-bakery/index.html")
    assert "warning: docs/stories/open-bakery/secret.pdf: (file): no page links to it" in built.output


def test_validation_refuses_svg_and_warns_about_unlinked_files(tmp_path: Path) -> None:
    """`validate` refuses an SVG (with the fix) and warns about a file no page links; the build stops."""
    docs = _docs(tmp_path, svg=True)
    proc = subprocess.run(
        [sys.executable, "-m", "msme", "validate", "--docs", str(docs), "--consent", str(CONSENT)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
        check=False,
    )
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1
    warning = (
        "warning: docs/stories/open-bakery/secret.pdf: (file): no page links to it, so it is not published "
        "(link it from a page, or delete it)"
    )
    refusal = (
        "docs/stories/open-bakery/evil.svg: (file): is an SVG, which content folders do not accept: an SVG can "
        "carry a script that runs when the file is opened (export it as PNG and link the PNG instead)"
    )
    assert lines == [warning, refusal, "1 problem(s) in 1 file(s)."], proc.stderr
    result = build(make_project(tmp_path / "p", docs, CONSENT))
    assert result.code != 0 and "evil.svg: (file): is an SVG" in result.output


def test_references_come_from_the_markdown_parser() -> None:
    """Links and images count (reference-style too), links in code do not; addresses resolve
    against the page's folder and never leave docs/."""
    text = "[a](a.pdf) ![b](img/b.png 'B') [c][ref] `[d](d.pdf)`\n\n    [e](e.pdf)\n\n[ref]: c%20d.txt#page=2\n"
    assert references.body_links(text) == ("a.pdf", "img/b.png", "c%20d.txt#page=2")
    assert references.target("stories/x", "c%20d.txt#page=2") == "stories/x/c d.txt"
    assert references.target("stories/x", "../y/f.pdf") == "stories/y/f.pdf"
    for outside in ("https://example.org/f.pdf", "/assets/f.pdf", "#top", "../../../f.pdf", "mailto:a@example.org"):
        assert references.target("stories/x", outside) is None, outside


def test_csv_cells_never_run_as_formulas() -> None:
    """Text starting with =, +, -, @, tab or CR gets a leading ' in CSV; numbers and other text do not."""
    for text in (FORMULA, "+1", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert opendata.csv_cell(text) == "'" + text
    assert [opendata.csv_cell(v) for v in (-3, 2.5, "Example Bakery", None)] == [-3, 2.5, "Example Bakery", ""]
    assert opendata.csv_cell(["=a", "b"]) == "'=a;b"


def test_built_csv_neutralises_a_formula_and_json_keeps_it(built: Build) -> None:
    """The open data CSV carries the company name as text for spreadsheets; the JSON carries it as written."""
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(built.html("data/stories.csv")))}
    assert rows["open-bakery"]["sending_name"] == "'" + FORMULA
    records = {r["id"]: r for r in json.loads(built.html("data/stories.json"))["records"]}
    assert records["open-bakery"]["sending_name"] == FORMULA
    assert "apostrophe" in built.html("data/index.html") and "apostrophe" in built.html("fr/data/index.html")


# Interrupted builds and the atomic switch


def _session(sid: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of every process of a session, from /proc (psutil is not installed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[3]) == sid:
            found.append((int(entry.name), int(fields[1])))
    return found


def _kept(site: Path) -> list[str]:
    """The versioned folders a site keeps: the one `site` points at, and the previous one."""
    links = [site, site.with_name(f"{site.name}.previous")]
    return sorted(os.readlink(link) for link in links if link.is_symlink())


def _versions(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(f"{PREFIX}*"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight distinct fictional phone photos, enough for several seconds of image work on two cores."""
    folder = tmp_path_factory.mktemp("photos")
    first = phone_photo(folder / "p0.jpg", 2400, 1800)
    with Image.open(first) as im:
        im.load()
        for i in range(1, 8):
            im.putpixel((0, 0), (i, i, i))  # another photo to the cache: its bytes differ
            im.save(folder / f"p{i}.jpg", quality=90)
    return sorted(folder.glob("*.jpg"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_leaves_nothing_behind(tmp_path: Path, photos: list[Path], signum: int) -> None:
    """Ctrl-C (SIGINT to the build's process group) or SIGTERM (to the build) during the image stage:
    the build exits non-zero at once, no process or temporary folder is left, the old site stays."""
    project = make_project(tmp_path / "p", FIXTURES / "xss", CONSENT, languages=EN_ONLY, cache=tmp_path / "cache")
    site = tmp_path / "site"
    assert atomic_build(project / "mkdocs.yml", site) == 0
    before = _tree(site)
    images = "images:\n" + "".join(f"  - {{src: {p.name}, alt: Fictional photo, credit: Fictional}}\n" for p in photos)
    _story(project / "docs/stories/photos", "Photos.", images=images)
    for photo in photos:
        shutil.copy(photo, project / "docs/stories/photos")
    cmd = [sys.executable, "-m", "msme", "build", "--dest", str(site), "--config", str(project / "mkdocs.yml")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    log = tmp_path / "build.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # an image worker: a grandchild of the build
            members = _session(proc.pid)
            children = {pid for pid, parent in members if parent == proc.pid}
            if any(parent in children for _, parent in members):
                break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.05)
        else:
            pytest.fail("the image stage never started")
        started = time.monotonic()
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # what a terminal's Ctrl-C does
        else:
            os.kill(proc.pid, signum)  # what a service manager does
        code = proc.wait(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = log.read_text()
    assert code == 128 + signum and elapsed < 15, output
    assert _session(proc.pid) == [], output
    assert _versions(tmp_path) == _kept(site) == [os.readlink(site)]
    assert not list((tmp_path / "cache").glob(".tmp-*"))
    assert _tree(site) == before


def test_a_reader_never_finds_the_site_missing(tmp_path: Path) -> None:
    """A reader polling site/index.html through a rebuild, then through 300 quick switches, always
    finds a file: the switch is one rename, and the folder it left is removed only a build later."""
    project = make_project(tmp_path / "p", FIXTURES / "xss", CONSENT, languages=EN_ONLY)
    site = tmp_path / "site"
    assert atomic_build(project / "mkdocs.yml", site) == 0
    first = os.readlink(site)
    reads, missing, done = [0], [0], threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                (site / "index.html").read_bytes()
                reads[0] += 1
            except FileNotFoundError:
                missing[0] += 1

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        assert atomic_build(project / "mkdocs.yml", site) == 0
        rebuilt = os.readlink(site)
        for i in range(300):  # the switch alone, many times: a gap of microseconds would show
            new = Path(tempfile.mkdtemp(prefix=PREFIX, dir=tmp_path))
            (new / "index.html").write_text(f"site {i}")
            switch(site, new)
            # The folder a switch leaves is removed at the next one; builds are minutes apart.
            # 5 ms still leaves a two-rename switch hundreds of misses, while no reader stalls
            # that long between following the link and opening the file (under load one did,
            # with switches microseconds apart).
            time.sleep(0.005)
    finally:
        done.set()
        reader.join()
    assert rebuilt != first and not (tmp_path / first).exists() and not (tmp_path / rebuilt).exists()
    assert missing[0] == 0 and reads[0] > 300, (reads, missing)
    assert len(_versions(tmp_path)) == 2 and _versions(tmp_path) == _kept(site)


def test_a_site_folder_from_an_older_build_is_migrated(tmp_path: Path) -> None:
    """A real site/ folder left by an older build becomes the link to a versioned folder, once."""
    project = make_project(tmp_path / "p", FIXTURES / "xss", CONSENT, languages=EN_ONLY)
    site = tmp_path / "site"
    (site / "stale").mkdir(parents=True)
    (site / "stale/index.html").write_text("old")
    assert atomic_build(project / "mkdocs.yml", site) == 0
    assert site.is_symlink() and (site / "index.html").is_file() and not (site / "stale").exists()
    assert (tmp_path / "site.previous/stale/index.html").read_text() == "old"  # kept until the next build
    assert _versions(tmp_path) == _kept(site)
