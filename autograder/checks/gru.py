"""Checks for assignment 8, the GRU: gru_cell_forward, gru_forward, gru_cell_backward, gru_backward.

Each function has two checks: the book's reset-before form on the sizes of :data:`inputs.SIZES`
(``gru_cell_forward`` ...), and, for the exercise's bonus part, PyTorch's reset-after form (with
``bhh``) on a non-square and a square case (``gru_cell_forward_reset_after`` ...), so the bonus is
a graded cell of its own that nothing else depends on. The backward checks receive the cache of
the reference's forward pass.

The mistakes are modelled by one configurable GRU written here, on the trusted side:
:func:`_step` and :func:`_step_backward` compute the equations of chapter 8 directly, with
keyword switches that each reproduce one typical slip (gates swapped, update convention
inverted, reset gate in the wrong place, wrong derivative, a missing path into ``h_prev``,
gradients not carried or not summed across time, ...).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .diagnose import explain_steps
from .gated import as_mistakes, borrow_mistakes, borrowed, time_mistakes
from .gated import row as _m
from .inputs import SIZES, label, normal, state
from .spec import Case, Check, Hint, Keys, Mistake, NoSideEffects, Shape, Values, register

GATES = "urh"
RA = "reset_after"
PARAMS = [p + g for g in GATES for p in "UWb"]
# the two extra cases in the reset-after form: non-square, and square (a transposed W still runs)
RESET_AFTER_SIZES = [SIZES[0], SIZES[3]]


def before(case) -> bool:
    return not case.info[RA]


def after(case) -> bool:
    return bool(case.info[RA])


def gru_params(rng, n_x, n_h, reset_after=False) -> dict:
    """``Uu Ur Uh`` scaled by 1/sqrt(n_x), ``Wu Wr Wh`` by 1/sqrt(n_h), biases of size 0.5 (and
    ``bhh`` in the reset-after form)."""
    p = {}
    for g in GATES:
        p["U" + g] = normal(rng, n_h, n_x, scale=n_x**-0.5)
        p["W" + g] = normal(rng, n_h, n_h, scale=n_h**-0.5)
        p["b" + g] = normal(rng, n_h, 1, scale=0.5)
    if reset_after:
        p["bhh"] = normal(rng, n_h, 1, scale=0.5)
    return p


def _sizes(reset_after: bool = False):
    """(n_x, n_h, m, T, reset_after) of the cases of one form."""
    if reset_after:
        return [(n_x, n_h, m, T, True) for n_x, n_h, _, m, T in RESET_AFTER_SIZES]
    return [(n_x, n_h, m, T, False) for n_x, n_h, _, m, T in SIZES]


def _form(reset_after):
    return {"form": "reset after"} if reset_after else {}


def _kwargs(reset_after):
    """Reset-before cases call the function without the flag (its default), so a signature that
    lacks it still earns the book's form."""
    return {"reset_after": True} if reset_after else {}


# ---------------------------------------------------------------- the forward pass, configurable

def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _swap_zr(d: dict, prefix: str = "") -> dict:
    """``d`` with the u and r entries (``U W b``, with ``prefix``) exchanged."""
    out = dict(d)
    for p in "UWb":
        out[prefix + p + "u"], out[prefix + p + "r"] = d[prefix + p + "r"], d[prefix + p + "u"]
    return out


