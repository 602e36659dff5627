"""The LSTM references: worked examples and gradients against finite differences."""

import numpy as np
import pytest

from autograder.reference.lstm import (
    init_lstm_params,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
)
from tests.reference.gradients import SHAPES, assert_gradients, random_params

NAMES = [p + k for k in "ifgo" for p in "UWb"]


def lstm_shapes(n_x, n_h):
    shapes = {}
    for k in "ifgo":
        shapes |= {"U" + k: (n_h, n_x), "W" + k: (n_h, n_h), "b" + k: (n_h, 1)}
    return shapes


def split(variables):
    return {k: variables[k] for k in NAMES}


def test_lstm_cell_forward_worked_example():
    # all weights and biases zero except bg = [0, 1]: i = f = o = 0.5, g = [0, tanh 1];
    # c = 0.5 * c_prev + 0.5 * g = [1, 0.5 tanh 1]; h = 0.5 * tanh(c)
    params = {k: np.zeros(s) for k, s in lstm_shapes(2, 2).items()} | {"bg": np.array([[0.0], [1.0]])}
    h_next, c_next, cache = lstm_cell_forward(np.array([[3.0], [-1.0]]), np.array([[0.4], [-0.6]]),
                                              np.array([[2.0], [0.0]]), params)
    np.testing.assert_allclose(c_next, [[1.0], [0.3807970779778824]], rtol=1e-15)
    np.testing.assert_allclose(h_next, [[0.3807970779778824], [0.18169974219452625]], rtol=1e-15)
    assert all(np.all(cache[k] == 0.5) for k in "ifo")
    assert set(cache) == {"x_t", "h_prev", "c_prev", "i", "f", "g", "o", "c_next", "h_next", "params"}


def test_lstm_saturated_gates_keep_the_cell_state():
    # f = 1, i = 0 (sigma(+-50) is 1 and 2e-22): the cell state is copied exactly, h = o tanh(c)
    params = {k: np.zeros(s) for k, s in lstm_shapes(1, 2).items()} | {
        "bf": np.full((2, 1), 50.0), "bi": np.full((2, 1), -50.0), "bg": np.ones((2, 1))}
    c_prev = np.array([[0.7], [-1.3]])
    h_next, c_next, _ = lstm_cell_forward(np.ones((1, 1)), np.zeros((2, 1)), c_prev, params)
    np.testing.assert_allclose(c_next, c_prev, rtol=1e-15)
    np.testing.assert_allclose(h_next, 0.5 * np.tanh(c_prev), rtol=1e-15)


def test_lstm_forward_equals_repeated_cell():
    rng = np.random.default_rng(1)
    p = random_params(rng, lstm_shapes(3, 4))
    x, h0, c0 = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    h, c, cache = lstm_forward(x, h0, c0, p)
    h_t, c_t = h0, c0
    for t in range(5):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], h_t, c_t, p)
        np.testing.assert_array_equal(h[:, :, t], h_t)
        np.testing.assert_array_equal(c[:, :, t], c_t)
        for k in "ifgo":
            np.testing.assert_array_equal(cache[k][:, :, t], step[k])
    assert h.shape == c.shape == (4, 2, 5)
    assert set(cache) == {"x", "h0", "c0", "i", "f", "g", "o", "c", "h", "params"}


def test_lstm_keeps_float32():
    p = init_lstm_params(3, 4, rng=np.random.default_rng(0), dtype=np.float32)
    z = np.zeros((4, 2), np.float32)
    h, c, cache = lstm_forward(np.ones((3, 2, 5), np.float32), z, z, p)
    assert h.dtype == c.dtype == np.float32
    grads = lstm_backward(np.ones((4, 2, 5), np.float32), cache)
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)}


@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_lstm_cell_backward(n_x, n_h, m, T):
    """Both outputs of the cell carry gradient: ``dh_next`` and ``dc_next`` are non-zero."""
    rng = np.random.default_rng(n_x * 100 + n_h * 10 + m)
    v = random_params(rng, lstm_shapes(n_x, n_h)) | {
        "x_t": rng.standard_normal((n_x, m)), "h_prev": rng.standard_normal((n_h, m)),
        "c_prev": rng.standard_normal((n_h, m))}
    Gh, Gc = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))

    def loss(v):
        h_next, c_next, _ = lstm_cell_forward(v["x_t"], v["h_prev"], v["c_prev"], split(v))
        return np.sum(Gh * h_next) + np.sum(Gc * c_next)

    _, _, cache = lstm_cell_forward(v["x_t"], v["h_prev"], v["c_prev"], split(v))
    grads = lstm_cell_backward(Gh, Gc, cache)
    assert {k: grads[k].shape for k in grads} == {"d" + k: v[k].shape for k in v}
    assert_gradients(loss, v, grads)


