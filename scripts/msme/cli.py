"""The content command line: `./dev msme --help`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from msme import cli_translate, fielddocs, model, scaffold
from msme.cli_booklet import booklet as booklet_command
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
    """Check that translations keep their original's links, images, headings and numbers, and that
    pages and labels use each language's terms (data/terminology/<lang>.yml)."""
    from msme import translations
    from msme.validate import load_site

    site = load_site(docs)
    problems = translations.check(site) + translations.check_terms(site)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("OK: every translation keeps its original's links, images, headings and numbers, and its terms.")


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
    import dataclasses

    from msme import golive
    from msme.build import BuildOptions
    from msme.publish import atomic_build

    options = BuildOptions.from_environ()
    if production:
        options = dataclasses.replace(options, production=True)  # every build process checks again
        refused = golive.check(config, options=options)
        for problem in refused:
            typer.echo(str(problem), err=True)
        if refused:
            typer.echo(f"Not ready for production: {len(refused)} problem(s); nothing was built.", err=True)
            raise typer.Exit(1)
    code = atomic_build(config, dest, options.environ(), jobs=jobs)
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
    import dataclasses

    from msme.build import BuildOptions

    preview = {"preview": True, "serve_scope": True, "serve_lang": lang, "serve_stories": stories, "booklet": False}
    env = dataclasses.replace(BuildOptions.from_environ(), **preview).environ()
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", addr, "-f", str(ROOT / "mkdocs.yml")]
    os.chdir(ROOT)
    os.execve(sys.executable, cmd, env)  # mkdocs takes this process's place: a signal stops the server


new_app = typer.Typer(no_args_is_help=True, help="Create a story, guide or event from its template.")
app.add_typer(new_app, name="new")
app.add_typer(cli_translate.app, name="translate")
app.command("booklet")(booklet_command)


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


def _answer(check: Callable[[Any], Any], *, empty_ok: bool = False) -> Callable[[Any], Any]:
    """A prompt's checker whose refusal is shown as written (typer would prefix "Value error,");
    `empty_ok`: an option left out (asked for later, if needed) is not checked."""

    def parse(value: Any) -> Any:
        if empty_ok and value == "":
            return value
        try:
            return check(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return parse


def _field(
    ctype: str, path: str, check: Callable[[Any], Any] | None = None, *, needed: bool | None = None, ask: bool = True
) -> Any:
    """A `new` command's option for one model field: its prompt and --help (label, description,
    allowed values) come from the model; `needed`: asked for even where the model allows it
    empty (what publication needs); `ask=False`: no prompt here, the command asks (`_ask`) when
    another answer says the field is needed."""
    cls = model.MODELS[ctype]
    vocab = load_vocab()
    required = ask and (fielddocs.required(model.field_at(cls, path)) if needed is None else needed)
    return typer.Option(
        ... if required else "",
        prompt=fielddocs.prompt(cls, path, vocab, needed=needed) if ask else None,
        help=fielddocs.help_text(cls, path, vocab, needed=needed),
        parser=_answer(check, empty_ok=not ask) if check else None,
        show_default=False,
    )


@new_app.command("story")
def new_story(
    title: str = _field("story", "title"),
    summary: str = _field("story", "summary"),
    sending_name: str = _field("story", "sending.name"),
    sending_country: str = _field("story", "sending.country", scaffold.check_country, needed=True),
    host_name: str = _field("story", "host.name"),
    host_country: str = _field("story", "host.country", scaffold.check_country, needed=True),
    duration: str = _field("story", "duration_months", scaffold.check_duration),
    types: str = _field("story", "collaboration_types", scaffold.check_types),
    sending_sector: str = _field("story", "sending.sector", scaffold.check_sector),
    host_sector: str = _field("story", "host.sector", scaffold.check_sector),
    source_title: str = _field("story", "sources[].title"),
    source_url: str = _field("story", "sources[].url"),
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
    title: str = _field("guide", "title"),
    summary: str = _field("guide", "summary"),
    audiences: str = _field("guide", "audiences", scaffold.check_audiences),
    slug: str = typer.Option("", help="File name; made from the title when empty."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Create docs/guides/<slug>.md."""
    _create(lambda: scaffold.new_guide(docs, title=title, summary=summary, audiences=audiences, slug=slug))


@new_app.command("event")
def new_event(
    title: str = _field("event", "title"),
    name: str = _field("event", "name"),
    start: str = _field("event", "start", scaffold.check_date),
    organiser: str = _field("event", "organisers"),
    online: bool = typer.Option(
        False, "--online", help=fielddocs.help_text(model.Event, "place.online", load_vocab()), show_default=False
    ),
    city: str = _field("event", "place.city", ask=False),
    country: str = _field("event", "place.country", scaffold.check_country, ask=False),
    slug: str = typer.Option("", help="File name; made from the title when empty."),
    docs: Path = typer.Option(ROOT / "docs", help="Folder of Markdown content."),
) -> None:
    """Create docs/events/<slug>.md; city and country are asked for unless --online."""
    if not online:  # the model needs a place only for an event held somewhere
        city = city or _ask("event", "place.city")
        country = country or _ask("event", "place.country", scaffold.check_country)
    try:
        _create(
            lambda: scaffold.new_event(
                docs,
                title=title,
                name=name,
                start=start,
                organiser=organiser,
                city=city,
                country=country,
                online=online,
                slug=slug,
            )
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--online") from None


def _ask(ctype: str, path: str, check: Callable[[Any], Any] | None = None) -> Any:
    """Ask for one model field the way its option's prompt would, refusing what `check` refuses;
    for a field another answer makes necessary."""
    text = fielddocs.prompt(model.MODELS[ctype], path, load_vocab(), needed=True)
    return typer.prompt(text, value_proc=_answer(check) if check else None)


@app.command("docs")
def docs_command(
    check: bool = typer.Option(False, "--check", help="Change nothing; exit 1 if a generated table is stale."),
    path: Path = typer.Option(fielddocs.CONTRIBUTING, help="The file holding the field tables."),
) -> None:
    """Write the field tables in CONTRIBUTING.md from the content model (msme.fielddocs)."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    try:
        if check and fielddocs.stale(path, load_vocab()):
            typer.echo(f"{shown}: the field tables differ from the content model (run ./dev msme docs)", err=True)
            raise typer.Exit(1)
        changed = not check and fielddocs.write(path, load_vocab())
    except ValueError as exc:
        typer.echo(f"{shown}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{shown}: {'field tables rewritten' if changed else 'field tables up to date'}")


def main() -> None:
    """Entry point for `python -m msme`."""
    app()
