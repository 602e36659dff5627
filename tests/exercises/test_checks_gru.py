"""Assignment 8's checks (the GRU) on right and deliberately wrong student functions.

The student functions below are written here the way a student would write them, gate by gate,
independently of the checks' own mistake models; ``bug`` switches one slip on. Each wrong
variant must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import run_check

from .variants import assert_diagnosed, assert_full_marks


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# ---------------------------------------------------------------- a student's GRU, with switchable slips

def cell_forward(x_t, h_prev, params, reset_after=False, bug=None):
    P = params
    gate_fn = np.tanh if bug == "gates tanh" else sigmoid
    cand_fn = sigmoid if bug == "candidate sigmoid" else np.tanh
    Wu, Wr, Wh = (P[k].T if bug == "W transposed" else P[k] for k in ("Wu", "Wr", "Wh"))
    u = gate_fn(np.dot(P["Uu"], x_t) + np.dot(Wu, h_prev) + P["bu"])
    r = gate_fn(np.dot(P["Ur"], x_t) + np.dot(Wr, h_prev) + P["br"])
    if bug == "r reads Uu":  # the reset gate's line copied from the update gate's, one name not changed
        r = gate_fn(np.dot(P["Uu"], x_t) + np.dot(Wr, h_prev) + P["br"])
    if bug == "u r swapped":
        u, r = r, u
    cache = {}
    if reset_after and bug != "ignores flag":
        a_hh = np.dot(Wh, h_prev) + P.get("bhh", 0)
        if bug == "bhh outside":
            h_tilde = cand_fn(np.dot(P["Uh"], x_t) + P["bh"] + r * np.dot(Wh, h_prev) + P["bhh"])
        else:
            h_tilde = cand_fn(np.dot(P["Uh"], x_t) + P["bh"] + r * a_hh)
        cache["a_hh"] = a_hh
    elif bug == "reset after product":
        h_tilde = cand_fn(np.dot(P["Uh"], x_t) + r * np.dot(Wh, h_prev) + P["bh"])
    elif bug == "no reset":
        h_tilde = cand_fn(np.dot(P["Uh"], x_t) + np.dot(Wh, h_prev) + P["bh"])
    else:
        h_tilde = cand_fn(np.dot(P["Uh"], x_t) + np.dot(Wh, r * h_prev) + P["bh"])
    if bug == "inverted":
        h_next = (1 - u) * h_tilde + u * h_prev
    else:
        h_next = u * h_tilde + (1 - u) * h_prev
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    return h_next, cache


def forward(x, h0, params, reset_after=False, bug=None):
    n_h, (_, m, T) = h0.shape[0], x.shape
    keys = ["u", "r", "h_tilde"] + (["a_hh"] if reset_after and bug != "ignores flag" else [])
    stored = {k: np.zeros((n_h, m, T)) for k in keys}
    h = np.zeros((n_h, m, T))
    h_t = np.zeros((n_h, m)) if bug == "h0 ignored" else h0
    for t in range(T):
        h_new, step = cell_forward(x[:, :, t], h_t, params, reset_after, bug)
        for k in keys:
            stored[k][:, :, t] = step[k]
        h[:, :, t] = h_t if bug == "off by one" else h_new
        h_t = h_new
    return h, {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after, **stored}


def cell_backward(dh_next, cache, bug=None):
    P, u, r, ht, hp, x_t = (cache[k] for k in ("params", "u", "r", "h_tilde", "h_prev", "x_t"))
    dsig = (lambda s: s) if bug == "sigmoid derivative" else (lambda s: s * (1 - s))
    dtanh = (lambda t: 1) if bug == "no tanh derivative" else (lambda t: 1 - t**2)
    if bug == "inverted":
        da_h = dh_next * (1 - u) * dtanh(ht)
        da_u = dh_next * (hp - ht) * dsig(u)
        dh_prev = dh_next * u
    else:
        da_h = dh_next * u * dtanh(ht)
        da_u = dh_next * (ht - hp) * dsig(u)
        dh_prev = dh_next * (1 - u)
    if bug == "no memory path":
        dh_prev = 0
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        da_r = da_h * cache["a_hh"] * dsig(r)
        dh_prev = dh_prev + P["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ hp.T
        if "bhh" in P:
            grads["dbhh"] = np.sum(da_hh, axis=1, keepdims=True)
    else:
        ds = P["Wh"].T @ da_h
        da_r = ds * hp * dsig(r)
        if bug != "no candidate path":
            dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (hp if bug == "dWh with h_prev" else r * hp).T
    dh_prev = dh_prev + P["Wu"].T @ da_u + P["Wr"].T @ da_r
    if bug == "u r swapped":
        da_u, da_r = da_r, da_u
    grads.update(dx_t=P["Uu"].T @ da_u + P["Ur"].T @ da_r + P["Uh"].T @ da_h, dh_prev=dh_prev,
                 dUu=da_u @ x_t.T, dUr=da_r @ x_t.T, dUh=da_h @ x_t.T, dWu=da_u @ hp.T, dWr=da_r @ hp.T,
                 dbu=np.sum(da_u, axis=1, keepdims=True), dbr=np.sum(da_r, axis=1, keepdims=True),
                 dbh=np.sum(da_h, axis=1, keepdims=True))
    return grads


def backward(dh, cache, bug=None):
    x, h0, h, P, ra = cache["x"], cache["h0"], cache["h"], cache["params"], cache["reset_after"]
    T = x.shape[2]
    grads = {k: np.zeros_like(v) for k, v in P.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in ("u", "r", "h_tilde") + (("a_hh",) if ra else ())}
        step.update(x_t=x[:, :, t], params=P, reset_after=ra, h_prev=h[:, :, t - 1] if t > 0 else h0)
        if bug == "h_prev wraps":
            step["h_prev"] = h[:, :, t - 1]
        if bug == "dh mutated":
            dh[:, :, t] += dh_prev
            dh_t = dh[:, :, t]
        else:
            dh_t = dh[:, :, t] if bug == "not carried" else dh[:, :, t] + dh_prev
        g = cell_backward(dh_t, step, bug)
        dx[:, :, t] = g["dx_t"]
        dh_prev = g["dh_prev"]
        for k, total in grads.items():
            grads[k] = g["d" + k] if bug == "overwritten" else total + g["d" + k]
    return {"dx": dx, "dh0": dh_prev, **{"d" + k: v for k, v in grads.items()}}


STUDENT = {"gru_cell_forward": cell_forward, "gru_forward": forward, "gru_cell_backward": cell_backward,
           "gru_backward": backward}


def student(name, bug):
    return partial(STUDENT[name], bug=bug)


# ---------------------------------------------------------------- right answers

@pytest.mark.parametrize("name", list(STUDENT))
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


@pytest.mark.parametrize("name", list(STUDENT))
def test_a_correct_student_implementation_scores_full_marks(name):
    assert_full_marks(name, STUDENT[name])


def test_points():
    """The book's form is the main part; PyTorch's reset-after form is a bonus check of its own."""
    points = {name: run_check(name, ref.__dict__[name], seed=0).max_score for name in STUDENT}
    assert points == {"gru_cell_forward": 4, "gru_forward": 4, "gru_cell_backward": 6.5, "gru_backward": 7}
    bonus = {name: run_check(name + "_reset_after", ref.__dict__[name], seed=0).max_score for name in STUDENT}
    assert bonus == {"gru_cell_forward": 1, "gru_forward": 1, "gru_cell_backward": 1.5, "gru_backward": 1}


# ---------------------------------------------------------------- the forward pass

@pytest.mark.parametrize("name", ["gru_cell_forward", "gru_forward"])
@pytest.mark.parametrize("bug,fragment", [
    ("u r swapped", "the update and reset gates are swapped"),
    ("inverted", "the update convention is inverted"),
    ("reset after product", "the reset gate is applied after the product"),
    ("no reset", "the reset gate is not used"),
    ("candidate sigmoid", "the candidate uses the sigmoid"),
    ("gates tanh", "the gates use tanh"),
    ("W transposed", "the recurrent weights are transposed"),
    ("r reads Uu", "the reset gate r uses U_u, the update gate's input weights, where its own U_r belongs"),
])
def test_forward_mistakes(name, bug, fragment):
    assert_diagnosed(name, student(name, bug), fragment)


def test_sequence_with_its_own_step_says_the_step_is_not_the_cells():
    """Issue 13: localisation by step. A loop that writes the GRU step inline and drops U_h x from
    the candidate matches no known mistake; no step follows from the state before it."""
    def gru_forward(x, h0, params, reset_after=False):
        P, (n_h, (_, m, T)) = params, (h0.shape[0], x.shape)
        h, h_t = np.zeros((n_h, m, T)), h0
        cache = {k: np.zeros((n_h, m, T)) for k in ("u", "r", "h_tilde")}
        for t in range(T):
            x_t = x[:, :, t]
            u = sigmoid(P["Uu"] @ x_t + P["Wu"] @ h_t + P["bu"])
            r = sigmoid(P["Ur"] @ x_t + P["Wr"] @ h_t + P["br"])
            h_tilde = np.tanh(P["Wh"] @ (r * h_t) + P["bh"])  # U_h x forgotten
            h_t = u * h_tilde + (1 - u) * h_t
            h[:, :, t] = h_t
            cache["u"][:, :, t], cache["r"][:, :, t], cache["h_tilde"][:, :, t] = u, r, h_tilde
        return h, {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after, **cache}
    assert_diagnosed("gru_forward", gru_forward, "no step of h is the cell applied to x[:, :, t]")


def test_a_wrong_first_step_alone_is_told_apart():
    """Every step after the first follows from the state before it: the first started elsewhere."""
    def gru_forward(x, h0, params, reset_after=False):
        h, cache = forward(x, h0, params, reset_after)
        h1, _ = cell_forward(x[:, :, 0], 0.5 * h0, params, reset_after)  # the first step from a scaled h0
        h = h.copy()
        h[:, :, 0] = h1
        for t in range(1, x.shape[2]):
            h[:, :, t] = cell_forward(x[:, :, t], h[:, :, t - 1], params, reset_after)[0]
        return h, {**cache, "h": h}
    assert_diagnosed("gru_forward", gru_forward, "except the first: the first step must start from the initial state")


@pytest.mark.parametrize("name", ["gru_cell_forward", "gru_forward"])
def test_reset_after_flag_ignored_loses_only_the_bonus(name):
    assert_full_marks(name, student(name, "ignores flag"))
    result = assert_diagnosed(name + "_reset_after", student(name, "ignores flag"),
                              "this is the book's form (reset_after ignored", partial=False)
    assert result.score == 0


@pytest.mark.parametrize("name", ["gru_cell_forward", "gru_forward"])
def test_bhh_outside_the_reset_gate(name):
    assert_full_marks(name, student(name, "bhh outside"))
    result = assert_diagnosed(name + "_reset_after", student(name, "bhh outside"),
                              "b_hh is added outside the reset gate", partial=False)
    assert result.score == 0


def test_book_form_only_signature_keeps_the_book_form_points():
    def gru_cell_forward(x_t, h_prev, params):  # no reset_after argument at all
        return cell_forward(x_t, h_prev, params)
    assert_full_marks("gru_cell_forward", gru_cell_forward)
    result = assert_diagnosed("gru_cell_forward_reset_after", gru_cell_forward, "raised TypeError", partial=False)
    assert result.score == 0


def test_cell_cache_with_wrong_keys():
    def gru_cell_forward(x_t, h_prev, params, reset_after=False):
        h_next, cache = cell_forward(x_t, h_prev, params, reset_after)
        cache["h_candidate"] = cache.pop("h_tilde")
        return h_next, cache
    assert_diagnosed("gru_cell_forward", gru_cell_forward, "missing keys ['h_tilde']",
                     "unexpected keys ['h_candidate']")


def test_sequence_ignores_h0():
    assert_diagnosed("gru_forward", student("gru_forward", "h0 ignored"), "the initial state h0 is ignored")


def test_sequence_off_by_one():
    assert_diagnosed("gru_forward", student("gru_forward", "off by one"), "off by one in time")


# ---------------------------------------------------------------- the backward pass

@pytest.mark.parametrize("name", ["gru_cell_backward", "gru_backward"])
@pytest.mark.parametrize("bug,fragment", [
    ("sigmoid derivative", "the sigmoid's derivative is s * (1 - s), not s"),
    ("no tanh derivative", "the tanh's derivative is missing"),
    ("inverted", "the update convention is inverted"),
    ("no memory path", "dh_prev misses the memory path"),
    ("no candidate path", "dh_prev misses the candidate's path"),
    ("dWh with h_prev", "dW_h must use s = r * h_prev"),
    ("u r swapped", "the gradients of the update and reset gates are swapped"),
])
def test_backward_mistakes(name, bug, fragment):
    assert_diagnosed(name, student(name, bug), fragment)


def test_backward_gradient_not_carried_across_steps():
    assert_diagnosed("gru_backward", student("gru_backward", "not carried"), "the gradient is not carried across time")


def test_backward_gradients_not_accumulated():
    result = assert_diagnosed("gru_backward", student("gru_backward", "overwritten"),
                              "the parameter gradients are not accumulated across time")
    failed = {p.part for p in result.parts if p.status != "ok"}
    assert {"dx values", "dh0 values"}.isdisjoint(failed)  # only the parameter gradients are wrong


def test_backward_first_step_reads_the_last_state():
    assert_diagnosed("gru_backward", student("gru_backward", "h_prev wraps"), "h[:, :, t-1] with t = 0 reads the last")


def test_backward_that_writes_into_dh():
    result = assert_diagnosed("gru_backward", student("gru_backward", "dh mutated"),
                              "the function changed its input in place")
    assert result.score == result.max_score - 0.5
