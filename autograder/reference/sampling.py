"""Sampling novel sequences from a trained character model (chapter 6)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .cells import cell_step, check_cell, zero_state
from .rnn import softmax


def sample(params: dict[str, np.ndarray], length: int, rng: np.random.Generator, temperature: float = 1.0,
           prime: Sequence[int] = (), cell: str = "rnn", end_id: int | None = None,
           reset_after: bool = False) -> list[int]:
    """Draw a sequence of token ids from a character-level language model.

    The model is one recurrent layer (``cell``'s parameters) and an output layer ``V (n_y, n_h)``,
    ``by (n_y, 1)``, with ``n_x = n_y`` (the vocabulary). Starting from a zero state:

    1. Priming: feed the one-hot ids of ``prime`` through the cell. Without a prime, feed one
       zero vector ``x^{<1>} = 0`` instead (the model's "start of text").
    2. Repeat ``length`` times: ``p = softmax((V h + b_y) / temperature)``; draw
       ``k = rng.choice(n_y, p=p)`` (exactly this call, so a seeded generator gives an exact,
       checkable sequence); append ``k``; stop after ``end_id``; else feed ``onehot(k)`` back.

    ``temperature < 1`` sharpens the distribution (repetitive text), ``> 1`` flattens it
    (diverse, more errors); ``temperature = 0`` takes the argmax (greedy decoding).

    Args:
        params: cell parameters plus ``V``, ``by``.
        length: the most ids to generate.
        rng: a ``numpy.random.Generator``; the only source of randomness.
        temperature: >= 0.
        prime: ids to warm up the hidden state with; they are not part of the result.
        cell: ``"rnn"``, ``"gru"`` or ``"lstm"``.
        end_id: stop once this id has been drawn (it is included in the result).

    Returns:
        The generated ids (without the prime), at most ``length`` of them.
    """
    check_cell(cell)
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    V, by = params["V"], params["by"]
    n_y = V.shape[0]
    if any(not 0 <= k < n_y for k in prime):
        raise ValueError(f"prime ids must lie in [0, {n_y}), got {list(prime)}")

    def one_hot(k):
        x = np.zeros((n_y, 1))
        x[k] = 1.0
        return x

    state = zero_state(cell, params)
    for x_t in [one_hot(k) for k in prime] or [np.zeros((n_y, 1))]:
        state = cell_step(cell, x_t, state, params, reset_after)

    out: list[int] = []
    for _ in range(length):
        z = (V @ state[0] + by).ravel()
        if temperature == 0:
            k = int(np.argmax(z))
        else:
            k = int(rng.choice(n_y, p=softmax(z / temperature)))
        out.append(k)
        if k == end_id:
            break
        state = cell_step(cell, one_hot(k), state, params, reset_after)
    return out
