"""Checks for assignment 3, the RNN forward pass: softmax, rnn_cell_forward, rnn_forward, output_forward."""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .diagnose import explain_steps, explain_terms
from .inputs import SIZES, label, normal, rnn_params, state, subset
from .spec import Case, Check, Keys, Mistake, NoSideEffects, Shape, Values, register

LARGE = "large logits"


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _relu(a):
    return np.maximum(a, 0.0)


NONLINEARITIES = {
    "sigmoid": "the nonlinearity is the logistic sigmoid; the RNN uses tanh",
    "relu": "the nonlinearity is ReLU; the RNN uses tanh",
    "identity": "no nonlinearity was applied; h = tanh(a)",
}
ACTIVATIONS = {"sigmoid": _sigmoid, "relu": _relu, "identity": lambda a: a}


@register
class Softmax(Check):
    name = "softmax"
    arg_names = ("z",)
    parts = (
        Shape((), 0.5, "shape"),
        Values((), 1.25, "values", when=lambda c: not c.info.get(LARGE)),
        Values((), 1.0, "no overflow for large logits", when=lambda c: c.info.get(LARGE)).states(r"overflow"),
        NoSideEffects(0.25, "z left unchanged"),
    )

    def cases(self, rng):
        cases = [Case("n_y=5, m=3", (normal(rng, 5, 3, scale=2.0),)),
                 Case("n_y=4, m=1", (normal(rng, 4, 1),)),
                 Case("n_y=3, m=2, T=4", (normal(rng, 3, 2, 4, scale=2.0),)),
                 Case("n_y=1, m=3", (normal(rng, 1, 3),))]
        big = normal(rng, 6, 4, scale=3.0)
        big[rng.integers(0, 6, size=4), np.arange(4)] += 1000.0  # exp(1000) overflows float64
        cases.append(Case("n_y=6, m=4, logits near 1000", (big,), info={LARGE: True}))
        near = 1000.0 + normal(rng, 4, 3)  # every logit near 1000: the answer depends on their differences
        cases.append(Case("n_y=4, m=3, every logit near 1000", (near,), info={LARGE: True}))
        apart = normal(rng, 3, 4)
        apart[:, :2] += 1000.0
        apart[:, 2:] -= 1000.0  # one max for the whole array would leave the last columns at exp(-2000)
        cases.append(Case("n_y=3, m=4, columns near +1000 and near -1000", (apart,), info={LARGE: True}))
        return cases

    def expected(self, case):
        return ref.softmax(case.args[0])

    def mistakes(self):
        def naive(case):
            with np.errstate(all="ignore"):
                e = np.exp(case.args[0])
                return e / e.sum(axis=0, keepdims=True)

        def last_axis(case):
            z = case.args[0]
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)

        def whole(case):
            z = case.args[0]
            e = np.exp(z - z.max())
            return e / e.sum()

        def shift_by_row(case):
            z = case.args[0]
            with np.errstate(all="ignore"):
                e = np.exp(z - z.max(axis=-1, keepdims=True))
                return e / e.sum(axis=0, keepdims=True)

        def global_shift(case):
            z = case.args[0]
            with np.errstate(all="ignore"):
                e = np.exp(z - z.max())
                return e / e.sum(axis=0, keepdims=True)

        return [
            Mistake("shift by row", "the maximum subtracted is taken over the wrong axis: subtract each column's "
                    "maximum (over axis 0, the classes), the same number for every class of that column",
                    shift_by_row),
            Mistake("global shift", "one maximum for the whole array is subtracted: a column far below it "
                    "underflows to 0/0; subtract each column's own maximum (over axis 0)", global_shift),
            Mistake("overflow", "exp overflowed: subtract each column's maximum before exp "
                    "(softmax(z) = softmax(z - max z), and then exp never exceeds 1)", naive),
            Mistake("wrong axis", "normalised over the last axis; the classes are axis 0 "
                    "(each column, one example, must sum to 1)", last_axis),
            Mistake("whole array", "normalised over the whole array; each column must sum to 1", whole),
        ]

    def inspect(self, case, path, got, expected):
        """What a wrong softmax shows by itself: values outside [0, 1], columns that do not sum to 1,
        or columns that are right up to a factor (numerator and denominator from different exps)."""
        if not (isinstance(got, np.ndarray) and got.shape == expected.shape and np.isfinite(got).all()):
            return None
        sums = got.sum(axis=0, keepdims=True)
        if not np.allclose(sums, 1.0, rtol=1e-6, atol=1e-9) and np.all(sums > 0):
            with np.errstate(all="ignore"):
                scaled = got / sums
            if np.allclose(scaled, expected, rtol=1e-5, atol=1e-8):
                return ("each column is the softmax times a factor of its own: the numerator and the denominator "
                        "must come from the same exponentials, exp(z - max) with each column's max, so that "
                        "each column sums to 1")
        if got.min() < -1e-12 or got.max() > 1 + 1e-12:
            return ("some values are outside [0, 1], so these are not probabilities (log-probabilities, or logits "
                    "not normalised?): return exp(z - max) divided by its sum over axis 0")
        if not np.allclose(sums, 1.0, rtol=1e-6, atol=1e-9):
            return ("the columns (axis 0, the classes of one example) do not sum to 1: divide exp(z - max) by "
                    "its sum over axis 0, with keepdims=True")
        return None


