"""Checks for assignment 4, backpropagation through time: softmax_cross_entropy, rnn_cell_backward,
rnn_backward, output_backward, grad_check, and train_binary_addition (training on binary addition).

The backward checks hand the student the cache of the *reference's* forward pass, so a bug in a
forward pass never costs backward points, and every gradient is graded as a part of its own. The
mistakes are modelled by configurable computations written here, on the trusted side, with
keyword switches that each reproduce one typical slip (wrong tanh derivative, terms assigned
instead of summed over time, the state of the wrong step in ``dW``, the gradient from the next
step left out, a mask ignored, a sum instead of a mean, ...).

``grad_check`` returns numbers that are themselves numerical estimates, so it is graded by bands
(a right gradient below 1e-7, a wrong one above 1e-3) and by the size of the relative error of a
wrong gradient within 5 %, never to the last digit. ``train_binary_addition`` is graded by the
accuracy its returned parameters reach, run through the reference's forward pass, on fresh
additions drawn by the check.
"""

from __future__ import annotations

import math

import numpy as np

from autograder import reference as ref
from autograder.data import binary_addition

from .harness import FUNCTIONS, Fn, Rng, build, finite
from .inputs import SIZES, label, normal, rnn_params, state, subset
from .spec import (
    Case,
    Check,
    Custom,
    Diagnosis,
    Keys,
    Missing,
    Mistake,
    Part,
    Shape,
    Values,
    register,
    shape_text,
)


class Shapes(Part):
    """Every named array of the returned dict has the reference's shape (credit for a backward
    pass whose shapes are all right even where some values are not)."""

    def __init__(self, names, points: float, title: str = "gradient shapes", when=None):
        self.names = tuple(names)
        super().__init__(title, points, when)

    def judge(self, check, case, outcome, want):
        for name in self.names:
            got = check.locate(outcome.value, (name,))
            if isinstance(got, Missing):
                return got.message
            if not isinstance(got, np.ndarray):
                return f"{name} is a {type(got).__name__}; expected a NumPy array"
            if got.shape != want[name].shape:
                return f"{name} has shape {shape_text(got.shape)}; expected {shape_text(want[name].shape)}"
        return None


class Unchanged(Part):
    """The function leaves its arguments as they were and returns new arrays; ``message`` says
    what went wrong in the terms of this function."""

    def __init__(self, points: float, title: str, message: str, when=None):
        super().__init__(title, points, when)
        self.message = message

    def judge(self, check, case, outcome, want):
        if outcome.mutated:
            return Diagnosis(f"{self.message} (changed: {', '.join(outcome.mutated[:3])})")
        if outcome.aliased:
            return Diagnosis("a returned array shares memory with an input (a view, not a new array): return new "
                             "arrays")
        return None


# ================================================================ softmax_cross_entropy

MASKED, LARGE = "masked", "large logits"


def _plain(case) -> bool:
    return not case.info.get(MASKED) and not case.info.get(LARGE)


def _log_softmax(z, axis=0):
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _sce(z, y, mask=None, *, use_mask=True, divide="N", dz_divide=True, sign=1.0, subtract=True, axis=0,
         onehot="right"):
    """Mean cross-entropy and its gradient, with switches for the typical slips: ``use_mask`` off
    (padding counted); ``divide`` by ``N`` (right), ``all`` (m T), ``m`` or ``none`` (a sum);
    ``dz_divide`` off (the mean's factor missing from dz); the ``sign`` of dz; ``subtract`` off
    (dz = yhat); the ``axis`` of the softmax."""
    weights = np.ones(y.shape) if mask is None or not use_mask else np.asarray(mask, dtype=np.float64)
    log_p = _log_softmax(z, axis)
    picked = np.take_along_axis(log_p, y[None], axis=0)[0]
    n = {"N": weights.sum(), "all": float(y.size), "m": float(y.shape[0]), "none": 1.0}[divide]
    loss = -(picked * weights).sum() / n
    dz = np.exp(log_p)
    if subtract and onehot == "reshaped":  # np.eye(n_y)[y] is (m, T, n_y); reshaping it to (n_y, m, T) scrambles it
        dz = dz - np.eye(z.shape[0])[y].reshape(z.shape)
    elif subtract:
        np.put_along_axis(dz, y[None], np.take_along_axis(dz, y[None], axis=0) - 1.0, axis=0)
    dz = sign * dz * weights
    if dz_divide:
        dz = dz / n
    return float(loss), dz


class ScalarValues(Values):
    """Values of a number; a 0-d NumPy array counts as the number it holds."""

    def compare(self, check, case, path, got, expected):
        if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "biuf":
            got = float(got)
        return super().compare(check, case, path, got, expected)


class StableLoss(Part):
    """``loss`` and ``dz`` finite and right for logits hundreds apart; a value that is not finite
    is named as the underflow or overflow it comes from."""

    def judge(self, check, case, outcome, want):
        for name, part in (("loss", ScalarValues("loss", 0)), ("dz", Values("dz", 0))):
            got = check.locate(outcome.value, (name,))
            if isinstance(got, Missing):
                return got.message
            if isinstance(got, (float, np.ndarray)) and not finite(got):
                return Diagnosis(
                    f"{name} is not finite when the logits are hundreds apart: a probability rounded to 0 and "
                    "its log is -inf (or exp overflowed); compute log softmax(z) as "
                    "(z - max z) - log(sum(exp(z - max z))), never as the log of a probability")
            reason = part.judge(check, case, outcome, want)
            if reason:
                return reason
        return None


