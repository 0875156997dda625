"""Block matrices ([a_1, …, a_V], the negatives' U_{o,{w_1..w_K}}) and the ones vector: how they
are written, read, typed, evaluated and checked."""

from __future__ import annotations

import pytest
import sympy

from symw2v import closed_form as cf
from symw2v.claim import Conventions, check_claim
from symw2v.errors import ClaimParseError, ShapeError
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_compact_latex, to_latex, to_text
from symw2v.shapes import add_sizes, shape_of, size_at
from symw2v.sweep import Grid
from symw2v.world import Instance, Reading

COLUMNS = Reading("columns", "column")
U_COLUMNS = cf.Columns("i", "V", cf.Word("i"))
STACKED = cf.Block((cf.Word("o"), cf.Columns("i", "K", cf.Neg(cf.Word("i")))))
SMALL = Grid(d=(1,), V=(3,), K=(1,))


@pytest.mark.parametrize(
    "text",
    [
        "[u_1, ..., u_V]",
        "[u_1, u_2, ..., u_V]",
        "[u_1, …, u_{|V|}]",
        r"\left[ \boldsymbol{u}_1, \dots, \boldsymbol{u}_{|V|} \right]",
        r"\begin{bmatrix} u_1 & u_2 & \cdots & u_{|V|} \end{bmatrix}",
    ],
)
def test_written_forms_of_the_columns_of_U(text):
    assert parse_claim(text) == U_COLUMNS


@pytest.mark.parametrize(
    "text",
    [
        "[u_o, -u_{w_1}, ..., -u_{w_K}]",
        "[u_o, -u_{w_1}, -u_{w_2}, ..., -u_{w_K}]",
        r"\begin{bmatrix} \bm{u}_o & -\bm{u}_{w_1} & \cdots & -\bm{u}_{w_K} \end{bmatrix}",
    ],
)
def test_written_forms_of_the_negatives_matrix(text):
    assert parse_claim(text) == STACKED


def test_explicit_list_without_ellipsis():
    assert parse_claim("[u_o, v_c, u_3]") == cf.Block((cf.Word("o"), cf.Name("v_c"), cf.Word("3")))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Uow", "Uow"),
        ("U_{o,w}", "Uow"),
        ("U_{o,{w_1,...,w_K}}", "Uow"),
        (r"U_{o,\{w_1,\dots,w_K\}}", "Uow"),
        (r"\boldsymbol{U}_{o,\{w_1,\ldots,w_K\}}", "Uow"),
        ("ones", "ones"),
        ("1_{K+1}", "ones"),
        (r"\mathbf{1}", "ones"),
        (r"\mathbf{1}_{K+1}", "ones"),
        (r"\boldsymbol{1}", "ones"),
    ],
)
def test_spellings_of_the_new_objects(text, name):
    assert parse_claim(text) == cf.Name(name)


def test_a_bold_one_before_a_condition_is_still_an_indicator():
    assert parse_claim(r"\mathbf{1}[w_k = w_s]") == cf.Same("k", "s")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[u_1, u_3, ..., u_V]", "u_3 is not the entry at 2"),
        ("[u_2, ..., u_V]", "written 2 and V, not 1 and V or K"),
        ("[u_1, ..., v_c]", "differ in more than an index"),
        ("[u_1, ..., u_1]", "are the same"),
        ("[u_1 + u_1, ..., u_V + u_K]", "one index runs to K and another to V"),
        ("[u_{w_1}, ..., u_{w_V}]", "run to w_K"),
        ("[u_1, ..., u_V, ..., u_K]", "one ellipsis"),
        ("[..., u_V]", "needs the first entry"),
        ("u_{w_1} v_c^T", "names a negative by its place"),
        (r"\begin{bmatrix} u_1 \\ u_2 \end{bmatrix}", "one row of columns"),
    ],
)
def test_entries_that_follow_no_pattern_are_refused(text, words):
    with pytest.raises(ClaimParseError) as caught:
        parse_claim(text)
    assert words in str(caught.value)


def test_inferred_general_term_keeps_what_does_not_vary():
    # u_V is the same in every entry; only the indices written 1 and V vary
    node = parse_claim("[(yhat_1 - y_1) v_c + u_V, ..., (yhat_V - y_V) v_c + u_V]")
    term = cf.Add(
        cf.Mul(cf.Sub(cf.Component(cf.Name("yhat"), "i"), cf.Component(cf.Name("y"), "i")), cf.Name("v_c")),
        cf.Word("V"),
    )
    assert node == cf.Columns("i", "V", term)


