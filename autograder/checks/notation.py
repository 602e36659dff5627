"""Checks for assignment 2, notation: one_hot, pad_sequences, batch_sequences.

The id sequences are lists of Python ints, as the notebook promises, of random lengths that include
a sequence of one id, an empty sequence, and a batch of one. Padding ids are rng-chosen and
non-zero in most cases (``pad_id = 0`` is also an ordinary token id, so a padded position that
still holds the one-hot vector of ``pad_id`` is recognisable), some negative as in the chapter.

Side effects: the harness compares an argument before and after the call only when it is an
array, so a function that pads the caller's lists in place (``seq.extend(...)``) cannot be seen
here; the notebook's visible tests check that the lists are left unchanged.
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .spec import Case, Check, Custom, Mistake, Shape, Values, register

# ---------------------------------------------------------------- one_hot

@register
class OneHot(Check):
    name = "one_hot"
    parts = (
        Shape((), 0.5, "shape"),
        Values((), 1.5, "values"),
    )

    def cases(self, rng):
        cases = []
        for shape, n in [((6,), 5), ((3, 4), 7), ((1, 1), 3), ((2, 3, 2), 4), ((5, 1), 10)]:
            ids = rng.integers(0, n, size=shape)
            ids.flat[0] = n - 1  # the last class occurs
            label = f"ids of shape {shape}, n={n}" + (" (m=1, T=1)" if shape == (1, 1) else "")
            cases.append(Case(label, (ids, n)))
        return cases

    def expected(self, case):
        return ref.one_hot(*case.args)

    def mistakes(self):
        def eye(case):
            ids, n = case.args
            return np.eye(n)[ids]

        return [
            Mistake("class axis last", "the class axis is last; it comes first: one_hot(ids, n) has shape "
                    "(n, *ids.shape), e.g. (n_x, m, T) for ids of shape (m, T)", eye),
            Mistake("all axes reversed", "the axes are reversed (a transpose of the whole array); only the "
                    "class axis moves to the front: (n, *ids.shape)", lambda c: eye(c).T),
            Mistake("n + 1 classes", "there are n classes, ids 0 .. n-1, so one_hot has n rows, not n + 1",
                    lambda c: ref.one_hot(c.args[0], c.args[1] + 1)),
            Mistake("ids shifted", "the 1 of id k is not in row k: ids count from 0, so id k is row k (no + 1 or - 1)",
                    lambda c: ref.one_hot(c.args[0] + 1, c.args[1] + 1)[:-1]),
            Mistake("ids shifted", "the 1 of id k is not in row k: ids count from 0, so id k is row k (no + 1 or - 1)",
                    lambda c: np.roll(ref.one_hot(*c.args), -1, axis=0)),
            Mistake("ids shifted", "the 1 of id k is not in row k: ids count from 0, so id k is row k (no + 1 or - 1)",
                    lambda c: np.roll(ref.one_hot(*c.args), 1, axis=0)),
        ]


# ---------------------------------------------------------------- pad_sequences

def _sequences(rng, m, max_len, empty=False):
    lengths = rng.integers(1, max_len + 1, size=m)
    lengths[int(rng.integers(m))] = max_len  # the longest sets T
    if empty and m > 1:
        lengths[int(rng.integers(1, m))] = 0
    return [rng.integers(0, 9, size=int(L)).tolist() for L in lengths]


# (m, max length, pad_id, length argument or None, with an empty sequence)
PAD_CASES = [
    (4, 6, 0, None, False),
    (1, 5, -1, None, False),
    (3, 4, 7, None, False),   # pad_id drawn in 10..98
    (2, 1, 0, None, False),   # T = 1
    (5, 4, -1, None, True),
    (3, 4, 0, 6, False),   # pad beyond the longest
    (4, 6, -1, 3, False),  # truncate
]


def _pad_label(seqs, pad_id, length):
    lengths = ", ".join(str(len(s)) for s in seqs)
    return f"m={len(seqs)}, lengths ({lengths}), pad_id={pad_id}" + (f", length={length}" if length is not None else "")


def _pad_args(case):
    seqs = case.args[0]
    return seqs, case.info["pad_id"], case.info["length"]


def _pad(seqs, pad_id, length, at_start=False, keep_last=False):
    """The padded ids and mask with one change: padding at the start, or truncation keeping the last ids."""
    T = max(len(s) for s in seqs) if length is None else length
    ids = np.full((len(seqs), T), pad_id, dtype=np.int64)
    mask = np.zeros((len(seqs), T))
    for i, s in enumerate(seqs):
        s = s[-T:] if keep_last and len(s) > T else s[:T]
        if at_start:
            ids[i, T - len(s):] = s
            mask[i, T - len(s):] = 1.0
        else:
            ids[i, :len(s)] = s
            mask[i, :len(s)] = 1.0
    return ids, mask


def _integer_ids(case, value, want):
    ids = value[0] if isinstance(value, tuple) and len(value) == 2 else None
    if not isinstance(ids, np.ndarray):
        return None  # the shape part reports it
    if ids.dtype.kind not in "iu":
        return (f"ids has dtype {ids.dtype}; ids index arrays (one_hot, embeddings), so they must be integers: "
                "create the array with dtype=int or np.int64")
    return None


def _pad_mistakes(answer):
    """Mistakes of padding, shared by pad_sequences and batch_sequences: ``answer(case, ids, mask)``
    turns a (possibly wrong) padding into the function's return value."""
    def padded(**change):
        def wrong(case):
            seqs, pad_id, length = _pad_args(case)
            return answer(case, *_pad(seqs, pad_id, length, **change))
        return wrong

    def with_mask(f):
        def wrong(case):
            seqs, pad_id, length = _pad_args(case)
            ids, mask = _pad(seqs, pad_id, length)
            return answer(case, ids, f(mask))
        return wrong

    def length_ignored(case):
        seqs, pad_id, length = _pad_args(case)
        return None if length is None else answer(case, *_pad(seqs, pad_id, None))

    return [
        Mistake("padded at the start", "the padding is at the start; pad at the end, so that every sequence "
                "starts at t = 0 and mask[i] begins with T_x^(i) ones", padded(at_start=True)),
        Mistake("mask inverted", "the mask is inverted: 1 marks a real token (t < T_x^(i)), 0 a padded position",
                with_mask(lambda m: 1.0 - m)),
        Mistake("mask all ones", "the mask is all ones; it must be 0 at the padded positions", with_mask(np.ones_like)),
        Mistake("length ignored", "the length argument is ignored: when it is given, T = length (pad further, or "
                "cut longer sequences)", length_ignored),
        Mistake("kept the last ids", "a sequence longer than length keeps its first T ids, seq[:T], not its last",
                padded(keep_last=True)),
    ]


