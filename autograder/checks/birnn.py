"""Checks for assignment 10, bidirectional RNNs: birnn_forward, birnn_backward.

The exercise implements the wiring for ``cell="rnn"`` only (the students write the single tanh
layer themselves, as ungraded helpers), so every case calls the functions with ``cell="rnn"``.
``birnn_backward`` is given the reference forward's cache, whose layout the notebook documents:
``forward`` and ``backward`` are single-layer caches (keys ``x``, ``h0``, ``h``, ``params``), the
backward one holding the time-reversed input and its states in the order the layer computed them.

Two parts are local to this module (spec.py has no equivalent): :class:`Rows` grades a block of
rows (the forward and the backward half of ``h``) and diagnoses it on the same rows of each known
mistake; :class:`Whole` first matches a wrong cache as a whole against the mistakes, because one
wrong entry (the cached input) is shared by mistakes that differ elsewhere. The trusted
single-layer pieces with deliberate changes (:func:`run_layer`, :func:`back_layer`) and
:class:`Whole` are reused by the deep RNN checks (assignment 11).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .inputs import SIZES, label, normal, rnn_params
from .rnn import ACTIVATIONS, NONLINEARITIES
from .spec import (
    RTOL,
    Case,
    Check,
    Custom,
    Diagnosis,
    Keys,
    Missing,
    Mistake,
    NoSideEffects,
    Shape,
    Values,
    check_name,
    close,
    generic_hint,
    get,
    register,
    value_problem,
)

GRADS = ("dU", "dW", "db")


# ---------------------------------------------------------------- trusted single-layer pieces

def run_layer(x, p, h0=None, bias=True, W=None, act=np.tanh):
    """One tanh layer over ``x (n_in, m, T)`` from ``h0`` (zeros by default), optionally without the
    bias, with another recurrent matrix or another nonlinearity: ``(h, cache)`` as the reference."""
    n_h = p["W"].shape[0]
    h0 = np.zeros((n_h, x.shape[1])) if h0 is None else h0
    if bias and W is None and act is np.tanh:
        return ref.rnn_forward(x, h0, p)
    W = p["W"] if W is None else W
    h, h_t = np.zeros((n_h, x.shape[1], x.shape[2])), h0
    for t in range(x.shape[2]):
        h_t = act(p["U"] @ x[:, :, t] + W @ h_t + (p["b"] if bias else 0.0))
        h[:, :, t] = h_t
    return h, {"x": x, "h0": h0, "h": h, "params": p}


def back_layer(dh, cache, carry=True, accumulate=True, slope=True):
    """BPTT through one tanh layer: ``(dx, {dU, dW, db})``. The changes: ``carry=False`` drops the
    gradient from the next step, ``accumulate=False`` overwrites the parameter gradients at every
    step (what is left is the last step processed, t = 0), ``slope=False`` drops the tanh derivative."""
    if carry and accumulate and slope:
        g = ref.rnn_backward(dh, cache)
        return g["dx"], {k: g[k] for k in GRADS}
    x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(p["U"].shape), np.zeros(p["W"].shape), np.zeros(p["b"].shape)
    from_next = np.zeros(h0.shape)
    for t in reversed(range(x.shape[2])):
        dh_t = dh[:, :, t] + (from_next if carry else 0.0)
        da = dh_t * (1.0 - h[:, :, t] ** 2) if slope else dh_t
        h_prev = h[:, :, t - 1] if t else h0
        dx[:, :, t] = p["U"].T @ da
        step = (da @ x[:, :, t].T, da @ h_prev.T, da.sum(axis=1, keepdims=True))
        if accumulate:
            dU, dW, db = dU + step[0], dW + step[1], db + step[2]
        else:
            dU, dW, db = step
        from_next = p["W"].T @ da
    return dx, {"dU": dU, "dW": dW, "db": db}


NO_CARRY = ("the gradient from the next step is missing: inside a layer, dh^{<t>} is the gradient from outside "
            "plus W^T da^{<t+1>}, carried backwards through time")
NOT_ACCUMULATED = ("the parameter gradients were overwritten at every step: U, W, b are shared across time, so "
                   "dU, dW, db must add up every step's contribution (+=)")
NO_SLOPE = "the tanh derivative is missing: da^{<t>} = dh^{<t>} * (1 - h^{<t>}**2)"
LAYER_BACKWARD_MISTAKES = {  # name: (message, back_layer changes)
    "no carry": (NO_CARRY, {"carry": False}),
    "not accumulated": (NOT_ACCUMULATED, {"accumulate": False}),
    "no tanh derivative": (NO_SLOPE, {"slope": False}),
}
W_TRANSPOSED = "W is transposed: the recurrence is W h^{<t-1>}, row i of W holding the weights into unit i"


def layer_forward_changes():
    """The single-layer forward mistakes: ``(name, message, run_layer changes as a function of params)``."""
    out = [
        ("missing bias", "the bias b is missing: a^{<t>} = U x^{<t>} + W h^{<t-1>} + b in every layer",
         lambda p: {"bias": False}),
        ("W transposed", W_TRANSPOSED, lambda p: {"W": p["W"].T}),
    ]
    out += [(f"nonlinearity {k}", NONLINEARITIES[k], lambda p, k=k: {"act": ACTIVATIONS[k]}) for k in ACTIVATIONS]
    return out


# ---------------------------------------------------------------- parts for pieces of the output

class Rows(Values):
    """The values of the rows ``rows(case)`` (a slice) of the array at ``path``; a wrong block is
    compared with the same rows of every known mistake's answer."""

    def __init__(self, path, rows, points: float, title: str, what: str, when=None):
        super().__init__(path, points, title, when=when)
        self.rows, self.what = rows, what

    def judge(self, check, case, outcome, want):
        got, expected = check.locate(outcome.value, self.path), get(want, self.path)
        if isinstance(got, Missing):
            return got.message
        problem = value_problem(check_name(self.path), got, expected)
        if problem:
            return problem
        rows = self.rows(case)
        if close(got[rows], expected[rows], self.rtol, self.atol):
            return None
        for mistake in check.mistakes():
            try:
                wrong = mistake.answer(case)
                if wrong is None:
                    continue
                wrong = get(dict(zip(check.returns, wrong)) if check.returns else wrong, self.path)[rows]
            except Exception:  # a mistake that cannot apply to this case
                continue
            if not close(wrong, expected[rows]) and close(got[rows], wrong, rtol=1e-5, atol=1e-8, equal_nan=True):
                return Diagnosis(f"the {self.what} are wrong: {mistake.message}")
        hint = generic_hint(got[rows], expected[rows])
        return f"the {self.what} are wrong (beyond the tolerance rtol={RTOL:g})" + (f"; {hint}" if hint else "")


class Whole(Values):
    """:class:`Values` that, when the value at ``path`` is wrong, first looks for a known mistake whose
    whole value there (a cache, say) matches, and only then compares entry by entry: one wrong entry
    (the cached input) can be shared by several mistakes that differ elsewhere."""

    def judge(self, check, case, outcome, want):
        reason = super().judge(check, case, outcome, want)
        if reason is None:
            return None
        got, expected = check.locate(outcome.value, self.path), get(want, self.path)
        for mistake in check.mistakes():
            try:
                wrong = mistake.answer(case)
                if wrong is None:
                    continue
                wrong = get(dict(zip(check.returns, wrong)) if check.returns else wrong, self.path)
            except Exception:  # a mistake that cannot apply to this case
                continue
            if not close(wrong, expected) and close(got, wrong, rtol=1e-5, atol=1e-8, equal_nan=True):
                return Diagnosis(f"{check_name(self.path)} is wrong: {mistake.message}")
        return reason


# ---------------------------------------------------------------- birnn_forward

def _reverse(a):
    return a[:, :, ::-1]


def _bi(x, p_f, p_b, reverse_input=True, flip_back=True, swap=False, cache_order="processing", layer=None):
    """A bidirectional forward pass with deliberate changes (``layer(params)`` gives the changes of
    :func:`run_layer` in both layers); returns ``(h, cache)`` as the reference."""
    extra_f, extra_b = (layer(p_f), layer(p_b)) if layer else ({}, {})
    h_f, cache_f = run_layer(x, p_f, **extra_f)
    x_b = _reverse(x) if reverse_input else x
    h_b_run, cache_b = run_layer(x_b, p_b, **extra_b)
    h_b = _reverse(h_b_run) if flip_back else h_b_run
    h = np.concatenate([h_b, h_f] if swap else [h_f, h_b], axis=0)
    if cache_order == "time":        # the backward cache holds the input and states in time order
        cache_b = {**cache_b, "x": x, "h": _reverse(h_b_run)}
    elif cache_order == "flipped h":  # the reversed input, but the states flipped back
        cache_b = {**cache_b, "h": _reverse(h_b_run)}
    return h, {"cell": "rnn", "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}


def _bi_cases(rng, backward=False):
    cases = []
    for n_x, n_h, _, m, T in SIZES:
        p_f, p_b = rnn_params(rng, n_x, n_h), rnn_params(rng, n_x, n_h)
        x = normal(rng, n_x, m, T)
        info = {"n_h": n_h}
        if backward:
            _, cache = ref.birnn_forward(x, p_f, p_b, cell="rnn")
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T), (normal(rng, 2 * n_h, m, T), cache), info=info))
        else:
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T), (x, p_f, p_b), {"cell": "rnn"}, info=info))
    return cases


