"""Read the few settings the core needs from mkdocs.yml, without importing mkdocs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from msme.paths import ROOT


class _Loader(yaml.SafeLoader):
    """SafeLoader that tolerates MkDocs' !ENV and !!python tags (their values are not needed)."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Language:
    """One language the site is built in."""

    locale: str
    name: str
    default: bool


@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings: languages (default first), site URL and name."""

    languages: tuple[Language, ...]
    site_url: str
    site_name: str

    @property
    def default(self) -> Language:
        """The language originals are written in."""
        return self.languages[0]

    @property
    def locales(self) -> list[str]:
        """Locale codes, default first."""
        return [lang.locale for lang in self.languages]


@lru_cache(maxsize=8)
def load_site_config(path: Path = ROOT / "mkdocs.yml") -> SiteConfig:
    """Parse mkdocs.yml for the i18n plugin's language list and the site URL."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    langs: list[Language] = []
    for plugin in raw.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in plugin["i18n"].get("languages", []):
                langs.append(Language(entry["locale"], entry.get("name", entry["locale"]), bool(entry.get("default"))))
    langs.sort(key=lambda lang: not lang.default)
    if not langs or not langs[0].default:
        raise ValueError(f"{path}: plugins.i18n.languages: no default language (set default: true on one)")
    return SiteConfig(tuple(langs), raw.get("site_url", ""), raw.get("site_name", ""))
