"""Shared test helpers: build real or fixture sites into temporary folders."""

from __future__ import annotations

import contextlib
import dis
import functools
import http.server
import inspect
import os
import shutil
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))


@dataclass
class Build:
    """The result of one `mkdocs build --strict`."""

    code: int
    output: str
    site: Path

    def html(self, rel: str) -> str:
        """Text of one built file."""
        return (self.site / rel).read_text(encoding="utf-8")


def make_project(
    tmp: Path,
    docs: Path | None = None,
    consent: Path | None = None,
    *,
    keep_nav: bool = False,
    languages: list[dict] | None = None,
    cache: Path | None = None,
) -> Path:
    """A throwaway copy of the project config pointing at a copy of `docs` (default: the real docs)."""
    from msme.siteconfig import dump_editable, load_editable  # keeps !ENV: builds read the environment

    cfg = load_editable(ROOT / "mkdocs.yml")
    target = tmp / "docs"
    shutil.copytree(docs or ROOT / "docs", target)
    if not (target / "assets").exists():
        shutil.copytree(ROOT / "docs" / "assets", target / "assets")
    cfg["docs_dir"] = str(target)
    cfg["theme"]["custom_dir"] = str(ROOT / "overrides")
    cfg["hooks"] = [str(ROOT / "scripts" / "mkdocs_hooks.py")]
    cfg.setdefault("extra", {})["consent_file"] = str(consent or ROOT / "data" / "consent.yml")
    # Cards and photos are cached by content hash, so sharing the repository's cache is safe and fast.
    cfg["extra"]["image_cache"] = str(cache or ROOT / ".cache" / "images")
    if languages is not None:
        for plugin in cfg["plugins"]:
            if isinstance(plugin, dict) and "i18n" in plugin:
                plugin["i18n"]["languages"] = languages
    if not keep_nav:
        cfg.pop("nav", None)
    (tmp / "mkdocs.yml").write_text(dump_editable(cfg), encoding="utf-8")
    return tmp


def build(project: Path, env: dict[str, str] | None = None) -> Build:
    """Run a strict build of `project` into project/site (with extra environment variables) and
    capture everything it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    site = project / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        check=False,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site, built once per test session with its real navigation."""
    project = make_project(tmp_path_factory.mktemp("real"), keep_nav=True)
    result = build(project)
    assert result.code == 0, result.output
    return result


def bakery_story(people_and_quotes: str, text: str) -> str:
    """A published fictional story naming jane-fictional: `people_and_quotes` are its YAML lines."""
    return (
        "---\ntitle: Fictional bakers learn to laminate\nsummary: A fictional exchange.\nstatus: published\n"
        "published: 2026-01-01\nsending: {name: Example Fictional Bakery, country: ES}\n"
        "host: {name: Imaginary Tools GmbH, country: DE}\ncollaboration_types: [training]\n"
        f'{people_and_quotes}sources:\n  - {{title: Fixture, url: "https://example.org/fixture"}}\n---\n{text}'
    )


# Counts the quality tests record, printed at the end of every run (the issue asks to see them).
QUALITY_COUNTS: dict[str, dict[str, int]] = {}


