"""Signals during a batch: no worker outlives the command, and its output is whole JSON lines.

The command runs as a subprocess on a batch whose first lines are quick and whose others are
slow (a stand-in check that sleeps), with two workers; once it has written two lines, it gets
SIGTERM, SIGINT or SIGKILL.  Its workers, found by their parent's PID in /proc, must all be gone
a few seconds later, however the parent died.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

DRIVER = """
import sys, time
from symw2v import batch
from symw2v.cli import main

real = batch.check_line

def check_line(item, time_limit_s=60.0):
    if item[1].get("claim") == "SLOW":
        time.sleep(300)
    return real(item, time_limit_s)

batch.check_line = check_line
sys.exit(main(sys.argv[1:]))
"""
QUICK = {"loss": "softmax", "wrt": "z", "claim": "("}
SLOW = {"loss": "softmax", "wrt": "z", "claim": "SLOW"}
LINES = [{"id": f"line{n}", **(QUICK if n <= 2 else SLOW)} for n in range(1, 7)]
EXIT = {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -signal.SIGKILL}


def _children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is ``pid``, with their start times (a PID may be reused)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append((int(entry.name), fields[19]))
    return found


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _alive(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in ("Z", "X")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_a_signal_during_a_batch_leaves_no_worker_and_whole_lines(tmp_path, signum):
    path = tmp_path / "class.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    command = [sys.executable, "-c", DRIVER, "check", "--batch", str(path), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        written = [process.stdout.readline(), process.stdout.readline()]
        workers = _children(process.pid)
        assert len(workers) == 2  # both busy with a slow line now
        process.send_signal(signum)
        rest, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == EXIT[signum]
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid, _ in workers if _alive((pid, _))]
    output = b"".join(written) + rest
    assert output.endswith(b"\n")
    results = [json.loads(line) for line in output.decode().splitlines()]
    assert b"Traceback" not in errors
    if signum == signal.SIGKILL:
        assert [r["id"] for r in results] == ["line1", "line2"]
        return
    # stopped cleanly: every line still has its result, the unchecked ones say why
    assert [r["id"] for r in results] == [line["id"] for line in LINES]
    assert [r["method"] for r in results[2:]] == ["interrupted"] * 4
    assert signum.name in results[2]["message"]
