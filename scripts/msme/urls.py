"""Page URLs per language: one place that knows how a page's address changes with its language."""

from __future__ import annotations

import posixpath
from functools import lru_cache
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
    base = site_url if site_url.endswith("/") else site_url + "/"
    if _plain(path) and _plain_base(base):  # what urljoin returns, without parsing both (every page's head)
        return base + path
    return urljoin(base, path)


def _plain(path: str) -> bool:
    """A relative path urljoin would append as it is: no scheme, query, fragment, empty or dot segment."""
    return (
        not path.startswith("/")
        and not any(c in path for c in ":?#;\\")
        and "//" not in path
        and not any(part in (".", "..") for part in path.split("/"))
    )


@lru_cache(maxsize=16)
def _plain_base(base: str) -> bool:
    """A site URL (ending in '/') whose path urljoin keeps as it is."""
    parts = urlsplit(base)
    return bool(parts.scheme and parts.netloc) and not parts.query and not parts.fragment and _plain(parts.path[1:])


def base_path(site_url: str) -> str:
    """The path of site_url on its host, starting and ending with '/' ('https://x.eu/a/b' -> '/a/b/')."""
    return urlsplit(absolute(site_url or "/", "")).path or "/"


def relative(target: str, current: str) -> str:
    """Relative link from the page at URL path `current` to URL path `target` (directory URLs).

    Plain string work on the two paths' segments: every page makes dozens of links, and
    `posixpath.relpath` (which makes both paths absolute against the working directory first)
    was a tenth of the build. Paths it would read differently (absolute, or with '..') go to it."""
    base = current if current.endswith("/") or not current else posixpath.dirname(current) + "/"
    if target.startswith("/") or base.startswith("/") or ".." in target or ".." in base:
        rel = posixpath.relpath(target or ".", base or ".")
    else:
        to = [part for part in target.split("/") if part and part != "."]
        here = [part for part in base.split("/") if part and part != "."]
        common = 0
        for a, b in zip(to, here, strict=False):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(here) - common) + to[common:]) or "."
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel
