"""Optimizers shared by the book, the exercises and the capstone.

Each optimizer updates a params dict in place from a grads dict keyed ``"d" + name`` (the
keys every backward function returns). State (moments, accumulators) is kept per name.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    """Base class: ``step(params, grads)`` updates every parameter that has a gradient."""

    def __init__(self, lr: float):
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        self.lr = lr
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        missing = [name for name in params if "d" + name not in grads]
        if missing:
            raise KeyError(f"no gradient for parameters {missing} (expected keys {['d' + n for n in missing]})")
        for name, theta in params.items():
            theta -= self.update(name, grads["d" + name])

    def update(self, name: str, grad: np.ndarray) -> np.ndarray:
        """The amount to subtract from parameter ``name`` given its gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: ``theta <- theta - lr * dtheta``."""

    def update(self, name, grad):
        return self.lr * grad


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer 2011), as in min-char-rnn:
    ``G <- G + dtheta**2``, ``theta <- theta - lr * dtheta / sqrt(G + eps)``."""

    def __init__(self, lr: float = 0.1, eps: float = 1e-8):
        super().__init__(lr)
        self.eps = eps

    def update(self, name, grad):
        s = self.state.setdefault(name, {"G": np.zeros_like(grad)})
        s["G"] += grad**2
        return self.lr * grad / np.sqrt(s["G"] + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction:
    ``v <- b1 v + (1-b1) d``, ``s <- b2 s + (1-b2) d**2``,
    ``theta <- theta - lr * (v / (1-b1**k)) / (sqrt(s / (1-b2**k)) + eps)`` at step k."""

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, name, grad):
        s = self.state.setdefault(name, {"v": np.zeros_like(grad), "s": np.zeros_like(grad), "k": 0})
        s["k"] += 1
        s["v"] = self.beta1 * s["v"] + (1 - self.beta1) * grad
        s["s"] = self.beta2 * s["s"] + (1 - self.beta2) * grad**2
        v_hat = s["v"] / (1 - self.beta1 ** s["k"])
        s_hat = s["s"] / (1 - self.beta2 ** s["k"])
        return self.lr * v_hat / (np.sqrt(s_hat) + self.eps)
