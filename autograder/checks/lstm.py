"""Checks for assignment 9, the LSTM: lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward.

The cases use the sizes of :data:`inputs.SIZES`; cell states are drawn from a normal
distribution (they are not bounded by 1). The backward checks receive the cache of the
reference's forward pass.

The mistakes are modelled by one configurable LSTM written here, on the trusted side:
:func:`_step` and :func:`_step_backward` compute the equations of chapter 9 directly, with
keyword switches that each reproduce one typical slip (gates swapped, ``h = o * c``, the forget
gate not applied, wrong derivatives, the cell-state gradient not carried, gradients not summed
across time, ...).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .gated import as_mistakes, borrow_mistakes, borrowed, time_mistakes
from .gated import row as _m
from .inputs import SIZES, label, normal, state
from .spec import Case, Check, Keys, Mistake, NoSideEffects, Shape, Values, register

GATES = "ifgo"


def lstm_params(rng, n_x, n_h) -> dict:
    """``U*`` scaled by 1/sqrt(n_x), ``W*`` by 1/sqrt(n_h), biases of size 0.5."""
    p = {}
    for k in GATES:
        p["U" + k] = normal(rng, n_h, n_x, scale=n_x**-0.5)
        p["W" + k] = normal(rng, n_h, n_h, scale=n_h**-0.5)
        p["b" + k] = normal(rng, n_h, 1, scale=0.5)
    return p


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _swap(d: dict, pair: str, prefix: str = "") -> dict:
    """``d`` with the entries (``U W b``, with ``prefix``) of the two gates in ``pair`` exchanged."""
    a, b = pair
    out = dict(d)
    for p in "UWb":
        out[prefix + p + a], out[prefix + p + b] = d[prefix + p + b], d[prefix + p + a]
    return out


# ---------------------------------------------------------------- the forward pass, configurable

def _step(x_t, h_prev, c_prev, p, swap=None, gate=_sigmoid, candidate=np.tanh, forget=True, write="i*g",
          squash_c=False, h_of_c=np.tanh, transposed=False, bias=True, forget_scales="c_prev", borrow=None,
          h_reads="c_next"):
    """One LSTM step, possibly with mistakes: ``{i, f, g, o, c_next, h_next}``. ``write``: what is
    added to the cell (``i*g``, ``g`` without the input gate, ``i`` without the candidate);
    ``forget_scales``: ``c_prev`` or ``both`` (f * (c_prev + i g)); ``borrow``: one gate's
    parameter taken from another (:func:`gated.borrow_mistakes`); ``h_reads``: the cell state
    that h_next squashes (``c_next``, or ``c_prev``)."""
    q = _swap(p, swap) if swap else p
    q = borrowed(q, borrow)
    a = {k: q["U" + k] @ x_t + (q["W" + k].T if transposed else q["W" + k]) @ h_prev + (q["b" + k] if bias else 0.0)
         for k in GATES}
    i, f, g, o = gate(a["i"]), gate(a["f"]), candidate(a["g"]), gate(a["o"])
    written = {"i*g": i * g, "g": g, "i": i}[write]
    if forget_scales == "both":
        c_next = (f if forget else 1.0) * (c_prev + written)
    else:
        c_next = (f * c_prev if forget else c_prev) + written
    if squash_c:
        c_next = np.tanh(c_next)
    return {"i": i, "f": f, "g": g, "o": o, "c_next": c_next,
            "h_next": o * h_of_c(c_next if h_reads == "c_next" else c_prev)}


def _cell_answer(case, **mistake):
    x_t, h_prev, c_prev, p = case.args
    s = _step(x_t, h_prev, c_prev, p, **mistake)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, **{k: s[k] for k in GATES},
             "c_next": s["c_next"], "h_next": s["h_next"], "params": p}
    return s["h_next"], s["c_next"], cache


def _sequence_answer(case, zero_h0=False, zero_c0=False, keep_previous=False, carry_h=True, carry_c=True,
                     states_swapped=False, skip_last=False, **mistake):
    """The sequence, possibly with mistakes: h0 or c0 ignored (zeros); the states stored before the
    step; h or c not carried (every step from h0 or c0); the cell called with its two states swapped;
    the last step never computed (left at zero)."""
    x, h0, c0, p = case.args
    n_h, (_, m, T) = h0.shape[0], x.shape
    out = {k: np.zeros((n_h, m, T)) for k in ("i", "f", "g", "o", "c", "h")}
    h_t = np.zeros_like(h0) if zero_h0 else h0
    c_t = np.zeros_like(c0) if zero_c0 else c0
    for t in range(T - 1 if skip_last else T):
        s = _step(x[:, :, t], c_t, h_t, p, **mistake) if states_swapped else _step(x[:, :, t], h_t, c_t, p, **mistake)
        for k in GATES:
            out[k][:, :, t] = s[k]
        out["c"][:, :, t] = c_t if keep_previous else s["c_next"]
        out["h"][:, :, t] = h_t if keep_previous else s["h_next"]
        h_t = s["h_next"] if carry_h else h0
        c_t = s["c_next"] if carry_c else c0
    cache = {"x": x, "h0": h0, "c0": c0, **{k: out[k] for k in GATES}, "c": out["c"], "h": out["h"], "params": p}
    return out["h"], out["c"], cache


FORWARD_MISTAKES = [
    _m("i and f swapped", "the input and forget gates are swapped: f = sigma(U_f x + W_f h_prev + b_f) scales "
     "c_prev, i = sigma(U_i x + W_i h_prev + b_i) scales the candidate g", {"swap": "if"}),
    _m("g and o swapped", "the candidate and the output gate are swapped: g = tanh(U_g x + W_g h_prev + b_g) is "
     "written into the cell, o = sigma(U_o x + W_o h_prev + b_o) scales tanh(c_next)", {"swap": "go"}),
    _m("h = o * c", "h_next = o * tanh(c_next): the cell state is squashed before the output gate reads it, "
     "not o * c_next", {"h_of_c": lambda c: c}),
    _m("forget gate not applied", "the forget gate is not applied to c_prev: c_next = f * c_prev + i * g",
     {"forget": False}),
    _m("input gate not applied", "the input gate is not applied to the candidate: c_next = f * c_prev + i * g",
     {"write": False}),
    _m("c squashed", "the cell state is not squashed: c_next = f * c_prev + i * g, and tanh is applied only "
     "inside h_next = o * tanh(c_next)", {"squash_c": True}),
    _m("candidate sigmoid", "the candidate g uses tanh (values in (-1, 1)); only the gates i, f, o use the "
     "sigmoid", {"candidate": _sigmoid}),
    _m("gates tanh", "the gates i, f, o use the sigmoid (values in (0, 1)); only the candidate g uses tanh",
     {"gate": np.tanh}),
    _m("sigmoid and tanh swapped", "sigmoid and tanh are swapped: the gates i, f, o use the sigmoid, the "
     "candidate g uses tanh", {"gate": np.tanh, "candidate": _sigmoid}),
    _m("W transposed", "the recurrent weights are transposed: every W_k is (n_h, n_h), row j holding the weights "
     "into unit j; multiply W_k @ h_prev", {"transposed": True}),
    _m("biases missing", "the biases are missing: each pre-activation is U_k x + W_k h_prev + b_k", {"bias": False}),
    _m("candidate not written", "the candidate is missing from the cell: c_next = f * c_prev + i * g, the input "
     "gate scaling the candidate g, not added alone", {"write": "i"}),
    _m("forget scales the candidate", "the forget gate scales only the old cell state: c_next = f * c_prev + i * g, "
     "not f * (c_prev + i * g)", {"forget_scales": "both"}),
    _m("h reads c_prev", "h_next squashes the new cell state: h_next = o * tanh(c_next), with c_next = f * c_prev "
     "+ i * g computed first, not tanh(c_prev)", {"h_reads": "c_prev"}),
]
# one gate's U, W or b copied from another gate: tried alone (not in pairs), see Mistake.paired
BORROWED = borrow_mistakes({
    "i": ("input gate", "i", "i = sigma(U_i x + W_i h_prev + b_i)"),
    "f": ("forget gate", "f", "f = sigma(U_f x + W_f h_prev + b_f)"),
    "g": ("candidate", "g", "g = tanh(U_g x + W_g h_prev + b_g)"),
    "o": ("output gate", "o", "o = sigma(U_o x + W_o h_prev + b_o)"),
})



def _forward_parts(h_name, c_name, cache_keys):
    return [
        Shape(h_name, 0.5),
        Values(c_name, 1.5),
        Values(h_name, 1.5),
        Keys("cache", cache_keys, 0.5),
        Values("cache", 0.75, "cache contents"),
        NoSideEffects(0.25, views=True),
    ]


@register
class LstmCellForward(Check):
    name = "lstm_cell_forward"
    returns = ("h_next", "c_next", "cache")
    parts = _forward_parts("h_next", "c_next",
                           ["x_t", "h_prev", "c_prev", "i", "f", "g", "o", "c_next", "h_next", "params"])

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, _ in SIZES:
            p = lstm_params(rng, n_x, n_h)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m),
                              (normal(rng, n_x, m), state(rng, n_h, m), normal(rng, n_h, m), p)))
        return cases

    def expected(self, case):
        return ref.lstm_cell_forward(*case.args)

    def mistakes(self):
        return as_mistakes(_cell_answer, FORWARD_MISTAKES, BORROWED)

    def simulate(self, case, **switches):
        return _cell_answer(case, **switches)


@register
class LstmForward(Check):
    name = "lstm_forward"
    returns = ("h", "c", "cache")
    parts = _forward_parts("h", "c", ["x", "h0", "c0", "i", "f", "g", "o", "c", "h", "params"])

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, T in SIZES:
            p = lstm_params(rng, n_x, n_h)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T),
                              (normal(rng, n_x, m, T), state(rng, n_h, m), normal(rng, n_h, m), p)))
        return cases

    def expected(self, case):
        return ref.lstm_forward(*case.args)

    def mistakes(self):
        extra = [
            _m("h0 ignored", "the initial hidden state h0 is ignored: the first step uses h^{<0>} = h0, not zeros",
             {"zero_h0": True}),
            _m("c0 ignored", "the initial cell state c0 is ignored: the first step uses c^{<0>} = c0, not zeros",
             {"zero_c0": True}),
            _m("off by one", "off by one in time: h[:, :, t] and c[:, :, t] must hold the states after reading "
             "x[:, :, t], not the states before it", {"keep_previous": True}),
            _m("h not carried", "the hidden state is not carried from step to step: every step starts from h0; "
             "step t must start from the h that step t-1 produced", {"carry_h": False}),
            _m("c not carried", "the cell state is not carried from step to step: every step starts from c0; "
             "step t must start from the c that step t-1 produced", {"carry_c": False}),
            _m("states swapped", "the two states are passed to the cell in the wrong order (swapped): "
             "lstm_cell_forward(x_t, h_prev, c_prev, params)", {"states_swapped": True}),
            _m("last step skipped", "the last step is never computed (it stays zero): the loop must run over all T "
             "steps, range(T)", {"skip_last": True}),
        ]
        return as_mistakes(_sequence_answer, extra + FORWARD_MISTAKES, BORROWED)

    def simulate(self, case, **switches):
        return _sequence_answer(case, **switches)

    def inspect(self, case, path, got, expected):
        if path != ("h",) or not isinstance(got, np.ndarray):
            return None
        c = ref.lstm_forward(*case.args)[1]
        if got.shape == c.shape and np.allclose(got, c, rtol=1e-6, atol=1e-9):
            return ("h holds the cell states: h and c are one array (h = c = np.zeros(...) makes both names refer to "
                    "the same object, so writing c overwrites h); make two arrays")
        return None


# ---------------------------------------------------------------- the backward pass, configurable

def _dsigmoid(s):
    return s * (1.0 - s)


def _dtanh(t):
    return 1.0 - t**2


def _step_backward(dh, dc_next, x_t, h_prev, c_prev, i, f, g, o, c_next, p, dsig=_dsigmoid, dtanh_g=_dtanh,
                   dtanh_c=_dtanh, carry_c=True, forget=True, f_reads="c_prev", o_reads="tanh", swap=None,
                   through_h=True, tanh_c_of="tanh", o_grad="dh"):
    """The gradients of one step (``dx_t``, ``dh_prev``, ``dc_prev``, parameters), possibly with
    mistakes: ``through_h`` off (dc = dc_next only), ``tanh_c_of`` ``c`` (tanh' taken as 1 - c**2),
    ``o_grad`` ``dc`` (the output gate fed the cell's gradient)."""
    tanh_c = np.tanh(c_next)
    slope = dtanh_c(tanh_c) if tanh_c_of == "tanh" else 1.0 - c_next**2
    dc = (dc_next if carry_c else 0.0) + (dh * o * slope if through_h else 0.0)
    da = {"i": dc * g * dsig(i),
          "f": dc * (c_prev if f_reads == "c_prev" else c_next) * dsig(f),
          "g": dc * i * dtanh_g(g),
          "o": (dh if o_grad == "dh" else dc) * (tanh_c if o_reads == "tanh" else c_next) * dsig(o)}
    grads = {"dx_t": sum(p["U" + k].T @ da[k] for k in GATES),
             "dh_prev": sum(p["W" + k].T @ da[k] for k in GATES),
             "dc_prev": dc * f if forget else dc}
    for k in GATES:
        grads["dU" + k] = da[k] @ x_t.T
        grads["dW" + k] = da[k] @ h_prev.T
        grads["db" + k] = da[k].sum(axis=1, keepdims=True)
    return _swap(grads, swap, "d") if swap else grads


def _cell_backward_answer(case, **mistake):
    dh, dc, c = case.args
    return _step_backward(dh, dc, c["x_t"], c["h_prev"], c["c_prev"], *(c[k] for k in GATES), c["c_next"],
                          c["params"], **mistake)


def _sequence_backward_answer(case, carry_h=True, carry_c_across=True, accumulate="all", h_prev_is="previous",
                              c_prev_is="previous", order="backward", dh0_is="sent back", carried_swapped=False,
                              **mistake):
    """BPTT, possibly with one mistake: carry the gradients into ``h`` and ``c`` from step t + 1 or
    not; ``accumulate`` the parameter gradients of ``all`` steps, or keep only the ``first`` or
    ``last`` step's; the previous states are the ``previous`` ones, the ``same`` step's (off by one)
    or ``wrap`` (index -1 at t = 0); ``carried_swapped``: the carried dc added to dh and the carried
    dh passed as dc_next."""
    dh, c = case.args
    x, h0, c0, h, cs, p = c["x"], c["h0"], c["c0"], c["h"], c["c"], c["params"]
    T = x.shape[2]

    def previous(seq, first, t, how):
        if how == "same":
            return seq[:, :, t]
        if how == "wrap":
            return seq[:, :, t - 1]
        return seq[:, :, t - 1] if t > 0 else first

    dx, sums = np.zeros_like(x), {}
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    arriving = dh[:, :, 0]
    for t in (reversed(range(T)) if order == "backward" else range(T)):
        carried_h, carried_c = (dc_next, dh_next) if carried_swapped else (dh_next, dc_next)
        arriving = dh[:, :, t] + (carried_h if carry_h else 0.0)
        g = _step_backward(arriving, carried_c if carry_c_across else 0.0 * carried_c,
                           x[:, :, t], previous(h, h0, t, h_prev_is), previous(cs, c0, t, c_prev_is),
                           *(c[k][:, :, t] for k in GATES), cs[:, :, t], p, **mistake)
        dx[:, :, t] = g.pop("dx_t")
        dh_next, dc_next = g.pop("dh_prev"), g.pop("dc_prev")
        keep = accumulate == "all" or (accumulate == "first" and t == 0) or (accumulate == "last" and t == T - 1)
        for k, v in g.items():
            sums[k] = sums.get(k, 0.0) + (v if keep else 0.0 * v)
    return {"dx": dx, "dh0": dh_next if dh0_is == "sent back" else arriving, "dc0": dc_next, **sums}


BACKWARD_MISTAKES = [
    _m("sigmoid derivative", "the sigmoid's derivative is s * (1 - s), not s: da_i = dc * g * i * (1 - i), and "
     "likewise for f and o", {"dsig": lambda s: s}),
    _m("candidate derivative", "the candidate's tanh derivative is 1 - g**2: da_g = dc * i * (1 - g**2)",
     {"dtanh_g": lambda t: 1.0 - t}),
    _m("tanh(c) derivative missing", "the gradient from h into c goes through the tanh: "
     "dc = dc_next + dh * o * (1 - tanh(c)**2)", {"dtanh_c": np.ones_like}),
    _m("cell gradient dropped", "the cell state's gradient from the next step is dropped: "
     "dc = dc_next + dh * o * (1 - tanh(c)**2)", {"carry_c": False}),
    _m("forget gate missing in dc_prev", "the forget gate is missing in dc_prev: c_next = f * c_prev + ..., so "
     "dc_prev = dc * f", {"forget": False}),
    _m("da_f reads c_next", "da_f uses c_prev, the value the forget gate multiplies: da_f = dc * c_prev * f * (1 - f)",
     {"f_reads": "c_next"}),
    _m("da_o reads c", "da_o uses tanh(c), the value the output gate multiplies: da_o = dh * tanh(c) * o * (1 - o)",
     {"o_reads": "c"}),
    _m("i and f swapped", "the gradients of the input and forget gates are swapped: dUi, dWi, dbi come from "
     "da_i = dc * g * i * (1 - i), dUf, dWf, dbf from da_f = dc * c_prev * f * (1 - f)", {"swap": "if"}),
    _m("sigmoid derivative missing", "the sigmoid's derivative is missing: da_i = dc * g * i * (1 - i), and likewise "
     "f * (1 - f) and o * (1 - o)", {"dsig": np.ones_like}),
    _m("candidate given the sigmoid's derivative", "the candidate's derivative is tanh's, 1 - g**2, not the "
     "sigmoid's g * (1 - g): da_g = dc * i * (1 - g**2)", {"dtanh_g": lambda t: t * (1.0 - t)}),
    _m("path through h missing", "dc misses the gradient that reaches c through h = o * tanh(c): "
     "dc = dc_next + dh * o * (1 - tanh(c)**2) -- the cell state is used twice, so both paths add",
     {"through_h": False}),
    _m("tanh derivative at c", "tanh' is taken at c, 1 - c**2: the derivative of tanh(c) is 1 - tanh(c)**2",
     {"tanh_c_of": "c"}),
    _m("output gate fed dc", "da_o comes from dh alone (the output gate multiplies tanh(c) into h): "
     "da_o = dh * tanh(c) * o * (1 - o), not dc * ...", {"o_grad": "dc"}),
]


def _backward_parts(names, sequence):
    dx, dh, dc = names
    parts = [Values(dx, 0.5), Values(dh, 0.5), Values(dc, 1.0 if sequence else 0.5)]
    parts += [Values(p + k, 0.5) for p in ("dU", "dW", "db") for k in GATES]
    kept = 0.5 if sequence else 0.25  # the cell's keys and in-place rule share the half point the keys had
    parts.append(Keys((), list(names) + [p + k for p in ("dU", "dW", "db") for k in GATES], kept, "gradient keys"))
    parts.append(NoSideEffects(kept))
    return parts


@register
class LstmCellBackward(Check):
    name = "lstm_cell_backward"
    parts = _backward_parts(("dx_t", "dh_prev", "dc_prev"), sequence=False)

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, _ in SIZES:
            p = lstm_params(rng, n_x, n_h)
            _, _, cache = ref.lstm_cell_forward(normal(rng, n_x, m), state(rng, n_h, m), normal(rng, n_h, m), p)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m), (normal(rng, n_h, m), normal(rng, n_h, m), cache)))
        return cases

    def expected(self, case):
        return ref.lstm_cell_backward(*case.args)

    def mistakes(self):
        return [Mistake(name, message, lambda c, k=k: _cell_backward_answer(c, **k), k)
                for name, message, k in BACKWARD_MISTAKES]

    def simulate(self, case, **switches):
        return _cell_backward_answer(case, **switches)


