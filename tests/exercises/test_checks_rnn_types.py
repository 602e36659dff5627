"""Assignment 5's checks on right and deliberately wrong student functions.

The wrong functions are written the way a student would write them, on top of the chapter 3/4
pieces that the notebook gives (here the references' versions), not derived from the checks'
own mistake models. Each must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.reference import (
    output_backward,
    output_forward,
    rnn_backward,
    rnn_forward,
)

from .variants import assert_diagnosed, assert_full_marks


@pytest.mark.parametrize("name", ["many_to_one_forward", "many_to_one_backward", "encoder_decoder_forward"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


def test_a_loop_written_from_scratch_also_scores_full_marks():
    """Nothing in the checks depends on the reference's memory layout or on calling the helpers:
    a plain loop with the same caches is right."""
    def many_to_one_forward(x, params):
        n_h, (_, m, T) = params["W"].shape[0], x.shape
        h, h_t = np.zeros((n_h, m, T)), np.zeros((n_h, m))
        for t in range(T):
            h_t = np.tanh(params["U"] @ x[:, :, t] + params["W"] @ h_t + params["b"])
            h[:, :, t] = h_t
        z = params["V"] @ h_t + params["by"]
        return z, {"rnn": {"x": x, "h0": np.zeros((n_h, m)), "h": h, "params": params},
                   "output": {"h": h_t, "params": params}}
    assert_full_marks("many_to_one_forward", many_to_one_forward)


def test_each_layer_may_get_only_its_own_parameters():
    """Issue 13: a student who passes {U, W, b} to rnn_forward and {V, by} to output_forward keeps
    every point (the caches hold what each backward pass reads)."""
    def many_to_one_forward(x, params):
        rnn_params = {k: params[k] for k in ("U", "W", "b")}
        h, rnn_cache = rnn_forward(x, np.zeros((params["W"].shape[0], x.shape[1])), rnn_params)
        z, out_cache = output_forward(h[:, :, -1], {k: params[k] for k in ("V", "by")})
        return z, {"rnn": rnn_cache, "output": out_cache}
    assert_full_marks("many_to_one_forward", many_to_one_forward)

    def encoder_decoder_forward(x, y_in, params_enc, params_dec):
        z, cache = ref.encoder_decoder_forward(x, y_in, params_enc, params_dec)
        cache["decoder"]["params"] = {k: params_dec[k] for k in ("U", "W", "b")}
        cache["output"]["params"] = {k: params_dec[k] for k in ("V", "by")}
        return z, cache
    assert_full_marks("encoder_decoder_forward", encoder_decoder_forward)


# ---------------------------------------------------------------- many_to_one_forward

def m2o_reading(pick):
    """A many-to-one forward pass whose classifier reads ``pick(h)`` instead of the last state."""
    def many_to_one_forward(x, params):
        h, rnn_cache = rnn_forward(x, np.zeros((params["W"].shape[0], x.shape[1])), params)
        z, out_cache = output_forward(pick(h), params)
        return z, {"rnn": rnn_cache, "output": out_cache}
    return many_to_one_forward


def test_classifier_reads_the_first_state():
    result = assert_diagnosed("many_to_one_forward", m2o_reading(lambda h: h[:, :, 0]),
                              "the classifier reads the first state")
    assert result.score == 1.0  # z shape and cache keys


def test_classifier_reads_every_state():
    result = assert_diagnosed("many_to_one_forward", m2o_reading(lambda h: h), "applied to every step's state")
    assert result.score == 0.5  # only the cache keys


def test_classifier_off_by_one_reads_the_state_before_the_last():
    def many_to_one_forward(x, params):
        # keeps h0 in the array and then reads index T - 1, which is the state before the last step
        n_h, (_, m, T) = params["W"].shape[0], x.shape
        states = np.zeros((n_h, m, T + 1))
        for t in range(T):
            states[:, :, t + 1] = np.tanh(params["U"] @ x[:, :, t] + params["W"] @ states[:, :, t] + params["b"])
        h_last = states[:, :, T - 1]
        z = params["V"] @ h_last + params["by"]
        return z, {"rnn": {"x": x, "h0": states[:, :, 0], "h": states[:, :, 1:], "params": params},
                   "output": {"h": h_last, "params": params}}
    assert_diagnosed("many_to_one_forward", many_to_one_forward, "off by one in time", "state before the last")


def test_classifier_keeps_a_time_axis():
    assert_diagnosed("many_to_one_forward", m2o_reading(lambda h: h[:, :, -1:]), "z keeps a time axis")


def test_classifier_returns_probabilities():
    def many_to_one_forward(x, params):
        z, cache = m2o_reading(lambda h: h[:, :, -1])(x, params)
        e = np.exp(z - z.max(axis=0))
        return e / e.sum(axis=0), cache
    result = assert_diagnosed("many_to_one_forward", many_to_one_forward, "these are probabilities")
    assert result.score == 2.0  # shape and the whole cache


def test_classifier_without_output_bias():
    def many_to_one_forward(x, params):
        h, rnn_cache = rnn_forward(x, np.zeros((params["W"].shape[0], x.shape[1])), params)
        return params["V"] @ h[:, :, -1], {"rnn": rnn_cache, "output": {"h": h[:, :, -1], "params": params}}
    assert_diagnosed("many_to_one_forward", many_to_one_forward, "the output bias b_y is missing")


# ---------------------------------------------------------------- many_to_one_backward

def m2o_backward(put):
    """A many-to-one backward pass that puts the output layer's dh into ``dh`` with ``put``."""
    def many_to_one_backward(dz, cache):
        out = output_backward(dz, cache["output"])
        dh = np.zeros_like(cache["rnn"]["h"])
        put(dh, out["dh"])
        grads = rnn_backward(dh, cache["rnn"])
        return {"dx": grads["dx"], "dU": grads["dU"], "dW": grads["dW"], "db": grads["db"],
                "dV": out["dV"], "dby": out["dby"]}
    return many_to_one_backward


