"""The schema: every input field is checked for its exact type and range before it is used.

Regression cases for the examples of issue 9 (a bool or a float taken for a word index, then
served from the shared derivation cache to another line), then generators that hunt for other
members of the class: batch lines and derivation files with a random JSON or TOML value in
any field, and random text for every numeric option.  The oracles are written here, field by
field, independently of ``schema.py``: a value is valid when its exact type and range are.

CI runs some dozens of examples, derandomized; ``SYMW2V_HYPOTHESIS=long`` runs thousands.
"""

from __future__ import annotations

import argparse
import math
import os
import tomllib
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from symw2v import batch, schema
from symw2v.batch import check_batch, check_line
from symw2v.claim import Conventions
from symw2v.cli import main
from symw2v.derivation import Derivation, load_derivation
from symw2v.errors import DerivationFileError, SymW2VError
from symw2v.results import ClaimResult, Verdict
from symw2v.schema import BATCH_LINE, InputError, option, quote, validate
from symw2v.sweep import Grid
from symw2v.world.instance import MAX_D, MAX_K, MAX_V, Instance
from symw2v.world.losses import BUILTIN

LONG = os.environ.get("SYMW2V_HYPOTHESIS") == "long"
FUZZ = settings(
    max_examples=3000 if LONG else 80,
    derandomize=not LONG,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NS = "negative-sampling"
TRUE_U_O = "(sigma(u_o^T v_c) - 1) v_c"  # ∂J/∂u_o of negative sampling: proved at any o
ZERO = "0 v_c"  # refuted at o = 1
WRT = ("v_c", "u_o", "u_k", "u_w", "U", "z")


# -- the examples of the issue ------------------------------------------------------------------


def _line(number: int, claim: str, o: object) -> tuple[int, dict]:
    return number, {"id": f"line{number}", "loss": NS, "wrt": "u_o", "claim": claim, "o": o}


@pytest.fixture(scope="module")
def alone() -> dict[str, str]:
    """The verdict of each ``o: 1`` line, checked in a batch of its own."""
    return {claim: next(check_batch([_line(1, claim, 1)])).verdict.value for claim in (ZERO, TRUE_U_O)}


def test_the_o_1_lines_alone(alone):
    assert alone == {ZERO: "refuted", TRUE_U_O: "proved"}


@pytest.mark.parametrize("bad", [True, 2.0, "1"], ids=repr)
def test_a_bad_o_does_not_change_the_verdicts_of_the_lines_after_it(alone, bad):
    items = [_line(1, ZERO, bad), _line(2, ZERO, 1), _line(3, TRUE_U_O, 1)]
    results = list(check_batch(items))
    assert results[0].verdict is Verdict.PARSE_ERROR
    assert results[0].message == f"line 1: o must be a whole number from 1 to {MAX_V}, got {quote(bad)}"
    assert [r.verdict.value for r in results[1:]] == [alone[ZERO], alone[TRUE_U_O]]


def test_a_list_as_loss_and_a_float_o_on_two_lines_are_parse_errors():
    items = [
        (1, {"id": "a", "loss": ["softmax"], "wrt": "u_o", "claim": ZERO}),
        (2, {"id": "b", "loss": NS, "wrt": "u_o", "claim": ZERO, "o": 2.0}),
        (3, {"id": "c", "loss": NS, "wrt": "u_o", "claim": ZERO, "o": 2.0}),
    ]
    results = list(check_batch(items))
    assert [r.verdict for r in results] == [Verdict.PARSE_ERROR] * 3
    known = ", ".join(f'"{name}"' for name in sorted(BUILTIN))
    assert results[0].message.startswith(f"line 1: loss must be one of {known}")
    assert [r.message.split(" must be")[0] for r in results[1:]] == ["line 2: o", "line 3: o"]


def test_a_bad_line_is_reported_in_place_and_the_others_are_checked():
    items = [
        (1, {"id": "a", "loss": NS, "wrt": "u_o", "claim": ZERO, "V": 5.0}),
        (2, {"id": "b", "loss": NS, "wrt": "u_o", "claim": ZERO, "o": 1}),
        (3, {"id": "c", "loss": NS, "wrt": "u_o", "claim": 7}),
    ]
    results = [check_line(item) for item in items]
    assert [r.verdict.value for r in results] == ["parse-error", "refuted", "parse-error"]
    assert results[0].message == "line 1: V must be a whole number from 2 to 2000, got 5.0"
    assert results[2].message == "line 3: claim must be a string of at most 20000 characters, got 7"


@pytest.mark.parametrize(
    "kwargs", [{"o": True}, {"o": 2.0}, {"negatives": (1, True, 3)}, {"negatives": [1, 3, 4]}], ids=repr
)
def test_an_instance_refuses_a_bool_or_a_float_for_a_word(kwargs):
    with pytest.raises(SymW2VError):
        Instance(**kwargs)


@pytest.mark.parametrize("kwargs", [{"U": True}, {"y": ["row"]}, {"layout": None}], ids=repr)
def test_conventions_refuse_a_value_of_another_type(kwargs):
    with pytest.raises(SymW2VError):
        Conventions(**kwargs)


def test_an_unknown_field_is_named_with_the_fields_there_are():
    line = {"loss": NS, "wrt": "u_o", "claim": ZERO, "colour\n": "red"}
    with pytest.raises(InputError) as caught:
        validate(BATCH_LINE, line, "line 4: ")
    assert caught.value.key == "colour\n"
    assert str(caught.value).startswith('line 4: unknown field "colour\\n"; the fields are id, loss,')


def test_a_value_is_quoted_back_short_and_escaped():
    assert quote("\x1b[31m" + "x" * 500).startswith('"\\u001b[31m')
    assert len(quote("x" * 500)) == 60
    assert quote(10**5000) == "a whole number of 16610 bits"
    assert quote([[[[1]]]]) == "[[[…]]]"


# -- the command line's options -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["check", "--V", "0"], "--V"),
        (["check", "--V", "true"], "--V"),
        (["check", "--d", "2.0"], "--d"),
        (["check", "--K", "99999999999999999999999"], "--K"),
        (["check", "--o", "-1"], "--o"),
        (["check", "--time-limit", "nan"], "--time-limit"),
        (["check", "--time-limit", "inf"], "--time-limit"),
        (["check", "--time-limit", "0"], "--time-limit"),
        (["check", "--jobs", "0"], "--jobs"),
        (["check", "--jobs", "100000"], "--jobs"),
        (["prove", "--time-limit", "-5"], "--time-limit"),
    ],
)
def test_a_bad_option_is_a_usage_error_naming_it(capsys, args, name):
    claim = ["--loss", "softmax", "--wrt", "z", "yhat - y"] if args[0] == "check" else []
    with pytest.raises(SystemExit) as caught:  # argparse's own exit for a usage error
        main(args + claim)
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert f"error: argument {name}: {name.lstrip('-')} must be" in error
    assert "Traceback" not in error


