"""Translators' hand-off files: a page as a PO file (a segment per paragraph, heading, list item,
quoted paragraph, table cell and translatable front-matter field), and back into the translation,
validated first and edited in place, so untouched lines keep their bytes."""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
import yaml

from msme import atomic, model, translations
from msme.content import Problem, SourceFile, file_digest, parse_file, split_lang
from msme.markdown_reader import parser
from msme.paths import CONSENT_FILE
from msme.site import Site
from msme.siteconfig import load_site_config

FRONT_MATTER = re.compile(r"\A---\n(.*?)^---[ \t]*\n", re.DOTALL | re.MULTILINE)
PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
# A wrapped line must not start with something that opens a block (a list, a quote, a heading…)
BLOCK_START = re.compile(r"(?:[-+*>#=|]|\d{1,9}[.)])(?:\s|$)")
WIDTH = 95  # the line length the site's pages are wrapped at
TEXT_KINDS = {"paragraph", "heading", "item", "quote", "cell"}
HEADER_SOURCE, HEADER_HASH = "X-MSME-Original", "X-MSME-Translation-Of"
FIX_EXPORT = "export the page again with ./dev msme translate export and carry your work over (msgmerge does it)"


@dataclass(frozen=True)
class Block:
    """One block of a Markdown body: its kind, its lines [start, end) and, for text, its segment."""

    kind: str  # paragraph, heading, item, quote, cell; or fence, code, hr, html (kept, not translated)
    start: int
    end: int
    text: str = ""
    column: int = -1  # a table cell's column


@dataclass
class Segment:
    """One PO entry: a stable id, the English text, the translation's text ('' when none)."""

    ctxt: str
    source: str
    target: str
    line: int = 0  # 1-based line in the English file (body segments)


def _unwrap(content: str) -> str:
    """A paragraph's text on one line: soft breaks become spaces; hard breaks stay."""
    lines = content.split("\n")
    out = lines[0]
    for line in lines[1:]:
        out = out + "\n" if out.endswith(("  ", "\\")) else out.rstrip() + " "
        out += line.lstrip()
    return out


