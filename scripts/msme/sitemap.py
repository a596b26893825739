"""The sitemap: every page that really exists in a language, with hreflang alternates; a sitemap
index of the per-language sitemaps, and robots.txt pointing crawlers at it."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from msme.siteconfig import SiteConfig
from msme.urls import absolute, base_path

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
INDEX = "sitemap-index.xml"
EDITOR = "admin/"  # the web editor: no page for search engines


def render(entries: list[tuple[str, list[dict[str, str]]]]) -> bytes:
    """XML for (absolute URL, alternates) pairs; fallback pages must not be passed in."""
    ET.register_namespace("", SM)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SM}}}urlset")
    for loc, alternates in sorted(entries):
        url = ET.SubElement(root, f"{{{SM}}}url")
        ET.SubElement(url, f"{{{SM}}}loc").text = loc
        for alt in alternates:
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=alt["lang"], href=alt["url"])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_index(locations: list[str]) -> bytes:
    """A sitemap index (sitemaps.org) listing sitemaps by absolute URL."""
    ET.register_namespace("", SM)
    root = ET.Element(f"{{{SM}}}sitemapindex")
    for loc in locations:
        ET.SubElement(ET.SubElement(root, f"{{{SM}}}sitemap"), f"{{{SM}}}loc").text = loc
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _write_pair(folder: Path, data: bytes, name: str = "sitemap.xml") -> None:
    (folder / name).write_bytes(data)
    with (folder / f"{name}.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)  # mtime 0 keeps the file byte-for-byte reproducible


def language_sitemaps(config: SiteConfig) -> dict[str, str]:
    """Site path of each language's own sitemap: `<lang>/sitemap.xml`, and for the default language
    (whose folder is the root, where sitemap.xml is the whole site's) `sitemap-<lang>.xml`."""
    default = config.default.locale
    return {lang: f"sitemap-{lang}.xml" if lang == default else f"{lang}/sitemap.xml" for lang in config.locales}


def robots_txt(config: SiteConfig) -> str:
    """robots.txt: the web editor kept out of search, and the sitemap index."""
    home = absolute(config.site_url, "")
    base = base_path(home)
    lines = [f"# {home} (written by msme.sitemap at build time)"]
    if base != "/":
        lines += [
            f"# The site lives under {base}: crawlers read robots.txt only at the root of the host",
            f"# ({absolute(home, '/robots.txt')}). Copy these lines there; in {base} this file has no effect.",
        ]
    lines += ["User-agent: *", f"Disallow: {base}{EDITOR}", f"Sitemap: {absolute(home, INDEX)}"]
    return "\n".join(lines) + "\n"


def write(site_dir: Path, entries: list[tuple[str, list[dict[str, str]]]], config: SiteConfig) -> None:
    """The whole sitemap at the root; each language's own pages in its own sitemap, listed by the
    sitemap index; robots.txt."""
    _write_pair(site_dir, render(entries))
    default = config.default.locale
    others = [absolute(config.site_url, f"{lang}/") for lang in config.locales[1:]]
    for lang, rel in language_sitemaps(config).items():
        if lang == default:  # every page not under another language's folder
            own = [e for e in entries if not e[0].startswith(tuple(others))]
        else:
            own = [e for e in entries if e[0].startswith(absolute(config.site_url, f"{lang}/"))]
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_pair(target.parent, render(own), target.name)
    index = [absolute(config.site_url, rel) for rel in language_sitemaps(config).values()]
    (site_dir / INDEX).write_bytes(render_index(index))
    (site_dir / "robots.txt").write_text(robots_txt(config), encoding="utf-8")
