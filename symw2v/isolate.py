"""Run untrusted checks in worker processes that may use only so much time and memory.

A batch or a document is many claims from people we do not know.  Each claim is checked in a
worker process whose address space is capped (``RLIMIT_AS``) and whose check has a time limit
(``hard_time_limit`` inside ``check_claim``); the parent also kills a worker that runs past the
limit plus a grace period, since a long computation in C never sees the alarm.  A claim that
runs out of either becomes a failure the caller turns into ``undecided``; the worker is
replaced, and every other claim is still checked and reported, in input order.

Workers are forked where the platform allows it, so they inherit the parser and the
derivations the parent made before starting them; they are reused from claim to claim.  A
worker never outlives the parent: on Linux the kernel kills it when the parent dies, however
the parent dies, and everywhere an idle worker sees the end of its pipe once the parent is gone
(no other worker holds the parent's end of it).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX: no memory limit
    resource = None

# Pyodide (the checker page) has no processes: there, tasks run in the calling process
PROCESSES = sys.platform != "emscripten"

Item = TypeVar("Item")
Result = TypeVar("Result")

GIB = 1024**3
DEFAULT_MEMORY_LIMIT = 2 * GIB
_MEMORY_EXIT = 86  # a worker's exit status after a MemoryError it could not report
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# a failure's reason, which becomes an undecided result's method
_TIME_LIMIT, _MEMORY_LIMIT = "time limit", "memory limit"
_CRASH, _INTERNAL = "worker crashed", "internal error"


@dataclass(frozen=True)
class Limits:
    """What one check may use.

    ``seconds``: the time limit each check enforces itself (None: none); the parent kills a
    worker ``grace`` seconds (plus a tenth) past a task's budget.  ``memory``: bytes of address
    space a worker may add to what it starts with (None: no limit).
    """

    seconds: float | None = 60.0
    memory: int | None = DEFAULT_MEMORY_LIMIT
    grace: float = 5.0

    def deadline(self, budget: float | None) -> float | None:
        """CPU seconds after which the parent kills a task whose checks may take ``budget`` in all."""
        return None if budget is None else budget * 1.1 + self.grace


@dataclass(frozen=True)
class Failure:
    """Why a task gave no result: ``reason`` is "time limit", "memory limit", "worker crashed"
    or "internal error" (a bug, named in ``message``); ``seconds`` it ran before it failed."""

    reason: str
    message: str
    seconds: float = 0.0


def describe_memory(limit: int) -> str:
    """``limit`` bytes, readable: "2 GiB", "512 MiB"."""
    if limit >= GIB and limit % GIB == 0:
        return f"{limit // GIB} GiB"
    return f"{limit / 1024**2:g} MiB"


def _address_space() -> int:
    """Bytes of address space this process uses now (0 where /proc cannot tell)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(extra: int | None) -> None:
    # relative to the start: a parent that loaded big libraries (threads reserve address space)
    # must not leave a worker with no room at all
    if extra is None or resource is None:
        return
    soft = _address_space() + extra
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS (macOS)
        pass


