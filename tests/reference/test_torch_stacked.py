"""Bidirectional and stacked RNNs equal torch.nn modules with copied weights (float64, 1e-10).

Weight mapping: layer l of a stacked model is ``*_l{l}`` in torch's state dict; the backward
direction of a bidirectional layer is ``*_l0_reverse``; see ``autograder.reference.torch_weights``.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from autograder.reference.birnn import birnn_backward, birnn_forward  # noqa: E402
from autograder.reference.cells import init_params  # noqa: E402
from autograder.reference.deep_rnn import deep_rnn_backward, deep_rnn_forward  # noqa: E402
from autograder.reference.torch_weights import (  # noqa: E402
    grads_to_torch,
    gru_to_torch,
    lstm_to_torch,
    rnn_to_torch,
)

pytestmark = pytest.mark.torch
TOL = dict(rtol=1e-10, atol=1e-10)
MODULES = {"rnn": (torch.nn.RNN, rnn_to_torch), "gru": (torch.nn.GRU, gru_to_torch),
           "lstm": (torch.nn.LSTM, lstm_to_torch)}


def torch_module(cell, n_x, n_h, state, **kwargs):
    cls, _ = MODULES[cell]
    module = cls(n_x, n_h, **kwargs).double()
    module.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    return module


def run_torch(module, x, dh):
    """Outputs and gradients of sum(dh * output) for x (n_x, m, T) in our layout."""
    xt = torch.from_numpy(x.transpose(2, 1, 0).copy()).requires_grad_(True)
    out, _ = module(xt)
    (out * torch.from_numpy(dh.transpose(2, 1, 0).copy())).sum().backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    return out.detach().numpy().transpose(2, 1, 0), xt.grad.numpy().transpose(2, 1, 0), grads


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_birnn_equals_torch_bidirectional(cell):
    rng = np.random.default_rng(0)
    n_x, n_h, m, T = 3, 5, 2, 7
    reset_after = cell == "gru"  # torch.nn.GRU is the reset-after form
    pf, pb = (init_params(cell, n_x, n_h, rng, reset_after=reset_after) for _ in range(2))
    pf = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in pf.items()}
    pb = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in pb.items()}
    to_torch = MODULES[cell][1]
    module = torch_module(cell, n_x, n_h, to_torch(pf, "_l0") | to_torch(pb, "_l0_reverse"), bidirectional=True)
    x, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((2 * n_h, m, T))

    h, cache = birnn_forward(x, pf, pb, cell=cell, reset_after=reset_after)
    g = birnn_backward(dh, cache)
    h_torch, dx_torch, grads_torch = run_torch(module, x, dh)
    np.testing.assert_allclose(h, h_torch, **TOL)
    np.testing.assert_allclose(g["dx"], dx_torch, **TOL)
    for grads, suffix in ((g["fwd"], "_l0"), (g["bwd"], "_l0_reverse")):
        for name, value in grads_to_torch(grads, cell, suffix).items():
            np.testing.assert_allclose(value, grads_torch[name], **TOL, err_msg=name)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_deep_rnn_equals_torch_num_layers(cell):
    rng = np.random.default_rng(1)
    n_x, n_h, m, T, L = 4, 3, 3, 6, 3
    reset_after = cell == "gru"
    layers = [init_params(cell, n_x if l == 0 else n_h, n_h, rng, reset_after=reset_after) for l in range(L)]
    layers = [{k: v + 0.1 * rng.standard_normal(v.shape) for k, v in p.items()} for p in layers]
    to_torch = MODULES[cell][1]
    state = {}
    for l, p in enumerate(layers):
        state |= to_torch(p, f"_l{l}")
    module = torch_module(cell, n_x, n_h, state, num_layers=L)
    x, dh = rng.standard_normal((n_x, m, T)), rng.standard_normal((n_h, m, T))

    h, cache = deep_rnn_forward(x, layers, cell=cell, reset_after=reset_after)
    g = deep_rnn_backward(dh, cache)
    h_torch, dx_torch, grads_torch = run_torch(module, x, dh)
    np.testing.assert_allclose(h, h_torch, **TOL)
    np.testing.assert_allclose(g["dx"], dx_torch, **TOL)
    for l, grads in enumerate(g["layers"]):
        for name, value in grads_to_torch(grads, cell, f"_l{l}").items():
            np.testing.assert_allclose(value, grads_torch[name], **TOL, err_msg=name)
