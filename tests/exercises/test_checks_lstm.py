"""Assignment 9's checks (the LSTM) on right and deliberately wrong student functions.

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

GATES = ("i", "f", "g", "o")


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# ---------------------------------------------------------------- a student's LSTM, with switchable slips

def cell_forward(x_t, h_prev, c_prev, params, bug=None):
    P = params
    act = {"i": sigmoid, "f": sigmoid, "g": np.tanh, "o": sigmoid}
    if bug == "candidate sigmoid":
        act["g"] = sigmoid
    a = {k: np.dot(P["U" + k], x_t) + np.dot(P["W" + k], h_prev) + P["b" + k] for k in GATES}
    if bug == "o reads Wf":  # the output gate's line copied from the forget gate's, one name not changed
        a["o"] = np.dot(P["Uo"], x_t) + np.dot(P["Wf"], h_prev) + P["bo"]
    i, f, g, o = (act[k](a[k]) for k in GATES)
    if bug == "i f swapped":
        i, f = f, i
    if bug == "no forget":
        c_next = c_prev + i * g
    else:
        c_next = f * c_prev + i * g
    if bug == "c squashed":
        c_next = np.tanh(c_next)
    h_next = o * c_next if bug == "h = o c" else o * np.tanh(c_prev if bug == "h reads c_prev" else c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache


def forward(x, h0, c0, params, bug=None):
    n_h, (_, m, T) = h0.shape[0], x.shape
    out = {k: np.zeros((n_h, m, T)) for k in ("i", "f", "g", "o", "h", "c")}
    h_t, c_t = h0, (np.zeros_like(c0) if bug == "c0 ignored" else c0)
    for t in range(T):
        h_t, c_t, step = cell_forward(x[:, :, t], h_t, c_t, params, bug)
        for k in GATES:
            out[k][:, :, t] = step[k]
        out["h"][:, :, t], out["c"][:, :, t] = h_t, c_t
    return out["h"], out["c"], {"x": x, "h0": h0, "c0": c0, "params": params, **out}


def cell_backward(dh_next, dc_next, cache, bug=None):
    P, x_t, h_prev, c_prev, c_next = (cache[k] for k in ("params", "x_t", "h_prev", "c_prev", "c_next"))
    i, f, g, o = (cache[k] for k in GATES)
    dsig = (lambda s: s) if bug == "sigmoid derivative" else (lambda s: s * (1 - s))
    tc = np.tanh(c_next)
    if bug == "no tanh derivative":
        dc = dc_next + dh_next * o
    elif bug == "dc_next dropped":
        dc = dh_next * o * (1 - tc**2)
    else:
        dc = dc_next + dh_next * o * (1 - tc**2)
    da = {"i": dc * g * dsig(i),
          "f": dc * (c_next if bug == "da_f with c_next" else c_prev) * dsig(f),
          "g": dc * i * (1 - g**2),
          "o": dh_next * tc * dsig(o)}
    grads = {"dx_t": sum(P["U" + k].T @ da[k] for k in GATES),
             "dh_prev": sum(P["W" + k].T @ da[k] for k in GATES),
             "dc_prev": dc if bug == "dc_prev without f" else dc * f}
    if bug == "i f swapped":
        da["i"], da["f"] = da["f"], da["i"]
    for k in GATES:
        grads["dU" + k] = da[k] @ x_t.T
        grads["dW" + k] = da[k] @ h_prev.T
        grads["db" + k] = np.sum(da[k], axis=1, keepdims=True)
    return grads


def backward(dh, cache, bug=None):
    x, h0, c0, h, c, P = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in P.items()}
    dx = np.zeros_like(x)
    dh_prev, dc_prev = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in GATES}
        step.update(x_t=x[:, :, t], params=P, c_next=c[:, :, t], h_prev=h[:, :, t - 1] if t > 0 else h0,
                    c_prev=c[:, :, t - 1] if t > 0 else c0)
        if bug == "c_prev wraps":
            step["c_prev"] = c[:, :, t - 1]
        if bug == "dh mutated":
            dh[:, :, t] += dh_prev
            dh_t = dh[:, :, t]
        else:
            dh_t = dh[:, :, t] + dh_prev
        dc_t = np.zeros_like(c0) if bug == "dc not carried" else dc_prev
        if bug == "carried swapped":  # the two carried gradients handed over in the wrong order
            dh_t, dc_t = dh[:, :, t] + dc_prev, dh_prev
        g = cell_backward(dh_t, dc_t, step, bug)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev, dc_prev = g.pop("dh_prev"), g.pop("dc_prev")
        for k, total in grads.items():
            grads[k] = g[k] if bug == "overwritten" else total + g[k]
    return {"dx": dx, "dh0": dh_prev, "dc0": dc_prev, **grads}


STUDENT = {"lstm_cell_forward": cell_forward, "lstm_forward": forward, "lstm_cell_backward": cell_backward,
           "lstm_backward": backward}


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
    points = {name: run_check(name, ref.__dict__[name], seed=0).max_score for name in STUDENT}
    assert points == {"lstm_cell_forward": 5, "lstm_forward": 5, "lstm_cell_backward": 8, "lstm_backward": 9}


# ---------------------------------------------------------------- the forward pass

@pytest.mark.parametrize("name", ["lstm_cell_forward", "lstm_forward"])
@pytest.mark.parametrize("bug,fragment", [
    ("i f swapped", "the input and forget gates are swapped"),
    ("h = o c", "h_next = o * tanh(c_next)"),
    ("no forget", "the forget gate is not applied to c_prev"),
    ("c squashed", "the cell state is not squashed"),
    ("candidate sigmoid", "the candidate g uses tanh"),
    ("o reads Wf", "the output gate o uses W_f, the forget gate's recurrent weights, where its own W_o belongs"),
    ("h reads c_prev", "h_next squashes the new cell state"),
])
def test_forward_mistakes(name, bug, fragment):
    assert_diagnosed(name, student(name, bug), fragment)


def test_h_equals_o_times_c_keeps_the_cell_state_points():
    result = assert_diagnosed("lstm_cell_forward", student("lstm_cell_forward", "h = o c"), "h_next = o * tanh(c_next)")
    assert {p.part for p in result.parts if p.status != "ok"} == {"h_next values", "cache contents"}


def test_sequence_ignores_c0():
    assert_diagnosed("lstm_forward", student("lstm_forward", "c0 ignored"), "the initial cell state c0 is ignored")


def test_cell_returns_the_states_in_the_wrong_order():
    def lstm_cell_forward(x_t, h_prev, c_prev, params):
        h_next, c_next, cache = cell_forward(x_t, h_prev, c_prev, params)
        return c_next, h_next, cache
    result = assert_diagnosed("lstm_cell_forward", lstm_cell_forward, "c_next holds the values of h_next",
                              "h_next holds the values of c_next", "outputs in the wrong order")
    assert result.score == 2.0  # the shape (both are (n_h, m)) and the cache


# ---------------------------------------------------------------- the backward pass

@pytest.mark.parametrize("name", ["lstm_cell_backward", "lstm_backward"])
@pytest.mark.parametrize("bug,fragment", [
    ("sigmoid derivative", "the sigmoid's derivative is s * (1 - s), not s"),
    ("no tanh derivative", "the gradient from h into c goes through the tanh"),
    ("dc_prev without f", "the forget gate is missing in dc_prev"),
    ("da_f with c_next", "da_f uses c_prev"),
    ("i f swapped", "the gradients of the input and forget gates are swapped"),
])
def test_backward_mistakes(name, bug, fragment):
    assert_diagnosed(name, student(name, bug), fragment)


def test_cell_backward_drops_dc_next():
    assert_diagnosed("lstm_cell_backward", student("lstm_cell_backward", "dc_next dropped"),
                     "the cell state's gradient from the next step is dropped")


def test_backward_cell_gradient_not_carried_across_steps():
    result = assert_diagnosed("lstm_backward", student("lstm_backward", "dc not carried"),
                              "the cell state's gradient is not carried across time")
    assert "dc0 values" in {p.part for p in result.parts if p.status != "ok"}


def test_backward_carried_gradients_swapped():
    assert_diagnosed("lstm_backward", student("lstm_backward", "carried swapped"),
                     "the two carried gradients are swapped")


def test_backward_gradients_not_accumulated():
    result = assert_diagnosed("lstm_backward", student("lstm_backward", "overwritten"),
                              "the parameter gradients are not accumulated across time")
    failed = {p.part for p in result.parts if p.status != "ok"}
    assert {"dx values", "dh0 values", "dc0 values"}.isdisjoint(failed)


def test_backward_first_step_reads_the_last_cell_state():
    assert_diagnosed("lstm_backward", student("lstm_backward", "c_prev wraps"),
                     "c[:, :, t-1] with t = 0 reads the last step")


def test_backward_that_writes_into_dh():
    result = assert_diagnosed("lstm_backward", student("lstm_backward", "dh mutated"),
                              "the function changed its input in place")
    assert result.score == result.max_score - 0.5