def _cache_cell_and_size(case, value, want):
    cache = value[1] if isinstance(value, tuple) and len(value) == 2 else None
    if not isinstance(cache, dict):
        return "the result has no cache dict"
    if not (isinstance(cache.get("cell"), str) and cache["cell"] == "rnn"):
        return "cache['cell'] must be the cell argument, 'rnn'"
    n_h = cache.get("n_h")
    if not isinstance(n_h, int) or isinstance(n_h, bool) or n_h != case.info["n_h"]:
        return "cache['n_h'] must be n_h, the size of one direction's state (an int; not 2 n_h)"
    return None


@register
class BirnnForward(Check):
    name = "birnn_forward"
    returns = ("h", "cache")
    parts = (
        Shape("h", 0.5),
        Rows("h", lambda c: slice(0, c.info["n_h"]), 1.0, "h forward states", "forward states"),
        Rows("h", lambda c: slice(c.info["n_h"], None), 1.5, "h backward states", "backward states"),
        Keys("cache", ["cell", "n_h", "forward", "backward"], 0.5),
        Custom("cache cell and n_h", 0.5, _cache_cell_and_size),
        Whole(("cache", "forward"), 0.5, "cache forward layer"),
        Whole(("cache", "backward"), 0.5, "cache backward layer"),
    )

    def cases(self, rng):
        return _bi_cases(rng)

    def expected(self, case):
        return ref.birnn_forward(*case.args, **case.kwargs)

    def mistakes(self):
        def bi(**change):
            return lambda c: _bi(*c.args, **change)

        def same_weights(case):
            x, p_f, _ = case.args
            return _bi(x, p_f, p_f)

        out = [
            Mistake("not reversed", "the backward layer read x from left to right: run it on the time-reversed "
                    "input x[:, :, ::-1] and flip its states back, so that h_b^{<t>} has read x^{<t>} ... x^{<T>}",
                    bi(reverse_input=False, flip_back=False)),
            Mistake("not reversed, flipped", "the backward layer read x from left to right (and its states were "
                    "then flipped): run it on the time-reversed input x[:, :, ::-1], then flip its states back",
                    bi(reverse_input=False)),
            Mistake("not flipped back", "the backward states are still in reversed time: flip the states of the "
                    "layer that read x[:, :, ::-1] back with [:, :, ::-1], so that column t holds h_b^{<t>}",
                    bi(flip_back=False)),
            Mistake("halves swapped", "the two halves are swapped: stack [h_f; h_b], the forward states in rows "
                    ":n_h and the backward states in rows n_h:", bi(swap=True)),
            Mistake("same weights", "both directions used params_fwd: the backward layer has its own parameters, "
                    "params_bwd", same_weights),
            Mistake("cache flipped states", "cache['backward']['h'] holds the backward states flipped back into "
                    "time order: cache the backward layer's own result, the states in the order it computed "
                    "them from x[:, :, ::-1]", bi(cache_order="flipped h")),
            Mistake("cache in time order", "cache['backward'] holds x in time order: cache what the backward layer "
                    "ran on, the reversed input x[:, :, ::-1], and its states in the order it computed them",
                    bi(cache_order="time")),
        ]
        out += [Mistake(name, message, bi(layer=change)) for name, message, change in layer_forward_changes()]
        return out


