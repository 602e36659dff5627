"""The GRU references: worked examples, both reset forms, and gradients against finite differences."""

import numpy as np
import pytest

from autograder.reference.gates import sigmoid
from autograder.reference.gru import (
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    init_gru_params,
)
from tests.reference.gradients import SHAPES, assert_gradients, random_params

NAMES = ["Uu", "Wu", "bu", "Ur", "Wr", "br", "Uh", "Wh", "bh"]


def gru_shapes(n_x, n_h, reset_after):
    shapes = {}
    for g in "urh":
        shapes |= {"U" + g: (n_h, n_x), "W" + g: (n_h, n_h), "b" + g: (n_h, 1)}
    return shapes | ({"bhh": (n_h, 1)} if reset_after else {})


def split(variables, reset_after):
    return {k: variables[k] for k in NAMES + (["bhh"] if reset_after else [])}


def zero_params(n_x, n_h):
    return {k: np.zeros(s) for k, s in gru_shapes(n_x, n_h, False).items()}


def test_sigmoid_values_stability_and_dtype():
    a = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(a)
    np.testing.assert_allclose(s[1:5], 1.0 / (1.0 + np.exp(-a[1:5])), rtol=1e-15)
    assert s[0] == 0.0 and s[5] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(sigmoid(-a), 1.0 - s, atol=1e-16)
    assert sigmoid(np.ones(3, np.float32)).dtype == np.float32


def test_gru_cell_forward_worked_example():
    # all weights and gate biases zero: u = r = 0.5, h_tilde = tanh(bh) = tanh(1),
    # h_next = 0.5 * tanh(1) + 0.5 * h_prev = 0.5 * 0.7615941559557649 + 0.5 * 0.2
    params = zero_params(2, 1) | {"bh": np.array([[1.0]])}
    h_next, cache = gru_cell_forward(np.array([[3.0], [-4.0]]), np.array([[0.2]]), params)
    np.testing.assert_allclose(h_next, [[0.4807970779778824]], rtol=1e-15)
    assert cache["u"][0, 0] == 0.5 and cache["r"][0, 0] == 0.5
    np.testing.assert_allclose(cache["h_tilde"], [[0.7615941559557649]], rtol=1e-15)
    assert set(cache) == {"x_t", "h_prev", "u", "r", "h_tilde", "h_next", "params", "reset_after"}


def test_gru_cell_forward_reset_after_worked_example():
    # W_h h_prev = 2 * 0.2 = 0.4, a_hh = 0.4 + bhh = 1.6,
    # h_tilde = tanh(bh + r a_hh) = tanh(0.2 + 0.5 * 1.6) = tanh(1)
    params = zero_params(1, 1) | {"Wh": np.array([[2.0]]), "bh": np.array([[0.2]]),
                                  "bhh": np.array([[1.2]])}
    h_next, cache = gru_cell_forward(np.array([[5.0]]), np.array([[0.2]]), params, reset_after=True)
    np.testing.assert_allclose(cache["a_hh"], [[1.6]], rtol=1e-15)
    np.testing.assert_allclose(h_next, [[0.4807970779778824]], rtol=1e-15)
    # reset-before with the same weights: tanh(bh + W_h (r h_prev)) = tanh(0.2 + 2 * 0.1) = tanh(0.4)
    h_before, _ = gru_cell_forward(np.array([[5.0]]), np.array([[0.2]]),
                                   {k: v for k, v in params.items() if k != "bhh"})
    np.testing.assert_allclose(h_before, [[0.5 * np.tanh(0.4) + 0.1]], rtol=1e-15)


def test_gru_update_gate_closed_copies_the_state():
    params = zero_params(2, 3) | {"bu": np.full((3, 1), -50.0)}  # u = sigma(-50) ~ 2e-22
    h_prev = np.array([[0.3], [-0.7], [0.9]])
    h_next, _ = gru_cell_forward(np.ones((2, 1)), h_prev, params)
    np.testing.assert_allclose(h_next, h_prev, rtol=1e-15)


@pytest.mark.parametrize("reset_after", [False, True])
def test_gru_forward_equals_repeated_cell(reset_after):
    rng = np.random.default_rng(1)
    p = random_params(rng, gru_shapes(3, 4, reset_after))
    x, h0 = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2))
    h, cache = gru_forward(x, h0, p, reset_after=reset_after)
    h_t = h0
    for t in range(5):
        h_t, step = gru_cell_forward(x[:, :, t], h_t, p, reset_after=reset_after)
        np.testing.assert_array_equal(h[:, :, t], h_t)
        for k in ["u", "r", "h_tilde"] + (["a_hh"] if reset_after else []):
            np.testing.assert_array_equal(cache[k][:, :, t], step[k])
    extra = {"a_hh"} if reset_after else set()
    assert h.shape == (4, 2, 5)
    assert set(cache) == {"x", "h0", "u", "r", "h_tilde", "h", "params", "reset_after"} | extra


