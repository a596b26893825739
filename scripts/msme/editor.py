"""The web editor (Decap CMS): its configuration, generated from the content model, and its files.

Collections and fields are derived from `msme.model`, so the form and the validator cannot
disagree: required fields, maximum lengths, patterns, number ranges and controlled values (countries,
sectors, collaboration types) come from the definitions the build validates with; labels, hints,
text areas, a new page's status and which fields stay out of the form from each field's facts
(`model.facts`). Consent ids are typed, not picked from a list: config.yml is public, and a list
would name everyone on record. Which fields a translator sees comes from `model.TRANSLATABLE`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from msme import atomic, csp, l10n, model
from msme.scaffold import GUIDE_TEXT, RECAP_TEXT, STORY_TEXT
from msme.vocab import Vocab

ASSETS = Path(__file__).parent / "editor_assets"
DECAP = "vendor/decap-cms"  # inside tools/: the files msme.vendor kept from Decap's pinned tarball
LOCAL_ENV = "MSME_EDITOR_LOCAL"  # decap-server's port, set by `./dev editor` only
CONSENT_HINT = "A consent id from data/consent.yml: lower-case letters, digits and hyphens, e.g. firstname-lastname"
# Where each Git host's API and the pictures Decap shows (the editor's avatar) come from,
# unless the backend sets api_root.
HOSTS = {
    "github": ("https://api.github.com", ("https://avatars.githubusercontent.com",)),
    "gitlab": ("https://gitlab.com", ("https://gitlab.com", "https://secure.gravatar.com")),
    "gitea": ("https://try.gitea.io", ()),  # Decap's default; a real Gitea sets api_root
    "forgejo": ("https://v10.next.forgejo.org", ()),  # Decap's default; a real Forgejo sets api_root
    "bitbucket": ("https://api.bitbucket.org", ()),
}


@dataclass(frozen=True)
class Collection:
    """One content type as the editor shows it."""

    ctype: str
    folder: str  # under docs/
    label: str
    singular: str
    path: str  # Decap's path template inside the folder
    body: str  # the example sentence a new page's text starts from


COLLECTIONS = (
    # A new page's text starts from the example sentence validation looks for; the command's
    # HTML comment would show as text in the editor's rich-text view, and the hints say the same.
    Collection("story", "stories", "Stories", "Story", "{{slug}}/index", STORY_TEXT),
    Collection("guide", "guides", "Guides", "Guide", "{{slug}}", GUIDE_TEXT),
    Collection("event", "events", "Event recaps", "Event recap", "{{slug}}", RECAP_TEXT),
)
# Set by the build or by hand in the repository only; not for the form (the model says which).
HIDDEN = frozenset(n for n, info in model.Page.model_fields.items() if model.facts(info).get("form") is False)
FIRST = ("title", "summary", "status", "published")
LAST = {"sources", "gaps"}


def _label(name: str, info: FieldInfo) -> str:
    return model.facts(info).get("label") or name.replace("_", " ").capitalize()


def _constraint(metadata: list[Any], name: str) -> Any:
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


class _Builder:
    """Turns pydantic fields into Decap field definitions."""

    def __init__(self, vocab: Vocab) -> None:
        self.choices: dict[str, list[dict[str, str]]] = {
            "countries": [{"label": f"{c} – {l10n.country(c, 'en')}", "value": c} for c in vocab.countries],
            "sectors": [{"label": f"{k} – {v}", "value": k} for k, v in vocab.sectors.items()],
            "collaboration_types": [{"label": v, "value": k} for k, v in vocab.collaboration_types.items()],
            "audiences": [{"label": v, "value": k} for k, v in vocab.audiences.items()],
        }

    def fields(self, cls: type[BaseModel], prefix: str = "") -> list[dict[str, Any]]:
        names = [n for n in cls.model_fields if n not in HIDDEN]
        if not prefix:  # a page: what identifies it first, where its facts come from last
            names.sort(key=lambda n: (n not in FIRST, n in LAST, FIRST.index(n) if n in FIRST else 0))
        return [
            self.field(n, cls.model_fields[n], f"{prefix}.{n}" if prefix else n)
            for n in names
            if model.facts(cls.model_fields[n]).get("form") is not False
        ]

    def field(self, name: str, info: FieldInfo, path: str) -> dict[str, Any]:
        bare, metadata, optional = model.unwrap(info.annotation)
        metadata = [*info.metadata, *metadata]
        out: dict[str, Any] = {"name": name, "label": _label(name, info)}
        if info.description:
            out["hint"] = info.description
        out["required"] = info.is_required() and not optional
        extra = model.facts(info)
        out |= self.widget(name, bare, metadata, path, extra.get("choices"))
        if "widget" in extra:  # an image to upload, several lines of text
            out["widget"] = extra["widget"]
        # (No defaults inside list items: Decap would add an item to every new page's list.)
        if "initial" in extra:
            out["default"] = extra["initial"]  # what a new page starts with, not the model's default
        elif (
            "[]" not in path
            and info.default not in (None, PydanticUndefined)
            and not isinstance(info.default, (list, dict, BaseModel))
        ):
            out["default"] = info.default
        if _translatable(path, out):
            out["i18n"] = True
        return out

    def widget(self, name: str, bare: Any, metadata: list[Any], path: str, choices: str | None) -> dict[str, Any]:
        origin = typing.get_origin(bare)
        if choices == "consent":  # typed, checked by validation: the public config names nobody
            return self.consent_id(name, bare, metadata)
        if choices:
            multiple = origin is list
            return {"widget": "select", "options": self.choices[str(choices)], "multiple": multiple}
        if origin is Literal:
            return {"widget": "select", "options": [str(v) for v in typing.get_args(bare)]}
        if origin is list:
            item, item_meta, _ = model.unwrap(typing.get_args(bare)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                return {"widget": "list", "fields": self.fields(item, f"{path}[]"), "collapsed": True}
            sub = {"name": "item", "label": _label(name, FieldInfo())} | self.widget(
                "item", item, item_meta, f"{path}[]", None
            )
            return {"widget": "list", "field": sub}
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            return {"widget": "object", "fields": self.fields(bare, path), "collapsed": False}
        if bare is dt.date:
            return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
        if bare in (int, float):
            out: dict[str, Any] = {"widget": "number", "value_type": "int" if bare is int else "float"}
            for key, attr in (("min", "ge"), ("max", "le")):
                if (value := _constraint(metadata, attr)) is not None:
                    out[key] = value
            return out
        out = {"widget": "string"}
        if "Url" in getattr(bare, "__name__", ""):
            out["pattern"] = [r"^https?://\S+$", "A full address starting with https://"]
        elif pattern := _constraint(metadata, "pattern"):
            out["pattern"] = [pattern, f"Must match {pattern}"]
        elif longest := _constraint(metadata, "max_length"):
            out["pattern"] = [rf"^[\s\S]{{0,{longest}}}$", f"At most {longest} characters"]
        return out

    def consent_id(self, name: str, bare: Any, metadata: list[Any]) -> dict[str, Any]:
        """A consent id typed as text (a list of them: one text per item), with its pattern."""
        if typing.get_origin(bare) is list:
            item, item_meta, _ = model.unwrap(typing.get_args(bare)[0])
            return {
                "widget": "list",
                "field": {"name": "item", "label": _label(name, FieldInfo())} | self.consent_id(name, item, item_meta),
            }
        return {"widget": "string", "pattern": [_constraint(metadata, "pattern"), CONSENT_HINT]}


def _translatable(path: str, field: dict[str, Any]) -> bool:
    """A leaf a translation may set, or a container with such a leaf inside."""
    if field.get("widget") in ("object", "list") and "fields" in field:
        return any(f.get("i18n") for f in field["fields"])
    return model.is_translatable(path)


def local_port() -> int | None:
    """decap-server's port while `./dev editor` runs (MSME_EDITOR_LOCAL), else None: a built site
    never offers Decap's local backend, which writes to whatever machine runs one."""
    value = os.environ.get(LOCAL_ENV, "")
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{LOCAL_ENV}={value!r}: must be decap-server's port, e.g. 8081")
    return int(value)