# ---------------------------------------------------------------- birnn_backward

def _bi_back(dh, cache, reverse_dh=True, flip_dx=True, swap_halves=False, dx_from="both", swap_results=False,
             **layer):
    """A bidirectional backward pass with deliberate changes, given the reference's cache."""
    n_h = cache["n_h"]
    top, bottom = (dh[n_h:], dh[:n_h]) if swap_halves else (dh[:n_h], dh[n_h:])
    dx_f, g_f = back_layer(top, cache["forward"], **layer)
    dx_b, g_b = back_layer(_reverse(bottom) if reverse_dh else bottom, cache["backward"], **layer)
    dx_b = _reverse(dx_b) if flip_dx else dx_b
    dx = {"both": dx_f + dx_b, "forward": dx_f, "backward": dx_b}[dx_from]
    return {"dx": dx, "fwd": g_b, "bwd": g_f} if swap_results else {"dx": dx, "fwd": g_f, "bwd": g_b}


@register
class BirnnBackward(Check):
    name = "birnn_backward"
    parts = (
        Keys((), ["dx", "fwd", "bwd"], 0.5, "result keys"),
        Values("dx", 1.0),
        *(Values((d, g), 0.5) for d in ("fwd", "bwd") for g in GRADS),
        NoSideEffects(0.5),
    )

    def cases(self, rng):
        return _bi_cases(rng, backward=True)

    def expected(self, case):
        return ref.birnn_backward(*case.args)

    def mistakes(self):
        def bb(**change):
            return lambda c: _bi_back(*c.args, **change)

        out = [
            Mistake("dh not reversed", "the gradient of the backward states went into the backward layer in time "
                    "order: that layer's cache runs in reversed time, so reverse dh[n_h:] with [:, :, ::-1] first",
                    bb(reverse_dh=False)),
            Mistake("dx not flipped", "the backward layer's dx is still in reversed time: flip it back with "
                    "[:, :, ::-1] before adding it to the forward layer's dx", bb(flip_dx=False)),
            Mistake("no reversal", "the backward layer was treated as if it ran forward in time: reverse dh[n_h:] "
                    "before backpropagating through it, and flip its dx back afterwards",
                    bb(reverse_dh=False, flip_dx=False)),
            Mistake("halves swapped", "the halves of dh are swapped: rows :n_h are the gradient of the forward "
                    "states, rows n_h: that of the backward states", bb(swap_halves=True)),
            Mistake("dx forward only", "dx holds the forward layer's contribution only: x feeds both layers, so "
                    "dx = dx_f + dx_b (the backward part flipped back into time order)", bb(dx_from="forward")),
            Mistake("dx backward only", "dx holds the backward layer's contribution only: x feeds both layers, so "
                    "dx = dx_f + dx_b", bb(dx_from="backward")),
            Mistake("results swapped", "the gradients are filed under the wrong direction: 'fwd' holds the gradients "
                    "of params_fwd (the forward layer), 'bwd' those of params_bwd", bb(swap_results=True)),
        ]
        out += [Mistake(name, message, bb(**change)) for name, (message, change) in LAYER_BACKWARD_MISTAKES.items()]
        return out
