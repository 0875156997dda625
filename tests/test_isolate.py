"""Isolation: a check that runs out of time or memory, or kills its worker, is ``undecided``, and
every other claim of the batch or document is still checked and reported, in order."""

from __future__ import annotations

import os
import signal
import time

import pytest

from symw2v import batch, document, question
from symw2v.batch import check_batch
from symw2v.cli import main
from symw2v.commands import check as check_command
from symw2v.document import check_document
from symw2v.errors import ClaimParseError, SymW2VError
from symw2v.isolate import Limits, _Pool, run_isolated
from symw2v.parse import parse_claim

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs POSIX signals")

PROVED = {"id": "good", "loss": "negative-sampling", "wrt": "u_o", "claim": "(sigma(u_o^T v_c) - 1) v_c"}
REFUTED = {"id": "wrong", "loss": "negative-sampling", "wrt": "u_o", "claim": "(1 - sigma(u_o^T v_c)) v_c"}


def _burn(seconds: float) -> None:
    """Use ``seconds`` of this process's CPU time (a limit counts CPU time: sleeping uses none, and
    on a loaded machine a wall-clock second may hold a fraction of one)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _misbehave(item):
    """A task for ``run_isolated`` that does what its name says."""
    if item == "hog":
        return [0] * 10**9  # 8 GB of pointers
    if item == "spin":
        # the alarm cannot reach a check stuck in C code; blocking it plays that part
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
        _burn(60)
    if item == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if item == "bug":
        raise ValueError("a bug in one check")
    return item.upper()


def _outcome(result) -> str:
    return result if isinstance(result, str) else result.reason


def test_every_failure_is_reported_in_place_and_the_rest_still_runs():
    items = ["a", "hog", "b", "spin", "c", "die", "d", "bug", "e"]
    limits = Limits(seconds=1, memory=256 * 2**20, grace=0.5)
    # the "time limit" outcome below is the proof the spinning worker was stopped (no wall-clock
    # bound: it would measure the machine's load, not the limit)
    results = list(run_isolated(_misbehave, items, lambda item, failure: failure, jobs=2, limits=limits))
    assert [_outcome(r) for r in results] == [
        "A",
        "memory limit",
        "B",
        "time limit",
        "C",
        "worker crashed",
        "D",
        "internal error",
        "E",
    ]
    assert "256 MiB" in results[1].message
    assert "SIGKILL" in results[5].message
    assert "ValueError: a bug in one check" in results[7].message


def test_a_worker_is_replaced_after_each_failure():
    # one worker: every later item needs the replacement to have started
    items = ["hog", "a", "die", "b", "hog", "c"]
    limits = Limits(seconds=5, memory=256 * 2**20)
    results = list(run_isolated(_misbehave, items, lambda item, failure: failure, jobs=1, limits=limits))
    assert [_outcome(r) for r in results] == [
        "memory limit",
        "A",
        "worker crashed",
        "B",
        "memory limit",
        "C",
    ]


def _hog_on(claim: str, real):
    def check_line(item, time_limit_s=60.0):
        _, data = item
        if isinstance(data, dict) and data.get("claim") == claim:
            return [0] * 10**9
        return real(item, time_limit_s)

    return check_line


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_line_past_the_memory_limit_is_undecided(monkeypatch, jobs):
    hog = {"id": "hog", "loss": "softmax", "wrt": "z", "claim": "HOG"}
    monkeypatch.setattr(batch, "check_line", _hog_on("HOG", batch.check_line))
    items = list(enumerate([PROVED, hog, REFUTED, PROVED], start=1))
    results = list(check_batch(items, jobs=jobs, memory_limit=256 * 2**20))
    assert [(r.id, r.verdict.value) for r in results] == [
        ("good", "proved"),
        ("hog", "undecided"),
        ("wrong", "refuted"),
        ("good", "proved"),
    ]
    assert results[1].method == "memory limit" and "256 MiB" in results[1].message
    assert results[1].claim == "HOG" and results[1].loss == "softmax"


def test_a_real_check_past_the_memory_limit_is_undecided():
    # every exponent is within the parser's bound, but together they make 2^(2^30): 128 MiB
    claim = "((((2^64)^64)^64)^64)^64 v_c"
    try:
        parse_claim(claim)
    except ClaimParseError:
        pytest.skip("the parser now bounds towers of powers: this test needs another memory hog")
    hostile = {"id": "huge", "loss": "negative-sampling", "wrt": "u_o", "claim": claim}
    items = list(enumerate([PROVED, hostile, REFUTED, PROVED], start=1))
    results = list(check_batch(items, jobs=2, time_limit_s=60, memory_limit=64 * 2**20))
    assert [r.verdict.value for r in results] == ["proved", "undecided", "refuted", "proved"]
    assert results[1].method == "memory limit" and "64 MiB" in results[1].message


def test_a_batch_line_past_the_time_limit_is_undecided(monkeypatch):
    real = question.decide

    def slow_decide(pairs, deadline=None):
        if any(entry.has(777) for pair in pairs for entry in pair.claimed):
            _burn(60)  # the worker's alarm interrupts this
        return real(pairs, deadline)

    monkeypatch.setattr(question, "decide", slow_decide)
    slow = {"id": "slow", "loss": "negative-sampling", "wrt": "u_o", "claim": "777 v_c"}
    items = list(enumerate([PROVED, slow, REFUTED], start=1))
    results = list(check_batch(items, jobs=2, time_limit_s=1.5))  # "undecided" below: the limit fired
    assert [(r.id, r.verdict.value) for r in results] == [
        ("good", "proved"),
        ("slow", "undecided"),
        ("wrong", "refuted"),
    ]
    assert results[1].method == "time limit" and "1.5 s" in results[1].message


DOCUMENT = r"""
$$J = -\log \sigma(u_o^T v_c) - \sum_{k=1}^{K} \log \sigma(-u_k^T v_c)$$

