"""Build the site into a new folder and switch to it in one atomic step, only when the build succeeds.

`site` is a symbolic link to a versioned folder beside it (`.site-<id>/`). A build writes a new
folder, then replaces the link with one pointing at it (`os.replace`: one rename, atomic on
POSIX), so a web server reading `site/` finds the old site or the new one, never nothing. The
previous folder is kept (`site.previous`) until the next build, so a reader already on its way
into it is not cut off, and removed then. A failed or interrupted build (Ctrl-C, SIGTERM)
removes its folder and stops every process it started: MkDocs runs in a process group of its
own, with its image workers, and the whole group is ended.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PREFIX = ".site-"  # versioned site folders and build folders, beside the `site` link
GRACE = 10.0  # seconds a stopped process group gets to clean up before it is killed


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived during a build (a BaseException, so no `except Exception` hides it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def signals_stop() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Stopped` for the block (main thread only), so cleanup runs.

    After the first signal both are ignored until the block ends: the cleanup is not cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
        raise Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a recycled id now used by someone else's group: not ours
        return False
    return True


def stop_group(proc: subprocess.Popen, grace: float = GRACE) -> None:
    """End the process group `proc` leads: SIGTERM (its image workers clean up and exit), then
    SIGKILL for anything still there after `grace` seconds."""
    deadline = time.monotonic() + grace
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _group_alive(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@contextlib.contextmanager
def group(cmd: list[str], **popen: Any) -> Iterator[subprocess.Popen]:
    """Start `cmd` as the leader of a new process group; leaving the block before the group has
    ended (failure, Ctrl-C, SIGTERM) ends the whole group."""
    proc = subprocess.Popen(cmd, process_group=0, **popen)
    try:
        yield proc
    finally:
        if proc.poll() is None or _group_alive(proc.pid):
            stop_group(proc)


def mkdocs_command(config: Path, out: Path, *extra: str) -> list[str]:
    """A strict MkDocs build of `config` into `out`."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", *extra, "-f", str(config), "-d", str(out)]


def atomic_build(config: Path, dest: Path, extra_env: dict[str, str] | None = None, jobs: int = 1) -> int:
    """Run a strict build (languages in `jobs` parallel processes when above 1) into a new folder
    beside `dest`; point `dest` at it only on success. Returns the exit code (128 + the signal's
    number when interrupted)."""
    dest = dest.parent.resolve() / dest.name  # not dest.resolve(): dest is the link itself
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    tmp: Path | None = None
    with signals_stop():
        try:
            tmp = Path(tempfile.mkdtemp(prefix=PREFIX, dir=dest.parent))
            if jobs > 1:
                from msme import parallel

                returncode = parallel.build(config, tmp, jobs, env)
            else:
                with group(mkdocs_command(config, tmp), env=env, cwd=config.parent) as proc:
                    returncode = proc.wait()
            if returncode != 0:
                print(f"Build failed; the previous site in {dest} is unchanged.", file=sys.stderr)
                return returncode
            # A signal now would leave no site half-switched: it waits until the switch is done.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                switch(dest, tmp)
                tmp = None  # it is the site now
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        except Stopped as exc:
            kept = "the previous site is unchanged" if tmp is not None else "the new site is in place"
            print(f"Build stopped ({exc}); {kept} in {dest}.", file=sys.stderr)
            return 128 + exc.signum
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
    print(f"Site built in {dest}")
    return 0


def switch(dest: Path, new: Path) -> None:
    """Point the link `dest` at the folder `new` (a sibling) in one rename. The folder it pointed
    at stays as `<dest>.previous` until the next switch: a reader that has just followed the old
    link still finds its file. A real folder left at `dest` by an older build is moved aside
    first, once (the only moment `dest` is briefly missing)."""
    new.chmod(0o755)  # mkdtemp makes it private; a site is read by a web server
    previous = dest.with_name(f"{dest.name}.previous")
    oldest, current = _target(previous), _target(dest)
    if dest.exists() and not dest.is_symlink():  # the one-time migration from a real folder
        current = dest.with_name(f"{PREFIX}old-{os.getpid()}")
        dest.rename(current)
    _link(dest, new)
    if current is not None:
        _link(previous, current)
    if oldest is not None and oldest not in (new, current):
        shutil.rmtree(oldest, ignore_errors=True)


def _link(path: Path, target: Path) -> None:
    """Make `path` a link to the sibling `target` in one step (a new link renamed over the old)."""
    tmp = path.with_name(f"{PREFIX}link-{os.getpid()}")
    try:
        tmp.symlink_to(target.name, target_is_directory=True)  # relative: the checkout may move
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _target(link: Path) -> Path | None:
    """The versioned folder `link` points at; None when it is no link of ours."""
    if not link.is_symlink():
        return None
    target = link.parent / os.readlink(link)
    return target if target.parent == link.parent and target.name.startswith(PREFIX) else None
