"""Code the site ships from an npm package, fetched as one tarball and pinned by its integrity hash.

The web editor needs only Decap CMS's prebuilt bundle, not the 630 packages `npm install decap-cms`
pulls in. `tools/package.json` names each such package under `"vendor"` (version, `sha512-…`
integrity as in a lock file, the files to keep); `npm pack` fetches the tarball alone, and the
hash is checked before anything is extracted into `tools/vendor/<name>/`.
Run by `./dev` (`python -m msme.vendor`); a no-op once the pinned version is in place.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from msme.paths import TOOLS, VENDOR

MANIFEST = TOOLS / "package.json"
STAMP = ".integrity"  # in the extracted folder: the hash of the tarball it came from


class IntegrityError(Exception):
    """A tarball whose hash is not the pinned one."""


@dataclass(frozen=True)
class Pin:
    """One package the site ships files from."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>", the form npm's lock files use
    files: tuple[str, ...]  # patterns inside the package, e.g. "dist/*.wasm" (no "**")


def pins(manifest: Path = MANIFEST) -> list[Pin]:
    """The packages `manifest`'s "vendor" field pins."""
    vendor = json.loads(manifest.read_text(encoding="utf-8")).get("vendor", {})
    return [Pin(name, p["version"], p["integrity"], tuple(p["files"])) for name, p in vendor.items()]


def integrity_of(tarball: Path) -> str:
    """The tarball's hash in npm's form (Subresource Integrity: algorithm, base64 digest)."""
    digest = hashlib.sha512()
    with tarball.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def verify(tarball: Path, pin: Pin) -> None:
    """Raise IntegrityError unless `tarball` is exactly the pinned one."""
    if not pin.integrity.startswith("sha512-"):
        raise IntegrityError(f"{pin.name}: the pin must be a sha512 integrity string, not {pin.integrity!r}")
    found = integrity_of(tarball)
    if found != pin.integrity:
        raise IntegrityError(
            f"{tarball.name}: refused, its hash is not the one pinned for {pin.name}@{pin.version} "
            f"in tools/package.json (expected {pin.integrity}, found {found}); nothing was extracted"
        )


def _wanted(member: str, pin: Pin) -> bool:
    """Whether a tarball member ("package/dist/x.js") is one of the pin's files, one folder deep
    at most as written: fnmatch's "*" would also cross "/"."""
    path = PurePosixPath(member)
    if path.parts[:1] != ("package",):
        return False
    inner = PurePosixPath(*path.parts[1:])
    for pattern in pin.files:
        want = PurePosixPath(pattern)
        if inner.parent == want.parent and fnmatch.fnmatchcase(inner.name, want.name):
            return True
    return False


def install(tarball: Path, pin: Pin, dest: Path) -> list[str]:
    """Check `tarball` against the pin, then put the pin's files (flat) into `dest`, replacing it
    whole so no file of an older version stays. Returns the names written."""
    verify(tarball, pin)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        names = []
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar:
                if member.isfile() and _wanted(member.name, pin):
                    src = tar.extractfile(member)
                    assert src is not None  # a regular file always has a body
                    with src, (tmp / PurePosixPath(member.name).name).open("wb") as out:
                        shutil.copyfileobj(src, out)
                    names.append(PurePosixPath(member.name).name)
        missing = [p for p in pin.files if not any(fnmatch.fnmatchcase(n, PurePosixPath(p).name) for n in names)]
        if missing:
            raise IntegrityError(f"{pin.name}@{pin.version}: the tarball has no {', '.join(missing)}")
        (tmp / STAMP).write_text(pin.integrity + "\n", encoding="utf-8")
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(names)


def installed(pin: Pin, dest: Path) -> bool:
    """Whether `dest` holds the files of exactly this pin."""
    stamp = dest / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == pin.integrity


def npm_pack(pin: Pin, folder: Path) -> Path:
    """Download the package's tarball alone (no dependencies) into `folder` with npm's own client."""
    if shutil.which("npm") is None:
        raise FileNotFoundError("npm not found: install Node.js and npm (apt-get install nodejs npm)")
    subprocess.run(
        [
            "npm",
            "pack",
            f"{pin.name}@{pin.version}",
            "--pack-destination",
            str(folder),
            "--ignore-scripts",
            "--loglevel=error",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = folder.glob("*.tgz")
    return tarball


def main() -> int:
    """Install every pinned package not yet in tools/vendor/; 1 with the reason when one is refused."""
    try:
        for pin in pins():
            dest = VENDOR / pin.name
            if installed(pin, dest):
                continue
            with tempfile.TemporaryDirectory() as tmp:
                install(npm_pack(pin, Path(tmp)), pin, dest)
            print(f"{pin.name}@{pin.version}: checked and extracted into {dest.relative_to(TOOLS.parent)}/")
    except (IntegrityError, FileNotFoundError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
