"""Assignment 2's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it (not derived from the checks'
own mistake models) and must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check, run_check

from .variants import assert_diagnosed, assert_full_marks

NAMES = ["one_hot", "pad_sequences", "batch_sequences"]


@pytest.mark.parametrize("name", NAMES)
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


@pytest.mark.parametrize("name", NAMES)
def test_points_are_halves(name):
    assert all((2 * p.points).is_integer() and p.points > 0 for p in get_check(name).parts)


def test_cases_cover_the_edges():
    rng = np.random.default_rng(0)
    pad = get_check("pad_sequences").cases(rng)
    assert any(len(c.args[0]) == 1 for c in pad), "a batch of one"
    assert any(min(map(len, c.args[0])) == 0 for c in pad), "an empty sequence"
    assert any(c.kwargs.get("pad_id", 0) > 9 for c in pad), "a pad_id that is no token"
    assert all(isinstance(s, list) and all(type(v) is int for v in s) for c in pad for s in c.args[0])
    batch = get_check("batch_sequences").cases(rng)
    assert any(len(c.args[0]) == 1 and len(c.args[0][0]) == 1 for c in batch), "m = 1, T = 1"


# ---------------------------------------------------------------- one_hot

def test_one_hot_with_the_class_axis_last():
    def one_hot(ids, n):
        return np.eye(n)[ids]
    result = assert_diagnosed("one_hot", one_hot, "the class axis is last", partial=False)
    assert result.score == 0


def test_one_hot_transposed():
    def one_hot(ids, n):
        return np.eye(n)[ids].T
    result = assert_diagnosed("one_hot", one_hot, "the axes are reversed", partial=False)
    assert result.score == 0  # right only for 1-D ids, where the transpose moves the class axis to the front


def test_one_hot_with_one_row_too_many():
    def one_hot(ids, n):
        out = np.zeros((n + 1,) + ids.shape)
        for index in np.ndindex(ids.shape):
            out[(ids[index],) + index] = 1.0
        return out
    assert_diagnosed("one_hot", one_hot, "n rows, not n + 1", partial=False)


def test_one_hot_counting_ids_from_one():
    def one_hot(ids, n):
        out = np.zeros((n,) + ids.shape)
        for index in np.ndindex(ids.shape):
            if ids[index] + 1 < n:
                out[(ids[index] + 1,) + index] = 1.0
        return out
    result = assert_diagnosed("one_hot", one_hot, "the 1 of id k is not in row k")
    assert result.score == 0.5


def test_one_hot_thinking_ids_start_at_one():
    def one_hot(ids, n):
        return np.moveaxis(np.eye(n)[ids - 1], -1, 0)  # id 0 wraps around to the last row
    result = assert_diagnosed("one_hot", one_hot, "the 1 of id k is not in row k")
    assert result.score == 0.5


def test_one_hot_of_integers_and_booleans_is_accepted():
    assert_full_marks("one_hot", lambda ids, n: np.arange(n).reshape((n,) + (1,) * ids.ndim) == ids)


# ---------------------------------------------------------------- pad_sequences

def pad_from(body):
    """A student's pad_sequences: ``body(seqs, pad_id, T)`` returns (ids, mask)."""
    def pad_sequences(seqs, pad_id=0, length=None):
        T = max(len(s) for s in seqs) if length is None else length
        return body(seqs, pad_id, T)
    return pad_sequences


def padded_at_start(seqs, pad_id, T):
    ids = np.array([[pad_id] * (T - len(s)) + list(s[:T]) for s in seqs])
    mask = np.array([[0.0] * (T - len(s)) + [1.0] * len(s[:T]) for s in seqs])
    return ids, mask


def test_pad_at_the_start():
    assert_diagnosed("pad_sequences", pad_from(padded_at_start), "the padding is at the start")


def test_pad_with_an_inverted_mask():
    def body(seqs, pad_id, T):
        ids = np.array([list(s[:T]) + [pad_id] * (T - len(s)) for s in seqs])
        mask = (ids == pad_id).astype(float)  # marks the padding
        return ids, mask
    result = assert_diagnosed("pad_sequences", pad_from(body), "the mask is inverted", partial=False)
    assert result.parts[0].score == 0.5  # the ids have the right shape


def test_pad_with_a_mask_of_ones():
    def body(seqs, pad_id, T):
        ids = np.full((len(seqs), T), pad_id)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = s[:T]
        return ids, np.ones((len(seqs), T))
    result = assert_diagnosed("pad_sequences", pad_from(body), "the mask is all ones")
    assert result.score == 2.5


