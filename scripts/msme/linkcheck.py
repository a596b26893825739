"""Check a built site: every internal link and #anchor resolves, and every page carries its head metadata."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


@dataclass
class ParsedPage:
    """What the checks need from one HTML file."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attr, url)
    meta: dict[str, str] = field(default_factory=dict)  # name/property -> content
    title: str = ""
    canonical: str = ""
    jsonld: list[str] = field(default_factory=list)
    lang: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_title = False
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        if tag == "html":
            self.page.lang = a.get("lang", "")
        if tag == "a" and "href" in a:
            self.page.links.append(("a.href", a["href"]))
        elif tag == "link" and "href" in a:
            rel = a.get("rel", "").split()
            if "canonical" in rel:
                self.page.canonical = a["href"]
            elif "alternate" not in rel or "hreflang" not in a:  # hreflang targets: absolute, see i18n tests
                self.page.links.append(("link.href", a["href"]))
        elif tag in ("img", "script", "source") and a.get("src"):
            self.page.links.append((f"{tag}.src", a["src"]))
        if tag in ("img", "source") and a.get("srcset"):
            for part in a["srcset"].split(","):
                self.page.links.append((f"{tag}.srcset", part.strip().split(" ")[0]))
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.page.meta[key] = a.get("content", "")
        self._in_title = tag == "title"
        self._in_jsonld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._in_jsonld:
            self.page.jsonld.append(data)


def parse(path: Path) -> ParsedPage:
    """Parse one HTML file."""
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


# Folders of tools served with the site, not pages for readers: no meta tags, cards or hreflang.
TOOL_FOLDERS = ("admin",)


def reader_pages(site_dir: Path, pattern: str = "*.html") -> list[Path]:
    """The site's HTML files meant for readers (the web editor's page left out)."""
    return [p for p in sorted(site_dir.rglob(pattern)) if p.relative_to(site_dir).parts[0] not in TOOL_FOLDERS]


def html_pages(site_dir: Path) -> dict[str, ParsedPage]:
    """Every reader page of the site by its path relative to the site root."""
    return {p.relative_to(site_dir).as_posix(): parse(p) for p in reader_pages(site_dir)}


def _target_file(site_dir: Path, path: str) -> str | None:
    """The site-relative file a URL path serves, or None if nothing is there."""
    path = unquote(path).lstrip("/")
    candidates = [path] if path and not path.endswith("/") else []
    candidates += [posixpath.join(path, "index.html")]
    for cand in candidates:
        if (site_dir / cand).is_file():
            return posixpath.normpath(cand)
    return None


def broken_links(site_dir: Path, site_url: str, pages: dict[str, ParsedPage] | None = None) -> list[str]:
    """'page: url: problem' for each internal link or anchor that does not resolve."""
    pages = pages or html_pages(site_dir)
    own = urlsplit(site_url)
    problems = []
    for rel, page in pages.items():
        here = posixpath.dirname(rel) + "/"
        for where, url in page.links:
            if not url or url.startswith(SKIP_SCHEMES):
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if parts.netloc != own.netloc:
                    continue  # external: not ours to resolve offline
                target = _target_file(site_dir, parts.path.removeprefix(own.path))
            elif not parts.path:
                target = rel  # "#anchor" on this page
            else:
                joined = posixpath.normpath(posixpath.join(here, parts.path))
                target = _target_file(site_dir, joined + ("/" if parts.path.endswith("/") else ""))
            if target is None:
                problems.append(f"{rel}: {where} {url}: no such file")
                continue
            if parts.fragment and target.endswith(".html"):
                ids = pages[target].ids if target in pages else parse(site_dir / target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{rel}: {where} {url}: no element with id {parts.fragment!r} in {target}")
    return problems


REQUIRED_META = ("description", "og:title", "og:description", "og:image", "twitter:card")


def missing_meta(pages: dict[str, ParsedPage]) -> list[str]:
    """'page: problem' for a missing title, canonical, required meta tag, non-absolute og:image,
    or a meta description that another page of the same language also uses."""
    problems = []
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rel, page in pages.items():
        if rel.endswith("404.html"):
            continue  # the theme's error pages are not content pages
        if not page.title.strip():
            problems.append(f"{rel}: no <title>")
        if not page.canonical.startswith(("http://", "https://")):
            problems.append(f"{rel}: no absolute canonical URL")
        for key in REQUIRED_META:
            if not page.meta.get(key, "").strip():
                problems.append(f"{rel}: no {key}")
        if not page.meta.get("og:image", "").startswith(("http://", "https://")):
            problems.append(f"{rel}: og:image is not an absolute URL")
        seen[(page.lang, page.meta.get("description", ""))].append(rel)
    for (lang, _), rels in seen.items():
        if len(rels) > 1:
            problems.append(f"{rels[1]}: meta description also used by {rels[0]} ({lang})")
    return problems


def jsonld(page: ParsedPage) -> list[dict]:
    """The JSON-LD objects of a page, flattened out of any @graph (raises on invalid JSON)."""
    out = []
    for block in page.jsonld:
        data = json.loads(block)
        out += data.get("@graph", [data]) if isinstance(data, dict) else data
    return out
