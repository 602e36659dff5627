"""Checks for assignment 7, exploding and vanishing gradients: clip_by_value, clip_by_global_norm, jacobian_norms.

Also ``global_norm``, which the chapter's exercise lists. The clipping functions take a dict of
gradients and must return a new dict of new arrays, leaving the caller's gradients untouched:
that is graded (``NoSideEffects``) on every case, including the ones where nothing is clipped
and returning the input itself is the tempting shortcut. Clipping is graded separately where it
engages and where it must not change anything.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from autograder import reference as ref

from .inputs import SIZES, label, normal, rnn_params, state
from .spec import Case, Check, Custom, Mistake, NoSideEffects, Shape, Values, register

CLIPS = "clips"  # case.info: the limit / threshold engages on this case


def _grads(rng, n_x, n_h, n_y, spike: float = 0.0) -> dict:
    """A vanilla RNN's gradients (the shapes of U, W, b, V, by), with one large entry in dW."""
    g = {"dU": normal(rng, n_h, n_x), "dW": normal(rng, n_h, n_h), "db": normal(rng, n_h, 1, scale=0.5),
         "dV": normal(rng, n_y, n_h), "dby": normal(rng, n_y, 1, scale=0.5)}
    if spike:
        i, j = rng.integers(0, n_h, size=2)
        g["dW"][i, j] = spike * np.sign(g["dW"][i, j])
    return g


def _gradient_sets(rng) -> list[tuple[str, dict]]:
    """Gradient dicts of the SIZES, one with a spike, and a dict holding a single gradient."""
    sets = []
    for k, (n_x, n_h, n_y, _, _) in enumerate(SIZES):
        sets.append((label(n_x=n_x, n_h=n_h, n_y=n_y), _grads(rng, n_x, n_h, n_y, spike=40.0 if k == 2 else 0.0)))
    sets.append(("a single gradient dW (3, 3)", {"dW": normal(rng, 3, 3, scale=2.0)}))
    return sets


def _names_kept(case, value, want):
    """The result is a dict with the same gradient names as the input."""
    if not isinstance(value, dict):
        return f"the result is a {type(value).__name__}; expected a dict of gradients"
    given = set(case.args[0])
    if set(value) != given:
        missing, extra = sorted(given - set(value)), sorted(set(value) - given)
        return "; ".join(filter(None, [missing and f"missing gradients {missing}",
                                       extra and f"unexpected entries {extra}"])) + " (keep the input's names)"
    return None


def _norm(grads) -> float:
    return float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))


# ---------------------------------------------------------------- clip_by_value

@register
class ClipByValue(Check):
    name = "clip_by_value"
    parts: ClassVar[list] = [
        Custom("same gradient names", 0.5, _names_kept),
        Values((), 2.0, "entries clipped to [-limit, limit]", when=lambda c: c.info[CLIPS]),
        Values((), 0.5, "unchanged within the limit", when=lambda c: not c.info[CLIPS]),
        NoSideEffects(1.0, "new arrays, inputs unchanged"),
    ]

    def cases(self, rng):
        cases = []
        for k, (text, g) in enumerate(_gradient_sets(rng)):
            entries = np.abs(np.concatenate([v.ravel() for v in g.values()]))
            # k == 1: every entry already within the limit; otherwise 60% of the entries are clipped, on both sides
            limit = float(entries.max()) * 1.5 if k == 1 else float(np.quantile(entries, 0.4))
            cases.append(Case(f"{text}, limit {'above every entry' if k == 1 else 'engaged'}", (g, limit),
                              info={CLIPS: k != 1}))
        return cases

    def expected(self, case):
        return ref.clip_by_value(*case.args)

    def mistakes(self):
        def each(fn):
            return lambda c: {k: fn(g, c.args[1]) for k, g in c.args[0].items()}

        def by_tensor_norm(g, limit):
            n = np.linalg.norm(g)
            return g * (limit / n) if n > limit else g.copy()

        return [
            Mistake("upper side only", "only the upper side was clipped: entries below -limit must become -limit "
                    "too, np.clip(g, -limit, limit)", each(lambda g, c: np.minimum(g, c))),
            Mistake("lower side only", "only the lower side was clipped: entries above limit must become limit "
                    "too, np.clip(g, -limit, limit)", each(lambda g, c: np.maximum(g, -c))),
            Mistake("sign lost", "the signs were lost (the absolute value was clipped): a clipped entry keeps "
                    "its sign, np.clip(g, -limit, limit)", each(lambda g, c: np.minimum(np.abs(g), c))),
            Mistake("clipped by norm", "each gradient was rescaled by its norm; clipping by value clips every "
                    "entry on its own to [-limit, limit]", each(by_tensor_norm)),
        ]


