"""The real site builds with ProperDocs, the maintained MkDocs 1.x fork, exactly as with MkDocs.

ProperDocs reads the same mkdocs.yml (given with `-f`), loads Material and static-i18n from the
`mkdocs.themes`/`mkdocs.plugins` entry points, runs our `hooks:`, and redirects every `mkdocs.*`
import to `properdocs.*` (`properdocs.replacement`), so the hooks run unchanged. Both packages are
installed side by side; `python -m mkdocs` never loads ProperDocs.

No byte is normalised. The two candidates are absent: Material's generator meta tag, naming the
engine's version, sits in the `site_meta` block that `overrides/main.html` replaces, and
`msme.hosting` writes its `.gz` copies with no timestamp (`mtime=0`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from msme.siteconfig import dump_editable, load_editable

ENGINES = ("mkdocs", "properdocs")

# A hook after ours that records whose config object the build hands to the hooks: proof that
# the ProperDocs build ran ProperDocs, not MkDocs under another name.
PROBE = '''"""Written by tests/test_engines.py: records the engine's config class."""

from pathlib import Path


def on_config(config):
    Path({out!r}).write_text(type(config).__module__, encoding="utf-8")
'''


def build_with(engine: str, tmp: Path) -> tuple[Path, str]:
    """A strict build of the real site (real navigation, its own empty image cache, so each
    engine makes every image itself) with `engine`; returns the built folder and the module of
    the config class the hooks received."""
    project = make_project(tmp, keep_nav=True, cache=tmp / "image-cache")
    probe_out = tmp / "engine.txt"
    probe = tmp / "engine_probe.py"
    probe.write_text(PROBE.format(out=str(probe_out)), encoding="utf-8")
    config_file = project / "mkdocs.yml"
    cfg = load_editable(config_file)
    cfg["hooks"].append(str(probe))
    config_file.write_text(dump_editable(cfg), encoding="utf-8")
    site = tmp / "site"
    proc = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(config_file), "-d", str(site)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "NO_MKDOCS_2_WARNING": "1"},
        cwd=project,
        check=False,
    )
    assert proc.returncode == 0, f"{engine} build failed:\n{proc.stdout}{proc.stderr}"
    return site, probe_out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The real site built once per engine."""
    return {engine: build_with(engine, tmp_path_factory.mktemp(engine)) for engine in ENGINES}


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a built site by its path relative to the site."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    """Where two byte strings first part, with 40 bytes of context either side."""
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    window = slice(max(0, at - 40), at + 40)
    return f"byte {at} (sizes {len(a)}, {len(b)}): {a[window]!r} != {b[window]!r}"


def test_each_engine_ran_its_own_code(builds: dict[str, tuple[Path, str]]) -> None:
    assert {engine: module for engine, (_, module) in builds.items()} == {
        "mkdocs": "mkdocs.config.defaults",
        "properdocs": "properdocs.config.defaults",
    }


def test_same_files(builds: dict[str, tuple[Path, str]]) -> None:
    mkdocs, properdocs = (sorted(tree(builds[engine][0])) for engine in ENGINES)
    assert "index.html" in mkdocs and "fr/index.html" in mkdocs
    only_mkdocs = sorted(set(mkdocs) - set(properdocs))
    only_properdocs = sorted(set(properdocs) - set(mkdocs))
    assert not only_mkdocs and not only_properdocs, f"only MkDocs: {only_mkdocs}\nonly ProperDocs: {only_properdocs}"


def test_same_bytes(builds: dict[str, tuple[Path, str]]) -> None:
    mkdocs, properdocs = (tree(builds[engine][0]) for engine in ENGINES)
    differences = [
        f"{rel}: {first_difference(data, properdocs[rel])}"
        for rel, data in mkdocs.items()
        if rel in properdocs and data != properdocs[rel]
    ]
    compared = sum(len(data) for data in mkdocs.values())
    print(f"{len(mkdocs)} files, {compared:,} bytes compared, {len(differences)} different")
    assert not differences, "\n".join(differences)
