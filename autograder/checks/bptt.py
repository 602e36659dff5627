"""Checks for the backward passes of assignment 4: rnn_cell_backward and output_backward (assignment
4a), rnn_backward (4b).

The backward checks hand the student the cache of the *reference's* forward pass, so a bug in a
forward pass never costs backward points, and every gradient is graded as a part of its own. The
mistakes are modelled by configurable computations written here, on the trusted side, with
keyword switches that each reproduce one typical slip (wrong tanh derivative, terms assigned
instead of summed over time, the state of the wrong step in ``dW``, the gradient from the next
step left out, the loop run forward in time, ...). :class:`Shapes` and :class:`Unchanged` are the
parts these and the other assignment-4 checks share.
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .inputs import SIZES, label, normal, rnn_params, state, subset
from .spec import (
    Case,
    Check,
    Diagnosis,
    Keys,
    Missing,
    Mistake,
    Part,
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
        self.stated = (r"in.place|restor",)

    def judge(self, check, case, outcome, want):
        if outcome.mutated:
            return Diagnosis(f"{self.message} (changed: {', '.join(outcome.mutated[:3])})")
        if outcome.aliased:
            return Diagnosis("a returned array shares memory with an input (a view, not a new array): return new "
                             "arrays")
        return None


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

OUT_GRADS = ("dh", "dV", "dby")


def _out_backward(case, keep="all", V_T=True, dV_T=False, dby="sum", mean=False):
    dz, cache = case.args
    h, V = cache["h"], cache["params"]["V"]
    T = h.shape[2]
    if keep == "sums":
        dV = dz.sum(axis=2) @ h.sum(axis=2).T
    else:
        steps = {"all": range(T), "first": [0], "last": [T - 1]}[keep]
        dV = sum(dz[:, :, t] @ h[:, :, t].T for t in steps)
    dbys = {"sum": dz.sum(axis=(1, 2))[:, None], "flat": dz.sum(axis=(1, 2)), "time": dz.sum(axis=1),
           "last": dz[:, :, -1].sum(axis=1, keepdims=True)}[dby]
    scale = 1.0 / (dz.shape[1] * T) if mean else 1.0
    return {"dh": np.einsum("yh,ymt->hmt", V, dz) if V_T else np.einsum("hy,ymt->hmt", V, dz),
            "dV": scale * (dV.T if dV_T else dV), "dby": scale * dbys}


@register
class OutputBackward(Check):
    name = "output_backward"
    parts = (
        Keys((), OUT_GRADS, 0.5, "gradient names"),
        Shapes(OUT_GRADS, 0.5),
        Values("dh", 1.0),
        Values("dV", 1.0),
        Values("dby", 0.5),
        Unchanged(0.5, "inputs left unchanged", "the function changed dz or the cache in place: compute new arrays"),
    )

    def cases(self, rng):
        cases = []
        for _, n_h, n_y, m, T in SIZES:
            p = subset(rnn_params(rng, 1, n_h, n_y), "V by")
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
            Mistake("mean", "averaged over the batch and time: the shared V and b_y get the sum of every "
                      "example's and step's term (any mean is already inside dz)",
                      lambda c: _out_backward(c, mean=True)),
            Mistake("dby flat", "dby lost its column axis: keep the shape (n_y, 1)",
                      lambda c: _out_backward(c, dby="flat")),
            Mistake("dby per step", "dby is not summed over time: sum dz over the batch and the time axes, "
                      "to (n_y, 1)", lambda c: _out_backward(c, dby="time")),
            Mistake("dby last step", "dby keeps only the last step: sum dz over the batch and over time",
                      lambda c: _out_backward(c, dby="last")),
        ]