@register
class SoftmaxCrossEntropy(Check):
    name = "softmax_cross_entropy"
    returns = ("loss", "dz")
    parts = (
        Shape("dz", 0.5),
        ScalarValues("loss", 1.0, when=_plain),
        Values("dz", 1.0, when=_plain),
        ScalarValues("loss", 0.5, "loss with a mask", when=lambda c: c.info.get(MASKED)),
        Values("dz", 0.5, "dz with a mask", when=lambda c: c.info.get(MASKED)),
        StableLoss("logits 800 apart", 0.5, when=lambda c: c.info.get(LARGE)),
    )

    def cases(self, rng):
        cases = []
        for _, _, n_y, m, T in SIZES:
            z = normal(rng, n_y, m, T, scale=2.0)
            y = rng.integers(0, n_y, size=(m, T))
            cases.append(Case(label(n_y=n_y, m=m, T=T), (z, y)))
        for n_y, lengths, T in ((4, (6, 3, 5, 1), 6), (3, (2,), 4), (5, (1, 3, 3), 3)):
            m = len(lengths)
            mask = (np.arange(T)[None, :] < np.array(lengths)[:, None]).astype(np.float64)
            z = normal(rng, n_y, m, T, scale=2.0)
            y = rng.integers(0, n_y, size=(m, T))
            cases.append(Case(label(n_y=n_y, m=m, T=T) + f", mask with lengths {list(lengths)}", (z, y, mask),
                              info={MASKED: True}))
        n_y, m, T = 5, 3, 4
        z = normal(rng, n_y, m, T)
        top = rng.integers(0, n_y, size=(m, T))
        np.put_along_axis(z, top[None], np.take_along_axis(z, top[None], axis=0) + 800.0, axis=0)
        y = (top + rng.integers(1, n_y, size=(m, T))) % n_y  # most targets far below the top logit
        y[0, 0] = top[0, 0]
        cases.append(Case(label(n_y=n_y, m=m, T=T) + ", logits 800 apart", (z, y), info={LARGE: True}))
        return cases

    def expected(self, case):
        return ref.softmax_cross_entropy(*case.args)

    def mistakes(self):
        def variant(**change):
            return lambda c: _sce(*c.args, **change)

        def with_mask(**change):
            return lambda c: _sce(*c.args, **change) if len(c.args) == 3 else None

        return [
            Mistake("mask ignored", "the mask is ignored: padded positions must count for nothing, so multiply "
                      "each position's loss and dz by the mask and divide by N = mask.sum(), the number of real "
                      "positions", with_mask(use_mask=False, divide="all")),
            Mistake("divided by m T", "the mask is applied but the total is divided by m*T: divide by "
                      "N = mask.sum(), the number of real positions", with_mask(divide="all")),
            Mistake("dz without 1/N", "dz is missing the 1/N of the mean: the loss is divided by N, so its "
                      "gradient is (yhat - onehot(y)) * mask / N", variant(dz_divide=False)),
            Mistake("summed", "summed instead of averaged: the loss is the mean over the N real positions, so "
                      "divide the sum (and dz) by N", variant(divide="none")),
            Mistake("mean over m", "averaged over the m examples only: divide by N, the number of real "
                      "positions over the batch and time (m*T without a mask)", variant(divide="m")),
            Mistake("dz sign", "dz has the wrong sign: the gradient is yhat - onehot(y), predicted minus target",
                      variant(sign=-1.0)),
            Mistake("no one-hot", "dz is the softmax alone: subtract 1 at each position's target class, "
                      "dz = yhat - onehot(y)", variant(subtract=False)),
            Mistake("one-hot reshaped", "the one-hot is laid out wrong: np.eye(n_y)[y] has shape (m, T, n_y), and "
                      "reshaping it to (n_y, m, T) scrambles it; move its last axis to the front (np.moveaxis(., -1, "
                      "0)) or subtract 1 at each target with np.put_along_axis", variant(onehot="reshaped")),
            Mistake("wrong axis", "the softmax is taken over the wrong axis: the classes are axis 0 of z",
                      variant(axis=-1)),
        ]


# ================================================================ the tanh derivative, shared

DERIVATIVES = {
    "1-h": "wrong tanh derivative: tanh'(a) = 1 - tanh(a)**2 = 1 - h**2, not 1 - h",
    "1-a^2": "the derivative 1 - (.)**2 was applied to the pre-activation a: tanh'(a) = 1 - tanh(a)**2, which is "
             "1 - h**2 with the stored h, not 1 - a**2",
    "1-tanh(h)^2": "tanh' was evaluated at h as if h were the pre-activation: with h = tanh(a), "
                   "tanh'(a) = 1 - h**2 (no second tanh)",
    "none": "the tanh derivative is missing: da = dh * (1 - h**2) comes before the weights' gradients",
    "h_prev": "tanh' is taken at the wrong step: use the state this step produced, 1 - h^{<t>}**2, not the "
              "previous state h^{<t-1>}",
}


def _local(kind, h_next, x_t, h_prev, p):
    """tanh' as the mistake ``kind`` computes it (``1-h^2`` is right)."""
    if kind == "1-h^2":
        return 1.0 - h_next**2
    if kind == "1-h":
        return 1.0 - h_next
    if kind == "1-a^2":
        return 1.0 - (p["U"] @ x_t + p["W"] @ h_prev + p["b"]) ** 2
    if kind == "1-tanh(h)^2":
        return 1.0 - np.tanh(h_next) ** 2
    if kind == "none":
        return np.ones_like(h_next)
    if kind == "h_prev":
        return 1.0 - h_prev**2
    raise ValueError(kind)


