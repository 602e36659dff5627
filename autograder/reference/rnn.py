"""The vanilla RNN: forward pass (chapter 3), backpropagation through time (chapter 4).

Notation (one notation across the book, the exercises and this code):

    a^{<t>} = U x^{<t>} + W h^{<t-1>} + b        pre-activation,  (n_h, m)
    h^{<t>} = tanh(a^{<t>})                        hidden state,    (n_h, m)
    z^{<t>} = V h^{<t>} + b_y                      logits,          (n_y, m)
    yhat^{<t>} = softmax(z^{<t>})                  prediction,      (n_y, m)

A batch of sequences is ``x`` of shape ``(n_x, m, T)`` -- features, examples, time steps -- and
the hidden states over time are ``h`` of shape ``(n_h, m, T)``. Parameters live in a dict:
``U (n_h, n_x)``, ``W (n_h, n_h)``, ``b (n_h, 1)`` for the recurrence, ``V (n_y, n_h)``,
``by (n_y, 1)`` for the output layer. Every backward function returns a dict whose keys are
the forward arguments and parameters with a ``d`` in front (``dx``, ``dU``, ...).

Caches are dicts of arrays, so they can be saved with ``np.savez`` and checked key by key.
"""

from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]
Grads = dict[str, np.ndarray]


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0 (the class axis), numerically stable.

    ``softmax(z)_k = exp(z_k - max_j z_j) / sum_i exp(z_i - max_j z_j)``; subtracting the
    maximum changes nothing mathematically and keeps ``exp`` from overflowing.

    Args:
        z: logits, shape ``(n_y, ...)`` -- e.g. ``(n_y, m)`` or ``(n_y, m, T)``.

    Returns:
        Probabilities, same shape as ``z``; they sum to 1 along axis 0.
    """
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def rnn_cell_forward(x_t: np.ndarray, h_prev: np.ndarray, params: Params):
    """One time step: ``h^{<t>} = tanh(U x^{<t>} + W h^{<t-1>} + b)``.

    Args:
        x_t: input at step t, ``(n_x, m)``.
        h_prev: previous hidden state ``h^{<t-1>}``, ``(n_h, m)``.
        params: ``U (n_h, n_x)``, ``W (n_h, n_h)``, ``b (n_h, 1)``.

    Returns:
        ``(h_next, cache)``: ``h_next`` is ``(n_h, m)``; ``cache`` is a dict with keys
        ``x_t``, ``h_prev``, ``h_next``, ``params``.
    """
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U @ x_t + W @ h_prev + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache


def rnn_cell_backward(dh_next: np.ndarray, cache: dict) -> Grads:
    """Backward pass of one time step.

    With ``da = dh_next * (1 - h_next**2)`` (the derivative of tanh):
    ``dU = da x_t^T``, ``dW = da h_prev^T``, ``db = sum_m da``, ``dx_t = U^T da``,
    ``dh_prev = W^T da``.

    Args:
        dh_next: gradient of the loss with respect to ``h_next``, ``(n_h, m)``.
        cache: from :func:`rnn_cell_forward`.

    Returns:
        dict ``dx_t (n_x, m)``, ``dh_prev (n_h, m)``, ``dU (n_h, n_x)``, ``dW (n_h, n_h)``,
        ``db (n_h, 1)``.
    """
    x_t, h_prev, h_next = cache["x_t"], cache["h_prev"], cache["h_next"]
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1.0 - h_next**2)
    return {
        "dx_t": U.T @ da,
        "dh_prev": W.T @ da,
        "dU": da @ x_t.T,
        "dW": da @ h_prev.T,
        "db": da.sum(axis=1, keepdims=True),
    }


def rnn_forward(x: np.ndarray, h0: np.ndarray, params: Params):
    """Run the RNN cell over a whole sequence, sharing ``U, W, b`` across time.

    Args:
        x: inputs, ``(n_x, m, T)``.
        h0: initial hidden state ``h^{<0>}``, ``(n_h, m)``.
        params: ``U (n_h, n_x)``, ``W (n_h, n_h)``, ``b (n_h, 1)``.

    Returns:
        ``(h, cache)``: ``h`` holds ``h^{<1>} ... h^{<T>}``, shape ``(n_h, m, T)``;
        ``cache`` is a dict with keys ``x``, ``h0``, ``h``, ``params``.
    """
    n_x, m, T = x.shape
    h = empty_over_time(h0.shape[0], m, T, dtype=np.result_type(x, h0, params["W"]))
    x_steps = time_major(x)
    h_t = h0
    for t in range(T):
        h_t, _ = rnn_cell_forward(x_steps[:, :, t], h_t, params)
        h[:, :, t] = h_t
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache


def empty_over_time(n: int, m: int, T: int, dtype) -> np.ndarray:
    """An uninitialised ``(n, m, T)`` array laid out time-major, so that the slice of one step,
    ``a[:, :, t]``, is contiguous in memory: the loops over time read and write whole slices,
    and a strided slice would touch a different cache line for every entry."""
    return np.empty((T, n, m), dtype=dtype).transpose(1, 2, 0)


def time_major(a: np.ndarray) -> np.ndarray:
    """The values of ``a (..., T)`` copied into the layout of :func:`empty_over_time`."""
    return np.ascontiguousarray(np.moveaxis(a, -1, 0)).transpose(*range(1, a.ndim), 0)


def previous_states(h0: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``h^{<t-1>}`` for every step: ``h0`` followed by ``h[..., :-1]``, shape like ``h``
    (laid out as :func:`empty_over_time`)."""
    out = empty_over_time(*h.shape, dtype=h.dtype)
    out[..., 0] = h0
    out[..., 1:] = h[..., :-1]
    return out


