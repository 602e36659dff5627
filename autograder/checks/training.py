"""Checks for assignment 4b's training: train_binary_addition.

Graded by the accuracy its returned parameters reach, run through the reference's forward pass,
on fresh additions drawn by the check. Two more calls, ungraded (0 and a few steps), show how the
training went when it failed (:func:`training_story`).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref
from autograder.data import binary_addition

from .spec import (
    Case,
    Check,
    Custom,
    register,
    shape_text,
)

# ================================================================ train_binary_addition

N_TEST, N_BITS = 1000, 8
PARAM_NAMES = ("U", "W", "b", "V", "by")
THRESHOLDS = (0.5, 0.9, 0.99)


def _trained_params(value):
    """The five parameters as float arrays of consistent shapes, or the reason they are not."""
    if not isinstance(value, dict):
        return f"the function returned a {type(value).__name__}; expected the dict of trained parameters"
    missing = [k for k in PARAM_NAMES if k not in value]
    if missing:
        return f"the returned dict has no {', '.join(missing)}"
    p = {k: value[k] for k in PARAM_NAMES}
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 for v in p.values()):
        return "every parameter must be a 2-d NumPy array"
    n_h = p["W"].shape[0]
    want = {"U": (n_h, 2), "W": (n_h, n_h), "b": (n_h, 1), "V": (2, n_h), "by": (2, 1)}
    for k, shape in want.items():
        if p[k].shape != shape:
            return (f"{k} has shape {shape_text(p[k].shape)}; with n_h = {n_h} (from W) expected {shape_text(shape)} "
                    "(n_x = 2 input bits, n_y = 2 classes)")
    if not all(np.isfinite(v).all() for v in p.values()):
        return "the parameters contain inf or NaN: training diverged"
    return {k: v.astype(np.float64) for k, v in p.items()}


def _accuracy(case, value):
    """(sums right, bits right) of the returned parameters on the case's fresh test additions, or
    the reason they cannot be measured."""
    p = _trained_params(value)
    if isinstance(p, str):
        return p
    x, y = binary_addition(N_TEST, N_BITS, rng=np.random.default_rng(case.info["test_seed"]))
    h, _ = ref.rnn_forward(x, np.zeros((p["W"].shape[0], N_TEST)), p)
    pred = ref.output_forward(h, p)[0].argmax(axis=0)
    return float(np.mean(np.all(pred == y, axis=1))), float(np.mean(pred == y))


def _params_returned(case, value, want):
    p = _trained_params(value)
    return p if isinstance(p, str) else None


def _bits_at_least(threshold):
    def rule(case, value, want):
        result = _accuracy(case, value)
        if isinstance(result, str):
            return result
        if result[1] < threshold:
            return (f"{result[1]:.1%} of the bits of {N_TEST} fresh {N_BITS}-bit sums are right; this part needs "
                    f"{threshold:.0%} (guessing gets 50%): the network has not learned, so check the whole "
                    "model's gradient with grad_check and that each update changes the parameters you return")
        return None
    return rule


def _sums_at_least(threshold):
    def rule(case, value, want):
        result = _accuracy(case, value)
        if isinstance(result, str):
            return result
        if result[0] < threshold:
            return (f"{result[0]:.1%} of {N_TEST} fresh {N_BITS}-bit sums are right (all bits); this part needs "
                    f"{threshold:.0%}: train with the settings suggested, from h0 = 0, and check the gradient")
        return None
    return rule


INITIAL, EARLY = "initial", "early"  # the cases that ask for 0 and a few steps: how training starts
EARLY_STEPS = 10


def _trained(case) -> bool:
    return not (case.info.get(INITIAL) or case.info.get(EARLY))


def _fresh_loss(p: dict, seed: int) -> float:
    """Mean cross-entropy of parameters ``p`` on 500 fresh 8-bit additions (the reference's passes)."""
    x, y = binary_addition(500, N_BITS, rng=np.random.default_rng(seed))
    with np.errstate(all="ignore"):
        h, _ = ref.rnn_forward(x, np.zeros((p["W"].shape[0], x.shape[1])), p)
        return float(ref.softmax_cross_entropy(ref.output_forward(h, p)[0], y)[0])


def _params_of(outcome):
    p = _trained_params(outcome.value) if outcome is not None and outcome.status == "ok" else None
    return p if isinstance(p, dict) else None


def training_story(trained, initial, early, case) -> str | None:
    """What the parameters at 0, a few and all steps say about a run that did not learn: which
    parameters never changed, and how the loss on fresh sums moved (up from the start: a sign
    error; down, then up: steps that grow; stuck at ln 2: a gradient without the targets; up a
    little: a model that fits one batch), or weights that blew up."""
    after, before, soon = _params_of(trained), _params_of(initial), _params_of(early)
    if after is None:
        return None
    n = case.args[0]
    if before is not None and soon is not None:  # a sign error, whatever the weights became
        seed = case.info["test_seed"] + 1
        l0, l_early = _fresh_loss(before, seed), _fresh_loss(soon, seed)
        if l_early > l0 + 0.02 and _fresh_loss(after, seed) > l0:
            return (f"the loss went up from the first steps ({l0:.3f} at the start, {l_early:.3f} after {EARLY_STEPS} "
                    f"steps, on fresh sums) and ended above where it started: the updates climb the loss, a sign "
                    "error; each step must move against the gradient (theta - lr * dtheta, or the optimizer's step "
                    "with the gradient itself, not its negative)")
    largest = max(float(np.abs(v).max()) for v in after.values())
    if largest > 50:
        return (f"the weights grew huge (the largest entry is {largest:.3g}): the updates are too large, so the "
                "tanh units saturate; clip the gradients (clip_by_global_norm) or lower the learning rate")
    if before is not None:
        same = [k for k in PARAM_NAMES if before[k].shape == after[k].shape and np.array_equal(before[k], after[k])]
        if len(same) == len(PARAM_NAMES):
            return (f"the parameters never changed in {n} steps (they equal the initial parameters, returned for "
                    "n_steps=0): the updates never reach the dict you return -- p = p - lr * g only rebinds the "
                    "name p; change params[k] itself (params[k] -= lr * g)")
        if same:
            return (f"{', '.join(same)} never changed in {n} steps (equal to the initial parameters): "
                    f"{'its' if len(same) == 1 else 'their'} update is missing")
    if before is None:
        return None
    seed = case.info["test_seed"] + 1
    l0, l_end = _fresh_loss(before, seed), _fresh_loss(after, seed)
    l_early = _fresh_loss(soon, seed) if soon is not None else None
    path = f"{l0:.3f} at the start" + (f", {l_early:.3f} after {EARLY_STEPS} steps" if l_early is not None else "") \
        + f", {l_end:.3f} after {n}"
    if l_end > 3 * l0:
        return (f"the loss grew far above where it started ({path}, on fresh sums): the steps keep growing; compute "
                "each step's gradients afresh (reset them: not added to the previous step's), or clip them")
    if abs(l_end - np.log(2)) < 0.02:
        return (f"the model learned nothing but guessing ({path}, on fresh sums; ln 2 = 0.693 is the loss of a 50/50 "
                "guess on every bit): the gradient that drives the updates does not carry the targets; use dz from "
                "your softmax_cross_entropy and your backward passes, and check them with grad_check")
    if l_end > l0:
        return (f"the loss on fresh sums went up while training ({path}): the model fits what it trains on but not "
                "fresh sums; draw a fresh batch of additions at every step (one batch, seen again and again, is "
                "memorised)")
    return (f"the loss on fresh sums fell ({path}) but not far enough: draw a fresh batch of additions at every "
            "step, compute each step's gradients afresh, and keep the settings suggested")


@register
class TrainBinaryAddition(Check):
    name = "train_binary_addition"
    timeout = 20.0  # the solution trains in well under a second
    N_STEPS = 300
    parts = (
        Custom("returns U, W, b, V, by", 0.5, _params_returned, when=_trained),
        Custom("bits right >= 90%", 0.5, _bits_at_least(0.9), when=_trained).states(r"bits"),
        Custom("sums right >= 50%", 1.0, _sums_at_least(THRESHOLDS[0]), when=_trained).states(r"50 ?%"),
        Custom("sums right >= 90%", 1.0, _sums_at_least(THRESHOLDS[1]), when=_trained).states(r"90 ?%"),
        Custom("sums right >= 99%", 1.0, _sums_at_least(THRESHOLDS[2]), when=_trained).states(r"99 ?%"),
    )

    def cases(self, rng):
        seed, test_seed = (int(s) for s in rng.integers(2**31, size=2))
        return [Case(f"n_steps={self.N_STEPS}, seed={seed}, {N_TEST} fresh test sums", (self.N_STEPS, seed),
                     info={"test_seed": test_seed}),
                Case(f"n_steps=0, seed={seed} (the parameters training starts from)", (0, seed),
                     info={"test_seed": test_seed, INITIAL: True}),
                Case(f"n_steps={EARLY_STEPS}, seed={seed} (how training starts)", (EARLY_STEPS, seed),
                     info={"test_seed": test_seed, EARLY: True})]

    def expected(self, case):
        return None

    def score(self, cases, outcomes, seed, wants=None):
        result = super().score(cases, outcomes, seed, wants)
        if result.score < result.max_score:
            initial = next((o for c, o in zip(cases, outcomes) if c.info.get(INITIAL)), None)
            early = next((o for c, o in zip(cases, outcomes) if c.info.get(EARLY)), None)
            main = next(((c, o) for c, o in zip(cases, outcomes) if _trained(c)), None)
            try:
                story = training_story(main[1], initial, early, main[0]) if main else None
            except Exception:  # a diagnosis must never cost the grade
                story = None
            if story:
                result.notes.append(story)
        return result
