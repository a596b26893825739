"""Build the languages in parallel processes and merge them into the same site a sequential build makes.

Each worker runs the ordinary build with `BuildOptions.only_langs` naming the languages it owns
(msme.build): the build leaves every other language's pages out, so those cost next to nothing. A file belongs to a
language when it lies under `<lang>/` or `assets/cards/<lang>/`; everything else (theme assets,
photos, the default language) belongs to the default language's worker. The sitemap, which
spans all languages, is written after the merge from the entries each worker recorded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from msme import hosting, pagecache, sitemap
from msme.publish import group, mkdocs_command
from msme.siteconfig import load_editable, load_site_config

ENTRIES = "sitemap-entries.json"  # a worker's sitemap entries, removed after the merge


def owner(rel: str, locales: list[str]) -> str:
    """The language whose worker writes the file at site path `rel`."""
    first, _, rest = rel.partition("/")
    if first in locales[1:]:
        return first
    if first == "assets" and rest.startswith("cards/"):
        lang = rest.split("/")[1]
        if lang in locales:
            return lang
    return locales[0]


def _run_workers(
    config: Path, work: Path, locales: list[str], jobs: int, env: Mapping[str, str]
) -> dict[str, tuple[int, str]]:
    """Build each language in its own process group, `jobs` at a time, into work/<lang>; return
    each language's exit code and output. Leaving early (a signal) ends every group still running."""
    from msme.build import BuildOptions  # build imports this module

    options_of = BuildOptions.from_environ
    results: dict[str, tuple[int, str]] = {}
    waiting = list(locales)
    with contextlib.ExitStack() as stack:
        running: dict[str, subprocess.Popen] = {}
        while waiting or running:
            while waiting and len(running) < jobs:
                lang = waiting.pop(0)
                log = stack.enter_context((work / f"{lang}.log").open("w+", encoding="utf-8"))
                options = dataclasses.replace(options_of(env), only_langs=(lang,))
                worker_env = {**options.environ(env), "NO_MKDOCS_2_WARNING": "1"}
                cmd = mkdocs_command(config, work / lang, "-q")
                running[lang] = stack.enter_context(
                    group(cmd, env=worker_env, cwd=config.parent, stdout=log, stderr=subprocess.STDOUT)
                )
            for lang, proc in list(running.items()):
                if proc.poll() is not None:
                    del running[lang]
                    results[lang] = proc.returncode, (work / f"{lang}.log").read_text(encoding="utf-8")
            time.sleep(0.05)
    return results


def build(config: Path, dest: Path, jobs: int | None = None, env: Mapping[str, str] = os.environ) -> int:
    """Build into `dest` (which must be empty) with one worker per language, each started with
    `env` and its languages added to the build options; 0 on success."""
    site_config = load_site_config(config)
    locales = site_config.locales
    work = Path(tempfile.mkdtemp(prefix=".parallel-", dir=dest.parent))
    try:
        outs = {lang: work / lang for lang in locales}
        results = _run_workers(config, work, locales, jobs or os.cpu_count() or 1, env)
        failed = {lang: out for lang, (code, out) in results.items() if code != 0}
        if failed:
            for lang, output in failed.items():
                print(f"[{lang}] {output}", file=sys.stderr)
            return 1
        entries: list[tuple[str, list[dict[str, str]]]] = []
        for lang, out in outs.items():
            side = out / ENTRIES
            entries += [(loc, alts) for loc, alts in json.loads(side.read_text(encoding="utf-8"))]
            side.unlink()
            for path in sorted(out.rglob("*")):
                rel = path.relative_to(out).as_posix()
                if path.is_file() and owner(rel, locales) == lang:
                    target = dest / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
        sitemap.write(dest, entries, site_config)
        settings = load_editable(config).get("extra") or {}
        compressed = pagecache.compressed_folder(config.parent, settings)
        print(hosting.finish(dest, site_config.site_url, locales, compressed))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
