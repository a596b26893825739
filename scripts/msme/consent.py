"""The consent register: one record per person the site names, quotes or pictures."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from msme.datafiles import DataFileError, read_yaml
from msme.describe import pydantic_error
from msme.model import SLUG_PATTERN, Strict, Text

Scope = Literal["name", "quote", "photo"]
# Who a withdrawn person becomes, unless their record says: keys under withdrawn_as: in data/i18n/<lang>.yml.
SPEAKER, PARTICIPANT = "speaker", "participant"


class ConsentRecord(Strict):
    """What one person agreed to, and on what basis."""

    name: Text = Field(description="The person's name as it appears on the site.")
    scope: list[Scope] = Field(min_length=1, description="What may be published: name, quote, photo.")
    date: dt.date = Field(description="When consent was given or the public basis was recorded.")
    basis: Text = Field(description="How consent was obtained, or the public source that names them.")
    withdrawn: bool = Field(False, description="True once the person withdraws; the next build removes them.")
    withdrawn_on: dt.date | None = Field(None, description="When consent was withdrawn.")
    aliases: list[Text] = Field(default_factory=list, description="Other forms of the name used in texts.")
    replacement: str | dict[str, str] | None = Field(
        None,
        description="What stands in for the name once withdrawn: a key under withdrawn_as: in "
        "data/i18n/<lang>.yml (e.g. host_representative), or the words per language ({en: …, es: …}); "
        "by default 'a speaker' for an event's speakers, else 'a participant'.",
    )

    @field_validator("replacement", mode="before")
    @classmethod
    def _replacement(cls, value: Any) -> Any:
        texts = list(value.values()) if isinstance(value, dict) else [value]
        if value is not None and not all(isinstance(t, str) and t.strip() for t in texts):
            raise ValueError(
                "must be a key under withdrawn_as: in data/i18n/en.yml, or the words per language "
                "(write e.g. replacement: speaker, or replacement: {en: a guest, es: una persona invitada})"
            )
        return value

    def allows(self, scope: Scope) -> bool:
        """True when this record currently permits publishing `scope`."""
        return not self.withdrawn and scope in self.scope

    def stand_in(self, lang: str, phrases: dict[str, str], usual: str) -> str:
        """The neutral words that replace the name in `lang`: the record's own, else phrases[usual]
        (never the person's role, which names the one person who held it)."""
        if isinstance(self.replacement, dict):
            return self.replacement.get(lang) or phrases[usual]
        return phrases.get(self.replacement or usual) or phrases[usual]


def load_register(path: Path) -> tuple[dict[str, ConsentRecord], list[tuple[str, str]]]:
    """Read the register; return the records and the (field, `problem (fix)`) of each problem."""
    try:
        raw = read_yaml(path)
    except DataFileError as exc:
        return {}, [("(file)", str(exc))]
    people = raw.get("people") or {}
    if not isinstance(people, dict):
        return {}, [("people", "must hold one record per person, as `id:` lines (indent each record under its id)")]
    records: dict[str, ConsentRecord] = {}
    problems: list[tuple[str, str]] = []
    for pid, entry in people.items():
        if not isinstance(pid, str) or not re.fullmatch(SLUG_PATTERN, pid):
            fix = "use lower-case letters, digits and hyphens, e.g. jane-doe"
            problems.append((f"people.{pid}", f"is not an id that pages can refer to ({fix})"))
            continue
        try:
            records[pid] = ConsentRecord.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                where, message = pydantic_error(err, ConsentRecord, "the record")
                problems.append((f"people.{pid}" + ("" if where == "(page)" else f".{where}"), message))
    return records, problems


def name_forms(record: ConsentRecord) -> list[str]:
    """Every form of a person's name to remove: the full name, its parts, and any aliases.

    Parts cover "Gonzalo wanted…" after "Gonzalo Palenzuela"; longer forms are replaced first.
    """
    parts = [p for p in re.split(r"[\s]+", record.name) if len(p) >= 3]
    hyphen_parts = [h for p in parts if "-" in p for h in p.split("-") if len(h) >= 3]
    forms = {record.name, *record.aliases, *parts, *hyphen_parts}
    return sorted(forms, key=len, reverse=True)


def _pattern(form: str) -> str:
    """Regex for a name form that also matches it written with or without accents."""
    out = []
    for ch in form:
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(f"[{re.escape(ch)}{re.escape(base)}]" if base and base != ch else re.escape(ch))
    return "".join(out)


@dataclass(frozen=True)
class Redaction:
    """How to remove one withdrawn person from a text: their name forms and the neutral wording."""

    pattern: re.Pattern[str]
    wording: str


def redactions(register: dict[str, ConsentRecord], wording: dict[str, str]) -> list[Redaction]:
    """One Redaction per withdrawn person, replacing their name with wording[id]."""
    out = []
    for pid, rec in register.items():
        if rec.withdrawn:
            alternation = "|".join(_pattern(f) for f in name_forms(rec))
            out.append(Redaction(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), wording[pid]))
    return out


def _opens_sentence(m: re.Match[str]) -> bool:
    """True at the start of a text, a paragraph (after a heading too) or a sentence, or after a
    list or heading marker; false at the start of a wrapped line inside a sentence."""
    before = m.string[max(0, m.start() - 40) : m.start()]
    if not before.strip() or re.search(r"\n[ \t]*\n[ \t]*$", before):
        return True
    return before.rstrip()[-1] in ".!?:#>*-"


def redact(text: str, rules: list[Redaction]) -> str:
    """Replace every form of each withdrawn name; capitalise the wording where it opens a sentence."""
    for rule in rules:
        capital = rule.wording[:1].upper() + rule.wording[1:]
        text = rule.pattern.sub(lambda m, w=rule.wording, c=capital: c if _opens_sentence(m) else w, text)
    return text


def redact_data(value: Any, rules: list[Redaction]) -> Any:
    """redact() applied to every string inside nested dicts and lists."""
    if isinstance(value, str):
        return redact(value, rules)
    if isinstance(value, dict):
        return {k: redact_data(v, rules) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_data(v, rules) for v in value]
    return value
