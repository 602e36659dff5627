"""The gated recurrent unit (GRU): forward pass and backpropagation through time (chapter 8).

Notation (the book's; ``*`` is the elementwise product, sigma the logistic sigmoid):

    z^{<t>} = sigma(U_z x^{<t>} + W_z h^{<t-1>} + b_z)                update gate,   (n_h, m)
    r^{<t>} = sigma(U_r x^{<t>} + W_r h^{<t-1>} + b_r)                reset gate,    (n_h, m)
    h~^{<t>} = tanh(U_h x^{<t>} + W_h (r^{<t>} * h^{<t-1>}) + b_h)     candidate,     (n_h, m)
    h^{<t>} = z^{<t>} * h~^{<t>} + (1 - z^{<t>}) * h^{<t-1>}           hidden state,  (n_h, m)

``z = 1`` writes the candidate, ``z = 0`` copies the old state. The *reset-after* form
(``reset_after=True``, the one ``torch.nn.GRU`` and cuDNN implement) applies the reset gate
after the recurrent product, with a second candidate bias ``b_hh``:

    a_hh^{<t>} = W_h h^{<t-1>} + b_hh
    h~^{<t>} = tanh(U_h x^{<t>} + b_h + r^{<t>} * a_hh^{<t>})

Shapes as for the vanilla RNN: ``x (n_x, m, T)``, states ``(n_h, m)``, states over time
``(n_h, m, T)``. Parameters: ``Uz Ur Uh (n_h, n_x)``, ``Wz Wr Wh (n_h, n_h)``,
``bz br bh (n_h, 1)`` and, in the reset-after form only, an optional ``bhh (n_h, 1)`` (zero
when absent; its gradient ``dbhh`` is returned exactly when ``bhh`` is in the params).
Backward functions return dicts keyed ``"d" + name``; caches are dicts of arrays.

This module also holds the helpers the LSTM shares: :func:`sigmoid` and
:func:`check_layer_shapes`.
"""

from __future__ import annotations

import numpy as np

from .rnn import (
    Grads, Params, empty_over_time, orthogonal, previous_states, sum_over_batch_and_time, time_major,
)

GATES = "zrh"  # parameter suffixes: update gate, reset gate, candidate


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


def _check_gru(x_name, x, h_name, h, params, reset_after, sequence):
    if "bhh" in params and not reset_after:
        raise ValueError("params has bhh, which only the reset-after form uses; pass reset_after=True")
    extra = ("bhh",) if "bhh" in params else ()
    check_layer_shapes(x_name, x, {h_name: h}, params, GATES, sequence, extra)


def _gru_step(x_t, h_prev, params, reset_after):
    """One step without shape checks: ``(z, r, h_tilde, a_hh, h_next)``; ``a_hh`` is None
    in the reset-before form."""
    P = params
    z = sigmoid(P["Uz"] @ x_t + P["Wz"] @ h_prev + P["bz"])
    r = sigmoid(P["Ur"] @ x_t + P["Wr"] @ h_prev + P["br"])
    if reset_after:
        a_hh = (P["Wh"] @ h_prev + P["bhh"]) if "bhh" in P else P["Wh"] @ h_prev
        h_tilde = np.tanh(P["Uh"] @ x_t + P["bh"] + r * a_hh)
    else:
        a_hh = None
        h_tilde = np.tanh(P["Uh"] @ x_t + P["Wh"] @ (r * h_prev) + P["bh"])
    h_next = z * h_tilde + (1.0 - z) * h_prev
    return z, r, h_tilde, a_hh, h_next