@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_lstm_backward(n_x, n_h, m, T):
    rng = np.random.default_rng(n_x * 1000 + n_h * 100 + m * 10 + T)
    v = random_params(rng, lstm_shapes(n_x, n_h)) | {
        "x": rng.standard_normal((n_x, m, T)), "h0": rng.standard_normal((n_h, m)),
        "c0": rng.standard_normal((n_h, m))}
    G = rng.standard_normal((n_h, m, T))

    def loss(v):
        return np.sum(G * lstm_forward(v["x"], v["h0"], v["c0"], split(v))[0])

    _, _, cache = lstm_forward(v["x"], v["h0"], v["c0"], split(v))
    grads = lstm_backward(G, cache)
    assert {k: grads[k].shape for k in grads} == {"d" + k: v[k].shape for k in v}
    assert_gradients(loss, v, grads)


def test_lstm_cell_state_is_a_gradient_highway():
    """With f = 1 and the other paths shut, dc_prev equals dc_next: no decay along c."""
    params = {k: np.zeros(s) for k, s in lstm_shapes(1, 2).items()} | {"bf": np.full((2, 1), 50.0)}
    _, _, cache = lstm_cell_forward(np.ones((1, 1)), np.zeros((2, 1)), np.ones((2, 1)), params)
    dc_next = np.array([[0.3], [-2.0]])
    grads = lstm_cell_backward(np.zeros((2, 1)), dc_next, cache)
    np.testing.assert_allclose(grads["dc_prev"], dc_next, rtol=1e-15)


@pytest.mark.parametrize("change,message", [
    (lambda a: a | {"x": np.zeros((4, 2, 5))}, r"x has shape \(4, 2, 5\); expected \(3, 2, 5\)"),
    (lambda a: a | {"x": np.zeros((3, 2))}, r"x has shape \(3, 2\); expected \(n_x, m, T\)"),
    (lambda a: a | {"h0": np.zeros((4, 3))}, r"h0 has shape \(4, 3\); expected \(4, 2\)"),
    (lambda a: a | {"c0": np.zeros((2, 4))}, r"c0 has shape \(2, 4\); expected \(4, 2\)"),
    (lambda a: a | {"Uo": np.zeros((4, 2))}, r"Uo has shape \(4, 2\); expected \(4, 3\)"),
    (lambda a: a | {"bf": np.zeros((1, 4))}, r"bf has shape \(1, 4\); expected \(4, 1\)"),
    (lambda a: {k: v for k, v in a.items() if k != "Wg"}, "missing"),
])
def test_lstm_forward_rejects_mismatched_shapes(change, message):
    args = init_lstm_params(3, 4) | {"x": np.zeros((3, 2, 5)), "h0": np.zeros((4, 2)),
                                     "c0": np.zeros((4, 2))}
    args = change(args)
    x, h0, c0 = args.pop("x"), args.pop("h0"), args.pop("c0")
    with pytest.raises(ValueError, match=message):
        lstm_forward(x, h0, c0, args)


def test_lstm_cell_forward_rejects_mismatched_shapes():
    p = init_lstm_params(3, 4)
    with pytest.raises(ValueError, match=r"c_prev has shape \(4, 1\); expected \(4, 5\)"):
        lstm_cell_forward(np.zeros((3, 5)), np.zeros((4, 5)), np.zeros((4, 1)), p)


def test_init_lstm_params():
    p = init_lstm_params(3, 5, rng=np.random.default_rng(0))
    assert {k: v.shape for k, v in p.items()} == lstm_shapes(3, 5)
    for k in "ifgo":
        np.testing.assert_allclose(p["W" + k] @ p["W" + k].T, np.eye(5), atol=1e-12)
    assert np.all(p["bf"] == 1.0) and not (p["bi"].any() or p["bg"].any() or p["bo"].any())
    q = init_lstm_params(3, 5, dtype=np.float32, forget_bias=2.0)
    assert np.all(q["bf"] == 2.0) and q["Wf"].dtype == np.float32