def _derivative_mistakes(check, backward):
    return [Mistake(f"derivative {k}", message, lambda c, k=k: backward(c, deriv=k))
            for k, message in DERIVATIVES.items()]


# ================================================================ rnn_cell_backward

CELL_GRADS = ("dx_t", "dh_prev", "dU", "dW", "db")


def _cell_backward(case, deriv="1-h^2", dW_with="h_prev", W_T=True, U_T=True, dW_T=False, dU_T=False, db="sum"):
    dh_next, cache = case.args
    x_t, h_prev, h_next, p = cache["x_t"], cache["h_prev"], cache["h_next"], cache["params"]
    da = dh_next * _local(deriv, h_next, x_t, h_prev, p)
    dW = da @ (h_prev if dW_with == "h_prev" else h_next).T
    dU = da @ x_t.T
    return {
        "dx_t": (p["U"].T if U_T else p["U"]) @ da,
        "dh_prev": (p["W"].T if W_T else p["W"]) @ da,
        "dU": dU.T if dU_T else dU,
        "dW": dW.T if dW_T else dW,
        "db": {"sum": da.sum(axis=1, keepdims=True), "mean": da.mean(axis=1, keepdims=True),
               "none": da, "flat": da.sum(axis=1)}[db],
    }


def _square_cell(case) -> bool:
    U = case.args[1]["params"]["U"]
    return U.shape[0] == U.shape[1]


@register
class RnnCellBackward(Check):
    name = "rnn_cell_backward"
    parts = (
        Keys((), CELL_GRADS, 0.5, "gradient names"),
        Shapes(CELL_GRADS, 0.5),
        Values("dx_t", 1.0),
        Values("dh_prev", 1.0),
        Values("dU", 1.0),
        Values("dW", 1.0),
        Values("db", 0.5),
        Unchanged(0.5, "inputs left unchanged", "the function changed dh_next or the cache in place: "
                  "compute new arrays (da = dh_next * ..., not dh_next *= ...)"),
    )

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, _ in SIZES:
            p = rnn_params(rng, n_x, n_h)
            _, cache = ref.rnn_cell_forward(normal(rng, n_x, m), state(rng, n_h, m), p)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m), (normal(rng, n_h, m), cache)))
        return cases

    def expected(self, case):
        return ref.rnn_cell_backward(*case.args)

    def mistakes(self):
        square = _square_cell
        return _derivative_mistakes(self, _cell_backward) + [
            Mistake("dW with h_next", "off by one in time: dW = da h_prev^T uses the state that went into the "
                      "step, h^{<t-1>} (h_prev), not the state it produced", lambda c: _cell_backward(c, dW_with="h")),
            Mistake("W not transposed", "the gradient goes back through W transposed: dh_prev = W^T da, not W da",
                      lambda c: _cell_backward(c, W_T=False)),
            Mistake("U not transposed", "the gradient goes back through U transposed: dx_t = U^T da",
                      lambda c: _cell_backward(c, U_T=False) if square(c) else None),
            Mistake("dW transposed", "dW is transposed: dW = da h_prev^T, row i holding the gradient of the "
                      "weights into unit i", lambda c: _cell_backward(c, dW_T=True)),
            Mistake("dU transposed", "dU is transposed: dU = da x_t^T, of shape (n_h, n_x)",
                      lambda c: _cell_backward(c, dU_T=True) if square(c) else None),
            Mistake("db mean", "db is averaged over the batch: the gradient of the shared bias is the sum over "
                      "the m examples", lambda c: _cell_backward(c, db="mean")),
            Mistake("db per example", "db is not summed over the batch: sum da over axis 1 (keepdims=True) to "
                      "get (n_h, 1)", lambda c: _cell_backward(c, db="none")),
            Mistake("db flat", "db lost its column axis: sum with keepdims=True to keep the shape (n_h, 1)",
                      lambda c: _cell_backward(c, db="flat")),
        ]


# ================================================================ rnn_backward

SEQ_GRADS = ("dx", "dh0", "dU", "dW", "db")


def _bptt(case, deriv="1-h^2", keep="all", dW_state="prev", recurrent=True, inside=True, W_T=True, U_T=True,
          dh0="W^T da", order="backward"):
    """BPTT with switches: ``keep`` the terms of ``all`` steps (right) or only the ``first`` or
    ``last``; ``dW_state`` the ``prev`` state (right), the ``current`` one, or ``wrap``
    (``h[:, :, t-1]`` also at t = 0, where Python wraps around); ``recurrent`` off (no gradient
    from the next step); ``inside`` off (that gradient skips tanh'); ``dh0`` as ``da``."""
    dh, cache = case.args
    x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    prev = [h0] + [h[:, :, t - 1] for t in range(1, T)]
    grads = {"dx": np.zeros(x.shape), "dU": np.zeros(p["U"].shape), "dW": np.zeros(p["W"].shape),
             "db": np.zeros(p["b"].shape)}
    back = p["W"].T if W_T else p["W"]
    carry = np.zeros(h0.shape)
    da = carry
    for t in (reversed(range(T)) if order == "backward" else range(T)):
        local = _local(deriv, h[:, :, t], x[:, :, t], prev[t], p)
        incoming = carry if recurrent else 0.0
        da = (dh[:, :, t] + incoming) * local if inside else dh[:, :, t] * local + incoming
        state_for_dW = {"prev": prev[t], "current": h[:, :, t], "wrap": h[:, :, t - 1]}[dW_state]
        terms = {"dU": da @ x[:, :, t].T, "dW": da @ state_for_dW.T, "db": da.sum(axis=1, keepdims=True)}
        for k, v in terms.items():
            if keep == "all":
                grads[k] = grads[k] + v
            elif (keep == "first" and t == 0) or (keep == "last" and t == T - 1):
                grads[k] = v
        grads["dx"][:, :, t] = (p["U"].T if U_T else p["U"]) @ da
        carry = back @ da
    grads["dh0"] = carry if dh0 == "W^T da" else da
    return grads


