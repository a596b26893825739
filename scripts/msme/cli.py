"""The content command line: `./dev msme --help`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from msme import scaffold
from msme.paths import ROOT
from msme.vocab import load_vocab

app = typer.Typer(add_completion=False, no_args_is_help=True, help="MobiliseSME site tools.")


@app.command()
def validate(
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
    consent: Path = typer.Option(ROOT / "data" / "consent.yml", help="Consent register."),
) -> None:
    """Check every content file; print each problem as `path: field: problem (fix)`."""
    from msme.validate import load_site

    site = load_site(docs, consent)
    for warning in site.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for problem in site.problems:
        typer.echo(str(problem), err=True)
    pages = len(site.pages)
    if site.problems:
        typer.echo(f"{len(site.problems)} problem(s) in {len({p.path for p in site.problems})} file(s).", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(site.files)} files, {pages} pages valid.")


@app.command()
def status(
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any translation is missing or outdated."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """List per language the missing and the outdated translations, with each original's hash."""
    from msme import translations
    from msme.validate import load_site

    site = load_site(docs)
    report = translations.status(site)
    typer.echo(translations.format_status(report, site))
    if strict and not all(st.ok for st in report):
        raise typer.Exit(1)


@app.command("check-translations")
def check_translations(docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content.")) -> None:
    """Check that translations keep their original's links, images, headings and numbers."""
    from msme import translations
    from msme.validate import load_site

    problems = translations.check(load_site(docs))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("OK: every translation keeps its original's links, images, headings and numbers.")


@app.command("images")
def images_command(
    dest: Path = typer.Option(ROOT / "site", help="Site folder to place the outputs in."),
    cache: Path = typer.Option(ROOT / ".cache" / "images", help="Cache of processed images."),
    workers: int = typer.Option(0, help="Processes to use (0 = one per core)."),
) -> None:
    """Process every photo and social card alone (no page build) and print a summary."""
    from msme import images, media
    from msme.validate import load_site

    site = load_site()
    if site.problems:
        for problem in site.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    stats = images.run(media.jobs(site), dest, cache, workers or None)
    for error in stats.errors:
        typer.echo(error, err=True)
    typer.echo(stats.summary())
    raise typer.Exit(1 if stats.errors else 0)


@app.command("strip-location")
def strip_location(
    paths: list[Path] = typer.Argument(..., help="Photos, or folders to search for photos."),
) -> None:
    """Remove the GPS position from photos (JPEG, PNG, WebP), keeping their pixels and orientation."""
    from msme.images import RASTER_SUFFIXES, ImageProblem
    from msme.images import strip_location as strip

    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")))]
    photos = [f for f in files if f.suffix.lower() in RASTER_SUFFIXES]
    missing = [p for p in paths if not p.exists()]
    failed = 0
    for path in missing:
        typer.echo(f"{path}: not found", err=True)
    for photo in photos:
        try:
            typer.echo(f"{photo}: {'position removed' if strip(photo) else 'no position recorded'}")
        except (ImageProblem, OSError) as exc:
            failed += 1
            typer.echo(f"{photo}: {exc}", err=True)
    if missing or failed or not photos:
        if not photos and not missing:
            typer.echo("no photos found", err=True)
        raise typer.Exit(1)


@app.command()
def build(
    dest: Path = typer.Option(ROOT / "site", help="Where the finished site goes."),
    config: Path = typer.Option(ROOT / "mkdocs.yml", help="MkDocs configuration."),
    jobs: int = typer.Option(
        1, help="Processes building languages at once; the output is identical (on 2 cores, 1 is faster)."
    ),
    production: bool = typer.Option(
        False, "--production", help="Build for publication: refuse placeholders and authoring modes (DEPLOY.md)."
    ),
) -> None:
    """Validate and build the site strictly; the previous site stays in place if anything fails."""
    from msme import golive
    from msme.publish import atomic_build

    if production:
        refused = golive.check(config)
        for problem in refused:
            typer.echo(str(problem), err=True)
        if refused:
            typer.echo(f"Not ready for production: {len(refused)} problem(s); nothing was built.", err=True)
            raise typer.Exit(1)
        os.environ[golive.PRODUCTION_ENV] = "1"  # every build process checks again (mkdocs_hooks)
    code = atomic_build(config, dest, jobs=jobs)
    raise typer.Exit(code)


@app.command()
def nginx(
    root: str = typer.Option(..., help="Folder nginx serves the site from (it holds the built site)."),
    site: Path = typer.Option(ROOT / "site", help="The built site whose headers, assets and languages to serve."),
    listen: str = typer.Option("80", help="nginx's listen value, e.g. '443 ssl' with your certificate lines."),
    server_name: str = typer.Option("_", help="The host name(s) nginx answers for."),
) -> None:
    """Print a Debian nginx site file for the built site: its policies, headers, caching and 404 pages."""
    from msme import hosting, urls
    from msme.siteconfig import load_site_config

    cfg = load_site_config()
    if not (site / "index.html").is_file():
        typer.echo(f"{site}: no built site here (run ./dev build first)", err=True)
        raise typer.Exit(1)
    rules = hosting.rules_for(site, urls.base_path(cfg.site_url), cfg.locales[1:])
    typer.echo(hosting.nginx_config(rules, root, listen=listen, server_name=server_name), nl=False)


@app.command()
def serve(
    addr: str = typer.Option("127.0.0.1:8000", help="Address to serve on."),
    lang: str = typer.Option("en", help="The language to preview besides the default."),
    stories: int = typer.Option(30, help="How many of the most recently edited stories to preview."),
) -> None:
    """Build and serve the site locally, rebuilding on every saved change."""
    # Drafts and stories in review show, with a banner; a large site is previewed in one language
    # with its most recently edited stories (msme.preview), so a saved change shows in seconds.
    env = {
        **os.environ,
        "MSME_PREVIEW": "1",
        "MSME_SERVE_SCOPE": "1",
        "MSME_SERVE_LANG": lang,
        "MSME_SERVE_STORIES": str(stories),
    }
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", addr, "-f", str(ROOT / "mkdocs.yml")]
    os.chdir(ROOT)
    os.execve(sys.executable, cmd, env)  # mkdocs takes this process's place: a signal stops the server


new_app = typer.Typer(no_args_is_help=True, help="Create a story, guide or event from its template.")
app.add_typer(new_app, name="new")


def _create(make: Callable[[], Path]) -> None:
    """Run a scaffold; report the new file, or refuse with exit 1 when something is there already."""
    try:
        _done(make())
    except scaffold.Exists as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _done(path: Path) -> None:
    typer.echo(f"Created {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    typer.echo(
        "Next: fill in the text, add photos and consent records, run `./dev msme validate`, "
        "then set status: review or published. Translations are listed by `./dev msme status`."
    )


def _answer(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A prompt's checker whose refusal is shown as written (typer would prefix "Value error,")."""

    def parse(value: Any) -> Any:
        try:
            return check(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return parse


def _keys(vocabulary: str) -> str:
    """The allowed keys of a vocabulary, for a prompt."""
    return ", ".join(getattr(load_vocab(), vocabulary))


def _country(label: str) -> str:
    return typer.Option(..., prompt=f"{label} country (ISO code, e.g. ES)", parser=_answer(scaffold.check_country))


@new_app.command("story")
def new_story(
    title: str = typer.Option(..., prompt="Title"),
    summary: str = typer.Option(..., prompt="Summary (one or two sentences)"),
    sending_name: str = typer.Option(..., prompt="Sending company"),
    sending_country: str = _country("Sending company's"),
    host_name: str = typer.Option(..., prompt="Host company"),
    host_country: str = _country("Host company's"),
    duration: str = typer.Option(
        "", prompt="Duration in months (1-6, empty if unknown)", parser=_answer(scaffold.check_duration)
    ),
    types: str = typer.Option(
        ...,
        prompt=f"Types of collaboration (comma-separated: {_keys('collaboration_types')})",
        parser=_answer(scaffold.check_types),
    ),
    sending_sector: str = typer.Option(
        "", prompt="Sending company's NACE sector letter (empty if unknown)", parser=_answer(scaffold.check_sector)
    ),
    host_sector: str = typer.Option(
        "", prompt="Host company's NACE sector letter (empty if unknown)", parser=_answer(scaffold.check_sector)
    ),
    source_title: str = typer.Option(..., prompt="Title of the source page"),
    source_url: str = typer.Option(..., prompt="Address (URL) of the source page"),
    slug: str = typer.Option("", help="Folder name; made from the title when empty."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Create docs/stories/<slug>/index.md as a draft, asking for each key field and checking it."""
    answers = scaffold.StoryAnswers(
        title=title,
        summary=summary,
        sending_name=sending_name,
        sending_country=sending_country,
        host_name=host_name,
        host_country=host_country,
        collaboration_types=types,
        source_title=source_title,
        source_url=source_url,
        duration_months=duration or None,
        sending_sector=sending_sector or None,
        host_sector=host_sector or None,
        slug=slug,
    )
    _create(lambda: scaffold.new_story(docs, answers))


@new_app.command("guide")
def new_guide(
    title: str = typer.Option(..., prompt="Title"),
    summary: str = typer.Option(..., prompt="Summary (one or two sentences)"),
    audiences: str = typer.Option(
        ...,
        prompt=f"Audiences (comma-separated: {_keys('audiences')})",
        parser=_answer(scaffold.check_audiences),
    ),
    slug: str = typer.Option("", help="File name; made from the title when empty."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Create docs/guides/<slug>.md."""
    _create(lambda: scaffold.new_guide(docs, title=title, summary=summary, audiences=audiences, slug=slug))


@new_app.command("event")
def new_event(
    title: str = typer.Option(..., prompt="Title of the recap"),
    name: str = typer.Option(..., prompt="Official name of the event"),
    start: str = typer.Option(
        ...,
        prompt="Date (YYYY-MM-DD)",
        parser=_answer(scaffold.check_date),
    ),
    city: str = typer.Option(..., prompt="City"),
    country: str = _country("Event"),
    organiser: str = typer.Option(..., prompt="Organiser"),
    slug: str = typer.Option("", help="File name; made from the title when empty."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Create docs/events/<slug>.md."""
    _create(
        lambda: scaffold.new_event(
            docs, title=title, name=name, start=start, city=city, country=country, organiser=organiser, slug=slug
        )
    )


def main() -> None:
    """Entry point for `python -m msme`."""
    app()