def _prctl():
    """libc's ``prctl``, or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies, by any signal, even SIGKILL."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above: nobody would kill us
        os._exit(0)


def _detach(inherited: list[Connection]) -> None:
    """Let go of what a forked worker inherited and must not keep.

    ``inherited`` are the parent's ends of the workers' pipes, this one's included: holding them
    would keep every worker's pipe open after the parent died, and no worker would see its end.
    The parent's handlers of SIGINT and SIGTERM are its own (it stops us itself); our standard
    output goes nowhere, so that nothing a check prints can break the parent's output lines.
    """
    for connection in inherited:
        connection.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:  # pragma: no cover - no /dev/null: keep the inherited output
        pass


def _serve(
    function: Callable, connection: Connection, memory: int | None, parent: int, inherited: list
) -> None:
    """A worker: take an item, send back ``(status, result)``, until the parent sends ``None``."""
    _die_with(parent)
    _detach(inherited)
    _limit_memory(memory)
    while True:
        try:
            item = connection.recv()
            if item is None:
                return
            connection.send(("ok", function(item)))
            continue
        except EOFError:
            return
        except MemoryError:
            pass
        except Exception as error:  # noqa: BLE001 - one claim's bug must not cost the batch the rest
            connection.send((_INTERNAL, f"{type(error).__name__}: {error}"))
            continue
        # out of the except block, the failed check's frames and what they held are gone; the
        # interpreter may still be in a bad state after running out, so the worker starts afresh
        try:
            connection.send((_MEMORY_LIMIT, None))
        finally:
            os._exit(_MEMORY_EXIT)


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    task: int | None = None
    started: float = 0.0
    deadline: float | None = None  # on the clock: when to look at the CPU time the task used
    budget: float | None = None  # CPU seconds the task may use
    cpu_started: float = 0.0

    def cpu_used(self) -> float:
        """CPU seconds the task has used (the clock's seconds where the system cannot tell)."""
        return _cpu_seconds(self.process.pid, time.monotonic()) - self.cpu_started


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
WALL_FACTOR = 10  # a task starved of the processor this long is stopped all the same


def _cpu_seconds(pid: int | None, fallback: float) -> float:
    """User and system CPU seconds of the process ``pid``, from /proc; ``fallback`` elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15)
    except (OSError, ValueError, IndexError):
        return fallback


class _Pool:
    """Workers with one task each at a time; a dead or killed worker is replaced."""

    def __init__(self, function: Callable, jobs: int, limits: Limits) -> None:
        # imported here: the checker page imports this module in a browser, which has no processes
        from multiprocessing import get_all_start_methods, get_context

        methods = get_all_start_methods()
        self._context = get_context("fork" if "fork" in methods else None)
        self._function, self._limits = function, limits
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        inherited = []
        if self._context.get_start_method() == "fork":  # a spawned worker inherits nothing
            inherited = [parent, *(w.connection for w in self.workers if not w.connection.closed)]
        arguments = (self._function, child, self._limits.memory, os.getpid(), inherited)
        process = self._context.Process(target=_serve, args=arguments, daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def give(self, worker: _Worker, index: int, item, deadline: float | None) -> None:
        worker.task, worker.started = index, time.monotonic()
        worker.cpu_started = _cpu_seconds(worker.process.pid, worker.started)
        worker.budget = deadline
        worker.deadline = None if deadline is None else worker.started + deadline
        worker.connection.send(item)

    def replace(self, worker: _Worker) -> None:
        self._stop(worker, kill=True)
        self.workers[self.workers.index(worker)] = self._start()

    def _stop(self, worker: _Worker, kill: bool) -> None:
        process = worker.process
        if kill and process.is_alive():
            process.kill()
        process.join(timeout=5)
        if process.is_alive():  # pragma: no cover - a worker that ignores even the end message
            process.kill()
            process.join()
        worker.connection.close()

    def close(self) -> None:
        """Let idle workers finish; kill busy ones (the caller stopped before their results)."""
        idle = [w for w in self.workers if w.task is None and w.process.is_alive()]
        for worker in idle:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        for worker in self.workers:
            self._stop(worker, kill=worker not in idle)


def _crash(process, limits: Limits) -> Failure:
    code = process.exitcode
    if code == _MEMORY_EXIT:
        return _memory_failure(limits)
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        how = f"was killed by {name}"
    else:
        how = f"exited with status {code}"
    memory = f" (its memory limit is {describe_memory(limits.memory)})" if limits.memory else ""
    return Failure(_CRASH, f"the worker process checking this claim {how}{memory}")


def _memory_failure(limits: Limits) -> Failure:
    limit = describe_memory(limits.memory) if limits.memory else "the machine's memory"
    return Failure(_MEMORY_LIMIT, f"the check ran out of memory (limit: {limit})")


def run_isolated(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    failed: Callable[[Item, Failure], Result],
    jobs: int = 1,
    limits: Limits = Limits(),
    budget: Callable[[Item], float | None] | None = None,
) -> Iterator[Result]:
    """``function(item)`` for every item, in order, each in a worker under ``limits``.

    ``failed(item, failure)`` gives the result of an item whose worker ran out of time or
    memory or crashed.  ``budget(item)`` is the seconds its checks may take in all (default
    ``limits.seconds``); the parent kills the worker past ``limits.deadline(budget)``.
    """
    items = list(items)
    if not items:
        return
    if not PROCESSES:
        yield from _in_process(function, items, failed)
        return
    budget = budget or (lambda item: limits.seconds)
    pool = _Pool(function, min(jobs, len(items)), limits)
    done: dict[int, Result] = {}
    waiting = iter(range(len(items)))
    following = 0
    try:
        for worker in pool.workers:
            _next_task(pool, worker, waiting, items, limits, budget)
        while following < len(items):
            _collect(pool, items, failed, limits, done)
            for worker in pool.workers:
                if worker.task is None:
                    _next_task(pool, worker, waiting, items, limits, budget)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        pool.close()


def _in_process(function: Callable, items: list, failed: Callable) -> Iterator:
    """``function(item)`` for every item, here: a platform with no processes (the checker page's
    Pyodide, whose web worker the page itself terminates past the time limit)."""
    for item in items:
        try:
            result = function(item)
        except MemoryError:
            result = failed(item, _memory_failure(Limits(memory=None)))
        except Exception as error:  # noqa: BLE001 - one claim's bug must not cost the rest
            result = failed(item, Failure(_INTERNAL, f"{type(error).__name__}: {error}"))
        yield result


def run_one(
    function: Callable[[Item], Result],
    item: Item,
    failed: Callable[[Item, Failure], Result],
    limits: Limits = Limits(),
) -> Result:
    """``function(item)`` in a worker under ``limits``; ``failed`` as for ``run_isolated``."""
    (result,) = run_isolated(function, [item], failed, 1, limits)
    return result


def _next_task(pool: _Pool, worker: _Worker, waiting, items: list, limits: Limits, budget) -> None:
    index = next(waiting, None)
    if index is not None:
        pool.give(worker, index, items[index], limits.deadline(budget(items[index])))


def _collect(pool: _Pool, items: list, failed, limits: Limits, done: dict) -> None:
    """Wait for a result, a dead worker or a deadline, and record what happened."""
    busy = [w for w in pool.workers if w.task is not None]
    deadlines = [w.deadline for w in busy if w.deadline is not None]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    from multiprocessing.connection import wait

    ready = wait([w.connection for w in busy], timeout)
    now = time.monotonic()
    for worker in busy:
        index = worker.task
        if worker.connection in ready:
            failure = _received(worker, limits, done)
        elif worker.deadline is not None and now >= worker.deadline:
            # the budget is CPU time: a worker that has had less of it (a busy machine) goes on
            left = worker.budget - worker.cpu_used()
            if left > 0 and now - worker.started < WALL_FACTOR * worker.budget:
                worker.deadline = now + left
                continue
            failure = Failure(_TIME_LIMIT, _time_message(limits))
        else:
            continue
        if failure is not None:
            done[index] = failed(items[index], replace(failure, seconds=round(now - worker.started, 3)))
            if failure.reason == _INTERNAL:
                worker.task = None
            else:
                pool.replace(worker)


def _received(worker: _Worker, limits: Limits, done: dict) -> Failure | None:
    """Record the result a worker sent; the failure instead, if it sent one or died."""
    index = worker.task
    try:
        status, payload = worker.connection.recv()
    except (EOFError, OSError):
        worker.process.join(timeout=5)
        return _crash(worker.process, limits)
    if status == "ok":
        worker.task = None
        done[index] = payload
        return None
    if status == _MEMORY_LIMIT:
        return _memory_failure(limits)
    return Failure(_INTERNAL, f"internal error ({payload}); please report it")


def _time_message(limits: Limits) -> str:
    if limits.seconds:
        return f"the check ran past its time limit of {limits.seconds:g} s and was stopped"
    return "the check ran past its time limit and was stopped"
