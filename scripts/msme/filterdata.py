"""What the story filter reads: per language, `stories/filter.json` with every published story's
facet keys (the catalogue's, as the facet pages use them) and its card, rendered by the same view
and template as the server-side list. The script in docs/assets/filter.js only shows, hides and
orders these cards; it knows nothing about stories.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from msme import l10n, urls, views
from msme.catalogue import FACETS, LIST_ROOT, Catalogue
from msme.paths import ROOT

TEMPLATES = ROOT / "overrides"
CARD = "partials/msme-card.html"
FILE = "filter.json"  # next to the list page it serves: <lang>/stories/filter.json


@cache
def _card_template(folder: Path) -> jinja2.Template:
    # Autoescape as a second guard: the template escapes every value with `| e` already (the
    # theme's environment does not autoescape), and escaped text is not escaped twice.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, auto_reload=False)
    return env.get_template(CARD)


def records(cat: Catalogue, templates: Path = TEMPLATES) -> list[dict[str, Any]]:
    """One record per published story, in catalogue order (newest first): its facet keys and its
    card's HTML, with links relative to the list page (the folder of the file)."""
    default = cat.site.config.default.locale
    ctx = views.Context(cat.lang, l10n.labels(cat.lang, default), cat.site.consent, default)
    page_url = urls.lang_path(LIST_ROOT, cat.lang, default)
    template = _card_template(templates)

    def rel_url(path: str) -> str:
        return urls.relative(urls.lang_path(path, cat.lang, default), page_url)

    out = []
    for e in cat.entries:
        card = views.story_card(e, rel_url(e.path), ctx, views.card_image(cat.site, e, page_url))
        out.append({"keys": {kind: list(e.values(kind)) for kind in FACETS}, "card": template.render(s=card).strip()})
    return out


def write(cat: Catalogue, lang_dir: Path, templates: Path = TEMPLATES) -> Path:
    """Write `stories/filter.json` under a language's root (the site root for the default
    language, `<site>/<lang>/` otherwise); return its path."""
    path = lang_dir / LIST_ROOT / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"facets": list(FACETS), "stories": records(cat, templates)}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path