# Git hosts whose sign-in runs in the browser alone (OAuth with PKCE: an application id, no
# server of the site's own): their API's path under the host's address.
PKCE_API = {"gitlab": "/api/v4", "gitea": "/api/v1", "forgejo": "/api/v1"}
GITLAB = "https://gitlab.com"


def backend_config(backend: dict[str, Any]) -> dict[str, Any]:
    """Decap's `backend` from the identity block: blank settings left out; GitLab signs in with
    PKCE (Gitea and Forgejo always do) and each PKCE host's API sits under its base_url.
    GitHub has no PKCE: it needs an OAuth proxy as base_url (DEPLOY.md)."""
    out = {k: v for k, v in backend.items() if v not in ("", None)}
    name = out.get("name", "")
    if name == "gitlab":
        out.setdefault("auth_type", "pkce")
        out.setdefault("base_url", GITLAB)
        out.setdefault("auth_endpoint", "oauth/authorize")
    if name in PKCE_API and "base_url" in out:
        out.setdefault("api_root", out["base_url"].rstrip("/") + PKCE_API[name])
    return out


def config(
    vocab: Vocab,
    locales: list[str],
    backend: dict[str, Any],
    site_url: str,
    local_port: int | None = None,
) -> dict[str, Any]:
    """The Decap CMS configuration (config.yml) for the site's content types; with `local_port`,
    Decap's local backend (decap-server on that port) as well."""
    builder = _Builder(vocab)
    collections = []
    for c in COLLECTIONS:
        fields = builder.fields(model.MODELS[c.ctype])
        fields.append(
            {
                "name": "body",
                "label": "Text",
                "widget": "markdown",
                "sanitize_preview": True,  # the preview pane shows the text as HTML on the editor's origin
                "default": c.body + "\n",
                "hint": "The text of the page, in short paragraphs, only from the sources listed. "
                "Facts, activities and results go in the fields above.",
                "i18n": True,
                "required": True,
            }
        )
        collections.append(
            {
                "name": c.folder,
                "label": c.label,
                "label_singular": c.singular,
                "folder": f"docs/{c.folder}",
                "path": c.path,
                "slug": "{{slug}}",
                "extension": "md",
                "format": "frontmatter",
                "create": True,
                "i18n": True,
                "media_folder": "",
                "public_folder": "",
                "summary": "{{title}}",
                "fields": fields,
            }
        )
    local = {"local_backend": {"url": f"http://localhost:{local_port}/api/v1"}} if local_port else {}
    return {
        "backend": backend_config(backend),
        **local,
        "publish_mode": "simple",
        "site_url": site_url,
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "i18n": {"structure": "multiple_files", "locales": locales, "default_locale": locales[0]},
        "collections": collections,
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def origins(cfg: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(API origins, picture origins) the editor may reach: its Git host's (API, sign-in, avatars)
    and, under `./dev editor`, the local backend's."""
    backend = cfg["backend"]
    default_api, pictures = HOSTS.get(backend.get("name", ""), ("", ()))
    urls = (backend.get("api_root") or default_api, backend.get("base_url"), cfg.get("local_backend", {}).get("url"))
    api = list(dict.fromkeys(_origin(u) for u in urls if u))
    return api, list(dict.fromkeys([*api, *pictures]))


def page_depths() -> dict[str, int]:
    """How deep each collection's files sit under its folder (stories: one folder per story)."""
    return {f"docs/{c.folder}": c.path.count("/") + 1 for c in COLLECTIONS}


def write(site_dir: Path, tools: Path, cfg: dict[str, Any]) -> Path:
    """Write the editor into site_dir/admin/: page, configuration, Decap's code (from `tools`,
    the repository's tools/ folder) and the path adapter."""
    code = tools / DECAP
    if not (code / "decap-cms.js").is_file():
        raise FileNotFoundError(
            f"the web editor's code is missing ({code}/decap-cms.js); install it with `./dev build` "
            "or `.venv/bin/python -m msme.vendor`"
        )
    out = site_dir / "admin"
    out.mkdir(parents=True, exist_ok=True)
    # The bundle and the chunks and wasm files it loads on demand, the only files kept from the
    # tarball; dot files are msme.vendor's bookkeeping.
    for src in sorted(code.iterdir()):
        if not src.name.startswith("."):
            atomic.link_or_copy(src, out / src.name)
    settings = {
        "defaultLocale": cfg["i18n"]["default_locale"],
        "depths": page_depths(),
        "templates": [c.body for c in COLLECTIONS],
    }
    page = (ASSETS / "index.html").read_text(encoding="utf-8")
    # JSON in a <script>: "<" escaped so no value can close the element.
    page = page.replace("{{settings}}", json.dumps(settings).replace("<", "\\u003c"))
    # In a double-quoted attribute: quotes in the policy stay readable, only '"' needs escaping.
    page = page.replace("{{csp}}", html.escape(csp.editor_policy(*origins(cfg)), quote=False).replace('"', "&quot;"))
    (out / "index.html").write_text(page, encoding="utf-8")
    for name in ("start.js", "adapter.js"):
        shutil.copyfile(ASSETS / name, out / name)
    text = yaml.dump(cfg, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=120)
    (out / "config.yml").write_text("# Generated from the content model (scripts/msme/editor.py).\n" + text, "utf-8")
    return out


class _PlainDumper(yaml.SafeDumper):
    """Writes repeated option lists out in full: the file is read by people too."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
