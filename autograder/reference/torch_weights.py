"""Weights of the book's RNN, LSTM and GRU as ``torch.nn.RNN / LSTM / GRU`` state dicts, and back.

Pure NumPy: the functions build and read dicts of arrays; wrap them with ``torch.from_numpy``
to call ``module.load_state_dict``. PyTorch keeps one layer in four tensors, gates stacked in
rows, with ``(n_h,)`` biases on both the input and the recurrent side:

=============  ==========  =============================  =========================
torch tensor   ``nn.RNN``  ``nn.LSTM`` (rows i, f, g, o)  ``nn.GRU`` (rows r, z, n)
=============  ==========  =============================  =========================
``weight_ih``  ``U``       ``[Ui; Uf; Ug; Uo]``           ``[Ur; -Uu; Uh]``
``weight_hh``  ``W``       ``[Wi; Wf; Wg; Wo]``           ``[Wr; -Wu; Wh]``
``bias_ih``    ``b``       ``[bi; bf; bg; bo]``           ``[br; -bu; bh]``
``bias_hh``    ``0``       ``0``                          ``[0; 0; bhh]``
=============  ==========  =============================  =========================

Shapes: ``weight_ih (k n_h, n_x)``, ``weight_hh (k n_h, n_h)``, biases ``(k n_h,)`` with
``k = 1, 4, 3``. Each name carries a suffix: ``_l0`` for the first layer, ``_l1`` for the
second, ``_l0_reverse`` for the backward direction of a bidirectional layer.

Where the book has one bias and PyTorch two that are always added (every RNN and LSTM bias,
the GRU's r and z rows), ``*_to_torch`` puts the bias in ``bias_ih`` and zeros in
``bias_hh``, and ``*_from_torch`` sums the two. The GRU's candidate keeps both:
PyTorch's ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`` is the book's reset-after form with
``bh = b_in`` and ``bhh = b_hn``; ``nn.GRU`` has no reset-before form.

The GRU's update gate is mirrored. PyTorch computes ``h' = (1 - z) * n + z * h``, the book
``h' = u * h~ + (1 - u) * h``, so PyTorch's ``z = 1 - u``. Since ``1 - sigma(a) = sigma(-a)``, PyTorch's
z rows hold the book's update-gate parameters negated.

Gradients map like the weights, except that torch's two added biases both receive the
gradient of the book's one bias: :func:`grads_to_torch` lays out a backward function's
gradients as torch's ``.grad`` tensors.
"""

from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]

LSTM_ROWS = "ifgo"  # torch.nn.LSTM's gate order
GRU_ROWS = (("r", 1.0), ("u", -1.0), ("h", 1.0))  # torch.nn.GRU's gate order (r, z, n) and sign


def _names(suffix: str) -> tuple[str, str, str, str]:
    return tuple(name + suffix for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))


def _state(suffix, weight_ih, weight_hh, bias_ih, bias_hh) -> Params:
    return dict(zip(_names(suffix), (weight_ih, weight_hh, bias_ih.reshape(-1), bias_hh.reshape(-1))))


def _rows(state: Params, suffix: str, k: int) -> list[list[np.ndarray]]:
    """The four tensors of a layer, each split into its ``k`` gate blocks."""
    return [np.split(np.asarray(state[name]), k, axis=0) for name in _names(suffix)]


def rnn_to_torch(params: Params, suffix: str = "_l0") -> Params:
    """``torch.nn.RNN`` (tanh) state dict of one layer from ``U (n_h, n_x)``, ``W (n_h, n_h)``,
    ``b (n_h, 1)``: keys ``weight_ih<suffix>``, ``weight_hh<suffix>``, ``bias_ih<suffix>``,
    ``bias_hh<suffix>`` (``b`` in ``bias_ih``, zeros in ``bias_hh``)."""
    return _state(suffix, params["U"], params["W"], params["b"], np.zeros_like(params["b"]))


def rnn_from_torch(state: Params, suffix: str = "_l0") -> Params:
    """``U, W, b`` from a ``torch.nn.RNN`` state dict (arrays); ``b = bias_ih + bias_hh``."""
    (U,), (W,), (b_ih,), (b_hh,) = _rows(state, suffix, 1)
    return {"U": U.copy(), "W": W.copy(), "b": (b_ih + b_hh)[:, None]}


def lstm_to_torch(params: Params, suffix: str = "_l0") -> Params:
    """``torch.nn.LSTM`` state dict of one layer from the book's 12 LSTM parameters.

    ``weight_ih = [Ui; Uf; Ug; Uo] (4 n_h, n_x)``, ``weight_hh = [Wi; Wf; Wg; Wo] (4 n_h, n_h)``,
    ``bias_ih = [bi; bf; bg; bo] (4 n_h,)``, ``bias_hh`` zeros.
    """
    stacked = [np.concatenate([params[p + k] for k in LSTM_ROWS]) for p in "UWb"]
    return _state(suffix, *stacked, np.zeros_like(stacked[2]))