def test_pad_ignoring_pad_id():
    def body(seqs, pad_id, T):
        ids, mask = np.zeros((len(seqs), T), dtype=int), np.zeros((len(seqs), T))
        for i, s in enumerate(seqs):
            ids[i, :len(s)], mask[i, :len(s)] = s[:T], 1.0
        return ids, mask
    result = assert_diagnosed("pad_sequences", pad_from(body), "they must hold pad_id")
    assert result.parts[3].score == 1.0  # the mask is right


def test_pad_with_float_ids():
    def body(seqs, pad_id, T):
        ids, mask = np.full((len(seqs), T), float(pad_id)), np.zeros((len(seqs), T))
        for i, s in enumerate(seqs):
            ids[i, :len(s)], mask[i, :len(s)] = s[:T], 1.0
        return ids, mask
    result = assert_diagnosed("pad_sequences", pad_from(body), "must be integers")
    assert result.score == 3.5


def test_pad_ignoring_the_length_argument():
    def pad_sequences(seqs, pad_id=0, length=None):
        T = max(len(s) for s in seqs)
        ids, mask = np.full((len(seqs), T), pad_id), np.zeros((len(seqs), T))
        for i, s in enumerate(seqs):
            ids[i, :len(s)], mask[i, :len(s)] = s, 1.0
        return ids, mask
    result = assert_diagnosed("pad_sequences", pad_sequences, "the length argument is ignored")
    assert result.score == 3.0  # the ids shape and the length part are lost


def test_pad_truncating_from_the_front():
    def body(seqs, pad_id, T):
        ids, mask = np.full((len(seqs), T), pad_id), np.zeros((len(seqs), T))
        for i, s in enumerate(seqs):
            kept = s[-T:] if len(s) > T else s
            ids[i, :len(kept)], mask[i, :len(kept)] = kept, 1.0
        return ids, mask
    result = assert_diagnosed("pad_sequences", pad_from(body), "keeps its first T ids")
    assert result.score == 3.5


def test_pad_with_transposed_outputs():
    def pad_sequences(seqs, pad_id=0, length=None):
        ids, mask = ref.pad_sequences(seqs, pad_id, length)
        return ids.T, mask.T
    result = run_check("pad_sequences", pad_sequences, seed=0)
    assert "ids is transposed" in result.report() and result.score == 0.5  # only the dtype part


# ---------------------------------------------------------------- batch_sequences

def batch_from(layout="nmt", zero_padding=True):
    """A student's batch_sequences that one-hots padded ids with ``np.eye`` and lays x out as ``layout``."""
    def batch_sequences(seqs, n_x, pad_id=0, length=None):
        ids, mask = ref.pad_sequences(seqs, pad_id, length)
        x = np.eye(n_x)[ids]  # (m, T, n_x); a negative pad_id silently picks a row from the end
        if zero_padding:
            x = x * mask[:, :, None]
        order = {"m": 0, "t": 1, "n": 2}
        return np.transpose(x, [order[a] for a in layout]), mask
    return batch_sequences


def test_batch_with_the_right_layout_scores_full_marks():
    assert_full_marks("batch_sequences", batch_from())


@pytest.mark.parametrize("layout,fragment", [("mtn", "laid out (m, T, n_x)"), ("tmn", "laid out (T, m, n_x)"),
                                             ("ntm", "laid out (n_x, T, m)"), ("mnt", "laid out (m, n_x, T)")])
def test_batch_in_another_layout(layout, fragment):
    result = assert_diagnosed("batch_sequences", batch_from(layout), fragment)
    assert result.score == 0.5  # the mask is right


def test_batch_with_one_hot_padding():
    result = assert_diagnosed("batch_sequences", batch_from(zero_padding=False), "all-zero vectors")
    assert result.score == 1.0


def test_batch_padded_at_the_start():
    def batch_sequences(seqs, n_x, pad_id=0, length=None):
        T = max(len(s) for s in seqs) if length is None else length
        ids, mask = padded_at_start(seqs, pad_id, T)
        x = np.zeros((n_x, len(seqs), T))
        for i in range(len(seqs)):
            for t in range(T):
                if mask[i, t]:
                    x[ids[i, t], i, t] = 1.0
        return x, mask
    assert_diagnosed("batch_sequences", batch_sequences, "the padding is at the start", partial=False)


def test_batch_ignoring_the_mask():
    def batch_sequences(seqs, n_x, pad_id=0, length=None):
        ids, mask = ref.pad_sequences(seqs, pad_id, length)
        return ref.one_hot(np.where(mask > 0, ids, 0), n_x) * mask, np.ones_like(mask)
    result = assert_diagnosed("batch_sequences", batch_sequences, "the mask is all ones")
    assert result.score == 2.5