def test_a_bad_sweep_value_is_an_error_naming_the_option(capsys):
    assert main(["check", "--loss", "softmax", "--wrt", "z", "--sweep", "d=1 2", "yhat - y"]) == 2
    assert (
        'symw2v: error: --sweep: d must be a whole number from 1 to 64, got "1 2"' in capsys.readouterr().err
    )


NUMERIC_OPTIONS = {
    schema.V: (2, MAX_V),
    schema.D: (1, MAX_D),
    schema.K: (1, MAX_K),
    schema.OUTSIDE: (1, MAX_V),
    schema.JOBS: (1, 64),
}


def _option_value(field: schema.Field, text: str) -> int | float | None:
    """What an option should read from ``text``, or None for a usage error: the oracle."""
    if field is schema.TIME_LIMIT:
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) and 0.01 <= value <= 86_400 else None
    stripped = text.strip()
    digits = stripped[1:] if stripped[:1] in ("+", "-") else stripped
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        return None
    low, high = NUMERIC_OPTIONS[field]
    return int(stripped) if low <= int(stripped) <= high else None


@FUZZ
@given(
    field=st.sampled_from([*NUMERIC_OPTIONS, schema.TIME_LIMIT]),
    text=st.one_of(
        st.integers(-(10**25), 10**25).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.text(max_size=12),
        st.sampled_from(["true", "2.0", "1e3", " 7 ", "+-5", "1_0", "٣"]),
    ),
)
def test_fuzz_numeric_options(field, text):
    expected = _option_value(field, text)
    if expected is None:
        with pytest.raises(argparse.ArgumentTypeError) as caught:
            option(field)(text)
        assert str(caught.value).startswith(f"{field.name} must be")
    else:
        value = option(field)(text)
        assert value == expected and type(value) is type(expected)


