"""Build the site into a temporary folder and swap it in only when the build succeeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def atomic_build(config: Path, dest: Path, extra_env: dict[str, str] | None = None, jobs: int = 1) -> int:
    """Run a strict build (languages in `jobs` parallel processes when above 1) into a sibling temp
    folder; replace `dest` only on success."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=dest.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    if jobs > 1:
        from msme import parallel

        returncode = parallel.build(config, tmp, jobs)
    else:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp)]
        returncode = subprocess.run(cmd, env=env, cwd=config.parent, check=False).returncode
    if returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"Build failed; the previous site in {dest} is unchanged.", file=sys.stderr)
        return returncode
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    tmp.chmod(0o755)  # mkdtemp makes it private; a site is read by a web server
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site built in {dest}")
    return 0
