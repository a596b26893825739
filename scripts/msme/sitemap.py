"""The sitemap: every page that really exists in a language, with hreflang alternates."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from msme.siteconfig import SiteConfig
from msme.urls import absolute

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


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


def _write_pair(folder: Path, data: bytes) -> None:
    (folder / "sitemap.xml").write_bytes(data)
    with (folder / "sitemap.xml.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)  # mtime 0 keeps the file byte-for-byte reproducible


def write(site_dir: Path, entries: list[tuple[str, list[dict[str, str]]]], config: SiteConfig) -> None:
    """The whole sitemap at the root, and each other language's own pages under <lang>/sitemap.xml."""
    _write_pair(site_dir, render(entries))
    for lang in config.locales[1:]:
        root = absolute(config.site_url, f"{lang}/")
        (site_dir / lang).mkdir(parents=True, exist_ok=True)
        _write_pair(site_dir / lang, render([e for e in entries if e[0].startswith(root)]))
