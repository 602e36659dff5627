"""Assignment 3's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it (not derived from the checks'
own mistake models) and must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref

from .variants import assert_diagnosed, assert_full_marks


def cell_from(step):
    def rnn_cell_forward(x_t, h_prev, params):
        h_next = step(x_t, h_prev, params["U"], params["W"], params["b"])
        return h_next, {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return rnn_cell_forward


@pytest.mark.parametrize("name", ["softmax", "rnn_cell_forward", "rnn_forward", "output_forward"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


def test_softmax_without_max_shift_overflows():
    def softmax(z):
        e = np.exp(z)
        return e / e.sum(axis=0, keepdims=True)
    result = assert_diagnosed("softmax", softmax, "exp overflowed")
    assert result.score == 2.0  # shape and ordinary values are right


def test_softmax_over_the_wrong_axis():
    def softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert_diagnosed("softmax", softmax, "normalised over the last axis")


def test_cell_missing_bias():
    assert_diagnosed("rnn_cell_forward", cell_from(lambda x, h, U, W, b: np.tanh(U @ x + W @ h)),
                     "the bias b is missing")


def test_cell_transposed_recurrent_weights():
    assert_diagnosed("rnn_cell_forward", cell_from(lambda x, h, U, W, b: np.tanh(U @ x + W.T @ h + b)),
                     "W is transposed")


def test_cell_transposed_input_weights_fails_on_non_square_and_is_named_on_square():
    """x_t.T @ U.T style code: a shape error on non-square sizes, recognised on the square case."""
    def step(x, h, U, W, b):
        return np.tanh(U.T @ x + W @ h + b)
    result = assert_diagnosed("rnn_cell_forward", cell_from(step), "U is transposed", "raised ValueError",
                              partial=False)
    assert result.score == 0


def test_cell_wrong_nonlinearity():
    assert_diagnosed("rnn_cell_forward",
                     cell_from(lambda x, h, U, W, b: 1 / (1 + np.exp(-(U @ x + W @ h + b)))), "logistic sigmoid")


def test_cell_cache_with_wrong_keys():
    def rnn_cell_forward(x_t, h_prev, params):
        h_next = np.tanh(params["U"] @ x_t + params["W"] @ h_prev + params["b"])
        return h_next, {"x": x_t, "a_prev": h_prev, "h_next": h_next, "params": params}
    result = assert_diagnosed("rnn_cell_forward", rnn_cell_forward, "missing keys ['h_prev', 'x_t']")
    assert result.score == 2.75  # shape, values and inputs left unchanged; not the cache


def test_sequence_off_by_one_in_time():
    def rnn_forward(x, h0, params):
        h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
        h_t = h0
        for t in range(x.shape[2]):
            h[:, :, t] = h_t  # stores the state before the step
            h_t = np.tanh(params["U"] @ x[:, :, t] + params["W"] @ h_t + params["b"])
        return h, {"x": x, "h0": h0, "h": h, "params": params}
    assert_diagnosed("rnn_forward", rnn_forward, "off by one in time")


def test_sequence_ignores_h0():
    def rnn_forward(x, h0, params):
        h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
        h_t = np.zeros_like(h0)
        for t in range(x.shape[2]):
            h_t = np.tanh(params["U"] @ x[:, :, t] + params["W"] @ h_t + params["b"])
            h[:, :, t] = h_t
        return h, {"x": x, "h0": h0, "h": h, "params": params}
    assert_diagnosed("rnn_forward", rnn_forward, "h0 is ignored")


def test_output_returns_probabilities():
    def output_forward(h, params):
        z = np.einsum("yh,hmt->ymt", params["V"], h) + params["by"][:, :, None]
        e = np.exp(z - z.max(axis=0))
        return e / e.sum(axis=0), {"h": h, "params": params}
    assert_diagnosed("output_forward", output_forward, "these are probabilities")


def test_output_applies_tanh_again():
    def output_forward(h, params):
        return np.einsum("yh,hmt->ymt", params["V"], np.tanh(h)) + params["by"][:, :, None], {"h": h, "params": params}
    assert_diagnosed("output_forward", output_forward, "already through tanh")


def test_output_allocated_with_the_shape_of_h():
    """The value raises in NumPy; the message says which array was made with the wrong shape."""
    def output_forward(h, params):
        z = np.zeros_like(h)
        for t in range(h.shape[2]):
            z[:, :, t] = params["V"] @ h[:, :, t] + params["by"]
        return z, {"h": h, "params": params}
    assert_diagnosed("output_forward", output_forward, "is stored into a slot of shape (n_h, m)",
                     "the shape of h (np.zeros_like(h)?)", partial=False)


def test_output_missing_bias():
    def output_forward(h, params):
        return np.einsum("yh,hmt->ymt", params["V"], h), {"h": h, "params": params}
    assert_diagnosed("output_forward", output_forward, "the output bias b_y is missing")


def test_output_only_last_step_gets_zero_for_values_but_keeps_cache_points():
    def output_forward(h, params):
        return params["V"] @ h[:, :, -1] + params["by"], {"h": h, "params": params}
    result = assert_diagnosed("output_forward", output_forward, "z has shape")
    assert result.score == 1.0