# ---------------------------------------------------------------- global_norm

@register
class GlobalNorm(Check):
    name = "global_norm"
    parts: ClassVar[list] = [
        Values((), 1.0, "norm of one gradient", when=lambda c: len(c.args[0]) == 1),
        Values((), 1.0, "norm of several gradients", when=lambda c: len(c.args[0]) > 1),
    ]

    def cases(self, rng):
        return [Case(text, (g,)) for text, g in _gradient_sets(rng)] + \
            [Case("a single gradient db (4, 1)", ({"db": normal(rng, 4, 1)},))]

    def expected(self, case):
        return ref.global_norm(case.args[0])

    def mistakes(self):
        def total(fn):
            return lambda c: float(fn(list(c.args[0].values())))

        return [
            Mistake("no square root", "this is the sum of squares; the norm is its square root",
                    total(lambda gs: sum(np.sum(g**2) for g in gs))),
            Mistake("sum of norms", "this is the sum of the gradients' norms; the global norm is "
                    "sqrt(sum_k ||g_k||_F^2), the norm of all entries seen as one vector",
                    total(lambda gs: sum(np.linalg.norm(g) for g in gs))),
            Mistake("largest norm", "this is the largest of the gradients' norms; the global norm combines all "
                    "of them, sqrt(sum_k ||g_k||_F^2)", total(lambda gs: max(np.linalg.norm(g) for g in gs))),
            Mistake("mean of squares", "this is a root mean square; the norm sums the squares (no division by "
                    "the number of entries)",
                    total(lambda gs: np.sqrt(np.mean(np.concatenate([g.ravel() for g in gs])**2)))),
            Mistake("sum of entries", "the entries were summed without squaring; square them first, "
                    "sqrt(sum of g**2)", total(lambda gs: np.sqrt(abs(sum(np.sum(g) for g in gs))))),
        ]


# ---------------------------------------------------------------- clip_by_global_norm

