"""Many-to-one and encoder--decoder (chapter 5): gradients of the whole model with its loss."""

import numpy as np
import pytest

from autograder.reference.rnn import softmax_cross_entropy
from autograder.reference.rnn_types import (
    encoder_decoder_backward,
    encoder_decoder_forward,
    many_to_one_backward,
    many_to_one_forward,
)
from tests.reference.gradients import assert_gradients, random_params


@pytest.mark.parametrize("n_x,n_h,n_y,m,T", [(3, 5, 4, 2, 6), (1, 1, 2, 1, 1), (8, 6, 10, 3, 8)])
def test_many_to_one_gradients(n_x, n_h, n_y, m, T):
    rng = np.random.default_rng(T)
    v = random_params(rng, {"U": (n_h, n_x), "W": (n_h, n_h), "b": (n_h, 1), "V": (n_y, n_h), "by": (n_y, 1)})
    v["x"] = rng.standard_normal((n_x, m, T))
    y = rng.integers(0, n_y, size=m)

    def forward(v):
        z, cache = many_to_one_forward(v["x"], {k: v[k] for k in ("U", "W", "b", "V", "by")})
        assert z.shape == (n_y, m)
        return (*softmax_cross_entropy(z, y), cache)

    _, dz, cache = forward(v)
    assert_gradients(lambda v: forward(v)[0], v, many_to_one_backward(dz, cache))


@pytest.mark.parametrize("T_x,T_y,m", [(5, 3, 2), (1, 4, 1), (3, 1, 3)])
def test_encoder_decoder_gradients(T_x, T_y, m):
    rng = np.random.default_rng(T_x * 10 + T_y)
    n_x, n_h, n_y = 3, 4, 5
    enc = random_params(rng, {"U": (n_h, n_x), "W": (n_h, n_h), "b": (n_h, 1)})
    dec = random_params(rng, {"U": (n_h, n_y), "W": (n_h, n_h), "b": (n_h, 1), "V": (n_y, n_h), "by": (n_y, 1)})
    x, y_in = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_y, m, T_y))
    y = rng.integers(0, n_y, size=(m, T_y))
    v = {"x": x, "y_in": y_in} | {"enc_" + k: a for k, a in enc.items()} | {"dec_" + k: a for k, a in dec.items()}

    def forward(v):
        e = {k: v["enc_" + k] for k in enc}
        d = {k: v["dec_" + k] for k in dec}
        z, cache = encoder_decoder_forward(v["x"], v["y_in"], e, d)
        return (*softmax_cross_entropy(z, y), cache)

    _, dz, cache = forward(v)
    g = encoder_decoder_backward(dz, cache)
    grads = {"dx": g["dx"], "dy_in": g["dy_in"]}
    grads |= {"denc_" + k[1:]: a for k, a in g["enc"].items()} | {"ddec_" + k[1:]: a for k, a in g["dec"].items()}
    assert_gradients(lambda v: forward(v)[0], v, grads)
