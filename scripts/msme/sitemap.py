"""The sitemap: every page that really exists in a language, with hreflang alternates."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

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


def write(site_dir: Path, entries: list[tuple[str, list[dict[str, str]]]]) -> None:
    """Write sitemap.xml and sitemap.xml.gz at the site root (mtime 0 keeps the gzip reproducible)."""
    data = render(entries)
    (site_dir / "sitemap.xml").write_bytes(data)
    with (site_dir / "sitemap.xml.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)
