"""RNN architectures by the shapes of their inputs and outputs (chapter 5).

* many-to-one: read ``x^{<1>} ... x^{<T>}``, predict once from the last state ``h^{<T>}``
  (sentiment; an image read row by row).
* encoder--decoder (many-to-many with ``T_x != T_y``): an encoder RNN reads the input, its last
  state starts a decoder RNN, which reads the previous target token at every step (teacher
  forcing) and predicts the next.

Both are built from the chapter 3/4 pieces; parameters use the vanilla RNN's names.
"""

from __future__ import annotations

import numpy as np

from .rnn import output_backward, output_forward, rnn_backward, rnn_forward


def many_to_one_forward(x: np.ndarray, params: dict[str, np.ndarray]):
    """``z = V h^{<T>} + b_y`` after running the RNN over ``x`` from ``h^{<0>} = 0``.

    Args:
        x: ``(n_x, m, T)``.
        params: ``U (n_h, n_x)``, ``W (n_h, n_h)``, ``b (n_h, 1)``, ``V (n_y, n_h)``, ``by (n_y, 1)``.

    Returns:
        ``(z, cache)``: logits ``(n_y, m)``; ``cache`` has keys ``rnn``, ``output``.
    """
    h0 = np.zeros((params["W"].shape[0], x.shape[1]), dtype=x.dtype)
    h, rnn_cache = rnn_forward(x, h0, params)
    z, out_cache = output_forward(h[:, :, -1], params)
    return z, {"rnn": rnn_cache, "output": out_cache}


def many_to_one_backward(dz: np.ndarray, cache: dict) -> dict[str, np.ndarray]:
    """Backward of :func:`many_to_one_forward`; only ``h^{<T>}`` receives a gradient from the loss.

    Args:
        dz: ``(n_y, m)``.

    Returns:
        dict ``dx (n_x, m, T)``, ``dU``, ``dW``, ``db``, ``dV``, ``dby``.
    """
    out = output_backward(dz, cache["output"])
    dh = np.zeros_like(cache["rnn"]["h"])
    dh[:, :, -1] = out["dh"]
    rnn = rnn_backward(dh, cache["rnn"])
    return {"dx": rnn["dx"], "dU": rnn["dU"], "dW": rnn["dW"], "db": rnn["db"],
            "dV": out["dV"], "dby": out["dby"]}


def encoder_decoder_forward(x: np.ndarray, y_in: np.ndarray, params_enc: dict, params_dec: dict):
    """Encoder--decoder: ``h_dec^{<0>} = h_enc^{<T_x>}``, logits ``z^{<t>} = V h_dec^{<t>} + b_y``.

    Args:
        x: source sequence, ``(n_x, m, T_x)``.
        y_in: decoder inputs, ``(n_y_in, m, T_y)`` -- the one-hot previous target tokens, the
            first being a start symbol.
        params_enc: ``U (n_h, n_x)``, ``W``, ``b`` of the encoder.
        params_dec: ``U (n_h, n_y_in)``, ``W``, ``b``, ``V (n_y, n_h)``, ``by (n_y, 1)``.

    Returns:
        ``(z, cache)``: logits ``(n_y, m, T_y)``; feed them to ``softmax_cross_entropy`` with
        the targets ``(m, T_y)`` for the loss. ``cache`` has keys ``encoder``, ``decoder``,
        ``output``.
    """
    h0 = np.zeros((params_enc["W"].shape[0], x.shape[1]), dtype=x.dtype)
    h_enc, enc_cache = rnn_forward(x, h0, params_enc)
    h_dec, dec_cache = rnn_forward(y_in, h_enc[:, :, -1], params_dec)
    z, out_cache = output_forward(h_dec, params_dec)
    return z, {"encoder": enc_cache, "decoder": dec_cache, "output": out_cache}


def encoder_decoder_backward(dz: np.ndarray, cache: dict) -> dict:
    """Backward of :func:`encoder_decoder_forward`.

    The decoder's ``dh0`` is the gradient reaching the encoder's last state.

    Returns:
        dict ``dx (n_x, m, T_x)``, ``dy_in``, ``enc`` (``dU dW db``), ``dec`` (``dU dW db dV dby``).
    """
    out = output_backward(dz, cache["output"])
    dec = rnn_backward(out["dh"], cache["decoder"])
    dh_enc = np.zeros_like(cache["encoder"]["h"])
    dh_enc[:, :, -1] = dec["dh0"]
    enc = rnn_backward(dh_enc, cache["encoder"])
    return {
        "dx": enc["dx"],
        "dy_in": dec["dx"],
        "enc": {k: enc[k] for k in ("dU", "dW", "db")},
        "dec": {"dU": dec["dU"], "dW": dec["dW"], "db": dec["db"], "dV": out["dV"], "dby": out["dby"]},
    }
