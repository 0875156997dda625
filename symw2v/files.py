"""The files a user names: read within a limit, written whole.

Input is untrusted: only a regular file is read (a link to ``/dev/zero`` or a named pipe would
never end), and never more than the limit, which is checked before reading (the size the file
system reports) and while reading (a file may grow).  Output is written to a temporary file in
the same folder and renamed, so that a reader (Gradescope, a script) never sees half a file;
where it goes is checked before the long work starts.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from symw2v.errors import SymW2VError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _readable(path: Path, info: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise SymW2VError(f"{path}: is {_kind(info.st_mode)}; a {what} must be a regular file")
    if info.st_size > limit:
        raise SymW2VError(f"{path}: the {what} is {info.st_size} bytes long; the limit is {limit}")


def read_limited(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    ``what`` names the file in messages ("document", "batch file").  Raises ``SymW2VError``
    naming the file when it is not a regular file, is larger than ``limit``, or cannot be read.
    """
    path = Path(path)
    try:
        _readable(path, path.stat(), limit, what)
        # O_NONBLOCK: if a named pipe took the file's place since stat, opening must not wait
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            _readable(path, os.fstat(handle.fileno()), limit, what)
            data = handle.read(limit + 1)
    except OSError as error:
        raise SymW2VError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > limit:
        raise SymW2VError(f"{path}: the {what} is longer than the limit of {limit} bytes")
    return data


def _special(path: Path) -> bool:
    """An existing file that is not a regular one, ``/dev/stdout`` say: written in place."""
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False


def _target(path: Path) -> Path:
    """The file a write to ``path`` replaces: through a symbolic link, the file it links to."""
    return path.resolve() if path.is_symlink() else path


def check_writable(path: str | Path, option: str) -> None:
    """Raise ``SymW2VError`` naming ``option`` and ``path`` unless a file can be written there."""
    path = Path(path)
    if path.is_dir():
        raise SymW2VError(f"{option} {path}: is a folder; give a file name")
    if _special(path):
        return
    target = _target(path)
    folder = target.parent
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise SymW2VError(f"{option} {path}: cannot write it, the folder {folder} {why}")
    try:
        probe = _create_beside(target)
    except OSError as error:
        raise SymW2VError(f"{option} {path}: cannot write in {folder} ({error.strerror})") from None
    os.close(probe[0])
    os.unlink(probe[1])


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty file next to ``path``, opened for writing, with the usual permissions."""
    for _ in range(100):
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole: a reader sees the old file or the new one.

    A character that UTF-8 cannot hold (a lone surrogate from a JSON escape or from undecodable
    bytes in an argument) is written as its ``\\udXXX`` escape.
    """
    path = Path(path)
    data = text.encode("utf-8", "backslashreplace")
    try:
        if _special(path):
            path.write_bytes(data)
            return
        target = _target(path)
        descriptor, temporary = _create_beside(target)
    except OSError as error:
        raise SymW2VError(f"{path}: cannot write it ({error.strerror})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise SymW2VError(f"{path}: cannot write it ({error.strerror})") from None
        raise