@register
class ClipByGlobalNorm(Check):
    name = "clip_by_global_norm"
    returns = ("clipped", "norm")
    parts: ClassVar[list] = [
        Values("norm", 1.0, "norm before clipping"),
        Values("clipped", 2.0, "rescaled above max_norm", when=lambda c: c.info[CLIPS]),
        Values("clipped", 1.0, "unchanged below max_norm", when=lambda c: not c.info[CLIPS]),
        NoSideEffects(1.0, "new arrays, inputs unchanged"),
    ]

    def cases(self, rng):
        cases = []
        for k, (text, g) in enumerate(_gradient_sets(rng)):
            norm = _norm(g)
            clips = k not in (1, 3)
            max_norm = norm * (0.25 if clips else 1.6)
            if k == 0:
                max_norm = max(1, round(max_norm))  # a whole number, given as a Python int
            cases.append(Case(f"{text}, norm {'above' if clips else 'below'} max_norm", (g, max_norm),
                              info={CLIPS: clips}))
        return cases

    def expected(self, case):
        return ref.clip_by_global_norm(*case.args)

    def mistakes(self):
        def rescale(norm_of=_norm, factor=None, always=False, report=None):
            """Scale by ``factor(norm, max_norm)`` when ``norm_of(grads) > max_norm`` (or always)."""
            def answer(c):
                grads, max_norm = c.args
                n = norm_of(grads)
                s = (factor or (lambda n, t: t / n))(n, max_norm) if always or n > max_norm else 1.0
                clipped = {k: g * s for k, g in grads.items()}
                return clipped, (report(clipped) if report else n)
            return answer

        def per_tensor(c):
            grads, max_norm = c.args
            out = {}
            for k, g in grads.items():
                n = np.linalg.norm(g)
                out[k] = g * (max_norm / n) if n > max_norm else g.copy()
            return out, _norm(grads)

        def by_value(c):
            grads, max_norm = c.args
            return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, _norm(grads)

        return [
            Mistake("per-tensor norm", "each gradient was clipped by its own norm, which changes the direction; "
                    "scale all of them by the same factor max_norm / ||g||, with ||g|| the global norm", per_tensor),
            Mistake("always scaled", "the gradients were rescaled although their global norm is below max_norm; "
                    "scale only when ||g|| > max_norm, otherwise return them unchanged", rescale(always=True)),
            Mistake("inverted factor", "the scale factor is inverted: multiply by max_norm / ||g||, not ||g|| / "
                    "max_norm", rescale(factor=lambda n, t: n / t)),
            Mistake("no square root", "the norm is a sum of squares; the global norm is its square root",
                    rescale(norm_of=lambda g: _norm(g) ** 2)),
            Mistake("sum of norms", "the global norm is not the sum of the gradients' norms: it is "
                    "sqrt(sum_k ||g_k||_F^2), the norm of all entries as one vector",
                    rescale(norm_of=lambda g: float(sum(np.linalg.norm(v) for v in g.values())))),
            Mistake("norm after clipping", "the norm returned is the one after clipping; return the global norm "
                    "before clipping (the number training logs)", rescale(report=_norm)),
            Mistake("clipped by value", "the entries were clipped by value; clipping by global norm multiplies "
                    "every gradient by the same factor max_norm / ||g||", by_value),
        ]


# ---------------------------------------------------------------- jacobian_norms

def _jacobian_norms(h, W, slope=lambda hk: 1.0 - hk**2, factor_side="rows", order="right", prev_state=False,
                    record_after=False, frobenius=False):
    """``||d h^{<T>} / d h^{<t+1>}||`` per example and step, with switches for the wrong variants:
    the slope function, the side of W it scales (rows: diag(s) W), the side on which each step's
    factor joins the product, the state the slope is taken at, and when the norm is recorded."""
    n_h, m, T = h.shape
    norms = np.empty((m, T))
    J = np.broadcast_to(np.eye(n_h), (m, n_h, n_h)).copy()
    for t in reversed(range(T)):
        if not record_after:
            norms[:, t] = _matrix_norms(J, frobenius)
        s = slope(h[:, :, t - 1] if prev_state else h[:, :, t]).T  # (m, n_h)
        step = s[:, :, None] * W if factor_side == "rows" else W * s[:, None, :]
        J = J @ step if order == "right" else step @ J
        if record_after:
            norms[:, t] = _matrix_norms(J, frobenius)
    return norms


def _matrix_norms(J, frobenius):
    return np.sqrt((J**2).sum(axis=(1, 2))) if frobenius else np.linalg.norm(J, ord=2, axis=(1, 2))


def _last_column_is_one(case, value, want):
    """Column T - 1 is ||d h^{<T>} / d h^{<T>}|| = ||I|| = 1 for every example."""
    if not isinstance(value, np.ndarray) or value.shape != want.shape:
        return "needs the result's shape (m, T) first"
    if not np.abs(value[:, -1] - 1.0).max() <= 1e-6:
        return "the last column must be ||d h^{<T>} / d h^{<T>}|| = ||I|| = 1: no Jacobian factor yet"
    return None