@register
class LstmBackward(Check):
    name = "lstm_backward"
    parts = _backward_parts(("dx", "dh0", "dc0"), sequence=True)

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, T in SIZES:
            p = lstm_params(rng, n_x, n_h)
            _, _, cache = ref.lstm_forward(normal(rng, n_x, m, T), state(rng, n_h, m), normal(rng, n_h, m), p)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T), (normal(rng, n_h, m, T), cache)))
        return cases

    def expected(self, case):
        return ref.lstm_backward(*case.args)

    def mistakes(self):
        extra = [
            _m("cell gradient not carried", "the cell state's gradient is not carried across time: step t receives "
             "the dc_prev of step t + 1 as dc_next (zero only after the last step)", {"carry_c_across": False}),
            _m("dh not carried", "the hidden state's gradient is not carried across time: step t receives "
             "dh[:, :, t] plus the dh_prev that step t + 1 sends back", {"carry_h": False}),
        ] + time_mistakes("hidden state") + [
            _m("c_prev off by one", "da_f uses c_prev, the previous cell state: c[:, :, t-1] (c0 at the first "
             "step), not c[:, :, t]", {"c_prev_is": "same"}),
            _m("c_prev wraps", "at the first step the previous cell state is c0: c[:, :, t-1] with t = 0 reads "
             "the last step, c[:, :, -1]", {"c_prev_is": "wrap"}),
            _m("forward in time", "the loop runs forward in time: backpropagation starts at the last step, "
             "t = T-1, and walks back to t = 0, so that each step receives the gradients of the step after it",
             {"order": "forward"}),
            _m("dh0 is the arriving gradient", "dh0 is what the first step sends back to h0 (its dh_prev), not the "
             "gradient arriving at the first step's output", {"dh0_is": "arriving"}),
            _m("carried gradients swapped", "the two carried gradients are swapped: step t's dh is dh[:, :, t] + the "
             "dh_prev that step t + 1 sent back, and its dc_next is the dc_prev that step t + 1 sent back",
             {"carried_swapped": True}),
        ]
        return [Mistake(name, message, lambda c, k=k: _sequence_backward_answer(c, **k), k)
                for name, message, k in extra + BACKWARD_MISTAKES]

    def simulate(self, case, **switches):
        return _sequence_backward_answer(case, **switches)
