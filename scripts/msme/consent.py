"""The consent register: one record per person the site names, quotes or pictures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

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