def sum_over_batch_and_time(da: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """``sum_t da^{<t>} inputs^{<t>T}`` for ``da (n_a, m, T)``, ``inputs (n_in, m, T)``.

    Shared weights get the sum of every step's contribution; one matrix product over the
    flattened ``(m, T)`` axes computes that sum. Returns ``(n_a, n_in)``.
    """
    return np.tensordot(da, inputs, axes=([1, 2], [1, 2]))


def rnn_backward(dh: np.ndarray, cache: dict) -> Grads:
    """Backpropagation through time.

    ``dh[..., t]`` is the gradient the loss sends into ``h^{<t>}`` directly (from the output
    layer at step t). Walking from ``t = T`` down to 1, the state also receives the gradient
    ``W^T da^{<t+1>}`` from the next step:

        da^{<t>} = (dh^{<t>} + W^T da^{<t+1>}) * (1 - h^{<t>}**2)

    The parameters are shared, so their gradients sum every step's contribution:
    ``dU = sum_t da^{<t>} x^{<t>T}``, ``dW = sum_t da^{<t>} h^{<t-1>T}``, ``db = sum_t da^{<t>}``.

    Args:
        dh: ``(n_h, m, T)``.
        cache: from :func:`rnn_forward`.

    Returns:
        dict ``dx (n_x, m, T)``, ``dh0 (n_h, m)``, ``dU (n_h, n_x)``, ``dW (n_h, n_h)``,
        ``db (n_h, 1)``.
    """
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    U, W = cache["params"]["U"], cache["params"]["W"]
    T = x.shape[2]
    da = empty_over_time(*h.shape, dtype=h.dtype)
    dh = time_major(dh)
    dh_from_next = np.zeros_like(h0)  # W^T da^{<t+1>}; nothing comes after the last step
    for t in reversed(range(T)):
        da[:, :, t] = (dh[:, :, t] + dh_from_next) * (1.0 - h[:, :, t] ** 2)
        dh_from_next = W.T @ da[:, :, t]
    return {
        "dx": np.tensordot(U.T, da, axes=1),
        "dh0": dh_from_next,
        "dU": sum_over_batch_and_time(da, x),
        "dW": sum_over_batch_and_time(da, previous_states(h0, h)),
        "db": da.sum(axis=(1, 2))[:, None],
    }


def output_forward(h: np.ndarray, params: Params):
    """Logits at every step: ``z^{<t>} = V h^{<t>} + b_y``.

    Args:
        h: hidden states, ``(n_h, m, T)`` (or ``(n_h, m)`` for one step).
        params: ``V (n_y, n_h)``, ``by (n_y, 1)``.

    Returns:
        ``(z, cache)``: ``z`` is ``(n_y, m, T)`` (same trailing axes as ``h``); ``cache`` is a
        dict with keys ``h``, ``params``.
    """
    V, by = params["V"], params["by"]
    z = np.tensordot(V, h, axes=1) + by.reshape(by.shape[0], *([1] * (h.ndim - 1)))
    return z, {"h": h, "params": params}


def output_backward(dz: np.ndarray, cache: dict) -> Grads:
    """Backward pass of :func:`output_forward`.

    ``dh = V^T dz``, ``dV = sum_t dz^{<t>} h^{<t>T}``, ``dby = sum_t dz^{<t>}``.

    Args:
        dz: ``(n_y, m, T)`` (same shape as the logits).
        cache: from :func:`output_forward`.

    Returns:
        dict ``dh (n_h, m, T)``, ``dV (n_y, n_h)``, ``dby (n_y, 1)``.
    """
    h, V = cache["h"], cache["params"]["V"]
    rest = tuple(range(1, h.ndim))
    return {
        "dh": np.tensordot(V.T, dz, axes=1),
        "dV": np.tensordot(dz, h, axes=(rest, rest)),
        "dby": dz.sum(axis=rest)[:, None],
    }


def softmax_cross_entropy(z: np.ndarray, y: np.ndarray, mask: np.ndarray | None = None):
    """Mean cross-entropy of ``softmax(z)`` against integer targets, and its gradient.

    ``L = -(1 / N) sum_{i,t} mask^{(i)<t>} log yhat^{(i)<t>}_{y^{(i)<t>}}``, with ``N`` the
    number of unmasked positions; ``dz = (yhat - onehot(y)) * mask / N``.

    Args:
        z: logits, ``(n_y, m, T)`` (or ``(n_y, m)``).
        y: integer targets in ``[0, n_y)``, ``(m, T)`` (the trailing shape of ``z``).
        mask: optional weights ``(m, T)``, 1 for real positions and 0 for padding.

    Returns:
        ``(loss, dz)``: a float, and ``dz`` with the shape of ``z``.
    """
    y = np.asarray(y)
    if y.shape != z.shape[1:]:
        raise ValueError(f"targets y have shape {y.shape}; expected {z.shape[1:]} to match z {z.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"targets y must be integer class ids, got dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= z.shape[0]):
        raise ValueError(f"targets y must lie in [0, {z.shape[0]}), got values in [{y.min()}, {y.max()}]")
    mask = np.ones(y.shape, dtype=z.dtype) if mask is None else np.asarray(mask, dtype=z.dtype)
    if mask.shape != y.shape:
        raise ValueError(f"mask has shape {mask.shape}; expected {y.shape} like y")
    n = mask.sum()
    if n <= 0:
        raise ValueError("mask selects no position: the mean loss is undefined")

    shifted = z - z.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    picked = np.take_along_axis(log_probs, y[None], axis=0)[0]
    loss = -(picked * mask).sum() / n

    dz = np.exp(log_probs)
    np.put_along_axis(dz, y[None], np.take_along_axis(dz, y[None], axis=0) - 1.0, axis=0)
    dz *= mask / n
    return float(loss), dz


def init_rnn_params(n_x: int, n_h: int, n_y: int | None = None, rng: np.random.Generator | None = None,
                    dtype=np.float64) -> Params:
    """Initial parameters: ``U, V`` scaled by ``1/sqrt(fan_in)``, ``W`` orthogonal, biases zero.

    An orthogonal ``W`` neither shrinks nor grows the state at the start (chapter 7).
    Returns ``U (n_h, n_x)``, ``W (n_h, n_h)``, ``b (n_h, 1)`` and, when ``n_y`` is given,
    ``V (n_y, n_h)``, ``by (n_y, 1)``.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params = {
        "U": rng.standard_normal((n_h, n_x)) / np.sqrt(n_x),
        "W": orthogonal(n_h, rng),
        "b": np.zeros((n_h, 1)),
    }
    if n_y is not None:
        params["V"] = rng.standard_normal((n_y, n_h)) / np.sqrt(n_h)
        params["by"] = np.zeros((n_y, 1))
    return {k: v.astype(dtype) for k, v in params.items()}


def orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random ``(n, n)`` orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))
