"""The booklet as a tagged PDF (PDF/UA-1, WeasyPrint), one per language, cached and made in parallel.

WeasyPrint reads nothing but what it is handed: a fetcher serves the fonts and the re-encoded
photos the booklet names and refuses every other address, so no network and no stray file is
ever read. Each PDF is cached under a hash of everything that shapes it (the booklet's HTML,
which holds every story text and label; the CSS; the fonts; each photo's content; the WeasyPrint
version and these settings), like the images: a rebuild with nothing changed makes no PDF.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from msme import atomic, booklet, images, workers

SETTINGS = "pdf-ua-1-jpeg-q85-v1"
JPEG_QUALITY = 85
MAX_WIDTH = booklet.pixels(booklet.COLUMN_MM, booklet.MAX_DPI)  # more pixels than this print nowhere


@dataclass(frozen=True)
class Job:
    """One language's booklet, ready to render: its HTML, CSS and the local files it names."""

    lang: str
    html: str
    css: str
    files: tuple[tuple[str, str, str], ...]  # (url, path, content digest): fonts and photos
    key: str
    warnings: tuple[str, ...] = ()
    stories: int = 0


@dataclass
class Made:
    """A booklet in the cache."""

    lang: str
    pdf: Path
    size: int
    pages: int
    stories: int
    reused: bool
    warnings: list[str] = field(default_factory=list)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def job(site: Any, cat: Any, cache_dir: Path, entries: list[Any] | None = None) -> Job:
    """Prepare the booklet of `cat`'s language (or of `entries`); BookletError when refused."""
    import weasyprint

    chosen = cat.entries if entries is None else entries
    cache_dir.mkdir(parents=True, exist_ok=True)
    sources = [p for p in (booklet.photo_source(site, e) for e in chosen) if p is not None]
    digests = images.source_digests(sources, cache_dir)  # memoised by size and mtime
    made = booklet.make(site, cat, chosen, {str(p): d for p, d in digests.items()})
    html, css = booklet.html(made), booklet.stylesheet()
    fonts = [(url, booklet.FONT_FILES[name]) for name, url in made.context["fonts"].items()]
    photos = {p.url: (str(p.source), digests[p.source]) for p in made.photos}  # each file once
    files = tuple([(url, str(path), _digest(path)) for url, path in fonts] + [(url, *pd) for url, pd in photos.items()])
    h = hashlib.sha256(f"{SETTINGS}|{weasyprint.__version__}|{MAX_WIDTH}".encode())
    for part in (html, css, *(f"{u}={d}" for u, _, d in files)):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return Job(made.lang, html, css, files, h.hexdigest()[:24], tuple(made.warnings), len(made.stories))


def print_photo(source: Path, cache_dir: Path, digest: str) -> bytes:
    """The photo as a JPEG at print resolution: upright, sRGB, pixels only (no EXIF, XMP, ICC,
    nothing the camera wrote). Cached by the original's content, shared by every language."""
    target = cache_dir / "photos" / f"{digest}-{MAX_WIDTH}.jpg"
    if target.is_file():
        return target.read_bytes()
    with Image.open(source) as im:
        im.load()
        clean = images.to_srgb(ImageOps.exif_transpose(im))
    if clean.mode == "RGBA":  # print has no transparency: flatten on white paper
        paper = Image.new("RGB", clean.size, (255, 255, 255))
        paper.paste(clean, mask=clean.getchannel("A"))
        clean = paper
    if clean.width > MAX_WIDTH:
        clean = clean.resize((MAX_WIDTH, round(clean.height * MAX_WIDTH / clean.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif/icc passed on
    data = out.getvalue()
    atomic.write_bytes(target, data)  # two languages' workers may write the same photo: last one wins whole
    return data


def fetcher(served: dict[str, tuple[bytes, str]]) -> Any:
    """A WeasyPrint fetcher that serves exactly `served` (url -> bytes, media type) and refuses
    every other address, local or remote, stopping the render."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in served:
                raise ValueError(f"{url}: the booklet reads only the fonts and photos it names")
            data, media_type = served[url]
            return URLFetcherResponse(url, data, {"Content-Type": media_type})

    return LocalOnly(allowed_protocols=set(), fail_on_errors=True)


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings (an unsupported CSS rule, a missing glyph) collected, not printed."""
    caught: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage())

    logger, handler = logging.getLogger("weasyprint"), Collect(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield caught
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def render(job: Job, cache_dir: Path) -> tuple[bytes, int, list[str]]:
    """The PDF's bytes, its page count and WeasyPrint's warnings."""
    from weasyprint import CSS, HTML

    served: dict[str, tuple[bytes, str]] = {}
    for url, path, digest in job.files:
        if url.startswith("booklet:photo/"):
            served[url] = (print_photo(Path(path), cache_dir, digest), "image/jpeg")
        else:
            served[url] = (Path(path).read_bytes(), "font/ttf")
    fetch = fetcher(served)
    with _weasyprint_warnings() as caught:
        doc = HTML(string=job.html, base_url="booklet:/", url_fetcher=fetch).render(
            stylesheets=[CSS(string=job.css, url_fetcher=fetch)]
        )
        data = doc.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=job.key.encode())
    return data, len(doc.pages), caught


def produce(job: Job, cache_dir: Path) -> Made:
    """The job's PDF from the cache, or rendered into it (atomically)."""
    pdf, meta = cache_dir / f"{job.key}.pdf", cache_dir / f"{job.key}.json"
    if pdf.is_file() and meta.is_file():
        facts = json.loads(meta.read_text(encoding="utf-8"))
        return Made(job.lang, pdf, pdf.stat().st_size, facts["pages"], job.stories, True, list(job.warnings))
    data, pages, caught = render(job, cache_dir)
    for path, content in ((pdf, data), (meta, json.dumps({"pages": pages, "lang": job.lang}).encode())):
        atomic.write_bytes(path, content)
    warnings = list(job.warnings) + [f"booklet ({job.lang}): WeasyPrint: {w}" for w in caught]
    return Made(job.lang, pdf, len(data), pages, job.stories, False, warnings)


def _produce_args(args: tuple[Job, Path]) -> Made:
    return produce(*args)


def run(jobs: list[Job], cache_dir: Path, processes: int | None = None) -> dict[str, Made]:
    """Every job's PDF, the missing ones rendered in parallel (one process per language)."""
    todo = [j for j in jobs if not (cache_dir / f"{j.key}.pdf").is_file()]
    made = {j.lang: produce(j, cache_dir) for j in jobs if j not in todo}
    processes = min(processes or os.cpu_count() or 1, len(todo))
    with workers.sigterm_stops():
        if processes > 1:
            with workers.pool(processes) as pool:
                tasks = [(j, cache_dir) for j in todo]
                for result in pool.map(partial(workers.task, _produce_args), tasks, chunksize=1):
                    made[result.lang] = result
        else:
            made.update({j.lang: produce(j, cache_dir) for j in todo})
    return {j.lang: made[j.lang] for j in jobs}


def place(made: Made, target: Path) -> None:
    """Copy a cached booklet into the site."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made.pdf, target)


def summary(made: dict[str, Made]) -> str:
    """One log line for a build."""
    parts = [f"{m.lang} {m.pages} p. {m.size:,} B{' (cached)' if m.reused else ''}" for m in made.values()]
    return f"booklets: {len(made)} ({', '.join(parts)})"
