"""Repairs to markup that Material's own templates emit invalid (found by the Nu HTML Checker)."""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
EMPTY_TABINDEX = re.compile(r'\s+tabindex=""')
LABEL_FOR = re.compile(r'<label\b([^>]*?)\sfor="([^"]+)"')


def fix(html: str) -> str:
    """Drop `autocomplete` from checkboxes, empty `tabindex`, and `for` on labels whose control is absent."""
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = EMPTY_TABINDEX.sub("", html)
    return LABEL_FOR.sub(lambda m: m.group(0) if f'id="{m.group(2)}"' in html else f"<label{m.group(1)}", html)
