"""One build, start to finish, as plain functions: what to build (`BuildOptions`), the prepared
build (`prepare`: validated site, catalogues, generated pages) and its finish (`finish`: images,
feeds, data, search, sitemap, editor, translation report, hosting files).

The options travel in ONE environment variable, `MSME_BUILD`, holding a JSON object of the
`BuildOptions` fields (`{"preview": true, "today": "2030-01-01"}`; absent means a plain full
build). An environment variable because the options must reach the builder in this process and
in every worker process a parallel build starts (`msme.parallel`), where MkDocs offers no other
channel; one variable, parsed into a frozen dataclass with a clear error for a bad value, so no
code reads a build mode anywhere else. The identity values `mkdocs.yml` reads through `!ENV`
(MSME_PUBLISHER, MSME_SITE_URL, ...) are deployment settings, not build modes, and stay there.

Never imports MkDocs: the glue (`scripts/mkdocs_hooks.py`) turns its events into these calls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msme import (
    catalogue,
    datapackage,
    dcat,
    editor,
    feeds,
    filterdata,
    golive,
    hosting,
    images,
    media,
    opendata,
    pagecache,
    parallel,
    preview,
    search,
    sitemap,
    urls,
    virtual,
)
from msme.paths import TOOLS
from msme.publication import is_built, published_files, publishes
from msme.site import Site
from msme.siteconfig import load_site_config
from msme.translations import format_status, status
from msme.validate import load_site
from msme.vocab import load_vocab

ENV = "MSME_BUILD"
NOT_FOUND = "404.html"
# What each authoring option would publish that the site as it stands does not (msme.golive).
AUTHORING = {
    "preview": "drafts, stories in review and scheduled stories would be published, under a banner",
    "serve_scope": "only part of the site would be built (the preview's language and recent stories)",
    "today": "the build would take another day as today, publishing scheduled stories early or late",
    "generators": "lists, facet pages, feeds and open data would be left out (a benchmark switch)",
    "booklet": "the success-stories booklet (PDF) would be left out, and its links with it",
}


class BuildError(Exception):
    """The build cannot go on; the message lists every reason."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build. The defaults are the full, public site as it stands today."""

    preview: bool = False  # drafts, review and scheduled stories built, under a banner
    today: dt.date | None = None  # another day taken as today (tests: scheduled stories)
    only_langs: tuple[str, ...] = ()  # a parallel worker: the languages it renders ("" = all)
    generators: bool = True  # lists, facets, feeds and data (False: benchmarks only)
    production: bool = False  # refuse placeholders and authoring modes (msme.golive)
    serve_scope: bool = False  # the preview builds one language and the recent stories
    serve_lang: str = "en"  # that language
    serve_stories: int = 30  # and that many stories
    page_cache: bool = True  # reuse pages whose inputs did not change (msme.pagecache; off: clean render)
    # The booklet PDFs (msme.booklet_site): any story change remakes them, minutes at 1,000 stories,
    # so the preview and the benchmark's page-pipeline figures leave them out; production never does.
    booklet: bool = True

    @classmethod
    def from_json(cls, text: str) -> BuildOptions:
        """Options from `MSME_BUILD`'s JSON; a ValueError names the bad field and what it takes."""
        try:
            raw = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{ENV}: not JSON ({exc.msg}): {text!r}") from None
        if not isinstance(raw, dict):
            raise ValueError(f"{ENV}: must be a JSON object of build options, got {text!r}")
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(f"{ENV}: unknown option(s) {', '.join(unknown)} (known: {', '.join(known)})")
        values: dict[str, Any] = {}
        for name, value in raw.items():
            values[name] = _parse(name, known[name].type, value)
        return cls(**values)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> BuildOptions:
        """The options this process was started with (`MSME_BUILD`), or the defaults."""
        return cls.from_json(environ.get(ENV, ""))

    def to_json(self) -> str:
        """`MSME_BUILD`'s value for these options: only what differs from the defaults."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != f.default:
                out[f.name] = value.isoformat() if isinstance(value, dt.date) else value
        return json.dumps(out, sort_keys=True)

    def environ(self, base: Mapping[str, str] = os.environ) -> dict[str, str]:
        """An environment for a build process with these options."""
        return {**base, ENV: self.to_json()}

    def authoring(self) -> dict[str, str]:
        """Options set that a production build refuses: name -> what it would publish."""
        default = BuildOptions()
        return {name: why for name, why in AUTHORING.items() if getattr(self, name) != getattr(default, name)}

    def owns(self, lang: str) -> bool:
        """False for a language another worker of a parallel build renders."""
        return not self.only_langs or lang in self.only_langs


def _parse(name: str, kind: str, value: Any) -> Any:
    """One option's value, checked against its annotation (a string: `from __future__`)."""
    bad = f"{ENV}: {name}={value!r}"
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{bad}: must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{bad}: must be a whole number above 0")
        return value
    if kind == "str":
        if not isinstance(value, str) or not value:
            raise ValueError(f"{bad}: must be a language code such as 'fr'")
        return value
    if kind == "dt.date | None":
        try:
            return None if value is None else dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"{bad}: must be a date as YYYY-MM-DD") from None
    if kind == "tuple[str, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f'{bad}: must be a list of language codes, e.g. ["fr"]')
        return tuple(value)
    raise TypeError(f"{name}: no parser for {kind}")  # a new field needs one here


