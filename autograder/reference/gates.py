"""What the gated cells (GRU, LSTM) share: the sigmoid, shape checks, and stacked gates.

The gates of a cell are computed together: their input weights are stacked into one matrix
(``stack_gates``), so one product gives every gate's pre-activation, which ``split_rows``
cuts apart again. The helpers below also choose memory layouts so that the loop over time
reads contiguous slices and the sums over batch and time copy whole rows.
"""

from __future__ import annotations

import numpy as np

from .rnn import Params, sum_over_batch_and_time


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic sigmoid ``sigma(a) = 1 / (1 + exp(-a))``, numerically stable, dtype-preserving.

    With ``e = exp(-|a|)``, which never overflows: ``1 / (1 + e)`` for ``a >= 0`` and
    ``e / (1 + e)`` for ``a < 0``. So ``sigma(-1000) = 0`` and ``sigma(1000) = 1`` without
    warnings, and small values keep their relative precision (``sigma(-40) ~ 4.2e-18``).
    """
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1, e) / (1 + e)


def check_layer_shapes(x_name: str, x: np.ndarray, states: dict[str, np.ndarray], params: Params,
                       gates: str, sequence: bool, extra: tuple[str, ...] = ()) -> None:
    """Raise ``ValueError`` unless the inputs, states and parameters of a layer fit together.

    ``n_x`` is read from ``U<gates[0]>``, ``n_h`` from ``W<gates[0]>`` and ``m`` from ``x``;
    then ``x`` must be ``(n_x, m, T)`` (``sequence``) or ``(n_x, m)``, every state
    ``(n_h, m)``, every ``U<g> (n_h, n_x)``, ``W<g> (n_h, n_h)``, ``b<g> (n_h, 1)`` and every
    ``extra`` bias ``(n_h, 1)``. The message names the array, its shape and the expected one.
    """
    names = [p + g for g in gates for p in "UWb"] + list(extra)
    missing = [k for k in names if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected the keys {names}")
    if np.ndim(x) != (3 if sequence else 2):
        layout = "(n_x, m, T)" if sequence else "(n_x, m)"
        raise ValueError(f"{x_name} has shape {np.shape(x)}; expected {layout}")
    U, W = np.shape(params["U" + gates[0]]), np.shape(params["W" + gates[0]])
    n_x, n_h, m = U[-1] if U else 0, W[0] if W else 0, np.shape(x)[1]  # 0 for a scalar, reported below
    expected = {x_name: (n_x, m) + np.shape(x)[2:]} | {s: (n_h, m) for s in states}
    for g in gates:
        expected |= {"U" + g: (n_h, n_x), "W" + g: (n_h, n_h), "b" + g: (n_h, 1)}
    expected |= {k: (n_h, 1) for k in extra}
    arrays = {x_name: x} | states | params
    for name, shape in expected.items():
        if np.shape(arrays[name]) != shape:
            raise ValueError(f"{name} has shape {np.shape(arrays[name])}; expected {shape} (n_x = {n_x} "
                             f"from U{gates[0]}, n_h = {n_h} from W{gates[0]}, m = {m} from {x_name})")


def stack_gates(params: Params, prefix: str, gates: str) -> np.ndarray:
    """``U``, ``W`` or ``b`` of all gates stacked along the rows, in the order of ``gates``: the
    gates of a step then cost one matrix product instead of one each."""
    return np.concatenate([params[prefix + g] for g in gates])


def split_rows(a: np.ndarray, k: int) -> list[np.ndarray]:
    """The ``k`` equal row blocks of a stacked array, as views (cheaper than ``np.split``)."""
    n = a.shape[0] // k
    return [a[j * n:(j + 1) * n] for j in range(k)]


def empty_by_rows(n: int, m: int, T: int, dtype) -> np.ndarray:
    """An uninitialised ``(n, m, T)`` array stored as ``(n, T, m)``: a step's slice is ``n``
    contiguous rows of ``m``, as good for the loop's products as :func:`empty_over_time`, and
    the whole array flattens to ``(n, T m)`` in place for the products after the loop."""
    return np.empty((n, T, m), dtype=dtype).transpose(0, 2, 1)


def each_step(M: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``M a^{<t>}`` for every step of ``a (n, m, T)``, as one product: ``(M.shape[0], m, T)``,
    stored like :func:`empty_by_rows`.

    Here and in :func:`sum_over_steps` the batch and time axes are flattened in the order
    ``(T, m)``, the order in which :func:`empty_over_time` and :func:`empty_by_rows` store them:
    flattening then copies whole rows, or nothing, where the order ``(m, T)`` would transpose
    entry by entry (measured slower than the product itself).
    """
    return np.tensordot(M, a.transpose(0, 2, 1), axes=1).transpose(0, 2, 1)


def sum_over_steps(da: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """:func:`sum_over_batch_and_time` -- ``sum_t da^{<t>} inputs^{<t>T}`` -- flattening as in
    :func:`each_step`."""
    return sum_over_batch_and_time(da.transpose(0, 2, 1), inputs.transpose(0, 2, 1))
