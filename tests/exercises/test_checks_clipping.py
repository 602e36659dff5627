"""Assignment 7's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it (not derived from the checks'
own mistake models) and must get partial credit and the diagnosis that names its mistake. The
side-effect diagnostics (a result that is the caller's own arrays, or arrays changed in place)
come from ``NoSideEffects``; here they are tested on the clipping functions, where the shortcut
is tempting.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check

from .variants import assert_diagnosed, assert_full_marks

IN_PLACE = "changed its input in place"
SHARES = "shares memory with an input"
# harness.call names the aliased arrays of the result with _describe, which is written for input
# paths ("[0][i]..."): a result path such as "[0]['dU']" (a tuple whose first item is a dict, as
# clip_by_global_norm returns) makes int("'dU'") raise, and the outcome becomes "invalid" (no
# points at all) instead of losing the side-effect part. Remove the marks once harness.py names
# result paths without _describe.


@pytest.mark.parametrize("name", ["clip_by_value", "global_norm", "clip_by_global_norm", "jacobian_norms"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


def test_the_cases_exercise_both_branches():
    """Every clipping check has cases where the limit engages and cases where it must not."""
    for name in ("clip_by_value", "clip_by_global_norm"):
        cases = get_check(name).cases(np.random.default_rng(0))
        assert {c.info["clips"] for c in cases} == {True, False}, name
    for case in get_check("clip_by_global_norm").cases(np.random.default_rng(0)):
        grads, max_norm = case.args
        assert (ref.global_norm(grads) > max_norm) == case.info["clips"]


# ---------------------------------------------------------------- clip_by_value

def test_clip_by_value_loop_scores_full_marks():
    def clip_by_value(grads, limit):
        out = {}
        for name, g in grads.items():
            out[name] = np.where(g > limit, limit, np.where(g < -limit, -limit, g))
        return out
    assert_full_marks("clip_by_value", clip_by_value)


def test_clip_by_value_upper_side_only():
    def clip_by_value(grads, limit):
        return {name: np.minimum(g, limit) for name, g in grads.items()}
    result = assert_diagnosed("clip_by_value", clip_by_value, "only the upper side was clipped")
    assert result.score == 2.0  # names, unchanged case, no side effects


def test_clip_by_value_loses_the_sign():
    def clip_by_value(grads, limit):
        return {name: np.minimum(np.abs(g), limit) for name, g in grads.items()}
    assert_diagnosed("clip_by_value", clip_by_value, "the signs were lost")


def test_clip_by_value_in_place():
    def clip_by_value(grads, limit):
        for g in grads.values():
            np.clip(g, -limit, limit, out=g)
        return grads
    result = assert_diagnosed("clip_by_value", clip_by_value, IN_PLACE)
    assert result.score == 3.0  # the values are right


def test_clip_by_value_returns_the_callers_arrays_when_nothing_is_clipped():
    """The shortcut ``return grads`` when every entry is within the limit: the caller's optimiser
    then updates its own gradient arrays through the result."""
    def clip_by_value(grads, limit):
        if max(np.abs(g).max() for g in grads.values()) <= limit:
            return grads
        return {name: np.clip(g, -limit, limit) for name, g in grads.items()}
    result = assert_diagnosed("clip_by_value", clip_by_value, SHARES)
    assert result.score == 3.0


def test_clip_by_value_view_of_the_input():
    def clip_by_value(grads, limit):
        out = {}
        for name, g in grads.items():
            v = g.reshape(-1)  # a view: writing into it writes into the caller's gradient
            v[v > limit] = limit
            v[v < -limit] = -limit
            out[name] = v.reshape(g.shape)
        return out
    assert_diagnosed("clip_by_value", clip_by_value, IN_PLACE)


def test_clip_by_value_by_norm_instead():
    def clip_by_value(grads, limit):
        return {k: g * min(1.0, limit / np.linalg.norm(g)) for k, g in grads.items()}
    assert_diagnosed("clip_by_value", clip_by_value, "rescaled by its norm")


def test_clip_by_value_drops_a_gradient():
    def clip_by_value(grads, limit):
        return {k: np.clip(g, -limit, limit) for k, g in grads.items() if k != "db"}
    assert_diagnosed("clip_by_value", clip_by_value, "missing gradients ['db']")


# ---------------------------------------------------------------- global_norm

def test_global_norm_sum_of_norms():
    def global_norm(grads):
        return float(sum(np.linalg.norm(g) for g in grads.values()))
    result = assert_diagnosed("global_norm", global_norm, "sum of the gradients' norms")
    assert result.score == 1.0  # right for a single gradient


def test_global_norm_without_the_square_root():
    def global_norm(grads):
        return float(sum((g**2).sum() for g in grads.values()))
    result = assert_diagnosed("global_norm", global_norm, "sum of squares", partial=False)
    assert result.score == 0


def test_global_norm_via_one_long_vector_scores_full_marks():
    def global_norm(grads):
        return np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))  # an np.float64
    assert_full_marks("global_norm", global_norm)


# ---------------------------------------------------------------- clip_by_global_norm

def student_norm(grads):
    return np.sqrt(sum(np.sum(g * g) for g in grads.values()))


def test_clip_by_global_norm_per_tensor():
    def clip_by_global_norm(grads, max_norm):
        out = {}
        for name, g in grads.items():
            n = np.linalg.norm(g)
            out[name] = g * max_norm / n if n > max_norm else g.copy()
        return out, student_norm(grads)
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, "clipped by its own norm")
    assert result.score == 3.0  # norm, below-threshold case, no side effects


def test_clip_by_global_norm_scales_below_the_threshold():
    def clip_by_global_norm(grads, max_norm):
        norm = student_norm(grads)
        return {name: g * (max_norm / norm) for name, g in grads.items()}, norm
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, "although their global norm is below")
    assert result.score == 4.0


def test_clip_by_global_norm_in_place():
    def clip_by_global_norm(grads, max_norm):
        norm = student_norm(grads)
        if norm > max_norm:
            for g in grads.values():
                g *= max_norm / norm
        return grads, norm
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, IN_PLACE)
    assert result.score == 4.0


def test_clip_by_global_norm_scales_the_callers_arrays_then_returns_copies():
    def clip_by_global_norm(grads, max_norm):
        norm = student_norm(grads)
        for g in grads.values():
            g *= min(1.0, max_norm / norm)
        return {name: g.copy() for name, g in grads.items()}, norm
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, IN_PLACE)
    assert result.score == 4.0


def test_clip_by_global_norm_returns_the_input_below_the_threshold():
    def clip_by_global_norm(grads, max_norm):
        norm = student_norm(grads)
        if norm <= max_norm:
            return grads, norm  # "nothing to do"
        return {name: g * (max_norm / norm) for name, g in grads.items()}, norm
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, SHARES)
    assert result.score == 4.0


def test_clip_by_global_norm_reports_the_norm_after_clipping():
    def clip_by_global_norm(grads, max_norm):
        norm = student_norm(grads)
        if norm > max_norm:
            grads = {name: g * (max_norm / norm) for name, g in grads.items()}
            norm = student_norm(grads)
        else:
            grads = {name: g.copy() for name, g in grads.items()}
        return grads, norm
    result = assert_diagnosed("clip_by_global_norm", clip_by_global_norm, "the norm returned is the one after")
    assert result.score == 4.0


def test_clip_by_global_norm_with_the_sum_of_norms():
    def clip_by_global_norm(grads, max_norm):
        norm = sum(np.linalg.norm(g) for g in grads.values())
        scale = max_norm / norm if norm > max_norm else 1.0
        return {name: g * scale for name, g in grads.items()}, norm
    assert_diagnosed("clip_by_global_norm", clip_by_global_norm, "not the sum of the gradients' norms")


def test_clip_by_global_norm_clips_by_value():
    def clip_by_global_norm(grads, max_norm):
        return {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}, student_norm(grads)
    assert_diagnosed("clip_by_global_norm", clip_by_global_norm, "clipped by value")


# ---------------------------------------------------------------- jacobian_norms

def jacobians(step, order="right", norm=lambda J: np.linalg.norm(J, 2), record_after=False):
    """A student's loop: for each example, walk back from T multiplying one-step Jacobians
    ``step(h_t, W)`` (h_t a 1-D state) into the running product."""
    def jacobian_norms(h, params):
        W = params["W"]
        n_h, m, T = h.shape
        out = np.zeros((m, T))
        for i in range(m):
            J = np.eye(n_h)
            for t in range(T - 1, -1, -1):
                if not record_after:
                    out[i, t] = norm(J)
                J = J @ step(h[:, i, t], W) if order == "right" else step(h[:, i, t], W) @ J
                if record_after:
                    out[i, t] = norm(J)
        return out
    return jacobian_norms


def right_step(h_t, W):
    return np.diag(1 - h_t**2) @ W


def test_jacobian_loop_per_example_scores_full_marks():
    assert_full_marks("jacobian_norms", jacobians(right_step))


def test_jacobian_by_backprop_products_scores_full_marks():
    """BPTT's order: W^T diag(1 - h^2) applied on the left gives the transpose, whose spectral norm
    is the same."""
    assert_full_marks("jacobian_norms", jacobians(lambda h_t, W: W.T @ np.diag(1 - h_t**2), order="left"))


def test_jacobian_without_the_tanh_derivative():
    result = assert_diagnosed("jacobian_norms", jacobians(lambda h_t, W: W), "the tanh derivative is missing")
    assert result.score == 1.0  # shape, last column


def test_jacobian_slope_on_the_wrong_side():
    assert_diagnosed("jacobian_norms", jacobians(lambda h_t, W: (1 - h_t**2) * W), "the slopes scale the columns")


def test_jacobian_product_in_the_wrong_order():
    assert_diagnosed("jacobian_norms", jacobians(right_step, order="left"), "the product is in the wrong order")


def test_jacobian_backprop_products_in_the_wrong_order():
    """W^T diag(1 - h^2) products with each new factor on the right: the transpose of the product in
    the wrong order."""
    assert_diagnosed("jacobian_norms", jacobians(lambda h_t, W: W.T @ np.diag(1 - h_t**2)),
                     "the product is in the wrong order")


def test_jacobian_with_W_transposed():
    assert_diagnosed("jacobian_norms", jacobians(lambda h_t, W: np.diag(1 - h_t**2) @ W.T), "W is transposed")


def test_jacobian_off_by_one_slope_of_the_previous_state():
    def jacobian_norms(h, params):
        W, (n_h, m, T) = params["W"], h.shape
        out = np.zeros((m, T))
        for i in range(m):
            J = np.eye(n_h)
            for t in range(T - 1, -1, -1):
                out[i, t] = np.linalg.norm(J, 2)
                J = J @ np.diag(1 - h[:, i, t - 1] ** 2) @ W  # the state before step t
        return out
    assert_diagnosed("jacobian_norms", jacobian_norms, "off by one in time", "not at h^{<k-1>}")


def test_jacobian_off_by_one_one_factor_too_many():
    result = assert_diagnosed("jacobian_norms", jacobians(right_step, record_after=True), "off by one in time",
                              "the last column is the identity")
    assert result.score == 0.5  # the shape only


def test_jacobian_frobenius_norm():
    result = assert_diagnosed("jacobian_norms", jacobians(right_step, norm=np.linalg.norm), "Frobenius norm")
    assert result.score == 0.5  # shape; the identity's Frobenius norm is sqrt(n_h), not 1


def test_jacobian_averaged_over_the_batch():
    def jacobian_norms(h, params):
        return jacobians(right_step)(h, params).mean(axis=0)
    assert_diagnosed("jacobian_norms", jacobian_norms, "averaged over the examples", partial=False)
