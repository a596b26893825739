"""Controlled vocabularies (countries, sectors, collaboration types, audiences) from data/."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from msme.datafiles import DataFileError, read_yaml
from msme.paths import DATA_DIR

_SINGULAR = {
    "countries": "country code",
    "sectors": "NACE section",
    "collaboration_types": "collaboration type",
    "audiences": "audience",
}


@dataclass(frozen=True)
class Vocab:
    """The allowed values for controlled fields, with their English labels."""

    countries: dict[str, dict]
    sectors: dict[str, str]
    collaboration_types: dict[str, str]
    audiences: dict[str, str]

    def check(self, kind: str, value: str) -> str:
        """Return value if allowed in vocabulary `kind`, else raise ValueError naming the fix."""
        allowed: dict = getattr(self, kind)
        if value in allowed:
            return value
        hint = difflib.get_close_matches(str(value), list(allowed), n=3)
        close = f"; did you mean {', '.join(hint)}?" if hint else ""
        raise ValueError(
            f"unknown {_SINGULAR[kind]} {value!r}{close} "
            f"(use one of the codes under {kind}: in data/vocabularies.yml: "
            f"{', '.join(list(allowed)[:12])}{', …' if len(allowed) > 12 else ''})"
        )


VOCAB_FILE = DATA_DIR / "vocabularies.yml"


@lru_cache(maxsize=4)
def load_vocab(path: Path = VOCAB_FILE) -> Vocab:
    """Read the vocabularies file once per process; raise DataFileError naming what is wrong."""
    raw = read_yaml(path)
    for kind in _SINGULAR:
        if not isinstance(raw.get(kind), dict) or not raw[kind]:
            raise DataFileError(f"has no {kind}: section of `code: label` lines (restore it from the repository)")
    return Vocab(**{kind: raw[kind] for kind in _SINGULAR})
