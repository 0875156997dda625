"""Shapes over symbolic V and d, and which reading of U and y a claim is typed under."""

from __future__ import annotations

import pytest

from symw2v.errors import ShapeError
from symw2v.parse import parse_claim
from symw2v.shapes import infer_reading, shape_of
from symw2v.world import Reading

COLUMNS = Reading("columns", "column")
ROWS = Reading("rows", "row")


@pytest.mark.parametrize(
    ("text", "reading", "shape"),
    [
        ("u_o^T v_c", COLUMNS, ("1", "1")),
        ("u_o v_c^T", COLUMNS, ("d", "d")),
        ("U (yhat - y)", COLUMNS, ("d", "1")),
        ("(yhat - y) U", ROWS, ("1", "d")),
        ("U^T v_c", COLUMNS, ("V", "1")),
        ("v_c (yhat - y)^T", COLUMNS, ("d", "V")),
        ("(yhat - y)_k v_c", COLUMNS, ("d", "1")),
        ("sigma(U^T v_c)", COLUMNS, ("V", "1")),
        ("softmax(z)", ROWS, ("V", "1")),
        ("K u_o / V", COLUMNS, ("d", "1")),
    ],
)
def test_shapes(text, reading, shape):
    assert shape_of(parse_claim(text), reading) == shape


@pytest.mark.parametrize(
    ("text", "reading", "words"),
    [
        ("u_o + u_o^T", COLUMNS, "cannot add d×1 and 1×d"),
        ("(yhat - y) U", COLUMNS, "cannot multiply V×1 by d×V"),
        ("u_o / v_c", COLUMNS, "cannot divide"),
        ("u_o^2", COLUMNS, "only a scalar has a power"),
        ("softmax(u_o)", COLUMNS, "softmax takes a length-V vector"),
        ("(u_o)_k", COLUMNS, "only a length-V vector has a component"),
    ],
)
def test_shape_errors_name_the_shapes(text, reading, words):
    with pytest.raises(ShapeError) as caught:
        shape_of(parse_claim(text), reading)
    assert words in str(caught.value)


def test_eq7_types_only_with_rows_and_row_vectors():
    typing = infer_reading(parse_claim("(yhat - y) U"))
    assert typing.reading == ROWS
    assert typing.shape == ("1", "d")
    assert typing.rejected  # the other readings were tried and said why not


def test_columns_preferred_when_both_readings_type_check():
    assert infer_reading(parse_claim("u_o^T v_c u_o")).reading == COLUMNS


def test_declared_reading_is_binding_and_the_error_names_the_one_that_works():
    with pytest.raises(ShapeError) as caught:
        infer_reading(parse_claim("(yhat - y) U"), U="columns")
    message = str(caught.value)
    assert "cannot multiply" in message
    assert "U rows (V×d" in message and "1×V rows" in message


def test_symbolic_sizes_catch_what_a_square_instance_would_hide():
    # at V = d the product would exist; with symbolic sizes it does not
    with pytest.raises(ShapeError):
        shape_of(parse_claim("U U"), COLUMNS)
