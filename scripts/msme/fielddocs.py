"""The content model's field facts in words: prompts, `--help`, open-data columns and the field
tables in CONTRIBUTING.md, all read from `msme.model` so none of them restates a fact.

The tables sit between `<!-- fields:<type>:start -->` and `<!-- fields:<type>:end -->`;
`./dev msme docs` rewrites them and `./dev msme docs --check` fails when they are stale.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from msme import model
from msme.paths import ROOT
from msme.vocab import Vocab

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DOCUMENTED = ("story", "guide", "event")  # the types people create
CONSENT_WORDS = "a consent id from data/consent.yml"


def _lower_first(text: str) -> str:
    """'Country' -> 'country', but 'NACE sector' stays as it is."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _group_label(steps: list[tuple[str, FieldInfo]]) -> str | None:
    """The label of the innermost labelled group along a path, if any."""
    return next((model.facts(i)["label"] for _, i in reversed(steps[:-1]) if model.facts(i).get("label")), None)


def label(cls: type[BaseModel], path: str) -> str:
    """A field's name for people: its `label` (or its name), after its group's where the group
    has one ('sending.country' -> "Sending company's country")."""
    steps = model.chain(cls, path)
    name, info = steps[-1]
    own = model.facts(info).get("label") or name.replace("_", " ").capitalize()
    group = _group_label(steps)
    return f"{group}'s {_lower_first(own)}" if group else own


def item_of(info: FieldInfo) -> tuple[Any, list[Any], bool, bool]:
    """(bare type, constraints, optional, list) of a field: a list's item type and constraints."""
    bare, metadata, optional = model.unwrap(info.annotation)
    many = typing.get_origin(bare) is list
    if many:
        bare, metadata, _ = model.unwrap(typing.get_args(bare)[0])
    return bare, [*(info.metadata if not many else []), *metadata], optional, many


def required(info: FieldInfo) -> bool:
    """Whether the field must be filled in (inside its group, where it is in one)."""
    return info.is_required() and not item_of(info)[2]


def allowed(info: FieldInfo, vocab: Vocab) -> str:
    """The values a field takes, in words: its vocabulary's keys, its options, its range, its form."""
    bare, metadata, _, _ = item_of(info)
    choices = model.facts(info).get("choices")
    if choices == "consent":
        return CONSENT_WORDS
    if choices:
        return ", ".join(getattr(vocab, choices))
    if typing.get_origin(bare) is Literal:
        return ", ".join(str(v) for v in typing.get_args(bare))
    if bare is dt.date:
        return "a date, YYYY-MM-DD"
    if bare in (int, float):
        low, high = model.bounds(info)
        number = "a whole number" if bare is int else "a number"
        if low is not None and high is not None:
            return f"{number} from {low} to {high}"
        if low is not None:
            return f"{number}, at least {low}"
        return number
    if "Url" in getattr(bare, "__name__", ""):
        return "a web address starting with https://"
    for item in metadata:
        if getattr(item, "pattern", None):
            return model.PATTERN_WORDS.get(item.pattern, f"text matching {item.pattern}")
        if getattr(item, "max_length", None):
            return f"text, at most {item.max_length} characters"
    return ""


def description(cls: type[BaseModel], path: str) -> str:
    """The field's description, after its group's label where it is inside a labelled group."""
    steps = model.chain(cls, path)
    text = steps[-1][1].description or ""
    group = _group_label(steps)
    return f"{group}: {_lower_first(text)}" if group and text else text


def prompt(cls: type[BaseModel], path: str, vocab: Vocab, *, needed: bool | None = None) -> str:
    """What the `new` command asks for a field: its label, the values it takes, whether it may stay
    empty (`needed`: the command's own rule, where it asks for more than the model requires)."""
    info = model.field_at(cls, path)
    choices = model.facts(info).get("choices")
    many = item_of(info)[3]
    if choices == "countries":  # 35 codes are too many to read in a prompt; --help lists them
        hint = "ISO code, e.g. ES"
    elif many and choices:
        hint = f"comma-separated: {allowed(info, vocab)}"
    else:
        hint = allowed(info, vocab)
        hint = "" if hint.startswith("text") else re.sub(r"^a whole number from (\S+) to (\S+)$", r"\1-\2", hint)
    if not (required(info) if needed is None else needed):
        hint = f"{hint}, empty if unknown" if hint else "empty if unknown"
    elif many and not choices:
        hint = "the first; add others in the file"
    return f"{label(cls, path)} ({hint})" if hint else label(cls, path)


def help_text(cls: type[BaseModel], path: str, vocab: Vocab, *, needed: bool | None = None) -> str:
    """An option's `--help`: what the field holds and the values it takes."""
    info = model.field_at(cls, path)
    values = allowed(info, vocab)
    many = item_of(info)[3] and model.facts(info).get("choices")
    parts = [description(cls, path) or label(cls, path)]
    if values:
        parts.append(f"{'Comma-separated, each one of' if many else 'Allowed'}: {values}.")
    if not (required(info) if needed is None else needed):
        parts.append("Optional.")
    return " ".join(parts)


def column(cls: type[BaseModel], path: str) -> str:
    """An open-data column's description from the field it comes from."""
    info = model.field_at(cls, path)
    bare, _, _, many = item_of(info)
    text = description(cls, path)
    if bare is dt.date:
        text = text.rstrip(".") + " (YYYY-MM-DD)."
    low, high = model.bounds(info)
    if low is not None and high is not None:
        text = text.rstrip(".") + f" ({low}-{high})."
    if many or "[]" in path:
        text = text.rstrip(".") + "; ';'-separated in CSV."
    return text


def rows(cls: type[BaseModel], vocab: Vocab) -> list[tuple[str, str, str, str, str]]:
    """(field, required, what it holds, allowed values, translated) for every form field of a type."""
    out = []
    for path, info in model.walk(cls):
        if model.facts(info).get("form") is False or path == "type":
            continue
        out.append(
            (
                path,
                "yes" if required(info) else "",
                info.description or "",
                allowed(info, vocab),
                "yes" if path in model.TRANSLATABLE else "",
            )
        )
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def table(ctype: str, vocab: Vocab) -> str:
    """The Markdown table of one content type's fields."""
    lines = ["| field | required | what it holds | allowed values | translated |", "| --- | --- | --- | --- | --- |"]
    for path, req, desc, values, tr in rows(model.MODELS[ctype], vocab):
        lines.append(f"| `{path}` | {req} | {_cell(desc)} | {_cell(values)} | {tr} |")
    return "\n".join(lines)


def _markers(ctype: str) -> tuple[str, str]:
    return f"<!-- fields:{ctype}:start -->", f"<!-- fields:{ctype}:end -->"


def render(text: str, vocab: Vocab) -> str:
    """`text` with every field table between its markers regenerated (a missing pair: ValueError)."""
    for ctype in DOCUMENTED:
        start, end = _markers(ctype)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"has no {start} … {end} markers (add them where the {ctype} table goes)")
        text = pattern.sub(lambda _m, c=ctype: f"{_markers(c)[0]}\n{table(c, vocab)}\n{_markers(c)[1]}", text)
    return text


def stale(path: Path, vocab: Vocab) -> bool:
    """Whether the file's field tables differ from the model's."""
    text = path.read_text(encoding="utf-8")
    return render(text, vocab) != text


def write(path: Path, vocab: Vocab) -> bool:
    """Regenerate the file's field tables; True when it changed."""
    text = path.read_text(encoding="utf-8")
    new = render(text, vocab)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
