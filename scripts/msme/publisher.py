"""Who publishes the site, in page text: `{{ publisher }}`, `{{ legal_name }}` and `{{ email }}` in
a page's Markdown become the values of mkdocs.yml's `extra.identity` when the site is built.

The tokens hold no digits and no link syntax, so the translation checker sees them as plain words
and every translation keeps them as they are.
"""

from __future__ import annotations

import html
import re

from msme.siteconfig import Identity

TOKEN = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|])")


def _plain(text: str) -> str:
    """Text that Markdown prints as written: a name like `A_B_C` or `X & <Y>` stays a name."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def values(identity: Identity) -> dict[str, str]:
    """Markdown for each token."""
    return {
        "publisher": _plain(identity.publisher),
        "legal_name": _plain(identity.legal_or_publisher),
        "email": f"<{identity.email}>" if identity.email else "",  # an automatic mailto: link
    }


def unknown(markdown: str) -> list[str]:
    """Tokens in `markdown` that name no identity value (typing mistakes)."""
    known = values(Identity())
    return [m.group(0) for m in TOKEN.finditer(markdown) if m.group(1) not in known]


def fill(markdown: str, identity: Identity) -> str:
    """`markdown` with every token replaced; ValueError naming the first unknown token."""
    table = values(identity)
    bad = unknown(markdown)
    if bad:
        raise ValueError(f"{bad[0]}: unknown token (use one of {', '.join('{{ ' + k + ' }}' for k in table)})")
    return TOKEN.sub(lambda m: table[m.group(1)], markdown)
