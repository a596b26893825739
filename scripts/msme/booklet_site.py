"""The booklet in the site build: made once per build for the languages this process owns (from
the cache when nothing changed, in parallel otherwise), linked with its size from the story list
and the Data page, copied into the site by `build.finish`."""

from __future__ import annotations

from pathlib import Path

from msme import booklet, booklet_pdf, urls
from msme.build import Build, BuildError


def cache_dir(build: Build) -> Path:
    """`.cache/booklet` beside the image cache (tests share the repository's)."""
    images = Path(build.settings.get("image_cache", ".cache/images"))
    return build.root / images.parent / "booklet"


def ensure(build: Build) -> dict[str, booklet_pdf.Made]:
    """The booklet of every language this process owns that has stories, made once per build."""
    if build.booklets is None:
        owned = [lang for lang, cat in build.catalogues.items() if build.options.owns(lang) and cat.entries]
        try:
            jobs = [booklet_pdf.job(build.site, build.catalogues[lang], cache_dir(build)) for lang in owned]
        except booklet.BookletError as exc:
            raise BuildError(str(exc)) from None
        build.booklets = booklet_pdf.run(jobs, cache_dir(build))
    return build.booklets


def link(build: Build, lang: str, page_url: str) -> dict[str, str] | None:
    """The booklet's address relative to the page at `page_url`, and its size in words; None
    without a booklet (no stories, a build without generators or booklet, another worker's language)."""
    if not build.options.generators or not build.options.booklet or not build.options.owns(lang):
        return None
    made = ensure(build).get(lang)
    if made is None:
        return None
    target = booklet.site_path(lang, build.default)
    return {"url": urls.relative(target, page_url), "size": booklet.size_label(made.size, lang)}


def place(build: Build, site_dir: Path) -> list[str]:
    """Copy the booklets into the site; the log lines (a summary, warnings)."""
    if not build.options.booklet:
        return []
    made = ensure(build)
    for lang, m in made.items():
        booklet_pdf.place(m, site_dir / booklet.site_path(lang, build.default))
    warnings = [f"warning: {w}" for m in made.values() for w in m.warnings]
    return [booklet_pdf.summary(made), *warnings] if made else []
