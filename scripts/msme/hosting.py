"""Hosting configuration generated from the built site: nginx, Netlify/Cloudflare Pages files,
and precompressed copies of the text files.

One set of rules (`Rules`) feeds every host, so the headers a host sends cannot drift from the
policies the pages carry. GitHub and GitLab Pages cannot set headers: there the pages' own
`<meta>` Content-Security-Policy is what applies.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import brotli
import lxml.html

from msme import atomic, csp
from msme.urls import base_path

# Material names its bundles after their content (bundle.a5f9d56c.min.js): safe to keep for a
# year. Everything else keeps its name when its content changes, so it is revalidated.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Linked-data files (the DCAT-AP catalogue, msme.dcat) whose types nginx's mime.types lacks:
# served as octet-stream, a harvester would not read them as RDF.
RDF_TYPES = {".ttl": "text/turtle", ".jsonld": "application/ld+json"}
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".yml", ".webmanifest", *RDF_TYPES}
MIN_COMPRESS_BYTES = 1024  # below this the compressed copy saves less than a packet
GZIP_LEVEL = 9
BROTLI_QUALITY = 6  # 11 is ~40× slower for ~7% less; pages are rebuilt on every deploy
# Directives only a header can carry; added to the pages' policy where a host sends it.
HEADER_ONLY: dict[str, tuple[str, ...]] = {"frame-ancestors": ("'none'",)}
# What a host that cannot choose a policy per path sends everywhere: directives that the pages'
# and the editor's policies share.
SHARED_DIRECTIVES: dict[str, tuple[str, ...]] = {
    **HEADER_ONLY,
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}
# Host-owned files: read by Netlify/Cloudflare, never served by nginx.
HOST_FILES = ("_headers", "_redirects")


@dataclass(frozen=True)
class Rules:
    """What every host must send: security headers, cache lifetimes, 404 pages, the editor's policy."""

    base_path: str  # the site's path on its host, from site_url: "/" or "/mobilise/"
    languages: tuple[str, ...]  # non-default languages, each with its own 404 page under <lang>/
    page_csp: str  # the reader pages' policy, as a header (meta policy + header-only directives)
    editor_csp: str  # the web editor's policy
    shared_csp: str  # directives both accept: what a host that cannot choose per path sends
    fingerprinted: tuple[str, ...] = ()  # site-relative paths of content-named assets

    @property
    def security_headers(self) -> dict[str, str]:
        """Headers every response carries, whatever its type."""
        return {
            "Strict-Transport-Security": "max-age=31536000",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
        }


def meta_policy(page: Path) -> str:
    """The Content-Security-Policy a built page carries in its <meta> element ('' if none)."""
    if not page.is_file():
        return ""
    tree = lxml.html.fromstring(page.read_bytes())
    found = tree.xpath(
        '//meta[translate(@http-equiv, "CONTENT-SECURITYPOLICY", "content-securitypolicy")'
        '="content-security-policy"]/@content'
    )
    return str(found[0]) if found else ""


def rules_for(site_dir: Path, base: str, languages: Iterable[str]) -> Rules:
    """The rules for one built site: the pages' policy from `msme.csp`, the editor's as its page
    was written (its backend decides its origins), and the site's content-named assets."""
    editor_csp = meta_policy(site_dir / "admin" / "index.html") or csp.format_policy({"default-src": ("'none'",)})
    return Rules(
        base_path=base,
        languages=tuple(languages),
        page_csp=csp.page_policy(HEADER_ONLY),
        editor_csp=f"{editor_csp}; {csp.format_policy(HEADER_ONLY)}",
        shared_csp=csp.format_policy(SHARED_DIRECTIVES),
        fingerprinted=fingerprinted_assets(site_dir),
    )


