"""Page URLs per language: one place that knows how a page's address changes with its language."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit


def default_path(url: str, lang: str, default: str) -> str:
    """The default-language URL path of a page built at `url` in `lang` ('fr/guides/x/' -> 'guides/x/')."""
    if lang != default and (url == f"{lang}/" or url.startswith(f"{lang}/")):
        return url[len(lang) + 1 :]
    return url


def lang_prefix(lang: str, default: str) -> str:
    """The folder of a language's pages under the site root: '' for the default, else 'fr/'."""
    return "" if lang == default else f"{lang}/"


def lang_path(path: str, lang: str, default: str) -> str:
    """The URL path of a default-language page in `lang` ('guides/x/' -> 'fr/guides/x/')."""
    return lang_prefix(lang, default) + path


def absolute(site_url: str, path: str) -> str:
    """Absolute URL under site_url, which may itself sit under a sub-path."""
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)


def base_path(site_url: str) -> str:
    """The path of site_url on its host, starting and ending with '/' ('https://x.eu/a/b' -> '/a/b/')."""
    return urlsplit(absolute(site_url or "/", "")).path or "/"


def relative(target: str, current: str) -> str:
    """Relative link from the page at URL path `current` to URL path `target` (directory URLs)."""
    base = current if current.endswith("/") or not current else posixpath.dirname(current) + "/"
    rel = posixpath.relpath(target or ".", base or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel
