"""Read the few settings the core needs from mkdocs.yml, without importing mkdocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from msme.paths import ROOT

IDENTITY_KEY = "extra.identity"


class _Loader(yaml.SafeLoader):
    """SafeLoader that resolves !ENV exactly as MkDocs does (the same pyyaml_env_tag constructor)
    and tolerates MkDocs' other tags (!relative, !!python/...), whose values the core never needs."""


_Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it: !ENV values taken from the environment, aliases resolved."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


class EnvTag(list):
    """An `!ENV [VARIABLE, ..., default]` value kept as written, not resolved."""


class _KeepEnvLoader(yaml.SafeLoader):
    """Reads !ENV as EnvTag, so a config copied by a test or a benchmark still reads the
    environment when it is built."""


class _KeepEnvDumper(yaml.SafeDumper):
    """Writes EnvTag back as !ENV."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> EnvTag:
    if isinstance(node, yaml.SequenceNode):
        return EnvTag(loader.construct_sequence(node))
    return EnvTag([loader.construct_scalar(node)])


_KeepEnvLoader.add_constructor("!ENV", _env_tag)
_KeepEnvDumper.add_representer(EnvTag, lambda dumper, data: dumper.represent_sequence("!ENV", list(data)))


def load_editable(path: Path) -> dict[str, Any]:
    """mkdocs.yml with its !ENV values kept, to be changed and written with dump_editable."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_KeepEnvLoader)


def dump_editable(cfg: dict[str, Any]) -> str:
    """YAML for a config from load_editable (a value shared by an alias is written once, anchored)."""
    return yaml.dump(cfg, Dumper=_KeepEnvDumper, allow_unicode=True)


@dataclass(frozen=True)
class Language:
    """One language the site is built in."""

    locale: str
    name: str
    default: bool


@dataclass(frozen=True)
class Identity:
    """Who publishes the site (mkdocs.yml `extra.identity`): named on the legal pages, in JSON-LD,
    feeds and open data. Empty strings where a value is not set."""

    publisher: str = ""
    legal_name: str = ""
    email: str = ""
    site_url: str = ""  # as the block writes it; MkDocs' top-level site_url is authoritative
    publisher_is_programme: bool = False
    editor_backend: tuple[tuple[str, str], ...] = ()  # Decap's backend (name, repo, branch, ...)

    @property
    def legal_or_publisher(self) -> str:
        """The legal name, or the publisher's name where no separate legal name is set."""
        return self.legal_name or self.publisher

    @property
    def backend(self) -> dict[str, str]:
        """The web editor's backend settings as a plain mapping."""
        return dict(self.editor_backend)


@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings: languages (default first), site URL and name, and who publishes it."""

    languages: tuple[Language, ...]
    site_url: str
    site_name: str
    identity: Identity = field(default_factory=Identity)

    @property
    def default(self) -> Language:
        """The language originals are written in."""
        return self.languages[0]

    @property
    def locales(self) -> list[str]:
        """Locale codes, default first."""
        return [lang.locale for lang in self.languages]


def _text(value: Any) -> str:
    # An !ENV variable set to "" reads as null, like an absent value: both are "not set".
    return "" if value is None else str(value).strip()


def _flag(value: Any, where: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise ValueError(f"{where}: must be true or false, got {value!r}")


def read_identity(raw: dict[str, Any], path: Path) -> Identity:
    """The `extra.identity` block of a parsed mkdocs.yml (missing keys are empty)."""
    block = (raw.get("extra") or {}).get("identity") or {}
    if not isinstance(block, dict):
        raise ValueError(f"{path}: {IDENTITY_KEY}: must be a mapping of settings")
    return Identity(
        publisher=_text(block.get("publisher")),
        legal_name=_text(block.get("legal_name")),
        email=_text(block.get("email")),
        site_url=_text(block.get("site_url")),
        publisher_is_programme=_flag(
            block.get("publisher_is_programme"), f"{path}: {IDENTITY_KEY}.publisher_is_programme"
        ),
        editor_backend=backend_settings(block.get("editor_backend")),
    )


def backend_settings(value: Any) -> tuple[tuple[str, str], ...]:
    """The web editor's backend settings (a mapping in mkdocs.yml) as (key, text) pairs."""
    return tuple((str(k), _text(v)) for k, v in (value or {}).items())


@lru_cache(maxsize=8)
def load_site_config(path: Path = ROOT / "mkdocs.yml") -> SiteConfig:
    """Parse mkdocs.yml for the i18n plugin's language list, the site URL and the identity block."""
    raw = read_config(path)
    langs: list[Language] = []
    for plugin in raw.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in plugin["i18n"].get("languages", []):
                langs.append(Language(entry["locale"], entry.get("name", entry["locale"]), bool(entry.get("default"))))
    langs.sort(key=lambda lang: not lang.default)
    if not langs or not langs[0].default:
        raise ValueError(f"{path}: plugins.i18n.languages: no default language (set default: true on one)")
    return SiteConfig(tuple(langs), read_site_url(raw), _text(raw.get("site_name")), read_identity(raw, path))


def read_site_url(raw: dict[str, Any]) -> str:
    """MkDocs' site_url as MkDocs uses it: with a trailing slash (an address set without one, as
    a pipeline's variable may be, names the same folder)."""
    url = _text(raw.get("site_url"))
    return url if not url or url.endswith("/") else url + "/"
