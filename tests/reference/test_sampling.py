"""Sampling (chapter 6): determinism under a seed, priming, temperature, stopping."""

import numpy as np
import pytest

from autograder.reference.sampling import sample

N = 4


def cyclic_model():
    """An RNN whose next id is almost surely (k + 1) mod N after reading id k."""
    return {"U": 5.0 * np.eye(N), "W": np.zeros((N, N)), "b": np.zeros((N, 1)),
            "V": 20.0 * np.roll(np.eye(N), 1, axis=0), "by": np.zeros((N, 1))}


def frequency_model(p):
    """Ignores its input: the next id is drawn from p at every step."""
    n_h = 2
    return {"U": np.zeros((n_h, len(p))), "W": np.zeros((n_h, n_h)), "b": np.zeros((n_h, 1)),
            "V": np.zeros((len(p), n_h)), "by": np.log(np.asarray(p))[:, None]}


def test_priming_sets_the_state():
    out = sample(cyclic_model(), 6, np.random.default_rng(0), prime=[2])
    assert out == [3, 0, 1, 2, 3, 0]


def test_greedy_decoding_and_end_id():
    assert sample(cyclic_model(), 10, np.random.default_rng(0), temperature=0, prime=[0], end_id=3) == [1, 2, 3]


def test_seeded_samples_are_reproducible():
    params = frequency_model([0.1, 0.2, 0.3, 0.4])
    a = sample(params, 50, np.random.default_rng(42))
    b = sample(params, 50, np.random.default_rng(42))
    assert a == b and len(a) == 50 and set(a) <= set(range(N))


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_temperature_reshapes_the_distribution(temperature):
    p = np.array([0.1, 0.2, 0.3, 0.4])
    ids = sample(frequency_model(p), 20000, np.random.default_rng(1), temperature=temperature)
    expected = p ** (1 / temperature) / np.sum(p ** (1 / temperature))
    freq = np.bincount(ids, minlength=N) / len(ids)
    np.testing.assert_allclose(freq, expected, atol=0.012)


def test_lstm_and_gru_models_sample():
    from autograder.reference.cells import init_params
    rng = np.random.default_rng(0)
    for cell in ("gru", "lstm"):
        params = init_params(cell, N, 5, rng) | {"V": rng.standard_normal((N, 5)), "by": np.zeros((N, 1))}
        out = sample(params, 8, np.random.default_rng(3), prime=[1, 2], cell=cell)
        assert out == sample(params, 8, np.random.default_rng(3), prime=[1, 2], cell=cell)
        assert len(out) == 8


@pytest.mark.parametrize("kwargs,message", [
    ({"temperature": -1.0}, "temperature"), ({"prime": [7]}, "prime"), ({"cell": "transformer"}, "cell"),
])
def test_sample_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample(cyclic_model(), 3, np.random.default_rng(0), **kwargs)
