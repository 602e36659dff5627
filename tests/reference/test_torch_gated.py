"""The NumPy RNN, LSTM and GRU against torch.nn.RNN / LSTM / GRU, through torch_weights.

Outputs, final states and every gradient (inputs, initial states, parameters) must agree to
1e-10 in float64. Skipped when torch is not installed.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from autograder.reference.gru import gru_backward, gru_forward  # noqa: E402
from autograder.reference.lstm import lstm_backward, lstm_forward  # noqa: E402
from autograder.reference.rnn import rnn_backward, rnn_forward  # noqa: E402
from autograder.reference.torch_weights import (  # noqa: E402
    grads_to_torch,
    gru_from_torch,
    gru_to_torch,
    lstm_from_torch,
    lstm_to_torch,
    rnn_from_torch,
    rnn_to_torch,
)
from tests.reference.gradients import random_params  # noqa: E402

pytestmark = pytest.mark.torch
CASES = [(3, 5, 4, 6), (1, 1, 1, 1), (4, 3, 2, 3)]  # (n_x, n_h, m, T)
TOL = {"rtol": 1e-10, "atol": 1e-10}


def shapes(gates, n_x, n_h):
    out = {}
    for g in gates:
        out |= {"U" + g: (n_h, n_x), "W" + g: (n_h, n_h), "b" + g: (n_h, 1)}
    return out


def load(module, state):
    module.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    return module


def seq_in(x):
    """``(n, m, T)`` -> torch ``(T, m, n)``, a leaf that collects its gradient."""
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()


def state_in(h):
    """``(n_h, m)`` -> torch ``(1, m, n_h)``, a leaf that collects its gradient."""
    return torch.from_numpy(np.ascontiguousarray(h.T[None])).requires_grad_()


def seq_out(t):
    return t.detach().numpy().transpose(2, 1, 0)


def state_out(t):
    return t.detach().numpy()[0].T


def torch_state_dict(module):
    return {k: v.detach().numpy() for k, v in module.state_dict().items()}


def assert_param_grads(module, grads, cell):
    """Our parameter gradients, mapped to torch's layout, against ``module``'s ``.grad``."""
    ours = grads_to_torch(grads, cell)
    theirs = {name: p.grad.numpy() for name, p in module.named_parameters()}
    assert set(ours) == set(theirs)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], **TOL, err_msg=name)


def setup(gates, n_x, n_h, m, T, seed):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    p = random_params(rng, shapes(gates, n_x, n_h))
    x = rng.standard_normal((n_x, m, T))
    h0, c0 = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    return rng, p, x, h0, c0, rng.standard_normal((n_h, m, T))


@pytest.mark.parametrize("n_x,n_h,m,T", CASES)
def test_rnn_matches_torch(n_x, n_h, m, T):
    _, p, x, h0, _, G = setup([""], n_x, n_h, m, T, seed=n_x + 10 * T)
    h, cache = rnn_forward(x, h0, p)
    grads = rnn_backward(G, cache)
    module = load(torch.nn.RNN(n_x, n_h).double(), rnn_to_torch(p))
    xt, h0t = seq_in(x), state_in(h0)
    out, hn = module(xt, h0t)
    out.backward(torch.from_numpy(np.ascontiguousarray(G.transpose(2, 1, 0))))
    np.testing.assert_allclose(seq_out(out), h, **TOL)
    np.testing.assert_allclose(state_out(hn), h[:, :, -1], **TOL)
    np.testing.assert_allclose(seq_out(xt.grad), grads["dx"], **TOL)
    np.testing.assert_allclose(state_out(h0t.grad), grads["dh0"], **TOL)
    assert_param_grads(module, grads, "rnn")


@pytest.mark.parametrize("n_x,n_h,m,T", CASES)
def test_lstm_matches_torch(n_x, n_h, m, T):
    _, p, x, h0, c0, G = setup("ifgo", n_x, n_h, m, T, seed=n_x + 10 * T)
    h, c, cache = lstm_forward(x, h0, c0, p)
    grads = lstm_backward(G, cache)
    module = load(torch.nn.LSTM(n_x, n_h).double(), lstm_to_torch(p))
    xt, h0t, c0t = seq_in(x), state_in(h0), state_in(c0)
    out, (hn, cn) = module(xt, (h0t, c0t))
    out.backward(torch.from_numpy(np.ascontiguousarray(G.transpose(2, 1, 0))))
    np.testing.assert_allclose(seq_out(out), h, **TOL)
    np.testing.assert_allclose(state_out(hn), h[:, :, -1], **TOL)
    np.testing.assert_allclose(state_out(cn), c[:, :, -1], **TOL)
    np.testing.assert_allclose(seq_out(xt.grad), grads["dx"], **TOL)
    np.testing.assert_allclose(state_out(h0t.grad), grads["dh0"], **TOL)
    np.testing.assert_allclose(state_out(c0t.grad), grads["dc0"], **TOL)
    assert_param_grads(module, grads, "lstm")


@pytest.mark.parametrize("n_x,n_h,m,T", CASES)
def test_gru_reset_after_matches_torch(n_x, n_h, m, T):
    rng, p, x, h0, _, G = setup("urh", n_x, n_h, m, T, seed=n_x + 10 * T)
    p["bhh"] = 0.5 * rng.standard_normal((n_h, 1))
    h, cache = gru_forward(x, h0, p, reset_after=True)
    grads = gru_backward(G, cache)
    module = load(torch.nn.GRU(n_x, n_h).double(), gru_to_torch(p))
    xt, h0t = seq_in(x), state_in(h0)
    out, hn = module(xt, h0t)
    out.backward(torch.from_numpy(np.ascontiguousarray(G.transpose(2, 1, 0))))
    np.testing.assert_allclose(seq_out(out), h, **TOL)
    np.testing.assert_allclose(state_out(hn), h[:, :, -1], **TOL)
    np.testing.assert_allclose(seq_out(xt.grad), grads["dx"], **TOL)
    np.testing.assert_allclose(state_out(h0t.grad), grads["dh0"], **TOL)
    assert_param_grads(module, grads, "gru")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_from_torch_reads_a_torch_initialised_module(cell):
    """torch's own initialisation has both biases non-zero: from_torch must fold them right."""
    n_x, n_h, m, T = 3, 4, 2, 5
    torch.manual_seed(0)
    x = np.random.default_rng(0).standard_normal((n_x, m, T))
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](n_x, n_h).double()
    with torch.no_grad():
        expected = seq_out(module(seq_in(x))[0])
    state, h0 = torch_state_dict(module), np.zeros((n_h, m))
    if cell == "rnn":
        h, _ = rnn_forward(x, h0, rnn_from_torch(state))
    elif cell == "lstm":
        h, _, _ = lstm_forward(x, h0, h0, lstm_from_torch(state))
    else:
        h, _ = gru_forward(x, h0, gru_from_torch(state), reset_after=True)
    np.testing.assert_allclose(h, expected, **TOL)


