"""Clipping (chapter 7): worked examples, direction, and Jacobian norms against finite differences."""

import numpy as np
import pytest

from autograder.reference.clipping import clip_by_global_norm, clip_by_value, global_norm, jacobian_norms
from autograder.reference.rnn import rnn_forward


def test_clip_by_value_worked_example_changes_direction():
    grads = {"dW": np.array([[3.0, -0.5]]), "db": np.array([[-7.0]])}
    clipped = clip_by_value(grads, 1.0)
    np.testing.assert_array_equal(clipped["dW"], [[1.0, -0.5]])
    np.testing.assert_array_equal(clipped["db"], [[-1.0]])
    assert grads["dW"][0, 0] == 3.0  # the input is not modified
    cos = np.dot([1.0, -0.5], [3.0, -0.5]) / (np.hypot(1.0, 0.5) * np.hypot(3.0, 0.5))
    assert cos < 0.99  # clipping some entries but not others turns the gradient


def test_clip_by_global_norm_worked_example_keeps_direction():
    grads = {"dW": np.array([[3.0, 0.0]]), "db": np.array([[4.0]])}  # global norm 5
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(clipped["dW"], [[0.6, 0.0]])
    np.testing.assert_allclose(clipped["db"], [[0.8]])
    unchanged, norm = clip_by_global_norm(grads, 10.0)
    np.testing.assert_array_equal(unchanged["dW"], grads["dW"])
    assert global_norm(clipped) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_clipping_rejects_non_positive_limits(bad):
    with pytest.raises(ValueError, match="positive"):
        clip_by_value({"dW": np.ones(2)}, bad)
    with pytest.raises(ValueError, match="positive"):
        clip_by_global_norm({"dW": np.ones(2)}, bad)


def test_jacobian_norms_match_finite_differences():
    rng = np.random.default_rng(0)
    n_x, n_h, m, T = 2, 3, 2, 5
    p = {"U": rng.standard_normal((n_h, n_x)), "W": 1.5 * rng.standard_normal((n_h, n_h)),
         "b": rng.standard_normal((n_h, 1))}
    x = rng.standard_normal((n_x, m, T))
    h, _ = rnn_forward(x, rng.standard_normal((n_h, m)), p)
    norms = jacobian_norms(h, p)
    assert norms.shape == (m, T)
    np.testing.assert_allclose(norms[:, -1], 1.0)
    eps = 1e-6
    for t in range(T - 1):
        for i in range(m):
            # d h^{<T>} / d h^{<t+1>}: rerun the remaining steps from a perturbed state
            J = np.empty((n_h, n_h))
            for j in range(n_h):
                s_plus, s_minus = h[:, i:i + 1, t].copy(), h[:, i:i + 1, t].copy()
                s_plus[j] += eps
                s_minus[j] -= eps
                rest = x[:, i:i + 1, t + 1:]
                diff = rnn_forward(rest, s_plus, p)[0][:, 0, -1] - rnn_forward(rest, s_minus, p)[0][:, 0, -1]
                J[:, j] = diff / (2 * eps)
            assert norms[i, t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7)


def test_jacobian_norms_vanish_with_a_small_recurrent_weight():
    rng = np.random.default_rng(1)
    p = {"U": rng.standard_normal((4, 2)), "W": 0.3 * np.eye(4), "b": np.zeros((4, 1))}
    h, _ = rnn_forward(rng.standard_normal((2, 1, 30)), np.zeros((4, 1)), p)
    norms = jacobian_norms(h, p)[0]
    assert norms[0] < 0.3**25 and np.all(np.diff(norms) > 0)
