"""The content command line: `./dev msme --help`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from msme.paths import ROOT

app = typer.Typer(add_completion=False, no_args_is_help=True, help="MobiliseSME site tools.")


@app.command()
def validate(
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
    consent: Path = typer.Option(ROOT / "data" / "consent.yml", help="Consent register."),
) -> None:
    """Check every content file; print each problem as `path: field: problem (fix)`."""
    from msme.validate import load_site

    site = load_site(docs, consent)
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


@app.command()
def build(
    dest: Path = typer.Option(ROOT / "site", help="Where the finished site goes."),
    config: Path = typer.Option(ROOT / "mkdocs.yml", help="MkDocs configuration."),
) -> None:
    """Validate and build the site strictly; the previous site stays in place if anything fails."""
    from msme.publish import atomic_build

    code = atomic_build(config, dest)
    raise typer.Exit(code)


@app.command()
def serve(
    addr: str = typer.Option("127.0.0.1:8000", help="Address to serve on."),
) -> None:
    """Build and serve the site locally, rebuilding on every saved change."""
    env = {**os.environ, "MSME_SERVE": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", addr, "-f", str(ROOT / "mkdocs.yml")]
    raise typer.Exit(subprocess.call(cmd, env=env, cwd=ROOT))


def main() -> None:
    """Entry point for `python -m msme`."""
    app()
