"""A batch's results written as JSON lines, each as it comes: one line per input line, whatever
happens (a result no format can write, SIGINT or SIGTERM half-way)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import closing

from symw2v.batch import unchecked
from symw2v.commands.output import print_safely
from symw2v.errors import SymW2VError
from symw2v.interrupt import held, signal_name
from symw2v.render import render_text
from symw2v.results import ClaimResult

_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


def record_all(items: list, checked: Iterator[ClaimResult], results: list, lines: JsonLines | None) -> None:
    """Record (in ``results``) and write (to ``lines``) each result of ``checked`` as it comes.

    On SIGINT or SIGTERM, each line not checked yet gets an ``interrupted`` result, so that the
    output still has one result per line, and the interruption goes on.
    """
    try:
        with closing(checked):
            for item, result in zip(items, checked, strict=False):
                _record(item, result, results, lines)
    except KeyboardInterrupt as interruption:
        message = f"the batch was stopped by {signal_name(interruption)} before this line was checked"
        with held():
            for item in items[len(results) :]:
                _record(item, unchecked(item, "interrupted", message), results, lines)
        raise


def _record(item, result: ClaimResult, results: list, lines: JsonLines | None) -> None:
    result = writable(item, result)
    with held():  # recorded and written, or neither: the interrupted lines follow on from here
        results.append(result)
        if lines is not None:
            lines.write(json_line(result.to_json()))


def json_line(data: dict) -> str:
    """``data`` as one line of JSON, which stays one line for every reader.

    JSON leaves three Unicode line breaks raw inside strings (NEL, LS, PS), and some readers
    (Python's ``str.splitlines``) split there; their escapes mean the same string.
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def writable(item, result: ClaimResult) -> ClaimResult:
    """``result`` if every output format can write it, else an internal error of its own line."""
    try:
        json.dumps(result.to_json(), allow_nan=False)
        render_text(result)
        return result
    except Exception as error:  # noqa: BLE001 - whatever broke, the line still gets a result
        why = f"internal error: its result could not be written ({type(error).__name__}); please report it"
        return unchecked(item, "internal error", why)


class JsonLines:
    """JSON lines to a file or to standard output, each flushed as it comes."""

    def __init__(self, path: str | None) -> None:
        self._path = path
        try:
            self._file = open(path, "w", encoding="utf-8", errors="backslashreplace") if path else None  # noqa: SIM115
        except OSError as error:
            raise SymW2VError(f"{path}: cannot write it ({error.strerror})") from None

    def write(self, line: str) -> None:
        if self._file is None:
            print_safely(line)
            sys.stdout.flush()
            return
        try:
            self._file.write(line)
            self._file.flush()
        except OSError as error:
            raise SymW2VError(f"{self._path}: cannot write it ({error.strerror})") from None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
