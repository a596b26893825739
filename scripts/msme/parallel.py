"""Build the languages in parallel processes and merge them into the same site a sequential build makes.

Each worker runs the ordinary build with MSME_ONLY_LANGS naming the languages it owns: the glue
leaves every other language's pages out, so those cost next to nothing. A file belongs to a
language when it lies under `<lang>/` or `assets/cards/<lang>/`; everything else (theme assets,
photos, the default language) belongs to the default language's worker. The sitemap, which
spans all languages, is written after the merge from the entries each worker recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from msme import sitemap
from msme.siteconfig import load_site_config

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


def _worker(config: Path, out: Path, langs: list[str]) -> tuple[int, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MSME_ONLY_LANGS": ",".join(langs)}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(out)]
    proc = subprocess.run(cmd, env=env, cwd=config.parent, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def build(config: Path, dest: Path, jobs: int | None = None) -> int:
    """Build into `dest` (which must not exist) with one worker per language; 0 on success."""
    site_config = load_site_config(config)
    locales = site_config.locales
    work = Path(tempfile.mkdtemp(prefix=".parallel-", dir=dest.parent))
    try:
        outs = {lang: work / lang for lang in locales}
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            results = dict(
                zip(locales, pool.map(lambda lang: _worker(config, outs[lang], [lang]), locales), strict=True)
            )
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
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
