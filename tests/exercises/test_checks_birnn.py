"""Assignment 10's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it, on top of a student-style single
tanh layer (not derived from the checks' own mistake models), and must get partial credit and the
diagnosis that names its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import run_check

from .variants import assert_diagnosed, assert_full_marks

# ---------------------------------------------------------------- a student's single layer

def layer_forward(x, params, bias=True):
    U, W, b = params["U"], params["W"], params["b"]
    n_h, m, T = W.shape[0], x.shape[1], x.shape[2]
    h0 = np.zeros((n_h, m))
    h = np.zeros((n_h, m, T))
    h_t = h0
    for t in range(T):
        h_t = np.tanh(U @ x[:, :, t] + W @ h_t + (b if bias else 0))
        h[:, :, t] = h_t
    return h, {"x": x, "h0": h0, "h": h, "params": params}


def layer_backward(dh, cache, carry=True, accumulate=True):
    x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU, dW, db = np.zeros_like(p["U"]), np.zeros_like(p["W"]), np.zeros_like(p["b"])
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh[:, :, t] + (dh_next if carry else 0)) * (1 - h[:, :, t] ** 2)
        h_prev = h[:, :, t - 1] if t > 0 else h0
        dx[:, :, t] = p["U"].T @ da
        if accumulate:
            dU += da @ x[:, :, t].T
            dW += da @ h_prev.T
            db += da.sum(axis=1, keepdims=True)
        else:
            dU = da @ x[:, :, t].T
            dW = da @ h_prev.T
            db = da.sum(axis=1, keepdims=True)
        dh_next = p["W"].T @ da
    return dx, {"dU": dU, "dW": dW, "db": db}


def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
    h_f, cache_f = layer_forward(x, params_fwd)
    h_b_rev, cache_b = layer_forward(x[:, :, ::-1], params_bwd)
    h = np.concatenate([h_f, h_b_rev[:, :, ::-1]], axis=0)
    return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}


def birnn_backward(dh, cache):
    n_h = cache["n_h"]
    dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"])
    dx_b_rev, grads_b = layer_backward(dh[n_h:, :, ::-1], cache["backward"])
    return {"dx": dx_f + dx_b_rev[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}


@pytest.mark.parametrize("name", ["birnn_forward", "birnn_backward"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


@pytest.mark.parametrize("fn", [birnn_forward, birnn_backward], ids=lambda f: f.__name__)
def test_a_students_right_answer_scores_full_marks(fn):
    assert_full_marks(fn.__name__, fn)


# ---------------------------------------------------------------- birnn_forward

def test_forward_backward_layer_not_reversed():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x, params_bwd)  # reads x left to right too
        return np.vstack([h_f, h_b]), {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    result = assert_diagnosed("birnn_forward", birnn_forward, "the backward layer read x from left to right")
    assert [p.status for p in result.parts if p.status != "ok"] == ["wrong", "wrong"]  # backward rows, cache
    assert result.score == 3.0


def test_forward_backward_states_not_flipped_back():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x[:, :, ::-1], params_bwd)
        h = np.concatenate([h_f, h_b], axis=0)
        return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    result = assert_diagnosed("birnn_forward", birnn_forward, "the backward states are still in reversed time")
    assert result.score == 3.5  # only the backward rows are wrong


def test_forward_halves_swapped():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x[:, :, ::-1], params_bwd)
        h = np.concatenate([h_b[:, :, ::-1], h_f], axis=0)
        return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    result = assert_diagnosed("birnn_forward", birnn_forward, "the two halves are swapped")
    assert {p.part for p in result.parts if p.status != "ok"} == {"h forward states", "h backward states"}


def test_forward_one_set_of_weights_for_both_directions():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x[:, :, ::-1], params_fwd)
        h = np.concatenate([h_f, h_b[:, :, ::-1]], axis=0)
        return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    assert_diagnosed("birnn_forward", birnn_forward, "both directions used params_fwd")


def test_forward_missing_bias_in_the_layers():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd, bias=False)
        h_b, cache_b = layer_forward(x[:, :, ::-1], params_bwd, bias=False)
        h = np.concatenate([h_f, h_b[:, :, ::-1]], axis=0)
        return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    assert_diagnosed("birnn_forward", birnn_forward, "the bias b is missing")


def test_forward_backward_cache_in_time_order():
    """Right states, but the cache of the backward layer rewritten in time order."""
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x[:, :, ::-1], params_bwd)
        h_b = h_b[:, :, ::-1]
        cache_b = {"x": x, "h0": cache_b["h0"], "h": h_b, "params": params_bwd}
        return np.concatenate([h_f, h_b]), {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    result = assert_diagnosed("birnn_forward", birnn_forward, "cache['backward'] holds x in time order")
    assert result.score == 4.5


def test_forward_cache_with_the_stacked_size():
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h, cache = ref.birnn_forward(x, params_fwd, params_bwd)
        return h, {**cache, "n_h": h.shape[0]}
    result = assert_diagnosed("birnn_forward", birnn_forward, "cache['n_h'] must be n_h")
    assert result.score == 4.5


# ---------------------------------------------------------------- birnn_backward

def test_backward_gradient_of_backward_states_not_reversed():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"])
        dx_b, grads_b = layer_backward(dh[n_h:], cache["backward"])
        return {"dx": dx_f + dx_b[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
    result = assert_diagnosed("birnn_backward", birnn_backward, "in time order", "reverse dh[n_h:]")
    assert {p.part for p in result.parts if p.status != "ok"} == {"dx values", "bwd.dU values", "bwd.dW values",
                                                                  "bwd.db values"}


def test_backward_dx_of_backward_layer_not_flipped():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"])
        dx_b, grads_b = layer_backward(dh[n_h:, :, ::-1], cache["backward"])
        return {"dx": dx_f + dx_b, "fwd": grads_f, "bwd": grads_b}
    result = assert_diagnosed("birnn_backward", birnn_backward, "the backward layer's dx is still in reversed time")
    assert result.score == 4.0  # only dx is wrong


def test_backward_direction_treated_as_forward_in_time():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"])
        dx_b, grads_b = layer_backward(dh[n_h:], cache["backward"])
        return {"dx": dx_f + dx_b, "fwd": grads_f, "bwd": grads_b}
    assert_diagnosed("birnn_backward", birnn_backward, "treated as if it ran forward in time")


def test_backward_halves_of_dh_swapped():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dh_b, dh_f = dh[:n_h], dh[n_h:]
        dx_f, grads_f = layer_backward(dh_f, cache["forward"])
        dx_b, grads_b = layer_backward(dh_b[:, :, ::-1], cache["backward"])
        return {"dx": dx_f + dx_b[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
    assert_diagnosed("birnn_backward", birnn_backward, "the halves of dh are swapped")


def test_backward_dx_from_the_forward_layer_only():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx, grads_f = layer_backward(dh[:n_h], cache["forward"])
        _, grads_b = layer_backward(dh[n_h:, :, ::-1], cache["backward"])
        return {"dx": dx, "fwd": grads_f, "bwd": grads_b}
    result = assert_diagnosed("birnn_backward", birnn_backward, "dx = dx_f + dx_b")
    assert result.score == 4.0


def test_backward_parameter_gradients_not_accumulated_across_time():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"], accumulate=False)
        dx_b, grads_b = layer_backward(dh[n_h:, :, ::-1], cache["backward"], accumulate=False)
        return {"dx": dx_f + dx_b[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
    result = assert_diagnosed("birnn_backward", birnn_backward, "must add up every step's contribution")
    assert result.score == 2.0  # keys, dx and inputs: the per-step da are right


def test_backward_gradient_from_next_step_dropped():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"], carry=False)
        dx_b, grads_b = layer_backward(dh[n_h:, :, ::-1], cache["backward"], carry=False)
        return {"dx": dx_f + dx_b[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
    assert_diagnosed("birnn_backward", birnn_backward, "the gradient from the next step is missing")


def test_backward_flipping_dh_in_place_changes_the_callers_array():
    def birnn_backward(dh, cache):
        n_h = cache["n_h"]
        dh[n_h:] = dh[n_h:, :, ::-1]  # reverses the bottom half of the caller's array
        dx_f, grads_f = layer_backward(dh[:n_h], cache["forward"])
        dx_b, grads_b = layer_backward(dh[n_h:], cache["backward"])
        return {"dx": dx_f + dx_b[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
    result = assert_diagnosed("birnn_backward", birnn_backward, "changed its input in place")
    assert result.score == 4.5


def test_report_never_shows_numbers_of_the_reference():
    """A diagnosis names the mistake; no message carries an array."""
    def birnn_forward(x, params_fwd, params_bwd, cell="rnn", reset_after=False):
        h_f, cache_f = layer_forward(x, params_fwd)
        h_b, cache_b = layer_forward(x, params_bwd)
        return np.vstack([h_f, h_b]), {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}
    report = run_check("birnn_forward", birnn_forward, seed=0).report()
    assert "[" not in report.replace("[case", "").replace("[:, :, ::-1]", "").replace("[h_f; h_b]", "")
