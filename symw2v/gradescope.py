"""Gradescope's autograder format: ``results.json`` with one test per claim.

Every string in it is shown as plain text: Gradescope renders ``output`` and test names as
Markdown or HTML unless told otherwise, and they carry a student's own text.
"""

from __future__ import annotations

import json

from symw2v.render import plain_text, render_text
from symw2v.results import ClaimResult, Verdict

# Gradescope's formats for output strings are "text", "html", "md", "ansi" and its default
# "simple_format"; "text" shows the characters as they are
_TEXT = "text"


def results_json(results: list[ClaimResult], skipped: list[tuple[str, str]] = ()) -> str:
    """The ``results.json`` text: score 1 for a proved claim, 0 otherwise; skipped ones listed."""
    tests = [
        {
            "name": plain_text(result.id),
            "name_format": _TEXT,
            "score": 1 if result.verdict is Verdict.PROVED else 0,
            "max_score": 1,
            "status": "passed" if result.verdict is Verdict.PROVED else "failed",
            "output": "\n".join(render_text(result)),
            "output_format": _TEXT,
        }
        for result in results
    ]
    data = {
        "score": sum(t["score"] for t in tests),
        "tests": tests,
        "output": "\n".join(plain_text(f"{name}: skipped, {reason}") for name, reason in skipped),
        "output_format": _TEXT,
        "test_output_format": _TEXT,
        "test_name_format": _TEXT,
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
