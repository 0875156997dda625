"""SIGTERM stops symw2v as cleanly as Ctrl-C does.

Both raise in the main thread, so the same clean-up runs on either (workers stopped, the lines
written so far complete), and the exit status says which signal it was: 130 for SIGINT, 143
for SIGTERM (128 plus the signal's number, as a shell reports a process killed by it).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = {signal.SIGINT, signal.SIGTERM}


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived; a ``KeyboardInterrupt``, so that every handler of Ctrl-C handles it too."""


def signal_name(interruption: KeyboardInterrupt) -> str:
    return "SIGTERM" if isinstance(interruption, Terminated) else "SIGINT"


def exit_status(interruption: KeyboardInterrupt) -> int:
    return 128 + (signal.SIGTERM if isinstance(interruption, Terminated) else signal.SIGINT)


def _terminate(signum, frame) -> None:
    raise Terminated


@contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """While the body runs, SIGTERM raises ``Terminated`` (in the main thread; elsewhere, no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the body runs (writing one output line, say); one that
    arrives meanwhile takes effect as the body ends, so output never ends in half a line."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