@pytest.mark.parametrize(
    "text",
    [
        "[u_1, ..., u_V]",
        "[u_o, -u_{w_1}, ..., -u_{w_K}]",
        "[(yhat_1 - y_1) v_c, ..., (yhat_V - y_V) v_c]",
        "[u_o, v_c]",
        "-Uow (ones - sigma(Uow^T v_c))",
    ],
)
def test_printed_forms_read_back(text):
    node = parse_claim(text)
    for printer in (to_text, to_latex, to_compact_latex):
        assert parse_claim(printer(node)) == node


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("[u_1, ..., u_V]", ("d", "V")),
        ("[yhat_1 - y_1, ..., yhat_V - y_V]", ("1", "V")),
        ("[u_o, -u_{w_1}, ..., -u_{w_K}]", ("d", "K+1")),
        ("Uow^T v_c", ("K+1", "1")),
        ("1 - sigma(Uow^T v_c)", ("K+1", "1")),
        ("-Uow (ones - sigma(Uow^T v_c))", ("d", "1")),
    ],
)
def test_shapes_of_blocks(text, shape):
    assert shape_of(parse_claim(text), COLUMNS) == shape


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[u_o, u_o^T]", "beside"),
        ("[u_1 u_1^T, ..., u_V u_V^T]", "a column or a scalar"),
        ("Uow^T ones", "cannot multiply (K+1)×d by (K+1)×1"),
        ("yhat - 1", "cannot add V×1 and 1×1"),
        ("u_o - ones", "cannot add d×1 and (K+1)×1"),
    ],
)
def test_ill_typed_blocks(text, words):
    with pytest.raises((ShapeError, ClaimParseError)) as caught:
        shape_of(parse_claim(text), COLUMNS)
    assert words in str(caught.value)


def test_sizes_add_and_evaluate():
    assert add_sizes("1", "K") == "K+1"
    assert add_sizes("K+1", "K+1") == "2K+2"
    assert size_at("K+1", Instance(K=4, V=6)) == 5


def _value(text: str, loss, instance: Instance) -> sympy.Matrix:
    node = resolve_sums(parse_claim(text), loss)
    return Instantiator(Context(instance, COLUMNS)).evaluate(node)


def test_a_pattern_evaluates_to_its_columns(softmax, negative_sampling):
    instance = Instance(V=4, d=2, K=2, o=3, negatives=(4, 1))
    assert _value("[u_1, ..., u_V]", softmax, instance) == _value("U", softmax, instance)
    # the general term varies only where the entries at 1 and at V differ: the second u_1 stays
    column = sympy.Matrix.hstack(*(instance.u(w) + instance.u(1) for w in range(1, 5)))
    assert _value("[u_1 + u_1, ..., u_V + u_1]", softmax, instance) == column
    stacked = sympy.Matrix.hstack(instance.u(3), -instance.u(4), -instance.u(1))
    assert _value("[u_o, -u_{w_1}, ..., -u_{w_K}]", negative_sampling, instance) == stacked
    assert _value("Uow", negative_sampling, instance) == stacked
    assert _value("ones", negative_sampling, instance) == sympy.ones(3, 1)


def test_the_negatives_matrix_needs_a_loss_with_negatives(softmax):
    with pytest.raises(ShapeError, match="sized by the negatives"):
        resolve_sums(parse_claim("Uow^T v_c"), softmax)


@pytest.fixture(scope="module")
def small():
    return Instance(V=3, d=2, K=2, o=2)


@pytest.mark.parametrize(
    ("claim", "U", "verdict"),
    [
        ("[(yhat_1 - y_1) v_c, ..., (yhat_V - y_V) v_c]", "columns", "proved"),
        ("[(y_1 - yhat_1) v_c, ..., (y_V - yhat_V) v_c]", "columns", "refuted"),
        ("[(yhat_1 - y_1) v_c, ..., (yhat_V - y_V) v_c]", "rows", "refuted"),
    ],
)
def test_softmax_gradient_by_U_as_columns(softmax, small, claim, U, verdict):
    result = check_claim(claim, softmax, "U", small, Conventions(U=U), with_hints=False, grid=SMALL)
    assert result.verdict.value == verdict, result.message
    if U == "rows":
        assert "d×V" in result.message and "V×d" in result.message


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (r"-U_{o,\{w_1,\dots,w_K\}} (\mathbf{1} - \sigma(U_{o,\{w_1,\dots,w_K\}}^\top v_c))", "proved"),
        ("Uow sigma(Uow^T v_c)", "refuted"),
        ("-Uow^T (ones - sigma(Uow^T v_c))", "ill-typed"),
    ],
)
def test_negative_sampling_vectorised(negative_sampling, small, claim, verdict):
    result = check_claim(claim, negative_sampling, "v_c", small, with_hints=False, grid=SMALL)
    assert result.verdict.value == verdict, result.message
    if verdict == "proved":
        assert "no all-sizes certificate" in result.certificate


@pytest.mark.parametrize("family", ["v", "e"])
def test_a_pattern_keeps_its_vectors_family(family):
    # [v_1, …, v_V] is the words' centre vectors (and [e_1, …] their one-hot vectors), not U
    node = parse_claim(rf"[{family}_1, \ldots, {family}_V]", "latex")
    assert {n.family for n in cf.walk(node) if isinstance(n, cf.Word)} == {family}


def test_the_centre_vectors_for_U_are_refuted(softmax, small):
    # the general term once lost its family and read u_i: this false claim was proved
    claim = r"[v_1, \ldots, v_V](\hat{y} - y)"
    result = check_claim(claim, softmax, "v_c", small, Conventions(U="columns"), with_hints=False, grid=SMALL)
    assert result.verdict.value == "refuted"
    assert not result.certificate_argument