@register
class PadSequences(Check):
    name = "pad_sequences"
    returns = ("ids", "mask")
    parts = (
        Shape("ids", 0.5),
        Values("ids", 1.5, when=lambda c: c.info["length"] is None),
        Custom("ids are integers", 0.5, _integer_ids).states(r"integer|int64|\bint\b"),
        Values("mask", 1.0, when=lambda c: c.info["length"] is None),
        Values((), 0.5, "length given (pad further or truncate)", when=lambda c: c.info["length"] is not None),
    )

    def cases(self, rng):
        cases = []
        for m, max_len, pad_id, length, empty in PAD_CASES:
            seqs = _sequences(rng, m, max_len, empty)
            if pad_id == 7:
                pad_id = int(rng.integers(10, 99))
            kwargs = {}
            if pad_id != 0:
                kwargs["pad_id"] = pad_id
            if length is not None:
                kwargs["length"] = length
            cases.append(Case(_pad_label(seqs, pad_id, length), (seqs,), kwargs,
                              info={"pad_id": pad_id, "length": length}))
        return cases

    def expected(self, case):
        return ref.pad_sequences(*case.args, **case.kwargs)

    def mistakes(self):
        def pad_ignored(case):
            seqs, pad_id, length = _pad_args(case)
            return None if pad_id == 0 else _pad(seqs, 0, length)

        return _pad_mistakes(lambda case, ids, mask: (ids, mask)) + [
            Mistake("pad_id ignored", "padded positions hold 0; they must hold pad_id", pad_ignored),
        ]


