"""Tests of the synthetic tasks: shapes, dtypes, determinism, and correctness of the targets."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.data import (
    REBER_ALPHABET,
    adding_problem,
    binary_addition,
    bits_to_int,
    copy_task,
    is_reber,
    reber_strings,
)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- binary addition --------------------------------------------------------------------------


@pytest.mark.parametrize("n_bits", [2, 8, 16])
def test_binary_addition(n_bits: int) -> None:
    x, y = binary_addition(500, n_bits, rng=rng())
    assert x.shape == (2, 500, n_bits) and x.dtype == np.float64
    assert y.shape == (500, n_bits) and y.dtype == np.int64
    assert set(np.unique(x)) <= {0.0, 1.0} and set(np.unique(y)) <= {0, 1}
    a, b = bits_to_int(x)
    assert a.shape == (500,)
    assert a.min() >= 0 and a.max() < 2 ** (n_bits - 1)
    assert b.min() >= 0 and b.max() < 2 ** (n_bits - 1)
    np.testing.assert_array_equal(bits_to_int(y), a + b)


def test_binary_addition_bit_order_is_lsb_first() -> None:
    x, y = binary_addition(200, 8, rng=rng(3))
    a, b = bits_to_int(x)
    for i in range(20):
        assert "".join(str(int(v)) for v in x[0, i]) == format(int(a[i]), "08b")[::-1]
        assert "".join(str(int(v)) for v in y[i]) == format(int(a[i] + b[i]), "08b")[::-1]


def test_binary_addition_default_and_determinism() -> None:
    x1, y1 = binary_addition(10, rng=rng(7))
    x2, y2 = binary_addition(10, rng=rng(7))
    assert x1.shape == (2, 10, 8)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    x3, _ = binary_addition(10, rng=rng(8))
    assert not np.array_equal(x1, x3)


def test_bits_to_int() -> None:
    assert bits_to_int([1, 0, 1]) == 5
    assert bits_to_int(np.array([0, 0, 0, 1], dtype=bool)) == 8
    np.testing.assert_array_equal(bits_to_int([[1, 1], [0, 1]]), [3, 2])
    assert bits_to_int(np.ones((2, 3, 4))).shape == (2, 3)
    assert bits_to_int(np.ones(63, dtype=np.int64)) == 2**63 - 1
    with pytest.raises(ValueError):
        bits_to_int([0.5, 1])
    with pytest.raises(ValueError):
        bits_to_int(np.zeros(64))


def test_global_state_is_not_used() -> None:
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    binary_addition(5, rng=rng())
    adding_problem(5, 10, rng())
    copy_task(5, 3, 2, 4, rng())
    reber_strings(5, rng())
    assert np.random.random() == before


def test_rng_must_be_a_generator() -> None:
    with pytest.raises(TypeError, match="default_rng"):
        binary_addition(5, rng=0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        adding_problem(5, 10, np.random.RandomState(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        reber_strings(3, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: binary_addition(0, rng=rng()),
        lambda: binary_addition(5, 1, rng=rng()),
        lambda: binary_addition(5, 63, rng=rng()),
        lambda: adding_problem(5, 1, rng()),
        lambda: copy_task(5, 0, 2, 4, rng()),
        lambda: copy_task(5, 3, -1, 4, rng()),
        lambda: copy_task(5, 3, 2, 0, rng()),
        lambda: reber_strings(-1, rng()),
    ],
)
def test_invalid_sizes(call) -> None:
    with pytest.raises(ValueError):
        call()


# --- adding problem ---------------------------------------------------------------------------


@pytest.mark.parametrize("T", [2, 3, 10, 51])
def test_adding_problem(T: int) -> None:
    m = 300
    x, y = adding_problem(m, T, rng(1))
    assert x.shape == (2, m, T) and x.dtype == np.float64
    assert y.shape == (m,) and y.dtype == np.float64
    values, markers = x
    assert values.min() >= 0.0 and values.max() < 1.0
    assert set(np.unique(markers)) <= {0.0, 1.0}
    half = T // 2
    np.testing.assert_array_equal(markers[:, :half].sum(axis=1), 1.0)
    np.testing.assert_array_equal(markers[:, half:].sum(axis=1), 1.0)
    np.testing.assert_allclose(y, (values * markers).sum(axis=1), rtol=0, atol=1e-15)
    assert y.min() >= 0.0 and y.max() < 2.0


def test_adding_problem_markers_cover_both_halves() -> None:
    _, markers = adding_problem(2000, 10, rng(2))[0]
    positions = np.nonzero(markers)[1].reshape(2000, 2)
    assert set(positions[:, 0]) == set(range(5))
    assert set(positions[:, 1]) == set(range(5, 10))


def test_adding_problem_determinism() -> None:
    x1, y1 = adding_problem(20, 30, rng(5))
    x2, y2 = adding_problem(20, 30, rng(5))
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)


# --- copy task --------------------------------------------------------------------------------


@pytest.mark.parametrize("n_copy, delay, n_symbols", [(1, 0, 1), (5, 10, 8), (3, 0, 4)])
def test_copy_task(n_copy: int, delay: int, n_symbols: int) -> None:
    m = 50
    T = 2 * n_copy + delay + 1
    x, y = copy_task(m, n_copy, delay, n_symbols, rng(4))
    assert x.shape == (n_symbols + 2, m, T) and x.dtype == np.float64
    assert y.shape == (m, T) and y.dtype == np.int64
    np.testing.assert_array_equal(x.sum(axis=0), 1.0)  # one-hot
    symbols = x.argmax(axis=0)
    sequence = symbols[:, :n_copy]
    assert sequence.min() >= 1 and sequence.max() <= n_symbols
    np.testing.assert_array_equal(symbols[:, n_copy : n_copy + delay], 0)
    np.testing.assert_array_equal(symbols[:, n_copy + delay], n_symbols + 1)
    np.testing.assert_array_equal(symbols[:, n_copy + delay + 1 :], 0)
    np.testing.assert_array_equal(y[:, : T - n_copy], 0)
    np.testing.assert_array_equal(y[:, T - n_copy :], sequence)


def test_copy_task_uses_all_symbols_and_is_deterministic() -> None:
    x1, y1 = copy_task(200, 10, 5, 8, rng(9))
    x2, y2 = copy_task(200, 10, 5, 8, rng(9))
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert set(np.unique(y1[:, -10:])) == set(range(1, 9))


# --- Reber grammar ----------------------------------------------------------------------------

VALID_PLAIN = ["BTXSE", "BPVVE", "BTSXSE", "BPTVPSE", "BTSSXXTVVE", "BPTTVPXVVE", "BTXXVPSE"]
INVALID_PLAIN = [
    "",
    "B",
    "BTXS",  # no E
    "TXSE",  # no B
    "BTXSEE",  # trailing symbol
    "BTSE",  # S from state 1 loops, E not allowed there
    "BPVE",  # needs a second V (or P ...) before E
    "BTXXE",
    "BPVPE",
    "BTQSE",  # not in the alphabet
    "btxse",
]


@pytest.mark.parametrize("s", VALID_PLAIN)
def test_known_plain_strings(s: str) -> None:
    assert is_reber(s, embedded=False)
    assert not is_reber(s, embedded=True)
    assert is_reber("BT" + s + "TE") and is_reber("BP" + s + "PE")


@pytest.mark.parametrize("s", INVALID_PLAIN)
def test_known_invalid_plain_strings(s: str) -> None:
    assert not is_reber(s, embedded=False)
    assert not is_reber("BT" + s + "TE")


def test_embedded_branches_must_match() -> None:
    assert not is_reber("BTBTXSEPE")
    assert not is_reber("BPBTXSETE")
    assert not is_reber("BTBTXSEE")  # closing symbol missing
    assert not is_reber("BXBTXSEXE")  # branch symbol must be T or P


def test_generated_strings_are_accepted() -> None:
    for embedded in (True, False):
        strings = reber_strings(500, rng(11), embedded=embedded)
        assert len(strings) == 500
        assert all(set(s) <= set(REBER_ALPHABET) for s in strings)
        assert all(is_reber(s, embedded=embedded) for s in strings)
        assert min(map(len, strings)) == (9 if embedded else 5)
    assert {s[1] for s in reber_strings(200, rng(12))} == {"T", "P"}


def test_generation_determinism() -> None:
    assert reber_strings(50, rng(13)) == reber_strings(50, rng(13))
    assert reber_strings(50, rng(13)) != reber_strings(50, rng(14))
    assert reber_strings(0, rng()) == []


def _corruptions(s: str) -> list[str]:
    """Every single-symbol substitution of ``s`` over the alphabet."""
    return [s[:i] + c + s[i + 1 :] for i in range(len(s)) for c in REBER_ALPHABET if c != s[i]]


def test_single_substitutions_are_rejected_unless_grammatical() -> None:
    # A substitution may happen to give another grammatical string, so an independent reference
    # checker (below) decides which answer to expect.
    strings = reber_strings(100, rng(15), embedded=True)
    rejected = 0
    for s in strings:
        for bad in _corruptions(s):
            if not _reference_embedded(bad):
                assert not is_reber(bad), bad
                rejected += 1
            else:
                assert is_reber(bad), bad
    assert rejected > 1000


def test_mismatched_embedding_of_generated_strings() -> None:
    for s in reber_strings(100, rng(16)):
        swapped = {"T": "P", "P": "T"}[s[-2]]
        assert not is_reber(s[:-2] + swapped + "E")
        assert not is_reber(s[0] + swapped + s[2:])


def _reference_plain(s: str) -> bool:
    """An independent recursive-descent check of the plain grammar (not the automaton table)."""
    transitions = {
        0: {"T": 1, "P": 2},
        1: {"S": 1, "X": 3},
        2: {"T": 2, "V": 4},
        3: {"X": 2, "S": 5},
        4: {"P": 3, "V": 5},
    }
    if len(s) < 2 or s[0] != "B" or s[-1] != "E":
        return False
    state = 0
    for c in s[1:-1]:
        if state == 5 or c not in transitions[state]:
            return False
        state = transitions[state][c]
    return state == 5


def _reference_embedded(s: str) -> bool:
    return (
        len(s) >= 4
        and s[0] == "B"
        and s[1] in "TP"
        and s[-2] == s[1]
        and s[-1] == "E"
        and (_reference_plain(s[2:-2]))
    )
