"""`./dev msme booklet`: the success-stories booklet as PDF, without building the site."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from msme.paths import ROOT


def booklet(
    lang: list[str] = typer.Option([], "--lang", help="Language(s) to make (default: every language)."),
    country: str = typer.Option("", help="Only stories with a company from this country (ISO code, e.g. BE)."),
    year: str = typer.Option("", help="Only stories of exchanges that began in this year (e.g. 2021)."),
    dest: Path = typer.Option(ROOT / ".cache" / "booklets", help="Folder to write the PDFs into."),
    cache: Path = typer.Option(ROOT / ".cache" / "booklet", help="Cache of made booklets and print photos."),
) -> None:
    """Make the success-stories booklet, one A4 PDF per language, from the published stories."""
    from msme import booklet as content
    from msme import booklet_pdf, catalogue
    from msme.validate import load_site

    site = load_site()
    for problem in site.problems:
        typer.echo(str(problem), err=True)
    if site.problems:
        raise typer.Exit(1)
    unknown = sorted(set(lang) - set(site.config.locales))
    if unknown:
        typer.echo(
            f"--lang: {', '.join(unknown)}: not a language of the site ({', '.join(site.config.locales)})", err=True
        )
        raise typer.Exit(2)
    started = time.perf_counter()
    jobs = []
    for code in lang or site.config.locales:
        cat = catalogue.build(site, code)
        chosen = content.select(cat.entries, country, year)
        if not chosen:
            typer.echo(f"{code}: no published story matches; no booklet made", err=True)
            continue
        try:
            jobs.append(booklet_pdf.job(site, cat, cache, chosen))
        except content.BookletError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    made = booklet_pdf.run(jobs, cache)
    suffix = "".join(f"-{x}" for x in (country.upper(), year) if x)
    for code, m in made.items():
        target = dest / content.file_name(code).replace(".pdf", f"{suffix}.pdf")
        booklet_pdf.place(m, target)
        for warning in m.warnings:
            typer.echo(f"warning: {warning}", err=True)
        cached = " (cached)" if m.reused else ""
        typer.echo(f"{target}: {m.stories} stories, {m.pages} pages, {m.size:,} bytes{cached}")
    typer.echo(f"{len(made)} booklet(s) in {time.perf_counter() - started:.1f} s")
    if not made:
        raise typer.Exit(1)