@dataclass
class Build:
    """One build's state, shared by the language builds static-i18n runs in turn."""

    options: BuildOptions
    site: Site
    root: Path  # the project: mkdocs.yml's folder
    settings: dict[str, Any]  # mkdocs.yml's extra: consent_file, image_cache, editor
    catalogues: dict[str, catalogue.Catalogue]
    specs: list[virtual.Spec]
    published: set[str] = field(default_factory=set)  # docs files built pages link (publication)
    templates: Path | None = None  # the theme's custom templates (the client filter's card partial)
    # (lang, page URL) -> [default-language path, sitemap entry or None for a fallback], from
    # `pageview.view`; plain JSON, so a page reused from the cache records it again (msme.pagereuse)
    page_records: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    not_found: bytes | None = None  # the default language's 404 page, restored at the root
    booklets: dict[str, Any] | None = None  # lang -> the booklet PDF once made (msme.booklet_site)
    pages: pagecache.PageCache | None = None  # the per-page output cache (counts pages when off)
    # (lang, page URL) -> the page's search documents (msme.search), replayed for a cached page
    search_records: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    search_facts: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> story path -> words
    _generated: dict[str, dict[str, virtual.Spec]] = field(default_factory=dict)

    @property
    def default(self) -> str:
        return self.site.config.default.locale

    def languages(self) -> list[str]:
        """The languages this process builds (static-i18n's `build` flags follow it)."""
        return [lang for lang in self.site.config.locales if lang == self.default or self.options.owns(lang)]

    def generated(self, lang: str) -> dict[str, virtual.Spec]:
        """The generated pages of `lang` as Markdown paths to their spec, named the way static-i18n
        names a translation (`stories/map.md`, `stories/map.fr.md`), so that an entry of the nav in
        mkdocs.yml (`events.md`) finds the page in every language; none for a language another
        parallel worker renders. `generated_dest` says where each is written."""
        if lang not in self._generated:
            suffix = "" if lang == self.default else f".{lang}"
            owned = self.specs if self.options.owns(lang) else []
            self._generated[lang] = {spec.path.rstrip("/") + suffix + ".md": spec for spec in owned}
        return self._generated[lang]

    def generated_dest(self, lang: str, spec: virtual.Spec) -> str:
        """The file a generated page of `lang` is written to, in its language's folder
        (`fr/stories/map/index.html`)."""
        return urls.lang_prefix(lang, self.default) + spec.path + "index.html"

    def publishes(self, src_uri: str) -> bool:
        """Whether a file of docs/ goes into the site as it is (msme.publication)."""
        return publishes(self.site, src_uri, self.published)

    def record(self, lang: str, url: str, path: str, sitemap_entry: tuple[str, list[dict[str, str]]] | None) -> None:
        """Note the page at `url` in `lang`: its sitemap entry, or None for a fallback."""
        self.page_records[(lang, url)] = [path, sitemap_entry]

    @property
    def sitemap(self) -> list[tuple[str, list[dict[str, str]]]]:
        """The sitemap entries of the pages of the languages this process renders."""
        return [
            (entry[0], entry[1])
            for (lang, _url), (_path, entry) in self.page_records.items()
            if entry is not None and self.options.owns(lang)
        ]


def prepare(
    config_file: Path,
    docs_dir: Path,
    settings: Mapping[str, Any],
    options: BuildOptions | None = None,
    templates: Path | None = None,
) -> tuple[Build, list[str]]:
    """Validate everything and compute the catalogues and generated pages of the site configured
    in `config_file` (`settings`: its `extra`); return the build and the warnings to show.
    BuildError lists what stops it (bad options, go-live checks, content problems)."""
    try:
        options = options or BuildOptions.from_environ()
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    root = config_file.parent
    consent_file = root / settings.get("consent_file", "data/consent.yml")
    if options.production:  # placeholders and authoring modes never go live
        refused = golive.check(config_file, options=options)
        if refused:
            listing = "\n".join(f"  {p}" for p in refused)
            raise BuildError(f"Not ready for production, {len(refused)} problem(s):\n{listing}")
    site_config = load_site_config(config_file)
    scope = preview.scope(docs_dir, options)
    only: Callable[[str, str], bool] | None = None
    default = site_config.default.locale
    if scope is not None:  # the fast authoring loop: one language, recent stories (msme.preview)
        site_config = dataclasses.replace(
            site_config,
            languages=tuple(lang for lang in site_config.languages if lang.default or lang.locale == scope.lang),
        )

        def only(lang: str, original: str) -> bool:
            return scope.keeps(lang, original, default)

    elif options.only_langs:  # a parallel worker reads the default and its own languages

        def only(lang: str, original: str) -> bool:
            # The default language's worker reads everything: it writes the translation report.
            return lang == default or options.owns(lang) or options.owns(default)

    site = load_site(docs_dir, consent_file, site_config, only)
    if site.problems:
        listing = "\n".join(f"  {p}" for p in site.problems)
        raise BuildError(f"Content has {len(site.problems)} problem(s):\n{listing}")
    site.preview = options.preview
    if options.today:
        site.today = options.today
    cats = {lang: catalogue.build(site, lang) for lang in site.config.locales if lang == default or options.owns(lang)}
    specs = virtual.register(site, cats) if options.generators else []
    build = Build(
        options, site, root, dict(settings), cats, specs, published=published_files(site), templates=templates
    )
    whole = scope is None and not options.only_langs  # only a whole-site build may prune the cache
    options_json = json.loads(options.to_json())
    build.pages = pagecache.open_cache(
        root, config_file, settings, options_json, templates, enabled=options.page_cache, whole_site=whole
    )
    return build, [f"warning: {w}" for w in site.warnings]


