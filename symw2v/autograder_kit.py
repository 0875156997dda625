"""Write a Gradescope autograder: the folder ``symw2v autograder init`` makes, to be zipped.

Gradescope builds an image from a zip with ``setup.sh`` and ``run_autograder`` at its root
(https://gradescope-autograders.readthedocs.io/en/latest/specs/), unzipped in
``/autograder/source``.  The kit holds:

- ``setup.sh``: installs symw2v into ``/autograder/venv`` from ``vendor/``;
- ``vendor/``: the source of the symw2v that wrote the kit, with a ``pyproject.toml`` of its
  own (symw2v is not on PyPI; its dependencies are, and Gradescope's build has the network);
- ``run_autograder``: grades ``/autograder/submission`` into ``/autograder/results/results.json``;
- ``questions.toml``: what is graded (the profile's shipped questions, or the course's own);
- ``profile.toml``: the course's profile, when it is a file rather than a shipped name.

Everything written is the same, byte for byte, on every run; what goes into the shell scripts
is shell-quoted.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import zipfile
from importlib import metadata
from pathlib import Path

import symw2v
from symw2v.assignment import load_questions, shipped_questions
from symw2v.errors import SymW2VError
from symw2v.files import write_text
from symw2v.world import profile as profiles

_EXECUTABLE = 0o755
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no time of day in the kit
_VENDORED = (".py", ".lark", ".j2", ".toml", ".json")  # what the package is made of
PROFILE_FILE = "profile.toml"
QUESTIONS_FILE = "questions.toml"


def write_kit(folder: str | Path, profile: str, questions: str | Path | None = None) -> list[str]:
    """Write an autograder into ``folder`` (new, or empty) for ``profile`` (a shipped name or a
    profile file) and ``questions`` (a questions file; default: the profile's shipped one).
    Returns the files written, relative to ``folder``, in order."""
    folder = Path(folder)
    chosen = profiles.load(profile)  # refuses a bad profile before anything is written
    shipped = profile in profiles.builtin()
    if questions is not None:
        load_questions(questions)
        text = Path(questions).read_text(encoding="utf-8")
    elif shipped and chosen.name in shipped_questions():
        text = shipped_questions()[chosen.name]
    else:
        raise SymW2VError(f"no questions are shipped for the profile {profile!r}: give --questions FILE")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SymW2VError(f"{folder}: not an empty folder (the kit is written into a new one)")
    files = {QUESTIONS_FILE: text}
    if not shipped:
        files[PROFILE_FILE] = Path(profile).read_text(encoding="utf-8")
    version = symw2v.__version__
    if not re.fullmatch(r"[0-9A-Za-z.+!-]{1,40}", version):  # it goes into the scripts' comments
        raise SymW2VError(f"symw2v's version {version!r} is not a version number")
    context = {"version": version, "profile": profile, "profile_file": "" if shipped else PROFILE_FILE}
    files["setup.sh"] = _render("autograder_setup.sh.j2", context)
    files["run_autograder"] = _render("autograder_run.j2", context)
    files.update(_vendored())
    for name, content in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, content)
        if name in ("setup.sh", "run_autograder"):
            os.chmod(path, _EXECUTABLE)
    return sorted(files)


def write_zip(folder: str | Path, target: str | Path) -> None:
    """Zip the kit in ``folder`` into ``target`` as Gradescope wants it: the files at the zip's
    root (not under a folder), the scripts executable, and the same bytes on every run (names in
    order, one fixed date)."""
    folder = Path(folder)
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.external_attr = ((folder / name).stat().st_mode & 0o777 | 0o100000) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (folder / name).read_bytes())
    except OSError as error:
        raise SymW2VError(f"{target}: cannot write it ({error.strerror})") from None


def _render(template: str, context: dict) -> str:
    import jinja2  # only when a kit is written: the command line starts without it

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("symw2v", "templates"),
        autoescape=False,  # shell scripts: what they interpolate goes through shell_quote
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["shell_quote"] = shlex.quote
    return environment.get_template(template).render(context)


def _vendored() -> dict[str, str]:
    """``vendor/``: the package's own files, and a ``pyproject.toml`` that installs them."""
    package = Path(symw2v.__file__).resolve().parent
    files, data = {}, {}
    for here, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__" and not f.startswith("."))
        for name in sorted(names):
            path = Path(here, name)
            if path.suffix not in _VENDORED or not path.is_file():
                continue
            relative = path.relative_to(package.parent)
            files[f"vendor/{relative.as_posix()}"] = path.read_text(encoding="utf-8")
            if path.suffix != ".py":
                owner = _package_of(path, package)
                data.setdefault(owner, []).append(path.relative_to(package.parent / owner.replace(".", "/")))
    files["vendor/pyproject.toml"] = _pyproject(data)
    return files


def _package_of(path: Path, package: Path) -> str:
    """The dotted name of the package a data file belongs to: its nearest folder with an
    ``__init__.py``."""
    folder = path.parent
    while folder != package and not (folder / "__init__.py").exists():
        folder = folder.parent
    return ".".join(folder.relative_to(package.parent).parts)


def _pyproject(data: dict[str, list[Path]]) -> str:
    """A ``pyproject.toml`` for the vendored package: the installed one's name, version,
    Python and dependencies (not its extras), and every data file by name."""
    info = metadata.metadata("symw2v")
    needs = sorted(r for r in metadata.requires("symw2v") or () if "extra ==" not in r)

    def strings(values) -> str:
        return "[" + ", ".join(json.dumps(str(v)) for v in values) + "]"

    lines = [
        "# Written by `symw2v autograder init`: installs the symw2v that wrote this kit.",
        "[build-system]",
        'requires = ["setuptools>=68"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f"name = {json.dumps(info['Name'])}",
        f"version = {json.dumps(info['Version'])}",
        f"requires-python = {json.dumps(info['Requires-Python'] or '>=3.11')}",
        f"dependencies = {strings(needs)}",
        "",
        "[project.scripts]",
        'symw2v = "symw2v.cli:main"',
        "",
        "[tool.setuptools.packages.find]",
        'include = ["symw2v*"]',
        "",
        "[tool.setuptools.package-data]",
    ]
    lines += [
        f"{json.dumps(owner)} = {strings(p.as_posix() for p in files)}"
        for owner, files in sorted(data.items())
    ]
    return "\n".join(lines) + "\n"
