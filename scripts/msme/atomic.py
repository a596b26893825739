"""Files that appear whole or not at all: a reader (a server, a parallel build, another worker)
never sees half a file, and an interrupted write leaves the old file in place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The process's umask, read once (setting it is the only way to read it): files written here get
# the permissions a plain open() would give, not mkstemp's owner-only 0600, which a web server
# running as another user could not read.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_bytes(target: Path, data: bytes) -> None:
    """Write `target` through a temporary file beside it, renamed over it in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    """`write_bytes` of UTF-8 text."""
    write_bytes(target, text.encode("utf-8"))


def link_or_copy(kept: Path, target: Path) -> None:
    """Put the file `kept` (in a cache) at `target`: a hard link, no bytes copied, when both are
    on one file system, else a copy. Safe because nothing rewrites a site's file in place (MkDocs,
    the builder and `hosting.precompress` replace files), so the cache's copy cannot change."""
    target.unlink(missing_ok=True)
    try:
        os.link(kept, target)
    except OSError:
        shutil.copyfile(kept, target)
