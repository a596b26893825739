"""pydantic's errors in the project's own words: (field, `problem (fix)`), never pydantic's text."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from msme.model import PARTIAL_DATE_PATTERN, SLUG_PATTERN
from msme.scaffold import slugify

_BOUNDS = {
    "less_than_equal": ("at most", "le"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("below", "lt"),
    "greater_than": ("above", "gt"),
}
# Error types by the kind of value the field wanted (pydantic 2's names), and the fix for each.
_WANTED = [
    (("int_type", "int_parsing", "int_from_float", "int_parsing_size"), "a whole number", "write digits only, e.g. 3"),
    (("float_type", "float_parsing", "finite_number"), "a number", "write digits only, e.g. 286 or 12.5"),
    (("bool_type", "bool_parsing"), "true or false", "write true or false"),
    (("list_type", "tuple_type", "set_type"), "a list", "write one `- item` per line under the field"),
    (
        ("dict_type", "model_type", "model_attributes_type"),
        "a group of fields",
        "write its `key: value` lines indented under the field",
    ),
    (
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"),
        "a date",
        "write it as YYYY-MM-DD, e.g. 2023-03-14",
    ),
    (
        ("url_type", "url_parsing", "url_scheme", "url_syntax_violation", "url_too_long"),
        "a web address",
        "write the full address, starting with https://",
    ),
]


def location(loc: tuple[Any, ...] | list[Any]) -> str:
    """('quotes', 0, 'text') -> 'quotes[0].text', as the other messages name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(page)"


def _shown(value: Any) -> str:
    """A value as the reader wrote it, cut short when it is long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(cls: type[BaseModel], loc: list[Any]) -> list[str]:
    """Field names of the (nested) model at `loc`, for a hint after an unknown field."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = cls.model_fields.get(part)
        nested = _model_in(field.annotation) if field else None
        if nested is None:
            return []
        cls = nested
    return sorted(cls.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside a field's type (Model, list[Model], Model | None), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _pattern(got: Any, pattern: str) -> str:
    if pattern == SLUG_PATTERN:
        fix = f"use lower-case letters, digits and hyphens, e.g. {slugify(str(got))}"
        return f"got {_shown(got)}, which is not an id ({fix})"
    if pattern == PARTIAL_DATE_PATTERN:
        fix = "write YYYY-MM or YYYY-MM-DD, e.g. 2021-05 or 2021-05-03"
        return f"got {_shown(got)}, which is not a month or a date ({fix})"
    return f"got {_shown(got)}, which does not have the expected form {pattern} (correct it)"


def _length(kind: str, got: Any, ctx: dict[str, Any]) -> str:
    items = "item" if isinstance(got, list | tuple | dict) else "character"
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        if least <= 1:
            return "is empty (fill it in)" if items == "character" else "is empty (add at least one item)"
        return f"has {len(got)} {items}s, fewer than {least} (add more)"
    return f"has {len(got)} {items}s, more than {ctx.get('max_length')} (shorten it)"


def pydantic_error(err: dict[str, Any], cls: type[BaseModel], place: str = "the front matter") -> tuple[str, str]:
    """One pydantic error of model `cls` as (field, `problem (fix)`); `place` is where fields are written."""
    loc = list(err["loc"])
    where, kind, ctx, got = location(loc), err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return where, f"is required (add `{loc[-1]}:` to {place})"
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(cls, loc[:-1]))
        hint = f"; fields here: {allowed}" if allowed else ""
        return where, f"is not a known field (check its spelling or remove it{hint})"
    if kind in _BOUNDS:
        rel, key = _BOUNDS[kind]
        return where, f"must be {rel} {ctx.get(key)}, got {_shown(got)} (correct the number)"
    if kind == "literal_error":
        return where, f"got {_shown(got)}, which is not one of {ctx.get('expected')} (write one of these exactly)"
    if kind == "string_pattern_mismatch":
        return where, _pattern(got, str(ctx.get("pattern")))
    if got is None and kind.endswith("_type"):  # `field:` with nothing after it reads as null
        return where, "is empty (fill it in)"
    if kind == "string_type" and isinstance(got, bool):
        return where, (
            f"YAML read this as {'yes' if got else 'no'}/{str(got).lower()} "
            '(put the value in quotes, e.g. country: "NO" for Norway)'
        )
    if kind == "string_type":
        fix = 'put it in quotes: "…"' if not isinstance(got, list | dict) else "write one line of text, not a list"
        return where, f"got {_shown(got)}, which is not text ({fix})"
    if kind in ("too_short", "string_too_short", "too_long", "string_too_long"):
        return where, _length(kind, got, ctx)
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", "")).removeprefix("Value error, ") or "is not accepted"
        return where, text if text.endswith(")") else f"{text} (correct it)"
    for kinds, wanted, fix in _WANTED:
        if kind in kinds:
            return where, f"got {_shown(got)}, which is not {wanted} ({fix})"
    return where, (
        f"got {_shown(got)}, which this field does not accept "
        "(check what it takes in its description in scripts/msme/model.py)"
    )
