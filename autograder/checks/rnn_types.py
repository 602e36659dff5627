"""Checks for assignment 5, RNN types: the many-to-one pixel classifier and the encoder-decoder.

Graded: ``many_to_one_forward``, ``many_to_one_backward`` and ``encoder_decoder_forward``. The
students paste their own pieces of exercises 3, 4a and 4b (``rnn_forward``, ``rnn_backward``,
``output_forward``, ``output_backward``, ``softmax_cross_entropy`` ...), whose caches the API fixes,
so the caches of the graded functions are graded too (keys and contents). The mistakes are about
the wiring: which state the classifier reads, where the loss gradient enters, which state starts
the decoder and which input it reads at each step.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from autograder import reference as ref

from .inputs import SIZES, label, normal, rnn_params, subset
from .spec import Case, Check, Keys, Mistake, NoSideEffects, Shape, Values, register

GRADS = ["dx", "dU", "dW", "db", "dV", "dby"]


# ---------------------------------------------------------------- trusted building blocks

def _states(x, params, h0=None):
    """The RNN over ``x`` from ``h0`` (zeros by default): ``(h, rnn_cache)`` as the reference."""
    if h0 is None:
        h0 = np.zeros((params["W"].shape[0], x.shape[1]))
    return ref.rnn_forward(x, h0, params)


def _read_out(h_read, rnn_cache, params):
    """What a many-to-one forward returns when it reads ``h_read`` with the output layer."""
    z, out_cache = ref.output_forward(h_read, params)
    return z, {"rnn": rnn_cache, "output": out_cache}


def _bptt(dh, cache, tanh_slope=True):
    """BPTT over a many-to-one cache, optionally without the tanh derivative (a wrong variant)."""
    if tanh_slope:
        return ref.rnn_backward(dh, cache)
    x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
    da, carry = np.zeros_like(h), np.zeros_like(h0)
    for t in reversed(range(x.shape[2])):
        da[:, :, t] = dh[:, :, t] + carry
        carry = p["W"].T @ da[:, :, t]
    h_prev = np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)
    return {"dx": np.einsum("hx,hmt->xmt", p["U"], da), "dh0": carry,
            "dU": np.einsum("hmt,xmt->hx", da, x), "dW": np.einsum("hmt,kmt->hk", da, h_prev),
            "db": da.sum(axis=(1, 2))[:, None]}


def _m2o_grads(dz, cache, inject=(-1,), tanh_slope=True):
    """Many-to-one gradients with ``V^T dz`` injected at the steps ``inject`` (the reference
    injects at the last step only)."""
    out = ref.output_backward(dz, cache["output"])
    dh = np.zeros_like(cache["rnn"]["h"])
    for t in inject:
        dh[:, :, t] += out["dh"]
    rnn = _bptt(dh, cache["rnn"], tanh_slope)
    return {"dx": rnn["dx"], "dU": rnn["dU"], "dW": rnn["dW"], "db": rnn["db"], "dV": out["dV"], "dby": out["dby"]}


def _square(p: dict, key: str) -> bool:
    return p[key].shape[0] == p[key].shape[1]


# ---------------------------------------------------------------- many-to-one forward

@register
class ManyToOneForward(Check):
    name = "many_to_one_forward"
    returns = ("z", "cache")
    parts: ClassVar[list] = [
        Shape("z", 0.5),
        Values("z", 2.0),
        Keys("cache", ["rnn", "output"], 0.5),
        # each layer's cache must hold what its backward pass reads: the RNN's U, W, b, the output's V, by
        Values("cache", 1.0, "cache contents", only={("cache", "rnn", "params"): ("U", "W", "b"),
                                                     ("cache", "output", "params"): ("V", "by")}),
    ]

    def cases(self, rng):
        cases = []
        for n_x, n_h, n_y, m, T in SIZES:
            p = rnn_params(rng, n_x, n_h, n_y)
            cases.append(Case(label(n_x=n_x, n_h=n_h, n_y=n_y, m=m, T=T), (normal(rng, n_x, m, T), p)))
        return cases

    def expected(self, case):
        return ref.many_to_one_forward(*case.args)

    def mistakes(self):
        def reading(pick, T_min=1):
            def answer(case):
                x, p = case.args
                if x.shape[2] < T_min:
                    return None
                h, rnn_cache = _states(x, p)
                return _read_out(pick(h), rnn_cache, p)
            return answer

        def v_transposed(case):
            x, p = case.args
            if not _square(p, "V"):
                return None
            h, rnn_cache = _states(x, p)
            return _read_out(h[:, :, -1], rnn_cache, {**p, "V": p["V"].T})

        def no_bias(case):
            x, p = case.args
            h, rnn_cache = _states(x, p)
            return _read_out(h[:, :, -1], rnn_cache, {**p, "by": np.zeros_like(p["by"])})

        def probabilities(case):
            z, cache = ref.many_to_one_forward(*case.args)
            return ref.softmax(z), cache

        return [
            Mistake("first state", "the classifier reads the first state h^{<1>}; it must read the last, "
                    "h^{<T>} = h[:, :, -1], the only one that has seen the whole sequence",
                    reading(lambda h: h[:, :, 0], T_min=2)),
            Mistake("state before the last", "off by one in time: the classifier reads the state before the "
                    "last step; read h[:, :, -1], the state after the last input",
                    reading(lambda h: h[:, :, -2], T_min=2)),
            Mistake("every step", "the output layer was applied to every step's state; a many-to-one network "
                    "reads out once, z = V h^{<T>} + b_y of shape (n_y, m)", reading(lambda h: h)),
            Mistake("mean of states", "the classifier reads the mean of all states; it must read the last "
                    "state h^{<T>} only", reading(lambda h: h.mean(axis=2), T_min=2)),
            Mistake("time axis kept", "z keeps a time axis of length 1: read the last state with h[:, :, -1] "
                    "(an (n_h, m) array), not h[:, :, -1:]", reading(lambda h: h[:, :, -1:])),
            Mistake("missing bias", "the output bias b_y is missing: z = V h^{<T>} + b_y", no_bias),
            Mistake("V transposed", "V is transposed: V has shape (n_y, n_h)", v_transposed),
            Mistake("softmax applied", "these are probabilities: many_to_one_forward returns the logits z, "
                    "before the softmax", probabilities),
        ]


# ---------------------------------------------------------------- many-to-one backward

@register
class ManyToOneBackward(Check):
    name = "many_to_one_backward"
    parts: ClassVar[list] = [
        Keys((), GRADS, 0.25, "gradient names"),
        Values("dx", 1.0),
        Values("dU", 1.0),
        Values("dW", 1.0),
        Values("db", 0.5),
        Values("dV", 0.5),
        Values("dby", 0.5),
        NoSideEffects(0.25),  # the rule of every backward pass: dz and the cache come back as they were
    ]

    def cases(self, rng):
        cases = []
        for n_x, n_h, n_y, m, T in SIZES:
            p = rnn_params(rng, n_x, n_h, n_y)
            _, cache = ref.many_to_one_forward(normal(rng, n_x, m, T), p)
            cases.append(Case(label(n_x=n_x, n_h=n_h, n_y=n_y, m=m, T=T), (normal(rng, n_y, m, scale=0.5), cache)))
        return cases

    def expected(self, case):
        return ref.many_to_one_backward(*case.args)

    def mistakes(self):
        def injected(steps, T_min=1):
            def answer(case):
                dz, cache = case.args
                T = cache["rnn"]["x"].shape[2]
                return None if T_min > T else _m2o_grads(dz, cache, inject=steps(T))
            return answer

        def mean_again(case):
            dz, cache = case.args
            return None if dz.shape[1] == 1 else ref.many_to_one_backward(dz / dz.shape[1], cache)

        def dc_per_example(case):
            dz, cache = case.args
            return {**ref.many_to_one_backward(dz, cache), "dby": dz}

        return [
            Mistake("every step", "the loss gradient V^T dz was injected into every state; in a many-to-one "
                    "network only h^{<T>} receives it (dh is zero at every other step)",
                    injected(lambda T: range(T), T_min=2)),
            Mistake("first step", "the loss gradient V^T dz was injected into the first state; only the last "
                    "state h^{<T>} = h[:, :, -1] receives it", injected(lambda T: (0,), T_min=2)),
            Mistake("step before the last", "off by one in time: the loss gradient was injected into the state "
                    "before the last; put V^T dz at dh[:, :, -1]", injected(lambda T: (-2,), T_min=2)),
            Mistake("no tanh derivative", "the tanh derivative is missing: da = dh * (1 - h**2) at every step",
                    lambda c: _m2o_grads(*c.args, tanh_slope=False)),
            Mistake("averaged again", "the gradients are divided by m once too often: dz from "
                    "softmax_cross_entropy is already the gradient of the mean loss", mean_again),
            Mistake("dby per example", "dby must sum dz over the m examples: dby = dz.sum(axis=1, keepdims=True), "
                    "shape (n_y, 1)", dc_per_example),
        ]


# ---------------------------------------------------------------- encoder-decoder forward

# (n_x, n_h, n_y_in, n_y, m, T_x, T_y): T_x != T_y, a batch of one, T_x = 1, T_y = 1, non-square
# weights, and one square case (every size 4, T_x = T_y) where swapped weights still run.
ENC_DEC_SIZES = [
    (3, 5, 5, 4, 4, 6, 4),
    (4, 3, 3, 2, 1, 1, 3),
    (2, 6, 4, 3, 2, 5, 1),
    (4, 4, 4, 4, 3, 3, 3),
]


def _decoder_inputs(rng, n_y_in, m, T_y):
    """One-hot teacher-forcing inputs: the start symbol (the last id) first, then random tokens."""
    ids = rng.integers(0, max(n_y_in - 1, 1), size=(m, T_y))
    ids[:, 0] = n_y_in - 1
    return np.eye(n_y_in)[ids].transpose(2, 0, 1)  # (n_y_in, m, T_y)


def _enc_dec(x, y_in, p_enc, p_dec, start=lambda h_enc: h_enc[:, :, -1], dec_rec=None, read_encoder=False):
    """The encoder-decoder with one change: the decoder's first state ``start(h_enc)``, the decoder's
    recurrence parameters ``dec_rec`` (default its own), or the output layer on the encoder."""
    h_enc, enc_cache = _states(x, p_enc)
    rec = p_dec if dec_rec is None else {**p_dec, **subset(dec_rec, "U W b")}
    h_dec, dec_cache = ref.rnn_forward(y_in, start(h_enc), rec)
    z, out_cache = ref.output_forward(h_enc if read_encoder else h_dec, p_dec)
    return z, {"encoder": enc_cache, "decoder": dec_cache, "output": out_cache}


@register
class EncoderDecoderForward(Check):
    name = "encoder_decoder_forward"
    returns = ("z", "cache")
    parts: ClassVar[list] = [
        Shape("z", 0.5),
        Values("z", 2.5),
        Keys("cache", ["encoder", "decoder", "output"], 0.5),
        Values("cache", 1.5, "cache contents", only={("cache", "encoder", "params"): ("U", "W", "b"),
                                                     ("cache", "decoder", "params"): ("U", "W", "b"),
                                                     ("cache", "output", "params"): ("V", "by")}),
    ]

    def cases(self, rng):
        cases = []
        for n_x, n_h, n_y_in, n_y, m, T_x, T_y in ENC_DEC_SIZES:
            p_enc = rnn_params(rng, n_x, n_h)
            p_dec = rnn_params(rng, n_y_in, n_h, n_y)
            args = (normal(rng, n_x, m, T_x), _decoder_inputs(rng, n_y_in, m, T_y), p_enc, p_dec)
            cases.append(Case(label(n_x=n_x, n_h=n_h, n_y=n_y, m=m, n_y_in=n_y_in, T_x=T_x, T_y=T_y), args))
        return cases

    def expected(self, case):
        return ref.encoder_decoder_forward(*case.args)

    def mistakes(self):
        def started(start, T_min=1):
            def answer(case):
                x = case.args[0]
                return None if x.shape[2] < T_min else _enc_dec(*case.args, start=start)
            return answer

        def shifted(direction):
            def answer(case):
                x, y_in, p_enc, p_dec = case.args
                moved = np.zeros_like(y_in)
                if direction > 0:  # step t reads y_in[:, :, t - 1]
                    moved[:, :, 1:] = y_in[:, :, :-1]
                else:              # step t reads y_in[:, :, t + 1]
                    moved[:, :, :-1] = y_in[:, :, 1:]
                return _enc_dec(x, moved, p_enc, p_dec)
            return answer

        def encoder_weights(case):
            _, _, p_enc, p_dec = case.args
            same = p_enc["U"].shape == p_dec["U"].shape
            return _enc_dec(*case.args, dec_rec=p_enc) if same else None

        def last_step_only(case):
            z, cache = ref.encoder_decoder_forward(*case.args)
            return z[:, :, -1], cache

        def probabilities(case):
            z, cache = ref.encoder_decoder_forward(*case.args)
            return ref.softmax(z), cache

        return [
            Mistake("decoder from zeros", "the decoder starts from a zero state; it must start from the encoder's "
                    "last state, h_dec^{<0>} = h_enc^{<T_x>}", started(lambda h: np.zeros_like(h[:, :, 0]))),
            Mistake("decoder from first encoder state", "the decoder starts from the encoder's first state; it "
                    "must start from its last, h_enc[:, :, -1]", started(lambda h: h[:, :, 0], T_min=2)),
            Mistake("decoder from state before last", "off by one in time: the decoder starts from the encoder's "
                    "state before the last step; use h_enc[:, :, -1]", started(lambda h: h[:, :, -2], T_min=2)),
            Mistake("inputs shifted right", "the decoder inputs are shifted once more: y_in is already the "
                    "teacher-forcing input (y_in[:, :, 0] is the start token), so step t reads y_in[:, :, t]",
                    shifted(+1)),
            Mistake("inputs shifted left", "off by one in time: decoder step t reads y_in[:, :, t + 1]; it must read "
                    "y_in[:, :, t], the previous target token (the start token at the first step)", shifted(-1)),
            Mistake("encoder weights in decoder", "the decoder ran with the encoder's U, W, b; the decoder has its "
                    "own parameters, params_dec", encoder_weights),
            Mistake("output on encoder", "the output layer reads the encoder's states; the logits come from the "
                    "decoder's states, z^{<t>} = V h_dec^{<t>} + b_y",
                    lambda c: _enc_dec(*c.args, read_encoder=True)),
            Mistake("last step only", "only the last decoder step was read out; the decoder predicts a token at "
                    "every step, z of shape (n_y, m, T_y)", last_step_only),
            Mistake("softmax applied", "these are probabilities: encoder_decoder_forward returns the logits z, "
                    "before the softmax", probabilities),
        ]
