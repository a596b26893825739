"""Pages a build takes from the page cache before MkDocs reads them, found by their inputs.

The page cache (msme.pagecache) keys a page by its view, which `pageview.view` must compute,
and MkDocs still reads, converts (to nothing) and writes every page. At 1,000 stories that is
most of a build in which nothing changed. So each stored page is also found by an *input key*,
a hash of what its view and text are made from:

- the build's digest (code, templates, data, configuration, options: `PageCache.digest`);
- the site's content digest (`content_digest`): every Markdown file's path and front matter,
  the full text of every page that is neither a story nor an event (the nav shows their
  titles), the other files under docs/ by name, size and time, and the day taken as today.
  A story's *body* is not in it: no other page shows one;
- the page itself: its language, its name, and the bytes of its file and of its original.

A page whose input key is stored is written as it was, at once, and its Markdown files are taken out of
MkDocs' file list before static-i18n sorts them, so neither reads them. Never taken out:
pages in the navigation (every page shows their titles; with no `nav` in mkdocs.yml that is
every page, so nothing is reused this way), pages another page links (MkDocs
checks those links), and pages that show what every story's text makes (`pageview.
reads_every_story`: the booklet's size). Editing one story's text then leaves every other
page's input key unchanged; editing what lists show (its title, country, ...) changes the
content digest, and every page goes through MkDocs, where the view-keyed cache still spares
those whose view is unchanged.

Never imports MkDocs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from msme import pageview
from msme.content import split_lang
from msme.pagecache import Entry, canonical_json, replay
from msme.site import Site

BODY_FREE = ("story", "event")  # content types whose text no other page shows


def content_digest(site: Site) -> str:
    """What any page may show of the content, as one hash (see the module's docstring)."""
    h = hashlib.sha256(f"{site.today.isoformat()}\0{site.preview}\0".encode())
    for sf in sorted(site.files, key=lambda f: f.rel):
        body = "" if sf.problem is None and sf.content_type in BODY_FREE else sf.digest
        h.update(canonical_json([sf.rel, sf.lang, sf.original_rel, sf.meta, body, str(sf.problem)]).encode())
    for folder, dirs, names in os.walk(site.docs_dir):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".md"):
                path = Path(folder, name)
                stat = path.stat()
                rel = path.relative_to(site.docs_dir).as_posix()
                h.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return h.hexdigest()


def nav_files(nav: Any) -> set[str]:
    """The Markdown files mkdocs.yml's `nav` names, at any depth."""
    if isinstance(nav, str):
        return {nav} if nav.endswith(".md") else set()
    if isinstance(nav, Mapping):
        return set().union(*(nav_files(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_files(v) for v in nav))
    return set()


class Reuse:
    """Input keys and reuse decisions of one build (`build`: msme.build.Build)."""

    def __init__(self, build: Any, nav: Any) -> None:
        self.build = build
        site = build.site
        # Without a `nav` in mkdocs.yml MkDocs lists every page in the navigation: none may be left out.
        enabled = nav is not None and build.pages is not None and build.pages.enabled
        self.content = content_digest(site) if enabled else ""
        self.digests = {(sf.lang, sf.original_rel): sf.digest for sf in site.files}
        locales, default = site.config.locales, build.default
        linked = {split_lang(p, locales, default)[1] for p in build.published if p.endswith(".md")}
        self.kept = nav_files(nav) | linked | {"index.md"}  # static-i18n needs each language's home page
        self.folders: set[Path] = set()  # folders of the site this build has made

    def input_key(self, lang: str, name: str, original: str | None = None) -> str | None:
        """The input key of the page `name` (a docs page's original path, or a generated page's
        file name) in `lang`; `original`: a docs page's original path, whose files it reads."""
        if not self.content:
            return None
        files = [self.digests.get((lang, original)), self.digests.get((self.build.default, original))]
        text = canonical_json([self.build.pages.digest, self.content, lang, name, files if original else None])
        return hashlib.sha256(text.encode()).hexdigest()

    def _reusable(self, lang: str, src: pageview.Source | None, name: str, original: str | None) -> Entry | None:
        if src is None or original in self.kept or pageview.reads_every_story(src):
            return None
        return self.build.pages.reuse(self.input_key(lang, name, original))

    def _take(self, lang: str, entry: Entry, site_dir: Path) -> None:
        """Write the page now (MkDocs has emptied the site folder by the time it lists files) and
        record its state: no page's HTML is held in memory."""
        replay(self.build, lang, entry.url, entry)
        target = site_dir / entry.dest
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        target.write_bytes(entry.html.encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs writes a page

    def docs(self, lang: str, src_uris: Iterable[str], site_dir: Path) -> set[str]:
        """Write the docs pages of `lang` that come from the cache into `site_dir`; return their
        Markdown files (every language's): MkDocs need not see them."""
        drop: set[str] = set()
        if not self.content:
            return drop
        locales = self.build.site.config.locales
        by_original: dict[str, list[str]] = {}
        for src_uri in src_uris:
            by_original.setdefault(split_lang(src_uri, locales, self.build.default)[1], []).append(src_uri)
        for original, variants in by_original.items():
            src = pageview.source(self.build, lang, original)
            entry = self._reusable(lang, src, original, original)
            if entry is not None:
                self._take(lang, entry, site_dir)
                drop.update(variants)
        return drop

    def generated(self, lang: str, src_uri: str, site_dir: Path) -> bool:
        """Whether the generated page `src_uri` of `lang` comes from the cache (then written)."""
        if not self.content:
            return False
        locales = self.build.site.config.locales
        if split_lang(src_uri, locales, self.build.default)[1] in self.kept:  # in the nav
            return False
        entry = self._reusable(lang, pageview.source(self.build, lang, src_uri), src_uri, None)
        if entry is not None:
            self._take(lang, entry, site_dir)
        return entry is not None

    def key_of(self, lang: str, src: pageview.Source, src_uri: str) -> str | None:
        """The input key of a page MkDocs renders, to store with its entry."""
        if pageview.reads_every_story(src):
            return None
        if src.key.startswith(pageview.GENERATED):
            return self.input_key(lang, src_uri)
        return self.input_key(lang, src.key, src.key)