# -- the oracle: what each field takes, exact types only ----------------------------------------


def _whole(low: int, high: int):
    return lambda value: type(value) is int and low <= value <= high


def _text(most: int, fewest: int = 0):
    return lambda value: type(value) is str and fewest <= len(value) <= most


def _one_of(*choices: str):
    return lambda value: type(value) is str and value in choices


def _list_of(rule, fewest: int, most: int):
    return lambda value: type(value) is list and fewest <= len(value) <= most and all(map(rule, value))


LINE_RULES = {
    "id": _text(200, 1),
    "loss": _one_of(*BUILTIN),
    "wrt": _one_of(*WRT),
    "claim": _text(20_000),
    "U": _one_of("rows", "columns"),
    "y": _one_of("row", "column"),
    "layout": _one_of("auto", "numerator", "denominator"),
    "V": _whole(2, MAX_V),
    "d": _whole(1, MAX_D),
    "K": _whole(1, MAX_K),
    "o": _whole(1, MAX_V),
    "syntax": _one_of("auto", "text", "latex"),
}
REQUIRED = ("loss", "wrt", "claim")
INSTANCE_RULES = {
    **{key: LINE_RULES[key] for key in ("V", "d", "K", "o")},
    "negatives": _list_of(LINE_RULES["o"], 0, MAX_K),
}
CLAIM_RULES = {
    **{key: LINE_RULES[key] for key in ("id", "wrt", "claim", "U", "y", "layout")},
    "equation": _text(20_000),
    "expect": _one_of("proved", "refuted", "undecided", "ill-typed", "parse-error"),
    "note": _text(20_000),
}
TABLE_RULES = {
    "loss": {
        "name": _text(200, 1),
        "expression": _text(20_000),
        "description": _text(20_000),
    },
    "conventions": {key: LINE_RULES[key] for key in ("U", "y", "layout")},
    "instance": INSTANCE_RULES,
    "sweep": {
        "d": _list_of(LINE_RULES["d"], 1, 8),
        "V": _list_of(LINE_RULES["V"], 1, 8),
        "K": _list_of(LINE_RULES["K"], 1, 8),
    },
}
TABLE_REQUIRED = {"loss": ("name", "expression")}
TOP_RULES = {
    "title": _text(200),
    "description": _text(20_000),
    "loss": lambda value: LINE_RULES["loss"](value) or type(value) is dict,
    "conventions": lambda value: type(value) is dict,
    "instance": lambda value: type(value) is dict,
    "claims": _list_of(lambda claim: type(claim) is dict, 1, 500),
    "sweep": lambda value: value is False or type(value) is dict,
}


# -- fuzzing batch lines ------------------------------------------------------------------------