$$\frac{\partial J}{\partial u_o} = (\sigma(u_o^T v_c) - 1) v_c \tag{1}$$

$$\frac{\partial J}{\partial u_o} = 2 v_c \tag{2}$$

$$\frac{\partial J}{\partial u_o} = (1 - \sigma(u_o^T v_c)) v_c \tag{3}$$
"""


def test_a_document_equation_past_the_memory_limit_is_undecided(monkeypatch):
    real = document._check_chain

    def check_chain(chain, *args, **kwargs):
        if chain.id == "eq2":
            return [0] * 10**9
        return real(chain, *args, **kwargs)

    monkeypatch.setattr(document, "_check_chain", check_chain)
    seen = []
    result = check_document(DOCUMENT, memory_limit=256 * 2**20, progress=seen.append)
    assert [(r.id, r.verdict.value) for r in result.claims] == [
        ("eq1", "proved"),
        ("eq2", "undecided"),
        ("eq3", "refuted"),
    ]
    assert result.claims[1].method == "memory limit"
    assert result.claims[1].equation_latex.startswith(r"\frac{\partial J}")
    assert seen == list(result.claims)


def _sockets() -> set[str]:
    """The sockets this process holds, by inode."""
    held = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the descriptor that listed the folder, closed by now
            continue
        if target.startswith("socket:"):
            held.add(target)
    return held


def _held_sockets(item) -> set[str]:
    return _sockets()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_worker_holds_no_parent_end_of_any_pipe():
    # a worker holding the parent's end of its own pipe, or of another worker's, never sees the
    # pipe close when the parent dies, and waits for work forever
    pool = _Pool(_held_sockets, 3, Limits(seconds=None, memory=None))
    try:
        pool.replace(pool.workers[1])  # a replacement inherits the others' ends too
        parent_ends = {os.readlink(f"/proc/self/fd/{w.connection.fileno()}") for w in pool.workers}
        for worker in pool.workers:
            pool.give(worker, 0, "which sockets?", None)
            status, held = worker.connection.recv()
            assert status == "ok" and not held & parent_ends
        first = pool.workers[0]
        first.connection.close()  # as when the parent dies: the worker sees the end and leaves
        first.process.join(timeout=10)
        assert first.process.exitcode == 0
    finally:
        pool.close()


def test_a_single_claim_past_the_memory_limit_is_undecided(monkeypatch, capsys):
    monkeypatch.setattr(check_command, "check_claim", lambda *args, **kwargs: [0] * 10**9)
    monkeypatch.setattr(check_command, "DEFAULT_MEMORY_LIMIT", 256 * 2**20)
    assert main(["check", "--loss", "softmax", "--wrt", "z", "--", "yhat - y"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "undecided: ∂J/∂z = yhat - y"
    assert "  method: memory limit" in out and any("256 MiB" in line for line in out)


def test_an_error_in_a_single_claims_worker_is_a_usage_error(monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise SymW2VError("no such thing")

    monkeypatch.setattr(check_command, "check_claim", refuse)
    assert main(["check", "--loss", "softmax", "--wrt", "z", "--", "yhat - y"]) == 2
    assert capsys.readouterr().err == "symw2v: error: no such thing\n"


def test_a_time_limit_lost_in_a_place_that_swallows_exceptions_fires_again():
    # an alarm raised inside a garbage-collector callback or a __del__ is printed and dropped
    # by Python; the limit must still end the body
    from symw2v.errors import ProofTimeout
    from symw2v.limits import hard_time_limit

    swallowed = []

    class Swallows:
        def __del__(self):
            try:
                _burn(0.5)
            except ProofTimeout as error:  # what Python does with an exception in __del__
                swallowed.append(error)

    with pytest.raises(ProofTimeout):
        with hard_time_limit(0.1):
            Swallows()  # collected at once: its __del__ runs past the limit and loses the alarm
            _burn(10)
    assert swallowed