ONE_STEP = ("only one time step's term survives (the {} step's): the weights are shared, so every step's term "
            "must be added to a total that starts at zero (+=, not =)")


@register
class RnnBackward(Check):
    name = "rnn_backward"
    parts = (
        Keys((), SEQ_GRADS, 0.5, "gradient names"),
        Shapes(SEQ_GRADS, 0.5),
        Values("dx", 1.0),
        Values("dh0", 1.0),
        Values("dU", 1.0),
        Values("dW", 1.5),
        Values("db", 1.0),
        Unchanged(0.5, "inputs left unchanged", "the function changed dh or the cache in place: the caller's dh "
                  "must stay as it was, so add the gradient from the next step into a new array"),
    )

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, T in SIZES:
            p = rnn_params(rng, n_x, n_h)
            _, cache = ref.rnn_forward(normal(rng, n_x, m, T), state(rng, n_h, m), p)
            cache = {k: (np.ascontiguousarray(v) if isinstance(v, np.ndarray) else v) for k, v in cache.items()}
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T), (normal(rng, n_h, m, T), cache)))
        return cases

    def expected(self, case):
        return ref.rnn_backward(*case.args)

    def mistakes(self):
        def square(c):
            U = c.args[1]["params"]["U"]
            return U.shape[0] == U.shape[1]

        return _derivative_mistakes(self, _bptt) + [
            Mistake("only first step", ONE_STEP.format("first"), lambda c: _bptt(c, keep="first")),
            Mistake("only last step", ONE_STEP.format("last"), lambda c: _bptt(c, keep="last")),
            Mistake("dW with h_t", "off by one in time: dW sums da^{<t>} h^{<t-1>T}, the state that went into "
                      "step t (h0 at the first step), not h^{<t>}", lambda c: _bptt(c, dW_state="current")),
            Mistake("dW wraps around", "off by one in time at the first step: there h[:, :, t-1] is h[:, :, -1], "
                      "the LAST state (Python wraps around); the state before the first step is h0",
                      lambda c: _bptt(c, dW_state="wrap")),
            Mistake("no recurrence", "the gradient from the next step is not added: dh^{<t>} = dh[:, :, t] + "
                      "W^T da^{<t+1>}, carried backwards through the loop (zero after the last step)",
                      lambda c: _bptt(c, recurrent=False)),
            Mistake("recurrence skips tanh'", "the gradient from the next step skips tanh': "
                      "da^{<t>} = (dh[:, :, t] + W^T da^{<t+1>}) * (1 - h^{<t>}**2)", lambda c: _bptt(c, inside=False)),
            Mistake("W not transposed", "the gradient goes back through W transposed: W^T da, not W da",
                      lambda c: _bptt(c, W_T=False)),
            Mistake("U not transposed", "the gradient goes back through U transposed: dx^{<t>} = U^T da^{<t>}",
                      lambda c: _bptt(c, U_T=False) if square(c) else None),
            Mistake("dh0 is da", "dh0 is W^T da^{<1>}, the gradient that reaches h0 through W, not da^{<1>} itself",
                      lambda c: _bptt(c, dh0="da")),
            Mistake("forward in time", "the loop runs forward in time: backpropagation starts at the last step, "
                      "t = T-1, and goes back to t = 0, so that each step receives the gradient of the step after it",
                      lambda c: _bptt(c, order="forward")),
        ]


# ================================================================ output_backward

OUT_GRADS = ("dh", "dV", "dc")


def _out_backward(case, keep="all", V_T=True, dV_T=False, dc="sum", mean=False):
    dz, cache = case.args
    h, V = cache["h"], cache["params"]["V"]
    T = h.shape[2]
    if keep == "sums":
        dV = dz.sum(axis=2) @ h.sum(axis=2).T
    else:
        steps = {"all": range(T), "first": [0], "last": [T - 1]}[keep]
        dV = sum(dz[:, :, t] @ h[:, :, t].T for t in steps)
    dcs = {"sum": dz.sum(axis=(1, 2))[:, None], "flat": dz.sum(axis=(1, 2)), "time": dz.sum(axis=1),
           "last": dz[:, :, -1].sum(axis=1, keepdims=True)}[dc]
    scale = 1.0 / (dz.shape[1] * T) if mean else 1.0
    return {"dh": np.einsum("yh,ymt->hmt", V, dz) if V_T else np.einsum("hy,ymt->hmt", V, dz),
            "dV": scale * (dV.T if dV_T else dV), "dc": scale * dcs}