def test_backward_from_scratch_scores_full_marks():
    def put(dh, g):
        dh[:, :, -1] = g
    assert_full_marks("many_to_one_backward", m2o_backward(put))


def test_backward_that_empties_the_cache_loses_only_the_in_place_part():
    """Issue 13: the in-place rule of every backward pass holds here too (dz and the cache)."""
    def many_to_one_backward(dz, cache):
        grads = m2o_backward(lambda dh, g: dh.__setitem__((slice(None), slice(None), -1), g))(dz, cache)
        cache["output"].clear()  # "free the memory": the caller's cache is gone
        return grads
    result = assert_diagnosed("many_to_one_backward", many_to_one_backward, "in place")
    assert result.score == result.max_score - 0.25


def test_backward_injects_the_gradient_at_every_step():
    def put(dh, g):
        dh += g[:, :, None]  # as if every step had an output
    result = assert_diagnosed("many_to_one_backward", m2o_backward(put), "injected into every state")
    assert result.score == 1.5  # names, dV, dby


def test_backward_injects_the_gradient_at_the_first_step():
    def put(dh, g):
        dh[:, :, 0] = g
    assert_diagnosed("many_to_one_backward", m2o_backward(put), "injected into the first state")


def test_backward_off_by_one_injects_before_the_last_step():
    def put(dh, g):
        T = dh.shape[2]
        dh[:, :, T - 2 if T > 1 else 0] = g
    assert_diagnosed("many_to_one_backward", m2o_backward(put), "off by one in time")


def test_backward_by_hand_without_the_tanh_derivative():
    def many_to_one_backward(dz, cache):
        x, h0, h, p = (cache["rnn"][k] for k in ("x", "h0", "h", "params"))
        dV, dby = dz @ h[:, :, -1].T, dz.sum(axis=1, keepdims=True)
        dx, dU, dW, db = np.zeros_like(x), np.zeros_like(p["U"]), np.zeros_like(p["W"]), np.zeros_like(p["b"])
        da = p["V"].T @ dz  # forgot * (1 - h**2)
        for t in reversed(range(x.shape[2])):
            h_prev = h[:, :, t - 1] if t > 0 else h0
            dx[:, :, t] = p["U"].T @ da
            dU += da @ x[:, :, t].T
            dW += da @ h_prev.T
            db += da.sum(axis=1, keepdims=True)
            da = p["W"].T @ da
        return {"dx": dx, "dU": dU, "dW": dW, "db": db, "dV": dV, "dby": dby}
    result = assert_diagnosed("many_to_one_backward", many_to_one_backward, "the tanh derivative is missing")
    assert result.score == 1.5  # names, dV, dby


