"""Results kept on disk between runs of a batch (``symw2v check --batch FILE --cache DIR``).

A class's batch is checked again and again as students resubmit; a question answered once
need not be checked again.  An entry is keyed by the question (the line's validated fields and
its claim's parsed tree, ``batch._question_key``), the time limit, and the versions of symw2v
and SymPy (a folder per version pair, so an upgrade starts afresh).  Entries are JSON, never
pickles, and an entry that cannot be read back as a result is ignored and checked again; each
is written to a temporary file and renamed into place, so concurrent runs never see half of
one.  Only decided verdicts are kept: ``undecided`` depends on the machine.  The cache is
trusted like the folder it is in: whoever can write there can change verdicts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import sympy

from symw2v import __version__
from symw2v.errors import SymW2VError
from symw2v.results import ClaimResult, Verdict


class ResultCache:
    """The results of questions, in ``folder``."""

    def __init__(self, folder: str | Path, time_limit_s: float | None) -> None:
        self.folder = Path(folder) / f"symw2v-{__version__}-sympy-{sympy.__version__}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SymW2VError(f"--cache {folder}: cannot make the folder ({error.strerror})") from None
        self._limit = repr(time_limit_s)

    def _path(self, key: tuple) -> Path:
        digest = hashlib.sha256(f"{self._limit}\n{key!r}".encode()).hexdigest()
        return self.folder / f"{digest}.json"

    def get(self, key: tuple) -> ClaimResult | None:
        """The stored result of the question ``key``, or None."""
        try:
            text = self._path(key).read_text(encoding="utf-8")
            return ClaimResult.from_json(json.loads(text))
        except (OSError, ValueError, TypeError, KeyError):  # missing, or not a result: check again
            return None

    def put(self, key: tuple, result: ClaimResult) -> None:
        """Keep ``result`` for ``key`` (a decided verdict only); a folder that cannot be written
        costs the cache, never the batch."""
        if result.verdict is Verdict.UNDECIDED:
            return
        text = json.dumps(result.to_json(), sort_keys=True, ensure_ascii=False)
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, self._path(key))
        except OSError:
            pass
