"""The wheels the page installs into Pyodide: symw2v's pure-Python dependencies, and symw2v.

The dependencies are the versions installed here, so the page checks with the same SymPy as the
command line; ``pip download`` fetches them from PyPI once into the cache.  symw2v's own wheel
is built from the installed package (only what the browser runs: Python, the grammar and the
declarations), byte for byte the same on every build.
"""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import zipfile
from importlib import metadata, resources
from pathlib import Path

from symw2v import __version__
from symw2v.errors import SymW2VError
from symw2v.site.pyodide import PYTHON

# what the browser imports; NumPy and Jinja are only for export and reports, never loaded there
DEPENDENCIES = ("sympy", "mpmath", "lark", "latex2mathml")
PACKAGE_SUFFIXES = (".py", ".lark", ".toml", ".json")
PIP_SECONDS = 300
WHEEL = b"Wheel-Version: 1.0\nGenerator: symw2v site\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build time in the wheel


def dependencies(cache: Path) -> dict[str, bytes]:
    """The dependencies' wheels by file name, pure Python (``py3-none-any``) ones only."""
    folder = cache / "wheels"
    wanted = [f"{name}=={metadata.version(name)}" for name in DEPENDENCIES]
    found = {name: _cached(folder, name) for name in DEPENDENCIES}
    if not all(found.values()):
        _download(folder, wanted)
        found = {name: _cached(folder, name) for name in DEPENDENCIES}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise SymW2VError(f"pip found no pure-Python wheel of {', '.join(missing)}")
    return {path.name: path.read_bytes() for path in found.values()}


def _cached(folder: Path, name: str) -> Path | None:
    prefix = f"{name.replace('-', '_')}-{metadata.version(name)}-"
    matches = sorted(p for p in folder.glob(f"{prefix}*-none-any.whl"))
    return matches[0] if matches else None


def _download(folder: Path, wanted: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    command += ["--python-version", PYTHON, "--implementation", "py", "--abi", "none", "--platform", "any"]
    command += ["--dest", str(folder), *wanted]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PIP_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise SymW2VError(f"pip download took over {PIP_SECONDS} s") from None
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        raise SymW2VError(f"pip download {' '.join(wanted)} failed: {(errors or ['no message'])[-1]}")


def own_wheel() -> tuple[str, bytes]:
    """symw2v's wheel, built from the installed package: ``(file name, bytes)``."""
    files = dict(_package_files(resources.files("symw2v"), "symw2v"))
    info = f"symw2v-{__version__}.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: symw2v\nVersion: {__version__}\n".encode()
    files[f"{info}/WHEEL"] = WHEEL
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in sorted(files.items()))
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            entry = zipfile.ZipInfo(name, _EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return f"symw2v-{__version__}-py3-none-any.whl", buffer.getvalue()


def _package_files(folder, prefix: str):
    """``(path in the wheel, bytes)`` of every file the browser needs, in sorted order."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _package_files(entry, f"{prefix}/{entry.name}")
        elif entry.name.endswith(PACKAGE_SUFFIXES):
            yield f"{prefix}/{entry.name}", entry.read_bytes()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
