"""Assignment 11's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it, on top of a student-style single
tanh layer (not derived from the checks' own mistake models), and must get partial credit (or, when
the mistake only runs on equal widths, at least the diagnosis) naming its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check, run_check

from .test_checks_birnn import layer_backward, layer_forward
from .variants import assert_diagnosed, assert_full_marks


def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
    caches, h = [], x
    for params in layers:
        h, cache = layer_forward(h, params)
        caches.append(cache)
    return h, {"cell": cell, "layers": caches}


def deep_rnn_backward(dh_top, cache):
    grads, dh = [], dh_top
    for layer_cache in reversed(cache["layers"]):
        dh, g = layer_backward(dh, layer_cache)
        grads.insert(0, g)
    return {"dx": dh, "layers": grads}


@pytest.mark.parametrize("name", ["deep_rnn_forward", "deep_rnn_backward"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


@pytest.mark.parametrize("fn", [deep_rnn_forward, deep_rnn_backward], ids=lambda f: f.__name__)
def test_a_students_right_answer_scores_full_marks(fn):
    assert_full_marks(fn.__name__, fn)


def test_cases_are_small_and_cover_one_to_three_layers():
    cases = get_check("deep_rnn_forward").cases(np.random.default_rng(0))
    depths = {len(c.args[1]) for c in cases}
    assert depths == {1, 2, 3}
    assert all(c.args[0].shape[2] <= 6 for c in cases)
    assert any(c.args[0].shape[1] == 1 for c in cases) and any(c.args[0].shape[2] == 1 for c in cases)


# ---------------------------------------------------------------- deep_rnn_forward

def test_forward_every_layer_fed_the_input():
    """Runs only where a layer is as wide as the input; recognised there, an error elsewhere."""
    def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
        caches = []
        for params in layers:
            h, cache = layer_forward(x, params)
            caches.append(cache)
        return h, {"cell": cell, "layers": caches}
    result = assert_diagnosed("deep_rnn_forward", deep_rnn_forward, "every layer read the input x",
                              "raised ValueError", partial=False)
    assert result.score == 0


def test_forward_returns_the_bottom_layers_states():
    def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
        caches, h = [], x
        for params in layers:
            h, cache = layer_forward(h, params)
            caches.append(cache)
        return caches[0]["h"], {"cell": cell, "layers": caches}
    result = assert_diagnosed("deep_rnn_forward", deep_rnn_forward, "these are the bottom layer's states")
    assert result.score == 2.0  # the cache is right


def test_forward_state_carried_from_layer_to_layer():
    """One state variable for the whole stack: layer l starts where layer l - 1 ended."""
    def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
        m, T = x.shape[1], x.shape[2]
        caches, inp = [], x
        h_t = np.zeros((layers[0]["W"].shape[0], m))
        for p in layers:
            h0, h = h_t, np.zeros((p["W"].shape[0], m, T))
            for t in range(T):
                h_t = np.tanh(p["U"] @ inp[:, :, t] + p["W"] @ h_t + p["b"])
                h[:, :, t] = h_t
            caches.append({"x": inp, "h0": h0, "h": h, "params": p})
            inp = h
        return inp, {"cell": cell, "layers": caches}
    assert_diagnosed("deep_rnn_forward", deep_rnn_forward, "every layer starts from its own zero state",
                     partial=False)


def test_forward_missing_bias():
    def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
        caches, h = [], x
        for params in layers:
            h, cache = layer_forward(h, params, bias=False)
            caches.append(cache)
        return h, {"cell": cell, "layers": caches}
    result = assert_diagnosed("deep_rnn_forward", deep_rnn_forward, "the bias b is missing")
    assert result.score == 1.0


def test_forward_cache_of_the_top_layer_only():
    def deep_rnn_forward(x, layers, cell="rnn", reset_after=False):
        h = x
        for params in layers:
            h, cache = layer_forward(h, params)
        return h, {"cell": cell, "layers": [cache]}
    result = assert_diagnosed("deep_rnn_forward", deep_rnn_forward, "one per layer, bottom first")
    assert result.score == 3.5


# ---------------------------------------------------------------- deep_rnn_backward

def test_backward_dh_top_given_to_every_layer():
    """dh is never updated: runs only when every layer is as wide as the top one."""
    def deep_rnn_backward(dh_top, cache):
        grads = []
        for layer_cache in reversed(cache["layers"]):
            dx, g = layer_backward(dh_top, layer_cache)
            grads.insert(0, g)
        return {"dx": dx, "layers": grads}
    assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "every layer received dh_top", partial=False)


def test_backward_gradient_not_passed_down():
    """The lower layers start from a zero gradient instead of the dx of the layer above."""
    def deep_rnn_backward(dh_top, cache):
        grads, dx = [], None
        for i, layer_cache in enumerate(reversed(cache["layers"])):
            dh = dh_top if i == 0 else np.zeros_like(layer_cache["h"])
            dx, g = layer_backward(dh, layer_cache)
            grads.insert(0, g)
        return {"dx": dx, "layers": grads}
    result = assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "the layers below the top received no gradient")
    assert {p.part for p in result.parts if p.status != "ok"} == {
        "dx values", "dU of the lower layers", "dW of the lower layers", "db of the lower layers"}


def test_backward_gradients_listed_top_first():
    def deep_rnn_backward(dh_top, cache):
        grads, dh = [], dh_top
        for layer_cache in reversed(cache["layers"]):
            dh, g = layer_backward(dh, layer_cache)
            grads.append(g)
        return {"dx": dh, "layers": grads}
    result = assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "return the gradient dicts bottom first")
    assert result.score == 2.5  # keys, one dict per layer, dx, inputs


def test_backward_dx_of_the_top_layer():
    def deep_rnn_backward(dh_top, cache):
        grads, dh, dx = [], dh_top, None
        for layer_cache in reversed(cache["layers"]):
            dh, g = layer_backward(dh, layer_cache)
            grads.insert(0, g)
            if dx is None:
                dx = dh
        return {"dx": dx, "layers": grads}
    result = assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "the dx of the bottom layer")
    assert result.score == 4.5


def test_backward_parameter_gradients_not_accumulated_across_time():
    def deep_rnn_backward(dh_top, cache):
        grads, dh = [], dh_top
        for layer_cache in reversed(cache["layers"]):
            dh, g = layer_backward(dh, layer_cache, accumulate=False)
            grads.insert(0, g)
        return {"dx": dh, "layers": grads}
    result = assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "must add up every step's contribution")
    assert result.score == 2.5  # the per-step da, hence dx, are right


def test_backward_gradient_from_next_step_dropped():
    def deep_rnn_backward(dh_top, cache):
        grads, dh = [], dh_top
        for layer_cache in reversed(cache["layers"]):
            dh, g = layer_backward(dh, layer_cache, carry=False)
            grads.insert(0, g)
        return {"dx": dh, "layers": grads}
    assert_diagnosed("deep_rnn_backward", deep_rnn_backward, "the gradient from the next step is missing")


def test_backward_one_layer_stack_is_single_layer_bptt():
    """With L = 1 the lower-layer parts do not apply; a one-layer answer is graded on the rest."""
    result = run_check("deep_rnn_backward", deep_rnn_backward, seed=3)
    assert result.score == result.max_score
