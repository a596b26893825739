"""What HTML a page's text may contain: one allow-list, applied to rendered bodies and checked in Markdown.

Anyone who can save a content file (also through the web editor, on the site's own origin) must
not be able to run script in a reader's browser. `clean` removes from rendered HTML everything
the allow-list does not name; `markdown_problems` finds, in the Markdown itself, the raw HTML,
attributes (`{: onclick=… }`) and links that `clean` would remove, so validation can refuse
them with a line number instead of the text silently changing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import nh3
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown_it.token import Token

from msme.content import Problem, SourceFile, text_before_body
from msme.markdown_reader import parser

# Every element the site's Markdown produces (core syntax, tables, toc, admonition, attr_list),
# plus a few inline ones a writer may reasonably type as HTML. No forms, frames, media, SVG or
# MathML: nothing that runs code, loads another page or can imitate the site's controls.
TAGS = frozenset(
    {
        *("p", "br", "hr", "blockquote", "pre", "code", "div", "span"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "em", "strong", "b", "i", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("abbr", "kbd", "q", "cite"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    }
)
# On every allowed element: what attr_list, toc (heading ids) and admonition (classes) write.
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
# `style` is absent on purpose: the page policy (csp.py) refuses inline styles, so a table's
# column alignment needs `align`, which the tables extension writes with use_align_attribute.
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative addresses, which have none
# Material finds its own elements by ids starting with "__" (__config holds the search worker's
# address and the index's base): an element of the text with such an id would stand in for them.
RESERVED_ID_PREFIX = "__"

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LEADING = "".join(chr(c) for c in range(33))  # C0 controls and space


def url_allowed(url: str) -> bool:
    """True for http, https and mailto addresses and for relative ones (no scheme at all)."""
    # Browsers ignore leading spaces and control characters, and tabs or newlines anywhere
    # ("java\tscript:"), before they read the scheme.
    url = re.sub(r"[\t\n\r]", "", url).lstrip(_LEADING)
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in URL_SCHEMES


def _allowed_attributes(tag: str) -> frozenset[str]:
    return GENERIC_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute hook: drop theme-reserved ids (schemes are nh3's own url_schemes)."""
    if name == "id" and value.startswith(RESERVED_ID_PREFIX):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}},
    attribute_filter=_keep_attribute,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # no target= is allowed, so links need no rel="noopener"; internal links stay as written
    strip_comments=True,
)


def clean(html: str) -> str:
    """A rendered page body with every element, attribute and address outside the allow-list removed."""
    return _CLEANER.clean(html)


def _attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why `clean` would drop this attribute of an allowed element, with the fix; None if it keeps it."""
    if name not in _allowed_attributes(tag):
        allowed = ", ".join(sorted(_allowed_attributes(tag)))
        return (
            f"attribute {name}= on <{tag}> would be removed from the page "
            f"(write it in Markdown, or use an allowed attribute: {allowed})"
        )
    if name in URL_ATTRIBUTES and value is not None and not url_allowed(value):
        return _link_problem(value)
    if name == "id" and (value or "").startswith(RESERVED_ID_PREFIX):
        return f"id {value!r} is reserved for the theme (choose an id that does not start with {RESERVED_ID_PREFIX})"
    return None


def _link_problem(url: str) -> str:
    shown = url if len(url) <= 40 else url[:37] + "..."
    return (
        f"address {shown!r} would be removed from the page: only http:, https: and mailto: addresses "
        "or relative ones are allowed (link to a web page, an e-mail address or a page of this site)"
    )


class _TagLister(HTMLParser):
    """Start tags with their attributes and line (1-based) in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((self.getpos()[0], tag, attrs))


def _html_problems(fragment: str) -> Iterator[tuple[int, str]]:
    """(line offset in the fragment, problem) for every element or attribute `clean` would remove."""
    parser = _TagLister()
    parser.feed(fragment)
    parser.close()
    allowed = ", ".join(sorted(TAGS))
    for line, tag, attrs in parser.found:
        if tag not in TAGS:
            yield (
                line - 1,
                (
                    f"raw HTML <{tag}> would be removed from the page "
                    f"(write it in Markdown, or use an allowed element: {allowed})"
                ),
            )
            continue
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value)
            if problem:
                yield line - 1, problem


def _attr_list_problems(text: str, after: str, last: bool, header: bool) -> Iterator[str]:
    """Problems with the `{: key=value }` attribute lists in one run of plain text.

    Only where Python-Markdown's attr_list applies them: right after an inline element
    (`after`), at the end of a heading or table cell, or alone on the last line of a block."""
    found = []
    if after not in ("start", "softbreak", "hardbreak"):
        found.append(AttrListTreeprocessor.INLINE_RE.match(text))
    if last and header:
        found.append(AttrListTreeprocessor.HEADER_RE.search(text))
    elif last and after == "softbreak":
        found.append(AttrListTreeprocessor.BLOCK_RE.search("\n" + text))
    for match in filter(None, found):
        attrs, _ = get_attrs_and_remainder(match.group(1))
        for name, value in attrs:
            if name == ".":  # a class
                continue
            # attr_list sets it on the element it follows: accept what any allowed element takes.
            tag = next((t for t, names in TAG_ATTRIBUTES.items() if name in names), "p")
            problem = _attribute_problem(tag, name, value)
            if problem:
                yield problem.replace(f" on <{tag}>", " (set with {: … })")


def _inline_problems(token: Token, header: bool) -> Iterator[tuple[int, str]]:
    """Problems in one inline token's children: raw HTML, addresses and attribute lists."""
    line, after, text, run = (token.map or [0])[0], "start", "", (0, "start")
    for child in [*(token.children or []), Token("end", "", 0)]:  # "end" closes the last run of text
        if child.type == "text":  # consecutive text tokens are one run of text
            run, text = (run if text else (line, after)), text + child.content
            continue
        if text:
            problems = _attr_list_problems(text, run[1], child.type == "end", header)
            yield from ((run[0], p) for p in problems)
            text = ""
        if child.type == "html_inline":
            yield from ((line + offset, p) for offset, p in _html_problems(child.content))
            line += child.content.count("\n")
        elif child.type in ("link_open", "image"):
            url = str(child.attrGet("href") or child.attrGet("src") or "")
            if not url_allowed(url):
                yield line, _link_problem(url)
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
        after = child.type


def markdown_problems(body: str) -> list[tuple[int, str]]:
    """(line, problem) for everything in a Markdown text that `clean` would remove; lines count from 1.

    The text is read by a Markdown parser, so code blocks, fenced code and code spans, which
    show HTML as text, are never flagged."""
    found: list[tuple[int, str]] = []
    opened = ""
    for token in parser().parse(body):
        if token.type == "html_block" and token.map:
            found += [(token.map[0] + offset, p) for offset, p in _html_problems(token.content)]
        elif token.type == "inline" and token.map:
            found += list(_inline_problems(token, header=opened in ("heading_open", "th_open", "td_open")))
        opened = token.type
    return [(line + 1, problem) for line, problem in found]


def body_problems(sf: SourceFile, path: Path) -> list[Problem]:
    """Validation problems for the text (body) of one content file at `path`, with file line numbers."""
    found = markdown_problems(sf.body)
    if not found:
        return []
    before = text_before_body(path, sf.body).count("\n")
    return [Problem(sf.rel, f"(text) line {before + line}", problem) for line, problem in found]