def gru_cell_forward(x_t: np.ndarray, h_prev: np.ndarray, params: Params, reset_after: bool = False):
    """One time step of the GRU (equations in the module docstring).

    Args:
        x_t: input at step t, ``(n_x, m)``.
        h_prev: previous hidden state ``h^{<t-1>}``, ``(n_h, m)``.
        params: ``Uz Ur Uh (n_h, n_x)``, ``Wz Wr Wh (n_h, n_h)``, ``bz br bh (n_h, 1)``, and
            optionally ``bhh (n_h, 1)`` when ``reset_after``.
        reset_after: apply the reset gate after ``W_h h^{<t-1>}`` (PyTorch's form).

    Returns:
        ``(h_next, cache)``: ``h_next`` is ``(n_h, m)``; ``cache`` is a dict with keys
        ``x_t``, ``h_prev``, ``z``, ``r``, ``h_tilde``, ``h_next``, ``params``, ``reset_after``
        and, when ``reset_after``, ``a_hh = W_h h_prev + b_hh`` ``(n_h, m)``.
    """
    _check_gru("x_t", x_t, "h_prev", h_prev, params, reset_after, sequence=False)
    z, r, h_tilde, a_hh, h_next = _gru_step(x_t, h_prev, params, reset_after)
    cache = {"x_t": x_t, "h_prev": h_prev, "z": z, "r": r, "h_tilde": h_tilde, "h_next": h_next,
             "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h_next, cache


def gru_forward(x: np.ndarray, h0: np.ndarray, params: Params, reset_after: bool = False):
    """Run the GRU over a whole sequence, sharing the parameters across time.

    Args:
        x: inputs, ``(n_x, m, T)``.
        h0: initial hidden state ``h^{<0>}``, ``(n_h, m)``.
        params: as for :func:`gru_cell_forward`.
        reset_after: as for :func:`gru_cell_forward`.

    Returns:
        ``(h, cache)``: ``h`` holds ``h^{<1>} ... h^{<T>}``, ``(n_h, m, T)``; ``cache`` is a dict
        with keys ``x``, ``h0``, ``z``, ``r``, ``h_tilde``, ``h``, ``params``, ``reset_after``
        (gates and candidates stacked over time, ``(n_h, m, T)``) and, when ``reset_after``,
        ``a_hh (n_h, m, T)``.
    """
    _check_gru("x", x, "h0", h0, params, reset_after, sequence=True)
    n_x, m, T = x.shape
    dtype = np.result_type(x, h0, params["Wz"])
    keys = ["z", "r", "h_tilde", "h"] + (["a_hh"] if reset_after else [])
    out = {k: empty_over_time(h0.shape[0], m, T, dtype) for k in keys}
    x_steps = time_major(x)
    h_t = h0
    for t in range(T):
        z, r, h_tilde, a_hh, h_t = _gru_step(x_steps[:, :, t], h_t, params, reset_after)
        for k, v in zip(keys, (z, r, h_tilde, h_t, a_hh)):
            out[k][:, :, t] = v
    cache = {"x": x, "h0": h0, "z": out["z"], "r": out["r"], "h_tilde": out["h_tilde"], "h": out["h"],
             "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = out["a_hh"]
    return out["h"], cache


def _gru_step_backward(dh_next, h_prev, z, r, h_tilde, a_hh, params, reset_after):
    """``(dh_prev, da)`` for one step: ``da`` holds the pre-activation gradients ``z``, ``r``,
    ``h`` (of the candidate's tanh) and, when ``reset_after``, ``hh`` (of ``a_hh``)."""
    P = params
    da_h = dh_next * z * (1.0 - h_tilde**2)
    da_z = dh_next * (h_tilde - h_prev) * z * (1.0 - z)
    dh_prev = dh_next * (1.0 - z)
    if reset_after:
        da_hh = da_h * r
        dr = da_h * a_hh
        dh_prev = dh_prev + P["Wh"].T @ da_hh
    else:
        d_rh = P["Wh"].T @ da_h  # gradient of r * h_prev
        dr = d_rh * h_prev
        dh_prev = dh_prev + d_rh * r
    da_r = dr * r * (1.0 - r)
    dh_prev = dh_prev + P["Wz"].T @ da_z + P["Wr"].T @ da_r
    da = {"z": da_z, "r": da_r, "h": da_h}
    if reset_after:
        da["hh"] = da_hh
    return dh_prev, da


def _gru_param_grads(da, x, h_prev, r, params, reset_after) -> Grads:
    """``dx`` and the parameter gradients from pre-activation gradients ``(n_h, m, T)``."""
    grads = {"dx": sum(np.tensordot(params["U" + g].T, da[g], axes=1) for g in GATES)}
    for g in GATES:
        if g == "h":
            W_in = h_prev if reset_after else r * h_prev  # what W_h multiplies
            dW = sum_over_batch_and_time(da["hh"] if reset_after else da["h"], W_in)
        else:
            dW = sum_over_batch_and_time(da[g], h_prev)
        grads["dU" + g] = sum_over_batch_and_time(da[g], x)
        grads["dW" + g] = dW
        grads["db" + g] = da[g].sum(axis=(1, 2))[:, None]
    if "bhh" in params:
        grads["dbhh"] = da["hh"].sum(axis=(1, 2))[:, None]
    return grads


def gru_cell_backward(dh_next: np.ndarray, cache: dict) -> Grads:
    """Backward pass of one GRU step.

    With ``da_h = dh_next * z * (1 - h~**2)`` (through the candidate) and
    ``da_z = dh_next * (h~ - h_prev) * z * (1 - z)`` (through the update gate):

    - reset-before: ``dr = (W_h^T da_h) * h_prev``, ``dW_h = da_h (r * h_prev)^T``;
    - reset-after: ``dr = da_h * a_hh``, ``da_hh = da_h * r``, ``dW_h = da_hh h_prev^T``,
      ``db_hh = sum_m da_hh``;

    then ``da_r = dr * r * (1 - r)``, ``dU_g = da_g x_t^T``, ``db_g = sum_m da_g``,
    ``dx_t = sum_g U_g^T da_g``, and ``h_prev`` collects four paths: the direct one
    ``dh_next * (1 - z)``, the candidate's (``(W_h^T da_h) * r`` or ``W_h^T da_hh``),
    ``W_z^T da_z`` and ``W_r^T da_r``.

    Args:
        dh_next: gradient of the loss with respect to ``h_next``, ``(n_h, m)``.
        cache: from :func:`gru_cell_forward`.

    Returns:
        dict ``dx_t (n_x, m)``, ``dh_prev (n_h, m)``, ``dUz dUr dUh (n_h, n_x)``,
        ``dWz dWr dWh (n_h, n_h)``, ``dbz dbr dbh (n_h, 1)`` and ``dbhh (n_h, 1)`` when the
        params have ``bhh``.
    """
    c, ra = cache, cache["reset_after"]
    dh_prev, da = _gru_step_backward(dh_next, c["h_prev"], c["z"], c["r"], c["h_tilde"], c.get("a_hh"),
                                     c["params"], ra)
    grads = _gru_param_grads({k: v[..., None] for k, v in da.items()}, c["x_t"][..., None],
                             c["h_prev"][..., None], c["r"][..., None], c["params"], ra)
    return {"dx_t": grads.pop("dx")[..., 0], "dh_prev": dh_prev, **grads}


def gru_backward(dh: np.ndarray, cache: dict) -> Grads:
    """Backpropagation through time for the GRU.

    ``dh[..., t]`` is the gradient the loss sends into ``h^{<t>}`` directly. Walking from
    ``t = T`` down to 1, step t receives ``dh^{<t>}`` plus the ``dh_prev`` of step t + 1 and
    runs the step backward of :func:`gru_cell_backward`. The direct path
    ``dh_prev = dh_next * (1 - z) + ...`` is the GRU's shortcut: where the update gate is
    closed (``z ~ 0``) the gradient passes back unchanged. The parameter gradients sum every
    step's contribution (one product over batch and time per parameter).

    Args:
        dh: ``(n_h, m, T)``.
        cache: from :func:`gru_forward`.

    Returns:
        dict ``dx (n_x, m, T)``, ``dh0 (n_h, m)`` and the parameter gradients as in
        :func:`gru_cell_backward`.
    """
    x, h0, h, z, r, h_tilde = (cache[k] for k in ("x", "h0", "h", "z", "r", "h_tilde"))
    params, reset_after = cache["params"], cache["reset_after"]
    a_hh = cache.get("a_hh")
    h_prev = previous_states(h0, h)
    dh = time_major(dh)
    da = {k: empty_over_time(*h.shape, h.dtype) for k in ["z", "r", "h"] + (["hh"] if reset_after else [])}
    dh_from_next = np.zeros_like(h0)  # dh_prev of step t + 1; nothing comes after the last step
    for t in reversed(range(x.shape[2])):
        dh_from_next, da_t = _gru_step_backward(
            dh[:, :, t] + dh_from_next, h_prev[:, :, t], z[:, :, t], r[:, :, t], h_tilde[:, :, t],
            None if a_hh is None else a_hh[:, :, t], params, reset_after)
        for k, v in da_t.items():
            da[k][:, :, t] = v
    grads = _gru_param_grads(da, x, h_prev, r, params, reset_after)
    return {"dx": grads.pop("dx"), "dh0": dh_from_next, **grads}


def init_gru_params(n_x: int, n_h: int, rng: np.random.Generator | None = None, dtype=np.float64,
                    reset_after: bool = False) -> Params:
    """Initial GRU parameters: ``U*`` scaled by ``1/sqrt(n_x)``, ``W*`` orthogonal, biases zero.

    Returns ``Uz Ur Uh (n_h, n_x)``, ``Wz Wr Wh (n_h, n_h)``, ``bz br bh (n_h, 1)`` and, when
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
