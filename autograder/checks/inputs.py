"""Random inputs for the checks: float64, seeded, with the sizes every check covers.

Sizes always include a batch of one (``m = 1``), a single time step (``T = 1``), one input
(``n_x = 1``), one hidden unit (``n_h = 1``), all of them at once, non-square weights
(``n_x != n_h != n_y``) so that a transposed matrix fails loudly, and one square case
(``n_x = n_h = n_y``) where a transposed matrix still runs and can be recognised by its values. A
size of one is where ``np.squeeze`` and a lost ``keepdims`` break code that works elsewhere.
Biases are drawn non-zero so that a missing bias changes the answer.
"""

from __future__ import annotations

import numpy as np

# (n_x, n_h, n_y, m, T); labels are what messages show. The first case's sizes all differ, so a
# wrong shape in it can be named in the book's symbols ((n_h, m) and not (n_x, m)).
SIZES = [
    (3, 5, 4, 6, 7),
    (4, 3, 2, 1, 1),
    (2, 6, 3, 1, 5),
    (4, 4, 4, 3, 3),  # square: a transposed weight runs, and is recognised by its values
    (1, 4, 3, 2, 5),  # one input
    (3, 1, 2, 5, 4),  # one hidden unit
    (1, 1, 1, 1, 1),  # a size of one everywhere
]


def label(n_x=None, n_h=None, n_y=None, m=None, T=None, **more) -> str:
    parts = [f"{k}={v}" for k, v in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y), ("m", m), ("T", T)) if v is not None]
    parts += [f"{k}={v}" for k, v in more.items()]
    return ", ".join(parts)


def normal(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    return scale * rng.standard_normal(shape)


def state(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    """A hidden state in (-1, 1), like one a tanh layer produces."""
    return np.tanh(rng.standard_normal((n, m)))


def rnn_params(rng: np.random.Generator, n_x: int, n_h: int, n_y: int | None = None) -> dict:
    """``U, W, b`` (and ``V, by``): weights scaled by 1/sqrt(fan-in), biases of size 0.5."""
    p = {"U": normal(rng, n_h, n_x, scale=n_x**-0.5), "W": normal(rng, n_h, n_h, scale=n_h**-0.5),
         "b": normal(rng, n_h, 1, scale=0.5)}
    if n_y is not None:
        p |= {"V": normal(rng, n_y, n_h, scale=n_h**-0.5), "by": normal(rng, n_y, 1, scale=0.5)}
    return p


def subset(params: dict, keys: str) -> dict:
    return {k: params[k] for k in keys.split()}
