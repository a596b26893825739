"""Go-live checks: what a production build refuses, one line each, `mkdocs.yml: setting: problem (fix)`.

A production build is `./dev build --production`, or any build with `MSME_BUILD={"production": true}`
(the deploy pipelines set it, so a plain `mkdocs build` there cannot skip the checks; msme.build).
It refuses placeholder values (reserved example names, RFC 2606 and RFC 6761), a missing
publisher, legal name or contact address, Decap's local backend, and the authoring modes
(preview, a fixed date, a partial site).
The ordinary build and the preview accept all of these.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from msme.content import Problem
from msme.editor import LOCAL_ENV, PKCE_API
from msme.siteconfig import (
    IDENTITY_KEY,
    EnvTag,
    Identity,
    backend_settings,
    load_editable,
    read_config,
    read_identity,
    read_site_url,
)

RESERVED_DOMAINS = ("example.org", "example.com", "example.net")  # RFC 2606, section 3
RESERVED_TLDS = ("example", "test", "invalid", "localhost")  # RFC 2606 section 2, RFC 6761
PLACEHOLDER_REPO = "OWNER/REPOSITORY"
LOCAL_BACKENDS = ("proxy", "test-repo")  # Decap's decap-server and in-memory backends
EMAIL = re.compile(r"^[^@\s<>()]+@([^@\s<>()]+\.[^@\s<>()]+)$")
LOCAL_WHY = "the web editor would offer Decap's local backend, which saves to the machine that runs it"


def reserved(host: str) -> str:
    """Why `host` cannot be a real site's or mailbox's (a reserved example name, a loopback or
    private address), or '' when it can."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if ".".join(labels[-2:]) in RESERVED_DOMAINS:
        return f"{'.'.join(labels[-2:])} is reserved for examples (RFC 2606)"
    if labels[-1] in RESERVED_TLDS:
        return f".{labels[-1]} is a reserved name (RFC 2606, RFC 6761)"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ""
    return f"{host} is not a public address" if not address.is_global else ""


def _setting(editable: dict[str, Any], dotted: str) -> str:
    """How to set a value: its environment variable(s), if mkdocs.yml reads one, and its key."""
    node: Any = editable
    for key in dotted.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    names = list(node[:-1] if len(node) > 1 else node) if isinstance(node, EnvTag) else []
    return f"set {' or '.join(names)}, or {dotted} in mkdocs.yml," if names else f"set {dotted} in mkdocs.yml"


def _site_url(url: str, how: str) -> list[str]:
    fix = f"({how} to the address the site is published at)"
    if not url:
        return [f"not set {fix}"]
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return [f"{url!r} is not an absolute https:// address {fix}"]
    why = reserved(parts.hostname)
    return [f"{url!r} is a placeholder: {why} {fix}"] if why else []


def _email(email: str, how: str) -> list[str]:
    fix = (
        f"({how} to an address someone reads: the privacy, accessibility and legal pages give it for removal requests)"
    )
    if not email:
        return [f"not set {fix}"]
    match = EMAIL.match(email)
    if match is None:
        return [f"{email!r} is not an e-mail address {fix}"]
    why = reserved(match.group(1))
    return [f"{email!r} is a placeholder: {why} {fix}"] if why else []


def _backend(backend: dict[str, str], how: Callable[[str], str]) -> list[tuple[str, str]]:
    """(key, problem) for the web editor's backend: a real Git host and repository."""
    problems = []
    name, repo = backend.get("name", ""), backend.get("repo", "")
    fix = f"({how('name')} to the Git host the web editor saves to: github, gitlab, gitea, ...)"
    if not name:
        problems.append(("name", f"not set {fix}"))
    elif name in LOCAL_BACKENDS:
        problems.append(("name", f"{name!r} saves nowhere a deployed site can reach {fix}"))
    fix = f"({how('repo')} to the repository the web editor saves to, as owner/name)"
    if not repo:
        problems.append(("repo", f"not set {fix}"))
    elif repo.upper() == PLACEHOLDER_REPO:
        problems.append(("repo", f"{repo!r} is a placeholder {fix}"))
    if name in PKCE_API and not backend.get("app_id"):
        fix = (
            f"({how('app_id')} to the id of an OAuth application registered on the Git host, "
            "with the site's admin/ address as its redirect URL; DEPLOY.md)"
        )
        problems.append(("app_id", f"not set: editors could not sign in {fix}"))
    if name == "github" and not backend.get("base_url"):
        fix = f"({how('base_url')} to your OAuth proxy's address, or use gitlab, gitea or forgejo; DEPLOY.md)"
        problems.append(("base_url", f"not set: GitHub's sign-in needs an OAuth proxy {fix}"))
    for key in ("api_root", "base_url"):  # a self-hosted Git host's address
        host = urlsplit(backend.get(key, "")).hostname
        if host and reserved(host):
            problems.append((key, f"{backend[key]!r} is a placeholder: {reserved(host)} ({how(key)})"))
    return problems


