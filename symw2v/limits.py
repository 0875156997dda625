"""Time limits that hold even inside a long SymPy computation, counted in CPU time.

A limit counts the CPU time this process spends, not the time on the clock: a verdict must
not depend on how busy the machine is (on a loaded machine a wall-clock limit turns a claim
refuted in one run into one undecided in the next).  In the main thread of a process on a
POSIX system, ``SIGPROF`` (the profiling timer, which runs while the process runs) interrupts
whatever Python code is running and raises ``ProofTimeout``; elsewhere the limit falls back to
the prover's own checks between steps (``prove.time_limit``).  Limits nest: an inner one never
outlasts the outer one, and the outer one goes on counting after it.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from symw2v.errors import ProofTimeout

REPEAT = 0.25  # CPU seconds between two alarms once the limit is past


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def hard_time_limit(seconds: float | None):
    """Raise ``ProofTimeout`` in the body once it has used ``seconds`` of CPU time (None: no limit)."""
    if not seconds or not _can_alarm():
        yield
        return

    def expire(signum, frame):
        raise ProofTimeout(f"the check ran past its time limit of {seconds:g} s")

    outer, _ = signal.getitimer(signal.ITIMER_PROF)
    previous = signal.signal(signal.SIGPROF, expire)
    started = time.process_time()
    # the timer fires again every REPEAT seconds after the limit: an exception raised where
    # Python cannot pass it on (a garbage-collector callback, a __del__) is lost, the next is not
    signal.setitimer(signal.ITIMER_PROF, min(seconds, outer) if outer else seconds, REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer:  # the outer limit goes on, less what the body used
            signal.setitimer(signal.ITIMER_PROF, max(outer - (time.process_time() - started), 1e-3))


def cpu_deadline(seconds: float | None):
    """A callable that raises ``ProofTimeout`` once this process has used ``seconds`` more CPU time."""
    if not seconds:
        return lambda: None
    end = time.process_time() + seconds

    def tick() -> None:
        if time.process_time() > end:
            raise ProofTimeout(f"the proof ran past its time limit of {seconds:g} s")

    return tick
