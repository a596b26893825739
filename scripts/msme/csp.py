"""Content-Security-Policy: one formatter for the policies the site ships (pages, editor, hosting)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence


def script_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style text."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def format_policy(directives: Mapping[str, Sequence[str]]) -> str:
    """`{'default-src': ["'self'"], ...}` as a policy string, directives in the given order."""
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())
