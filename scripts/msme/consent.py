"""The consent register: one record per person the site names, quotes or pictures."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from msme.model import Strict, Text

Scope = Literal["name", "quote", "photo"]


class ConsentRecord(Strict):
    """What one person agreed to, and on what basis."""

    name: Text = Field(description="The person's name as it appears on the site.")
    scope: list[Scope] = Field(min_length=1, description="What may be published: name, quote, photo.")
    date: dt.date = Field(description="When consent was given or the public basis was recorded.")
    basis: Text = Field(description="How consent was obtained, or the public source that names them.")
    withdrawn: bool = Field(False, description="True once the person withdraws; the next build removes them.")
    withdrawn_on: dt.date | None = Field(None, description="When consent was withdrawn.")
    aliases: list[Text] = Field(default_factory=list, description="Other forms of the name used in texts.")

    def allows(self, scope: Scope) -> bool:
        """True when this record currently permits publishing `scope`."""
        return not self.withdrawn and scope in self.scope


def load_register(path: Path) -> tuple[dict[str, ConsentRecord], list[str]]:
    """Read the register; return the records and a list of 'field: problem' strings."""
    if not path.exists():
        return {}, [f"(file): missing; create {path.name} with a people: mapping"]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return {}, [f"(file): YAML does not parse: {exc}"]
    records: dict[str, ConsentRecord] = {}
    problems: list[str] = []
    for pid, entry in (raw.get("people") or {}).items():
        try:
            records[pid] = ConsentRecord.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(f"people.{pid}.{where}: {err['msg']}")
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


def redactions(register: dict[str, ConsentRecord], roles: dict[str, str], fallback: str) -> list[Redaction]:
    """One Redaction per withdrawn person; wording is their role on this page, else `fallback`."""
    out = []
    for pid, rec in register.items():
        if rec.withdrawn:
            alternation = "|".join(_pattern(f) for f in name_forms(rec))
            out.append(Redaction(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), roles.get(pid) or fallback))
    return out


def _opens_sentence(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 3) : m.start()].rstrip()
    return not before or before[-1] in ".!?:\n#>*-"


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