def _step(x_t, h_prev, p, reset_after, swap=False, inverted=False, reset=None, candidate=np.tanh,
          gate=_sigmoid, transposed=False, no_bias="", borrow=None):
    """One GRU step, possibly with one mistake: ``{u, r, h_tilde, a_hh, h_next}``.

    ``reset`` is the form of the candidate: ``before`` (W_h (r * h_prev)), ``after``
    (r * (W_h h_prev + b_hh)), ``ignored`` (no r), ``outside`` (r * tanh(...)), ``bhh outside``;
    ``None`` means the form that ``reset_after`` asks for. ``borrow``: one gate's parameter taken
    from another (:func:`gated.borrow_mistakes`).
    """
    q = borrowed(_swap_zr(p) if swap else p, borrow)
    if no_bias:
        q = {**q, "b" + no_bias: 0.0 * q["b" + no_bias]}
    W = {g: q["W" + g].T if transposed else q["W" + g] for g in GATES}
    u = gate(q["Uu"] @ x_t + W["u"] @ h_prev + q["bu"])
    r = gate(q["Ur"] @ x_t + W["r"] @ h_prev + q["br"])
    b_hh = p.get("bhh", 0.0)
    a_hh = W["h"] @ h_prev + b_hh
    base = q["Uh"] @ x_t + q["bh"]
    reset = reset or ("after" if reset_after else "before")
    if reset == "before":
        h_tilde = candidate(base + W["h"] @ (r * h_prev))
    elif reset == "after":
        h_tilde = candidate(base + r * a_hh)
    elif reset == "ignored":
        h_tilde = candidate(base + a_hh)
    elif reset == "outside":
        h_tilde = r * candidate(base + a_hh)
    elif reset == "before, with bhh":  # the reset-before product, and b_hh added beside it
        h_tilde = candidate(base + W["h"] @ (r * h_prev) + b_hh)
    else:  # "bhh outside"
        h_tilde = candidate(base + r * (W["h"] @ h_prev) + b_hh)
    h_next = (1.0 - u) * h_tilde + u * h_prev if inverted else u * h_tilde + (1.0 - u) * h_prev
    return {"u": u, "r": r, "h_tilde": h_tilde, "a_hh": a_hh, "h_next": h_next}


def _cell_answer(case, **mistake):
    x_t, h_prev, p = case.args
    ra = case.info[RA]
    s = _step(x_t, h_prev, p, ra, **mistake)
    cache = {"x_t": x_t, "h_prev": h_prev, "u": s["u"], "r": s["r"], "h_tilde": s["h_tilde"],
             "h_next": s["h_next"], "params": p, "reset_after": ra}
    if ra:
        cache["a_hh"] = s["a_hh"]
    return s["h_next"], cache


def _sequence_answer(case, start_zero=False, keep_previous=False, carry=True, **mistake):
    x, h0, p = case.args
    ra = case.info[RA]
    n_h, (_, m, T) = h0.shape[0], x.shape
    out = {k: np.zeros((n_h, m, T)) for k in ("u", "r", "h_tilde", "a_hh", "h")}
    h_t = np.zeros_like(h0) if start_zero else h0
    for t in range(T):
        s = _step(x[:, :, t], h_t, p, ra, **mistake)
        for k in ("u", "r", "h_tilde", "a_hh"):
            out[k][:, :, t] = s[k]
        out["h"][:, :, t] = h_t if keep_previous else s["h_next"]
        h_t = s["h_next"] if carry else h0
    cache = {"x": x, "h0": h0, "u": out["u"], "r": out["r"], "h_tilde": out["h_tilde"], "h": out["h"],
             "params": p, "reset_after": ra}
    if ra:
        cache["a_hh"] = out["a_hh"]
    return out["h"], cache


FORWARD_MISTAKES = [
    _m("u and r swapped", "the update and reset gates are swapped: u = sigma(U_u x + W_u h_prev + b_u) weights "
     "the candidate, r = sigma(U_r x + W_r h_prev + b_r) scales h_prev inside it", {"swap": True}),
    _m("update inverted", "the update convention is inverted: the book writes h_next = u * h~ + (1 - u) * h_prev "
     "(u = 1 writes the candidate, u = 0 keeps the old state), not (1 - u) * h~ + u * h_prev", {"inverted": True}),
    _m("reset after the product", "the reset gate is applied after the product, r * (W_h h_prev); in the book's "
     "form (reset_after=False) it scales h_prev first: W_h (r * h_prev)", {"reset": "after"}),
    _m("reset before the product", "with reset_after=True the reset gate scales the recurrent product: "
     "h~ = tanh(U_h x + b_h + r * (W_h h_prev + b_hh)); this is the book's form (reset_after ignored, or not passed "
     "on to the cell)", {"reset": "before"}),
    _m("reset before the product, bhh beside it", "with reset_after=True the reset gate is applied after the "
     "product, to the whole recurrent term: h~ = tanh(U_h x + b_h + r * (W_h h_prev + b_hh)), not "
     "W_h (r * h_prev) + b_hh", {"reset": "before, with bhh"}),
    _m("reset ignored", "the reset gate is not used: the candidate reads r * h_prev (reset after: "
     "r * (W_h h_prev + b_hh)), not h_prev alone", {"reset": "ignored"}),
    _m("reset outside the tanh", "the reset gate multiplies the candidate after the tanh; it belongs inside, on "
     "the recurrent term: tanh(U_h x + W_h (r * h_prev) + b_h)", {"reset": "outside"}),
    _m("bhh outside the reset", "b_hh is added outside the reset gate; it is part of the recurrent term that r "
     "scales: r * (W_h h_prev + b_hh)", {"reset": "bhh outside"}),
    _m("candidate sigmoid", "the candidate uses the sigmoid; it uses tanh (values in (-1, 1)), only the gates u "
     "and r use the sigmoid", {"candidate": _sigmoid}),
    _m("gates tanh", "the gates use tanh; u and r use the sigmoid (values in (0, 1)), only the candidate uses tanh",
     {"gate": np.tanh}),
    _m("sigmoid and tanh swapped", "sigmoid and tanh are swapped: the gates u and r use the sigmoid, the "
     "candidate uses tanh", {"gate": np.tanh, "candidate": _sigmoid}),
    _m("W transposed", "the recurrent weights are transposed: W_u, W_r, W_h are (n_h, n_h), row i holding the "
     "weights into unit i; multiply W @ h_prev", {"transposed": True}),
    _m("b_u missing", "the update gate's bias b_u is missing: u = sigma(U_u x + W_u h_prev + b_u)", {"no_bias": "u"}),
    _m("b_r missing", "the reset gate's bias b_r is missing: r = sigma(U_r x + W_r h_prev + b_r)", {"no_bias": "r"}),
    _m("b_h missing", "the candidate's bias b_h is missing: h~ = tanh(U_h x + ... + b_h)", {"no_bias": "h"}),
]
# one gate's U, W or b copied from another gate: tried alone (not in pairs), see Mistake.paired
BORROWED = borrow_mistakes({
    "u": ("update gate", "u", "u = sigma(U_u x + W_u h_prev + b_u)"),
    "r": ("reset gate", "r", "r = sigma(U_r x + W_r h_prev + b_r)"),
    "h": ("candidate", "h~", "h~ = tanh(U_h x + W_h (r * h_prev) + b_h)"),
})



def _forward_parts(state_name, cache_keys):
    return [
        Shape(state_name, 0.5),
        Values(state_name, 2.0),
        Keys("cache", cache_keys, 0.5),
        Values("cache", 1.0, "cache contents"),
    ]


RESET_AFTER_FORWARD = (Values((), 1.0, "reset-after form (state and cache)").states(r"reset_after", r"a_hh"),)


@register
class GruCellForward(Check):
    name = "gru_cell_forward"
    returns = ("h_next", "cache")
    parts = _forward_parts("h_next", ["x_t", "h_prev", "u", "r", "h_tilde", "h_next", "params", "reset_after"])

    form = False  # the bonus check, below, grades the reset-after form

    def cases(self, rng):
        cases = []
        for n_x, n_h, m, _, ra in _sizes(self.form):
            p = gru_params(rng, n_x, n_h, ra)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, **_form(ra)),
                              (normal(rng, n_x, m), state(rng, n_h, m), p), _kwargs(ra), info={RA: ra}))
        return cases

    def expected(self, case):
        return ref.gru_cell_forward(*case.args, **case.kwargs)

    def mistakes(self):
        return as_mistakes(_cell_answer, FORWARD_MISTAKES, BORROWED)

    def simulate(self, case, **switches):
        return _cell_answer(case, **switches)


@register
class GruForward(Check):
    name = "gru_forward"
    returns = ("h", "cache")
    parts = _forward_parts("h", ["x", "h0", "u", "r", "h_tilde", "h", "params", "reset_after"])

    form = False

    def cases(self, rng):
        cases = []
        for n_x, n_h, m, T, ra in _sizes(self.form):
            p = gru_params(rng, n_x, n_h, ra)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T, **_form(ra)),
                              (normal(rng, n_x, m, T), state(rng, n_h, m), p), _kwargs(ra), info={RA: ra}))
        return cases

    def expected(self, case):
        return ref.gru_forward(*case.args, **case.kwargs)

    def mistakes(self):
        extra = [
            _m("h0 ignored", "the initial state h0 is ignored: the first step uses h^{<0>} = h0, not zeros",
             {"start_zero": True}),
            _m("off by one", "off by one in time: h[:, :, t] must hold the state after reading x[:, :, t], "
             "not the state before it", {"keep_previous": True}),
            _m("not carried", "the state is not carried from step to step: every step starts from h0; step t must "
             "start from the state step t-1 produced", {"carry": False}),
        ]
        return as_mistakes(_sequence_answer, extra + FORWARD_MISTAKES, BORROWED)

    def simulate(self, case, **switches):
        return _sequence_answer(case, **switches)

    def inspect(self, case, path, got, expected):
        if path != ("h",):
            return None
        x, h0, p = case.args
        return explain_steps("h", got, expected, lambda t, prev: _step(x[:, :, t], prev, p, case.info[RA])["h_next"],
                             h0)


# ---------------------------------------------------------------- the backward pass, configurable

def _dsigmoid(s):
    return s * (1.0 - s)


def _dtanh(t):
    return 1.0 - t**2


def _step_backward(dh, x_t, h_prev, u, r, h_tilde, a_hh, p, reset_after, dsig=_dsigmoid, dtanh=_dtanh,
                   inverted=False, memory=True, candidate_path=True, dWh_reads="s", swap=False, dsig_missing="",
                   reset_path=True, candidate_r=True, da_hh_r=True, dr_reads="a_hh"):
    """The gradients of one step (``dx_t``, ``dh_prev``, parameters), possibly with mistakes:
    ``dsig_missing`` (``u`` or ``r``: that gate's sigmoid derivative left out), ``reset_path`` off
    (dh_prev without W_r^T da_r), ``candidate_r`` off (the book form's candidate path without the
    factor r), ``da_hh_r`` off (reset after: da_hh without r), ``dr_reads`` ``W_h h`` (reset after:
    dr recomputed without b_hh)."""
    sig_u = np.ones_like if dsig_missing == "u" else dsig
    sig_r = np.ones_like if dsig_missing == "r" else dsig
    if inverted:
        da_h, da_u, direct = dh * (1.0 - u) * dtanh(h_tilde), dh * (h_prev - h_tilde) * sig_u(u), dh * u
    else:
        da_h, da_u, direct = dh * u * dtanh(h_tilde), dh * (h_tilde - h_prev) * sig_u(u), dh * (1.0 - u)
    if reset_after:
        da_hh = da_h * r if da_hh_r else da_h
        dr = da_h * (a_hh if dr_reads == "a_hh" else p["Wh"] @ h_prev)
        via_candidate = p["Wh"].T @ da_hh
        dWh = da_hh @ h_prev.T
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        via_candidate = ds * r if candidate_r else ds
        dWh = da_h @ ((r * h_prev) if dWh_reads == "s" else h_prev).T
    da_r = dr * sig_r(r)
    dh_prev = p["Wu"].T @ da_u + (p["Wr"].T @ da_r if reset_path else 0.0)
    dh_prev = dh_prev + (direct if memory else 0.0) + (via_candidate if candidate_path else 0.0)
    da = {"u": da_u, "r": da_r, "h": da_h}
    grads = {"dx_t": sum(p["U" + g].T @ da[g] for g in GATES), "dh_prev": dh_prev}
    for g in GATES:
        grads["dU" + g] = da[g] @ x_t.T
        grads["dW" + g] = da[g] @ h_prev.T
        grads["db" + g] = da[g].sum(axis=1, keepdims=True)
    grads["dWh"] = dWh
    if "bhh" in p:
        grads["dbhh"] = (da_hh if reset_after else np.zeros_like(da_h)).sum(axis=1, keepdims=True)
    return _swap_zr(grads, "d") if swap else grads


def _cell_backward_answer(case, **mistake):
    dh, c = case.args
    return _step_backward(dh, c["x_t"], c["h_prev"], c["u"], c["r"], c["h_tilde"], c.get("a_hh"), c["params"],
                          c["reset_after"], **mistake)


def _sequence_backward_answer(case, carry=True, accumulate="all", h_prev_is="previous", order="backward",
                              skip_first=False, as_book=False, dh0_extra=False, direct="all", **mistake):
    """BPTT, possibly with one mistake: ``carry`` the gradient from step t + 1; ``accumulate`` the
    parameter gradients of ``all`` steps, or keep only those of the ``first`` (a reversed loop that
    assigns instead of adding) or the ``last`` step; ``h_prev_is`` the ``previous`` state,
    the ``same`` one (off by one), or ``wrap`` (h[:, :, -1] at t = 0)."""
    dh, c = case.args
    x, h0, h, p, ra = c["x"], c["h0"], c["h"], c["params"], c["reset_after"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    sums = {}
    dh_next = np.zeros_like(h0)
    steps = range(T) if order == "forward" else range(T - 1, 0 if skip_first else -1, -1)
    step_ra = False if as_book else ra
    for t in steps:
        if h_prev_is == "same":
            h_prev = h[:, :, t]
        elif h_prev_is == "wrap":
            h_prev = h[:, :, t - 1]
        else:
            h_prev = h[:, :, t - 1] if t > 0 else h0
        a_hh = c["a_hh"][:, :, t] if ra else None
        own = dh[:, :, t] if direct == "all" or t == T - 1 else 0.0 * dh[:, :, t]
        g = _step_backward(own + (dh_next if carry else 0.0), x[:, :, t], h_prev, c["u"][:, :, t],
                           c["r"][:, :, t], c["h_tilde"][:, :, t], a_hh, p, step_ra, **mistake)
        dx[:, :, t] = g.pop("dx_t")
        dh_next = g.pop("dh_prev")
        keep = accumulate == "all" or (accumulate == "first" and t == 0) or (accumulate == "last" and t == T - 1)
        for k, v in g.items():
            sums[k] = sums.get(k, 0.0) + (v if keep else 0.0 * v)
    if "bhh" in p and "dbhh" not in sums:
        sums["dbhh"] = np.zeros_like(p["bhh"])
    return {"dx": dx, "dh0": dh_next + (dh[:, :, -1] if dh0_extra else 0.0), **sums}


BACKWARD_MISTAKES = [
    _m("sigmoid derivative", "the sigmoid's derivative is s * (1 - s), not s: da_u = du * u * (1 - u) and "
     "da_r = dr * r * (1 - r)", {"dsig": lambda s: s}),
    _m("tanh derivative", "the tanh's derivative is 1 - h~**2: da_h = dh~ * (1 - h~**2)", {"dtanh": lambda t: 1.0 - t}),
    _m("tanh derivative missing", "the tanh's derivative is missing: da_h = dh~ * (1 - h~**2)",
     {"dtanh": np.ones_like}),
    _m("tanh applied twice", "tanh' is evaluated at h~ as if h~ were the pre-activation: with h~ = tanh(a), "
     "tanh'(a) = 1 - h~**2 (no second tanh)", {"dtanh": lambda t: 1.0 - np.tanh(t) ** 2}),
    _m("update inverted", "the update convention is inverted: with h_next = u * h~ + (1 - u) * h_prev, "
     "dh~ = dh * u, du = dh * (h~ - h_prev) and the memory path gives dh * (1 - u)", {"inverted": True}),
    _m("memory path missing", "dh_prev misses the memory path dh * (1 - u): h_prev enters h_next directly, not "
     "only through the gates and the candidate", {"memory": False}),
    _m("candidate path missing", "dh_prev misses the candidate's path: (W_h^T da_h) * r in the reset-before form, "
     "W_h^T (da_h * r) in the reset-after form", {"candidate_path": False}),
    _m("dWh reads h_prev", "dW_h must use s = r * h_prev, the vector W_h multiplies: dW_h = da_h (r * h_prev)^T",
     {"dWh_reads": "h_prev"}),
    _m("u and r swapped", "the gradients of the update and reset gates are swapped: dUu, dWu, dbu come from "
     "da_u = du * u * (1 - u), dUr, dWr, dbr from da_r = dr * r * (1 - r)", {"swap": True}),
    _m("u's sigmoid derivative missing", "the update gate's sigmoid derivative is missing: "
     "da_u = du * u * (1 - u)", {"dsig_missing": "u"}),
    _m("r's sigmoid derivative missing", "the reset gate's sigmoid derivative is missing: "
     "da_r = dr * r * (1 - r)", {"dsig_missing": "r"}),
    _m("reset gate's path missing", "dh_prev misses the reset gate's path W_r^T da_r: h_prev enters both gates, "
     "the candidate and the memory path, and every route adds", {"reset_path": False}),
    _m("candidate path without r", "the candidate's path into h_prev misses the factor r: in the book's form "
     "s = r * h_prev, so it is (W_h^T da_h) * r", {"candidate_r": False}),
    _m("da_hh without r", "in the reset-after form the recurrent term is scaled by r: da_hh = da_h * r "
     "(which dW_h, db_hh and the path into h_prev use)", {"da_hh_r": False}),
    _m("dr without bhh", "in the reset-after form r multiplies the whole recurrent term: dr = da_h * a_hh, with "
     "a_hh = W_h h_prev + b_hh read from the cache, not recomputed without b_hh", {"dr_reads": "Wh h"}),
]


def _gradient_keys(prefix_x):
    return [prefix_x] + [p + g for g in GATES for p in ("dU", "dW", "db")]


def _backward_parts(dx, dh, sequence):
    parts = [Values(dx, 0.5), Values(dh, 1.0)]
    parts += [Values(p + g, 0.5) for p in ("dU", "dW", "db") for g in GATES]
    kept = 0.5 if sequence else 0.25  # the cell's keys and in-place rule share the half point the keys had
    parts.append(Keys((), [dx, dh] + [p + g for p in ("dU", "dW", "db") for g in GATES], kept, "gradient keys"))
    parts.append(NoSideEffects(kept))
    return parts


def _reset_after_backward(points):
    return (Values((), points, "reset-after form (every gradient)").states(r"reset_after", r"dbhh"),)


def _backward_cases(rng, sequence, form=False):
    cases = []
    for n_x, n_h, m, T, ra in _sizes(form):
        p = gru_params(rng, n_x, n_h, ra)
        h0 = state(rng, n_h, m)
        if sequence:
            _, cache = ref.gru_forward(normal(rng, n_x, m, T), h0, p, reset_after=ra)
            dh, text = normal(rng, n_h, m, T), label(n_x=n_x, n_h=n_h, m=m, T=T, **_form(ra))
        else:
            _, cache = ref.gru_cell_forward(normal(rng, n_x, m), h0, p, reset_after=ra)
            dh, text = normal(rng, n_h, m), label(n_x=n_x, n_h=n_h, m=m, **_form(ra))
        cases.append(Case(text, (dh, cache), info={RA: ra}))
    return cases


@register
class GruCellBackward(Check):
    name = "gru_cell_backward"
    parts = _backward_parts("dx_t", "dh_prev", sequence=False)

    form = False

    def cases(self, rng):
        return _backward_cases(rng, sequence=False, form=self.form)

    def expected(self, case):
        return ref.gru_cell_backward(*case.args)

    def mistakes(self):
        return [Mistake(name, message, lambda c, k=k: _cell_backward_answer(c, **k), k)
                for name, message, k in BACKWARD_MISTAKES]

    def simulate(self, case, **switches):
        return _cell_backward_answer(case, **switches)


@register
class GruBackward(Check):
    name = "gru_backward"
    parts = _backward_parts("dx", "dh0", sequence=True)

    form = False

    def cases(self, rng):
        return _backward_cases(rng, sequence=True, form=self.form)

    def expected(self, case):
        return ref.gru_backward(*case.args)

    def mistakes(self):
        extra = [
            _m("dh not carried", "the gradient is not carried across time: step t receives dh[:, :, t] plus the "
             "dh_prev that step t + 1 sends back", {"carry": False}),
            _m("forward in time", "the loop runs forward in time: backpropagation starts at the last step, "
             "t = T-1, and walks back to t = 0, so that each step receives the gradient of the step after it",
             {"order": "forward"}),
            _m("first step skipped", "the first step (t = 0) is never run backward: the loop must reach t = 0, "
             "range(T-1, -1, -1)", {"skip_first": True}),
            _m("book's form backward", "the reset-after form is run backward as the book's form: pass the cache's "
             "reset_after on to each step (reset_after=False is hard-coded, or the flag is dropped)",
             {"as_book": True}),
            _m("dh0 picks up dh[:, :, -1]", "dh0 also receives dh[:, :, -1], the last step's gradient: the carried "
             "gradient for step t-1 reads dh[:, :, t-1], which wraps around at t = 0; dh0 is the first step's "
             "dh_prev alone", {"dh0_extra": True}),
            _m("only the last step's dh", "only the last step's dh[:, :, T-1] is fed in: every step t adds its own "
             "direct gradient dh[:, :, t] to the one carried from step t+1", {"direct": "last"}),
        ] + time_mistakes("state")
        return [Mistake(name, message, lambda c, k=k: _sequence_backward_answer(c, **k), k)
                for name, message, k in extra + BACKWARD_MISTAKES]

    def simulate(self, case, **switches):
        return _sequence_backward_answer(case, **switches)


# ---------------------------------------------------------------- the bonus: PyTorch's reset-after form

@register
class GruCellForwardResetAfter(GruCellForward):
    name, form, parts = "gru_cell_forward_reset_after", True, RESET_AFTER_FORWARD


@register
class GruForwardResetAfter(GruForward):
    name, form, parts = "gru_forward_reset_after", True, RESET_AFTER_FORWARD


@register
class GruCellBackwardResetAfter(GruCellBackward):
    name, form, parts = "gru_cell_backward_reset_after", True, _reset_after_backward(1.5)


@register
class GruBackwardResetAfter(GruBackward):
    name, form, parts = "gru_backward_reset_after", True, _reset_after_backward(1.0)

    def explain_failure(self, case, outcome):
        story = super().explain_failure(case, outcome)
        if isinstance(story, Hint) and "take step t's slice" in story:  # only this form's cache holds a_hh
            return Hint(f"{story}; this form's cache has one more sequence to slice at every step, "
                        "a_hh[:, :, t] (the book's form has no a_hh)")
        return story
