"""Batches: one result per line, in order, bad lines reported in place, the same with workers."""

from __future__ import annotations

import json

from symw2v.batch import check_batch, read_batch
from symw2v.cli import main
from symw2v.gradescope import results_json

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