def test_round_trips():
    rng = np.random.default_rng(5)
    cases = [(rnn_to_torch, rnn_from_torch, random_params(rng, shapes([""], 3, 4))),
             (lstm_to_torch, lstm_from_torch, random_params(rng, shapes("ifgo", 3, 4))),
             (gru_to_torch, gru_from_torch, random_params(rng, shapes("urh", 3, 4) | {"bhh": (4, 1)}))]
    for to_torch, from_torch, p in cases:
        for suffix in ("_l0", "_l1", "_l0_reverse"):
            state = to_torch(p, suffix)
            assert all(k.endswith(suffix) for k in state) and len(state) == 4
            assert state["bias_ih" + suffix].ndim == 1
            back = from_torch(state, suffix)
            assert set(back) == set(p)
            for k in p:
                np.testing.assert_array_equal(back[k], p[k], err_msg=k)
    # without bhh the GRU maps to bhh = 0
    p = random_params(rng, shapes("urh", 2, 3))
    assert not gru_from_torch(gru_to_torch(p))["bhh"].any()


def test_gru_to_torch_refuses_the_reset_before_form():
    p = random_params(np.random.default_rng(0), shapes("urh", 2, 3))
    with pytest.raises(ValueError, match="reset-after"):
        gru_to_torch(p, reset_after=False)


def test_suffixes_load_a_stacked_bidirectional_lstm_and_a_stacked_gru():
    n_x, n_h, m, T = 3, 4, 2, 5
    rng = np.random.default_rng(6)
    x, zero = rng.standard_normal((n_x, m, T)), np.zeros((n_h, m))
    # two-layer GRU: layer 1 reads layer 0's states
    p0 = random_params(rng, shapes("urh", n_x, n_h) | {"bhh": (n_h, 1)})
    p1 = random_params(rng, shapes("urh", n_h, n_h) | {"bhh": (n_h, 1)})
    gru = load(torch.nn.GRU(n_x, n_h, num_layers=2).double(),
               gru_to_torch(p0, "_l0") | gru_to_torch(p1, "_l1"))
    h0, _ = gru_forward(x, zero, p0, reset_after=True)
    h1, _ = gru_forward(h0, zero, p1, reset_after=True)
    with torch.no_grad():
        np.testing.assert_allclose(seq_out(gru(seq_in(x))[0]), h1, **TOL)
    # bidirectional LSTM: the reverse direction reads the sequence backwards
    pf, pb = (random_params(rng, shapes("ifgo", n_x, n_h)) for _ in range(2))
    lstm = load(torch.nn.LSTM(n_x, n_h, bidirectional=True).double(),
                lstm_to_torch(pf, "_l0") | lstm_to_torch(pb, "_l0_reverse"))
    h_f, _, _ = lstm_forward(x, zero, zero, pf)
    h_b, _, _ = lstm_forward(x[:, :, ::-1], zero, zero, pb)
    with torch.no_grad():
        out = seq_out(lstm(seq_in(x))[0])
    np.testing.assert_allclose(out, np.concatenate([h_f, h_b[:, :, ::-1]]), **TOL)


def test_grads_to_torch_gives_both_added_biases_the_gradient():
    rng = np.random.default_rng(7)
    grads = {"d" + k: v for k, v in random_params(rng, shapes("urh", 2, 3) | {"bhh": (3, 1)}).items()}
    state = grads_to_torch(grads | {"dx": np.zeros((2, 1, 1))}, "gru")
    expected = np.concatenate([grads["dbr"], -grads["dbu"], grads["dbhh"]])[:, 0]
    np.testing.assert_array_equal(state["bias_hh_l0"], expected)
    with pytest.raises(ValueError, match="dbhh"):
        grads_to_torch({k: v for k, v in grads.items() if k != "dbhh"}, "gru")
    with pytest.raises(ValueError, match="cell"):
        grads_to_torch(grads, "transformer")
