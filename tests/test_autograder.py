"""The Gradescope autograder: the kit ``symw2v autograder init`` writes, its ``run_autograder``
run on sample submissions in a folder laid out like Gradescope's ``/autograder``, and the
grading of each question once, against the course's loss.

Checking is what costs here, so each sample is graded once (module fixtures), and only the
cheapest sample goes through the real ``run_autograder``; the other samples are graded the way
it grades them, in this process.  ``SYMW2V_AUTOGRADER=all`` also runs ``run_autograder`` on all
five samples and compares their scores with a TA's (about half a minute).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from symw2v.assignment import load_questions, questions_from_toml, shipped_questions
from symw2v.autograder import grade_submission, label_tokens, match_submission
from symw2v.cli import main
from symw2v.gradescope import grading_json
from symw2v.world import profile as profiles

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "autograder" / "submissions"
BIN = Path(sys.executable).parent  # the venv's symw2v
# what a TA gives each sample, out of 27, question by question (the shipped cs224n questions:
# (a) 3, (b) 3, (c) w = o 2, (c) w ≠ o 2, (d) 2, (e) 3, f(i) 2, f(ii) 2, f(iii) 2, (g) 3,
# (h) ∂J_sg/∂U 1, ∂J_sg/∂v_c 1, ∂J_sg/∂v_w 1)
TA = {
    "right": [3, 3, 2, 2, 2, 3, 2, 2, 2, 3, 1, 1, 1],
    "wrong": [0, 0, 2, 2, 0, 0, 0, 2, 2, 0, 0, 0, 1],
    "missing": [0, 3, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0],
    "own_loss": [0] * 13,
    "duplicated": [0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
}


# -- Gradescope's results.json, as documented ------------------------------------------------
# https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format

_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
_VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
_TOP = {
    "score": "number",
    "execution_time": "number",
    "output": str,
    "output_format": _FORMATS,
    "test_output_format": _FORMATS,
    "test_name_format": _FORMATS,
    "visibility": _VISIBILITIES,
    "stdout_visibility": _VISIBILITIES,
    "extra_data": dict,
    "tests": list,
    "leaderboard": list,
}
_TEST = {
    "score": "number",
    "max_score": "number",
    "status": {"passed", "failed"},
    "name": str,
    "name_format": _FORMATS,
    "number": str,
    "output": str,
    "output_format": _FORMATS,
    "tags": list,
    "visibility": _VISIBILITIES,
    "extra_data": dict,
}


def _problems(data: object, fields: dict, where: str) -> list[str]:
    if type(data) is not dict:
        return [f"{where} is not an object"]
    found = []
    for key, value in data.items():
        kind = fields.get(key)
        if kind is None:
            found.append(f"{where}: unknown field {key!r}")
        elif kind == "number":
            if type(value) not in (int, float):
                found.append(f"{where}: {key} is not a number")
        elif isinstance(kind, set):
            if value not in kind:
                found.append(f"{where}: {key} is {value!r}")
        elif type(value) is not kind:
            found.append(f"{where}: {key} is not a {kind.__name__}")
    return found


def gradescope_problems(data: dict) -> list[str]:
    """What in ``data`` is not Gradescope's documented results.json (empty when it is)."""
    found = _problems(data, _TOP, "results")
    tests = data.get("tests", [])
    for number, test in enumerate(tests, start=1):
        found += _problems(test, _TEST, f"test {number}")
        if "score" in test and "max_score" in test and not 0 <= test["score"] <= test["max_score"]:
            found.append(f"test {number}: score {test['score']} outside 0..{test['max_score']}")
    if "score" not in data and not all("score" in t for t in tests):
        found.append("no score: neither at the top nor on every test")
    if "score" in data and tests and data["score"] != sum(t.get("score", 0) for t in tests):
        found.append("the score is not the sum of the tests' scores")
    return found


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def questions():
    return questions_from_toml(shipped_questions()["cs224n"], "cs224n")


