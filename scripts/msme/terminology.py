"""The terminology base (`data/terminology/<lang>.yml`) and its check: one preferred form per term
and organisation in each language, the wrong or inconsistent variants the translation checker
reports, and organisation names kept in their original language, which a page marks with `lang`.

Each variant is listed as written, inflected forms included: no stemming, so what is reported is
exactly what the base names. Page text is read with the site's one Markdown parser, so code and
link addresses are never flagged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from msme.datafiles import DataFileError, read_yaml
from msme.markdown_reader import parser

# Addresses in running text (a bare URL, a domain, an e-mail address) are not prose.
ADDRESS = re.compile(r"\w+://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])(?:[\w-]+\.)+[a-z]{2,6}(?:/\S*)?(?![\w.])")
LANG_ATTR = re.compile(r"\blang\s*=\s*[\"']?([\w-]+)")
TAG_OPEN = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*?(/?)>", re.S)
TAG_CLOSE = re.compile(r"</([a-zA-Z][\w-]*)\s*>")
COMMENT = re.compile(r"^[ \t]*#.*$", re.M)  # a YAML comment line holds no value
APOSTROPHES = "'\u2019\u02bc"


@dataclass(frozen=True)
class Term:
    """One entry of a language's base: a term or an organisation, its preferred form there and
    the variants to report; `keep` is the language of an organisation name kept as it is."""

    key: str  # the English name of the term, or the organisation's original name
    kind: str  # "term" or "organisation"
    use: str
    avoid: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    keep: str = ""
    match_case: bool = False


@dataclass
class Glossary:
    """The base of one language, with the patterns that find its wrong variants."""

    lang: str
    entries: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_form: dict[str, Term] = {}
        patterns: dict[bool, list[str]] = {True: [], False: []}
        for term in self.entries:
            for form in term.avoid:
                self._by_form[_normal(form, term.match_case)] = term
                patterns[term.match_case].append(_pattern(form))
        self._finders = [
            re.compile(rf"(?<!\w)(?:{'|'.join(sorted(found, key=len, reverse=True))})(?!\w)", 0 if exact else re.I)
            for exact, found in patterns.items()
            if found
        ]

    def wrong(self, text: str) -> Iterator[tuple[int, str, Term]]:
        """(offset, text as written, term) of every wrong variant in a text."""
        for finder in self._finders:
            for m in finder.finditer(text):
                exact = finder.flags & re.I == 0
                yield m.start(), m.group(0), self._by_form[_normal(m.group(0), exact)]

    def kept(self) -> list[Term]:
        """Organisations whose original name stays, marked with its language on other languages' pages."""
        return [t for t in self.entries if t.keep and t.keep != self.lang]


def _pattern(form: str) -> str:
    """A variant as a regular expression: any run of spaces (a line break too), any apostrophe."""
    words = [re.escape(w) for w in form.split()]
    return r"\s+".join(words).replace("'", f"[{APOSTROPHES}]")


def _normal(text: str, exact: bool) -> str:
    text = " ".join(text.split())
    for mark in APOSTROPHES[1:]:
        text = text.replace(mark, "'")
    return text if exact else text.casefold()


def _entry(key: str, kind: str, raw: Any) -> Term:
    if not isinstance(raw, dict):
        raise DataFileError(f"{kind} {key!r} must be a mapping with `use:` or `keep:` (see data/terminology/en.yml)")
    keep = str(raw.get("keep") or "")
    use = str(raw.get("use") or (key if keep else ""))
    if not use:
        raise DataFileError(f"{kind} {key!r} has no `use:` (write the preferred form, or `keep: <lang>`)")
    avoid = raw.get("avoid") or []
    if not isinstance(avoid, list):
        raise DataFileError(f"{kind} {key!r}: `avoid:` must be a list (write `avoid: [form, other form]`)")
    return Term(
        key=key,
        kind=kind,
        use=use,
        avoid=tuple(str(a) for a in avoid),
        note=str(raw.get("note") or ""),
        source=str(raw.get("source") or ""),
        keep=keep,
        match_case=bool(raw.get("match_case", False)),
    )


def load_language(path: Path, lang: str) -> Glossary:
    """One language's base; raise DataFileError (`problem (fix)`) when it cannot be read."""
    raw = read_yaml(path)
    entries = [_entry(str(k), "term", v) for k, v in (raw.get("terms") or {}).items()]
    entries += [_entry(str(k), "organisation", v) for k, v in (raw.get("organisations") or {}).items()]
    return Glossary(lang, entries)


def load(folder: Path, langs: Iterable[str]) -> tuple[dict[str, Glossary], list[tuple[str, str]]]:
    """The base of each language, and (file, problem) for every file that cannot be read or that
    lacks a term or organisation of the default (first) language's file."""
    base: dict[str, Glossary] = {}
    problems: list[tuple[str, str]] = []
    for lang in langs:
        path = folder / f"{lang}.yml"
        try:
            base[lang] = load_language(path, lang)
        except DataFileError as exc:
            problems.append((_shown(path), str(exc)))
    if base:
        first = next(iter(base.values()))
        expected = {(t.kind, t.key) for t in first.entries}
        for lang, glossary in base.items():
            have = {(t.kind, t.key) for t in glossary.entries}
            path = _shown(folder / f"{lang}.yml")
            problems += [
                (path, f"lacks {kind} {key!r} (add it, as in {first.lang}.yml)")
                for kind, key in sorted(expected - have)
            ]
            problems += [
                (path, f"has {kind} {key!r}, which {first.lang}.yml lacks (add it there too)")
                for kind, key in sorted(have - expected)
            ]
            problems += [
                (path, f"{t.kind} {t.key!r} avoids {a!r}, which its own form {t.use!r} contains (remove it)")
                for t in glossary.entries
                for a in t.avoid
                if next(Glossary(lang, [Term(t.key, t.kind, t.use, (a,), match_case=t.match_case)]).wrong(t.use), None)
            ]
    return base, problems


