"""Find content files, parse their front matter, and pair translations with their originals."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from msme import model
from msme.datafiles import encoding_problem, yaml_problem

TRANSLATION_OF = re.compile(r"^translation_of:\s*[\"']?([0-9a-f]+)[\"']?\s*$", re.MULTILINE)
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    """YAML read as the web editor writes it (YAML 1.2): only true and false are booleans, so
    Norway's code NO stays text, and a date stays text until the content model reads it (a
    partial date such as period.start is text in the model)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FrontMatterLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _NotAMapping(ValueError):
    """Front matter that parses but is not `field: value` lines (a list, a bare value)."""


class _FrontMatter(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: Any) -> Any:
        value = yaml.load(fm, Loader=_FrontMatterLoader)
        # python-frontmatter would drop anything but a mapping without a word: say so instead.
        if value is not None and not isinstance(value, dict):
            raise _NotAMapping
        return value


TYPE_BY_FOLDER = {"stories": "story", "guides": "guide", "events": "event"}


@dataclass
class Problem:
    """One thing wrong with the content: where, which field, what, and how to fix it."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass
class SourceFile:
    """A Markdown file under docs/ with its parsed front matter."""

    rel: str  # path relative to docs/, with forward slashes
    lang: str
    original_rel: str  # the default-language file this one translates (itself for originals)
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    digest: str = ""  # content hash of the file's bytes
    problem: Problem | None = None

    @property
    def is_original(self) -> bool:
        """True for a file in the default language."""
        return self.rel == self.original_rel

    @property
    def folder(self) -> str:
        """The page's folder relative to docs/ ('' at the top)."""
        return self.rel.rpartition("/")[0]

    @property
    def content_type(self) -> str:
        """story, guide, event or page: explicit `type:` or inferred from the top folder."""
        explicit = self.meta.get("type")
        if explicit:
            return str(explicit)
        top, _, rest = self.original_rel.partition("/")
        # stories/index.md is the list page of its folder, not a story
        return TYPE_BY_FOLDER.get(top, "page") if rest and rest != "index.md" else "page"


def file_digest(data: bytes) -> str:
    """Short content hash used to record which version of an original a translation follows."""
    return hashlib.sha256(data).hexdigest()[:12]


LOCALE_SUFFIX = re.compile(r"^[a-z]{2}(_[A-Z]{2}|-[A-Za-z]{2,4})?$")


def split_lang(rel: str, locales: list[str], default: str) -> tuple[str, str]:
    """Return (language, original path) for a docs-relative path in the suffix layout.

    Any locale-like suffix counts (as static-i18n reads it), so the translations of a language
    that is not configured are recognised as translations, and left out, not read as originals."""
    stem, _, ext = rel.rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and (suffix in locales or LOCALE_SUFFIX.match(suffix)) and suffix != default:
        return suffix, f"{base}.{ext}"
    return default, rel


def parse_file(path: Path, rel: str, lang: str, original_rel: str) -> SourceFile:
    """Read one Markdown file; a YAML error becomes a Problem instead of an exception."""
    data = path.read_bytes()
    sf = SourceFile(rel=rel, lang=lang, original_rel=original_rel, digest=file_digest(data))
    try:
        post = frontmatter.loads(data.decode("utf-8"), handler=_FrontMatter())
    except UnicodeDecodeError as exc:
        sf.problem = Problem(rel, "(file)", encoding_problem(exc, data))
        return sf
    except yaml.YAMLError as exc:
        sf.problem = Problem(rel, "(front matter)", yaml_problem(exc, first_line=2))  # line 1 is the opening ---
        return sf
    except _NotAMapping:
        sf.problem = Problem(
            rel,
            "(front matter)",
            "must be `field: value` lines, one field a line (start each line with a field name, e.g. `title: …`)",
        )
        return sf
    sf.meta, sf.body = dict(post.metadata), post.content
    if "translation_of" in sf.meta:
        # A hash of digits only reads as a number in YAML (losing leading zeros); take the text.
        raw = TRANSLATION_OF.search(data.decode("utf-8"))
        if raw:
            sf.meta["translation_of"] = raw.group(1)
    return sf


def discover(
    docs_dir: Path, locales: list[str], default: str, only: Callable[[str, str], bool] | None = None
) -> list[SourceFile]:
    """Parse every Markdown file under docs_dir, sorted by path; `only(lang, original)` may skip some
    unread (the local preview of a large site reads a subset)."""
    files = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        lang, original = split_lang(rel, locales, default)
        if lang in locales and (only is None or only(lang, original)):
            files.append(parse_file(path, rel, lang, original))
    return files


def text_before_body(path: Path, body: str) -> str:
    """The part of a content file before its body: front matter, its fences and blank lines.

    `parse_file` strips the body, so it is the tail of the file; a line number in the body plus
    this text's newline count is the line number in the file."""
    text = path.read_bytes().decode("utf-8")  # as parse_file read it: \r\n kept
    return text[: max(len(text.rstrip()) - len(body), 0)]


def merge_translation(original: Any, overlay: Any) -> Any:
    """Overlay a translation's front matter on its original's. An item of a list that records it
    (`model.TRANSLATION_MARKED`: a quote, a source) is marked `translated` where the translation
    changes its words: those words are then the translation's, not the source's."""
    merged = _overlay(original, overlay)
    if isinstance(merged, dict) and isinstance(original, dict) and isinstance(overlay, dict):
        for key in model.TRANSLATION_MARKED & overlay.keys():
            before, given, items = original.get(key), overlay[key], merged[key]
            if not (isinstance(before, list) and isinstance(given, list) and len(before) == len(given)):
                continue  # validation reports a list of another length
            for old, new, item in zip(before, given, items, strict=True):
                if isinstance(old, dict) and isinstance(new, dict) and any(old.get(k) != v for k, v in new.items()):
                    item["translated"] = True  # a fresh dict from _overlay: the original stays as it was
    return merged


def _overlay(original: Any, overlay: Any) -> Any:
    """Dicts by key, lists item by item (of the same length), anything else replaced."""
    if isinstance(original, dict) and isinstance(overlay, dict):
        merged = dict(original)
        for key, value in overlay.items():
            merged[key] = _overlay(original.get(key), value) if key in original else value
        return merged
    if isinstance(original, list) and isinstance(overlay, list) and len(original) == len(overlay):
        return [_overlay(o, t) for o, t in zip(original, overlay, strict=True)]
    return overlay
