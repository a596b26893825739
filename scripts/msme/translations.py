"""Translation status (missing / outdated) and the translation checker (links, images, headings, numbers)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from msme import model
from msme.content import Problem, SourceFile, merge_translation
from msme.validate import Site

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
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
    for lang in site.config.locales[1:]:
        st = LanguageStatus(lang)
        for orig in originals:
            tr = site.translations(orig.rel).get(lang)
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


def headings(body: str) -> list[tuple[int, str]]:
    """(level, anchor id) of each heading; an explicit {#id} wins over the slug of its text."""
    out = []
    for hashes, text in HEADING.findall(_strip_code(body)):
        m = EXPLICIT_ID.search(text)
        out.append((len(hashes), m.group(1) if m else _slug(text)))
    return out


def _strip_code(body: str) -> str:
    return re.sub(r"```.*?```", "", body, flags=re.DOTALL)


def links(body: str) -> list[str]:
    """Link and image targets, in order."""
    return LINK.findall(_strip_code(body))


def _text_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _text_values(v)]
    if isinstance(value, list):
        return [t for v in value for t in _text_values(v)]
    return []


def numbers(body: str, meta: dict[str, Any]) -> Counter[str]:
    """Every run of digits in the body and the translatable front matter (formatting-neutral)."""
    texts = [body, *_text_values(_translatable_only({k: v for k, v in meta.items() if k != "translation_of"}, []))]
    return Counter(d.lstrip("0") or "0" for t in texts for d in DIGITS.findall(t))


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
    if links(orig.body) != links(tr.body):
        missing = [x for x in links(orig.body) if x not in links(tr.body)]
        extra = [x for x in links(tr.body) if x not in links(orig.body)]
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