@register
class OutputBackward(Check):
    name = "output_backward"
    parts = (
        Keys((), OUT_GRADS, 0.5, "gradient names"),
        Shapes(OUT_GRADS, 0.5),
        Values("dh", 1.0),
        Values("dV", 1.0),
        Values("dc", 0.5),
        Unchanged(0.5, "inputs left unchanged", "the function changed dz or the cache in place: compute new arrays"),
    )

    def cases(self, rng):
        cases = []
        for _, n_h, n_y, m, T in SIZES:
            p = subset(rnn_params(rng, 1, n_h, n_y), "V c")
            _, cache = ref.output_forward(state(rng, n_h, m * T).reshape(n_h, m, T), p)
            cases.append(Case(label(n_h=n_h, n_y=n_y, m=m, T=T), (normal(rng, n_y, m, T), cache)))
        return cases

    def expected(self, case):
        return ref.output_backward(*case.args)

    def mistakes(self):
        def square(c):
            V = c.args[1]["params"]["V"]
            return V.shape[0] == V.shape[1]

        return [
            Mistake("dV last step", ONE_STEP.format("last"), lambda c: _out_backward(c, keep="last")),
            Mistake("dV first step", ONE_STEP.format("first"), lambda c: _out_backward(c, keep="first")),
            Mistake("dV product of sums", "dV multiplies dz summed over time by h summed over time: it is the sum of "
                      "each step's own product, sum_t dz^{<t>} h^{<t>T} (pair dz and h of the same step)",
                      lambda c: _out_backward(c, keep="sums")),
            Mistake("V not transposed", "the gradient goes back through V transposed: dh = V^T dz",
                      lambda c: _out_backward(c, V_T=False) if square(c) else None),
            Mistake("dV transposed", "dV is transposed: dV = sum_t dz^{<t>} h^{<t>T}, of shape (n_y, n_h)",
                      lambda c: _out_backward(c, dV_T=True) if square(c) else None),
            Mistake("mean", "averaged over the batch and time: the shared V and c get the sum of every "
                      "example's and step's term (any mean is already inside dz)",
                      lambda c: _out_backward(c, mean=True)),
            Mistake("dc flat", "dc lost its column axis: keep the shape (n_y, 1)",
                      lambda c: _out_backward(c, dc="flat")),
            Mistake("dc per step", "dc is not summed over time: sum dz over the batch and the time axes, "
                      "to (n_y, 1)", lambda c: _out_backward(c, dc="time")),
            Mistake("dc last step", "dc keeps only the last step: sum dz over the batch and over time",
                      lambda c: _out_backward(c, dc="last")),
        ]


# ================================================================ grad_check

RIGHT_BELOW, WRONG_ABOVE = 1e-7, 1e-3
FACTOR = 1.05  # a wrong gradient's relative error must be within this factor of the reference's


def _numeric(case, name, kind="centered"):
    """The numerical gradient of ``case``'s loss by parameter ``name`` on the trusted side, as a
    mistaken checker computes it: ``forward`` (one-sided), ``one eps`` (divided by eps, not 2 eps),
    ``unseen`` (f never sees the perturbation: zero)."""
    info = case.info
    f = FUNCTIONS[info["f"].name](build(info["f"].data))
    params = build(info["params"])
    theta = params[name].reshape(-1)
    eps = info["eps"]
    out = np.zeros(theta.size)
    if kind == "unseen":
        return out.reshape(params[name].shape)
    base = f(params)
    for j in range(theta.size):
        old = theta[j]
        theta[j] = old + eps
        plus = f(params)
        theta[j] = old - eps
        minus = f(params)
        theta[j] = old
        out[j] = {"centered": (plus - minus) / (2 * eps), "forward": (plus - base) / eps,
                  "one eps": (plus - minus) / eps}[kind]
    return out.reshape(params[name].shape)


def _error(analytic, numeric, kind="max"):
    """The relative error as defined (``max``) and as mistaken checkers compute it."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    diff = np.abs(a - n)
    if kind == "max":
        scale = max(np.abs(a).max(), np.abs(n).max())
        return 0.0 if scale == 0 else float(diff.max() / scale)
    if kind == "norm sum":
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)
    if kind == "norm max":
        scale = max(np.linalg.norm(a), np.linalg.norm(n))
        return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)
    if kind == "absolute":
        return float(diff.max())
    if kind == "entrywise":
        scale = np.maximum(np.abs(a), np.abs(n))
        return float(np.max(np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)))
    if kind == "mean entrywise":
        scale = np.abs(a) + np.abs(n)
        return float(np.mean(np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)))
    raise ValueError(kind)


NUMERIC_SLIPS = {
    "forward": "the numerical gradient is one-sided, (f(theta + eps) - f(theta)) / eps, whose error is of order "
               "eps: use the centered difference (f(theta + eps) - f(theta - eps)) / (2 eps), whose error is of "
               "order eps**2",
    "one eps": "the numerical gradient is twice too large: divide the centered difference by 2 eps, not eps",
    "unseen": "the numerical gradient is zero (relative error 1): f must see the perturbed entry, so change "
              "params[name] itself, call f(params), and put the old value back",
}
FORMULA_SLIPS = {
    "norm sum": "the relative error is computed with norms, |g - n| / (|g| + |n|): use the largest entrywise "
                "difference over the largest entry, max|g - n| / max(max|g|, max|n|)",
    "norm max": "the relative error is computed with norms: use the largest entrywise difference over the "
                "largest entry, max|g - n| / max(max|g|, max|n|)",
    "absolute": "the error is absolute, not relative: divide max|g - n| by max(max|g|, max|n|)",
    "entrywise": "each entry is divided by its own size: divide the largest difference by the largest entry, "
                 "max|g - n| / max(max|g|, max|n|)",
    "mean entrywise": "the error is the mean of each entry's own relative error: use the largest entrywise "
                      "difference over the largest entry, max|g - n| / max(max|g|, max|n|)",
}


def _similar(a: float, b: float) -> bool:
    if a <= 1e-12 or b <= 1e-12:
        return a <= 1e-12 and b <= 1e-12
    return abs(math.log(a / b)) < math.log(1.5)


def _errors_of(got) -> dict | None:
    """The student's errors as ``name -> float`` when they are numbers, else ``None``."""
    if not isinstance(got, dict):
        return None
    out = {}
    for k, v in got.items():
        if isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "biuf":
            v = float(v.reshape(-1)[0])
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return None
        out[k] = float(v)
    return out


