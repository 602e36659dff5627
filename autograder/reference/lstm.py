"""The long short-term memory (LSTM): forward pass and backpropagation through time (chapter 8).

Notation (the book's; ``*`` is the elementwise product, sigma the logistic sigmoid); the
gates and their order are those of ``torch.nn.LSTM``:

    i^{<t>} = sigma(U_i x^{<t>} + W_i h^{<t-1>} + b_i)        input gate,     (n_h, m)
    f^{<t>} = sigma(U_f x^{<t>} + W_f h^{<t-1>} + b_f)        forget gate,    (n_h, m)
    g^{<t>} = tanh(U_g x^{<t>} + W_g h^{<t-1>} + b_g)         candidate,      (n_h, m)
    o^{<t>} = sigma(U_o x^{<t>} + W_o h^{<t-1>} + b_o)        output gate,    (n_h, m)
    c^{<t>} = f^{<t>} * c^{<t-1>} + i^{<t>} * g^{<t>}         cell state,     (n_h, m)
    h^{<t>} = o^{<t>} * tanh(c^{<t>})                         hidden state,   (n_h, m)

Shapes as for the vanilla RNN: ``x (n_x, m, T)``, states ``(n_h, m)``, states over time
``(n_h, m, T)``. Parameters: ``Ui Uf Ug Uo (n_h, n_x)``, ``Wi Wf Wg Wo (n_h, n_h)``,
``bi bf bg bo (n_h, 1)``. Backward functions return dicts keyed ``"d" + name``; caches are
dicts of arrays.
"""

from __future__ import annotations

import numpy as np

from .gru import check_layer_shapes, sigmoid
from .rnn import (
    Grads, Params, empty_over_time, orthogonal, previous_states, sum_over_batch_and_time, time_major,
)

GATES = "ifgo"  # parameter suffixes: input, forget, candidate, output (torch.nn.LSTM's order)


def _lstm_step(x_t, h_prev, c_prev, params):
    """One step without shape checks: ``(i, f, g, o, c_next, h_next)``."""
    def pre(k):
        return params["U" + k] @ x_t + params["W" + k] @ h_prev + params["b" + k]

    i, f, g, o = sigmoid(pre("i")), sigmoid(pre("f")), np.tanh(pre("g")), sigmoid(pre("o"))
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return i, f, g, o, c_next, h_next


def lstm_cell_forward(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, params: Params):
    """One time step of the LSTM (equations in the module docstring).

    Args:
        x_t: input at step t, ``(n_x, m)``.
        h_prev: previous hidden state ``h^{<t-1>}``, ``(n_h, m)``.
        c_prev: previous cell state ``c^{<t-1>}``, ``(n_h, m)``.
        params: ``Ui Uf Ug Uo (n_h, n_x)``, ``Wi Wf Wg Wo (n_h, n_h)``, ``bi bf bg bo (n_h, 1)``.

    Returns:
        ``(h_next, c_next, cache)``: both states ``(n_h, m)``; ``cache`` is a dict with keys
        ``x_t``, ``h_prev``, ``c_prev``, ``i``, ``f``, ``g``, ``o``, ``c_next``, ``h_next``,
        ``params``.
    """
    check_layer_shapes("x_t", x_t, {"h_prev": h_prev, "c_prev": c_prev}, params, GATES, sequence=False)
    i, f, g, o, c_next, h_next = _lstm_step(x_t, h_prev, c_prev, params)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache


def lstm_forward(x: np.ndarray, h0: np.ndarray, c0: np.ndarray, params: Params):
    """Run the LSTM over a whole sequence, sharing the parameters across time.

    Args:
        x: inputs, ``(n_x, m, T)``.
        h0, c0: initial hidden and cell states ``h^{<0>}``, ``c^{<0>}``, each ``(n_h, m)``.
        params: as for :func:`lstm_cell_forward`.

    Returns:
        ``(h, c, cache)``: ``h`` and ``c`` hold the states of steps 1 ... T, each
        ``(n_h, m, T)``; ``cache`` is a dict with keys ``x``, ``h0``, ``c0``, ``i``, ``f``,
        ``g``, ``o``, ``c``, ``h``, ``params`` (gates stacked over time, ``(n_h, m, T)``).
    """
    check_layer_shapes("x", x, {"h0": h0, "c0": c0}, params, GATES, sequence=True)
    n_x, m, T = x.shape
    dtype = np.result_type(x, h0, c0, params["Wi"])
    keys = ("i", "f", "g", "o", "c", "h")
    out = {k: empty_over_time(h0.shape[0], m, T, dtype) for k in keys}
    x_steps = time_major(x)
    h_t, c_t = h0, c0
    for t in range(T):
        step = _lstm_step(x_steps[:, :, t], h_t, c_t, params)
        for k, v in zip(keys, step):
            out[k][:, :, t] = v
        c_t, h_t = step[4], step[5]
    cache = {"x": x, "h0": h0, "c0": c0, **out, "params": params}
    return out["h"], out["c"], cache


def _lstm_step_backward(dh_next, dc_next, c_prev, i, f, g, o, c_next, params):
    """``(dh_prev, dc_prev, da)`` for one step; ``da`` holds the pre-activation gradients of
    the four gates, keyed ``i f g o``."""
    tanh_c = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1.0 - tanh_c**2)  # both routes into c^{<t>}
    da = {
        "i": dc * g * i * (1.0 - i),
        "f": dc * c_prev * f * (1.0 - f),
        "g": dc * i * (1.0 - g**2),
        "o": dh_next * tanh_c * o * (1.0 - o),
    }
    dh_prev = sum(params["W" + k].T @ da[k] for k in GATES)
    return dh_prev, dc * f, da


def _lstm_param_grads(da, x, h_prev, params) -> Grads:
    """``dx`` and the parameter gradients from pre-activation gradients ``(n_h, m, T)``."""
    grads = {"dx": sum(np.tensordot(params["U" + k].T, da[k], axes=1) for k in GATES)}
    for k in GATES:
        grads["dU" + k] = sum_over_batch_and_time(da[k], x)
        grads["dW" + k] = sum_over_batch_and_time(da[k], h_prev)
        grads["db" + k] = da[k].sum(axis=(1, 2))[:, None]
    return grads


def lstm_cell_backward(dh_next: np.ndarray, dc_next: np.ndarray, cache: dict) -> Grads:
    """Backward pass of one LSTM step.

    The cell state receives ``dc_next`` from the next step and, through
    ``h = o * tanh(c)``, ``dh_next * o * (1 - tanh(c)**2)``; call the sum ``dc``. Then the
    pre-activation gradients are

        da_i = dc * g * i (1 - i),   da_f = dc * c_prev * f (1 - f),
        da_g = dc * i * (1 - g**2),  da_o = dh_next * tanh(c) * o (1 - o),

    and ``dU_k = da_k x_t^T``, ``dW_k = da_k h_prev^T``, ``db_k = sum_m da_k``,
    ``dx_t = sum_k U_k^T da_k``, ``dh_prev = sum_k W_k^T da_k``, ``dc_prev = dc * f``.

    Args:
        dh_next: gradient of the loss with respect to ``h_next``, ``(n_h, m)``.
        dc_next: gradient of the loss with respect to ``c_next``, ``(n_h, m)``.
        cache: from :func:`lstm_cell_forward`.

    Returns:
        dict ``dx_t (n_x, m)``, ``dh_prev (n_h, m)``, ``dc_prev (n_h, m)``,
        ``dU<k> (n_h, n_x)``, ``dW<k> (n_h, n_h)``, ``db<k> (n_h, 1)`` for ``k`` in ``i f g o``.
    """
    c = cache
    dh_prev, dc_prev, da = _lstm_step_backward(dh_next, dc_next, c["c_prev"], c["i"], c["f"], c["g"],
                                               c["o"], c["c_next"], c["params"])
    grads = _lstm_param_grads({k: v[..., None] for k, v in da.items()}, c["x_t"][..., None],
                              c["h_prev"][..., None], c["params"])
    return {"dx_t": grads.pop("dx")[..., 0], "dh_prev": dh_prev, "dc_prev": dc_prev, **grads}


