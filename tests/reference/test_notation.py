"""Tests of the chapter 2 reference: one-hot vectors, padding and masks, batches (n_x, m, T)."""

import numpy as np
import pytest

from autograder.reference.notation import (
    batch_sequences,
    lm_batch,
    one_hot,
    pad_sequences,
    sequential_batches,
)

# ----------------------------------------------------------------------------- one_hot


def test_one_hot_worked_example():
    y = one_hot(np.array([[0, 2], [1, 0]]), 3)
    expected = np.array(
        [
            [[1.0, 0.0], [0.0, 1.0]],  # class 0
            [[0.0, 0.0], [1.0, 0.0]],  # class 1
            [[0.0, 1.0], [0.0, 0.0]],  # class 2
        ]
    )
    assert y.dtype == np.float64
    assert y.shape == (3, 2, 2)
    np.testing.assert_array_equal(y, expected)


def test_one_hot_of_a_vector_and_a_scalar():
    np.testing.assert_array_equal(
        one_hot([2, 0, 1], 4),
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    )
    np.testing.assert_array_equal(one_hot(1, 3), [0.0, 1.0, 0.0])


def test_one_hot_columns_are_unit_vectors():
    ids = np.random.default_rng(0).integers(0, 5, size=(4, 6))
    y = one_hot(ids, 5)
    assert y.shape == (5, 4, 6)
    np.testing.assert_array_equal(y.sum(axis=0), np.ones((4, 6)))
    np.testing.assert_array_equal(y.argmax(axis=0), ids)


@pytest.mark.parametrize("bad", [3, -1, 7])
def test_one_hot_names_the_out_of_range_id(bad):
    with pytest.raises(ValueError, match=rf"id {bad} is out of range \[0, 3\)"):
        one_hot([[0, 1], [bad, 2]], 3)


@pytest.mark.parametrize(
    "ids, n, match",
    [([0.0, 1.0], 2, "integers"), ([True, False], 2, "integers"), ([0], 0, "n must"),
     ([0], 2.0, "n must")],
)
def test_one_hot_rejects_bad_arguments(ids, n, match):
    with pytest.raises(ValueError, match=match):
        one_hot(ids, n)


# ----------------------------------------------------------------------------- padding