def test_backward_divides_by_m_again():
    def many_to_one_backward(dz, cache):
        return ref.many_to_one_backward(dz / dz.shape[1], cache)
    assert_diagnosed("many_to_one_backward", many_to_one_backward, "divided by m once too often")


def test_backward_dc_not_summed_over_the_batch():
    def many_to_one_backward(dz, cache):
        return {**ref.many_to_one_backward(dz, cache), "dby": dz}
    result = assert_diagnosed("many_to_one_backward", many_to_one_backward, "dby must sum dz over the m examples",
                              "shares memory with an input")
    assert result.score == 4.25  # dby's 0.5, and the 0.25 of new arrays: this dby *is* the caller's dz


# ---------------------------------------------------------------- encoder_decoder_forward

def enc_dec(start=lambda h_enc: h_enc[:, :, -1], dec_inputs=lambda y_in: y_in, read=lambda h_enc, h_dec: h_dec):
    def encoder_decoder_forward(x, y_in, params_enc, params_dec):
        n_h, m = params_enc["W"].shape[0], x.shape[1]
        h_enc, enc_cache = rnn_forward(x, np.zeros((n_h, m)), params_enc)
        h_dec, dec_cache = rnn_forward(dec_inputs(y_in), start(h_enc), params_dec)
        z, out_cache = output_forward(read(h_enc, h_dec), params_dec)
        return z, {"encoder": enc_cache, "decoder": dec_cache, "output": out_cache}
    return encoder_decoder_forward


def test_encoder_decoder_written_out_scores_full_marks():
    assert_full_marks("encoder_decoder_forward", enc_dec())


def test_decoder_starts_from_zeros():
    result = assert_diagnosed("encoder_decoder_forward", enc_dec(start=lambda h: np.zeros_like(h[:, :, 0])),
                              "the decoder starts from a zero state")
    assert result.score == 1.0  # z shape, cache keys


def test_decoder_starts_from_the_encoders_first_state():
    assert_diagnosed("encoder_decoder_forward", enc_dec(start=lambda h: h[:, :, 0]),
                     "the decoder starts from the encoder's first state")


def test_decoder_inputs_shifted_again():
    def shift(y_in):  # "teacher forcing: the decoder reads the previous token", applied to y_in once more
        previous = np.zeros_like(y_in)
        previous[:, :, 1:] = y_in[:, :, :-1]
        return previous
    assert_diagnosed("encoder_decoder_forward", enc_dec(dec_inputs=shift), "the decoder inputs are shifted once more")


def test_decoder_inputs_shifted_the_other_way():
    def shift(y_in):
        return np.concatenate([y_in[:, :, 1:], np.zeros_like(y_in[:, :, :1])], axis=2)
    assert_diagnosed("encoder_decoder_forward", enc_dec(dec_inputs=shift), "off by one in time", "y_in[:, :, t + 1]")


def test_output_layer_on_the_encoder():
    assert_diagnosed("encoder_decoder_forward", enc_dec(read=lambda h_enc, h_dec: h_enc),
                     "the output layer reads the encoder's states")


def test_decoder_with_the_encoders_weights():
    def encoder_decoder_forward(x, y_in, params_enc, params_dec):
        n_h, m = params_enc["W"].shape[0], x.shape[1]
        h_enc, enc_cache = rnn_forward(x, np.zeros((n_h, m)), params_enc)
        h_dec, dec_cache = rnn_forward(y_in, h_enc[:, :, -1], params_enc)  # wrong dict
        z, out_cache = output_forward(h_dec, params_dec)
        return z, {"encoder": enc_cache, "decoder": dec_cache, "output": out_cache}
    # raises on the non-square sizes, named on the square one
    assert_diagnosed("encoder_decoder_forward", encoder_decoder_forward, "the decoder ran with the encoder's U, W, b",
                     "raised ValueError", partial=False)


def test_decoder_read_out_at_the_last_step_only():
    assert_diagnosed("encoder_decoder_forward", enc_dec(read=lambda h_enc, h_dec: h_dec[:, :, -1]),
                     "only the last decoder step was read out")
