"""Read the YAML files under data/: one reader, so every bad file gets a `problem (fix)`, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The tables a guide can show under its text (model.Guide.data_table), and the shape of each file.
DATA_TABLES: dict[str, type[dict] | type[list]] = {"grants": dict, "contact_points": list}
# safe_load's rules (YAML 1.1, as the files were written for), through libyaml when built with it:
# the label files are read on every validation.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_FIX = "check indentation, and quote values that contain ': '"


class DataFileError(ValueError):
    """A data file that cannot be read; the message is `problem (fix)`."""


def encoding_problem(exc: UnicodeDecodeError, data: bytes) -> str:
    """Which byte of a file is not UTF-8, and where, as `problem (fix)`."""
    line = data.count(b"\n", 0, exc.start) + 1
    return f"is not UTF-8 text: byte {data[exc.start]:#04x} on line {line} cannot be read (save the file as UTF-8)"


def yaml_problem(exc: yaml.YAMLError, first_line: int = 1) -> str:
    """Where and why YAML failed, as `problem (fix)`; `first_line` is the file line the YAML starts on."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"YAML does not parse{where}: {what} ({YAML_FIX})"


def read_yaml(path: Path, shape: type[dict] | type[list] = dict) -> Any:
    """A data file's content, which must be a mapping (or a list); raise DataFileError naming the fix."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"is missing (restore {path.name} from the repository)") from None
    try:
        raw = yaml.load(data.decode("utf-8"), Loader=_LOADER)
    except UnicodeDecodeError as exc:
        raise DataFileError(encoding_problem(exc, data)) from None
    except yaml.YAMLError as exc:
        raise DataFileError(yaml_problem(exc)) from None
    if raw is None:
        return shape()
    if not isinstance(raw, shape):
        wanted = "a mapping of `key: value` lines" if shape is dict else "a list of `- ` items"
        found = {dict: "a mapping", list: "a list"}.get(type(raw), "a single value")
        raise DataFileError(f"must hold {wanted}, not {found} (restore its layout from the repository)")
    return raw