# (n_h, m, T, s): the spectral scale s of W; a long sequence where the norms vanish, one where they grow
JACOBIAN_SIZES = [(5, 4, 6, 0.9), (3, 1, 1, 1.0), (6, 1, 5, 1.6), (4, 3, 3, 1.2), (5, 2, 12, 0.7), (4, 2, 10, 2.5)]


@register
class JacobianNorms(Check):
    name = "jacobian_norms"
    parts: ClassVar[list] = [
        Shape((), 0.5, "shape (m, T)"),
        Custom("last step: the identity, norm 1", 0.5, _last_column_is_one).states(r"identity|norm (of )?1"),
        Values((), 3.0, "values", atol=0.0),
    ]

    def cases(self, rng):
        cases = []
        for n_h, m, T, s in JACOBIAN_SIZES:
            n_x = 3
            p = rnn_params(rng, n_x, n_h)
            q, r = np.linalg.qr(rng.standard_normal((n_h, n_h)))
            p["W"] = s * q * np.sign(np.diag(r)) @ np.diag(rng.uniform(0.6, 1.4, n_h))  # non-symmetric, scale ~s
            h, _ = ref.rnn_forward(normal(rng, n_x, m, T), state(rng, n_h, m), p)
            cases.append(Case(label(n_h=n_h, m=m, T=T) + f", W of scale {s:g}", (np.ascontiguousarray(h), p)))
        return cases

    def expected(self, case):
        return ref.jacobian_norms(*case.args)

    def mistakes(self):
        def variant(**change):
            return lambda c: _jacobian_norms(c.args[0], c.args[1]["W"], **change)

        def transposed(c):
            h, p = c.args
            return _jacobian_norms(h, p["W"].T)

        return [
            Mistake("no tanh derivative", "the tanh derivative is missing: each step's Jacobian is "
                    "diag(1 - h^2) W, not W", variant(slope=lambda hk: np.ones_like(hk))),
            Mistake("tanh applied again", "the slope was computed as 1 - tanh(h)^2, but h is already tanh(a): "
                    "the slope is 1 - h^2", variant(slope=lambda hk: 1.0 - np.tanh(hk) ** 2)),
            Mistake("slope on the columns", "the slopes scale the columns of W; diag(1 - h^2) W scales row i by "
                    "unit i's slope (with a 1-D slope vector s, use s[:, None] * W)", variant(factor_side="columns")),
            Mistake("wrong order", "the product is in the wrong order: d h^{<T>}/d h^{<t>} = J^{<T>} J^{<T-1>} ... "
                    "J^{<t+1>}, so walking back in time each new factor joins on the right", variant(order="left")),
            Mistake("W transposed", "W is transposed: the one-step Jacobian is diag(1 - h^2) W (row i of W holds "
                    "the weights into unit i)", transposed),
            Mistake("slope of the previous state", "off by one in time: the factor of step k uses the slope at "
                    "h^{<k>}, the state that step produces, not at h^{<k-1>}", variant(prev_state=True)),
            Mistake("one factor too many", "off by one in time: column t holds ||d h^{<T>} / d h^{<t+1>}||, the "
                    "product of the factors of the later steps only (the last column is the identity, norm 1)",
                    variant(record_after=True)),
            Mistake("Frobenius norm", "this is the Frobenius norm; the spectral norm is the largest singular "
                    "value, np.linalg.norm(J, ord=2)", variant(frobenius=True)),
            Mistake("columns reversed", "the columns are reversed: column t is for step t (the last column is the "
                    "last step), not for the distance T - t", lambda c: ref.jacobian_norms(*c.args)[:, ::-1]),
            Mistake("batch mean", "the norms were averaged over the examples; return one norm per example and "
                    "step, shape (m, T)", lambda c: ref.jacobian_norms(*c.args).mean(axis=0)),
        ]
