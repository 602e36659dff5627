"""A training loop with a progress bar, clipping and a loss history, shared by every chapter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .clipping import clip_by_global_norm, clip_by_value, global_norm
from .optim import Optimizer


@dataclass
class History:
    """Per-step records of one training run."""

    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # global norm before clipping
    diverged_at: int | None = None  # the step whose loss was NaN or infinite, if any

    def smoothed(self, beta: float = 0.98) -> np.ndarray:
        """Exponential moving average of the loss, bias-corrected (for plotting)."""
        out, avg = np.empty(len(self.loss)), 0.0
        for k, value in enumerate(self.loss):
            avg = beta * avg + (1 - beta) * value
            out[k] = avg / (1 - beta ** (k + 1))
        return out


def train(step: Callable[[dict, int], tuple[float, dict]], params: dict[str, np.ndarray],
          optimizer: Optimizer, n_steps: int, *, clip_norm: float | None = None,
          clip_value: float | None = None, progress: bool = False, desc: str = "training",
          history: History | None = None) -> History:
    """Run ``n_steps`` of: loss and gradients, optional clipping, optimizer update.

    Args:
        step: ``step(params, k) -> (loss, grads)`` for step ``k``; grads keyed ``"d" + name``
            (extra keys such as ``dx`` or ``dh0`` are ignored).
        params: updated in place.
        optimizer: :class:`~autograder.reference.optim.SGD`, ``Adagrad`` or ``Adam``.
        n_steps: number of updates.
        clip_norm: clip by global norm to this value (chapter 7).
        clip_value: clip every entry to ``[-clip_value, clip_value]``.
        progress: show a progress bar with the smoothed loss (off by default so that executed
            book pages have reproducible output).
        history: continue an earlier run's history.

    Returns:
        The :class:`History` (loss and gradient norm of every step). Training stops early,
        with ``history.diverged_at`` set, when the loss is NaN or infinite.
    """
    history = History() if history is None else history
    bar = tqdm(range(n_steps), desc=desc, disable=not progress, leave=False)
    for k in bar:
        loss, grads = step(params, k)
        if not np.isfinite(loss):  # exploded: stop, keep the record (chapter 7 plots it)
            history.loss.append(float(loss))
            history.diverged_at = k
            break
        grads = {"d" + name: grads["d" + name] for name in params if "d" + name in grads}
        history.grad_norm.append(global_norm(grads))
        if clip_value is not None:
            grads = clip_by_value(grads, clip_value)
        if clip_norm is not None:
            grads, _ = clip_by_global_norm(grads, clip_norm)
        optimizer.step(params, grads)
        history.loss.append(float(loss))
        if progress and k % 10 == 0:
            bar.set_postfix(loss=f"{history.smoothed()[-1]:.4f}")
    return history