def test_pad_sequences_worked_example():
    ids, mask = pad_sequences([[5, 3, 2], [7], [4, 1]])
    np.testing.assert_array_equal(ids, [[5, 3, 2], [7, 0, 0], [4, 1, 0]])
    np.testing.assert_array_equal(mask, [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    assert ids.dtype == np.int64
    assert mask.dtype == np.float64


def test_pad_sequences_with_pad_id_and_length():
    ids, mask = pad_sequences([[5, 3, 2], [7], [4, 1]], pad_id=9, length=2)
    np.testing.assert_array_equal(ids, [[5, 3], [7, 9], [4, 1]])
    np.testing.assert_array_equal(mask, [[1.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    ids, mask = pad_sequences([np.array([1, 2]), []], pad_id=-1, length=4)
    np.testing.assert_array_equal(ids, [[1, 2, -1, -1], [-1, -1, -1, -1]])
    np.testing.assert_array_equal(mask, [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])


def test_pad_sequences_does_not_modify_inputs():
    seq = np.array([1, 2, 3])
    ids, _ = pad_sequences([seq])
    ids[0, 0] = 99
    np.testing.assert_array_equal(seq, [1, 2, 3])


@pytest.mark.parametrize(
    "seqs, kwargs, match",
    [
        ([], {}, "at least one"),
        ([[1, 2], [[1]]], {}, "1-D"),
        ([[1.5, 2.0]], {}, "integers"),
        ([[1, 2]], {"length": -1}, "length"),
        ([[1, 2]], {"pad_id": 0.5}, "pad_id"),
    ],
)
def test_pad_sequences_rejects_bad_arguments(seqs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pad_sequences(seqs, **kwargs)


# ----------------------------------------------------------------------------- batching


def test_batch_sequences_worked_example():
    x, mask = batch_sequences([[2, 0], [1]], n_x=3)
    expected = np.array(
        [
            [[0.0, 1.0], [0.0, 0.0]],  # feature 0
            [[0.0, 0.0], [1.0, 0.0]],  # feature 1
            [[1.0, 0.0], [0.0, 0.0]],  # feature 2
        ]
    )
    np.testing.assert_array_equal(x, expected)
    np.testing.assert_array_equal(mask, [[1.0, 1.0], [1.0, 0.0]])


def test_batch_shapes_and_padded_positions_are_zero_vectors():
    rng = np.random.default_rng(1)
    seqs = [rng.integers(0, 6, size=L) for L in (4, 1, 7, 3)]
    x, mask = batch_sequences(seqs, n_x=6, pad_id=5)
    assert x.shape == (6, 4, 7)  # (n_x, m, T)
    assert mask.shape == (4, 7)
    assert x.dtype == np.float64
    np.testing.assert_array_equal(x.sum(axis=0), mask)  # one-hot where real, zero where padded
    for i, s in enumerate(seqs):
        np.testing.assert_array_equal(x[:, i, : len(s)], one_hot(s, 6))
        assert not x[:, i, len(s) :].any()


def test_batch_sequences_pad_id_outside_vocab_is_fine_and_length():
    x, mask = batch_sequences([[1], [0, 1, 1]], n_x=2, pad_id=-1, length=2)
    assert x.shape == (2, 2, 2)
    np.testing.assert_array_equal(x[:, 0, 1], [0.0, 0.0])
    np.testing.assert_array_equal(mask, [[1.0, 0.0], [1.0, 1.0]])


def test_batch_sequences_rejects_bad_ids():
    with pytest.raises(ValueError, match="id 4 is out of range"):
        batch_sequences([[1, 4]], n_x=3)
    with pytest.raises(ValueError, match="n_x"):
        batch_sequences([[1]], n_x=0)


# ----------------------------------------------------------------------------- LM batches


def test_lm_batch_targets_are_inputs_shifted_by_one():
    corpus = np.arange(100, 150)  # ids equal to 100 + position: the offset is visible
    inputs, targets = lm_batch(corpus, seq_len=8, batch_size=5, rng=np.random.default_rng(0))
    assert inputs.shape == targets.shape == (5, 8)
    assert inputs.dtype == targets.dtype == np.int64
    for row_in, row_tg in zip(inputs, targets):
        start = row_in[0] - 100
        np.testing.assert_array_equal(row_in, corpus[start : start + 8])
        np.testing.assert_array_equal(row_tg, corpus[start + 1 : start + 9])


def test_lm_batch_windows_lie_inside_a_random_corpus():
    rng = np.random.default_rng(3)
    corpus = rng.integers(0, 4, size=60)
    windows = np.lib.stride_tricks.sliding_window_view(corpus, 11)  # all (input, target) spans
    inputs, targets = lm_batch(corpus, 10, 32, np.random.default_rng(7))
    np.testing.assert_array_equal(targets[:, :-1], inputs[:, 1:])
    spans = np.concatenate([inputs, targets[:, -1:]], axis=1)
    for span in spans:
        assert (windows == span).all(axis=1).any()


def test_lm_batch_uses_every_start_including_the_last():
    corpus = np.arange(6)
    inputs, targets = lm_batch(corpus, 5, 50, np.random.default_rng(0))
    # only one window fits: inputs 0..4, targets 1..5
    np.testing.assert_array_equal(inputs, np.tile(np.arange(5), (50, 1)))
    np.testing.assert_array_equal(targets, np.tile(np.arange(1, 6), (50, 1)))
    inputs, _ = lm_batch(np.arange(7), 5, 200, np.random.default_rng(0))
    assert set(inputs[:, 0]) == {0, 1}


def test_lm_batch_is_deterministic_under_a_seed():
    corpus = np.random.default_rng(0).integers(0, 50, size=1000)
    a = lm_batch(corpus, 16, 4, np.random.default_rng(42))
    b = lm_batch(corpus, 16, 4, np.random.default_rng(42))
    c = lm_batch(corpus, 16, 4, np.random.default_rng(43))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.arange(5), 5, 2, np.random.default_rng()), "seq_len"),
        ((np.arange(10), 0, 2, np.random.default_rng()), "seq_len"),
        ((np.arange(10), 3, 0, np.random.default_rng()), "batch_size"),
        ((np.arange(10).reshape(2, 5), 3, 2, np.random.default_rng()), "1-D"),
        ((np.linspace(0, 1, 10), 3, 2, np.random.default_rng()), "integers"),
        ((np.arange(10), 3, 2, 0), "rng"),
    ],
)
def test_lm_batch_rejects_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        lm_batch(*args)


def test_sequential_batches_worked_example():
    batches = list(sequential_batches(np.arange(12), seq_len=3, batch_size=2))
    # 11 targets: three full windows of 3, then one window of 2
    assert len(batches) == 3
    np.testing.assert_array_equal(batches[0][0], [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(batches[0][1], [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(batches[1][0], [[6, 7, 8]])
    np.testing.assert_array_equal(batches[1][1], [[7, 8, 9]])
    np.testing.assert_array_equal(batches[2][0], [[9, 10]])
    np.testing.assert_array_equal(batches[2][1], [[10, 11]])


@pytest.mark.parametrize("n, seq_len, batch_size", [(2, 1, 1), (50, 7, 3), (49, 8, 2), (9, 20, 4)])
def test_sequential_batches_cover_the_text_exactly_once(n, seq_len, batch_size):
    corpus = np.random.default_rng(n).integers(0, 9, size=n)
    batches = list(sequential_batches(corpus, seq_len, batch_size))
    for inputs, targets in batches:
        assert inputs.shape == targets.shape
        assert inputs.shape[0] <= batch_size and inputs.shape[1] <= seq_len
    np.testing.assert_array_equal(np.concatenate([b[0].ravel() for b in batches]), corpus[:-1])
    np.testing.assert_array_equal(np.concatenate([b[1].ravel() for b in batches]), corpus[1:])


def test_sequential_batches_validate_eagerly():
    with pytest.raises(ValueError, match="at least 2"):
        sequential_batches(np.arange(1), 3, 2)  # raised on the call, before iterating
    with pytest.raises(ValueError, match="seq_len"):
        sequential_batches(np.arange(10), 0, 2)
    with pytest.raises(ValueError, match="batch_size"):
        sequential_batches(np.arange(10), 3, -1)
