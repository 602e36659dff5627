"""Assignment 4's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it (not derived from the checks'
own mistake models) and must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check, run_check
from autograder.data import binary_addition

from .variants import assert_diagnosed, assert_full_marks


@pytest.mark.parametrize("name", ["softmax_cross_entropy", "rnn_cell_backward", "rnn_backward", "output_backward",
                                  "grad_check"])
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


# ---------------------------------------------------------------- softmax_cross_entropy

def log_softmax(z):
    s = z - z.max(axis=0, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=0, keepdims=True))


def onehot(y, n_y):
    return np.moveaxis(np.eye(n_y)[y], -1, 0)


def sce_from(total):
    """A softmax_cross_entropy whose loss and dz are ``total(picked log-probs, (yhat - onehot), mask)``."""
    def softmax_cross_entropy(z, y, mask=None):
        log_p = log_softmax(z)
        picked = np.take_along_axis(log_p, y[None], axis=0)[0]
        return total(picked, np.exp(log_p) - onehot(y, z.shape[0]), mask)
    return softmax_cross_entropy


def test_loss_that_ignores_the_mask():
    fn = sce_from(lambda picked, err, mask: (-picked.mean(), err / picked.size))
    result = assert_diagnosed("softmax_cross_entropy", fn, "the mask is ignored")
    assert result.score == 3.0  # everything but the two masked parts


def test_loss_summed_instead_of_averaged():
    def total(picked, err, mask):
        mask = np.ones(picked.shape) if mask is None else mask
        return -(picked * mask).sum(), err * mask
    assert_diagnosed("softmax_cross_entropy", sce_from(total), "summed instead of averaged")


def test_loss_averaged_over_the_batch_only():
    def total(picked, err, mask):
        mask = np.ones(picked.shape) if mask is None else mask
        m = picked.shape[0]
        return -(picked * mask).sum() / m, err * mask / m
    assert_diagnosed("softmax_cross_entropy", sce_from(total), "averaged over the m examples only")


def test_mask_applied_but_divided_by_all_positions():
    def total(picked, err, mask):
        mask = np.ones(picked.shape) if mask is None else mask
        return -(picked * mask).sum() / picked.size, err * mask / picked.size
    result = assert_diagnosed("softmax_cross_entropy", sce_from(total), "divided by m*T")
    assert result.score == 3.0


def test_gradient_without_the_mean_factor():
    def total(picked, err, mask):
        mask = np.ones(picked.shape) if mask is None else mask
        return -(picked * mask).sum() / mask.sum(), err * mask
    assert_diagnosed("softmax_cross_entropy", sce_from(total), "dz is missing the 1/N")


def test_log_of_softmax_underflows_for_large_logits():
    def softmax_cross_entropy(z, y, mask=None):
        mask = np.ones(y.shape) if mask is None else mask
        e = np.exp(z - z.max(axis=0, keepdims=True))
        p = e / e.sum(axis=0, keepdims=True)
        loss = -(np.log(np.take_along_axis(p, y[None], axis=0)[0]) * mask).sum() / mask.sum()
        return float(loss), (p - onehot(y, z.shape[0])) * mask / mask.sum()
    result = assert_diagnosed("softmax_cross_entropy", softmax_cross_entropy, "not finite when the logits")
    assert result.score == 3.5


def test_loss_as_a_zero_d_array_is_accepted():
    def softmax_cross_entropy(z, y, mask=None):
        loss, dz = ref.softmax_cross_entropy(z, y, mask)
        return np.array(loss), dz
    assert_full_marks("softmax_cross_entropy", softmax_cross_entropy)


# ---------------------------------------------------------------- rnn_cell_backward

def cell_backward_from(derivative=lambda cache: 1 - cache["h_next"] ** 2, dW_state="h_prev", W_back=lambda W: W.T,
                       db=lambda da: da.sum(axis=1, keepdims=True)):
    def rnn_cell_backward(dh_next, cache):
        U, W = cache["params"]["U"], cache["params"]["W"]
        da = dh_next * derivative(cache)
        return {"dx_t": U.T @ da, "dh_prev": W_back(W) @ da, "dU": da @ cache["x_t"].T,
                "dW": da @ cache[dW_state].T, "db": db(da)}
    return rnn_cell_backward


def test_cell_tanh_derivative_as_one_minus_h():
    result = assert_diagnosed("rnn_cell_backward", cell_backward_from(derivative=lambda c: 1 - c["h_next"]),
                              "not 1 - h")
    assert result.score == 1.5  # names, shapes, unchanged inputs


def test_cell_tanh_derivative_of_the_pre_activation():
    def pre_activation(c):
        p = c["params"]
        a = p["U"] @ c["x_t"] + p["W"] @ c["h_prev"] + p["b"]
        return 1 - a**2
    assert_diagnosed("rnn_cell_backward", cell_backward_from(derivative=pre_activation), "pre-activation a")


def test_cell_dW_with_the_new_state():
    result = assert_diagnosed("rnn_cell_backward", cell_backward_from(dW_state="h_next"), "off by one in time")
    assert result.score == 5.0


def test_cell_recurrent_gradient_without_transpose():
    assert_diagnosed("rnn_cell_backward", cell_backward_from(W_back=lambda W: W), "W transposed")


def test_cell_bias_gradient_not_summed_over_the_batch():
    """On the m = 1 cases the shape is right anyway; on the others it is named."""
    result = assert_diagnosed("rnn_cell_backward", cell_backward_from(db=lambda da: da), "not summed over the batch")
    assert result.score == 5.0


def test_cell_changes_dh_next_in_place():
    def rnn_cell_backward(dh_next, cache):
        dh_next *= 1 - cache["h_next"] ** 2  # reuses the argument's memory
        U, W = cache["params"]["U"], cache["params"]["W"]
        return {"dx_t": U.T @ dh_next, "dh_prev": W.T @ dh_next, "dU": dh_next @ cache["x_t"].T,
                "dW": dh_next @ cache["h_prev"].T, "db": dh_next.sum(axis=1, keepdims=True)}
    result = assert_diagnosed("rnn_cell_backward", rnn_cell_backward, "changed dh_next or the cache in place")
    assert result.score == 5.5


# ---------------------------------------------------------------- rnn_backward

def bptt_from(accumulate=True, previous=lambda h, h0, t: h0 if t == 0 else h[:, :, t - 1], recurrent=True,
              derivative=lambda h_t: 1 - h_t**2, through_tanh=True):
    """A BPTT loop with one switch per typical slip."""
    def rnn_backward(dh, cache):
        x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
        U, W = p["U"], p["W"]
        dx = np.zeros(x.shape)
        dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros(p["b"].shape)
        dh_next = np.zeros(h0.shape)
        for t in reversed(range(x.shape[2])):
            if through_tanh:
                da = (dh[:, :, t] + (dh_next if recurrent else 0)) * derivative(h[:, :, t])
            else:
                da = dh[:, :, t] * derivative(h[:, :, t]) + dh_next
            if accumulate:
                dU += da @ x[:, :, t].T
                dW += da @ previous(h, h0, t).T
                db += da.sum(axis=1, keepdims=True)
            else:
                dU = da @ x[:, :, t].T
                dW = da @ previous(h, h0, t).T
                db = da.sum(axis=1, keepdims=True)
            dx[:, :, t] = U.T @ da
            dh_next = W.T @ da
        return {"dx": dx, "dh0": dh_next, "dU": dU, "dW": dW, "db": db}
    return rnn_backward


def test_bptt_reference_like_loop_scores_full_marks():
    assert_full_marks("rnn_backward", bptt_from())


def test_bptt_assigns_instead_of_adding():
    result = assert_diagnosed("rnn_backward", bptt_from(accumulate=False), "only one time step's term survives",
                              "the first step's")
    assert result.score == 3.5  # names, shapes, dx, dh0, unchanged inputs


def test_bptt_off_by_one_in_dW():
    result = assert_diagnosed("rnn_backward", bptt_from(previous=lambda h, h0, t: h[:, :, t]), "off by one in time")
    assert result.score == 5.5


def test_bptt_previous_state_wraps_around_at_the_first_step():
    result = assert_diagnosed("rnn_backward", bptt_from(previous=lambda h, h0, t: h[:, :, t - 1]), "the LAST state")
    assert result.score == 5.5


def test_bptt_ignores_the_gradient_from_the_next_step():
    assert_diagnosed("rnn_backward", bptt_from(recurrent=False), "the gradient from the next step is not added")


def test_bptt_wrong_tanh_derivative():
    assert_diagnosed("rnn_backward", bptt_from(derivative=lambda h_t: 1 - h_t), "not 1 - h")


def test_bptt_next_step_gradient_skips_the_derivative():
    assert_diagnosed("rnn_backward", bptt_from(through_tanh=False), "skips tanh'")


def test_bptt_adds_into_dh_in_place():
    def rnn_backward(dh, cache):
        x, h0, h, p = cache["x"], cache["h0"], cache["h"], cache["params"]
        T = x.shape[2]
        grads = {"dx": np.zeros(x.shape), "dU": 0, "dW": 0, "db": 0}
        for t in reversed(range(T)):
            da = dh[:, :, t] * (1 - h[:, :, t] ** 2)
            prev = h0 if t == 0 else h[:, :, t - 1]
            grads["dU"] = grads["dU"] + da @ x[:, :, t].T
            grads["dW"] = grads["dW"] + da @ prev.T
            grads["db"] = grads["db"] + da.sum(axis=1, keepdims=True)
            grads["dx"][:, :, t] = p["U"].T @ da
            if t > 0:
                dh[:, :, t - 1] += p["W"].T @ da  # writes into the caller's dh
            else:
                grads["dh0"] = p["W"].T @ da
        return grads
    result = assert_diagnosed("rnn_backward", rnn_backward, "changed dh or the cache in place")
    assert result.score == 6.5


# ---------------------------------------------------------------- output_backward

def test_output_dV_assigned_in_a_loop():
    def output_backward(dz, cache):
        h, V = cache["h"], cache["params"]["V"]
        for t in range(h.shape[2]):
            dV = dz[:, :, t] @ h[:, :, t].T
        return {"dh": np.einsum("yh,ymt->hmt", V, dz), "dV": dV, "dby": dz.sum(axis=(1, 2))[:, None]}
    result = assert_diagnosed("output_backward", output_backward, "only one time step's term survives (the last")
    assert result.score == 3.0


def test_output_dh_without_transpose_fails_on_non_square_and_is_named_on_square():
    def output_backward(dz, cache):
        h, V = cache["h"], cache["params"]["V"]
        return {"dh": np.tensordot(V, dz, axes=1), "dV": np.tensordot(dz, h, axes=([1, 2], [1, 2])),
                "dby": dz.sum(axis=(1, 2))[:, None]}
    result = assert_diagnosed("output_backward", output_backward, "V transposed", "raised ValueError", partial=False)
    assert result.score == 0


def test_output_dc_without_its_column_axis():
    def output_backward(dz, cache):
        h, V = cache["h"], cache["params"]["V"]
        return {"dh": np.tensordot(V.T, dz, axes=1), "dV": np.tensordot(dz, h, axes=([1, 2], [1, 2])),
                "dby": dz.sum(axis=(1, 2))}
    result = assert_diagnosed("output_backward", output_backward, "dby lost its column axis")
    assert result.score == 3.0


# ---------------------------------------------------------------- grad_check

def checker(difference="centered", restore="assign", error="max", perturb_copy=False):
    """A gradient checker with one switch per typical slip (every entry checked)."""
    def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
        out = {}
        for name, theta in params.items():
            g = grads["d" + name]
            numeric = np.zeros(theta.shape)
            for j in np.ndindex(theta.shape):
                target = {**params, name: theta.copy()} if perturb_copy else params
                old = theta[j]
                target[name][j] = old + eps
                plus = f(params)
                if restore == "assign":
                    target[name][j] = old - eps
                else:
                    target[name][j] -= 2 * eps
                minus = f(params)
                base = None
                if restore == "assign":
                    target[name][j] = old
                else:
                    target[name][j] += eps
                if difference == "forward":
                    base = f(params)
                    numeric[j] = (plus - base) / eps
                elif difference == "one eps":
                    numeric[j] = (plus - minus) / eps
                else:
                    numeric[j] = (plus - minus) / (2 * eps)
            if error == "max":
                out[name] = np.abs(g - numeric).max() / max(np.abs(g).max(), np.abs(numeric).max())
            else:
                out[name] = np.linalg.norm(g - numeric) / (np.linalg.norm(g) + np.linalg.norm(numeric))
        return out
    return grad_check


def test_checker_without_sampling_scores_full_marks():
    """n_checks is an optimisation: checking every entry gives the same verdicts."""
    assert_full_marks("grad_check", checker())


def test_checker_with_one_sided_differences():
    result = assert_diagnosed("grad_check", checker(difference="forward"), "one-sided")
    assert result.score == 3.5


def test_checker_divides_by_eps_not_two_eps():
    assert_diagnosed("grad_check", checker(difference="one eps"), "twice too large")


def test_checker_whose_loss_never_sees_the_perturbation():
    assert_diagnosed("grad_check", checker(perturb_copy=True), "the numerical gradient is zero")


def test_checker_with_a_norm_based_error():
    result = assert_diagnosed("grad_check", checker(error="norm"), "computed with norms")
    assert result.score == 4.0


def test_checker_that_restores_by_arithmetic():
    result = assert_diagnosed("grad_check", checker(restore="arithmetic"), "the parameters are not restored")
    assert result.score == 4.0


# ---------------------------------------------------------------- train_binary_addition

N_H = 16


def init(rng):
    return {"U": rng.standard_normal((N_H, 2)) / np.sqrt(2), "W": np.linalg.qr(rng.standard_normal((N_H, N_H)))[0],
            "b": np.zeros((N_H, 1)), "V": rng.standard_normal((2, N_H)) / 4, "by": np.zeros((2, 1))}


def trainer(update=True, step=None):
    """The notebook's recipe with the reference's functions: Adam, lr 0.05, batches of 32 (or
    ``step(params, grads)`` in place of Adam's)."""
    def train_binary_addition(n_steps, seed):
        rng = np.random.default_rng(seed)
        params = init(rng)
        optimizer = ref.Adam(lr=0.05)
        for _ in range(n_steps if update else 0):
            x, y = binary_addition(32, 8, rng=rng)
            h, rnn_cache = ref.rnn_forward(x, np.zeros((N_H, 32)), params)
            z, out_cache = ref.output_forward(h, params)
            _, dz = ref.softmax_cross_entropy(z, y)
            grads = ref.output_backward(dz, out_cache)
            grads |= ref.rnn_backward(grads["dh"], rnn_cache)
            (step or optimizer.step)(params, grads)
        return params
    return train_binary_addition


def test_training_recipe_scores_full_marks():
    assert_full_marks("train_binary_addition", trainer())


def test_training_that_never_updates():
    result = assert_diagnosed("train_binary_addition", trainer(update=False), "the network has not learned")
    assert result.score == 0.5


def test_training_that_climbs_the_loss_is_told_the_sign():
    """Issue 13 (held-out corpus): plain SGD written with the wrong sign, params += lr * grad."""
    def ascend(params, grads):
        for k in params:
            params[k] += 0.5 * grads["d" + k]
    train_binary_addition = trainer(step=ascend)
    for seed in (0, 1):
        result = run_check("train_binary_addition", train_binary_addition, seed=seed)
        assert result.score < result.max_score and "the updates climb the loss, a sign error" in result.message, \
            result.report()


def test_training_returns_transposed_weights():
    def train_binary_addition(n_steps, seed):
        p = trainer()(n_steps, seed)
        return p | {"U": p["U"].T}
    result = assert_diagnosed("train_binary_addition", train_binary_addition, "U has shape (2, 16)", partial=False)
    assert result.score == 0


def test_training_check_stays_within_the_time_budget():
    assert get_check("train_binary_addition").timeout <= 20


def test_training_that_takes_too_long_is_stopped(monkeypatch):
    spec = get_check("train_binary_addition")
    monkeypatch.setattr(type(spec), "timeout", 0.5)

    def train_binary_addition(n_steps, seed):
        return trainer()(100 * n_steps, seed)
    result = run_check("train_binary_addition", train_binary_addition, seed=0)
    assert result.score == 0 and result.status == "timeout"
