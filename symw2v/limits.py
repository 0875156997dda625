"""Time limits that hold even inside a long SymPy computation.

In the main thread of a process on a POSIX system, ``SIGALRM`` interrupts whatever Python code
is running and raises ``ProofTimeout``; elsewhere the limit falls back to the prover's own
checks between steps (``prove.time_limit``).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from symw2v.errors import ProofTimeout


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def hard_time_limit(seconds: float | None):
    """Raise ``ProofTimeout`` in the body once ``seconds`` have passed (no limit for None)."""
    if not seconds or not _can_alarm():
        yield
        return

    def expire(signum, frame):
        raise ProofTimeout(f"the check ran past its time limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