def lstm_backward(dh: np.ndarray, cache: dict) -> Grads:
    """Backpropagation through time for the LSTM.

    ``dh[..., t]`` is the gradient the loss sends into ``h^{<t>}`` directly (the loss does not
    read the cell states). Walking from ``t = T`` down to 1, step t receives ``dh^{<t>}`` plus
    the ``dh_prev`` of step t + 1 into ``h^{<t>}``, and the ``dc_prev`` of step t + 1 into
    ``c^{<t>}``, and runs the step backward of :func:`lstm_cell_backward`.

    The cell state is a *gradient highway*: ``c^{<t>} = f^{<t>} * c^{<t-1>} + ...`` is
    additive, so ``dc_prev = dc * f`` -- no weight matrix, no squashing derivative. Over k
    steps the gradient is scaled by the product of the forget gates, which the network can hold
    near 1 to carry information (and gradient) across long spans; the vanilla RNN instead
    multiplies by ``W^T diag(1 - h**2)`` at every step.

    Args:
        dh: ``(n_h, m, T)``.
        cache: from :func:`lstm_forward`.

    Returns:
        dict ``dx (n_x, m, T)``, ``dh0 (n_h, m)``, ``dc0 (n_h, m)`` and the parameter
        gradients as in :func:`lstm_cell_backward`.
    """
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    h_prev, c_prev = previous_states(h0, h), previous_states(c0, c)
    dh = time_major(dh)
    da = {k: empty_over_time(*h.shape, h.dtype) for k in GATES}
    dh_from_next, dc_from_next = np.zeros_like(h0), np.zeros_like(c0)  # nothing after step T
    for t in reversed(range(x.shape[2])):
        gates = (cache[k][:, :, t] for k in GATES)
        dh_from_next, dc_from_next, da_t = _lstm_step_backward(
            dh[:, :, t] + dh_from_next, dc_from_next, c_prev[:, :, t], *gates, c[:, :, t], params)
        for k in GATES:
            da[k][:, :, t] = da_t[k]
    grads = _lstm_param_grads(da, x, h_prev, params)
    return {"dx": grads.pop("dx"), "dh0": dh_from_next, "dc0": dc_from_next, **grads}


def init_lstm_params(n_x: int, n_h: int, rng: np.random.Generator | None = None, dtype=np.float64,
                     forget_bias: float = 1.0) -> Params:
    """Initial LSTM parameters: ``U*`` scaled by ``1/sqrt(n_x)``, ``W*`` orthogonal, biases zero
    except the forget gate's, ``b_f = forget_bias``.

    A forget bias of 1 starts the forget gate near ``sigma(1) ~ 0.73``: the cell state, and the
    gradient along it, is kept rather than wiped out at the start of training (Jozefowicz,
    Zaremba and Sutskever, "An Empirical Exploration of Recurrent Network Architectures",
    ICML 2015).

    Returns ``Ui Uf Ug Uo (n_h, n_x)``, ``Wi Wf Wg Wo (n_h, n_h)``, ``bi bf bg bo (n_h, 1)``.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params = {}
    for k in GATES:
        params["U" + k] = rng.standard_normal((n_h, n_x)) / np.sqrt(n_x)
        params["W" + k] = orthogonal(n_h, rng)
        params["b" + k] = np.full((n_h, 1), forget_bias if k == "f" else 0.0)
    return {k: v.astype(dtype) for k, v in params.items()}
