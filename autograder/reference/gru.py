"""The gated recurrent unit (GRU): forward pass and backpropagation through time (chapter 8).

Notation (the book's; ``*`` is the elementwise product, sigma the logistic sigmoid):

    u^{<t>} = sigma(U_u x^{<t>} + W_u h^{<t-1>} + b_u)                update gate,   (n_h, m)
    r^{<t>} = sigma(U_r x^{<t>} + W_r h^{<t-1>} + b_r)                reset gate,    (n_h, m)
    h~^{<t>} = tanh(U_h x^{<t>} + W_h (r^{<t>} * h^{<t-1>}) + b_h)     candidate,     (n_h, m)
    h^{<t>} = u^{<t>} * h~^{<t>} + (1 - u^{<t>}) * h^{<t-1>}           hidden state,  (n_h, m)

``u = 1`` writes the candidate, ``u = 0`` copies the old state. The *reset-after* form
(``reset_after=True``, the one ``torch.nn.GRU`` and cuDNN implement) applies the reset gate
after the recurrent product, with a second candidate bias ``b_hh``:

    a_hh^{<t>} = W_h h^{<t-1>} + b_hh
    h~^{<t>} = tanh(U_h x^{<t>} + b_h + r^{<t>} * a_hh^{<t>})

Shapes as for the vanilla RNN: ``x (n_x, m, T)``, states ``(n_h, m)``, states over time
``(n_h, m, T)``. Parameters: ``Uu Ur Uh (n_h, n_x)``, ``Wu Wr Wh (n_h, n_h)``,
``bu br bh (n_h, 1)`` and, in the reset-after form only, an optional ``bhh (n_h, 1)`` (zero
when absent; its gradient ``dbhh`` is returned exactly when ``bhh`` is in the params).
Backward functions return dicts keyed ``"d" + name``; caches are dicts of arrays. The code
stacks the gates along the rows in the order u, r, h (``U (3 n_h, n_x)``, ``W (3 n_h, n_h)``,
``b (3 n_h, 1)``), so the gates of a step share their matrix products.

The helpers shared with the LSTM (sigmoid, shape checks, stacked gates) live in
:mod:`autograder.reference.gates`.
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

GATES = "urh"  # parameter suffixes: update gate, reset gate, candidate


def _check_gru(x_name, x, h_name, h, params, reset_after, sequence):
    if "bhh" in params and not reset_after:
        raise ValueError("params has bhh, which only the reset-after form uses; pass reset_after=True")
    extra = ("bhh",) if "bhh" in params else ()
    check_layer_shapes(x_name, x, {h_name: h}, params, GATES, sequence, extra)


def _gru_step(a_x_t, h_prev, W, b_hh, reset_after, out=None):
    """One step without shape checks: ``(gates, h_next)``.

    ``a_x_t = U x^{<t>} + b`` is the input part of the pre-activations of ``u, r, h~`` and ``W``
    the recurrent weights, both stacked (rows u, r, h); ``b_hh`` is the params' ``bhh`` or 0.
    ``gates`` holds ``u, r, h~`` and, when ``reset_after``, ``a_hh``, stacked over the rows,
    ``(3 n_h, m)`` or ``(4 n_h, m)``, written into ``out`` when given.
    """
    a_xu, a_xr, a_xh = split_rows(a_x_t, 3)
    W_ur, W_h = W[:2 * len(h_prev)], W[2 * len(h_prev):]
    if reset_after:  # W_u, W_r and W_h all multiply h^{<t-1>}: one product
        a_hu, a_hr, a_hh = split_rows(W @ h_prev, 3)
        u, r = sigmoid(a_xu + a_hu), sigmoid(a_xr + a_hr)
        a_hh = a_hh + b_hh
        h_tilde = np.tanh(a_xh + r * a_hh)
    else:  # W_h multiplies r * h^{<t-1>}, known only once r is
        a_hu, a_hr = split_rows(W_ur @ h_prev, 2)
        u, r = sigmoid(a_xu + a_hu), sigmoid(a_xr + a_hr)
        h_tilde = np.tanh(a_xh + W_h @ (r * h_prev))
    gates = np.concatenate([u, r, h_tilde] + ([a_hh] if reset_after else []), out=out)
    h_next = u * h_tilde + (1.0 - u) * h_prev
    return gates, h_next


def _gru_cache(gates, reset_after):
    """The cache entries ``u, r, h_tilde`` (and ``a_hh``): row blocks (views) of ``gates``."""
    keys = ["u", "r", "h_tilde"] + (["a_hh"] if reset_after else [])
    return dict(zip(keys, split_rows(gates, len(keys))))


def gru_cell_forward(x_t: np.ndarray, h_prev: np.ndarray, params: Params, reset_after: bool = False):
    """One time step of the GRU (equations in the module docstring).

    Args:
        x_t: input at step t, ``(n_x, m)``.
        h_prev: previous hidden state ``h^{<t-1>}``, ``(n_h, m)``.
        params: ``Uu Ur Uh (n_h, n_x)``, ``Wu Wr Wh (n_h, n_h)``, ``bu br bh (n_h, 1)``, and
            optionally ``bhh (n_h, 1)`` when ``reset_after``.
        reset_after: apply the reset gate after ``W_h h^{<t-1>}`` (PyTorch's form).

    Returns:
        ``(h_next, cache)``: ``h_next`` is ``(n_h, m)``; ``cache`` is a dict with keys
        ``x_t``, ``h_prev``, ``u``, ``r``, ``h_tilde``, ``h_next``, ``params``, ``reset_after``
        and, when ``reset_after``, ``a_hh = W_h h_prev + b_hh`` ``(n_h, m)``.
    """
    _check_gru("x_t", x_t, "h_prev", h_prev, params, reset_after, sequence=False)
    U, W, b = (stack_gates(params, p, GATES) for p in "UWb")
    gates, h_next = _gru_step(U @ x_t + b, h_prev, W, params.get("bhh", 0.0), reset_after)
    cache = {"x_t": x_t, "h_prev": h_prev, **_gru_cache(gates, reset_after), "h_next": h_next,
             "params": params, "reset_after": reset_after}
    return h_next, cache


def gru_forward(x: np.ndarray, h0: np.ndarray, params: Params, reset_after: bool = False):
    """Run the GRU over a whole sequence, sharing the parameters across time.

    The input terms ``U_g x^{<t>} + b_g`` do not depend on the previous state, so those of all
    three gates and all steps are computed in one product before the loop; each step then only
    does the recurrent products (see :func:`_gru_step`).

    Args:
        x: inputs, ``(n_x, m, T)``.
        h0: initial hidden state ``h^{<0>}``, ``(n_h, m)``.
        params: as for :func:`gru_cell_forward`.
        reset_after: as for :func:`gru_cell_forward`.

    Returns:
        ``(h, cache)``: ``h`` holds ``h^{<1>} ... h^{<T>}``, ``(n_h, m, T)``; ``cache`` is a dict
        with keys ``x``, ``h0``, ``u``, ``r``, ``h_tilde``, ``h``, ``params``, ``reset_after``
        (gates and candidates stacked over time, ``(n_h, m, T)``) and, when ``reset_after``,
        ``a_hh (n_h, m, T)``; these are row blocks of one array.
    """
    _check_gru("x", x, "h0", h0, params, reset_after, sequence=True)
    n_h, (_, m, T) = h0.shape[0], x.shape
    dtype = np.result_type(x, h0, params["Wu"])
    U, W, b = (stack_gates(params, p, GATES) for p in "UWb")
    a_x = each_step(U, x) + b[:, :, None]  # U x^{<t>} + b for every step, (3 n_h, m, T)
    gates = empty_over_time((4 if reset_after else 3) * n_h, m, T, dtype)
    h = empty_over_time(n_h, m, T, dtype)
    b_hh, h_t = params.get("bhh", 0.0), h0
    for t in range(T):
        _, h_t = _gru_step(a_x[:, :, t], h_t, W, b_hh, reset_after, out=gates[:, :, t])
        h[:, :, t] = h_t
    cache = {"x": x, "h0": h0, **_gru_cache(gates, reset_after), "h": h, "params": params,
             "reset_after": reset_after}
    return h, cache


def _gru_step_backward(dh_next, h_prev, u, r, h_tilde, a_hh, W, reset_after, out=None):
    """``(dh_prev, da)`` for one step: ``da`` holds the pre-activation gradients of ``u``,
    ``r``, ``h~`` (the tanh's argument) and, when ``reset_after``, ``a_hh``, stacked over the
    rows, ``(3 n_h, m)`` or ``(4 n_h, m)``, written into ``out`` when given."""
    W_ur, W_h = W[:2 * len(h_prev)], W[2 * len(h_prev):]
    da_h = dh_next * u * (1.0 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1.0 - u)
    if reset_after:
        da_hh = da_h * r
        dr = da_h * a_hh
        dh_candidate = W_h.T @ da_hh  # the candidate's path into h^{<t-1>}
    else:
        d_rh = W_h.T @ da_h  # gradient of r * h_prev
        dr = d_rh * h_prev
        dh_candidate = d_rh * r
    da_r = dr * r * (1.0 - r)
    da = np.concatenate([da_u, da_r, da_h] + ([da_hh] if reset_after else []), out=out)
    # h^{<t-1>} collects the direct path, the candidate's and W_u^T da_u + W_r^T da_r (one product)
    dh_prev = dh_next * (1.0 - u) + dh_candidate + W_ur.T @ da[:2 * len(h_prev)]
    return dh_prev, da


def _gru_grads(da, x, h_prev, r, U, reset_after, has_bhh) -> Grads:
    """``dx`` and the parameter gradients from the stacked pre-activation gradients
    ``da (3 n_h or 4 n_h, m, T)``: one product over batch and time for all ``dU_g``, one for
    ``dW_u, dW_r`` (both multiply ``h_prev``) and one for ``dW_h``."""
    n_h = len(h_prev)
    da_urh, da_hh = da[:3 * n_h], da[3 * n_h:]
    if reset_after:
        dW_h = sum_over_steps(da_hh, h_prev)
    else:
        dW_h = sum_over_steps(da_urh[2 * n_h:], r * h_prev)  # W_h multiplies r * h_prev
    stacked = {"dU": sum_over_steps(da_urh, x), "db": da_urh.sum(axis=(1, 2))[:, None],
               "dW": np.concatenate([sum_over_steps(da_urh[:2 * n_h], h_prev), dW_h])}
    grads = {"dx": each_step(U.T, da_urh)}  # sum_g U_g^T da_g
    for name, value in stacked.items():
        grads |= {name + g: rows for g, rows in zip(GATES, split_rows(value, 3))}
    if has_bhh:
        grads["dbhh"] = da_hh.sum(axis=(1, 2))[:, None]
    return grads


def gru_cell_backward(dh_next: np.ndarray, cache: dict) -> Grads:
    """Backward pass of one GRU step.

    With ``da_h = dh_next * u * (1 - h~**2)`` (through the candidate) and
    ``da_u = dh_next * (h~ - h_prev) * u * (1 - u)`` (through the update gate):

    - reset-before: ``dr = (W_h^T da_h) * h_prev``, ``dW_h = da_h (r * h_prev)^T``;
    - reset-after: ``dr = da_h * a_hh``, ``da_hh = da_h * r``, ``dW_h = da_hh h_prev^T``,
      ``db_hh = sum_m da_hh``;

    then ``da_r = dr * r * (1 - r)``, ``dU_g = da_g x_t^T``, ``db_g = sum_m da_g``,
    ``dx_t = sum_g U_g^T da_g``, and ``h_prev`` collects four paths: the direct one
    ``dh_next * (1 - u)``, the candidate's (``(W_h^T da_h) * r`` or ``W_h^T da_hh``),
    ``W_u^T da_u`` and ``W_r^T da_r``.

    Args:
        dh_next: gradient of the loss with respect to ``h_next``, ``(n_h, m)``.
        cache: from :func:`gru_cell_forward`.

    Returns:
        dict ``dx_t (n_x, m)``, ``dh_prev (n_h, m)``, ``dUu dUr dUh (n_h, n_x)``,
        ``dWu dWr dWh (n_h, n_h)``, ``dbu dbr dbh (n_h, 1)`` and ``dbhh (n_h, 1)`` when the
        params have ``bhh``.
    """
    c, ra = cache, cache["reset_after"]
    U, W = (stack_gates(c["params"], p, GATES) for p in "UW")
    dh_prev, da = _gru_step_backward(dh_next, c["h_prev"], c["u"], c["r"], c["h_tilde"], c.get("a_hh"),
                                     W, ra)
    grads = _gru_grads(da[..., None], c["x_t"][..., None], c["h_prev"][..., None], c["r"][..., None],
                       U, ra, "bhh" in c["params"])
    return {"dx_t": grads.pop("dx")[..., 0], "dh_prev": dh_prev, **grads}


def gru_backward(dh: np.ndarray, cache: dict) -> Grads:
    """Backpropagation through time for the GRU.

    ``dh[..., t]`` is the gradient the loss sends into ``h^{<t>}`` directly. Walking from
    ``t = T`` down to 1, step t receives ``dh^{<t>}`` plus the ``dh_prev`` of step t + 1 and
    runs the step backward of :func:`gru_cell_backward`. The direct path
    ``dh_prev = dh_next * (1 - u) + ...`` is the GRU's shortcut: where the update gate is
    closed (``u ~ 0``) the gradient passes back unchanged. The parameter gradients sum every
    step's contribution, after the loop (see :func:`_gru_grads`).

    Args:
        dh: ``(n_h, m, T)``.
        cache: from :func:`gru_forward`.

    Returns:
        dict ``dx (n_x, m, T)``, ``dh0 (n_h, m)`` and the parameter gradients as in
        :func:`gru_cell_backward`.
    """
    x, h0, h, u, r, h_tilde = (cache[k] for k in ("x", "h0", "h", "u", "r", "h_tilde"))
    params, reset_after = cache["params"], cache["reset_after"]
    a_hh = cache.get("a_hh")
    U, W = (stack_gates(params, p, GATES) for p in "UW")
    (n_h, m, T), dtype = h.shape, h.dtype
    h_prev = previous_states(h0, h)
    dh = time_major(dh)
    # da_u, da_r, da_h (and da_hh) stacked over the rows; by rows, for the products after the loop
    da = empty_by_rows((4 if reset_after else 3) * n_h, m, T, dtype)
    dh_from_next = np.zeros_like(h0)  # dh_prev of step t + 1; nothing comes after the last step
    for t in reversed(range(T)):
        dh_from_next, _ = _gru_step_backward(
            dh[:, :, t] + dh_from_next, h_prev[:, :, t], u[:, :, t], r[:, :, t], h_tilde[:, :, t],
            None if a_hh is None else a_hh[:, :, t], W, reset_after, out=da[:, :, t])
    grads = _gru_grads(da, x, h_prev, r, U, reset_after, "bhh" in params)
    return {"dx": grads.pop("dx"), "dh0": dh_from_next, **grads}


def init_gru_params(n_x: int, n_h: int, rng: np.random.Generator | None = None, dtype=np.float64,
                    reset_after: bool = False) -> Params:
    """Initial GRU parameters: ``U*`` scaled by ``1/sqrt(n_x)``, ``W*`` orthogonal, biases zero.

    Returns ``Uu Ur Uh (n_h, n_x)``, ``Wu Wr Wh (n_h, n_h)``, ``bu br bh (n_h, 1)`` and, when
    ``reset_after``, ``bhh (n_h, 1)`` (zeros).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params = {}
    for g in GATES:
        params["U" + g] = rng.standard_normal((n_h, n_x)) / np.sqrt(n_x)
        params["W" + g] = orthogonal(n_h, rng)
        params["b" + g] = np.zeros((n_h, 1))
    if reset_after:
        params["bhh"] = np.zeros((n_h, 1))
    return {k: v.astype(dtype) for k, v in params.items()}
