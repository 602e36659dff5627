"""Deep (stacked) RNNs (chapter 11).

Layer 1 reads the inputs; layer ``l + 1`` reads the hidden states of layer ``l`` at the same
step: ``h^{[l]<t>} = g(U^{[l]} h^{[l-1]<t>} + W^{[l]} h^{[l]<t-1>} + b^{[l]})`` with
``h^{[0]<t>} = x^{<t>}``, as ``torch.nn.RNN(num_layers=L)`` computes it. Every layer starts from
a zero state.
"""

from __future__ import annotations

import numpy as np

from .cells import check_cell, sequence_backward, sequence_forward


def deep_rnn_forward(x: np.ndarray, layers: list[dict], cell: str = "rnn", reset_after: bool = False):
    """Args:
        x: ``(n_x, m, T)``.
        layers: one params dict per layer, bottom first; layer 1's ``U`` is ``(n_h, n_x)``,
            the others' ``(n_h, n_h_below)``.
        cell: ``"rnn"``, ``"gru"`` or ``"lstm"``; ``reset_after`` selects the GRU form.

    Returns:
        ``(h_top, cache)``: the top layer's states ``(n_h, m, T)``; ``cache`` has keys ``cell``
        and ``layers`` (one cache per layer).
    """
    check_cell(cell)
    if not layers:
        raise ValueError("deep_rnn_forward needs at least one layer")
    caches, h = [], x
    for params in layers:
        h, layer_cache = sequence_forward(cell, h, params, reset_after)
        caches.append(layer_cache)
    return h, {"cell": cell, "layers": caches}


def deep_rnn_backward(dh_top: np.ndarray, cache: dict) -> dict:
    """Args:
        dh_top: gradient with respect to the top layer's states, ``(n_h, m, T)``.
        cache: from :func:`deep_rnn_forward`.

    Returns:
        dict ``dx (n_x, m, T)`` and ``layers``: one gradients dict per layer, bottom first,
        keyed ``"d" + name``. The gradient reaching a layer's states from above is that
        layer's ``dh``; its ``dx`` is what it passes down.
    """
    grads, dh = [], dh_top
    for layer_cache in reversed(cache["layers"]):
        dh, layer_grads = sequence_backward(cache["cell"], dh, layer_cache)
        grads.append(layer_grads)
    return {"dx": dh, "layers": grads[::-1]}
