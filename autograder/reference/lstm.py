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

The code stacks the four gates along the rows, in the order i, f, g, o: ``U (4 n_h, n_x)``,
``W (4 n_h, n_h)``, ``b (4 n_h, 1)``, so a step costs one matrix product instead of four (the
cached gates are row blocks of one stacked array).
"""

from __future__ import annotations

import numpy as np

from .gates import (
    check_layer_shapes,
    each_step,
    empty_by_rows,
    sigmoid,
    split_rows,
    stack_gates,
    sum_over_steps,
)
from .rnn import Grads, Params, empty_over_time, orthogonal, previous_states, time_major

GATES = "ifgo"  # parameter suffixes: input, forget, candidate, output (torch.nn.LSTM's order)


def _lstm_step(a_x_t, h_prev, c_prev, W, out=None):
    """One step without shape checks: ``(gates, c_next, h_next)``.

    ``a_x_t = U x^{<t>} + b`` is the input part of the four pre-activations, stacked like
    ``U`` and ``W`` (rows i, f, g, o), ``(4 n_h, m)``; ``gates`` holds ``i, f, g, o`` stacked
    the same way, written into ``out`` when given.
    """
    a_i, a_f, a_g, a_o = split_rows(a_x_t + W @ h_prev, 4)
    gates = np.concatenate([sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)], out=out)
    i, f, g, o = split_rows(gates, 4)
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return gates, c_next, h_next


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
    U, W, b = (stack_gates(params, p, GATES) for p in "UWb")
    gates, c_next, h_next = _lstm_step(U @ x_t + b, h_prev, c_prev, W)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, **dict(zip(GATES, split_rows(gates, 4))),
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache


def lstm_forward(x: np.ndarray, h0: np.ndarray, c0: np.ndarray, params: Params):
    """Run the LSTM over a whole sequence, sharing the parameters across time.

    The input terms ``U_k x^{<t>} + b_k`` do not depend on the previous state, so those of all
    four gates and all steps are computed in one product before the loop; each step then only
    adds the stacked recurrent product ``W h^{<t-1>}`` (see :func:`_lstm_step`).

    Args:
        x: inputs, ``(n_x, m, T)``.
        h0, c0: initial hidden and cell states ``h^{<0>}``, ``c^{<0>}``, each ``(n_h, m)``.
        params: as for :func:`lstm_cell_forward`.

    Returns:
        ``(h, c, cache)``: ``h`` and ``c`` hold the states of steps 1 ... T, each
        ``(n_h, m, T)``; ``cache`` is a dict with keys ``x``, ``h0``, ``c0``, ``i``, ``f``,
        ``g``, ``o``, ``c``, ``h``, ``params`` (gates stacked over time, ``(n_h, m, T)``; the four
        are row blocks of one ``(4 n_h, m, T)`` array).
    """
    check_layer_shapes("x", x, {"h0": h0, "c0": c0}, params, GATES, sequence=True)
    n_h, (_, m, T) = h0.shape[0], x.shape
    dtype = np.result_type(x, h0, c0, params["Wi"])
    U, W, b = (stack_gates(params, p, GATES) for p in "UWb")
    a_x = each_step(U, x) + b[:, :, None]  # U x^{<t>} + b for every step, (4 n_h, m, T)
    gates = empty_over_time(4 * n_h, m, T, dtype)
    c, h = empty_over_time(n_h, m, T, dtype), empty_over_time(n_h, m, T, dtype)
    h_t, c_t = h0, c0
    for t in range(T):
        _, c_t, h_t = _lstm_step(a_x[:, :, t], h_t, c_t, W, out=gates[:, :, t])
        c[:, :, t], h[:, :, t] = c_t, h_t
    cache = {"x": x, "h0": h0, "c0": c0, **dict(zip(GATES, split_rows(gates, 4))), "c": c, "h": h,
             "params": params}
    return h, c, cache


def _lstm_step_backward(dh_next, dc_next, c_prev, i, f, g, o, c_next, W, out=None):
    """``(dh_prev, dc_prev, da)`` for one step; ``da`` holds the pre-activation gradients of
    the four gates stacked like ``W`` (rows i, f, g, o), ``(4 n_h, m)``, written into ``out``
    when given."""
    tanh_c = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1.0 - tanh_c**2)  # both routes into c^{<t>}
    da = np.concatenate([dc * g * i * (1.0 - i),              # da_i
                         dc * c_prev * f * (1.0 - f),         # da_f
                         dc * i * (1.0 - g**2),               # da_g
                         dh_next * tanh_c * o * (1.0 - o)],   # da_o
                        out=out)
    return W.T @ da, dc * f, da  # W^T da = sum_k W_k^T da_k


def _lstm_grads(da, x, h_prev, U) -> Grads:
    """``dx`` and the parameter gradients from the stacked pre-activation gradients
    ``da (4 n_h, m, T)``: one product over batch and time for all four ``dU_k``, one for all
    four ``dW_k``, whose row blocks are then handed out gate by gate."""
    stacked = {"dU": sum_over_steps(da, x), "dW": sum_over_steps(da, h_prev),
               "db": da.sum(axis=(1, 2))[:, None]}
    grads = {"dx": each_step(U.T, da)}  # sum_k U_k^T da_k
    for name, value in stacked.items():
        grads |= {name + k: rows for k, rows in zip(GATES, split_rows(value, 4))}
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
    U, W = (stack_gates(c["params"], p, GATES) for p in "UW")
    dh_prev, dc_prev, da = _lstm_step_backward(dh_next, dc_next, c["c_prev"], c["i"], c["f"], c["g"],
                                               c["o"], c["c_next"], W)
    grads = _lstm_grads(da[..., None], c["x_t"][..., None], c["h_prev"][..., None], U)
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
    U, W = (stack_gates(params, p, GATES) for p in "UW")
    (n_h, m, T), dtype = h.shape, h.dtype
    h_prev = previous_states(h0, h)  # all of them, for dW after the loop
    dh = time_major(dh)
    # da_i, da_f, da_g, da_o stacked over the rows; by rows, for the products after the loop
    da = empty_by_rows(4 * n_h, m, T, dtype)
    dh_from_next, dc_from_next = np.zeros_like(h0), np.zeros_like(c0)  # nothing after step T
    for t in reversed(range(T)):
        gates = (cache[k][:, :, t] for k in GATES)
        c_prev = c[:, :, t - 1] if t > 0 else c0
        dh_from_next, dc_from_next, _ = _lstm_step_backward(
            dh[:, :, t] + dh_from_next, dc_from_next, c_prev, *gates, c[:, :, t], W, out=da[:, :, t])
    grads = _lstm_grads(da, x, h_prev, U)
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