def _json_values() -> st.SearchStrategy:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.integers(-(10**40), 10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
        st.sampled_from([2.0, 1.0, 0.0, "1", "nan", "2.0", "", 10**100, -1, 0, True, False]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=6,
    )


LINE_VALID = {
    "id": st.text(min_size=1, max_size=10),
    "loss": st.sampled_from(sorted(BUILTIN)),
    "wrt": st.sampled_from(WRT),
    "claim": st.sampled_from([ZERO, TRUE_U_O, "yhat - y"]),
    "U": st.sampled_from(["rows", "columns"]),
    "y": st.sampled_from(["row", "column"]),
    "layout": st.sampled_from(["auto", "numerator", "denominator"]),
    "V": st.integers(2, 8) | st.just(MAX_V),
    "d": st.integers(1, 4) | st.just(MAX_D),
    "K": st.integers(1, 4) | st.just(MAX_K),
    "o": st.integers(1, 8),
    "syntax": st.sampled_from(["auto", "text", "latex"]),
}


def _valid_table(draw, valid: dict[str, st.SearchStrategy], required: tuple[str, ...] = ()) -> dict:
    """A valid table: the required keys and some of the others."""
    return {key: draw(strategy) for key, strategy in valid.items() if key in required or draw(st.booleans())}


def _spoil(draw, node: object, random: st.SearchStrategy, top: bool = False) -> object:
    """``node`` with one thing, at some depth, made wrong: a value replaced by a random one, a
    key removed, or an unknown key added.  The ``top`` table itself stays a table, as a batch
    line or a TOML document is."""
    if type(node) is dict and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node)))
        return {**node, key: _spoil(draw, node[key], random)}
    if type(node) is list and node and draw(st.booleans()):
        index = draw(st.integers(0, len(node) - 1))
        return [*node[:index], _spoil(draw, node[index], random), *node[index + 1 :]]
    actions = ["remove", "add"] if top else ["replace", "remove", "add"]
    action = draw(st.sampled_from(actions)) if type(node) is dict else "replace"
    if action == "remove" and node:
        key = draw(st.sampled_from(sorted(node)))
        return {k: v for k, v in node.items() if k != key}
    if action == "replace":
        return draw(random)
    return {**node, draw(st.text(max_size=6)): draw(random)}


def _spoiled(draw, node: object, random: st.SearchStrategy) -> object:
    """``node`` as it is (often), or with one or two things made wrong."""
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        node = _spoil(draw, node, random, top=True)
    return node


def _bad_keys(line: dict) -> set[str]:
    unknown = {key for key in line if key not in LINE_RULES}
    missing = {key for key in REQUIRED if key not in line}
    wrong = {key for key, value in line.items() if key in LINE_RULES and not LINE_RULES[key](value)}
    return unknown | missing | wrong


def _names(message: str, key: str) -> bool:
    """Does ``message`` (after its line number) name ``key`` as the field at fault?"""
    return message.startswith((f"{key} must be", f"no {key} given", f"unknown field {quote(key)}"))


def _sizes_clash(line: dict) -> bool:
    """Do the sizes, each valid on its own, not fit together: o > V, or no room for K negatives?"""
    V, o = line.get("V", 5), line.get("o", 2)
    K = line.get("K", 3 if BUILTIN[line["loss"]].sampled else max(1, min(3, V - 1)))
    return o > V or K > V - 1


