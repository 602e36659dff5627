"""Shared helpers for checking backward passes against centered differences."""

from __future__ import annotations

import numpy as np

from autograder.reference.gradcheck import grad_check

# (n_x, n_h, m, T): square and non-square sizes, one example, one step.
SHAPES = [(3, 5, 4, 6), (1, 1, 1, 1), (4, 3, 1, 1), (2, 7, 1, 5), (5, 2, 3, 1), (6, 4, 2, 3)]
TOLERANCE = 1e-7


def random_params(rng: np.random.Generator, shapes: dict[str, tuple[int, ...]], scale: float = 0.5):
    """float64 Gaussian parameters of the given shapes (biases non-zero, so they are tested)."""
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def assert_gradients(loss, variables: dict[str, np.ndarray], grads: dict[str, np.ndarray],
                     tol: float = TOLERANCE) -> dict[str, float]:
    """Assert that ``grads`` (keyed ``d<name>``) match centered differences of ``loss(variables)``."""
    errors = grad_check(loss, variables, grads)
    bad = {k: v for k, v in errors.items() if not v < tol}
    assert not bad, f"relative errors above {tol:g}: {bad} (all: {errors})"
    return errors