def _slip(case, errors: dict, slips: dict) -> str | None:
    """The message of the first modelled slip whose errors match the student's (cases that check
    every entry only; a sample of entries cannot be reproduced)."""
    if not case.info["full"]:
        return None
    names = list(case.info["params"])
    for slip, message in slips.items():
        numeric_kind = slip if slip in NUMERIC_SLIPS else "centered"
        error_kind = slip if slip in FORMULA_SLIPS else "max"
        modelled = {n: _error(case.info["grads"]["d" + n], _numeric(case, n, numeric_kind), error_kind)
                    for n in names}
        if all(n in errors and _similar(errors[n], modelled[n]) for n in names):
            return message
    return None


def _one_error_per_parameter(case, value, want):
    if not isinstance(value, dict):
        return f"the function returned a {type(value).__name__}; expected a dict name -> relative error"
    if set(value) != set(want):
        missing, extra = sorted(set(want) - set(value)), sorted(set(value) - set(want))
        return "; ".join(filter(None, [missing and f"missing errors for {missing}",
                                       extra and f"unexpected keys {extra} (use the parameters' own names)"]))
    if _errors_of(value) is None:
        return "every value must be a finite number (the relative error of that parameter)"
    return None


class ErrorBand(Part):
    """The errors of the parameters whose analytic gradient is right (``right``) stay below
    1e-7, or those of the wrong ones exceed 1e-3; a failure is matched with the modelled slips."""

    def __init__(self, title, points, right: bool, when=None):
        super().__init__(title, points, when)
        self.right = right

    def judge(self, check, case, outcome, want):
        errors = _errors_of(outcome.value)
        if errors is None:
            return "the result is not a dict name -> finite number"
        names = [n for n in case.info["params"] if (n in case.info["right"]) == self.right]
        for name in names:
            if name not in errors:
                return f"no error for {name!r}"
            bad = errors[name] >= RIGHT_BELOW if self.right else errors[name] <= WRONG_ABOVE
            if bad:
                slip = _slip(case, errors, NUMERIC_SLIPS)
                if slip:
                    return Diagnosis(slip)
                if self.right:
                    return (f"the analytic gradient of {name!r} is right, but the error returned is "
                            f"{errors[name]:.1e}, not below {RIGHT_BELOW:g}")
                return (f"the analytic gradient of {name!r} is wrong, but the error returned is {errors[name]:.1e}, "
                        f"not above {WRONG_ABOVE:g}")
        return None


class ErrorFormula(Part):
    """On wrong gradients with every entry checked, the relative error is the defined one: within
    a factor 1.05 of the reference's (the errors are numerical, so not to the last digit)."""

    def judge(self, check, case, outcome, want):
        errors = _errors_of(outcome.value)
        if errors is None:
            return "the result is not a dict name -> finite number"
        for name in case.info["params"]:
            if name in case.info["right"]:
                continue
            got, ref_error = errors.get(name, float("nan")), want[name]
            if not (got > 0 and abs(math.log(got / ref_error)) < math.log(FACTOR)):
                slip = _slip(case, errors, FORMULA_SLIPS) or _slip(case, errors, NUMERIC_SLIPS)
                if slip:
                    return Diagnosis(slip)
                return (f"the relative error of {name!r} is not max|g - n| / max(max|g|, max|n|) of the analytic "
                        "gradient g and the centered difference n (beyond a factor 1.05)")
        return None


def _tanh_layer(rng, n_out, n_in, m):
    data = {"x": normal(rng, n_in, m), "r": normal(rng, n_out, m)}
    params = {"W": normal(rng, n_out, n_in, scale=n_in**-0.5), "b": normal(rng, n_out, 1, scale=0.5)}
    h = np.tanh(params["W"] @ data["x"] + params["b"])
    da = data["r"] * (1.0 - h**2)
    grads = {"dW": da @ data["x"].T, "db": da.sum(axis=1, keepdims=True)}
    slip = data["r"] * (1.0 - h)  # tanh' taken as 1 - h
    wrong = {"dW": slip @ data["x"].T, "db": slip.sum(axis=1, keepdims=True)}
    return data, params, grads, wrong


