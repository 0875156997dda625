"""Wheels compiled to bytecode by the page's own Python, so that the page starts in seconds.

In the browser, importing SymPy from source means compiling some 400 000 lines of Python to
bytecode on every visit: most of the page's start.  The build runs Pyodide once under Node.js
(which npm brings) and replaces each ``.py`` of every wheel with its ``.pyc`` for Pyodide's
own Python, as Pyodide's own packages are shipped; a compiled wheel is kept in the cache under
its source wheel's sha256, so each is compiled once.  Without Node.js the wheels ship as source.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from symw2v.errors import SymW2VError
from symw2v.site import pyodide

NODE_SECONDS = 600


def available() -> bool:
    """Whether Node.js is here to run Pyodide at build time."""
    return shutil.which("node") is not None


def compiled(wheel_files: dict[str, bytes], runtime: dict[str, bytes], cache: Path) -> dict[str, bytes]:
    """``wheel_files`` (name: bytes) with every module as bytecode; from the cache where it can."""
    folder = cache / f"compiled-pyodide-{pyodide.VERSION}"
    # a compiled wheel is known by its source and by the script that compiled it
    script = _script("compile_wheels.py")
    keys = {name: hashlib.sha256(script + data).hexdigest() for name, data in wheel_files.items()}
    missing = {
        name: data for name, data in wheel_files.items() if not (folder / f"{keys[name]}.whl").is_file()
    }
    if missing:
        _compile(missing, runtime, folder, keys)
    return {name: (folder / f"{keys[name]}.whl").read_bytes() for name in wheel_files}


def _script(name: str) -> bytes:
    return (resources.files("symw2v.site") / "compile" / name).read_bytes()


def _compile(wheel_files: dict[str, bytes], runtime: dict[str, bytes], folder: Path, keys: dict) -> None:
    node = shutil.which("node")
    if node is None:
        raise SymW2VError("Node.js is not installed: it compiles the wheels (or build with --source-wheels)")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="symw2v-compile-") as scratch:
        work = Path(scratch)
        for sub in ("pyodide", "in", "out"):
            (work / sub).mkdir()
        for name, data in runtime.items():
            (work / "pyodide" / name).write_bytes(data)
        for name, data in wheel_files.items():
            (work / "in" / name).write_bytes(data)
        for name in ("compile_wheels.mjs", "compile_wheels.py"):
            (work / name).write_bytes(_script(name))
        _run_node(node, work)
        for name in wheel_files:
            shutil.copyfile(work / "out" / name, folder / f"{keys[name]}.whl")


def _run_node(node: str, work: Path) -> None:
    try:
        done = subprocess.run(
            [node, str(work / "compile_wheels.mjs"), str(work)],
            capture_output=True,
            text=True,
            timeout=NODE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SymW2VError(f"compiling the wheels took over {NODE_SECONDS} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SymW2VError(f"compiling the wheels failed: {last}")