def _identity(raw: dict[str, Any], ident: Identity, how: Callable[[str], str]) -> list[tuple[str, str]]:
    """(setting, problem) for the publisher, the site's address and the contact address."""
    key = IDENTITY_KEY
    site_url = read_site_url(raw)
    out = [("site_url", m) for m in _site_url(site_url, how(f"{key}.site_url"))]
    if ident.site_url and ident.site_url.rstrip("/") != site_url.rstrip("/"):
        why = f"differs from site_url {site_url!r} (keep `site_url: *site_url` in mkdocs.yml: one address, set once)"
        out.append((f"{key}.site_url", f"{ident.site_url!r} {why}"))
    if not ident.publisher:
        out.append((f"{key}.publisher", f"not set ({how(f'{key}.publisher')} to the name the site is published under)"))
    if not ident.legal_name:
        fix = f"({how(f'{key}.legal_name')} to the publisher's legal name)"
        out.append((f"{key}.legal_name", f"not set: the legal notice must name who is responsible for the site {fix}"))
    out += [(f"{key}.email", m) for m in _email(ident.email, how(f"{key}.email"))]
    return out


def _editor(raw: dict[str, Any], ident: Identity, how: Callable[[str], str]) -> list[tuple[str, str]]:
    """(setting, problem) for the web editor: where it saves, and never Decap's local backend."""
    key = f"{IDENTITY_KEY}.editor_backend"
    out = [(f"{key}.{k}", m) for k, m in _backend(ident.backend, lambda k: how(f"{key}.{k}"))]
    editor = (raw.get("extra") or {}).get("editor") or {}
    if "backend" in editor and backend_settings(editor["backend"]) != ident.editor_backend:
        out.append(("extra.editor.backend", f"differs from {key} (write `backend: *editor_backend`: one place)"))
    if editor.get("local_backend") or "local_backend" in ident.backend:
        fix = "remove it: `./dev editor` offers Decap's local backend in the local preview only"
        out.append(("local_backend", f"set: the deployed web editor would save to the reader's machine ({fix})"))
    return out


def check(path: Path, environ: Mapping[str, str] = os.environ, options: Any = None) -> list[Problem]:
    """Everything that keeps the site configured in `path` (its !ENV values read from the current
    environment, as MkDocs reads them) from going live, built with `options` (a
    `msme.build.BuildOptions`; those of `environ` when None); an empty list when it is ready."""
    from msme.build import ENV, BuildOptions  # build imports this module

    options = options or BuildOptions.from_environ(environ)
    raw = read_config(path)
    editable = load_editable(path)
    ident = read_identity(raw, path)

    def how(dotted: str) -> str:
        return _setting(editable, dotted)

    found = _identity(raw, ident, how) + _editor(raw, ident, how)
    out = [Problem(path.name, setting, message) for setting, message in found]
    for name, why in options.authoring().items():
        value = json.dumps(getattr(options, name), default=str)
        out.append(Problem("environment", f"{ENV}.{name}", f"set to {value}: {why} (leave {name} out)"))
    if environ.get(LOCAL_ENV):
        out.append(Problem("environment", LOCAL_ENV, f"set to {environ[LOCAL_ENV]!r}: {LOCAL_WHY} (unset {LOCAL_ENV})"))
    return out