@register
class GradCheck(Check):
    name = "grad_check"
    parts = (
        Custom("one error per parameter", 0.5, _one_error_per_parameter),
        ErrorBand("right gradients < 1e-7", 1.5, right=True, when=lambda c: c.info["right"]),
        ErrorBand("wrong gradients > 1e-3", 1.0, right=False,
                  when=lambda c: set(c.info["params"]) - c.info["right"]),
        ErrorFormula("relative error formula", 1.0,
                     when=lambda c: c.info["full"] and set(c.info["params"]) - c.info["right"]),
        Unchanged(1.0, "params restored", "the parameters are not restored: after the check every entry must hold "
                  "exactly its old value, so save it and put it back (theta + eps - eps is not always theta in "
                  "floating point)"),
    )

    def cases(self, rng):
        cases = []

        def add(text, f, params, grads, right, eps=None, n_checks=None):
            kwargs = {} if eps is None else {"eps": eps}
            if n_checks is not None:
                kwargs |= {"n_checks": n_checks, "rng": Rng(int(rng.integers(2**31)))}
            info = {"f": f, "params": params, "grads": grads, "right": set(right), "full": n_checks is None,
                    "eps": 1e-6 if eps is None else eps}
            cases.append(Case(text, (f, params, grads), kwargs, info=info))

        # quadratic loss 0.5 sum (A theta)**2, gradient A**2 theta
        A = {"U": rng.uniform(1.0, 2.0, (4, 3)), "b": rng.uniform(1.0, 2.0, (4, 1))}
        theta = {"U": normal(rng, 4, 3, scale=0.5), "b": normal(rng, 4, 1, scale=0.5)}
        right = {"d" + k: A[k] ** 2 * theta[k] for k in A}
        add("quadratic loss, U (4, 3), b (4, 1), right gradients", Fn("quadratic_loss", A), theta, right, "U b")
        A2 = {"V": rng.uniform(1.0, 2.0, (2, 5)), "c": rng.uniform(1.5, 2.0, (2, 1))}
        theta2 = {"V": normal(rng, 2, 5, scale=0.5), "c": normal(rng, 2, 1, scale=0.5)}
        grads2 = {"dV": A2["V"] ** 2 * theta2["V"], "dc": A2["c"] * theta2["c"]}  # dc misses a factor A
        add("quadratic loss, V (2, 5), c (2, 1), dc wrong", Fn("quadratic_loss", A2), theta2, grads2, ["V"])
        # one tanh layer, sum(r * tanh(W x + b))
        data, params, grads, wrong = _tanh_layer(rng, 3, 5, 4)
        add("tanh layer, W (3, 5), b (3, 1), right gradients, eps=1e-5", Fn("tanh_layer_loss", data), params,
            grads, ["W", "b"], eps=1e-5)
        data, params, grads, wrong = _tanh_layer(rng, 4, 4, 2)
        add("tanh layer, W (4, 4), b (4, 1), dW wrong", Fn("tanh_layer_loss", data), params,
            grads | {"dW": wrong["dW"]}, ["b"])
        data, params, grads, wrong = _tanh_layer(rng, 6, 5, 3)
        add("tanh layer, W (6, 5), b (6, 1), right gradients, n_checks=4", Fn("tanh_layer_loss", data), params,
            grads, ["W", "b"], n_checks=4)
        data, params, grads, wrong = _tanh_layer(rng, 5, 3, 2)
        add("tanh layer, W (5, 3), b (5, 1), signs flipped, n_checks=3", Fn("tanh_layer_loss", data), params,
            {k: -v for k, v in grads.items()}, [], n_checks=3)
        return cases

    def expected(self, case):
        args, kwargs = build(case.args), build(case.kwargs)
        return ref.grad_check(*args, **kwargs)


# ================================================================ train_binary_addition

N_TEST, N_BITS = 1000, 8
PARAM_NAMES = ("U", "W", "b", "V", "c")
THRESHOLDS = (0.5, 0.9, 0.99)


def _trained_params(value):
    """The five parameters as float arrays of consistent shapes, or the reason they are not."""
    if not isinstance(value, dict):
        return f"the function returned a {type(value).__name__}; expected the dict of trained parameters"
    missing = [k for k in PARAM_NAMES if k not in value]
    if missing:
        return f"the returned dict has no {', '.join(missing)}"
    p = {k: value[k] for k in PARAM_NAMES}
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 for v in p.values()):
        return "every parameter must be a 2-d NumPy array"
    n_h = p["W"].shape[0]
    want = {"U": (n_h, 2), "W": (n_h, n_h), "b": (n_h, 1), "V": (2, n_h), "c": (2, 1)}
    for k, shape in want.items():
        if p[k].shape != shape:
            return (f"{k} has shape {shape_text(p[k].shape)}; with n_h = {n_h} (from W) expected {shape_text(shape)} "
                    "(n_x = 2 input bits, n_y = 2 classes)")
    if not all(np.isfinite(v).all() for v in p.values()):
        return "the parameters contain inf or NaN: training diverged"
    return {k: v.astype(np.float64) for k, v in p.items()}


def _accuracy(case, value):
    """(sums right, bits right) of the returned parameters on the case's fresh test additions, or
    the reason they cannot be measured."""
    p = _trained_params(value)
    if isinstance(p, str):
        return p
    x, y = binary_addition(N_TEST, N_BITS, rng=np.random.default_rng(case.info["test_seed"]))
    h, _ = ref.rnn_forward(x, np.zeros((p["W"].shape[0], N_TEST)), p)
    pred = ref.output_forward(h, p)[0].argmax(axis=0)
    return float(np.mean(np.all(pred == y, axis=1))), float(np.mean(pred == y))


def _params_returned(case, value, want):
    p = _trained_params(value)
    return p if isinstance(p, str) else None


def _bits_at_least(threshold):
    def rule(case, value, want):
        result = _accuracy(case, value)
        if isinstance(result, str):
            return result
        if result[1] < threshold:
            return (f"{result[1]:.1%} of the bits of {N_TEST} fresh {N_BITS}-bit sums are right; this part needs "
                    f"{threshold:.0%} (guessing gets 50%): the network has not learned, so check the whole "
                    "model's gradient with grad_check and that each update changes the parameters you return")
        return None
    return rule


def _sums_at_least(threshold):
    def rule(case, value, want):
        result = _accuracy(case, value)
        if isinstance(result, str):
            return result
        if result[0] < threshold:
            return (f"{result[0]:.1%} of {N_TEST} fresh {N_BITS}-bit sums are right (all bits); this part needs "
                    f"{threshold:.0%}: train with the settings suggested, from h0 = 0, and check the gradient")
        return None
    return rule


INITIAL, EARLY = "initial", "early"  # the cases that ask for 0 and a few steps: how training starts
EARLY_STEPS = 10


def _trained(case) -> bool:
    return not (case.info.get(INITIAL) or case.info.get(EARLY))