def record(check: str, lang: str, count: int) -> None:
    """Add `count` findings of `check` for `lang` to the end-of-run summary."""
    QUALITY_COUNTS.setdefault(check, {}).setdefault(lang, 0)
    QUALITY_COUNTS[check][lang] += count


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the quality counts per language as a table."""
    if not QUALITY_COUNTS:
        return
    langs = sorted({lang for row in QUALITY_COUNTS.values() for lang in row}, key=lambda x: (x != "en", x))
    tr = terminalreporter
    tr.section("quality counts (0 expected everywhere)")
    tr.write_line(f"{'check':<28}" + "".join(f"{lang:>6}" for lang in langs) + f"{'total':>8}")
    for check, row in QUALITY_COUNTS.items():
        cells = "".join(f"{row.get(lang, 0):>6}" for lang in langs)
        tr.write_line(f"{check:<28}{cells}{sum(row.values()):>8}")


def require_tool(path: str, install: str) -> str:
    """Fail (never skip) with a clear message when a tool the quality tests need is missing."""
    if shutil.which(path) is None and not Path(path).exists():
        pytest.fail(f"{path} not found: {install}", pytrace=False)
    return path


def lang_of(rel: str, langs: list[str]) -> str:
    """Language of a built file from its path (no prefix = English)."""
    first = rel.split("/", 1)[0]
    return first if first in langs else "en"


AXE = ROOT / "tools/node_modules/axe-core/axe.min.js"
CHROMIUM = "/usr/bin/chromium"
PREFIX = "/mobilise/"  # sites are served under a sub-path, as a real deployment may be
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) under PREFIX; yield its base URL."""
    handler = functools.partial(_SubPathHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright; no browser is downloaded."""
    require_tool(CHROMIUM, "install Debian's Chromium (apt-get install chromium)")
    if not AXE.is_file():
        pytest.fail(f"{AXE} missing: run `npm ci --prefix tools` (./dev test does it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Fast or slow, decided from what a test runs, never by hand: `./dev test --fast` runs `-m "not slow"`.
# A test is slow when its code, its fixtures' code or the test helpers they call reach one of these:
# a site build (a project made to be built, whatever engine then builds it; a build in a subprocess,
# in process or atomically) or an outside program (require_tool: Chromium, nginx, java, node and
# Lighthouse). Everything else is fast.
SLOW_CALLS = {
    ("conftest", "make_project"),
    ("conftest", "build"),
    ("conftest", "require_tool"),
    ("msme.publish", "atomic_build"),
    ("mkdocs.commands.build", "build"),
}


def _is_helper(obj: object) -> bool:
    """A plain function of the test suite, which may itself reach something slow."""
    module = getattr(obj, "__module__", "") or ""
    return inspect.isfunction(obj) and (module == "conftest" or module.rpartition(".")[2].startswith("test_"))


def _calls(code: types.CodeType, names: dict[str, Any]) -> Iterator[tuple[tuple[str, str], object]]:
    """What a function's code names, as `(module, name)` and the object: the globals it reads and
    what it imports inside itself."""
    codes = [code]
    while codes:  # the function and the code nested in it (comprehensions, closures, lambdas)
        current = codes.pop()
        codes += [c for c in current.co_consts if inspect.iscode(c)]
        imported = ""
        for ins in dis.get_instructions(current):
            if ins.opname == "IMPORT_NAME":
                imported = ins.argval
            elif ins.opname == "IMPORT_FROM":
                yield (imported, ins.argval), None
            elif ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval in names:
                obj = inspect.unwrap(names[ins.argval])  # contextmanager helpers (nginx) wrap their generator
                yield (getattr(obj, "__module__", ""), getattr(obj, "__qualname__", "")), obj


@functools.cache
def is_slow(func: Callable[..., object]) -> bool:
    """Whether `func` calls something in SLOW_CALLS, directly or through the suite's own helpers."""
    todo, seen = [inspect.unwrap(func)], set()
    while todo:
        current = todo.pop()
        seen.add(current)
        for key, obj in _calls(current.__code__, current.__globals__):
            if key in SLOW_CALLS:
                return True
            if _is_helper(obj) and obj not in seen:
                todo.append(obj)
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test `slow` or `fast` (see SLOW_CALLS)."""
    for item in items:
        # The fixtures a test uses, each fixture's own fixtures included (item.fixturenames).
        # _fixtureinfo is pytest's, private but stable since pytest 3: no public way names the functions.
        defs = getattr(item, "_fixtureinfo", None)
        fixtures = [d.func for name in item.fixturenames for d in (defs.name2fixturedefs.get(name, ()) if defs else ())]
        funcs = [getattr(item, "obj", None), *fixtures]
        slow = any(is_slow(f) for f in funcs if _is_helper(inspect.unwrap(f)))
        item.add_marker(pytest.mark.slow if slow else pytest.mark.fast)
