"""Gradescope's autograder format: ``results.json`` with one test per claim."""

from __future__ import annotations

import json

from symw2v.render import render_text
from symw2v.results import ClaimResult, Verdict


def results_json(results: list[ClaimResult], skipped: list[tuple[str, str]] = ()) -> str:
    """The ``results.json`` text: score 1 for a proved claim, 0 otherwise; skipped ones listed."""
    tests = [
        {
            "name": result.id,
            "score": 1 if result.verdict is Verdict.PROVED else 0,
            "max_score": 1,
            "status": "passed" if result.verdict is Verdict.PROVED else "failed",
            "output": "\n".join(render_text(result)),
        }
        for result in results
    ]
    data = {
        "score": sum(t["score"] for t in tests),
        "tests": tests,
        "output": "\n".join(f"{name}: skipped, {reason}" for name, reason in skipped),
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
