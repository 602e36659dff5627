"""Gradient checking with centered differences (chapter 4).

For a scalar loss ``L(theta)`` the centered difference

    dL/dtheta_j ~ (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps)

has an error of order ``eps**2`` (a one-sided difference: order ``eps``), so in float64 with
``eps = 1e-6`` it agrees with a correct analytic gradient to about 1e-9 relative to the
gradient's size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def numerical_gradient(f: Callable[[], float], theta: np.ndarray, eps: float = 1e-6,
                       indices=None) -> np.ndarray:
    """Centered-difference gradient of ``f()`` with respect to the array ``theta``.

    ``theta`` is perturbed in place, one entry at a time, and restored afterwards, so ``f``
    must read it (e.g. ``theta`` is an entry of the params dict that ``f`` uses).

    Args:
        f: loss of the current parameters, a callable with no arguments returning a float.
        theta: the parameter array, any shape, float64.
        eps: the step.
        indices: flat indices to differentiate; default every entry.

    Returns:
        Array shaped like ``theta``; entries not in ``indices`` are NaN.
    """
    if not theta.flags.c_contiguous:
        raise ValueError("numerical_gradient perturbs theta in place: it must be C-contiguous")
    grad = np.full(theta.shape, np.nan)
    flat, gflat = theta.reshape(-1), grad.reshape(-1)
    for j in range(flat.size) if indices is None else indices:
        old = flat[j]
        flat[j] = old + eps
        f_plus = f()
        flat[j] = old - eps
        f_minus = f()
        flat[j] = old
        gflat[j] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``max_j |analytic_j - numeric_j| / max(max_j |analytic_j|, max_j |numeric_j|)``.

    The largest entrywise discrepancy, relative to the size of the gradient. (Dividing each
    entry by its own size would flag entries that are zero up to rounding.) NaN entries of
    ``numeric`` (not checked) are ignored; 0.0 when both gradients are exactly zero.
    """
    checked = ~np.isnan(numeric)
    a, n = analytic[checked], numeric[checked]
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(n).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.abs(a - n).max(initial=0.0) / scale)


def grad_check(f: Callable[[Mapping[str, np.ndarray]], float], params: Mapping[str, np.ndarray],
               grads: Mapping[str, np.ndarray], eps: float = 1e-6, n_checks: int | None = None,
               rng: np.random.Generator | None = None) -> dict[str, float]:
    """Compare analytic gradients with centered differences, parameter by parameter.

    Args:
        f: ``f(params) -> float``, the loss as a function of the params dict.
        params: name -> float64 array. Each is perturbed in place and restored.
        grads: analytic gradients, keyed ``"d" + name`` (as every backward function returns
            them) or by the bare name.
        eps: the centered-difference step.
        n_checks: check only this many random entries per parameter (default: all).
        rng: generator for choosing the entries (default: seed 0).

    Returns:
        name -> relative error (see :func:`relative_error`); below about 1e-7 means the
        gradient is right, above 1e-3 means it is wrong.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name, theta in params.items():
        analytic = grads.get("d" + name, grads.get(name))
        if analytic is None:
            raise KeyError(f"no analytic gradient for parameter {name!r} (expected key 'd{name}')")
        if np.shape(analytic) != theta.shape:
            raise ValueError(f"gradient d{name} has shape {np.shape(analytic)}, parameter has {theta.shape}")
        if theta.dtype != np.float64:
            raise TypeError(f"parameter {name!r} is {theta.dtype}; gradient checks need float64")
        indices = None
        if n_checks is not None and n_checks < theta.size:
            indices = rng.choice(theta.size, size=n_checks, replace=False)
        numeric = numerical_gradient(lambda: f(params), theta, eps, indices)
        errors[name] = relative_error(np.asarray(analytic, dtype=np.float64), numeric)
    return errors
