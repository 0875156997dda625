"""The command line through its real entry points: exit codes, help, output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from symw2v import __version__
from symw2v.cli import main

EQ13 = "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))"


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "symw2v", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def here(*args: str, capsys, cwd=None, monkeypatch=None) -> tuple[int, str]:
    """The command run in this process (cheaper than a process of its own): exit code, stderr."""
    if cwd is not None:
        monkeypatch.chdir(cwd)
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse's usage errors
        code = exit.code
    return code, capsys.readouterr().err


def test_module_entry_point_version_and_help(capsys):
    assert run("--version").stdout.strip() == f"symw2v {__version__}"
    for command in ("check", "prove"):
        with pytest.raises(SystemExit) as exit:
            main([command, "--help"])
        assert exit.value.code == 0
    help_text = capsys.readouterr().out
    assert "Exit codes" in help_text and "--loss" in help_text and "sum_k" in help_text
    assert "derivation" in help_text


@pytest.mark.parametrize(
    ("claim", "extra", "code"),
    [
        ("(sigma(u_o^T v_c) - 1) v_c", ["--wrt", "u_o"], 0),
        (EQ13, ["--wrt", "v_c"], 1),
        ("u_o + u_o^T", ["--wrt", "v_c"], 1),
        ("sigma(u_o^T", ["--wrt", "v_c"], 2),
    ],
)
def test_check_exit_codes(claim, extra, code, capsys):
    assert main(["check", "--loss", "negative-sampling", *extra, "--", claim]) == code


def test_check_prints_the_residual_and_counterexample(capsys):
    main(["check", "--loss", "negative-sampling", "--wrt", "v_c", "--", EQ13])
    out = capsys.readouterr().out
    assert out.startswith("refuted: ")
    assert "residual (claimed − derived): (-Σ_k u_k)ᵀ" in out
    assert "transcendental" in out


def test_check_json(capsys):
    assert main(["check", "--loss", "softmax", "--wrt", "v_c", "--json", "(yhat - y) U"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["verdict"], data["U"], data["y"], data["layout"]) == ("proved", "rows", "row", "numerator")


def test_check_report(tmp_path, capsys):
    target = tmp_path / "r.html"
    main(["check", "--loss", "softmax", "--wrt", "z", "--report", str(target), "yhat - y"])
    assert "<math" in target.read_text(encoding="utf-8")
    assert main(["check", "--loss", "softmax", "--wrt", "z", "--report", str(tmp_path / "r.pdf"), "y"]) == 2
    assert "--report" in capsys.readouterr().err


def test_usage_errors_exit_2_without_traceback(capsys):
    code, err = here("check", "--loss", "softmax", "--wrt", "v_c", "--V", "1", "u_o", capsys=capsys)
    assert code == 2
    assert "Traceback" not in err and "V must be" in err
    assert here("check", "--loss", "cubic", "--wrt", "v_c", "u_o", capsys=capsys)[0] == 2


def test_prove_exits_1_when_a_verdict_is_not_the_expected_one(tmp_path):
    path = tmp_path / "wrong.toml"
    path.write_text(
        'loss = "negative-sampling"\n[[claims]]\nid = "x"\nwrt = "u_o"\n'
        'claim = "(1 - sigma(u_o^T v_c)) v_c"\n',
        encoding="utf-8",
    )
    result = run("prove", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "expected proved" in result.stderr


def test_prove_usage_errors(tmp_path, capsys, monkeypatch):
    assert here("prove", str(tmp_path / "missing.toml"), capsys=capsys)[0] == 2
    assert here("prove", "--format", "pdf", capsys=capsys, cwd=tmp_path, monkeypatch=monkeypatch)[0] == 2
    code, err = here("prove", capsys=capsys, cwd=tmp_path, monkeypatch=monkeypatch)
    assert code == 2 and "derivations/" in err


def test_check_document_json_and_report(root, tmp_path, capsys):
    report = tmp_path / "r.html"
    code = main(
        ["check", str(root / "examples" / "reference_derivation.md"), "--json", "--report", str(report)]
    )
    assert code == 1  # eq. 13 is refuted
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["claims"]] == ["eq2", "eq5", "eq7", "eq11", "eq13", "eq14", "eq15"]
    assert [s["verdict"] for s in data["claims"][4]["steps"]] == ["refuted", "proved"]
    assert {s["id"] for s in data["skipped"]} == {"eq1", "eq2.1", "eq3", "eq4", "eq6", "eq9"}
    html = report.read_text(encoding="utf-8")
    assert "Skipped" in html and "valid algebra" in html and "<math" in html


def test_check_needs_loss_and_wrt_or_a_document(capsys):
    assert main(["check", "u_o"]) == 2
    assert "document" in capsys.readouterr().err
    assert main(["check", "--loss", "softmax", "u_o"]) == 2


def _must_not_run(*args, **kwargs):
    raise AssertionError("the check ran before its output was found unwritable")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("missing/out.json", "the folder {folder}/missing does not exist"),
        ("file.txt/out.json", "the folder {folder}/file.txt is not a folder"),
        ("folder", "is a folder"),
    ],
)
@pytest.mark.parametrize("option", ["-o", "--report"])
@pytest.mark.parametrize("form", ["claim", "document", "batch"])
def test_an_unwritable_output_is_refused_before_the_checks(
    tmp_path, capsys, monkeypatch, root, where, expected, option, form
):
    from symw2v.commands import check as command

    for name in ("run_one", "check_document", "check_batch"):
        monkeypatch.setattr(command, name, _must_not_run)
    (tmp_path / "file.txt").write_text("", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder.md").mkdir()
    target = str(tmp_path / where) + (".md" if option == "--report" else "")
    batch_file = tmp_path / "class.jsonl"
    batch_file.write_text('{"loss": "softmax", "wrt": "z", "claim": "y"}\n', encoding="utf-8")
    arguments = {
        "claim": ["--loss", "softmax", "--wrt", "z", "--", "yhat - y"],
        "document": [str(root / "examples" / "reference_derivation.md")],
        "batch": ["--batch", str(batch_file)],
    }[form]
    assert main(["check", option, target, *arguments]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"symw2v: error: {option} {target}")
    assert expected.format(folder=tmp_path) in error


def test_a_report_that_is_not_md_or_html_is_refused_before_the_check(tmp_path, capsys, monkeypatch):
    from symw2v.commands import check as command

    monkeypatch.setattr(command, "run_one", _must_not_run)
    arguments = ["check", "--loss", "softmax", "--wrt", "z", "--report", str(tmp_path / "r.pdf"), "y"]
    assert main(arguments) == 2
    assert "--report takes a file name ending in .md or .html" in capsys.readouterr().err


def test_sigterm_exits_143_and_sigint_130():
    from symw2v.interrupt import Terminated, exit_status

    assert exit_status(Terminated()) == 143
    assert exit_status(KeyboardInterrupt()) == 130


def test_a_claim_without_loss_and_variable_is_told_how_to_ask(tmp_path, capsys, monkeypatch):
    code, err = here("check", "U(yhat-y)", capsys=capsys, cwd=tmp_path, monkeypatch=monkeypatch)
    assert code == 2
    assert "not a document file" in err
    assert "--loss softmax --wrt v_c -- 'U(yhat-y)'" in err


def test_a_report_in_an_unknown_format_is_refused_before_any_check(tmp_path, capsys):
    report = str(tmp_path / "r.pdf")
    code, err = here(
        "check", "--loss", "softmax", "--wrt", "v_c", "--report", report, "--", "U(y-yhat)", capsys=capsys
    )
    assert code == 2
    assert ".md or .html" in err
    assert not (tmp_path / "r.pdf").exists()


# -- the window of a single claim: --m, --window (and --negatives), through the one schema ---

WINDOW_V_C = "sum_j U (yhat - e_j)"  # ∂J_sg/∂v_c of skip-gram over a window, naive softmax


def test_a_window_claim_is_checked_at_the_m_and_window_given(capsys):
    options = [
        "--loss",
        "window-softmax",
        "--wrt",
        "v_c",
        "--V",
        "3",
        "--d",
        "1",
        "--m",
        "1",
        "--window",
        "1,3",
    ]
    options += ["--sweep", "none"]
    assert main(["check", *options, "--json", "--", WINDOW_V_C]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"] == "proved"
    assert (result["instance"]["m"], result["instance"]["window"]) == (1, [1, 3])
    # the classic wrong answer: one outside word's gradient, the sum over the window forgotten
    assert main(["check", *options, "--", "U (yhat - y)"]) == 1
    assert capsys.readouterr().out.startswith("refuted: ∂J/∂v_c = U (yhat - y)")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--loss", "softmax", "--m", "2"], "--m: m is the window's; the softmax loss has none"),
        (["--loss", "window-softmax", "--m", "2", "--window", "1,3"], "2 window words given for m = 2"),
        (["--loss", "window-softmax", "--window", "1,9"], "is not a word of the vocabulary 1..5"),
        (["--loss", "window-softmax", "--window", "1,x"], "window #2 must be a whole number"),
        (["--loss", "softmax", "--negatives", "1,3"], "--negatives: negatives are negative sampling's"),
    ],
)
def test_a_window_that_does_not_fit_the_loss_or_its_words_is_a_usage_error(arguments, message, capsys):
    code, err = here("check", *arguments, "--wrt", "v_c", "--", "U (yhat - y)", capsys=capsys)
    assert code == 2 and message in err, err


@pytest.mark.parametrize("value", ["0", "11", "2.0", "true"])
def test_m_out_of_its_range_is_refused_by_argparse_naming_the_option(value, capsys):
    code, err = here("check", "--loss", "cbow", "--wrt", "U", "--m", value, "--", "0", capsys=capsys)
    assert code == 2 and "argument --m: m must be a whole number from 1 to 10" in err


def test_the_instance_options_are_for_a_single_claim(root, capsys):
    document = str(root / "examples" / "homework_activations.md")
    code, err = here("check", document, "--m", "3", capsys=capsys)
    assert code == 2 and "--m: for a single claim" in err


def test_check_help_explains_the_window_options(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "the window's half-width m: J sums over the 2m positions −m ≤ j ≤ m, j ≠ 0" in text
    assert "only for a loss over a window: cbow, window-" in text  # argparse may break at a hyphen
    assert "--window W,W,…" in text and "--negatives W,W,…" in text