class Recorder:
    """Stands in for ``check_claim``: records what a line's fields became."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, claim, loss, wrt, instance, conventions, **options) -> ClaimResult:
        self.calls.append((claim, loss, wrt, instance, conventions, options))
        return ClaimResult(options["claim_id"], loss.name, wrt, claim, Verdict.PROVED)


@st.composite
def batch_lines(draw) -> dict:
    """A valid line, or one with a field or two replaced by random JSON, removed or unknown."""
    return _spoiled(draw, _valid_table(draw, LINE_VALID, REQUIRED), _json_values())


@FUZZ
@given(number=st.integers(1, 20_000), line=batch_lines())
def test_fuzz_batch_lines(number, line):
    recorder = Recorder()
    with mock.patch.object(batch, "check_claim", recorder):
        result = check_line((number, line))
    where = f"line {number}: "
    bad = _bad_keys(line)
    event("a bad field" if bad else "sizes that clash" if _sizes_clash(line) else "valid")
    if bad:
        assert result.verdict is Verdict.PARSE_ERROR and not recorder.calls
        assert result.message.startswith(where)
        assert any(_names(result.message.removeprefix(where), key) for key in bad), (bad, result.message)
    elif _sizes_clash(line):
        assert result.verdict is Verdict.PARSE_ERROR and not recorder.calls
        assert result.message.startswith((f"{where}o = ", f"{where}K = ")), result.message
    else:
        assert result.verdict is Verdict.PROVED and len(recorder.calls) == 1, result.message
        _assert_exact(line, *recorder.calls[0])


def _assert_exact(line: dict, claim, loss, wrt, instance, conventions, options) -> None:
    assert type(claim) is str and claim == line["claim"]
    assert loss is BUILTIN[line["loss"]]
    assert type(wrt) is str and wrt == line["wrt"]
    assert type(instance) is Instance and type(instance.negatives) is tuple
    assert all(type(n) is int for n in (instance.V, instance.d, instance.K, instance.o, *instance.negatives))
    for key in ("V", "d", "K", "o"):
        assert key not in line or getattr(instance, key) == line[key]
    assert type(conventions) is Conventions
    for key, default in (("U", None), ("y", None), ("layout", "auto")):
        assert getattr(conventions, key) == line.get(key, default)
    assert type(options["claim_id"]) is str and options["syntax"] == line.get("syntax", "auto")


# -- fuzzing derivation files -------------------------------------------------------------------


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:  # TOML allows no raw control character
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def toml_value(value: object) -> str:
    """``value`` as TOML writes it inline: the test's own writer, no dependency."""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) in (int, float):
        return repr(value)  # nan, inf, -inf, 1e+16 and 2.0 are all TOML
    if type(value) is str:
        return _toml_string(value)
    if type(value) is list:
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{" + ", ".join(f"{_toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(document: dict) -> str:
    return "".join(f"{_toml_string(key)} = {toml_value(value)}\n" for key, value in document.items())


def test_the_toml_writer_round_trips():
    document = {"a\n": [1, 2.5, math.inf, '\x7f"\\é'], "b": {"c": True, "": -3, "d": [{"e": 1e16}]}}
    assert tomllib.loads(toml_document(document)) == document


def _toml_values() -> st.SearchStrategy:
    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
    scalars = st.one_of(
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        text,
        st.sampled_from([2.0, 1.0, "1", "", True, -1, 0]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=6,
    )


NS_EXPRESSION = BUILTIN[NS].expression
TABLE_VALID = {
    "loss": {
        "name": st.just("ns"),
        "expression": st.sampled_from([NS_EXPRESSION, "u_o", "-log(sigma(u_w^T v_c))", "(("]),
    },
    "conventions": {"y": LINE_VALID["y"], "layout": LINE_VALID["layout"]},
    "instance": {
        "V": st.integers(2, 8),
        "d": st.integers(1, 4),
        "K": st.integers(1, 3),
        "o": st.integers(1, 8),
        "negatives": st.lists(st.integers(1, 8), max_size=3),
    },
    "sweep": {
        "d": st.lists(st.integers(1, 4), min_size=1, max_size=3),
        "V": st.lists(st.integers(2, 5), min_size=1, max_size=3),
        "K": st.lists(st.integers(1, 3), min_size=1, max_size=3),
    },
}
CLAIM_VALID = {
    "wrt": LINE_VALID["wrt"],
    "claim": LINE_VALID["claim"],
    "equation": st.text(max_size=10),
    "expect": st.sampled_from(["proved", "refuted"]),
    "note": st.text(max_size=10),
    "U": LINE_VALID["U"],
    "layout": LINE_VALID["layout"],
}


@st.composite
def derivation_documents(draw) -> dict:
    """A valid document, or one with a key or two, at any depth, made wrong."""
    document = _valid_table(draw, {"title": st.text(max_size=10), "description": st.text(max_size=10)})
    if draw(st.booleans()):
        document["loss"] = draw(st.sampled_from(sorted(BUILTIN)))
    else:
        document["loss"] = _valid_table(draw, TABLE_VALID["loss"], ("name", "expression"))
    for key in ("conventions", "instance"):
        if draw(st.booleans()):
            document[key] = _valid_table(draw, TABLE_VALID[key])
    if draw(st.integers(0, 3)) == 0:
        document["sweep"] = (
            draw(st.just(False)) if draw(st.booleans()) else _valid_table(draw, TABLE_VALID["sweep"])
        )
    claims = [_valid_table(draw, CLAIM_VALID, ("wrt", "claim")) for _ in range(draw(st.integers(1, 3)))]
    document["claims"] = [{"id": f"c{number}", **claim} for number, claim in enumerate(claims)]
    return _spoiled(draw, document, _toml_values())


def _table_faults(rules: dict, table: dict, required: tuple[str, ...] = ()) -> set[str]:
    """Where an error about ``table`` may point: how its message may start."""
    faults = {f"unknown key {quote(key)}" for key in table if key not in rules}
    faults |= {f"no {key} given" for key in required if key not in table}
    for key, value in table.items():
        if key in rules and not rules[key](value):
            faults |= {f"{key} must be", f"{key} #"}  # the list, or one item of it
    return faults


def _file_faults(document: dict) -> set[str]:
    """How a correct error about ``document`` may start, after the file's name: none if valid."""
    faults = _table_faults(TOP_RULES, document, ("loss", "claims"))
    for key, value in document.items():
        if key in TABLE_RULES and type(value) is dict:
            found = _table_faults(TABLE_RULES[key], value, TABLE_REQUIRED.get(key, ()))
            faults |= {f"[{key}] {fault}" for fault in found}
    claims = document.get("claims")
    for number, claim in enumerate(claims if type(claims) is list else [], start=1):
        if type(claim) is not dict:
            faults.add(f"claims #{number} must be")
            continue
        found = _table_faults(CLAIM_RULES, claim, ("id", "wrt", "claim"))
        faults |= {f"[[claims]] #{number}: {fault}" for fault in found}
    return faults


def _later_faults(document: dict) -> tuple[str, ...]:
    """How an error about a valid document may start: sizes that do not fit together, a [loss]
    expression that does not read as a scalar J, an id used twice, a variable J does not
    depend on (v_c for an activation's loss)."""
    ids = [claim["id"] for claim in document["claims"]]
    twice = [f"[[claims]] #{n}: the id" for n, i in enumerate(ids, start=1) if i in ids[: n - 1]]
    apart = [f"[[claims]] #{n}: J of the " for n in range(1, len(ids) + 1)]
    return ("[instance] ", "[loss] expression: ", *twice, *apart)


@FUZZ
@given(document=derivation_documents())
def test_fuzz_derivation_files(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("fuzz") / "d.toml"
    path.write_text(toml_document(document), encoding="utf-8")
    faults = _file_faults(document)
    try:
        derivation = load_derivation(path)
    except DerivationFileError as error:
        event("a bad key" if faults else "valid keys that do not fit together")
        assert str(error).startswith(f"{path}: ")
        body = str(error).removeprefix(f"{path}: ")
        assert body.startswith(tuple(faults) or _later_faults(document)), (faults, body)
        return
    event("loaded")
    assert not faults, faults
    _assert_exact_derivation(document, derivation)


def _assert_exact_derivation(document: dict, derivation: Derivation) -> None:
    assert all(type(getattr(derivation, key)) is str for key in ("name", "title", "description"))
    loss = derivation.loss
    assert all(type(getattr(loss, key)) is str for key in ("name", "expression", "description"))
    assert type(loss.letters) is tuple and all(type(v) is str for pair in loss.letters for v in pair)
    assert type(derivation.instance) is Instance
    for key, value in document.get("instance", {}).items():
        if value != []:  # no negatives given: the first K words other than o
            assert getattr(derivation.instance, key) == (tuple(value) if key == "negatives" else value)
    assert len(derivation.claims) == len(document["claims"])
    for spec, table in zip(derivation.claims, document["claims"], strict=True):
        for key in ("id", "wrt", "claim", "equation", "expect", "note"):
            assert type(getattr(spec, key)) is str
            assert key not in table or getattr(spec, key) == table[key]
        assert type(spec.conventions) is Conventions
    grid = derivation.grid
    if grid is not None:
        assert type(grid) is Grid
        assert all(type(size) is tuple and all(type(v) is int for v in size) for size in vars(grid).values())


def test_the_oracles_accept_valid_inputs():
    """The fuzz tests mean something only if their oracles let valid inputs through."""
    line = {"id": "a", "loss": NS, "wrt": "u_o", "claim": ZERO, "V": MAX_V, "o": 3}
    assert not _bad_keys(line) and validate(BATCH_LINE, line)["V"] == MAX_V
    document = {"loss": NS, "sweep": False, "claims": [{"id": "c0", "wrt": "u_o", "claim": ZERO}]}
    assert not _file_faults(document)
