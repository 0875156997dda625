"""Build the checker page into a folder that any static host serves as it is.

The folder holds the page (``index.html``, ``app.js``, ``worker.js``, ``style.css``), the
Pyodide runtime under ``pyodide/``, the wheels under ``wheels/`` and ``site.json``, which tells
the worker what to load.  Everything the page requests is in the folder: no CDN, and a
student's answer never leaves the machine.  The same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from symw2v import __version__
from symw2v.errors import SymW2VError
from symw2v.site import bytecode, page, pyodide, wheels
from symw2v.world import profile as profiles

ASSETS = ("index.html", "app.js", "worker.js", "style.css")
TIME_LIMIT_S = 60.0  # per claim, as the command line's default --time-limit


@dataclass(frozen=True)
class SiteSummary:
    """What a build wrote: ``files`` (path in the folder, bytes), sorted."""

    folder: Path
    files: tuple[tuple[str, int], ...]
    compiled: bool = False  # the wheels hold bytecode, not source

    @property
    def total(self) -> int:
        """Bytes of the whole site."""
        return sum(size for _, size in self.files)

    def size_of(self, prefix: str) -> int:
        """Bytes of the files whose path starts with ``prefix`` (``pyodide/``, ``wheels/``)."""
        return sum(size for name, size in self.files if name.startswith(prefix))


def build_site(
    folder: str | Path,
    profile: str | None = None,
    runtime: Path | None = None,
    cache: Path | None = None,
    compile: bool = True,
) -> SiteSummary:
    """Write the checker page into ``folder``.

    ``profile``: a built-in course profile the page starts with (``cs224n``); ``runtime``: a
    local Pyodide (folder or the pinned tarball) instead of the npm download; ``cache``: where
    downloads are kept (default ``~/.cache/symw2v``); ``compile``: ship the wheels as bytecode
    where Node.js is here to compile them (the page starts several times faster).  Returns what
    was written.
    """
    if profile and profile not in profiles.builtin():
        known = ", ".join(sorted(profiles.builtin()))
        raise SymW2VError(f"the page knows the built-in profiles only: {known}")
    cache = cache or pyodide.cache_folder()
    runtime_files = pyodide.runtime(runtime, cache)
    files = {f"pyodide/{name}": data for name, data in runtime_files.items()}
    wheel_files = wheels.dependencies(cache)
    name, data = wheels.own_wheel()
    wheel_files[name] = data
    compile = compile and bytecode.available()
    if compile:
        wheel_files = bytecode.compiled(wheel_files, runtime_files, cache)
    files.update({f"wheels/{name}": data for name, data in wheel_files.items()})
    assets = resources.files("symw2v.site") / "assets"
    files.update({name: (assets / name).read_bytes() for name in ASSETS})
    files["site.json"] = _manifest(wheel_files, profile, compile)
    return _write(Path(folder), files, compile)


def _manifest(wheel_files: dict[str, bytes], profile: str | None, compiled: bool) -> bytes:
    """What the worker loads and the page starts with; the sha256 lets a host check a copy."""
    manifest = {
        "symw2v": __version__,
        "pyodide": pyodide.VERSION,
        "python": pyodide.PYTHON,
        "bytecode": compiled,
        "profile": profile or "",
        # the form's choices, so the page can show them before Python has loaded
        "options": json.loads(page.options()),
        "time_limit_s": TIME_LIMIT_S,
        "wheels": [
            {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(wheel_files.items())
        ],
    }
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def _write(folder: Path, files: dict[str, bytes], compiled: bool) -> SiteSummary:
    if folder.exists() and not folder.is_dir():
        raise SymW2VError(f"{folder}: exists and is not a folder")
    try:
        for name, data in sorted(files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as error:
        raise SymW2VError(f"{folder}: cannot write the site ({error.strerror})") from None
    return SiteSummary(folder, tuple((name, len(data)) for name, data in sorted(files.items())), compiled)
