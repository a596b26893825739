"""Process pools for the build's heavy jobs (images, booklets): when the run stops early (Ctrl-C,
SIGTERM, an error) what is queued is cancelled and the workers are terminated, each removing its
unfinished output first, so no process and no half-written file is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Terminated(SystemExit):
    """SIGTERM in a pool worker (SystemExit: an idle worker exits quietly)."""


def _terminated(signum: int, frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)  # a second SIGTERM must not cut the cleanup short
    raise Terminated(128 + signum)


def _init_worker() -> None:
    """A pool worker leaves Ctrl-C to the build, which stops it; SIGTERM removes its unfinished
    output before it exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)


def _interrupted(signum: int, frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)  # once: stopping the workers must not be cut short
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def sigterm_stops() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does (an exception, so unfinished outputs are removed)."""
    if threading.current_thread() is not threading.main_thread():  # only there can Python catch it
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool that, when the run stops early (Ctrl-C, SIGTERM, an error), cancels what is
    queued and terminates its workers, leaving no process behind."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
    try:
        yield pool
    except BaseException:
        # ProcessPoolExecutor has no public way to stop running workers before Python 3.14.
        procs, manager = list((pool._processes or {}).values()), pool._executor_manager_thread
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if manager is not None:  # done before exit, or its exit hook races with its cleanup
            manager.join(timeout=10)
        raise
    pool.shutdown()


def task(func: Callable[[T], Any], item: T) -> Any:
    """`func(item)` in a pool worker (map it with functools.partial): on SIGTERM the worker ends
    at once, with the signal's code, after `func` has removed its unfinished output."""
    try:
        return func(item)
    except Terminated as exc:
        os._exit(exc.code)
