"""grad_check must pass right gradients and catch wrong ones (a check that cannot fail is no check)."""

import numpy as np
import pytest

from autograder.reference.gradcheck import grad_check, numerical_gradient, relative_error
from autograder.reference.rnn import rnn_backward, rnn_forward


def test_numerical_gradient_of_a_quadratic_is_exact_and_restores_theta():
    theta = np.array([1.0, -2.0, 3.0])
    before = theta.copy()
    g = numerical_gradient(lambda: float(np.sum(theta**2)), theta)
    np.testing.assert_allclose(g, 2 * before, rtol=1e-9)
    np.testing.assert_array_equal(theta, before)


def test_relative_error_ignores_unchecked_entries_and_zero_gradients():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 2.0]), np.array([np.nan, 2.0])) == 0.0
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 2.2)


def _rnn_case(rng):
    p = {"U": rng.standard_normal((4, 3)), "W": rng.standard_normal((4, 4)) * 0.5,
         "b": rng.standard_normal((4, 1))}
    x, h0, G = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2, 5))
    return p, x, h0, G


def test_grad_check_accepts_the_reference_and_flags_a_forgotten_time_sum():
    p, x, h0, G = _rnn_case(np.random.default_rng(3))
    _, cache = rnn_forward(x, h0, p)
    grads = rnn_backward(G, cache)
    loss = lambda q: float(np.sum(G * rnn_forward(x, h0, q)[0]))
    assert max(grad_check(loss, p, grads).values()) < 1e-7

    wrong = dict(grads)
    wrong["dW"] = grads["dW"] / 5  # e.g. a gradient averaged instead of summed over T = 5 steps
    errors = grad_check(loss, p, wrong)
    assert errors["W"] > 0.5 and errors["U"] < 1e-7


def test_grad_check_samples_entries_and_validates_arguments():
    p, x, h0, G = _rnn_case(np.random.default_rng(4))
    grads = rnn_backward(G, rnn_forward(x, h0, p)[1])
    loss = lambda q: float(np.sum(G * rnn_forward(x, h0, q)[0]))
    assert max(grad_check(loss, p, grads, n_checks=3).values()) < 1e-7
    with pytest.raises(KeyError, match="dU"):
        grad_check(loss, p, {k: v for k, v in grads.items() if k != "dU"})
    with pytest.raises(ValueError, match="shape"):
        grad_check(loss, p, grads | {"db": np.zeros((1, 4))})
    with pytest.raises(TypeError, match="float64"):
        grad_check(loss, p | {"b": p["b"].astype(np.float32)}, grads)