def keep_not_found(build: Build, site_dir: Path, lang: str) -> None:
    """Every language build writes the theme's 404 page at the root: move a translated one to
    `<lang>/404.html`; the default language's is put back at the root by `finish`."""
    page = site_dir / NOT_FOUND
    if not page.exists():
        return
    if lang == build.default:
        build.not_found = page.read_bytes()
    else:
        target = site_dir / lang / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.read_bytes())


def finish(build: Build, site_dir: Path) -> list[str]:
    """After the last language: images, feeds, data, search indexes, sitemap, editor, report,
    hosting files. Returns the lines to log; BuildError when an image or the editor fails."""
    site, options = build.site, build.options
    log = []
    if build.not_found is not None:
        (site_dir / NOT_FOUND).write_bytes(build.not_found)
    owned = [lang for lang in site.config.locales if options.owns(lang)]
    jobs = [j for j in media.jobs(site) if parallel.owner(j.outputs().popitem()[1], site.config.locales) in owned]
    stats = images.run(jobs, site_dir, build.root / build.settings.get("image_cache", ".cache/images"))
    if stats.errors:
        listing = "\n".join(f"  {e}" for e in stats.errors)
        raise BuildError(f"{len(stats.errors)} image(s) could not be processed:\n{listing}")
    log.append(stats.summary())
    if options.generators:
        for lang, cat in build.catalogues.items():
            if lang in owned:
                lang_dir = site_dir / urls.lang_prefix(lang, build.default)
                feeds.write(cat, lang_dir)
                opendata.write(cat, lang_dir, first_images(site, cat))
                datapackage.write(cat, lang_dir)
                filterdata.write(cat, lang_dir, build.templates or build.root / "overrides")
        if options.owns(build.default):  # one catalogue of every language, at the root
            log.append(dcat.write(site_dir, site.config, build.catalogues))
        from msme import booklet_site  # here: the booklet reads pageview, which reads this module

        log += booklet_site.place(build, site_dir)  # the owned languages' booklets
    search.write_indexes(build, site_dir)
    if options.only_langs:  # a worker: the parallel build merges all workers' entries
        (site_dir / parallel.ENTRIES).write_text(json.dumps(build.sitemap), encoding="utf-8")
    else:
        sitemap.write(site_dir, build.sitemap, site.config)
    if options.owns(build.default) and options.generators:
        write_editor(site, site_dir, build.settings.get("editor", {}))
    report = status(site, only=lambda rel: is_built(site, rel))  # drafts stay private
    text = format_status(report, site, only=lambda rel: is_built(site, rel))
    (site_dir / "translation-status.txt").write_text(text + "\n", encoding="utf-8")
    if build.pages is not None:
        log.append(build.pages.finish())
    if not site.preview and not options.only_langs:  # parallel.build does it after merging
        compressed = build.pages.compressed if build.pages else None
        log.append(hosting.finish(site_dir, site.config.site_url, site.config.locales, compressed))
    return log


def first_images(site: Site, cat: catalogue.Catalogue) -> dict[str, str]:
    """Each story's first picture at 480 pixels, as an absolute URL (open data)."""
    out = {}
    for e in cat.entries:
        figs = media.figures(site, e.rel, e.story, "")
        if figs:
            out[e.rel] = urls.absolute(site.config.site_url, figs[0]["variants"].get(480, figs[0]["src"]))
    return out


def write_editor(site: Site, site_dir: Path, settings: dict[str, Any]) -> None:
    """The web editor at /admin/, configured from the content model."""
    try:
        backend = dict(settings.get("backend", {}))
        cfg = editor.config(load_vocab(), site.config.locales, backend, site.config.site_url, editor.local_port())
        editor.write(site_dir, TOOLS, cfg)
    except (FileNotFoundError, ValueError) as exc:
        raise BuildError(str(exc)) from None