def _cell_cases(rng):
    cases = []
    for n_x, n_h, _, m, _ in SIZES:
        p = rnn_params(rng, n_x, n_h)
        cases.append(Case(label(n_x=n_x, n_h=n_h, m=m), (normal(rng, n_x, m), state(rng, n_h, m), p)))
    return cases


def _cell(x_t, h_prev, p, act=np.tanh, U=None, W=None, bias=True):
    U = p["U"] if U is None else U
    W = p["W"] if W is None else W
    return act(U @ x_t + W @ h_prev + (p["b"] if bias else 0.0))


def _cell_answer(h_next, case):
    x_t, h_prev, p = case.args
    return h_next, {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": p}


def _cell_mistakes(step, answer):
    """Mistakes shared by the cell and the sequence: ``step(case, **change)`` runs the recurrence
    with one change, ``answer`` wraps the states into the function's return value."""
    square = lambda case: case.args[0].shape[0] == case.args[-1]["U"].shape[0]
    out = [
        Mistake("missing bias", "the bias b is missing: a = U x + W h_prev + b",
                lambda c: answer(step(c, bias=False), c)),
        Mistake("W transposed", "W is transposed: the recurrence is W h_prev with W of shape (n_h, n_h), "
                "row i holding the weights into unit i", lambda c: answer(step(c, W=c.args[-1]["W"].T), c)),
        Mistake("U transposed", "U is transposed: the input term is U x with U of shape (n_h, n_x)",
                lambda c: answer(step(c, U=c.args[-1]["U"].T), c) if square(c) else None),
        Mistake("U and W swapped", "U and W are swapped: U multiplies the input x, W the previous state",
                lambda c: answer(step(c, U=c.args[-1]["W"], W=c.args[-1]["U"]), c) if square(c) else None),
    ]
    out += [Mistake(f"nonlinearity {k}", NONLINEARITIES[k], lambda c, k=k: answer(step(c, act=ACTIVATIONS[k]), c))
            for k in ACTIVATIONS]
    return out


def _cell_terms(x_t, h_prev, p) -> tuple[dict, dict, dict]:
    """The terms an RNN step's pre-activation may be made of, the right coefficients, and which
    term is the transposed variant of which (only where the weight is square)."""
    terms = {"U x_t": p["U"] @ x_t, "W h_prev": p["W"] @ h_prev, "b": p["b"]}
    flipped = {}
    if p["W"].shape[0] > 1:
        terms["W^T h_prev"], flipped["W h_prev"] = p["W"].T @ h_prev, "W^T h_prev"
    if p["U"].shape[0] == p["U"].shape[1] > 1:
        terms["U^T x_t"], flipped["U x_t"] = p["U"].T @ x_t, "U^T x_t"
    return terms, {"U x_t": 1.0, "W h_prev": 1.0, "b": 1.0}, flipped


@register
class RnnCellForward(Check):
    name = "rnn_cell_forward"
    returns = ("h_next", "cache")
    arg_names = ("x_t", "h_prev", "params")
    parts = (
        Shape("h_next", 0.5),
        Values("h_next", 2.0),
        Keys("cache", ["x_t", "h_prev", "h_next", "params"], 0.5),
        Values("cache", 0.75, "cache contents"),
        NoSideEffects(0.25, views=True),
    )

    def inspect(self, case, path, got, expected):
        if path != ("h_next",):
            return None
        terms, right, flipped = _cell_terms(*case.args)
        return explain_terms(got, terms, right, transposed=flipped)

    def cases(self, rng):
        return _cell_cases(rng)

    def expected(self, case):
        return ref.rnn_cell_forward(*case.args)

    def mistakes(self):
        return _cell_mistakes(lambda c, **change: _cell(*c.args, **change), _cell_answer)


def _sequence(x, h0, p, start_zero=False, keep_previous=False, carry="state", **change):
    h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
    h_t = np.zeros_like(h0) if start_zero else h0
    for t in range(x.shape[2]):
        h_new = _cell(x[:, :, t], h_t, p, **change)
        h[:, :, t] = h_t if keep_previous else h_new
        h_t = {"state": h_new, "h0": h0, "zeros": np.zeros_like(h0)}[carry]
    return h


def _sequence_answer(h, case):
    x, h0, p = case.args
    return h, {"x": x, "h0": h0, "h": h, "params": p}


@register
class RnnForward(Check):
    name = "rnn_forward"
    returns = ("h", "cache")
    arg_names = ("x", "h0", "params")
    parts = (
        Shape("h", 0.5),
        Values("h", 2.0),
        Keys("cache", ["x", "h0", "h", "params"], 0.5),
        Values("cache", 0.75, "cache contents"),
        NoSideEffects(0.25, views=True),
    )

    def inspect(self, case, path, got, expected):
        """Read each step of a wrong h as a step of the cell: from which previous state, with which
        terms; else which steps do not follow from the state stored before them."""
        if path != ("h",) or not (isinstance(got, np.ndarray) and got.shape == expected.shape):
            return None
        x, h0, p = case.args
        T = x.shape[2]
        for t in range(T):
            prev = h0 if t == 0 else got[:, :, t - 1]
            terms, right, flipped = _cell_terms(x[:, :, t], prev, p)
            story = explain_terms(got[:, :, t], terms, right, transposed=flipped)
            if story:
                return f"at step t = {t}, {story}"
        return explain_steps("h", got, expected, lambda t, prev: ref.rnn_cell_forward(x[:, :, t], prev, p)[0], h0)

    def cases(self, rng):
        cases = []
        for n_x, n_h, _, m, T in SIZES:
            p = rnn_params(rng, n_x, n_h)
            cases.append(Case(label(n_x=n_x, n_h=n_h, m=m, T=T), (normal(rng, n_x, m, T), state(rng, n_h, m), p)))
        return cases

    def expected(self, case):
        return ref.rnn_forward(*case.args)

    def mistakes(self):
        return _cell_mistakes(lambda c, **change: _sequence(*c.args, **change), _sequence_answer) + [
            Mistake("h0 ignored", "the initial state h0 is ignored: the first step uses h^{<0>} = h0, not zeros",
                    lambda c: _sequence_answer(_sequence(*c.args, start_zero=True), c)),
            Mistake("not carried from h0", "the state is not carried from step to step: every step starts from h0; "
                    "step t must start from the state step t-1 produced",
                    lambda c: _sequence_answer(_sequence(*c.args, carry="h0"), c)),
            Mistake("not carried from zeros", "the state is not carried from step to step: every step starts from "
                    "zeros; step t must start from the state step t-1 produced (h0 for the first)",
                    lambda c: _sequence_answer(_sequence(*c.args, carry="zeros"), c)),
            Mistake("off by one", "off by one in time: h[:, :, t] must hold the state after step t, "
                    "h^{<t+1>} in 0-based code, not the state before it",
                    lambda c: _sequence_answer(_sequence(*c.args, keep_previous=True), c)),
        ]


@register
class OutputForward(Check):
    name = "output_forward"
    returns = ("z", "cache")
    arg_names = ("h", "params")
    parts = (
        Shape("z", 0.5),
        Values("z", 1.5),
        Keys("cache", ["h", "params"], 0.5),
        Values("cache", 0.25, "cache contents"),
        NoSideEffects(0.25, views=True),
    )

    def inspect(self, case, path, got, expected):
        if path != ("z",) or not (isinstance(got, np.ndarray) and got.shape == expected.shape):
            return None
        h, p = case.args
        terms = {"V h": np.einsum("yh,hmt->ymt", p["V"], h), "by": p["by"][:, :, None]}
        flipped = {}
        if p["V"].shape[0] == p["V"].shape[1] > 1:
            terms["V^T h"], flipped["V h"] = np.einsum("hy,hmt->ymt", p["V"], h), "V^T h"
        return explain_terms(got, terms, {"V h": 1.0, "by": 1.0}, nonlinearity="no nonlinearity (the identity)",
                             transposed=flipped)

    def cases(self, rng):
        cases = []
        for _, n_h, n_y, m, T in SIZES:
            p = subset(rnn_params(rng, 1, n_h, n_y), "V by")
            cases.append(Case(label(n_h=n_h, n_y=n_y, m=m, T=T), (state(rng, n_h, m * T).reshape(n_h, m, T), p)))
        return cases

    def expected(self, case):
        return ref.output_forward(*case.args)

    def mistakes(self):
        def z(case, V=None, bias=True, h=None):
            h, p = (case.args[0] if h is None else h), case.args[1]
            V = p["V"] if V is None else V
            return np.einsum("yh,hmt->ymt", V, h) + (p["by"][:, :, None] if bias else 0.0), {"h": h, "params": p}

        return [
            Mistake("missing bias", "the output bias b_y is missing: z = V h + b_y", lambda c: z(c, bias=False)),
            Mistake("V transposed", "V is transposed: V has shape (n_y, n_h)",
                    lambda c: z(c, V=c.args[1]["V"].T) if c.args[1]["V"].shape[0] == c.args[1]["V"].shape[1] else None),
            Mistake("softmax applied", "these are probabilities: output_forward returns the logits z, "
                    "before the softmax", lambda c: (ref.softmax(z(c)[0]), z(c)[1])),
            Mistake("tanh again", "h holds the hidden states, already through tanh: z = V h + b_y reads h as it is "
                    "(tanh applied again squashes it twice)", lambda c: (z(c, h=np.tanh(c.args[0]))[0], z(c)[1])),
        ]
