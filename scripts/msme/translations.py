"""Translation status (missing / outdated) and the translation checker (links, images, headings, numbers,
and each language's terminology), which reads the text with the site's one Markdown parser, so nothing
in code counts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from msme import model, terminology
from msme.content import Problem, SourceFile, merge_translation, text_before_body
from msme.datafiles import DataFileError, read_yaml
from msme.markdown_reader import parser
from msme.site import Site

EXPLICIT_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
DIGITS = re.compile(r"\d+")


@dataclass
class LanguageStatus:
    """Which originals one language lacks, and which of its translations are out of date."""

    lang: str
    missing: list[str] = field(default_factory=list)
    outdated: list[tuple[str, str, str]] = field(default_factory=list)  # (path, translated_from, now)

    @property
    def ok(self) -> bool:
        """True when every original is translated and current."""
        return not self.missing and not self.outdated


def status(site: Site, only: Callable[[str], bool] = lambda rel: True) -> list[LanguageStatus]:
    """Per non-default language: originals with no translation, translations of an older original."""
    report = []
    originals = [o for o in site.originals() if only(o.rel)]
    translated = site.translation_files()
    for lang in site.config.locales[1:]:
        st = LanguageStatus(lang)
        for orig in originals:
            tr = translated.get(orig.rel, {}).get(lang)
            if tr is None:
                st.missing.append(orig.rel)
            elif tr.meta.get("translation_of") != orig.digest:
                st.outdated.append((tr.rel, str(tr.meta.get("translation_of")), orig.digest))
        report.append(st)
    return report


def format_status(report: list[LanguageStatus], site: Site, only: Callable[[str], bool] = lambda rel: True) -> str:
    """The status report as text, for the terminal and the build."""
    lines = ["Translation status (original -> hash of its current version)"]
    for orig in site.originals():
        if not only(orig.rel):
            continue
        lines.append(f"  {orig.rel}  translation_of: {orig.digest}")
    for st in report:
        lines.append(f"{st.lang}: {len(st.missing)} missing, {len(st.outdated)} outdated")
        lines += [f"  missing: {rel}" for rel in st.missing]
        lines += [f"  outdated: {rel} (translated from {old}, original now {new})" for rel, old, new in st.outdated]
    return "\n".join(lines)


def _slug(text: str) -> str:
    """Heading id as Python-Markdown's toc extension makes it (default slugify)."""
    text = re.sub(r"[^\w\s-]", "", text.strip().lower())
    return re.sub(r"[-\s]+", "-", text)


@dataclass
class Outline:
    """What a translation must keep of its original's text: link and image targets in order,
    (level, anchor id) of each heading, and the runs of digits in the prose."""

    links: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    digits: list[str] = field(default_factory=list)


def _inline(children: list[Token], links: list[str]) -> list[tuple[str, bool]]:
    """Collect the link and image targets of one inline run; return its text as (piece, is code)."""
    pieces = []
    for child in children:
        if child.type in ("link_open", "image"):
            links.append(str(child.attrGet("href") or child.attrGet("src") or ""))
        if child.type in ("text", "code_inline"):
            pieces.append((child.content, child.type == "code_inline"))
        elif child.type == "image":  # its alt text is prose too
            pieces += _inline(child.children or [], links)
    return pieces


def outline(body: str) -> Outline:
    """Read a Markdown text with the site's parser: code blocks, fences (``` and ~~~), indented
    code and code spans hold no links or numbers that count."""
    out = Outline()
    level = 0
    for token in parser().parse(body):
        if token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "inline":
            pieces = _inline(token.children or [], out.links)
            prose = "".join(text for text, code in pieces if not code)
            if level:  # an explicit {#id} wins over the slug of the heading's text, and is not prose
                m = EXPLICIT_ID.search(prose)
                out.headings.append((level, m.group(1) if m else _slug("".join(text for text, _ in pieces))))
                prose = EXPLICIT_ID.sub("", prose)
                level = 0
            out.digits += DIGITS.findall(prose)
    return out


def headings(body: str) -> list[tuple[int, str]]:
    """(level, anchor id) of each heading."""
    return outline(body).headings


def links(body: str) -> list[str]:
    """Link and image targets, in order."""
    return outline(body).links


def numbers(body: str, meta: dict[str, Any]) -> Counter[str]:
    """Every run of digits in the body's prose and the translatable front matter (formatting-neutral)."""
    texts = terminology.text_values(_translatable_only({k: v for k, v in meta.items() if k != "translation_of"}, []))
    found = outline(body).digits + [d for t in texts for d in DIGITS.findall(t)]
    return Counter(d.lstrip("0") or "0" for d in found)


def _translatable_only(value: Any, path: list[Any]) -> Any:
    if isinstance(value, dict):
        return {k: _translatable_only(v, [*path, k]) for k, v in value.items()}
    if isinstance(value, list):
        return [_translatable_only(v, [*path, i]) for i, v in enumerate(value)]
    return value if model.is_translatable(model.normalise_path(path)) else None


def check(site: Site) -> list[Problem]:
    """Translations must keep their original's links, images, heading structure and numbers."""
    problems = []
    by_rel = {f.rel: f for f in site.files}
    for tr in site.files:
        if tr.is_original or tr.problem:
            continue
        orig = by_rel.get(tr.original_rel)
        if orig is None or orig.problem:
            continue
        problems += _compare(orig, tr)
    return problems


def _compare(orig: SourceFile, tr: SourceFile) -> list[Problem]:
    problems = []
    lo, lt = links(orig.body), links(tr.body)
    if lo != lt:
        missing = [x for x in lo if x not in lt]
        extra = [x for x in lt if x not in lo]
        detail = "; ".join(filter(None, [f"missing {missing}" if missing else "", f"extra {extra}" if extra else ""]))
        problems.append(
            Problem(
                tr.rel,
                "(links)",
                f"links differ from {orig.rel}: {detail or 'order differs'} "
                "(keep every link and image of the original, in the same order)",
            )
        )
    ho, ht = headings(orig.body), headings(tr.body)
    if ho != ht:
        problems.append(
            Problem(
                tr.rel,
                "(headings)",
                f"heading levels/anchors {ht} differ from the original's {ho} "
                "(keep the same headings, and add {#original-id} after each translated heading)",
            )
        )
    no = numbers(orig.body, orig.meta)
    nt = numbers(tr.body, merge_translation(orig.meta, tr.meta))
    if no != nt:
        lost, added = sorted((no - nt).elements()), sorted((nt - no).elements())
        problems.append(
            Problem(
                tr.rel,
                "(numbers)",
                f"figures drift from the original: missing {lost}, added {added} "
                "(write every number of the original with digits)",
            )
        )
    return problems


# A cited source's title is quoted as its publisher wrote it, whatever the terminology says.
CITED = "sources"


def check_terms(site: Site, base_dir: Path | None = None) -> list[Problem]:
    """Every page (its text and translatable front matter) and every label file, in each language,
    against that language's terminology base (`base_dir`, by default data/terminology/<lang>.yml)."""
    base, unread = terminology.load(base_dir or site.data_dir / "terminology", site.config.locales)
    problems = [Problem(path, "(terminology)", problem) for path, problem in unread]
    for sf in site.files:
        if sf.problem is None and sf.lang in base:
            problems += _page_terms(site, sf, base[sf.lang])
    for lang, glossary in base.items():
        path = site.data_dir / "i18n" / f"{lang}.yml"
        if path.exists():
            shown = f"{site.data_dir.name}/i18n/{lang}.yml"
            try:
                labels = terminology.text_values(read_yaml(path))
            except DataFileError:
                continue  # validation reports an unreadable label file
            found = terminology.in_values(path.read_text(encoding="utf-8"), labels, glossary)
            problems += [Problem(shown, f"line {f.line}", f.message) for f in found]
    return problems


def _page_terms(site: Site, sf: SourceFile, glossary: terminology.Glossary) -> list[Problem]:
    """Wrong terms in one page, with the file's line numbers."""
    head = text_before_body(site.docs_dir / sf.rel, sf.body)
    meta = {k: v for k, v in sf.meta.items() if k not in ("translation_of", CITED)}
    found = terminology.in_values(head, terminology.text_values(_translatable_only(meta, [])), glossary)
    found += [
        terminology.Finding(f.line + head.count("\n"), f.message) for f in terminology.in_markdown(sf.body, glossary)
    ]
    shown = f"{site.docs_dir.name}/{sf.rel}"
    return [Problem(shown, f"line {f.line}", f.message) for f in found]
