"""Vanishing and exploding gradients (chapter 7): clipping, and Jacobian norms over time."""

from __future__ import annotations

import numpy as np


def clip_by_value(grads: dict[str, np.ndarray], limit: float) -> dict[str, np.ndarray]:
    """Clip every entry of every gradient to ``[-limit, limit]``.

    Cheap, but it changes the gradient's direction whenever some entries are clipped and
    others are not. Returns a new dict; ``grads`` is left untouched.
    """
    if not limit > 0:
        raise ValueError(f"clip limit must be positive, got {limit}")
    return {name: np.clip(g, -limit, limit) for name, g in grads.items()}


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """``sqrt(sum_k ||g_k||_F^2)``: the norm of all gradients seen as one long vector."""
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())))


def clip_by_global_norm(grads: dict[str, np.ndarray], max_norm: float):
    """Rescale all gradients together when their global norm exceeds ``max_norm``.

    ``g <- g * max_norm / ||g||`` if ``||g|| > max_norm`` (Pascanu, Mikolov & Bengio 2013):
    the direction is kept, only the step is shortened.

    Returns:
        ``(clipped, norm)``: a new dict, and the global norm before clipping.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


def jacobian_norms(h: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Spectral norms of ``d h^{<T>} / d h^{<t>}`` for every step t, per example.

    For ``h^{<t>} = tanh(U x^{<t>} + W h^{<t-1>} + b)`` one step's Jacobian is
    ``d h^{<t>} / d h^{<t-1>} = diag(1 - (h^{<t>})**2) W``, and the Jacobian across many steps
    is their product. Its norm shrinks or grows geometrically with ``T - t``: the vanishing
    and exploding gradients of chapter 7.

    Args:
        h: hidden states from :func:`rnn_forward`, ``(n_h, m, T)``.
        params: needs ``W (n_h, n_h)``.

    Returns:
        ``(m, T)``: entry ``[i, t]`` is ``||d h^{<T>} / d h^{<t+1>}||_2`` for example i (with
        0-based t, so the last column is the identity's norm, 1).
    """
    W = params["W"]
    n_h, m, T = h.shape
    norms = np.empty((m, T))
    J = np.broadcast_to(np.eye(n_h), (m, n_h, n_h)).copy()  # d h^{<T>} / d h^{<T>}
    for t in reversed(range(T)):
        norms[:, t] = np.linalg.norm(J, ord=2, axis=(1, 2))
        # chain rule: d h^{<T>}/d h^{<t-1>} = (d h^{<T>}/d h^{<t>}) diag(1 - h_t^2) W
        J = (J * (1.0 - h[:, :, t].T ** 2)[:, None, :]) @ W
    return norms
