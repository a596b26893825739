"""Build the site into a temporary folder and swap it in only when the build succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def atomic_build(config: Path, dest: Path, extra_env: dict[str, str] | None = None) -> int:
    """Run a strict MkDocs build into a sibling temp folder; replace `dest` only on success."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=dest.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp)]
    result = subprocess.run(cmd, env=env, cwd=config.parent, check=False)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"Build failed; the previous site in {dest} is unchanged.", file=sys.stderr)
        return result.returncode
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site built in {dest}")
    return 0
