"""Notation: one-hot vectors, padding with a mask, and batches of shape (n_x, m, T) (chapter 2).

The course writes x^{(i)<t>} for the input of example i at time step t, a vector of n_x
features. A batch of m sequences of T steps is one array ``x`` of shape (n_x, m, T):

    x[:, i, t] = x^{(i)<t>}.

Sequences of different lengths T_x^{(i)} are padded at the end to a common length T, and a
mask records which positions are real:

    mask[i, t] = 1 if t < T_x^{(i)} else 0.

Token ids of a batch have shape (m, T); masks have shape (m, T).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from .language_model import _check_int  # the same argument checks as chapter 1


def _as_int_array(name: str, values) -> np.ndarray:
    """``values`` as an int64 array; raise ValueError unless it holds integers."""
    a = np.asarray(values)
    if a.size == 0:
        return a.astype(np.int64)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {a.dtype}")
    return a.astype(np.int64, copy=False)


def _check_rng(rng) -> None:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")


def one_hot(ids, n: int) -> np.ndarray:
    """One-hot encode integer ids, with the class axis first.

        y[c, ...] = 1 if ids[...] == c else 0,   c = 0 .. n-1

    so ids of shape (m, T) give an array of shape (n, m, T) whose column [:, i, t] is the
    one-hot vector of ids[i, t].

    Args:
        ids: integer array-like of any shape S, with values in [0, n).
        n: int >= 1, the number of classes (the vocabulary size n_x).

    Returns:
        float64 array of shape (n, *S).
    """
    n = _check_int("n", n, 1)
    ids = _as_int_array("ids", ids)
    bad = ids[(ids < 0) | (ids >= n)]
    if bad.size:
        raise ValueError(f"id {bad.flat[0]} is out of range [0, {n})")
    classes = np.arange(n).reshape((n,) + (1,) * ids.ndim)
    return (classes == ids).astype(np.float64)


def pad_sequences(
    seqs: Sequence[Sequence[int]], pad_id: int = 0, length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pad m sequences of ids at the end to a common length T, and build their mask.

        ids[i, t] = seqs[i][t] if t < T_x^{(i)} else pad_id
        mask[i, t] = 1 if t < T_x^{(i)} else 0

    Args:
        seqs: a list of m >= 1 one-dimensional integer sequences, of lengths T_x^{(i)}.
        pad_id: int, the id written at padded positions.
        length: T; default the longest length max_i T_x^{(i)}. Longer sequences are
            truncated to their first T ids.

    Returns:
        (ids, mask): ids int64 of shape (m, T); mask float64 of shape (m, T).
    """
    if len(seqs) == 0:
        raise ValueError("seqs must contain at least one sequence")
    pad_id = _check_int("pad_id", pad_id, -(2**63))
    arrays = [_as_int_array(f"seqs[{i}]", s) for i, s in enumerate(seqs)]
    for i, a in enumerate(arrays):
        if a.ndim != 1:
            raise ValueError(f"seqs[{i}] must be 1-D, got shape {a.shape}")
    if length is None:
        length = max(len(a) for a in arrays)
    T = _check_int("length", length, 0)
    m = len(arrays)
    ids = np.full((m, T), pad_id, dtype=np.int64)
    mask = np.zeros((m, T), dtype=np.float64)
    for i, a in enumerate(arrays):
        T_i = min(len(a), T)
        ids[i, :T_i] = a[:T_i]
        mask[i, :T_i] = 1.0
    return ids, mask


def batch_sequences(
    seqs: Sequence[Sequence[int]], n_x: int, pad_id: int = 0, length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Turn m id sequences into a one-hot batch x of shape (n_x, m, T) and its mask.

        x[:, i, t] = one_hot(ids[i, t]) * mask[i, t]

    i.e. real positions hold one-hot vectors and padded positions hold all-zero vectors.

    Args:
        seqs: a list of m >= 1 one-dimensional integer sequences with ids in [0, n_x).
        n_x: int >= 1, the vocabulary size (number of input features).
        pad_id: int, the id used for padding in ``pad_sequences`` (it never reaches x).
        length: T, as in ``pad_sequences``.

    Returns:
        (x, mask): x float64 of shape (n_x, m, T); mask float64 of shape (m, T).
    """
    n_x = _check_int("n_x", n_x, 1)
    ids, mask = pad_sequences(seqs, pad_id=pad_id, length=length)
    real_ids = np.where(mask > 0, ids, 0)  # any valid id; zeroed by the mask below
    x = one_hot(real_ids, n_x) * mask[np.newaxis, :, :]
    return x, mask


def _check_corpus(ids) -> np.ndarray:
    ids = _as_int_array("ids", ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be a 1-D array, got shape {ids.shape}")
    return ids


def lm_batch(
    ids, seq_len: int, batch_size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a random batch of windows from a corpus for language-model training.

    For each example i a start s_i is drawn uniformly with ``rng.integers`` and

        inputs[i, t]  = ids[s_i + t]
        targets[i, t] = ids[s_i + t + 1]      (the token that follows input t)

    for t = 0 .. T-1, with 0 <= s_i <= len(ids) - T - 1 so that every window fits.

    Args:
        ids: 1-D integer array of the corpus, of length >= seq_len + 1.
        seq_len: T >= 1, the number of time steps.
        batch_size: m >= 1, the number of windows.
        rng: a ``numpy.random.Generator``; the batch is deterministic given its state.

    Returns:
        (inputs, targets): two int64 arrays of shape (m, T).
    """
    ids = _check_corpus(ids)
    T = _check_int("seq_len", seq_len, 1)
    m = _check_int("batch_size", batch_size, 1)
    _check_rng(rng)
    if len(ids) < T + 1:
        raise ValueError(f"the corpus has {len(ids)} ids; a window needs seq_len + 1 = {T + 1}")
    starts = rng.integers(0, len(ids) - T, size=m)  # s_i in [0, len(ids) - T - 1]
    positions = starts[:, np.newaxis] + np.arange(T)[np.newaxis, :]  # (m, T)
    return ids[positions], ids[positions + 1]


def sequential_batches(
    ids, seq_len: int, batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Split a corpus into consecutive windows, in order, for evaluation.

    Window j covers inputs ids[j*T : (j+1)*T] and targets ids[j*T + 1 : (j+1)*T + 1]; the
    windows are grouped batch_size at a time (the last batch may have fewer rows). If
    len(ids) - 1 is not a multiple of T, a final batch holds one shorter window with the
    remaining tokens. Hence every target ids[1:] appears exactly once, and concatenating the
    rows of all batches in order gives back ids[:-1] (inputs) and ids[1:] (targets).

    Each row is an independent sequence (start each from the initial hidden state).

    Args:
        ids: 1-D integer array of the corpus, of length >= 2.
        seq_len: T >= 1, the number of time steps per window.
        batch_size: m >= 1, the number of windows per batch.

    Yields:
        (inputs, targets): int64 arrays of shape (m', T') with m' <= m and T' <= T.
    """
    ids = _check_corpus(ids)
    T = _check_int("seq_len", seq_len, 1)
    m = _check_int("batch_size", batch_size, 1)
    if len(ids) < 2:
        raise ValueError(f"the corpus needs at least 2 ids, got {len(ids)}")
    return _sequential_batches(ids, T, m)


def _sequential_batches(
    ids: np.ndarray, T: int, m: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The generator behind ``sequential_batches`` (arguments already validated)."""
    num_targets = len(ids) - 1
    num_windows = num_targets // T
    inputs = ids[: num_windows * T].reshape(num_windows, T)
    targets = ids[1 : num_windows * T + 1].reshape(num_windows, T)
    for j in range(0, num_windows, m):
        yield inputs[j : j + m].copy(), targets[j : j + m].copy()
    rest = num_windows * T
    if rest < num_targets:
        yield ids[np.newaxis, rest:num_targets].copy(), ids[np.newaxis, rest + 1 :].copy()
