"""The Pyodide runtime, from the ``pyodide`` package on the npm registry, pinned and verified.

``npm pack`` fetches the package once into a cache folder; its sha512 must be the one pinned
here (npm's ``dist.integrity``), so a build never ships a runtime nobody checked.  The npm
package holds the core runtime only; the pure-Python packages come as wheels (``wheels.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from symw2v.errors import SymW2VError

VERSION = "0.28.3"
INTEGRITY = "sha512-rtCsyTU55oNGpLzSVuAd55ZvruJDEX8o6keSdWKN9jPeBVSNlynaKFG7eRqkiIgU7i2M6HEgYtm0atCEQX3u4A=="
PYTHON = "3.13"  # the Python of this Pyodide: the wheels must install on it
# what the page loads: the loader, the interpreter, the standard library and the lock file
# loadPyodide reads at start (the package set it lists is not shipped and never fetched)
RUNTIME = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
NPM_SECONDS = 300


def cache_folder() -> Path:
    """Where downloads are kept between builds: ``$XDG_CACHE_HOME/symw2v`` or ``~/.cache/symw2v``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "symw2v"


def integrity(data: bytes) -> str:
    """npm's ``dist.integrity`` of a tarball: ``sha512-`` and the base64 of its SHA-512."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def tarball(cache: Path | None = None) -> Path:
    """The pinned Pyodide tarball, verified; fetched with ``npm pack`` unless already cached."""
    folder = (cache or cache_folder()) / f"pyodide-{VERSION}"
    path = folder / f"pyodide-{VERSION}.tgz"
    if not path.is_file():
        _npm_pack(folder)
    _verify(path)
    return path


def _npm_pack(folder: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SymW2VError("npm is not installed: it fetches Pyodide (or give --pyodide with a local copy)")
    folder.mkdir(parents=True, exist_ok=True)
    command = [npm, "pack", f"pyodide@{VERSION}", "--pack-destination", str(folder), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=NPM_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise SymW2VError(f"npm pack pyodide@{VERSION} took over {NPM_SECONDS} s") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SymW2VError(f"npm pack pyodide@{VERSION} failed: {last}")


def _verify(path: Path) -> None:
    found = integrity(path.read_bytes())
    if found != INTEGRITY:
        raise SymW2VError(f"{path}: not Pyodide {VERSION} (its sha512 is {found}, expected {INTEGRITY})")


def runtime(source: Path | None = None, cache: Path | None = None) -> dict[str, bytes]:
    """The runtime's files by name, from ``source`` (a folder or the pinned tarball) or the cache.

    A folder is taken as it is; either way the runtime must be for ``PYTHON``.
    """
    if source is not None and source.is_dir():
        files = _from_folder(source)
    else:
        path = source if source is not None else tarball(cache)
        if source is not None:
            _verify(path)
        files = _from_tarball(path)
    _check_python(files["pyodide-lock.json"])
    return files


def _from_folder(folder: Path) -> dict[str, bytes]:
    missing = [name for name in RUNTIME if not (folder / name).is_file()]
    if missing:
        raise SymW2VError(f"{folder}: not a Pyodide distribution (no {', '.join(missing)})")
    return {name: (folder / name).read_bytes() for name in RUNTIME}


def _from_tarball(path: Path) -> dict[str, bytes]:
    files = {}
    with tarfile.open(path, "r:gz") as archive:
        for name in RUNTIME:
            member = archive.getmember(f"package/{name}")
            handle = archive.extractfile(member)
            if handle is None:
                raise SymW2VError(f"{path}: package/{name} is not a file")
            files[name] = handle.read()
    return files


def _check_python(lock: bytes) -> None:
    python = str(json.loads(lock).get("info", {}).get("python", ""))
    if ".".join(python.split(".")[:2]) != PYTHON:
        raise SymW2VError(f"this Pyodide runs Python {python}; the site is built for Python {PYTHON}")
