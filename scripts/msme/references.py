"""Which files beside the pages (PDFs, diagrams, photos) a page uses, so only those are published.

MkDocs copies every non-Markdown file under docs/ into the site. Here a file in a content
folder counts as used only when a page references it: a picture in its front matter
(`images[].src`) or a Markdown link or image in its text (parsed with markdown-it, so links in
code are not links and reference-style links count). Raw HTML in a text is not read: a file
linked only from HTML is left out, never published by accident. The site's own files in
`docs/assets/` (logo, style sheet, scripts) are always published, except the editor's
uploads folder, which is content like any other.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from msme.content import Problem, SourceFile, split_lang
from msme.markdown_reader import parser

SITE_ASSETS = "assets/"
UPLOADS = "assets/uploads/"  # the web editor's media library: content, not the site's own files
REFUSED_SUFFIXES = (".svg", ".svgz")


def is_site_asset(rel: str) -> bool:
    """True for the site's own files (docs/assets/, uploads excepted), published as they are."""
    return rel.startswith(SITE_ASSETS) and not rel.startswith(UPLOADS)


@lru_cache(maxsize=16384)  # validation and on_files both ask, for every text of a build
def body_links(markdown: str) -> tuple[str, ...]:
    """Addresses of every Markdown link and image in a text, in order."""
    if "[" not in markdown:  # no link or image possible: skip the parse (most stories)
        return ()
    out = []
    for token in parser().parse(markdown):
        for child in token.children or []:
            attr = "src" if child.type == "image" else "href" if child.type == "link_open" else None
            if attr and isinstance(value := child.attrGet(attr), str):
                out.append(value)
    return tuple(out)


def target(folder: str, url: str) -> str | None:
    """The docs-relative path a relative address in a page of `folder` points to; None for web
    addresses, anchors, absolute paths and anything outside docs/."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    return None if path == ".." or path.startswith("../") else path


def _images(meta: dict[str, Any]) -> list[str]:
    value = meta.get("images")
    items = value if isinstance(value, list) else []
    return [str(img["src"]) for img in items if isinstance(img, dict) and img.get("src")]


def page_files(sf: SourceFile) -> set[str]:
    """Docs-relative paths of the files one Markdown file references (pages linked included)."""
    refs = [target(sf.folder, src) for src in _images(sf.meta)]
    refs += [target(sf.folder, url) for url in body_links(sf.body)]
    return {r for r in refs if r}


def referenced(files: Iterable[SourceFile]) -> set[str]:
    """Every path the given Markdown files reference."""
    return {ref for sf in files if sf.problem is None for ref in page_files(sf)}


def content_files(docs_dir: Path) -> list[str]:
    """Docs-relative paths of every file in a content folder that is not a page."""
    return sorted(
        rel
        for p in docs_dir.rglob("*")
        if p.is_file()
        and not p.name.endswith(".md")
        and not is_site_asset(rel := p.relative_to(docs_dir).as_posix())
        and not any(part.startswith(".") for part in p.relative_to(docs_dir).parts)
    )


def is_used(rel: str, used: set[str], locales: list[str], default: str) -> bool:
    """True when `rel`, or the original it localises (`form.fr.pdf` for `form.pdf`), is in `used`."""
    return rel in used or split_lang(rel, locales, default)[1] in used


def check(
    docs_dir: Path, files: list[SourceFile], locales: list[str], default: str, *, complete: bool
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) about the files beside the pages: an SVG is refused; a file no page
    references is not published, which is worth a warning when every page was read (`complete`)."""
    problems, warnings = [], []
    used = referenced(files) if complete else set()
    for rel in content_files(docs_dir):
        if rel.lower().endswith(REFUSED_SUFFIXES):
            problems.append(
                Problem(
                    rel,
                    "(file)",
                    "is an SVG, which content folders do not accept: an SVG can carry a script "
                    "that runs when the file is opened (export it as PNG and link the PNG instead)",
                )
            )
        elif complete and not is_used(rel, used, locales, default):
            warnings.append(
                Problem(
                    rel, "(file)", "no page links to it, so it is not published (link it from a page, or delete it)"
                )
            )
    return problems, warnings
