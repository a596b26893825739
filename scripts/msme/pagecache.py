"""Per-page output cache: a full build re-renders only the pages whose inputs changed.

A page's key is a hash of everything its HTML depends on:
- the build's digest (`digest`): mkdocs.yml, the `MSME_*` environment and the build options,
  the templates (`overrides/`), `data/` (labels, vocabularies, consent), the code of
  `scripts/` (the core and the hooks) and the installed packages' versions (MkDocs, Material,
  static-i18n, Markdown, Babel...);
- the language's navigation (`nav_digest`): its structure and the files of its pages, whose
  titles every page's menu shows;
- the page itself (`PageCache.key`): its language, source path and URL, its Markdown, its
  metadata, and every value `pageview.view` hands its templates (lists, related stories,
  facets, figures, head, language menu) in canonical JSON, so a page listing a story changes
  key when that story does, with no dependency graph to keep;
- the files its Markdown links (whether each exists, and where), which MkDocs resolves while
  rendering.

On a hit the glue skips Markdown conversion and Jinja rendering: the page's Markdown becomes
"" and its template `TEMPLATE`, which prints the stored HTML. What rendering records besides
the HTML is stored with it and replayed: the page's anchors and its links to other pages'
anchors (MkDocs checks them after the build) and the per-page state named in `STATE` (e.g.
search records). The sitemap entries and fallbacks need no replay: `pageview.view`, which
records them, runs for every page since the key is made from it.

Entries live under `.cache/pages/` (`extra.page_cache`), never in the site folder; each is
written to a temporary file and renamed, so parallel builds can share the folder. A full build
removes the entries it did not use. Never imports MkDocs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import posixpath
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from msme import atomic
from msme.paths import DATA_DIR, ROOT

FORMAT = "2"  # bump when an entry's layout changes
TEMPLATE = "msme-cached.html"  # prints `CONTEXT_KEY` as it is
CONTEXT_KEY = "msme_cached_html"
DEFAULT_FOLDER = ".cache/pages"
# Per-page state other features record on the `Build` while a page renders, each a dict keyed by
# (language, page URL): stored with the page and put back on a hit.
STATE = ("search_records", "page_records")
# The build options that do not change a page: where it is rendered and whether it is cached.
NEUTRAL_OPTIONS = ("only_langs", "page_cache")
CODE = (ROOT / "scripts",)
# Markdown link targets: inline `](target)` and reference definitions `[id]: target`.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


class Uncacheable(TypeError):
    """A value handed to a page's templates has no canonical JSON form: the page is rendered."""


@dataclasses.dataclass
class Entry:
    """One rendered page and what its rendering recorded besides the HTML."""

    html: str
    url: str = ""  # the page's URL in the site (what a test or a reader of the cache sees)
    dest: str = ""  # the file it is written to, relative to the site folder
    anchors: list[str] = dataclasses.field(default_factory=list)  # ids the page defines
    anchor_links: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # src_uri -> anchor -> url
    state: dict[str, Any] = dataclasses.field(default_factory=dict)  # STATE name -> the page's value


def _canonical(value: Any) -> Any:
    """JSON's fallback for the values templates read; anything else makes the page uncacheable."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, Path):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__type": type(value).__name__, **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    dump = getattr(value, "model_dump", None)  # a pydantic model
    if callable(dump):
        return {"__type": type(value).__name__, **dump(mode="json")}
    raise Uncacheable(f"{type(value).__name__} has no canonical form")


def canonical_json(value: Any) -> str:
    """One text per value: keys sorted, no whitespace; Uncacheable for unknown types."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical)


def _hash_tree(h: Any, folder: Path) -> None:
    """Every file under `folder` (path and bytes), in a fixed order; caches and bytecode skipped."""
    if folder.is_file():
        h.update(f"\0{folder.name}\0".encode())
        h.update(folder.read_bytes())
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            h.update(path.read_bytes())


def digest(
    config_file: Path,
    templates: Path | None,
    extra_files: Iterable[Path] = (),
    options: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """What every page of a build depends on, as one hash (see the module's docstring)."""
    h = hashlib.sha256(f"msme-pagecache {FORMAT} {sys.version}".encode())
    h.update(config_file.read_bytes())
    neutral = {k: v for k, v in (options or {}).items() if k not in NEUTRAL_OPTIONS}
    h.update(canonical_json(neutral).encode())
    h.update(canonical_json({k: v for k, v in environ.items() if k.startswith("MSME_") and k != "MSME_BUILD"}).encode())
    for folder in (*CODE, DATA_DIR, *extra_files, *([templates] if templates else [])):
        if folder.exists():
            _hash_tree(h, folder)
    dists = sorted(f"{d.metadata['Name']}=={d.version}".lower() for d in importlib.metadata.distributions())
    h.update("\n".join(dists).encode())
    return h.hexdigest()


def nav_digest(items: Iterable[Any]) -> str:
    """The navigation every page of a language shows: sections, titles, URLs and the bytes of
    each page's file (its title comes from there). Reads MkDocs' nav items by their public
    attributes (`title`, `url`, `children`, `file.abs_src_path`) without importing MkDocs."""
    h = hashlib.sha256()

    def walk(nodes: Iterable[Any], depth: int) -> None:
        for node in nodes:
            src = getattr(getattr(node, "file", None), "abs_src_path", None)
            h.update(canonical_json([depth, type(node).__name__, node.title, getattr(node, "url", None), src]).encode())
            if src and Path(src).is_file():
                h.update(Path(src).read_bytes())
            walk(getattr(node, "children", None) or [], depth + 1)

    walk(items, 0)
    return h.hexdigest()


def link_targets(markdown: str, src_uri: str, resolve: Callable[[str], str | None]) -> list[list[Any]]:
    """The relative files the page's Markdown links and where each resolves (None: no file), as
    MkDocs resolves them while rendering: a moved or removed target changes the page's key."""
    out = []
    for inline, ref in _LINK.findall(markdown):
        target = (inline or ref).split("#", 1)[0].split("?", 1)[0]
        if not target or "://" in target or target.startswith(("mailto:", "/")):
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target))
        out.append([target, resolve(path)])
    return out


def capture(build: Any, lang: str, url: str) -> dict[str, Any]:
    """The per-page state (`STATE`) the build recorded for the page at `url` in `lang`."""
    out = {}
    for name in STATE:
        records = getattr(build, name, None)
        if isinstance(records, dict) and (lang, url) in records:
            out[name] = records[(lang, url)]
    return out


def replay(build: Any, lang: str, url: str, entry: Entry) -> None:
    """Record a cached page's state on the build as rendering it would have."""
    for name, value in entry.state.items():
        records = getattr(build, name, None)
        if isinstance(records, dict):
            records[(lang, url)] = value


class PageCache:
    """The page cache of one build (process): lookups, stores, counts and the final pruning.
    Disabled, it only counts the pages rendered."""

    def __init__(self, folder: Path, build_digest: str, *, enabled: bool = True, prune: bool = True) -> None:
        self.folder = folder
        self.digest = build_digest
        self.enabled = enabled
        self.prune_unused = prune  # only a build of the whole site knows which entries are unused
        self.started = time.time()
        self.navs: dict[str, str] = {}
        self.rendered = 0
        self.hits = 0
        self.reused = 0  # hits found by their inputs, before MkDocs read the page (msme.pagereuse)

    def nav(self, lang: str, items: Iterable[Any]) -> None:
        """Record the navigation of `lang`, which static-i18n builds next."""
        if self.enabled:
            self.navs[lang] = nav_digest(items)

    def key(
        self,
        lang: str,
        src_uri: str,
        url: str,
        *,
        markdown: str,
        meta: Mapping[str, Any],
        view: Mapping[str, Any],
        links: list[list[Any]],
    ) -> str | None:
        """The page's key, or None when it is not cached (cache off, or a value with no canonical
        form). `view`: what the page's templates receive (labels excepted: they are in the digest)."""
        if not self.enabled:
            return None
        h = hashlib.sha256(f"{self.digest}\0{self.navs.get(lang, '')}\0{lang}\0{src_uri}\0{url}\0".encode())
        h.update(markdown.encode("utf-8", "surrogatepass"))
        try:
            h.update(canonical_json([meta, {k: v for k, v in view.items() if k != "t"}, links]).encode())
        except Uncacheable:
            return None
        return h.hexdigest()

    @property
    def compressed(self) -> Path:
        """Where the hosting step keeps compressed copies by content hash. Kept with the page cache
        off too: like image variants, a copy keyed by its content cannot be stale."""
        return self.folder / "compressed"

    def _path(self, key: str) -> Path:
        return self.folder / "html" / key[:2] / key

    def html(self, key: str) -> str:
        """The HTML of the entry `key`, which this build has loaded before (no count, no mark)."""
        return json.loads(zlib.decompress(self._path(key).read_bytes()))["html"]

    def _read(self, key: str) -> Entry | None:
        """The stored page for `key`, marked used, or None."""
        path = self._path(key)
        try:
            raw = json.loads(zlib.decompress(path.read_bytes()))
            os.utime(path)  # used by this build: kept by the pruning
        except (OSError, ValueError, zlib.error):
            return None
        return Entry(**raw)

    def load(self, key: str | None) -> Entry | None:
        """The stored page for `key` (counted as a hit and marked used), or None."""
        entry = None if key is None else self._read(key)
        self.hits += entry is not None
        return entry

    def _input_path(self, input_key: str) -> Path:
        return self.folder / "inputs" / input_key[:2] / input_key

    def remember(self, input_key: str | None, key: str | None) -> None:
        """Note that the page whose inputs hash to `input_key` rendered as the entry `key`."""
        if not (self.enabled and input_key and key):
            return
        path = self._input_path(input_key)
        try:
            if path.read_text(encoding="ascii") == key:
                os.utime(path)  # used by this build: kept by the pruning
                return
        except (OSError, ValueError):
            pass
        atomic.write_text(path, key)

    def reuse(self, input_key: str | None) -> Entry | None:
        """The stored page whose inputs hash to `input_key`, or None."""
        if not (self.enabled and input_key):
            return None
        path = self._input_path(input_key)
        try:
            key = path.read_text(encoding="ascii")
            os.utime(path)
        except (OSError, ValueError):
            return None
        entry = self._read(key)
        self.reused += entry is not None
        return entry

    def store(self, key: str | None, entry: Entry) -> None:
        """Keep a rendered page (atomically: a temporary file renamed over the entry)."""
        self.rendered += 1
        if key is None:
            return
        data = zlib.compress(json.dumps(dataclasses.asdict(entry), ensure_ascii=False).encode(), 1)
        atomic.write_bytes(self._path(key), data)

    def prune(self) -> int:
        """Remove the entries this build did not use or write; the number removed."""
        removed = 0
        if not (self.enabled and self.prune_unused):
            return removed
        cutoff = self.started - 1  # mtimes may be rounded to the second
        for path in (*(self.folder / "html").glob("*/*"), *(self.folder / "inputs").glob("*/*")):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another build pruned it first
                pass
        return removed

    def finish(self) -> str:
        """Prune; the build log's line."""
        removed = self.prune()
        notes = [f"{self.reused} of them never read by MkDocs"] if self.reused else []
        notes += [f"{removed} unused entries removed"] if removed else []
        line = f"pages: {self.rendered} rendered, {self.hits + self.reused} from cache"
        return line + (f" ({'; '.join(notes)})" if notes else "")


def compressed_folder(root: Path, settings: Mapping[str, Any]) -> Path:
    """Where the hosting step keeps compressed copies for the project at `root`: the folder
    `PageCache.compressed` names, for a build that has no cache object (msme.parallel)."""
    return root / settings.get("page_cache", DEFAULT_FOLDER) / "compressed"


def open_cache(
    root: Path,
    config_file: Path,
    settings: Mapping[str, Any],
    options: Mapping[str, Any],
    templates: Path | None,
    *,
    enabled: bool,
    whole_site: bool,
) -> PageCache:
    """The cache of a build of the project at `root` (`settings`: mkdocs.yml's extra, where
    `page_cache` may name the folder); `whole_site`: the build renders every page, so it may
    remove the entries it did not use."""
    folder = root / settings.get("page_cache", DEFAULT_FOLDER)
    consent = root / settings.get("consent_file", "data/consent.yml")
    build_digest = digest(config_file, templates, [consent], options) if enabled else ""
    return PageCache(folder, build_digest, enabled=enabled, prune=whole_site)