@pytest.mark.parametrize("reset_after", [False, True])
def test_gru_keeps_float32(reset_after):
    p = init_gru_params(3, 4, rng=np.random.default_rng(0), dtype=np.float32, reset_after=reset_after)
    h, cache = gru_forward(np.ones((3, 2, 5), np.float32), np.zeros((4, 2), np.float32), p, reset_after)
    assert h.dtype == np.float32 and all(cache[k].dtype == np.float32 for k in ("u", "r", "h_tilde"))
    grads = gru_backward(np.ones((4, 2, 5), np.float32), cache)
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)}


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_gru_cell_backward(n_x, n_h, m, T, reset_after):
    rng = np.random.default_rng(n_x * 100 + n_h * 10 + m + reset_after)
    v = random_params(rng, gru_shapes(n_x, n_h, reset_after)) | {
        "x_t": rng.standard_normal((n_x, m)), "h_prev": rng.standard_normal((n_h, m))}
    G = rng.standard_normal((n_h, m))

    def loss(v):
        return np.sum(G * gru_cell_forward(v["x_t"], v["h_prev"], split(v, reset_after), reset_after)[0])

    _, cache = gru_cell_forward(v["x_t"], v["h_prev"], split(v, reset_after), reset_after)
    grads = gru_cell_backward(G, cache)
    assert {k: grads[k].shape for k in grads} == {"d" + k: v[k].shape for k in v}
    assert_gradients(loss, v, grads)


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_gru_backward(n_x, n_h, m, T, reset_after):
    rng = np.random.default_rng(n_x * 1000 + n_h * 100 + m * 10 + T + reset_after)
    v = random_params(rng, gru_shapes(n_x, n_h, reset_after)) | {
        "x": rng.standard_normal((n_x, m, T)), "h0": rng.standard_normal((n_h, m))}
    G = rng.standard_normal((n_h, m, T))

    def loss(v):
        return np.sum(G * gru_forward(v["x"], v["h0"], split(v, reset_after), reset_after)[0])

    _, cache = gru_forward(v["x"], v["h0"], split(v, reset_after), reset_after)
    grads = gru_backward(G, cache)
    assert {k: grads[k].shape for k in grads} == {"d" + k: v[k].shape for k in v}
    assert_gradients(loss, v, grads)


def test_gru_reset_after_without_bhh_means_zero_bhh():
    rng = np.random.default_rng(3)
    p = random_params(rng, gru_shapes(2, 3, False))
    x, h0 = rng.standard_normal((2, 4, 3)), rng.standard_normal((3, 4))
    G = rng.standard_normal((3, 4, 3))
    h, cache = gru_forward(x, h0, p, reset_after=True)
    h_zero, cache_zero = gru_forward(x, h0, p | {"bhh": np.zeros((3, 1))}, reset_after=True)
    np.testing.assert_array_equal(h, h_zero)
    grads, grads_zero = gru_backward(G, cache), gru_backward(G, cache_zero)
    assert "dbhh" not in grads and set(grads_zero) == set(grads) | {"dbhh"}
    for k in grads:
        np.testing.assert_array_equal(grads[k], grads_zero[k])


def test_gru_reset_forms_differ():
    rng = np.random.default_rng(4)
    p = random_params(rng, gru_shapes(2, 3, False))
    x, h0 = rng.standard_normal((2, 4, 3)), rng.standard_normal((3, 4))
    assert not np.allclose(gru_forward(x, h0, p)[0], gru_forward(x, h0, p, reset_after=True)[0])


@pytest.mark.parametrize("change,message", [
    (lambda a: a | {"x": np.zeros((4, 2, 5))}, r"x has shape \(4, 2, 5\); expected \(3, 2, 5\)"),
    (lambda a: a | {"x": np.zeros((3, 2))}, r"x has shape \(3, 2\); expected \(n_x, m, T\)"),
    (lambda a: a | {"h0": np.zeros((4, 3))}, r"h0 has shape \(4, 3\); expected \(4, 2\)"),
    (lambda a: a | {"Wr": np.zeros((4, 3))}, r"Wr has shape \(4, 3\); expected \(4, 4\)"),
    (lambda a: a | {"bh": np.zeros(4)}, r"bh has shape \(4,\); expected \(4, 1\)"),
    (lambda a: {k: v for k, v in a.items() if k != "Uh"}, "missing"),
])
def test_gru_forward_rejects_mismatched_shapes(change, message):
    args = init_gru_params(3, 4) | {"x": np.zeros((3, 2, 5)), "h0": np.zeros((4, 2))}
    args = change(args)
    x, h0 = args.pop("x"), args.pop("h0")
    with pytest.raises(ValueError, match=message):
        gru_forward(x, h0, args)


def test_gru_cell_forward_rejects_mismatched_shapes_and_stray_bhh():
    p = init_gru_params(3, 4, reset_after=True)
    with pytest.raises(ValueError, match=r"x_t has shape \(2, 5\); expected \(3, 5\)"):
        gru_cell_forward(np.zeros((2, 5)), np.zeros((4, 5)), p, reset_after=True)
    with pytest.raises(ValueError, match=r"bhh has shape \(3, 1\); expected \(4, 1\)"):
        gru_cell_forward(np.zeros((3, 5)), np.zeros((4, 5)), p | {"bhh": np.zeros((3, 1))},
                         reset_after=True)
    with pytest.raises(ValueError, match="reset_after=True"):
        gru_cell_forward(np.zeros((3, 5)), np.zeros((4, 5)), p)


def test_init_gru_params():
    p = init_gru_params(3, 5, rng=np.random.default_rng(0))
    assert {k: v.shape for k, v in p.items()} == gru_shapes(3, 5, False)
    for g in "urh":
        np.testing.assert_allclose(p["W" + g] @ p["W" + g].T, np.eye(5), atol=1e-12)
        assert not p["b" + g].any()
    q = init_gru_params(3, 5, reset_after=True, dtype=np.float32)
    assert set(q) == set(p) | {"bhh"} and not q["bhh"].any() and q["Uu"].dtype == np.float32
