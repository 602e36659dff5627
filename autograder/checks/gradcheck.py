"""Checks for assignment 4b's gradient checker: grad_check.

``grad_check`` returns numbers that are themselves numerical estimates, so it is graded by bands
(a right gradient below 1e-7, a wrong one above 1e-3) and by the size of the relative error of a
wrong gradient within 5 %, never to the last digit; a failure is matched with modelled slips (a
one-sided difference, eps instead of 2 eps, a perturbation f never sees, the error by norms, ...).
"""

from __future__ import annotations

import math

import numpy as np

from autograder import reference as ref

from .bptt import Unchanged
from .harness import FUNCTIONS, Fn, Rng, build
from .inputs import normal
from .spec import (
    Case,
    Check,
    Custom,
    Diagnosis,
    Part,
    register,
)

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
        ErrorBand("right gradients < 1e-7", 1.5, right=True, when=lambda c: c.info["right"]).states(
            r"1e-7|10\^\{?-7"),
        ErrorBand("wrong gradients > 1e-3", 1.0, right=False,
                  when=lambda c: set(c.info["params"]) - c.info["right"]).states(r"1e-3|10\^\{?-3"),
        ErrorFormula("relative error formula", 1.0,
                     when=lambda c: c.info["full"] and set(c.info["params"]) - c.info["right"]).states(r"max"),
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
        A2 = {"V": rng.uniform(1.0, 2.0, (2, 5)), "by": rng.uniform(1.5, 2.0, (2, 1))}
        theta2 = {"V": normal(rng, 2, 5, scale=0.5), "by": normal(rng, 2, 1, scale=0.5)}
        grads2 = {"dV": A2["V"] ** 2 * theta2["V"], "dby": A2["by"] * theta2["by"]}  # dby misses a factor A
        add("quadratic loss, V (2, 5), by (2, 1), dby wrong", Fn("quadratic_loss", A2), theta2, grads2, ["V"])
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
