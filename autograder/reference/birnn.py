"""Bidirectional RNNs (chapter 10).

A forward layer reads ``x^{<1>} ... x^{<T>}``, a backward layer reads ``x^{<T>} ... x^{<1>}``;
they share no weights. At every step the output is the forward state stacked over the
backward state, ``[h_f^{<t>}; h_b^{<t>}]`` of shape ``(2 n_h, m)``, as ``torch.nn.RNN``
(``bidirectional=True``) returns it. Both start from zero states.
"""

from __future__ import annotations

import numpy as np

from .cells import check_cell, sequence_backward, sequence_forward


def birnn_forward(x: np.ndarray, params_fwd: dict, params_bwd: dict, cell: str = "rnn", reset_after: bool = False):
    """Args:
        x: ``(n_x, m, T)``.
        params_fwd, params_bwd: parameters of the forward and the backward layer (``cell``'s keys).
        cell: ``"rnn"``, ``"gru"`` or ``"lstm"``; ``reset_after`` selects the GRU form.

    Returns:
        ``(h, cache)``: ``h (2 n_h, m, T)``, forward states in rows ``:n_h``, backward states in
        rows ``n_h:``; ``cache`` has keys ``cell``, ``n_h``, ``forward``, ``backward``.
    """
    check_cell(cell)
    h_f, cache_f = sequence_forward(cell, x, params_fwd, reset_after)
    h_b_reversed, cache_b = sequence_forward(cell, x[:, :, ::-1], params_bwd, reset_after)
    h = np.concatenate([h_f, h_b_reversed[:, :, ::-1]], axis=0)
    return h, {"cell": cell, "n_h": h_f.shape[0], "forward": cache_f, "backward": cache_b}


def birnn_backward(dh: np.ndarray, cache: dict) -> dict:
    """Args:
        dh: gradient with respect to the stacked states, ``(2 n_h, m, T)``.
        cache: from :func:`birnn_forward`.

    Returns:
        dict ``dx (n_x, m, T)``, ``fwd`` (gradients of ``params_fwd``, keyed ``"d" + name``) and
        ``bwd`` (gradients of ``params_bwd``).
    """
    cell, n_h = cache["cell"], cache["n_h"]
    dx_f, grads_f = sequence_backward(cell, dh[:n_h], cache["forward"])
    dx_b_reversed, grads_b = sequence_backward(cell, dh[n_h:, :, ::-1], cache["backward"])
    return {"dx": dx_f + dx_b_reversed[:, :, ::-1], "fwd": grads_f, "bwd": grads_b}
