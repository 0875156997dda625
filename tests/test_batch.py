"""Batches: one result per line, in order, bad lines reported in place, the same with workers."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from symw2v import batch
from symw2v.batch import check_batch, read_batch
from symw2v.cli import main
from symw2v.errors import SymW2VError
from symw2v.gradescope import results_json
from symw2v.render import plain_text

LINES = [
    {"id": "a", "loss": "negative-sampling", "wrt": "u_o", "claim": "(sigma(u_o^T v_c) - 1) v_c"},
    {"id": "b", "loss": "negative-sampling", "wrt": "u_o", "claim": "(1 - sigma(u_o^T v_c)) v_c"},
    {"id": "c", "loss": "softmax", "wrt": "z", "claim": r"\hat{y} - y", "V": 4},
    {"id": "d", "loss": "softmax", "wrt": "v_c", "claim": "(yhat - y) U", "U": "columns"},
    {"id": "e", "loss": "cubic", "wrt": "v_c", "claim": "u_o"},
    {"id": "f", "loss": "softmax", "wrt": "v_c", "claim": "u_o", "colour": "red"},
    {"id": "g", "loss": "softmax", "wrt": "v_c", "claim": "u_o", "V": 1},
]


def write(tmp_path, lines, extra=""):
    path = tmp_path / "class.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n" + extra, encoding="utf-8")
    return path


def test_results_in_order_with_bad_lines_in_place(tmp_path):
    items = read_batch(write(tmp_path, LINES, "not json\n\n[1, 2]\n"))
    results = list(check_batch(items))
    assert [r.id for r in results] == ["a", "b", "c", "d", "e", "f", "g", "line-8", "line-10"]
    assert [r.verdict.value for r in results] == [
        "proved",
        "refuted",
        "proved",
        "ill-typed",
        "parse-error",
        "parse-error",
        "parse-error",
        "parse-error",
        "parse-error",
    ]
    assert "unknown field" in results[5].message and "not JSON" in results[7].message


def test_workers_give_the_same_results(tmp_path):
    items = read_batch(write(tmp_path, LINES[:4] * 2))
    one = [(r.id, r.verdict.value, r.residual) for r in check_batch(items, jobs=1)]
    two = [(r.id, r.verdict.value, r.residual) for r in check_batch(items, jobs=2)]
    assert one == two


def test_cli_batch_writes_json_lines_and_exit_code(tmp_path, capsys):
    path = write(tmp_path, LINES[:2])
    assert main(["check", "--batch", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == ["proved", "refuted"]


def test_gradescope_results(tmp_path, capsys):
    path = write(tmp_path, LINES[:2])
    out = tmp_path / "results.json"
    main(["check", "--batch", str(path), "--format", "gradescope", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["score"] == 1
    assert [(t["name"], t["score"], t["max_score"]) for t in data["tests"]] == [("a", 1, 1), ("b", 0, 1)]
    assert "refuted" in data["tests"][1]["output"] and "residual" in data["tests"][1]["output"]


def test_gradescope_lists_skipped_equations():
    text = results_json([], [("eq4", "a chain rule written with ∂ on the right")])
    assert json.loads(text)["output"] == "eq4: skipped, a chain rule written with ∂ on the right"


# -- every line gets its own result, whatever is on it ----------------------------------------

LONG = os.environ.get("SYMW2V_HYPOTHESIS") == "long"
VERDICTS = {"proved", "refuted", "undecided", "ill-typed", "parse-error"}
# lone surrogates, and line breaks that JSON leaves raw in a string
AWKWARD = ("\ud800", "\udfff", "a\udc80b", "a\x85b", "\u2028", "\u2029")
# quick to decide: parse errors, and one real claim
CLAIMS = ("(", "u_o +", "sigma(u_o^T", "\\frac{", "yhat - y")
strings = st.one_of(st.text(max_size=6), st.sampled_from(AWKWARD))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**120), 10**120),
    st.floats(allow_nan=True, allow_infinity=True),
    strings,
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(strings, inner, max_size=3),
    max_leaves=6,
)
sizes = st.one_of(st.sampled_from([1, 2, 3, 0, -1, 2.0, True, "3"]), values)
fields = {
    "id": st.one_of(strings, values),
    "loss": st.one_of(st.sampled_from(["softmax", "negative-sampling", "cubic"]), values),
    "wrt": st.one_of(st.sampled_from(["z", "v_c", "u_o"]), values),
    "claim": st.one_of(st.sampled_from(CLAIMS), values),
    "U": st.one_of(st.sampled_from(["rows", "columns"]), values),
    "layout": st.one_of(st.sampled_from(["auto", "numerator"]), values),
    "V": sizes,
    "d": sizes,
    "o": sizes,
    "colour": values,
}
objects = st.fixed_dictionaries({}, optional=fields)
raw_lines = st.sampled_from([b"not json", b"[1,", b"\xff\xfe", b"[" * 3000, b'{"a": NaN}', b"1" * 5000])
lines = st.one_of(
    objects.map(lambda data: json.dumps(data).encode()),
    values.map(lambda data: json.dumps(data).encode()),
    raw_lines,
)


def _examples(ci: int, long: int) -> settings:
    return settings(
        max_examples=long if LONG else ci,
        derandomize=not LONG,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def _same_question(**extra) -> bytes:
    line = {"loss": "softmax", "wrt": "z", "claim": "yhat - y", "V": 3, **extra}
    return json.dumps(line).encode()


@_examples(ci=25, long=400)
@given(st.lists(lines, min_size=1, max_size=6), st.sampled_from(["jsonl", "gradescope"]), st.integers(1, 2))
@example([json.dumps({"id": "\ud800", "loss": "softmax", "wrt": "z", "claim": "y"}).encode()], "jsonl", 1)
@example([json.dumps({"id": "a\u2028b", "\x85": 1}).encode()], "jsonl", 1)
@example([json.dumps({"id": "x", "loss": ["softmax"], "wrt": "z", "claim": "y"}).encode()], "gradescope", 1)
@example([_same_question(o=2.0, id="a"), _same_question(o=2.0, id="b"), _same_question(id="c")], "jsonl", 2)
def test_every_line_gets_one_result_in_order(given_lines, fmt, jobs):
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "class.jsonl", Path(folder) / "out"
        path.write_bytes(b"\n".join(given_lines) + b"\n")
        options = ["--format", "gradescope"] if fmt == "gradescope" else []
        arguments = ["check", "--batch", str(path), "--jobs", str(jobs), "--time-limit", "10", "-o", str(out)]
        assert main(arguments + options) in (0, 1, 2, 3)
        text = out.read_text(encoding="utf-8")
    if fmt == "gradescope":
        tests = json.loads(text)["tests"]
        assert len(tests) == len(given_lines)
        ids = [t["name"] for t in tests]
    else:
        results = [json.loads(line) for line in text.splitlines()]
        assert len(results) == len(given_lines)
        assert all(r["verdict"] in VERDICTS for r in results)
        ids = [r["id"] for r in results]
    for line, ident in zip(given_lines, ids, strict=True):
        given_id = _id_of(line)
        if given_id and fmt == "gradescope":  # Gradescope shows plain text: control characters replaced
            assert ident == plain_text(given_id)
        elif given_id:
            assert ident == given_id  # a lone surrogate included: written as its JSON escape


def _id_of(line: bytes):
    """The id of a line that is standard JSON with finite numbers: one the batch can read."""
    try:
        data = json.loads(line, parse_constant=_refuse, parse_float=_finite)
    except (ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def _refuse(name: str):
    raise ValueError(name)


def _finite(text: str) -> float:
    if not math.isfinite(float(text)):
        raise ValueError(text)
    return float(text)


def test_a_lone_surrogate_in_an_id_reaches_standard_output_as_its_escape(tmp_path, capsys):
    path = tmp_path / "class.jsonl"
    path.write_text(json.dumps({"id": "\ud800", "loss": "softmax", "wrt": "z", "claim": "("}) + "\n")
    assert main(["check", "--batch", str(path)]) == 2
    out = capsys.readouterr().out
    assert '"id": "\\ud800"' in out and json.loads(out)["id"] == "\ud800"


def test_a_bad_line_is_reported_in_its_place(tmp_path):
    path = tmp_path / "class.jsonl"
    huge = b'{"a": ' + b"1" * 5000 + b"}"
    good = json.dumps(LINES[0]).encode()
    path.write_bytes(b"\n".join([b'{"a": NaN}', b'{"a": 1e400}', huge, b"[" * 5000, b"\xff", good]))
    items = read_batch(path)
    assert [number for number, _ in items] == [1, 2, 3, 4, 5, 6]
    messages = [data for _, data in items[:5]]
    assert "NaN is not a JSON number" in messages[0]
    assert "out of range" in messages[1]
    assert "5000 digits" in messages[2]
    assert "too deeply" in messages[3]
    assert "not UTF-8" in messages[4]
    assert items[5][1] == LINES[0]


@pytest.mark.parametrize("kind", ["link to /dev/zero", "named pipe", "folder"])
def test_only_a_regular_file_is_read(tmp_path, kind):
    path = tmp_path / "class.jsonl"
    if kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "named pipe":
        os.mkfifo(path)  # reading it would wait for a writer forever
    else:
        path.mkdir()
    with pytest.raises(SymW2VError, match="must be a regular file") as refused:
        read_batch(path)
    assert str(path) in str(refused.value)


def test_a_batch_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "MAX_BATCH_BYTES", 100)
    path = tmp_path / "class.jsonl"
    path.write_text(json.dumps(LINES[0]) * 3, encoding="utf-8")
    with pytest.raises(SymW2VError, match="the limit is 100") as refused:
        read_batch(path)
    assert str(path) in str(refused.value)


def test_the_gradescope_file_replaces_the_old_one_whole(tmp_path):
    path, out = write(tmp_path, LINES[:2]), tmp_path / "results.json"
    out.write_text("old", encoding="utf-8")
    main(["check", "--batch", str(path), "--format", "gradescope", "-o", str(out)])
    assert len(json.loads(out.read_text(encoding="utf-8"))["tests"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.jsonl", "results.json"]  # no temporary left


# -- the same question asked by many lines is checked once --------------------------------------

SAME = [
    {"id": "a", "loss": "softmax", "wrt": "v_c", "claim": "U (y - yhat)"},
    {"id": "b", "loss": "softmax", "wrt": "v_c", "claim": " (U  (y - yhat)) "},
    {"id": "c", "loss": "softmax", "wrt": "v_c", "claim": "U (yhat - y)"},
    {"id": "d", "loss": "softmax", "wrt": "v_c", "claim": r"U (y - \hat{y})"},  # LaTeX: hints quote it so
    {"id": "e", "loss": "softmax", "wrt": "v_c", "claim": "U (y - yhat)", "V": 4},
    {"id": "f", "loss": "softmax", "wrt": "v_c", "claim": "U(y-yhat)"},
    {"id": "g", "loss": "softmax", "wrt": "v_c", "claim": "U (y - yhat)", "o": True},
]


def test_lines_asking_the_same_question_are_found_before_any_check():
    items = list(enumerate(SAME, start=1))
    firsts, first_of, keys = batch._distinct(items)
    assert first_of == [0, 0, 2, 3, 4, 0, 6]
    assert firsts == [0, 2, 3, 4, 6]
    assert keys[6] is None and keys[0] == keys[1] == keys[5]


def test_a_repeated_question_gets_its_first_lines_evidence_under_its_own_id_and_text(tmp_path):
    lines = [SAME[i] for i in (0, 1, 5, 6)]  # one question asked three times, and a bad line
    path = tmp_path / "class.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    results = list(check_batch(read_batch(path), jobs=1))
    assert [r.id for r in results] == [line["id"] for line in lines]
    assert [r.claim for r in results[:3]] == [line["claim"] for line in lines[:3]]
    first, again, once_more, _ = results
    assert first.verdict.value == "refuted" and first.counterexample is not None
    for copy in (again, once_more):
        assert (copy.verdict, copy.residual, copy.counterexample, copy.hint) == (
            first.verdict,
            first.residual,
            first.counterexample,
            first.hint,
        )
    assert results[3].verdict.value == "parse-error" and "o" in results[3].message


def test_a_cached_result_is_reused_in_a_later_run_byte_for_byte(tmp_path, capsys):
    lines = [SAME[0], SAME[2]]
    path = tmp_path / "class.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    arguments = ["check", "--batch", str(path), "--cache", str(tmp_path / "cache")]
    main(arguments)
    first = [_without_seconds(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    stored = list((tmp_path / "cache").rglob("*.json"))
    assert len(stored) == 2
    renamed = {**SAME[0], "id": "later", "claim": "(U (y - yhat))"}
    path.write_text("".join(json.dumps(line) + "\n" for line in [renamed, SAME[2]]), encoding="utf-8")
    calls = []
    real = batch.run_isolated
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(
        batch, "run_isolated", lambda f, items, *a, **k: calls.append(items) or real(f, items, *a, **k)
    )
    try:
        main(arguments)
    finally:
        monkeypatch.undo()
    second = [_without_seconds(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert not any(calls)  # nothing left to check
    assert second[0] == {**first[0], "id": "later", "claim": "(U (y - yhat))"}
    assert second[1] == first[1]
    stored[0].write_text("{not json", encoding="utf-8")  # a damaged entry is checked again
    main(arguments)
    assert [_without_seconds(json.loads(line)) for line in capsys.readouterr().out.splitlines()] == second


def _without_seconds(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "seconds"}


# -- the window of a batch line: m and window, checked by the one schema ----------------------

WINDOW_LINES = [
    # ∂J_sg/∂U of skip-gram over the window (3, 1), and the sum over the window forgotten
    {
        "id": "sg",
        "loss": "window-softmax",
        "wrt": "U",
        "claim": "sum_j v_c (yhat - e_j)^T",
        "V": 3,
        "d": 1,
        "m": 1,
        "window": [3, 1],
    },  # fmt: skip
    {"id": "m-softmax", "loss": "softmax", "wrt": "v_c", "claim": "U (yhat - y)", "m": 1},
    {"id": "m-0", "loss": "cbow", "wrt": "U", "claim": "0", "m": 0},
    {"id": "odd", "loss": "window-softmax", "wrt": "v_c", "claim": "0", "m": 1, "window": [1, 2, 3]},
    {"id": "negatives", "loss": "negative-sampling", "wrt": "u_o", "claim": "0", "negatives": [1, True]},
]


def test_a_window_line_is_checked_at_its_m_and_window_and_bad_ones_say_why(tmp_path, capsys):
    assert main(["check", "--batch", str(write(tmp_path, WINDOW_LINES)), "--jobs", "1"]) == 2
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in results] == [line["id"] for line in WINDOW_LINES]
    first = results[0]
    assert first["verdict"] == "proved" and (first["instance"]["m"], first["instance"]["window"]) == (
        1,
        [3, 1],
    )
    assert [r["verdict"] for r in results[1:]] == ["parse-error"] * 4
    messages = [r["message"] for r in results[1:]]
    assert messages[0] == (
        "line 2: m is the window's; the softmax loss has none "
        "(give it for cbow, window-negative-sampling, window-softmax)"
    )
    assert messages[1] == "line 3: m must be a whole number from 1 to 10, got 0"
    assert messages[2] == "line 4: 3 window words given for m = 1 (2m positions)"
    assert messages[3] == "line 5: negatives #2 must be a whole number from 1 to 2000, got true"