def _shown(path: Path) -> str:
    """data/terminology/xx.yml as the messages name it."""
    return "/".join(path.parts[-3:])


@dataclass(frozen=True)
class Finding:
    """One wrong term at a line (1-based, of the text checked)."""

    line: int
    message: str


def _message(found: str, term: Term) -> str:
    what = "term" if term.kind == "term" else "organisation"
    return f'uses "{" ".join(found.split())}" (write "{term.use}": terminology, {what} "{term.key}")'


def _blank_addresses(text: str) -> str:
    return ADDRESS.sub(lambda m: " " * len(m.group(0)), text)


def in_text(text: str, glossary: Glossary) -> list[Finding]:
    """Wrong variants in plain text (a label, a front-matter value), lines counted from 1."""
    text = _blank_addresses(text)
    return [
        Finding(text.count("\n", 0, at) + 1, _message(found, term))
        for at, found, term in sorted(glossary.wrong(text), key=lambda f: f[0])
    ]


@dataclass
class _Prose:
    """The prose of one inline run: its text, the line it starts on, and which parts sit inside
    an element carrying a `lang` attribute."""

    line: int
    text: str = ""
    marked: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, language)


def _prose(token: Token) -> _Prose:
    """Text, image alt text and line breaks of one inline token; code spans, raw HTML tags and
    autolinks' addresses become spaces, so they hold no term and line numbers stay right."""
    run = _Prose((token.map or [0])[0])
    open_tags: list[tuple[str, int, str]] = []  # (tag, where it opens, its lang attribute or "")
    in_autolink = False
    for child in token.children or []:
        if (child.type == "text" and not in_autolink) or child.type == "image":  # alt text is prose too
            run.text += child.content
        elif child.type in ("softbreak", "hardbreak"):
            run.text += "\n"
        elif child.type == "link_open":
            in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            in_autolink = False
        elif child.type == "html_inline":
            _tag(child.content, run, open_tags)
            run.text += " " + "\n" * child.content.count("\n")
        else:
            run.text += " "
    return run


def _tag(html: str, run: _Prose, open_tags: list[tuple[str, int, str]]) -> None:
    """Follow one raw HTML tag: where an element with `lang` opens and closes."""
    closing = TAG_CLOSE.match(html)
    if closing:
        name = closing.group(1).lower()
        for i in range(len(open_tags) - 1, -1, -1):
            if open_tags[i][0] == name:
                _, start, lang = open_tags[i]
                if lang:
                    run.marked.append((start, len(run.text), lang))
                del open_tags[i:]
                break
        return
    opening = TAG_OPEN.match(html)
    if opening and not opening.group(2):
        lang = LANG_ATTR.search(html)
        open_tags.append((opening.group(1).lower(), len(run.text), lang.group(1).lower() if lang else ""))


def in_markdown(body: str, glossary: Glossary) -> list[Finding]:
    """Wrong variants in a page's prose, and kept organisation names not marked with their
    language; lines counted from 1 in the body. Text marked as another language (a title cited
    in English) is not held to this language's terms, but a translated organisation name is
    wrong wherever it is."""
    found: list[Finding] = []
    for token in parser().parse(body):
        if token.type != "inline":
            continue
        run = _prose(token)
        text = _blank_addresses(run.text)
        for at, written, term in glossary.wrong(text):
            foreign = any(s <= at < e and lang != glossary.lang for s, e, lang in run.marked)
            if term.kind == "organisation" or not foreign:
                found.append(Finding(run.line + text.count("\n", 0, at) + 1, _message(written, term)))
        for term in glossary.kept():
            for m in re.finditer(rf"(?<!\w){_pattern(term.use)}(?!\w)", text):
                if not any(s <= m.start() and m.end() <= e for s, e, _ in run.marked):
                    found.append(Finding(run.line + text.count("\n", 0, m.start()) + 1, _unmarked(term)))
    return sorted(found, key=lambda f: f.line)


def _unmarked(term: Term) -> str:
    return (
        f'names "{term.use}" without its language (write <span lang="{term.keep}">{term.use}</span>: '
        f'terminology, organisation "{term.key}")'
    )


def in_values(raw: str, values: Iterable[str], glossary: Glossary) -> list[Finding]:
    """Wrong variants in some text values of a file (labels, translatable front matter); each is
    placed on the line of `raw` (the file's text) where it is written, the next unused one when a
    variant occurs more than once."""
    findings: list[Finding] = []
    searched_from: dict[str, int] = {}
    text = COMMENT.sub(lambda m: " " * len(m.group(0)), _blank_addresses(raw))
    for value in values:
        for _, written, term in glossary.wrong(_blank_addresses(value)):
            key = _normal(written, False)
            where = re.compile(rf"(?<!\w){_pattern(' '.join(written.split()))}(?!\w)", re.I)
            m = where.search(text, searched_from.get(key, 0))
            line = text.count("\n", 0, m.start()) + 1 if m else 0
            searched_from[key] = m.end() if m else len(text)
            findings.append(Finding(line, _message(written, term)))
    return sorted(findings, key=lambda f: f.line)


def text_values(value: Any) -> list[str]:
    """Every string inside a label file's value (nested mappings and lists included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in text_values(v)]
    if isinstance(value, list):
        return [t for v in value for t in text_values(v)]
    return []