def fingerprinted_assets(site_dir: Path) -> tuple[str, ...]:
    """Site-relative paths of every content-named asset in a built site."""
    return tuple(
        sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.min.*") if FINGERPRINTED.search(p.name))
    )


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_config(rules: Rules, root: str, *, listen: str = "80", server_name: str = "_") -> str:
    """A Debian nginx site file (sites-available/): `root` is the folder that holds the site at
    `rules.base_path` (for "/" the site folder itself)."""
    base = rules.base_path
    admin = re.escape(f"{base}admin/")
    lines = [
        "# Generated by `./dev msme nginx` from mkdocs.yml and the built site; do not edit by hand.",
        "# Needs nginx's gzip_static (built in) and brotli_static (libnginx-mod-http-brotli-static).",
        "# Serve it over HTTPS: add `listen 443 ssl;` and your certificate lines, or put TLS in front.",
        "map $uri $msme_cache_control {",
        f"    default {_quote(REVALIDATE)};",
        f"    {_quote('~' + FINGERPRINTED.pattern)} {_quote(LONG_CACHE)};",
        "}",
        "map $uri $msme_csp {",
        f"    default {_quote(rules.page_csp)};",
        f"    {_quote('~^' + admin)} {_quote(rules.editor_csp)};",
        "}",
        "map $uri $msme_robots {",
        '    default "";',
        f"    {_quote('~^' + admin)} {_quote('noindex, nofollow')};",
        "}",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {root};",
        "    charset utf-8;",
        "    charset_types text/css application/javascript application/json text/xml text/plain text/csv "
        + " ".join(RDF_TYPES.values())
        + ";",
        "    server_tokens off;",
        "    gzip_static on;",
        "    brotli_static on;",
        "    # `always`: error pages carry them too. An empty X-Robots-Tag is not sent.",
        "    add_header Content-Security-Policy $msme_csp always;",
        "    add_header Cache-Control $msme_cache_control always;",
        "    add_header X-Robots-Tag $msme_robots always;",
    ]
    lines += [f"    add_header {name} {_quote(value)} always;" for name, value in rules.security_headers.items()]
    lines += [
        f"    error_page 404 {base}404.html;",
        f"    location {base} {{",
        "        try_files $uri $uri/ =404;",
        "    }",
    ]
    for lang in rules.languages:
        lines += [
            f"    location {base}{lang}/ {{",
            f"        error_page 404 {base}{lang}/404.html;",
            "        try_files $uri $uri/ =404;",
            "    }",
        ]
    for suffix, mime in RDF_TYPES.items():  # `types {}` empties the map, so default_type applies
        lines += [
            f"    location ~ {_quote(re.escape(suffix) + '$')} {{",
            f"        types {{}} default_type {mime};",
            "        try_files $uri =404;",
            "    }",
        ]
    lines += [
        f"    location ~ {_quote('^' + re.escape(base) + '(?:' + '|'.join(HOST_FILES) + ')$')} {{",
        "        return 404;",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def headers_file(rules: Rules) -> str:
    """`_headers` for Netlify and Cloudflare Pages.

    Both apply every matching rule, but they disagree on a header set twice (Netlify keeps the
    last, Cloudflare sends both, and two CSPs are both enforced). So the site-wide rule sends
    only directives the editor accepts too; each page's full policy is its `<meta>` tag."""
    base = rules.base_path
    out = ["# Generated by the build from mkdocs.yml; do not edit by hand.", f"{base}*"]
    out += [f"  {k}: {v}" for k, v in rules.security_headers.items()]
    out += [f"  Content-Security-Policy: {rules.shared_csp}", f"{base}admin/*", "  X-Robots-Tag: noindex, nofollow"]
    for rel in rules.fingerprinted:
        out += [f"{base}{rel}", f"  Cache-Control: {LONG_CACHE}"]
    return "\n".join(out) + "\n"


def redirects_file(rules: Rules) -> str:
    """`_redirects`: each language's own 404 page (Cloudflare finds them itself; Netlify needs this)."""
    base = rules.base_path
    out = ["# Generated by the build from mkdocs.yml; do not edit by hand."]
    out += [f"{base}{lang}/*  {base}{lang}/404.html  404" for lang in rules.languages]
    out.append(f"{base}*  {base}404.html  404")
    return "\n".join(out) + "\n"


def write_host_files(site_dir: Path, rules: Rules) -> None:
    """Write `_headers` and `_redirects` at the site root."""
    (site_dir / "_headers").write_text(headers_file(rules), encoding="utf-8")
    (site_dir / "_redirects").write_text(redirects_file(rules), encoding="utf-8")


def _compressible(site_dir: Path) -> Iterable[Path]:
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file() and path.stat().st_size >= MIN_COMPRESS_BYTES:
            yield path


COMPRESSORS = {
    ".gz": lambda data: gzip.compress(data, GZIP_LEVEL, mtime=0),
    ".br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
}


def _compressed(data: bytes, suffix: str, cache: Path | None) -> bytes | Path:
    """The compressed copy of `data`: from `cache` (its path, marked used) when an earlier build
    made it, otherwise made now (and kept there)."""
    if cache is None:
        return COMPRESSORS[suffix](data)
    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    kept = cache / digest[:2] / (digest + suffix)
    try:
        os.utime(kept)
        return kept
    except FileNotFoundError:
        packed = COMPRESSORS[suffix](data)
        atomic.write_bytes(kept, packed)
        return packed


def _prune(cache: Path, started: float) -> None:
    """Drop the compressed copies the build just finished did not use."""
    for path in cache.glob("*/*"):
        try:
            if path.stat().st_mtime < started - 1:  # mtimes may be rounded to the second
                path.unlink()
        except FileNotFoundError:
            pass


def precompress(site_dir: Path, cache: Path | None = None) -> tuple[int, int]:
    """Write deterministic `.gz` and `.br` copies of every text file worth compressing, for
    servers that send them as they are (nginx gzip_static/brotli_static); (files, bytes written).
    With `cache`, copies are kept there by content hash, so an unchanged file is not compressed
    again, and copies no file of this site needs are removed."""
    files = written = 0
    started = time.time()
    for path in _compressible(site_dir):
        data = path.read_bytes()
        for suffix in COMPRESSORS:
            target = path.with_name(path.name + suffix)
            packed = _compressed(data, suffix, cache)
            target.unlink(missing_ok=True)  # never write through a link into the cache
            if isinstance(packed, Path):
                atomic.link_or_copy(packed, target)
                written += target.stat().st_size
            else:
                target.write_bytes(packed)
                written += len(packed)
        files += 1
    if cache is not None and cache.is_dir():
        _prune(cache, started)
    return files, written


def finish(site_dir: Path, site_url: str, locales: list[str], cache: Path | None = None) -> str:
    """The hosting step of a full build: host files, then compressed copies of everything
    (the host files included; kept in `cache` by content hash); a one-line summary."""
    write_host_files(site_dir, rules_for(site_dir, base_path(site_url), locales[1:]))
    files, written = precompress(site_dir, cache)
    return f"hosting: _headers, _redirects; {files} text files precompressed (gzip, brotli), {written} bytes"
