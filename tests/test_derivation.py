"""Derivation files: how they are read and proved, and what a bad file says (the shipped
derivations' own verdicts and reports: test_shipped_derivations.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symw2v.cli import main
from symw2v.derivation import load_derivation, prove_derivation
from symw2v.errors import DerivationFileError
from symw2v.world.losses import BUILTIN


def write(tmp_path, text):
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    return path


CLAIM = '[[claims]]\nid = "a"\nwrt = "u_o"\nclaim = "(sigma(u_o^T v_c) - 1) v_c"\n'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("loss = 'softmax'\n", "no claims given; it must be a list of 1 to 500 items"),
        (CLAIM, "no loss given"),
        (
            "loss = 'cubic'\n" + CLAIM,
            "loss must be one of " + "".join(f'"{name}", ' for name in sorted(BUILTIN)) + "or a [loss]",
        ),
        ("loss = 'softmax'\ncolour = 1\n" + CLAIM, 'unknown key "colour"; the keys are title,'),
        (
            "loss = 'softmax'\n[instance]\nV = 1\n" + CLAIM,
            "[instance] V must be a whole number from 2",
        ),
        ("loss = 'softmax'\n[instance]\nQ = 1\n" + CLAIM, '[instance] unknown key "Q"'),
        ("loss = 'softmax'\n" + CLAIM + CLAIM, '[[claims]] #2: the id "a" is used twice'),
        ("loss = 'softmax'\n" + CLAIM.replace('u_o"', 'W"'), "[[claims]] #1: wrt must be one of"),
        (
            "loss = 'softmax'\n" + CLAIM.replace('u_o"', 'x"'),
            "[[claims]] #1: J of the softmax loss does not depend on x",
        ),
        ("loss = 'softmax'\n" + CLAIM + "expect = 'maybe'\n", "[[claims]] #1: expect must be one of"),
        (
            "loss = 'softmax'\n[conventions]\nU = 'diagonal'\n" + CLAIM,
            "[conventions] U must be one of",
        ),
        ("loss = = 1", "not valid TOML"),
    ],
)
def test_bad_files_name_the_problem(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(DerivationFileError) as caught:
        load_derivation(path)
    assert str(caught.value).startswith(f"{path}: {words}")


NS_CLAIM = '[[claims]]\nid = "a"\nwrt = "u_o"\nclaim = "0 v_c"\n'


# issue 9, items 2 and 14: each of these was a traceback, or a wrong proof
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "loss = 'negative-sampling'\n[instance]\no = true\n" + NS_CLAIM,
            "[instance] o must be a whole number from 1 to 2000, got true",
        ),
        (
            "loss = 'negative-sampling'\n[instance]\no = 2.0\n" + NS_CLAIM,
            "[instance] o must be a whole number from 1 to 2000, got 2.0",
        ),
        (
            "loss = 'negative-sampling'\n[instance]\nnegatives = [1.0, 3, 4]\n" + NS_CLAIM,
            "[instance] negatives #1 must be a whole number from 1 to 2000, got 1.0",
        ),
        (
            "loss = 'negative-sampling'\n[instance]\nnegatives = [1, 3, 9]\n" + NS_CLAIM,
            "[instance] negative 9 is not a word of the vocabulary 1..5",
        ),
        (
            "loss = 'negative-sampling'\n" + NS_CLAIM.replace('"a"', "{ x = 1 }"),
            '[[claims]] #1: id must be a string of 1 to 200 characters, got {"x": 1}',
        ),
        (
            "loss = 'negative-sampling'\n" + NS_CLAIM.replace('"0 v_c"', "3"),
            "[[claims]] #1: claim must be a string of at most 20000 characters, got 3",
        ),
        (
            "loss = 'negative-sampling'\nclaims = [1]\n",
            "claims #1 must be a [[claims]] table, got 1",
        ),
        (
            "loss = 'negative-sampling'\n[sweep]\nd = [true]\n" + NS_CLAIM,
            "[sweep] d #1 must be a whole number from 1 to 64, got true",
        ),
        (
            "loss = 'negative-sampling'\nsweep = true\n" + NS_CLAIM,
            "sweep must be a [sweep] table of lists d, V and K, or false, got true",
        ),
        (
            "loss = 'negative-sampling'\n[instance]\nV = " + "9" * 5000 + "\n" + NS_CLAIM,
            "not valid TOML: Exceeds the limit (4300 digits)",
        ),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML: arrays or tables nest too deeply"),
        (
            "[loss]\nname = 'x'\nexpression = '(('\n" + NS_CLAIM,
            "[loss] expression: the claim ends too early",
        ),
        (
            "[loss]\nname = 'x'\nexpression = 'u_o'\n" + NS_CLAIM,
            "[loss] expression: expected a scalar, got a 3×1 matrix",
        ),
        (
            "[loss]\nname = 'x'\nexpression = 'log(sigma(u_w^T v_c))'\n" + NS_CLAIM,
            "[loss] expression: the index w is neither bound",
        ),
        ("[loss]\nexpression = 'u_o'\n" + NS_CLAIM, "[loss] no name given"),
    ],
)
def test_malformed_files_are_errors_naming_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DerivationFileError) as caught:
        load_derivation(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_file_that_is_not_utf8_or_too_large_is_named(tmp_path):
    path = tmp_path / "d.toml"
    path.write_bytes(b"loss = '\xff'\n")
    with pytest.raises(DerivationFileError, match="d.toml: not UTF-8 text"):
        load_derivation(path)
    path.write_bytes(b"# " + b"x" * 1_000_000 + b"\n")
    with pytest.raises(
        DerivationFileError, match="d.toml: the derivation file is 1000003 bytes long; the limit is 1000000"
    ):
        load_derivation(path)


def test_prove_says_which_key_is_wrong_and_exits_2(tmp_path, capsys):
    path = write(tmp_path, "loss = 'negative-sampling'\n[instance]\no = true\n" + NS_CLAIM)
    assert main(["prove", str(path), "--out", str(tmp_path / "reports")]) == 2
    error = capsys.readouterr().err
    assert error == f"symw2v: error: {path}: [instance] o must be a whole number from 1 to 2000, got true\n"
    assert not (tmp_path / "reports").exists()


def test_a_loss_is_data(tmp_path):
    text = (
        "[loss]\nname = 'ns'\nexpression = '-log(sigma(u_o^T v_c)) - sum_k log(sigma(-u_k^T v_c))'\n"
        "[loss.letters]\nk = 'negatives'\n" + CLAIM
    )
    result = prove_derivation(load_derivation(write(tmp_path, text)))
    assert result.results[0].verdict.value == "proved"
    assert result.as_expected


def test_a_derivation_file_that_is_not_a_regular_file_is_refused(tmp_path):
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(DerivationFileError, match="zero.toml: is a character device"):
        load_derivation(link)


def test_a_loss_defined_in_a_file_outside_the_package_is_proved_and_refuted(root):
    """examples/glove.toml defines a GloVe-style weighted least-squares loss as data; no code
    knows it, and its claims get their expected verdicts."""
    derivation = load_derivation(root / "examples" / "glove.toml")
    assert derivation.loss.name == "glove-style"
    result = prove_derivation(derivation, grid=None)
    assert [r.verdict.value for r in result.results] == ["proved", "proved", "refuted", "refuted"]
    assert result.as_expected
    refuted = result.results[2]
    assert refuted.counterexample is not None and "X" in refuted.counterexample.point
    assert all(Fraction(count) > 0 for count in refuted.counterexample.point["X"])  # counts are positive