def _fresh_loss(p: dict, seed: int) -> float:
    """Mean cross-entropy of parameters ``p`` on 500 fresh 8-bit additions (the reference's passes)."""
    x, y = binary_addition(500, N_BITS, rng=np.random.default_rng(seed))
    with np.errstate(all="ignore"):
        h, _ = ref.rnn_forward(x, np.zeros((p["W"].shape[0], x.shape[1])), p)
        return float(ref.softmax_cross_entropy(ref.output_forward(h, p)[0], y)[0])


def _params_of(outcome):
    p = _trained_params(outcome.value) if outcome is not None and outcome.status == "ok" else None
    return p if isinstance(p, dict) else None


def training_story(trained, initial, early, case) -> str | None:
    """What the parameters at 0, a few and all steps say about a run that did not learn: which
    parameters never changed, and how the loss on fresh sums moved (up from the start: a sign
    error; down, then up: steps that grow; stuck at ln 2: a gradient without the targets; up a
    little: a model that fits one batch), or weights that blew up."""
    after, before, soon = _params_of(trained), _params_of(initial), _params_of(early)
    if after is None:
        return None
    largest = max(float(np.abs(v).max()) for v in after.values())
    if largest > 50:
        return (f"the weights grew huge (the largest entry is {largest:.3g}): the updates are too large, so the "
                "tanh units saturate; clip the gradients (clip_by_global_norm) or lower the learning rate")
    n = case.args[0]
    if before is not None:
        same = [k for k in PARAM_NAMES if before[k].shape == after[k].shape and np.array_equal(before[k], after[k])]
        if len(same) == len(PARAM_NAMES):
            return (f"the parameters never changed in {n} steps (they equal the initial parameters, returned for "
                    "n_steps=0): the updates never reach the dict you return -- p = p - lr * g only rebinds the "
                    "name p; change params[k] itself (params[k] -= lr * g)")
        if same:
            return (f"{', '.join(same)} never changed in {n} steps (equal to the initial parameters): "
                    f"{'its' if len(same) == 1 else 'their'} update is missing")
    if before is None:
        return None
    seed = case.info["test_seed"] + 1
    l0, l_end = _fresh_loss(before, seed), _fresh_loss(after, seed)
    l_early = _fresh_loss(soon, seed) if soon is not None else None
    path = f"{l0:.3f} at the start" + (f", {l_early:.3f} after {EARLY_STEPS} steps" if l_early is not None else "") \
        + f", {l_end:.3f} after {n}"
    if l_early is not None and l_early > 1.5 * l0 and l_end > l0:
        return (f"the loss went up from the first steps ({path}, on fresh sums): the updates climb the loss, a sign "
                "error; each step must move against the gradient (theta - lr * dtheta, or the optimizer's step with "
                "the gradient itself, not its negative)")
    if l_end > 3 * l0:
        return (f"the loss grew far above where it started ({path}, on fresh sums): the steps keep growing; compute "
                "each step's gradients afresh (reset them: not added to the previous step's), or clip them")
    if abs(l_end - np.log(2)) < 0.02:
        return (f"the model learned nothing but guessing ({path}, on fresh sums; ln 2 = 0.693 is the loss of a 50/50 "
                "guess on every bit): the gradient that drives the updates does not carry the targets; use dz from "
                "your softmax_cross_entropy and your backward passes, and check them with grad_check")
    if l_end > l0:
        return (f"the loss on fresh sums went up while training ({path}): the model fits what it trains on but not "
                "fresh sums; draw a fresh batch of additions at every step (one batch, seen again and again, is "
                "memorised)")
    return (f"the loss on fresh sums fell ({path}) but not far enough: draw a fresh batch of additions at every "
            "step, compute each step's gradients afresh, and keep the settings suggested")


@register
class TrainBinaryAddition(Check):
    name = "train_binary_addition"
    timeout = 20.0  # the solution trains in well under a second
    N_STEPS = 300
    parts = (
        Custom("returns U, W, b, V, c", 0.5, _params_returned, when=_trained),
        Custom("bits right >= 90%", 0.5, _bits_at_least(0.9), when=_trained),
        Custom("sums right >= 50%", 1.0, _sums_at_least(THRESHOLDS[0]), when=_trained),
        Custom("sums right >= 90%", 1.0, _sums_at_least(THRESHOLDS[1]), when=_trained),
        Custom("sums right >= 99%", 1.0, _sums_at_least(THRESHOLDS[2]), when=_trained),
    )

    def cases(self, rng):
        seed, test_seed = (int(s) for s in rng.integers(2**31, size=2))
        return [Case(f"n_steps={self.N_STEPS}, seed={seed}, {N_TEST} fresh test sums", (self.N_STEPS, seed),
                     info={"test_seed": test_seed}),
                Case(f"n_steps=0, seed={seed} (the parameters training starts from)", (0, seed),
                     info={"test_seed": test_seed, INITIAL: True}),
                Case(f"n_steps={EARLY_STEPS}, seed={seed} (how training starts)", (EARLY_STEPS, seed),
                     info={"test_seed": test_seed, EARLY: True})]

    def expected(self, case):
        return None

    def score(self, cases, outcomes, seed, wants=None):
        result = super().score(cases, outcomes, seed, wants)
        if result.score < result.max_score:
            initial = next((o for c, o in zip(cases, outcomes) if c.info.get(INITIAL)), None)
            early = next((o for c, o in zip(cases, outcomes) if c.info.get(EARLY)), None)
            main = next(((c, o) for c, o in zip(cases, outcomes) if _trained(c)), None)
            story = training_story(main[1], initial, early, main[0]) if main else None
            if story:
                result.notes.append(story)
        return result
