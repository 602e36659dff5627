"""Checks for assignment 4a, the loss: softmax_cross_entropy (mean cross-entropy over the real
positions and its gradient dz, with and without a mask, stable for logits hundreds apart).

The mistakes are modelled by one configurable computation, :func:`_sce`, with keyword switches
that each reproduce one typical slip (the mask ignored, a sum instead of a mean, the mean over the
wrong count, dz without the one-hot or the 1/N, the wrong sign or axis, a scrambled one-hot).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .harness import finite
from .inputs import SIZES, label, normal
from .spec import (
    Case,
    Check,
    Diagnosis,
    Missing,
    Mistake,
    Part,
    Shape,
    Values,
    register,
)

# ================================================================ softmax_cross_entropy

MASKED, LARGE = "masked", "large logits"


def _plain(case) -> bool:
    return not case.info.get(MASKED) and not case.info.get(LARGE)


def _log_softmax(z, axis=0):
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _sce(z, y, mask=None, *, use_mask=True, divide="N", dz_divide=True, sign=1.0, subtract=True, axis=0,
         onehot="right"):
    """Mean cross-entropy and its gradient, with switches for the typical slips: ``use_mask`` off
    (padding counted); ``divide`` by ``N`` (right), ``all`` (m T), ``m`` or ``none`` (a sum);
    ``dz_divide`` off (the mean's factor missing from dz); the ``sign`` of dz; ``subtract`` off
    (dz = yhat); the ``axis`` of the softmax."""
    weights = np.ones(y.shape) if mask is None or not use_mask else np.asarray(mask, dtype=np.float64)
    log_p = _log_softmax(z, axis)
    picked = np.take_along_axis(log_p, y[None], axis=0)[0]
    n = {"N": weights.sum(), "all": float(y.size), "m": float(y.shape[0]), "none": 1.0}[divide]
    loss = -(picked * weights).sum() / n
    dz = np.exp(log_p)
    if subtract and onehot == "reshaped":  # np.eye(n_y)[y] is (m, T, n_y); reshaping it to (n_y, m, T) scrambles it
        dz = dz - np.eye(z.shape[0])[y].reshape(z.shape)
    elif subtract:
        np.put_along_axis(dz, y[None], np.take_along_axis(dz, y[None], axis=0) - 1.0, axis=0)
    dz = sign * dz * weights
    if dz_divide:
        dz = dz / n
    return float(loss), dz


class ScalarValues(Values):
    """Values of a number; a 0-d NumPy array counts as the number it holds."""

    def compare(self, check, case, path, got, expected):
        if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "biuf":
            got = float(got)
        return super().compare(check, case, path, got, expected)


class StableLoss(Part):
    """``loss`` and ``dz`` finite and right for logits hundreds apart; a value that is not finite
    is named as the underflow or overflow it comes from."""

    def judge(self, check, case, outcome, want):
        for name, part in (("loss", ScalarValues("loss", 0)), ("dz", Values("dz", 0))):
            got = check.locate(outcome.value, (name,))
            if isinstance(got, Missing):
                return got.message
            if isinstance(got, (float, np.ndarray)) and not finite(got):
                return Diagnosis(
                    f"{name} is not finite when the logits are hundreds apart: a probability rounded to 0 and "
                    "its log is -inf (or exp overflowed); compute log softmax(z) as "
                    "(z - max z) - log(sum(exp(z - max z))), never as the log of a probability")
            reason = part.judge(check, case, outcome, want)
            if reason:
                return reason
        return None


@register
class SoftmaxCrossEntropy(Check):
    name = "softmax_cross_entropy"
    returns = ("loss", "dz")
    parts = (
        Shape("dz", 0.5),
        ScalarValues("loss", 1.0, when=_plain),
        Values("dz", 1.0, when=_plain),
        ScalarValues("loss", 0.5, "loss with a mask", when=lambda c: c.info.get(MASKED)).states(r"mask"),
        Values("dz", 0.5, "dz with a mask", when=lambda c: c.info.get(MASKED)).states(r"mask"),
        StableLoss("logits 800 apart", 0.5, when=lambda c: c.info.get(LARGE)).states(
            r"hundreds apart|underflow|overflow|log.?softmax"),
    )

    def cases(self, rng):
        cases = []
        for _, _, n_y, m, T in SIZES:
            z = normal(rng, n_y, m, T, scale=2.0)
            y = rng.integers(0, n_y, size=(m, T))
            cases.append(Case(label(n_y=n_y, m=m, T=T), (z, y)))
        for n_y, lengths, T in ((4, (6, 3, 5, 1), 6), (3, (2,), 4), (5, (1, 3, 3), 3)):
            m = len(lengths)
            mask = (np.arange(T)[None, :] < np.array(lengths)[:, None]).astype(np.float64)
            z = normal(rng, n_y, m, T, scale=2.0)
            y = rng.integers(0, n_y, size=(m, T))
            cases.append(Case(label(n_y=n_y, m=m, T=T) + f", mask with lengths {list(lengths)}", (z, y, mask),
                              info={MASKED: True}))
        n_y, m, T = 5, 3, 4
        z = normal(rng, n_y, m, T)
        top = rng.integers(0, n_y, size=(m, T))
        np.put_along_axis(z, top[None], np.take_along_axis(z, top[None], axis=0) + 800.0, axis=0)
        y = (top + rng.integers(1, n_y, size=(m, T))) % n_y  # most targets far below the top logit
        y[0, 0] = top[0, 0]
        cases.append(Case(label(n_y=n_y, m=m, T=T) + ", logits 800 apart", (z, y), info={LARGE: True}))
        return cases

    def expected(self, case):
        return ref.softmax_cross_entropy(*case.args)

    def mistakes(self):
        def variant(**change):
            return lambda c: _sce(*c.args, **change)

        def with_mask(**change):
            return lambda c: _sce(*c.args, **change) if len(c.args) == 3 else None

        return [
            Mistake("mask ignored", "the mask is ignored: padded positions must count for nothing, so multiply "
                      "each position's loss and dz by the mask and divide by N = mask.sum(), the number of real "
                      "positions", with_mask(use_mask=False, divide="all")),
            Mistake("divided by m T", "the mask is applied but the total is divided by m*T: divide by "
                      "N = mask.sum(), the number of real positions", with_mask(divide="all")),
            Mistake("dz without 1/N", "dz is missing the 1/N of the mean: the loss is divided by N, so its "
                      "gradient is (yhat - onehot(y)) * mask / N", variant(dz_divide=False)),
            Mistake("summed", "summed instead of averaged: the loss is the mean over the N real positions, so "
                      "divide the sum (and dz) by N", variant(divide="none")),
            Mistake("mean over m", "averaged over the m examples only: divide by N, the number of real "
                      "positions over the batch and time (m*T without a mask)", variant(divide="m")),
            Mistake("dz sign", "dz has the wrong sign: the gradient is yhat - onehot(y), predicted minus target",
                      variant(sign=-1.0)),
            Mistake("no one-hot", "dz is the softmax alone: subtract 1 at each position's target class, "
                      "dz = yhat - onehot(y)", variant(subtract=False)),
            Mistake("one-hot reshaped", "the one-hot is laid out wrong: np.eye(n_y)[y] has shape (m, T, n_y), and "
                      "reshaping it to (n_y, m, T) scrambles it; move its last axis to the front (np.moveaxis(., -1, "
                      "0)) or subtract 1 at each target with np.put_along_axis", variant(onehot="reshaped")),
            Mistake("wrong axis", "the softmax is taken over the wrong axis: the classes are axis 0 of z",
                      variant(axis=-1)),
        ]
