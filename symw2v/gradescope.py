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


def grading_json(grading) -> str:
    """The ``results.json`` of an autograder's grading (``autograder.Grading``): one test per
    question, named by its label, worth its points, with its visibility and its feedback."""
    tests = []
    for grade in grading.grades:
        question = grade.question
        lines = list(grade.feedback)
        if grade.result is not None:
            lines += ["", *render_text(grade.result)]
        test = {
            "name": plain_text(question.name),
            "name_format": _TEXT,
            "score": grade.score,
            "max_score": question.points,
            "status": "passed" if grade.verdict is Verdict.PROVED else "failed",
            "output": plain_text("\n".join(lines)),
            "output_format": _TEXT,
            "visibility": question.visibility,
            "extra_data": {
                "verdict": grade.verdict.value if grade.verdict is not None else "not found",
                "file": grade.answer.file if grade.answer else "",
                "equation": grade.answer.id if grade.answer else "",
                "line": grade.answer.line if grade.answer else 0,
            },
        }
        tests.append(test)
    summary = [f"symw2v autograder: {_number(grading.score)} of {_number(grading.max_score)} points"]
    data = {
        "score": grading.score,
        "tests": tests,
        "output": plain_text("\n".join(summary + list(grading.notes))),
        "output_format": _TEXT,
        "test_output_format": _TEXT,
        "test_name_format": _TEXT,
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _number(value: float) -> str:
    return f"{value:g}"
