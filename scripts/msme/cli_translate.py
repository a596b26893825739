"""`./dev msme translate`: pages to PO files for translators, and their work back (msme.pofiles)."""

from __future__ import annotations

from pathlib import Path

import typer

from msme.paths import CONSENT_FILE, ROOT

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Translate pages without editing Markdown.")


@app.command("export")
def export_command(
    lang: str = typer.Option(..., "--lang", help="Language to translate into (es, fr, …)."),
    pages: list[str] = typer.Argument(None, help="Pages under docs/, e.g. guides/financial-support.md."),
    outdated: bool = typer.Option(False, "--outdated", help="Also every page missing or outdated in --lang."),
    out: Path = typer.Option(ROOT / ".cache" / "translate", "--out", help="Folder for the PO files."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Write one PO file per page: a segment per text block and translatable field, with any translation."""
    from msme import pofiles
    from msme.validate import load_site

    site = load_site(docs)
    if lang not in site.config.locales[1:]:
        typer.echo(f"--lang {lang}: not a translation language (one of {', '.join(site.config.locales[1:])})", err=True)
        raise typer.Exit(2)
    chosen = pofiles.pages_to_export(site, lang, pages or [], outdated)
    known = {o.rel for o in site.originals()}
    unknown = [rel for rel in chosen if rel not in known]
    if unknown:
        typer.echo(f"{', '.join(unknown)}: no such page under {docs} (name a file such as guides/x.md)", err=True)
        raise typer.Exit(2)
    if not chosen:
        typer.echo(
            "Nothing to export: name pages, or use --outdated (every page is up to date)."
            if outdated
            else "Name one or more pages, or use --outdated."
        )
        return
    for path in pofiles.export(site, lang, chosen, out):
        typer.echo(f"wrote {path}")


@app.command("import")
def import_command(
    files: list[Path] = typer.Argument(..., help="PO files written by export and translated."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
    consent: Path = typer.Option(CONSENT_FILE, help="Consent register."),
) -> None:
    """Check the PO files and write their translations (with translation_of); nothing is written on a problem."""
    from msme import pofiles

    planned, problems = pofiles.import_files(files, docs, consent)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1)
    for plan in planned:
        typer.echo(f"{'wrote' if plan.changed else 'unchanged'} {plan.path}")