@pytest.fixture(scope="module")
def cs224n():
    return profiles.load("cs224n")


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    """A folder laid out like Gradescope's /autograder, with the kit unzipped in source/."""
    root = tmp_path_factory.mktemp("autograder")
    assert main(["autograder", "init", str(root / "source"), "--profile", "cs224n"]) == 0
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    return root


def run_autograder(root: Path, sample: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the kit's run_autograder on one sample as Gradescope would: a fresh submission and
    results folder, symw2v on the PATH."""
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "submission").mkdir()
    shutil.copy(SAMPLES / f"{sample}.md", root / "submission" / f"{sample}.md")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(
        ["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300
    )
    return ran, json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def own_loss_run(autograder):
    return run_autograder(autograder, "own_loss")


def grade(sample: str, questions, profile, tmp_path_factory):
    folder = tmp_path_factory.mktemp(sample)
    shutil.copy(SAMPLES / f"{sample}.md", folder)
    return grade_submission(folder, questions, profile)


@pytest.fixture(scope="module")
def duplicated(questions, cs224n, tmp_path_factory):
    return grade("duplicated", questions, cs224n, tmp_path_factory)


@pytest.fixture(scope="module")
def missing(questions, cs224n, tmp_path_factory):
    return grade("missing", questions, cs224n, tmp_path_factory)


# -- the kit ------------------------------------------------------------------------------------


def test_init_writes_setup_run_autograder_questions_and_symw2vs_source(autograder):
    source = autograder / "source"
    for script in ("setup.sh", "run_autograder"):
        assert (source / script).stat().st_mode & stat.S_IXUSR
        assert subprocess.run(["bash", "-n", str(source / script)]).returncode == 0  # it parses
    assert (source / "questions.toml").read_text(encoding="utf-8") == shipped_questions()["cs224n"]
    assert (source / "vendor" / "symw2v" / "cli.py").read_bytes() == (ROOT / "symw2v" / "cli.py").read_bytes()
    pyproject = (source / "vendor" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "symw2v"' in pyproject and '"questions/cs224n.toml"' in pyproject
    assert "--profile cs224n" in (source / "run_autograder").read_text(encoding="utf-8")
    assert not list(source.rglob("__pycache__"))


def test_init_writes_the_same_bytes_every_time_and_zips_the_kit_at_the_zips_root(autograder, tmp_path):
    zipped = tmp_path / "autograder.zip"
    assert (
        main(["autograder", "init", str(tmp_path / "again"), "--profile", "cs224n", "--zip", str(zipped)])
        == 0
    )
    first = {p.relative_to(autograder / "source"): p.read_bytes() for p in (autograder / "source").rglob("*")
             if p.is_file()}  # fmt: skip
    again = {
        p.relative_to(tmp_path / "again"): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert first == again
    with zipfile.ZipFile(zipped) as archive:
        assert {Path(n): archive.read(n) for n in archive.namelist()} == first
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o777 == 0o755


def test_init_quotes_a_profile_file_and_refuses_what_it_cannot_write(tmp_path, capsys):
    profile = tmp_path / "my course's profile.toml"
    profile.write_text(
        (ROOT / "symw2v/world/profiles/cs224n.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    questions = tmp_path / "questions.toml"
    questions.write_text(shipped_questions()["cs224n"], encoding="utf-8")
    assert main(["autograder", "init", str(tmp_path / "kit"), "--profile", str(profile)]) == 2
    assert "give --questions FILE" in capsys.readouterr().err
    kit = tmp_path / "kit"
    assert (
        main(["autograder", "init", str(kit), "--profile", str(profile), "--questions", str(questions)]) == 0
    )
    run = (kit / "run_autograder").read_text(encoding="utf-8")
    assert '--profile "$ROOT/source/profile.toml"' in run and "course's" not in run
    assert (kit / "profile.toml").read_bytes() == profile.read_bytes()
    assert main(["autograder", "init", str(kit), "--profile", "cs224n"]) == 2  # not an empty folder
    assert "not an empty folder" in capsys.readouterr().err


# -- run_autograder on a submission, as Gradescope runs it ----------------------------------


def test_run_autograder_exits_0_and_writes_gradescopes_results_json(own_loss_run):
    ran, results = own_loss_run
    assert ran.returncode == 0, ran.stderr
    assert gradescope_problems(results) == []
    assert [t["name"] for t in results["tests"]][1:4] == [
        "(b) naive-softmax: ∂J/∂v_c",
        "(c) naive-softmax: ∂J/∂u_w for w = o",
        "(c) naive-softmax: ∂J/∂u_w for w ≠ o",
    ]
    assert ["0/27", "in", "all"] in [line.split() for line in ran.stdout.splitlines()]  # the staff's log


def test_a_students_own_J_is_reported_and_the_courses_loss_is_used(own_loss_run):
    ran, results = own_loss_run
    assert [t["score"] for t in results["tests"]] == TA["own_loss"]
    assert results["score"] == 0
    assert "J = 0 u_o^T v_c (J defined on line 6) is none of the course's losses" in results["output"]
    first = results["tests"][1]
    assert first["extra_data"] == {
        "equation": "equation",
        "file": "own_loss.md",
        "line": 12,
        "verdict": "refuted",
    }
    assert "Your J here is your own, J = 0 u_o^T v_c" in first["output"]
    assert "graded against the course's softmax loss" in first["output"]


def test_run_autograder_writes_results_json_even_when_symw2v_cannot_grade(autograder, tmp_path):
    root, bin = tmp_path / "broken", tmp_path / "bin"
    shutil.copytree(autograder / "source", root / "source")
    shutil.copy(autograder / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    bin.mkdir()
    (bin / "symw2v").write_text("#!/bin/sh\necho 'symw2v: error: a broken questions file' >&2\nexit 2\n")
    (bin / "symw2v").chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PATH": f"{bin}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True)
    assert ran.returncode == 0 and "a broken questions file" in ran.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert gradescope_problems(results) == [] and results["score"] == 0
    assert "could not grade this submission (symw2v exit status 2)" in results["output"]


# -- grading: each question once, by label or by what it differentiates ---------------------


def test_a_duplicated_equation_scores_its_question_once(duplicated):
    assert [g.score for g in duplicated.grades] == TA["duplicated"]
    assert duplicated.grades[1].answer.id == "(b)#6"  # the last of the six: a derivation ends with it
    assert (
        sum("not graded: (b)" in n and "which another equation answers" in n for n in duplicated.notes) == 5
    )
    assert gradescope_problems(json.loads(grading_json(duplicated))) == []


def test_a_missing_answer_scores_0_not_found(missing):
    assert [g.score for g in missing.grades] == TA["missing"]
    found = [g.answer.id if g.answer else None for g in missing.grades]
    assert found[1:5] == ["equation", "equation#2", None, "equation#3"]  # unlabelled: by variable
    absent = missing.grades[3]
    assert absent.verdict is None and absent.feedback[0].startswith(
        "Not found: no equation gives ∂J/∂u_w for w != o"
    )
    results = json.loads(grading_json(missing))
    assert (
        results["tests"][3]["status"] == "failed"
        and results["tests"][3]["extra_data"]["verdict"] == "not found"
    )
    assert gradescope_problems(results) == [] and results["score"] == 7


FEW = """
[autograder]
visibility = "after_due_date"

[[questions]]
label = "c"
loss = "softmax"
wrt = "u_w"
case = "w = o"
points = 1.5

[[questions]]
label = "c"
loss = "softmax"
wrt = "u_w"
case = "w != o"
points = 1.5
visibility = "visible"

[[questions]]
label = "d"
loss = "softmax"
wrt = "U"
points = 2

"""


def test_wrong_answers_in_another_notation_score_0_with_what_to_fix(cs224n, tmp_path_factory):
    wrong = grade("wrong", questions_from_toml(FEW, "few"), cs224n, tmp_path_factory)
    # \nabla_{u_w} J = (ŷ_w − y_w) v_c: one formula, right for both cases; ∂J/∂U transposed
    assert [g.score for g in wrong.grades] == [1.5, 1.5, 0]
    assert wrong.grades[0].answer == wrong.grades[1].answer
    assert wrong.grades[2].feedback[1].startswith("To fix: the claim is V×d, but ∂J/∂U is d×V")
    results = json.loads(grading_json(wrong))
    assert gradescope_problems(results) == [] and results["score"] == 3
    assert [t["visibility"] for t in results["tests"]] == ["after_due_date", "visible", "after_due_date"]
    assert [t["status"] for t in results["tests"]] == ["passed", "passed", "failed"]


def test_an_answer_by_cases_answers_each_case_question(cs224n, tmp_path):
    (tmp_path / "c.md").write_text(
        "The naive softmax loss.\n\n(c)\n\n$$\\frac{\\partial J}{\\partial u_w} = \\begin{cases} "
        "\\hat{y}_w v_c & w \\neq o \\\\ (\\hat{y}_w - 1) v_c & w = o \\end{cases}$$\n",
        encoding="utf-8",
    )
    graded = grade_submission(tmp_path, questions_from_toml(FEW, "few"), cs224n)
    assert [g.score for g in graded.grades] == [1.5, 1.5, 0]  # no (d)
    assert [g.result.id for g in graded.grades[:2]] == ["(c).1.2", "(c).1.1"]  # w = o is the second case
    assert [g.result.case for g in graded.grades[:2]] == ["w = o", "w != o"]


def test_the_labelled_equation_answers_before_a_later_one(cs224n, tmp_path):
    (tmp_path / "answers.md").write_text(
        "The naive softmax loss.\n\n(b)\n\n$$\\frac{\\partial J}{\\partial v_c} = U(\\hat{y} - y)$$\n\n"
        "(e) Again:\n\n$$\\frac{\\partial J}{\\partial v_c} = U(y - \\hat{y})$$\n",
        encoding="utf-8",
    )
    only_b = '[[questions]]\nlabel = "b"\nloss = "softmax"\nwrt = "v_c"\npoints = 3\n'
    graded = match_submission(tmp_path, questions_from_toml(only_b, "b"), cs224n)  # nothing checked
    assert [c.chain.id for c in graded.chosen] == ["(b)"]
    assert (
        "not graded: (e) on line 9 of answers.md (∂J/∂v_c): it answers (b), which another equation answers"
        in (graded.notes)
    )


def test_not_found_names_the_display_under_its_label_that_was_not_read(cs224n, tmp_path):
    (tmp_path / "a.md").write_text(
        "The naive softmax loss.\n\n(d)\n\n"
        "$$\\frac{\\partial J}{\\partial U} = "
        "\\frac{\\partial J}{\\partial z} \\frac{\\partial z}{\\partial U}$$\n",
        encoding="utf-8",
    )
    only_d = '[[questions]]\nlabel = "d"\nloss = "softmax"\nwrt = "U"\npoints = 2\n'
    (graded,) = grade_submission(tmp_path, questions_from_toml(only_d, "d"), cs224n).grades
    assert graded.score == 0 and graded.verdict is None
    assert graded.feedback[1] == (
        "The display (d) on line 5 of a.md was not read: "
        "every step has ∂ in it (a chain rule): nothing to check."
    )


@pytest.mark.skipif(
    os.environ.get("SYMW2V_AUTOGRADER") != "all", reason="set SYMW2V_AUTOGRADER=all (about 30 s)"
)
@pytest.mark.parametrize("sample", sorted(TA))
def test_run_autograder_gives_the_scores_a_ta_gives(autograder, sample):
    ran, results = run_autograder(autograder, sample)
    assert ran.returncode == 0 and gradescope_problems(results) == []
    assert [t["score"] for t in results["tests"]] == TA[sample]


# -- labels, and check's own Gradescope output ------------------------------------------------


def test_labels_compare_by_their_letters_and_numbers():
    assert label_tokens("(f)(ii)") == label_tokens("f(ii)") == label_tokens("f.ii") == ("f", "ii")
    assert (
        label_tokens("(b)#3") == ("b",)
        and label_tokens("eq13") == ("13",)
        and label_tokens("2b") == ("2", "b")
    )


def test_check_format_gradescope_exits_0_once_results_json_is_written(tmp_path):
    out = tmp_path / "results.json"
    claim = ["check", "--loss", "softmax", "--wrt", "z", "--format", "gradescope", "-o", str(out), "--", "("]
    assert main(claim) == 0  # a parse error: exit code 2 without --format gradescope
    assert gradescope_problems(json.loads(out.read_text(encoding="utf-8"))) == []


# -- the rest of the handouts: the loss identity, activations by cases, the vectorised form, the
# skip-gram window; each with a classic wrong answer beside a right one ------------------------

MORE = """
[[questions]]
label = "a"
loss = "softmax"
wrt = "J"
points = 3

[[questions]]
label = "e"
loss = "leaky-relu"
wrt = "x"
case = "x > 0"
points = 1

[[questions]]
label = "e"
loss = "leaky-relu"
wrt = "x"
case = "x < 0"
points = 1

[[questions]]
label = "f"
loss = "sigmoid"
wrt = "x"
points = 3

[[questions]]
label = "g(i)"
loss = "negative-sampling"
wrt = "v_c"
points = 2

[[questions]]
label = "g(ii)"
loss = "negative-sampling"
wrt = "v_c"
points = 2
written_with = ["Uow"]

[[questions]]
label = "i"
loss = "window-softmax"
wrt = "U"
points = 1

[[questions]]
label = "i"
loss = "window-softmax"
wrt = "v_w"
points = 1
"""

SG = r"J_{\text{skip-gram}}(v_c, w_{t-m}, \dots, w_{t+m}, U)"
UOW = r"U_{o,\{w_1,\dots,w_K\}}"
NS = r"J_{\text{neg-sample}}"
MORE_ANSWERS = rf"""# Word2vec

## (a)

$$-\sum_{{w \in V}} y_w \log \hat{{y}}_w = -\log \hat{{y}}_o$$

## (e)

Leaky ReLU: $f(x) = \max(\alpha x, x)$, so (the classic slip: 0 below zero, as for ReLU)

$$f'(x) = \begin{{cases}} 1 & x > 0 \\ 0 & x < 0 \end{{cases}}$$

## (f)

$$\frac{{d\sigma(x)}}{{dx}} = \sigma(x)(1 + \sigma(x))$$

## (g)

$$\frac{{\partial {NS}}}{{\partial v_c}} = -{UOW} (\mathbf{{1}} - \sigma({UOW}^\top v_c))$$

## (i)

$$\frac{{\partial {SG}}}{{\partial U}} = \frac{{\partial J(v_c, w_{{t+j}}, U)}}{{\partial U}}$$

$$\frac{{\partial {SG}}}{{\partial v_w}} = 0$$
"""


@pytest.fixture(scope="module")
def more(cs224n, tmp_path_factory):
    folder = tmp_path_factory.mktemp("more")
    (folder / "answers.md").write_text(MORE_ANSWERS, encoding="utf-8")
    return grade_submission(folder, questions_from_toml(MORE, "more"), cs224n)


def test_the_identity_activations_vectorised_form_and_window_are_graded(more):
    verdicts = [g.verdict.value if g.verdict else None for g in more.grades]
    assert verdicts == ["proved", "proved", "refuted", "refuted", None, "proved", "ill-typed", "proved"]
    assert [g.score for g in more.grades] == [3, 1, 0, 0, 0, 2, 0, 1]
    assert more.grades[2].feedback[1] == "To fix: it differs from the gradient by -α"
    assert (
        "(1 + σ(x))" not in more.grades[3].feedback[1]
        and "differs from the gradient" in more.grades[3].feedback[1]
    )
    assert more.grades[6].feedback[1].startswith("To fix: the index j is free: bind it with a sum")


def test_an_answer_not_in_the_asked_form_is_not_the_vectorised_one(more):
    # the vectorised answer answers g(ii), which asks for it, and not g(i), which asks for none
    found, vectorised = more.grades[4], more.grades[5]
    assert vectorised.answer.id == "(g)" and found.answer is None
    assert found.feedback[0].startswith("Not found: no equation gives ∂J/∂v_c of the negative-sampling loss.")
    (identity,) = [g for g in more.grades if g.question.wrt == "J"]
    assert identity.question.asked == "an identity J = … about the softmax loss itself"


def test_a_question_asking_for_the_vectorised_form_says_so_when_not_found(cs224n, tmp_path):
    (tmp_path / "a.md").write_text(
        "## (g)\n\n$$\\frac{\\partial J_{\\text{neg-sample}}}{\\partial v_c} = "
        "(\\sigma(u_o^\\top v_c) - 1) u_o + \\sum_{k=1}^K \\sigma(u_k^\\top v_c) u_k$$\n",
        encoding="utf-8",
    )
    only = MORE[MORE.index('[[questions]]\nlabel = "g(ii)"') :].split("\n\n[[questions]]")[0]
    matched = match_submission(tmp_path, questions_from_toml(only, "g(ii)"), cs224n)
    assert matched.chosen == (None,)
    assert (
        "written with Uow = [u_o, -u_{w_1}, ..., -u_{w_K}]"
        in questions_from_toml(only, "g").questions[0].asked
    )


def test_the_2022_questions_file_loads_and_asks_every_part():
    questions = load_questions(ROOT / "examples" / "autograder" / "questions-2022.toml").questions
    asked = {(q.loss.name, q.wrt, q.case, q.written_with) for q in questions}
    assert ("relu", "x", "x < 0", ()) in asked and ("negative-sampling", "v_c", "", ("Uow",)) in asked
    assert {("softmax", "J"), ("sigmoid", "x"), ("window-softmax", "v_w")} <= {
        (q.loss.name, q.wrt) for q in questions
    }


WINDOW_NS = r"J_{\text{window-neg-sampling}}(v_c, w_{t-m}, \dots, w_{t+m}, U)"
WINDOW_NS_QUESTIONS = """
[[questions]]
label = "i"
loss = "window-negative-sampling"
wrt = "U"
points = 1

[[questions]]
label = "i"
loss = "window-negative-sampling"
wrt = "v_c"
points = 1
"""


def test_the_window_of_negative_sampling_is_graded_where_the_answer_names_it(cs224n, tmp_path):
    each = r"\sum_{-m \le j \le m, j \ne 0}"
    (tmp_path / "a.md").write_text(
        f"## (i)\n\n$$\\frac{{\\partial {WINDOW_NS}}}{{\\partial U}} = "
        f"{each} \\frac{{\\partial J(v_c, w_{{t+j}}, U)}}{{\\partial U}}$$\n\n"
        # the classic slip: the negatives' term once, not once for each of the 2m positions
        f"$$\\frac{{\\partial {WINDOW_NS}}}{{\\partial v_c}} = -{each} \\sigma(-u_{{w_{{t+j}}}}^\\top v_c) "
        f"u_{{w_{{t+j}}}} + \\sum_{{k=1}}^K \\sigma(u_k^\\top v_c) u_k$$\n",
        encoding="utf-8",
    )
    graded = grade_submission(tmp_path, questions_from_toml(WINDOW_NS_QUESTIONS, "window"), cs224n)
    assert [(g.verdict.value, g.score) for g in graded.grades] == [("proved", 1), ("refuted", 0)]
    assert graded.grades[1].feedback[1] == "To fix: it differs from the gradient by -Σ_k 3*σ(u_kᵀv_c) u_k"
