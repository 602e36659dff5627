"""Bidirectional and stacked RNNs (chapters 10, 11): gradients for every cell."""

import numpy as np
import pytest

from autograder.reference.birnn import birnn_backward, birnn_forward
from autograder.reference.cells import init_params
from autograder.reference.deep_rnn import deep_rnn_backward, deep_rnn_forward
from tests.reference.gradients import assert_gradients

CELL_CASES = [("rnn", False), ("gru", False), ("gru", True), ("lstm", False)]


def noisy_params(cell, n_x, n_h, rng, reset_after):
    """Initial parameters plus noise, so that no bias or weight is special (zero, identity)."""
    p = init_params(cell, n_x, n_h, rng, reset_after=reset_after)
    return {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in p.items()}


@pytest.mark.parametrize("cell,reset_after", CELL_CASES)
@pytest.mark.parametrize("n_x,n_h,m,T", [(3, 4, 2, 5), (1, 1, 1, 1), (2, 3, 1, 4)])
def test_birnn_gradients(cell, reset_after, n_x, n_h, m, T):
    rng = np.random.default_rng(n_x + 10 * T)
    pf, pb = (noisy_params(cell, n_x, n_h, rng, reset_after) for _ in range(2))
    v = {"x": rng.standard_normal((n_x, m, T))}
    v |= {"f_" + k: a for k, a in pf.items()} | {"b_" + k: a for k, a in pb.items()}
    G = rng.standard_normal((2 * n_h, m, T))

    def forward(v):
        f = {k: v["f_" + k] for k in pf}
        b = {k: v["b_" + k] for k in pb}
        return birnn_forward(v["x"], f, b, cell=cell, reset_after=reset_after)

    h, cache = forward(v)
    assert h.shape == (2 * n_h, m, T)
    g = birnn_backward(G, cache)
    assert set(g["fwd"]) == {"d" + k for k in pf} and set(g["bwd"]) == {"d" + k for k in pb}
    grads = {"dx": g["dx"]}
    grads |= {"df_" + k[1:]: a for k, a in g["fwd"].items()} | {"db_" + k[1:]: a for k, a in g["bwd"].items()}
    assert_gradients(lambda v: float(np.sum(G * forward(v)[0])), v, grads)


def test_birnn_backward_states_read_the_future():
    """The backward half of h^{<1>} must depend on x^{<T>}; the forward half must not."""
    rng = np.random.default_rng(0)
    pf, pb = (init_params("rnn", 2, 3, rng) for _ in range(2))
    x = rng.standard_normal((2, 1, 6))
    h, _ = birnn_forward(x, pf, pb)
    x2 = x.copy()
    x2[:, :, -1] += 1.0
    h2, _ = birnn_forward(x2, pf, pb)
    assert np.array_equal(h[:3, :, 0], h2[:3, :, 0]) and not np.allclose(h[3:, :, 0], h2[3:, :, 0])


@pytest.mark.parametrize("cell,reset_after", CELL_CASES)
@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_deep_rnn_gradients(cell, reset_after, n_layers):
    rng = np.random.default_rng(n_layers)
    n_x, n_h, m, T = 3, 4, 2, 4
    layers = [noisy_params(cell, n_x if l == 0 else n_h, n_h, rng, reset_after) for l in range(n_layers)]
    v = {"x": rng.standard_normal((n_x, m, T))}
    v |= {f"l{l}_{k}": a for l, p in enumerate(layers) for k, a in p.items()}
    G = rng.standard_normal((n_h, m, T))

    def forward(v):
        ls = [{k: v[f"l{l}_{k}"] for k in p} for l, p in enumerate(layers)]
        return deep_rnn_forward(v["x"], ls, cell=cell, reset_after=reset_after)

    _, cache = forward(v)
    g = deep_rnn_backward(G, cache)
    assert len(g["layers"]) == n_layers
    grads = {"dx": g["dx"]} | {f"dl{l}_{k[1:]}": a for l, lg in enumerate(g["layers"]) for k, a in lg.items()}
    assert_gradients(lambda v: float(np.sum(G * forward(v)[0])), v, grads)


def test_deep_and_bidirectional_reject_bad_arguments():
    with pytest.raises(ValueError, match="at least one layer"):
        deep_rnn_forward(np.zeros((2, 1, 3)), [])
    with pytest.raises(ValueError, match="cell"):
        birnn_forward(np.zeros((2, 1, 3)), {}, {}, cell="tcn")
