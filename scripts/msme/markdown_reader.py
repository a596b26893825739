"""The site's Markdown as the checks read it (the raw-HTML check, the files a page links): one
parser, so both see the same links the build will write."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def parser() -> MarkdownIt:
    """CommonMark plus tables (mkdocs.yml's `tables`). Every address is taken as a link, as
    Python-Markdown does: markdown-it would leave a javascript: link as text, unseen."""
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True
    return md