def _cells(row: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in a table row, split at unescaped pipes, spaces trimmed."""
    bounds, start, i = [], 0, 0
    while i < len(row):
        if row[i] == "\\":
            i += 2
            continue
        if row[i] == "|":
            bounds.append((start, i))
            start = i + 1
        i += 1
    bounds.append((start, len(row.rstrip("\n"))))
    if row.lstrip().startswith("|"):
        bounds = bounds[1:]
    if row.rstrip().endswith("|") and not row.rstrip().endswith("\\|"):
        bounds = bounds[:-1]
    out = []
    for a, b in bounds:
        text = row[a:b]
        lead = len(text) - len(text.lstrip())
        out.append((a + lead, a + len(text.rstrip())))
    return out


def blocks(body: str) -> list[Block]:
    """The body's blocks in order, read with the site's parser."""
    lines = body.splitlines(keepends=True)
    out: list[Block] = []
    containers: list[str] = []
    kept = {"fence": "fence", "code_block": "code", "hr": "hr", "html_block": "html"}
    tokens = parser().parse(body)
    for i, token in enumerate(tokens):
        if token.type in ("list_item_open", "blockquote_open"):
            containers.append("item" if token.type == "list_item_open" else "quote")
        elif token.type in ("list_item_close", "blockquote_close"):
            containers.pop()
        elif token.type in kept and token.map:
            out.append(Block(kept[token.type], *token.map))
        elif token.type in ("paragraph_open", "heading_open") and token.map:
            kind = "heading" if token.type == "heading_open" else (containers[-1] if containers else "paragraph")
            out.append(Block(kind, *token.map, text=_unwrap(tokens[i + 1].content)))
        elif token.type == "tr_open" and token.map:
            row = lines[token.map[0]]
            for col, (a, b) in enumerate(_cells(row)):
                out.append(Block("cell", *token.map, text=row[a:b], column=col))
    return out


def _shape(found: list[Block]) -> list[str]:
    return [b.kind for b in found]


def split(text: str) -> tuple[str, str]:
    """(front matter text, body) of a page file; the front matter without its --- lines."""
    m = FRONT_MATTER.match(text)
    return (m.group(1), text[m.end() :]) if m else ("", text)


# Front matter -------------------------------------------------------------------------------


def _ctxt(parts: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(parts))


def _parts(ctxt: str) -> list[Any]:
    return [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", ctxt)]


def field_texts(meta: Any, prefix: list[Any] | None = None) -> Iterator[tuple[list[Any], str]]:
    """(path, text) of every translatable text in front matter, in file order."""
    prefix = prefix or []
    if isinstance(meta, dict):
        for key, value in meta.items():
            yield from field_texts(value, [*prefix, key])
    elif isinstance(meta, list):
        for i, value in enumerate(meta):
            yield from field_texts(value, [*prefix, i])
    elif isinstance(meta, str) and prefix != ["translation_of"] and model.is_translatable(model.normalise_path(prefix)):
        yield prefix, meta


def _get(meta: Any, parts: list[Any]) -> Any:
    for p in parts:
        found = (isinstance(p, int) and isinstance(meta, list) and p < len(meta)) or (
            isinstance(p, str) and isinstance(meta, dict) and p in meta
        )
        if not found:
            return None
        meta = meta[p]
    return meta


def _set(meta: dict[str, Any], parts: list[Any], value: str, english: dict[str, Any]) -> None:
    """Set a value, creating the dicts and lists on the way; a new list is as long as the English
    one (items not translated are {} or None), since a translation's list replaces the original's
    unless the lengths agree."""
    node: Any = meta
    for depth, p in enumerate(parts[:-1]):
        nxt = parts[depth + 1]
        if isinstance(node, dict) and not isinstance(node.get(p), (dict, list)):
            node[p] = [] if isinstance(nxt, int) else {}
        child = node[p]
        if isinstance(child, list):
            size = len(_get(english, parts[: depth + 1]) or [])
            filler: Any = {} if depth + 2 < len(parts) else None
            child.extend(copy.deepcopy(filler) for _ in range(size - len(child)))
        node = child
    node[parts[-1]] = value


class _IndentDumper(yaml.SafeDumper):
    """Lists indented under their key, as the site's pages write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: dict[str, Any], style: str | None = None) -> str:
    return yaml.dump(
        data,
        Dumper=_IndentDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
        default_style=style,
    )


def _scalar(value: str) -> str:
    """A string as one line of YAML (quoted when it has to be)."""
    return _dump({"k": value}, '"' if "\n" in value else None).split(": ", 1)[1].rstrip("\n")


class _Reshape(Exception):
    """The change is not a swap of existing single-line texts: the key's block is written anew."""


def _leaf_changes(old: Any, new: Any, parts: list[Any]) -> list[tuple[list[Any], str]]:
    if isinstance(old, str) and isinstance(new, str):
        return [] if old == new else [(parts, new)]
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return [c for k in old for c in _leaf_changes(old[k], new[k], [*parts, k])]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [c for i, (o, n) in enumerate(zip(old, new, strict=True)) for c in _leaf_changes(o, n, [*parts, i])]
    if old == new:
        return []
    raise _Reshape


def _node(root: yaml.Node, parts: list[Any]) -> yaml.Node:
    node = root
    for p in parts:
        mapping = isinstance(node, yaml.MappingNode)
        node = next(v for k, v in node.value if k.value == p) if mapping else node.value[p]
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        raise _Reshape
    return node


def edit_front_matter(text: str, old: dict[str, Any], new: dict[str, Any], order: list[str]) -> str:
    """Front matter text changed from `old` to `new` in place: a changed text replaces its own
    characters; a key whose shape changes is written anew where it was (or where `order` puts it)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    spans: list[tuple[int, int, str]] = []
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        try:
            if key not in old or root is None:
                raise _Reshape
            for parts, leaf in _leaf_changes(old[key], value, [key]):
                node = _node(root, parts)
                spans.append((node.start_mark.index, node.end_mark.index, _scalar(leaf)))
        except _Reshape:
            spans = [s for s in spans if not _in_key(root, key, s[0])]
            spans.append(_key_span(text, root, key, order, new))
    for start, end, repl in sorted(spans, reverse=True):
        text = text[:start] + repl + text[end:]
    return text


def _key_lines(root: yaml.Node | None) -> list[tuple[str, int]]:
    return [(k.value, k.start_mark.line) for k, _ in root.value] if isinstance(root, yaml.MappingNode) else []


def _line_start(text: str, line: int) -> int:
    return sum(len(x) for x in text.splitlines(keepends=True)[:line])


def _in_key(root: yaml.Node | None, key: str, index: int) -> bool:
    for k, v in root.value if isinstance(root, yaml.MappingNode) else []:
        if k.value == key:
            return k.start_mark.index <= index <= v.end_mark.index
    return False


def _key_span(
    text: str, root: yaml.Node | None, key: str, order: list[str], new: dict[str, Any]
) -> tuple[int, int, str]:
    """The characters of one top-level key's block (or an empty span where it goes) and its new text."""
    keys = _key_lines(root)
    block = _dump({key: new[key]})
    lines = [line for _, line in keys]
    for i, (name, line) in enumerate(keys):
        if name == key:
            end = lines[i + 1] if i + 1 < len(lines) else len(text.splitlines())
            return _line_start(text, line), _line_start(text, end), block
    rank = {k: i for i, k in enumerate(order)}
    later = [line for name, line in keys if name in rank and rank[name] > rank.get(key, len(order))]
    at = _line_start(text, later[0]) if later else len(text)
    return at, at, block


def _with_hash(text: str, digest: str) -> str:
    line = f"translation_of: {digest}\n"
    if re.search(r"^translation_of:.*\n", text, re.MULTILINE):
        return re.sub(r"^translation_of:.*\n", lambda _: line, text, count=1, flags=re.MULTILINE)
    return line + text


# Body ---------------------------------------------------------------------------------------


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """A paragraph's text as lines of about WIDTH characters, never breaking inside a code span or
    before a word that would open a block."""
    out: list[str] = []
    for piece in text.split("\n"):  # hard breaks
        line = first if not out else rest
        words = piece.split(" ")
        line += words[0]
        for word in words[1:]:
            fits = len(line) + 1 + len(word) <= WIDTH
            if fits or line.count("`") % 2 or BLOCK_START.match(word) or not word:
                line += " " + word
            else:
                out.append(line + "\n")
                line = rest + word
        out.append(line + "\n")
    return out


def _continuation(prefix: str) -> str:
    """The prefix of a block's later lines: list markers become spaces, quote markers stay."""
    return re.sub(r"[-+*]|\d{1,9}[.)]", lambda m: " " * len(m.group()), prefix)


def _replace(lines: list[str], block: Block, text: str) -> None:
    """Write a block's new text into the body's lines, in place."""
    first = lines[block.start]
    if block.kind == "cell":
        a, b = _cells(first)[block.column]
        lines[block.start] = first[:a] + text + first[b:]
        return
    old_first = block.text.split("\n")[0].split(" ")[0]
    prefix = first[: first.find(old_first)] if old_first and old_first in first else ""
    if block.kind == "heading":
        end = block.end if first.lstrip(" >").startswith("#") else block.end - 1  # keep a setext underline
        closing = re.search(r"[ \t]+#+[ \t]*$", first.rstrip("\n")) if end == block.end else None
        new = [prefix + text.replace("\n", " ") + (closing.group() if closing else "") + "\n"]
        lines[block.start : end] = new
        return
    lines[block.start : block.end] = _wrap(text, prefix, _continuation(prefix))


def with_anchor(text: str, anchor: str) -> str:
    """A translated heading keeps its original's anchor: {#id} added when its own slug differs."""
    if translations.EXPLICIT_ID.search(text):
        return text
    return text if _anchor(text) == anchor else f"{text} {{#{anchor}}}"


def _markup(text: str) -> dict[str, Any]:
    """What a segment's translation must keep: link and image targets, code, emphasis, placeholders, ids."""
    found: dict[str, Any] = {"links": [], "code": Counter(), "emphasis": Counter()}
    for token in parser().parseInline(text)[0].children or []:
        if token.type in ("link_open", "image"):
            found["links"].append(str(token.attrGet("href") or token.attrGet("src") or ""))
        elif token.type == "code_inline":
            found["code"][token.content] += 1
        elif token.type in ("strong_open", "em_open"):
            found["emphasis"]["bold" if token.type == "strong_open" else "italic"] += 1
    found["placeholders"] = Counter(PLACEHOLDER.findall(text))
    return found


MARKUP_FIX = {
    "links": "keep every link and image target of the English text, in the same order",
    "code": "keep each `code` span exactly as in the English text",
    "emphasis": "keep the **bold** and *italic* marks of the English text",
    "placeholders": "keep each {{ placeholder }} as it is, untranslated",
}


def _anchor(heading: str) -> str:
    return translations.headings(f"# {heading}")[0][1]


def markup_problems(source: str, target: str, heading: bool = False) -> list[str]:
    """How a segment's translation loses or changes the English text's markup, each with its fix."""
    want, got = _markup(source), _markup(target)
    out = []
    if heading and _anchor(with_anchor(target, _anchor(source))) != _anchor(source):
        out.append(f"its {{#id}} differs from the English heading's anchor (end it with {{#{_anchor(source)}}})")
    for key, fix in MARKUP_FIX.items():
        if want[key] != got[key]:
            if isinstance(want[key], Counter):
                lost, extra = sorted((want[key] - got[key]).elements()), sorted((got[key] - want[key]).elements())
            else:
                lost = [x for x in want[key] if x not in got[key]]
                extra = [x for x in got[key] if x not in want[key]]
            detail = ", ".join(filter(None, [f"missing {lost}" if lost else "", f"extra {extra}" if extra else ""]))
            out.append(f"{key} differ: {detail or 'order differs'} ({fix})")
    return out


# Export -------------------------------------------------------------------------------------


def translation_rel(original_rel: str, lang: str) -> str:
    """The path of an original's translation in the suffix layout."""
    stem, _, ext = original_rel.rpartition(".")
    return f"{stem}.{lang}.{ext}"


def segments(orig: SourceFile, orig_text: str, tr: SourceFile | None, tr_text: str | None) -> list[Segment]:
    """The page's segments: translatable front-matter fields, then the body's text blocks; each
    with the existing translation's text when there is one (the body's only when its blocks match)."""
    out = [
        Segment(_ctxt(parts), text, str(_get(tr.meta, parts) or "") if tr else "")
        for parts, text in field_texts(orig.meta)
    ]
    body = split(orig_text)[1]
    offset = orig_text[: len(orig_text) - len(body)].count("\n")
    mine = blocks(body)
    theirs = blocks(split(tr_text)[1]) if tr_text is not None else []
    same = _shape(theirs) == _shape(mine)
    for n, block in enumerate(b for b in mine if b.kind in TEXT_KINDS):
        target = [b for b in theirs if b.kind in TEXT_KINDS][n].text if same else ""
        out.append(Segment(f"body:{n}:{block.kind}", block.text, target, offset + block.start + 1))
    return out


def export_page(site: Site, original_rel: str, lang: str) -> polib.POFile:
    """One page in one language as a PO file."""
    orig = next(f for f in site.originals() if f.rel == original_rel)
    tr = site.translations(original_rel).get(lang)
    tr_text = (site.docs_dir / tr.rel).read_text(encoding="utf-8") if tr and not tr.problem else None
    po = polib.POFile()
    po.header = (
        f"{original_rel} in {lang}. Translate each msgstr. Keep links, images, `code`, **bold**, *italic*,\n"
        "{{ placeholders }} and {#ids} as they are. An empty front-matter field keeps the English text."
    )
    po.metadata = {
        "Project-Id-Version": "MobiliseSME",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        HEADER_SOURCE: original_rel,
        HEADER_HASH: orig.digest,
    }
    text = (site.docs_dir / original_rel).read_text(encoding="utf-8")
    for seg in segments(orig, text, tr if tr_text is not None else None, tr_text):
        where = [(f"{site.docs_dir.name}/{original_rel}", str(seg.line))] if seg.line else []
        po.append(polib.POEntry(msgctxt=seg.ctxt, msgid=seg.source, msgstr=seg.target, occurrences=where))
    return po


def pages_to_export(site: Site, lang: str, pages: list[str], outdated: bool) -> list[str]:
    """Originals named (a translation's path names its original), plus every missing or outdated one."""
    chosen = [split_lang(p, site.config.locales, site.config.default.locale)[1] for p in pages]
    if outdated:
        report = next(st for st in translations.status(site) if st.lang == lang)
        chosen += report.missing
        chosen += [split_lang(rel, site.config.locales, site.config.default.locale)[1] for rel, _, _ in report.outdated]
    return list(dict.fromkeys(chosen))


def export(site: Site, lang: str, pages: list[str], out_dir: Path) -> list[Path]:
    """Write one PO file per page under out_dir/<lang>/<page path>.po; return their paths."""
    written = []
    for rel in pages:
        path = out_dir / lang / f"{rel.removesuffix('.md')}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        export_page(site, rel, lang).save(str(path))
        written.append(path)
    return written


# Import -------------------------------------------------------------------------------------


@dataclass
class Page:
    """An original and its translation in one language (text None: no translation yet)."""

    orig: SourceFile
    orig_text: str
    lang: str
    tr: SourceFile | None
    tr_text: str | None

    @property
    def rel(self) -> str:
        """The translation's path under docs/."""
        return translation_rel(self.orig.rel, self.lang)


@dataclass
class Planned:
    """A translation file as an import would write it."""

    path: Path
    text: str
    changed: bool


def _read_page(po: polib.POFile, where: str, docs_dir: Path) -> tuple[Page | None, list[Problem]]:
    """The page a PO file was exported from, when it still is the version exported."""
    original_rel, lang, digest = (po.metadata.get(k, "") for k in (HEADER_SOURCE, "Language", HEADER_HASH))
    orig_path = docs_dir / original_rel
    if not original_rel or not orig_path.is_file():
        msg = f"names no page of {docs_dir} ({original_rel!r}) (use the file the export wrote)"
        return None, [Problem(where, "(header)", msg)]
    orig_bytes = orig_path.read_bytes()
    now = file_digest(orig_bytes)
    if now != digest:
        msg = f"exported from {original_rel} at {digest}, which has changed since (now {now}) ({FIX_EXPORT})"
        return None, [Problem(where, "(header)", msg)]
    orig = parse_file(orig_path, original_rel, "", original_rel)
    rel = translation_rel(original_rel, lang)
    tr = parse_file(docs_dir / rel, rel, lang, original_rel) if (docs_dir / rel).is_file() else None
    if tr and tr.problem:
        return None, [Problem(where, tr.problem.field, f"{rel}: {tr.problem.message}")]
    tr_text = (docs_dir / rel).read_text(encoding="utf-8") if tr else None
    return Page(orig, orig_bytes.decode("utf-8"), lang, tr, tr_text), []


def _given(po: polib.POFile, where: str, page: Page) -> tuple[dict[str, str], list[Problem]]:
    """The translated texts by segment id, checked against the page's segments and their markup."""
    wanted = segments(page.orig, page.orig_text, page.tr, page.tr_text)
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    problems = [
        Problem(where, ctxt, f"is no segment of {page.orig.rel} ({FIX_EXPORT})")
        for ctxt in sorted(entries.keys() - {s.ctxt for s in wanted})
    ]
    given: dict[str, str] = {}
    for seg in wanted:
        entry = entries.get(seg.ctxt)
        if entry is None:
            problems.append(Problem(where, seg.ctxt, f"segment missing ({FIX_EXPORT}; never delete an entry)"))
        elif entry.msgid != seg.source:
            problems.append(Problem(where, seg.ctxt, "its English text (msgid) was edited (change only msgstr)"))
        elif entry.fuzzy and entry.msgstr:
            problems.append(Problem(where, seg.ctxt, "marked fuzzy (review the translation, then clear the flag)"))
        elif seg.ctxt.startswith("body:") and not entry.msgstr.strip():
            problems.append(Problem(where, seg.ctxt, "not translated (fill msgstr; copy the English if it stays)"))
        elif entry.msgstr:
            problems += [
                Problem(where, seg.ctxt, p)
                for p in markup_problems(seg.source, entry.msgstr, seg.ctxt.endswith(":heading"))
            ]
            given[seg.ctxt] = entry.msgstr
    return given, problems


def plan_import(
    po_path: Path, docs_dir: Path, consent_file: Path = CONSENT_FILE
) -> tuple[Planned | None, list[Problem]]:
    """Read one PO file and compute the translation it gives, checked by every validation the site
    runs; (None, problems) when anything is wrong."""
    where = str(po_path)
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        return None, [Problem(where, "(file)", f"not a PO file: {exc} (use the file the export wrote)")]
    page, problems = _read_page(po, where, docs_dir)
    if page is None:
        return None, problems
    given, problems = _given(po, where, page)
    if problems:
        return None, problems
    text, found = _compose(page, given)
    problems = [Problem(where, seg, msg) for seg, msg in found]
    if not problems:
        result = _check_result(docs_dir, consent_file, page, text)
        problems = [Problem(where, p.field, f"{p.message} [in {page.rel}]") for p in result]
    if problems:
        return None, problems
    return Planned(docs_dir / page.rel, text, text != page.tr_text), []


def _front_matter(page: Page, given: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The translation's new front matter text (without translation_of), and what is wrong with it."""
    problems: list[tuple[str, str]] = []
    old = dict(page.tr.meta) if page.tr else {}
    old.pop("translation_of", None)
    meta = copy.deepcopy(old)
    for parts, _ in field_texts(page.orig.meta):
        if _ctxt(parts) in given:
            _set(meta, parts, given[_ctxt(parts)], page.orig.meta)
    for key, value in meta.items():
        english = page.orig.meta.get(key)
        if isinstance(value, list) and isinstance(english, list):
            del value[len(english) :]  # from an older, longer original: the English list decides
            if None in value:
                blanks = [f"{key}[{i}]" for i, v in enumerate(value) if v is None]
                problems.append((key, f"translate every item or none (missing {', '.join(blanks)})"))
    if page.tr_text is None:
        return (_dump(meta) if meta else ""), problems
    return edit_front_matter(split(page.tr_text)[0], old, meta, list(page.orig.meta)), problems


def _compose(page: Page, given: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The translation file's new text, and (segment, problem) for what cannot be written. The
    translation's own lines are edited when its blocks match the English; otherwise (no
    translation yet, or another structure) the English body is the base."""
    fm, problems = _front_matter(page, given)
    english = split(page.orig_text)[1]
    mine = blocks(english)
    body = split(page.tr_text)[1] if page.tr_text is not None else english
    theirs = blocks(body)
    if _shape(theirs) != _shape(mine):
        body, theirs = english, mine
    anchors = [a for _, a in translations.headings(english)]
    lines = body.splitlines(keepends=True)
    text_blocks = [b for b in theirs if b.kind in TEXT_KINDS]
    headings_before = [sum(1 for b in text_blocks[:n] if b.kind == "heading") for n in range(len(text_blocks))]
    for n, block in reversed(list(enumerate(text_blocks))):  # from the end: line numbers above stay right
        new = given[f"body:{n}:{block.kind}"]
        if block.kind == "heading":
            new = with_anchor(new, anchors[headings_before[n]])
        if new != block.text:
            _replace(lines, block, new)
    new_body = "".join(lines)
    if _shape(blocks(new_body)) != _shape(mine):
        after = [b.kind for b in blocks(new_body) if b.kind in TEXT_KINDS]
        bad = next((i for i, b in enumerate(text_blocks) if i >= len(after) or after[i] != b.kind), 0)
        seg = f"body:{bad}:{text_blocks[bad].kind}" if text_blocks else "(body)"
        problems.append((seg, "its translation changes the page's blocks (start no text with -, #, > or 1.)"))
    return f"---\n{_with_hash(fm, page.orig.digest)}---\n{new_body}", problems


def _check_result(docs_dir: Path, consent_file: Path, page: Page, text: str) -> list[Problem]:
    """Every validation the site runs, and the translation checker, on the file as it would be
    written: in a mirror of docs/ (links to the real files) holding the new translation."""
    from msme.validate import load_site  # the whole validation; imported here as the CLI does

    config = load_site_config()
    keep = {page.lang, config.default.locale}
    with tempfile.TemporaryDirectory(prefix="msme-po-") as tmp:
        mirror = Path(tmp) / "docs"
        shutil.copytree(docs_dir, mirror, copy_function=os.symlink)
        target = mirror / page.rel
        target.unlink(missing_ok=True)
        target.write_text(text, encoding="utf-8")
        site = load_site(mirror, consent_file, config, only=lambda lng, o: o == page.orig.rel and lng in keep)
        found = [p for p in site.problems if p.path == f"docs/{page.rel}"]
        found += [p for p in translations.check(site) if p.path == page.rel]
    return found


def import_files(
    paths: list[Path], docs_dir: Path, consent_file: Path = CONSENT_FILE
) -> tuple[list[Planned], list[Problem]]:
    """Check every PO file; write their translations only when none has a problem (a file whose
    text is unchanged is not touched). Returns what was planned and the problems."""
    planned: list[Planned] = []
    problems: list[Problem] = []
    for path in paths:
        plan, found = plan_import(path, docs_dir, consent_file)
        problems += found
        if plan and any(p.path == plan.path for p in planned):
            problems.append(Problem(str(path), "(header)", f"a second file for {plan.path} (import one per page)"))
        elif plan:
            planned.append(plan)
    if problems:
        return planned, problems
    for plan in planned:
        if plan.changed:
            atomic.write_text(plan.path, plan.text)
    return planned, []