# ---------------------------------------------------------------- batch_sequences

# (m, max length, n_x, pad_id, length, with an empty sequence)
BATCH_CASES = [
    (4, 5, 9, 0, None, False),
    (1, 1, 9, 0, None, False),   # m = 1, T = 1
    (3, 6, 11, -1, None, True),
    (5, 3, 10, 2, None, False),
    (2, 4, 9, 0, 2, False),      # truncate
    (3, 3, 12, -1, 5, False),    # pad further
]


def _batch_x(ids, mask, n_x, pad_visible=False):
    """One-hot x (n_x, m, T) from padded ids; padded positions are zeros unless ``pad_visible``
    (then they hold the one-hot vector of ``pad_id``, wrapped like NumPy indexing for negative ids)."""
    x = np.eye(n_x)[ids % n_x if pad_visible else np.where(mask > 0, ids, 0)].transpose(2, 0, 1)
    return x if pad_visible else x * mask[None]


@register
class BatchSequences(Check):
    name = "batch_sequences"
    returns = ("x", "mask")
    parts = (
        Shape("x", 0.5),
        Values("x", 2.0),
        Values("mask", 0.5),
    )

    def cases(self, rng):
        cases = []
        for m, max_len, n_x, pad_id, length, empty in BATCH_CASES:
            seqs = [[v % n_x for v in s] for s in _sequences(rng, m, max_len, empty)]
            kwargs = {}
            if pad_id != 0:
                kwargs["pad_id"] = pad_id
            if length is not None:
                kwargs["length"] = length
            label = _pad_label(seqs, pad_id, length).replace(", pad_id", f", n_x={n_x}, pad_id")
            cases.append(Case(label, (seqs, n_x), kwargs, info={"pad_id": pad_id, "length": length, "n_x": n_x}))
        return cases

    def expected(self, case):
        return ref.batch_sequences(*case.args, **case.kwargs)

    def mistakes(self):
        def answer(case, ids, mask):
            return _batch_x(ids, mask, case.info["n_x"]), mask

        def layout(axes):
            def wrong(case):
                x, mask = ref.batch_sequences(*case.args, **case.kwargs)
                return x.transpose(axes), mask
            return wrong

        def pad_visible(case):
            seqs, pad_id, length = _pad_args(case)
            if not -case.info["n_x"] <= pad_id < case.info["n_x"]:
                return None
            ids, mask = _pad(seqs, pad_id, length)
            return _batch_x(ids, mask, case.info["n_x"], pad_visible=True), mask

        return [
            Mistake("layout (m, T, n_x)", "x is laid out (m, T, n_x); the course's layout is (n_x, m, T): features, "
                    "examples, time steps (move the one-hot axis to the front)", layout((1, 2, 0))),
            Mistake("layout (T, m, n_x)", "x is laid out (T, m, n_x), time first as in PyTorch; the course's layout "
                    "is (n_x, m, T)", layout((2, 1, 0))),
            Mistake("layout (n_x, T, m)", "x is laid out (n_x, T, m); the course's layout is (n_x, m, T): "
                    "examples on axis 1, time on axis 2", layout((0, 2, 1))),
            Mistake("layout (m, n_x, T)", "x is laid out (m, n_x, T); the course's layout is (n_x, m, T)",
                    layout((1, 0, 2))),
            Mistake("padding one-hot", "padded positions hold the one-hot vector of pad_id; they must be all-zero "
                    "vectors (multiply by the mask, or one-hot only the real positions)", pad_visible),
        ] + _pad_mistakes(answer)

