"""An independent check of ``derive``: every derived gradient agrees with central finite
differences of a plain numpy implementation of the loss, at random points.

The oracle below never touches the package's parser or instantiator: it is written from the
definitions of the two losses.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from symw2v.derive import derive
from symw2v.world import Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

H = 1e-6
RTOL = ATOL = 1e-6
SEED = 20240611
POINTS = 3

INSTANCES = {
    "default": Instance(),
    "V4d2K2o3": Instance(V=4, d=2, K=2, o=3),
    "repeated-negatives": Instance(V=4, d=2, K=3, o=1, negatives=(2, 2, 3)),
    "negative-is-o": Instance(V=4, d=2, K=2, o=2, negatives=(2, 3)),
}


# -- the oracle: the losses in numpy, from their definitions


def _log_sigmoid(x: float) -> float:
    return -np.logaddexp(0.0, -x)


def softmax_loss(U: np.ndarray, v: np.ndarray, instance: Instance) -> float:
    """J = -log softmax(U v)[o], U given as rows (V×d)."""
    return softmax_loss_z(U @ v, instance)


def softmax_loss_z(z: np.ndarray, instance: Instance) -> float:
    """J(z) = -log softmax(z)[o]."""
    return float(np.logaddexp.reduce(z) - z[instance.o - 1])


def negative_sampling_loss(U: np.ndarray, v: np.ndarray, instance: Instance) -> float:
    """J = -log σ(u_o·v) - Σ_k log σ(-u_k·v); a repeated negative counts once per occurrence."""
    J = -_log_sigmoid(U[instance.o - 1] @ v)
    for word in instance.negatives:
        J -= _log_sigmoid(-(U[word - 1] @ v))
    return float(J)


NUMPY_LOSSES = {"softmax": softmax_loss, "negative-sampling": negative_sampling_loss}


def central_difference(f, x: np.ndarray) -> np.ndarray:
    """The gradient of the scalar function ``f`` at ``x`` (any shape), by central differences."""
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += H
        minus[index] -= H
        gradient[index] = (f(plus) - f(minus)) / (2 * H)
    return gradient


def random_points(instance: Instance):
    """``POINTS`` reproducible points (U rows, v_c, z) with coordinates in [-1.5, 1.5]."""
    rng = np.random.default_rng(SEED + 1000 * instance.V + 100 * instance.d + 10 * instance.K + instance.o)
    for _ in range(POINTS):
        U = rng.uniform(-1.5, 1.5, size=(instance.V, instance.d))
        v = rng.uniform(-1.5, 1.5, size=instance.d)
        z = rng.uniform(-1.5, 1.5, size=instance.V)
        yield U, v, z


def numeric(gradient: sympy.Matrix, instance: Instance):
    """A numpy function of (U rows, v_c, z) evaluating the package-built ``gradient``."""
    symbols = list(instance.U_rows()) + list(instance.v()) + list(instance.z_symbols())
    allowed = set(symbols)
    assert gradient.free_symbols <= allowed, f"stray symbols {gradient.free_symbols - allowed}"
    # names lambdify can use as they are: it would otherwise rename each symbol in the whole
    # gradient, one pass per symbol (most of this file's time)
    plain = sympy.symbols(f"x0:{len(symbols)}")
    renamed = gradient.xreplace(dict(zip(symbols, plain, strict=True)))
    function = sympy.lambdify(plain, renamed, modules="numpy")

    def evaluate(U: np.ndarray, v: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.array(function(*U.ravel(), *v, *z), dtype=float)

    return evaluate


def expected_gradient(loss: str, wrt: str, word: int | None, instance: Instance, U, v, z) -> np.ndarray:
    """Finite differences of the numpy loss, in denominator layout with U as rows (V×d)."""
    J = NUMPY_LOSSES[loss]
    if wrt == "z":  # ∂J/∂z at the scores of the point, z = U v_c (U as rows)
        return central_difference(lambda z_: softmax_loss_z(z_, instance), U @ v).reshape(-1, 1)
    if wrt == "v_c":
        return central_difference(lambda v_: J(U, v_, instance), v).reshape(-1, 1)
    if wrt == "U":
        return central_difference(lambda U_: J(U_, v, instance), U)
    row = instance.o if wrt == "u_o" else word

    def of_row(u: np.ndarray) -> float:
        U_ = U.copy()
        U_[row - 1] = u
        return J(U_, v, instance)

    return central_difference(of_row, U[row - 1].copy()).reshape(-1, 1)


def expected_words(loss: str, wrt: str, instance: Instance) -> list[int] | None:
    """The words the targets of ``wrt`` are bound to, in order (None: one unbound target)."""
    if wrt == "u_k" and loss == "negative-sampling":
        return list(instance.negatives)
    if wrt in ("u_k", "u_w"):
        return list(range(1, instance.V + 1))
    return None


def _cases():
    for loss in ("softmax", "negative-sampling"):
        for wrt in ("v_c", "u_o", "u_k", "u_w", "U", "z"):
            if wrt == "z" and loss != "softmax":
                continue
            readings = ("rows", "columns") if wrt == "U" else ("columns",)
            for U_reading in readings:
                for instance_id, instance in INSTANCES.items():
                    case_id = f"{loss}-{wrt}" + (f"-{U_reading}" if wrt == "U" else "") + f"-{instance_id}"
                    yield pytest.param(loss, wrt, Reading(U=U_reading), instance, id=case_id)


@pytest.mark.parametrize(("loss", "wrt", "reading", "instance"), list(_cases()))
def test_gradient_matches_finite_differences(loss, wrt, reading, instance):
    targets = derive(named_loss(loss), wrt, instance, reading)
    words = expected_words(loss, wrt, instance)
    if words is None:
        assert len(targets) == 1
        assert targets[0].bindings == ()
    else:
        letter = wrt[-1]
        assert [target.bindings for target in targets] == [((letter, word),) for word in words]
    V, d = instance.V, instance.d
    shape = {"U": (V, d) if reading.U == "rows" else (d, V), "z": (V, 1)}.get(wrt, (d, 1))
    evaluators = []
    for target in targets:
        assert target.gradient.shape == shape
        evaluators.append(numeric(target.gradient, instance))
    for U, v, z in random_points(instance):
        for target, evaluate in zip(targets, evaluators, strict=True):
            word = target.binding_dict().get(wrt[-1])
            expected = expected_gradient(loss, wrt, word, instance, U, v, z)
            if wrt == "U" and reading.U == "columns":
                expected = expected.T
            got = evaluate(U, v, z)
            message = f"{target.label} at U={U.tolist()}, v_c={v.tolist()}, z={z.tolist()}"
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL, err_msg=message)


@pytest.mark.parametrize("loss", ["softmax", "negative-sampling"])
@pytest.mark.parametrize("instance_id", list(INSTANCES))
def test_rows_of_U_gradient_are_the_word_gradients(loss, instance_id):
    """∂J/∂U (rows) has row w equal to ∂J/∂u_w, and the columns reading is its transpose."""
    instance = INSTANCES[instance_id]
    by_rows = derive(named_loss(loss), "U", instance, Reading(U="rows"))[0].gradient
    by_columns = derive(named_loss(loss), "U", instance, Reading(U="columns"))[0].gradient
    assert by_columns == by_rows.T
    for target in derive(named_loss(loss), "u_w", instance, Reading()):
        word = target.binding_dict()["w"]
        assert sympy.simplify(by_rows.row(word - 1).T - target.gradient) == sympy.zeros(instance.d, 1)


def test_a_gradient_the_reading_does_not_change_is_derived_once():
    loss, instance = named_loss("softmax"), INSTANCES["default"]
    assert derive(loss, "v_c", instance, Reading("rows")) is derive(loss, "v_c", instance, Reading())
    rows, columns = derive(loss, "U", instance, Reading("rows")), derive(loss, "U", instance, Reading())
    assert rows[0].gradient == columns[0].gradient.T
