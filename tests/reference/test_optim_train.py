"""Optimizers and the training loop: first steps computed by hand, and convergence."""

import numpy as np
import pytest

from autograder.reference.optim import SGD, Adagrad, Adam
from autograder.reference.train import History, train


def test_sgd_step_worked_example():
    params = {"w": np.array([1.0, 2.0])}
    SGD(lr=0.5).step(params, {"dw": np.array([2.0, -2.0])})
    np.testing.assert_array_equal(params["w"], [0.0, 3.0])


def test_adagrad_and_adam_first_steps_worked_example():
    g = {"dw": np.array([4.0, -0.01])}
    p = {"w": np.zeros(2)}
    Adagrad(lr=0.1, eps=0.0).step(p, g)  # first step: lr * g / |g| = lr * sign(g)
    np.testing.assert_allclose(p["w"], [-0.1, 0.1])
    p = {"w": np.zeros(2)}
    Adam(lr=0.01, eps=0.0).step(p, g)  # bias correction makes the first step lr * sign(g) too
    np.testing.assert_allclose(p["w"], [-0.01, 0.01])


@pytest.mark.parametrize("opt", [SGD(0.1), Adagrad(0.5), Adam(0.05)])
def test_optimizers_minimise_a_quadratic(opt):
    target = np.array([[1.0, -2.0], [0.5, 3.0]])
    params = {"w": np.zeros((2, 2))}

    def step(params, k):
        diff = params["w"] - target
        return float(np.sum(diff**2)), {"dw": 2 * diff}

    history = train(step, params, opt, 500)
    assert len(history.loss) == 500 and history.loss[-1] < 1e-4 * history.loss[0]
    np.testing.assert_allclose(params["w"], target, atol=2e-2)


def test_optimizer_rejects_missing_gradient_and_bad_rate():
    with pytest.raises(KeyError, match="dv"):
        SGD(0.1).step({"w": np.zeros(1), "v": np.zeros(1)}, {"dw": np.ones(1)})
    with pytest.raises(ValueError, match="positive"):
        Adam(lr=0.0)


def test_train_records_norm_before_clipping_and_clips():
    params = {"w": np.zeros(2)}
    grad = np.array([30.0, 40.0])
    history = train(lambda p, k: (1.0, {"dw": grad, "dx": np.ones(3)}), params, SGD(1.0), 2, clip_norm=5.0)
    assert history.grad_norm == [50.0, 50.0]
    np.testing.assert_allclose(params["w"], [-6.0, -8.0])  # two steps of the clipped (3, 4)
    params = {"w": np.zeros(2)}
    train(lambda p, k: (1.0, {"dw": grad}), params, SGD(1.0), 1, clip_value=1.0)
    np.testing.assert_array_equal(params["w"], [-1.0, -1.0])


def test_train_stops_when_the_loss_explodes():
    calls = []

    def step(params, k):
        calls.append(k)
        return (np.inf if k == 3 else 1.0), {"dw": np.ones(1)}

    history = train(step, {"w": np.zeros(1)}, SGD(0.1), 10)
    assert history.diverged_at == 3 and calls == [0, 1, 2, 3] and len(history.loss) == 4


def test_history_smoothed_is_bias_corrected():
    h = History(loss=[2.0, 2.0, 2.0])
    np.testing.assert_allclose(h.smoothed(), [2.0, 2.0, 2.0])
