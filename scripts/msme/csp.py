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


def editor_policy(backend_api_origins: Sequence[str], media_origins: Sequence[str] = ()) -> str:
    """The web editor's policy (admin/index.html, Decap CMS): its code from the site itself, its
    Git host's API (and, under `./dev editor`, the local backend), pictures from the site, the
    host and the uploads being edited (data:, blob:; Decap also reads uploads back from blob:).
    Two allowances, on this page only, checked in Chromium: Decap validates its configuration
    with Ajv, which compiles schemas with `new Function` ('unsafe-eval'), and styles itself with
    CSS-in-JS (emotion), which inserts <style> elements at run time ('unsafe-inline' for styles;
    scripts stay 'self' only, and the preview pane sanitises the text it renders)."""
    return format_policy(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'", "'unsafe-eval'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:", *media_origins],
            "connect-src": ["'self'", "blob:", *backend_api_origins],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
        }
    )


# The policy of every reader page (overrides/main.html puts it in a <meta> element; see
# page_policy). Material's own inline scripts are moved into docs/assets/msme-material.js, so
# no inline script is allowed at all: content that slipped a <script> or an on…= handler past
# the sanitiser (msme.sanitize) still cannot run. Material styles through its stylesheets and
# the CSSOM (element.style), which a policy does not govern, and writes no style attributes or
# <style> elements with this configuration (no custom admonition icons, no Google fonts): no
# 'unsafe-inline' for styles either.
PAGE_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),  # data: for the icons Material's stylesheets embed
    "font-src": ("'self'",),
    "connect-src": ("'self'",),  # the search index
    "worker-src": ("'none'",),  # no page starts a worker (the site's search runs in the page)
    "manifest-src": ("'self'",),
    "frame-src": ("'none'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}


def page_policy(extra: Mapping[str, Sequence[str]] | None = None) -> str:
    """The reader pages' policy, plus `extra` directives.

    A <meta> policy cannot carry frame-ancestors; the hosting's header can, as
    `page_policy({"frame-ancestors": ["'none'"]})`."""
    return format_policy({**PAGE_DIRECTIVES, **(extra or {})})
