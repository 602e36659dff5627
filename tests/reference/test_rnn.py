"""The vanilla RNN references: values on worked examples and gradients against finite differences."""

import numpy as np
import pytest

from autograder.reference.rnn import (
    init_rnn_params,
    output_backward,
    output_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    softmax,
    softmax_cross_entropy,
)
from tests.reference.gradients import SHAPES, assert_gradients, random_params


def rnn_shapes(n_x, n_h):
    return {"U": (n_h, n_x), "W": (n_h, n_h), "b": (n_h, 1)}


def split(variables, names):
    return {k: variables[k] for k in names}


def test_softmax_worked_example_and_stability():
    z = np.array([[0.0, 1000.0], [np.log(3.0), 1000.0]])
    np.testing.assert_allclose(softmax(z), [[0.25, 0.5], [0.75, 0.5]], rtol=1e-15)
    assert np.all(np.isfinite(softmax(np.array([[1e4], [-1e4]]))))


def test_rnn_cell_forward_worked_example():
    # U x = [1, 2], W h = [0.5, -0.5], b = [0, 0.1] -> tanh([1.5, 1.6])
    params = {"U": np.array([[1.0], [2.0]]), "W": np.array([[1.0, 0.0], [0.0, -1.0]]),
              "b": np.array([[0.0], [0.1]])}
    h_next, cache = rnn_cell_forward(np.array([[1.0]]), np.array([[0.5], [0.5]]), params)
    np.testing.assert_allclose(h_next, np.tanh([[1.5], [1.6]]), rtol=1e-15)
    assert set(cache) == {"x_t", "h_prev", "h_next", "params"}


def test_rnn_forward_equals_repeated_cell():
    rng = np.random.default_rng(1)
    p = random_params(rng, rnn_shapes(3, 4))
    x, h0 = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2))
    h, cache = rnn_forward(x, h0, p)
    h_t = h0
    for t in range(5):
        h_t, _ = rnn_cell_forward(x[:, :, t], h_t, p)
        np.testing.assert_array_equal(h[:, :, t], h_t)
    assert h.shape == (4, 2, 5) and set(cache) == {"x", "h0", "h", "params"}


def test_rnn_forward_keeps_float32():
    p = init_rnn_params(3, 4, rng=np.random.default_rng(0), dtype=np.float32)
    h, _ = rnn_forward(np.ones((3, 2, 5), np.float32), np.zeros((4, 2), np.float32), p)
    assert h.dtype == np.float32


@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_rnn_cell_backward(n_x, n_h, m, T):
    rng = np.random.default_rng(n_x * 100 + n_h * 10 + m)
    v = random_params(rng, rnn_shapes(n_x, n_h)) | {
        "x_t": rng.standard_normal((n_x, m)), "h_prev": rng.standard_normal((n_h, m))}
    G = rng.standard_normal((n_h, m))

    def loss(v):
        return np.sum(G * rnn_cell_forward(v["x_t"], v["h_prev"], split(v, "UWb"))[0])

    _, cache = rnn_cell_forward(v["x_t"], v["h_prev"], split(v, "UWb"))
    assert_gradients(loss, v, rnn_cell_backward(G, cache))


@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_rnn_backward(n_x, n_h, m, T):
    rng = np.random.default_rng(n_x * 1000 + n_h * 100 + m * 10 + T)
    v = random_params(rng, rnn_shapes(n_x, n_h)) | {
        "x": rng.standard_normal((n_x, m, T)), "h0": rng.standard_normal((n_h, m))}
    G = rng.standard_normal((n_h, m, T))

    def loss(v):
        return np.sum(G * rnn_forward(v["x"], v["h0"], split(v, "UWb"))[0])

    _, cache = rnn_forward(v["x"], v["h0"], split(v, "UWb"))
    grads = rnn_backward(G, cache)
    assert {k: grads[k].shape for k in grads} == {"d" + k: v[k].shape for k in v}
    assert_gradients(loss, v, grads)


@pytest.mark.parametrize("n_x,n_h,m,T", SHAPES)
def test_output_layer_and_loss_backward(n_x, n_h, m, T):
    """Output layer and masked cross-entropy together: the chain the book derives."""
    rng = np.random.default_rng(7 + n_h + T)
    n_y = n_x + 1
    v = random_params(rng, {"V": (n_y, n_h), "by": (n_y, 1)}) | {"h": rng.standard_normal((n_h, m, T))}
    y = rng.integers(0, n_y, size=(m, T))
    mask = (rng.random((m, T)) < 0.7).astype(float)
    mask[0, 0] = 1.0

    def forward(v):
        z, cache = output_forward(v["h"], {k: v[k] for k in ("V", "by")})
        return (*softmax_cross_entropy(z, y, mask), cache)

    _, dz, cache = forward(v)
    assert_gradients(lambda v: forward(v)[0], v, output_backward(dz, cache))


def test_softmax_cross_entropy_worked_example():
    # uniform logits over 4 classes: loss log 4 at every unmasked position
    z = np.zeros((4, 2, 3))
    y = np.array([[0, 1, 2], [3, 0, 1]])
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    loss, dz = softmax_cross_entropy(z, y, mask)
    assert loss == pytest.approx(np.log(4.0), rel=1e-15)
    assert np.all(dz[:, 0, 2] == 0) and np.all(dz[:, 1, 1:] == 0)
    np.testing.assert_allclose(dz[:, 0, 0], np.array([-0.75, 0.25, 0.25, 0.25]) / 3)


def test_softmax_cross_entropy_does_not_overflow():
    z = np.array([[1000.0], [0.0]])[:, :, None]
    loss, dz = softmax_cross_entropy(z, np.array([[1]]))
    assert loss == pytest.approx(1000.0) and np.all(np.isfinite(dz))


@pytest.mark.parametrize("y,mask,message", [
    (np.zeros((2, 2), int), None, "shape"),
    (np.full((2, 3), 4), None, "lie in"),
    (np.zeros((2, 3)), None, "integer"),
    (np.zeros((2, 3), int), np.zeros((2, 3)), "no position"),
])
def test_softmax_cross_entropy_rejects_bad_targets(y, mask, message):
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(np.zeros((4, 2, 3)), y, mask)


def test_init_rnn_params_shapes_and_orthogonal_W():
    p = init_rnn_params(3, 5, 7, rng=np.random.default_rng(0))
    assert {k: v.shape for k, v in p.items()} == {
        "U": (5, 3), "W": (5, 5), "b": (5, 1), "V": (7, 5), "by": (7, 1)}
    np.testing.assert_allclose(p["W"] @ p["W"].T, np.eye(5), atol=1e-12)
