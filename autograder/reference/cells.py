"""One interface over the three recurrent cells, for the models that combine them.

Bidirectional and deep RNNs (chapters 10, 11), sampling (chapter 6) and the capstone work with
any cell. They call these functions with a cell name -- ``"rnn"``, ``"gru"`` or ``"lstm"`` --
instead of special-casing the LSTM's second state everywhere.
"""

from __future__ import annotations

import numpy as np

from .gru import gru_backward, gru_cell_forward, gru_forward, init_gru_params
from .lstm import init_lstm_params, lstm_backward, lstm_cell_forward, lstm_forward
from .rnn import init_rnn_params, rnn_backward, rnn_cell_forward, rnn_forward

CELLS = ("rnn", "gru", "lstm")
STATE_GRADIENTS = ("dx", "dh0", "dc0")  # keys of a backward dict that are not parameters


def check_cell(cell: str) -> None:
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")


def init_params(cell: str, n_x: int, n_h: int, rng: np.random.Generator | None = None,
                reset_after: bool = False, dtype=np.float64) -> dict[str, np.ndarray]:
    """Initial parameters of one recurrent layer of the given cell."""
    check_cell(cell)
    if cell == "rnn":
        return init_rnn_params(n_x, n_h, rng=rng, dtype=dtype)
    if cell == "gru":
        return init_gru_params(n_x, n_h, rng=rng, dtype=dtype, reset_after=reset_after)
    return init_lstm_params(n_x, n_h, rng=rng, dtype=dtype)


def hidden_size(cell: str, params: dict[str, np.ndarray]) -> int:
    """``n_h`` of a layer, read from its first recurrent weight matrix."""
    return params[{"rnn": "W", "gru": "Wu", "lstm": "Wi"}[cell]].shape[0]


def sequence_forward(cell: str, x: np.ndarray, params: dict[str, np.ndarray], reset_after: bool = False):
    """Run a cell over ``x (n_x, m, T)`` from zero initial states.

    Returns ``(h, cache)`` with ``h (n_h, m, T)``; for the LSTM the cell states stay in the cache.
    """
    check_cell(cell)
    n_h, m = hidden_size(cell, params), x.shape[1]
    h0 = np.zeros((n_h, m), dtype=x.dtype)
    if cell == "rnn":
        return rnn_forward(x, h0, params)
    if cell == "gru":
        return gru_forward(x, h0, params, reset_after=reset_after)
    h, _, cache = lstm_forward(x, h0, h0.copy(), params)
    return h, cache


def sequence_backward(cell: str, dh: np.ndarray, cache: dict):
    """Backward of :func:`sequence_forward`: ``(dx, param_grads)``, grads keyed ``"d" + name``."""
    check_cell(cell)
    backward = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}[cell]
    grads = backward(dh, cache)
    return grads["dx"], {k: v for k, v in grads.items() if k not in STATE_GRADIENTS}


def zero_state(cell: str, params: dict[str, np.ndarray], m: int = 1) -> tuple[np.ndarray, ...]:
    """The initial state of one layer: ``(h,)``, or ``(h, c)`` for the LSTM, each ``(n_h, m)``."""
    n_h = hidden_size(cell, params)
    return tuple(np.zeros((n_h, m)) for _ in range(2 if cell == "lstm" else 1))


def cell_step(cell: str, x_t: np.ndarray, state: tuple[np.ndarray, ...], params: dict[str, np.ndarray],
              reset_after: bool = False) -> tuple[np.ndarray, ...]:
    """One step of a cell: the new state tuple (``h`` first) from ``x_t (n_x, m)``."""
    check_cell(cell)
    if cell == "rnn":
        return (rnn_cell_forward(x_t, state[0], params)[0],)
    if cell == "gru":
        return (gru_cell_forward(x_t, state[0], params, reset_after=reset_after)[0],)
    h, c, _ = lstm_cell_forward(x_t, state[0], state[1], params)
    return h, c