def lstm_from_torch(state: Params, suffix: str = "_l0") -> Params:
    """The book's 12 LSTM parameters from a ``torch.nn.LSTM`` state dict (arrays); each gate's
    bias is the sum of its ``bias_ih`` and ``bias_hh`` rows."""
    U, W, b_ih, b_hh = _rows(state, suffix, 4)
    params = {}
    for j, k in enumerate(LSTM_ROWS):
        params |= {"U" + k: U[j].copy(), "W" + k: W[j].copy(), "b" + k: (b_ih[j] + b_hh[j])[:, None]}
    return params


def gru_to_torch(params: Params, suffix: str = "_l0", reset_after: bool = True) -> Params:
    """``torch.nn.GRU`` state dict of one layer from the book's reset-after GRU parameters.

    ``weight_ih = [Ur; -Uu; Uh]``, ``weight_hh = [Wr; -Wu; Wh]``, ``bias_ih = [br; -bu; bh]``,
    ``bias_hh = [0; 0; bhh]`` (``bhh`` zero when absent); the update gate is negated because
    PyTorch's ``z`` is the book's ``1 - u`` (module docstring).

    Raises:
        ValueError: if ``reset_after`` is false -- ``torch.nn.GRU`` only implements the
            reset-after form, so reset-before weights have no PyTorch equivalent.
    """
    if not reset_after:
        raise ValueError("torch.nn.GRU implements only the reset-after GRU (r multiplies W_h h + b_hh); "
                         "weights of the reset-before form have no torch.nn.GRU equivalent")
    bhh = params.get("bhh", np.zeros_like(params["bh"]))
    stacked = [np.concatenate([sign * params[p + k] for k, sign in GRU_ROWS]) for p in "UWb"]
    zeros = np.zeros_like(params["br"])
    return _state(suffix, *stacked, np.concatenate([zeros, zeros, bhh]))


def gru_from_torch(state: Params, suffix: str = "_l0") -> Params:
    """The book's reset-after GRU parameters, ``bhh`` included, from a ``torch.nn.GRU`` state dict.

    ``bu = -(b_iz + b_hz)``, ``br = b_ir + b_hr``, ``bh = b_in``, ``bhh = b_hn``; the weights of
    the z rows are negated back.
    """
    U, W, b_ih, b_hh = _rows(state, suffix, 3)
    params = {}
    for j, (k, sign) in enumerate(GRU_ROWS):
        b = b_ih[j] if k == "h" else b_ih[j] + b_hh[j]
        params |= {"U" + k: sign * U[j], "W" + k: sign * W[j], "b" + k: (sign * b)[:, None]}
    params["bhh"] = b_hh[2][:, None].copy()
    return {k: params[k] for k in ("Uu", "Wu", "bu", "Ur", "Wr", "br", "Uh", "Wh", "bh", "bhh")}


TO_TORCH = {"rnn": rnn_to_torch, "lstm": lstm_to_torch, "gru": gru_to_torch}
# (gate blocks whose two torch biases are simply added -- they come first --, gate blocks)
SHARED_BIAS_BLOCKS = {"rnn": (1, 1), "lstm": (4, 4), "gru": (2, 3)}


def grads_to_torch(grads: Params, cell: str, suffix: str = "_l0") -> Params:
    """Our parameter gradients (keyed ``"d" + name``, as backward functions return them) in the
    layout of torch's ``.grad`` tensors, for comparing with ``module.named_parameters()``.

    The weights map like the parameters. A bias differs: where torch adds ``bias_ih`` and
    ``bias_hh``, both receive the gradient of our one bias (``*_to_torch`` puts the *value* in
    ``bias_ih`` only). The GRU's candidate rows get ``dbh`` and ``dbhh`` separately, so GRU
    gradients must include ``dbhh`` (run the GRU with ``bhh`` in params, zeros will do).
    Other keys (``dx``, ``dh0``, ``dc0``) are ignored.
    """
    if cell not in TO_TORCH:
        raise ValueError(f"cell must be one of {tuple(TO_TORCH)}, got {cell!r}")
    if cell == "gru" and "dbhh" not in grads:
        raise ValueError("GRU gradients need dbhh: torch's bias_hh has candidate rows of its own; "
                         "run gru_forward with bhh in params (zeros are fine) and reset_after=True")
    state = TO_TORCH[cell]({k[1:]: v for k, v in grads.items() if k.startswith("d")}, suffix)
    shared, blocks = SHARED_BIAS_BLOCKS[cell]
    b_ih, b_hh = state["bias_ih" + suffix], state["bias_hh" + suffix]
    n = b_ih.shape[0] // blocks * shared
    b_hh[:n] = b_ih[:n]
    return state
