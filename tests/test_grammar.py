"""The claim grammar's shipped parse tables: made from today's claim.lark, read without running
anything, and parsing exactly as the parser Lark builds from the grammar."""

from __future__ import annotations

import json
import zipfile
from importlib import resources
from io import BytesIO

import lark
import pytest
from lark import Token, Tree, UnexpectedInput

from symw2v import grammar, parse
from symw2v.errors import SymW2VError

REGENERATE = "stale: run python tools/build_grammar_tables.py"

# every construct of claim.lark at least once; their prefixes end in most of the parser's states
CLAIMS = [
    "sum_k sigma(u_k^T v_c) u_k - u_o",
    r"\sum_{w=1}^{V} \exp(u_w^\top v_c) / 2 * y_w",
    r"-\log \sigma(u_o \cdot v_c) + \sum_{k \in \{1, \ldots, K\}} 𝟙[w_k = w_s] u_k",
    r"\sum_{k : w_k = w_s}^{K} \hat{y}_k - max(0, z)",
    r"\sum_{w \neq o} \hat y_w u_w^T + e^{-2} (yhat - y)ᵀ",
    r"\sum_{-m \le j \le m, j \ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial v_c}",
    r"\sum_{j=-m, j \neq 0}^{m} ∂J(v_c, w_j, U)/∂U",
    "[u_o, -u_{w_1}, ..., -u_{w_K}] softmax{U^T v_c}",
    r"\log \sigma(-u_{w_{1}}^T v_c)^{2} - \tilde{y}_{|V|} × v_c_{12}",
    r"Σ_{k=1, w_k = w_s}^{|K|} ln ŷ_k α",
]
BROKEN = ["u_o + ) ", "sigma(u_o^T v_c", "u_o^T v_c ^ (1/2)", "foo + u_o", "\x00", "[1,, 2]", "$ 𝟙"]
TEXTS = sorted({claim[:end] for claim in CLAIMS for end in range(1, len(claim) + 1)} | set(BROKEN))


@pytest.fixture(scope="module")
def built() -> lark.Lark:
    return grammar.build_parser()


@pytest.fixture(scope="module")
def same_lark() -> None:
    """Skips where the tables were made by another version of Lark than the one installed: they
    are not used then (the parser is built from the grammar), and Lark here would write others."""
    made_by = _shipped()["made_for"]["lark"]
    if made_by != lark.__version__:
        pytest.skip(f"the tables were made by Lark {made_by}, not {lark.__version__}: {REGENERATE}")


@pytest.fixture(scope="module")
def loaded(same_lark) -> lark.Lark:
    parser = grammar.load_tables()
    assert parser is not None, REGENERATE
    return parser


def _shipped() -> dict:
    text = resources.files("symw2v").joinpath(grammar.TABLES).read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=grammar._decode_object)


def _dump(tree: Tree | Token) -> tuple:
    """The tree with everything a reader of it may use: names, token types, text and positions."""
    if isinstance(tree, Token):
        return (tree.type, str(tree), tree.start_pos, tree.end_pos, tree.line, tree.column)
    meta = tree.meta
    where = (meta.start_pos, meta.end_pos, meta.line, meta.column) if not meta.empty else None
    return (str(tree.data), where, tuple(_dump(child) for child in tree.children))


def _lark_outcome(parser: lark.Lark, text: str) -> tuple:
    try:
        return ("tree", _dump(parser.parse(text)))
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        expected = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())
        return (type(error).__name__, error.pos_in_stream, token and (token.type, str(token)), expected)


def _claim_outcome(text: str) -> tuple:
    try:
        return ("claim", repr(parse.read_claim(text)))
    except SymW2VError as error:
        return (type(error).__name__, str(error), getattr(error, "position", None))


def test_tables_are_made_from_the_shipped_grammar():
    wanted = grammar.made_for(grammar._grammar())
    made_for = _shipped()["made_for"]
    assert made_for["grammar_sha256"] == wanted["grammar_sha256"], f"claim.lark changed: {REGENERATE}"
    assert made_for["options"] == wanted["options"], f"the parser's options changed: {REGENERATE}"


def test_tables_are_what_the_tool_writes(same_lark):
    text = resources.files("symw2v").joinpath(grammar.TABLES).read_text(encoding="utf-8")
    assert text == grammar.tables_text(), REGENERATE


def test_parse_uses_the_tables(loaded, monkeypatch):
    def build(grammar_text=None):
        raise AssertionError("the parser was built from the grammar, not read from the tables")

    monkeypatch.setattr(grammar, "build_parser", build)
    assert grammar.claim_parser().parse("u_o").data == "component"


def test_loaded_parser_reads_as_the_built_one(built, loaded, monkeypatch):
    """Same trees (positions included) and same errors from Lark, and so the same closed forms
    and the same messages from ``read_claim``."""
    assert len(TEXTS) > 300
    for text in TEXTS:
        assert _lark_outcome(loaded, text) == _lark_outcome(built, text), text
    monkeypatch.setattr(parse, "_parser", lambda: loaded)
    from_tables = [_claim_outcome(text) for text in TEXTS]
    monkeypatch.setattr(parse, "_parser", lambda: built)
    assert from_tables == [_claim_outcome(text) for text in TEXTS]
    assert {outcome[0] for outcome in from_tables} >= {"claim", "ClaimParseError"}


def test_tables_for_another_grammar_are_not_used():
    assert grammar.load_tables(grammar._grammar() + "\n// edited\n") is None


def test_tables_from_another_lark_are_not_used(monkeypatch):
    monkeypatch.setattr(lark, "__version__", "0.0.1")
    assert grammar.load_tables() is None


def test_missing_tables_build_the_parser(monkeypatch):
    monkeypatch.setattr(grammar, "TABLES", "no_such_tables.json")
    assert grammar.load_tables() is None
    assert grammar.claim_parser().parse("u_o").data == "component"


def test_json_keeps_tuples_and_integer_keys():
    value = {"states": {0: {3: (0, 7)}, 12: {}}, "names": ["a", ("b", None)], "word": {"x1": True}}
    text = json.dumps(grammar._encode(value))
    assert json.loads(text, object_pairs_hook=grammar._decode_object) == value
    assert json.loads('{"١": 1}', object_pairs_hook=grammar._decode_object) == {"١": 1}  # not an ASCII digit


def test_tables_travel_with_the_package():
    """The browser's wheel and the Gradescope kit carry the tables, so they are fast there too."""
    from symw2v import autograder_kit
    from symw2v.site import wheels

    names = zipfile.ZipFile(BytesIO(wheels.own_wheel()[1])).namelist()
    assert f"symw2v/{grammar.TABLES}" in names
    vendored = autograder_kit._vendored()
    assert f"vendor/symw2v/{grammar.TABLES}" in vendored
    assert grammar.TABLES in vendored["vendor/pyproject.toml"]
