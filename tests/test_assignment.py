"""The questions file: what an assignment asks, checked field by field."""

from __future__ import annotations

import pytest

from symw2v.assignment import load_questions, questions_from_toml, shipped_questions
from symw2v.errors import SymW2VError


@pytest.fixture(scope="module")
def questions():
    return questions_from_toml(shipped_questions()["cs224n"], "cs224n")


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = 1\nmarks = 2\n',
            'unknown key "marks"',
        ),
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = "3"\n',
            "points must be a number",
        ),
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = true\n',
            "points must be a number",
        ),
        ('[[questions]]\nlabel = "b"\nloss = "sigmoid"\nwrt = "v_c"\npoints = 1\n', "does not depend on v_c"),
        ('[[questions]]\nlabel = "b"\nloss = "ce"\nwrt = "x"\npoints = 1\n', "loss must be one of"),
        (
            '[[questions]]\nlabel = "h"\nloss = "softmax"\nwrt = "v_w"\npoints = 1\n',
            "v_w is a word of a window",
        ),
        ('[[questions]]\nlabel="e"\nloss="relu"\nwrt="x"\ncase="x = 0"\npoints=1', "case must be one of"),
        (
            '[[questions]]\nlabel="e"\nloss="softmax"\nwrt="U"\ncase="x > 0"\npoints=1',
            "is for the derivative",
        ),
        (
            '[[questions]]\nlabel="g"\nloss="negative-sampling"\nwrt="v_c"\npoints=1\nwritten_with=["W"]',
            "written_with #1 must be one of",
        ),
        ('[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\n', "no points given"),
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\ncase = "w = o"\npoints = 1\n',
            "for the vector",
        ),
        (
            '[[questions]]\nlabel="g"\nloss="softmax"\nwrt="u_w"\npoints=1\ncase="repeated negatives"',
            "repeated negatives are a case",
        ),  # fmt: skip
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = 1\nvisibility = "later"\n',
            "visibility must be one of",
        ),  # fmt: skip
        ("[autograder]\ntime_limit = 0\n[[questions]]\n", "time_limit must be"),
        (
            '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = 1\n' * 2,
            "asks what question 1 asks",
        ),
        ("questions = [", "not a valid TOML file"),
        ("[autograder]\n", "no questions given"),
    ],
)
def test_a_questions_file_is_checked_field_by_field(text, message):
    with pytest.raises(SymW2VError, match=message.replace("(", r"\(")):
        questions_from_toml(text, "questions.toml")


def test_the_shipped_questions_load_from_a_file(tmp_path, questions):
    path = tmp_path / "questions.toml"
    path.write_text(shipped_questions()["cs224n"], encoding="utf-8")
    assert load_questions(path) == questions
    assert sum(q.points for q in questions.questions) == 27
