"""The API that exercises, the grader and instructors' scripts call: names, argument order, defaults.

Changing any of these breaks students' notebooks and instructors' scripts; this test makes such
a change deliberate.
"""

import inspect

import pytest

import autograder.reference as ref

CONTRACT = {
    "softmax": "z",
    "rnn_cell_forward": "x_t, h_prev, params",
    "rnn_forward": "x, h0, params",
    "rnn_cell_backward": "dh_next, cache",
    "rnn_backward": "dh, cache",
    "output_forward": "h, params",
    "output_backward": "dz, cache",
    "softmax_cross_entropy": "z, y, mask=None",
    "lstm_cell_forward": "x_t, h_prev, c_prev, params",
    "lstm_forward": "x, h0, c0, params",
    "lstm_cell_backward": "dh_next, dc_next, cache",
    "lstm_backward": "dh, cache",
    "gru_cell_forward": "x_t, h_prev, params, reset_after=False",
    "gru_forward": "x, h0, params, reset_after=False",
    "gru_cell_backward": "dh_next, cache",
    "gru_backward": "dh, cache",
    "birnn_forward": "x, params_fwd, params_bwd, cell='rnn'",
    "birnn_backward": "dh, cache",
    "deep_rnn_forward": "x, layers, cell='rnn'",
    "deep_rnn_backward": "dh_top, cache",
    "clip_by_value": "grads, limit",
    "clip_by_global_norm": "grads, max_norm",
    "grad_check": "f, params, grads",  # the issue fixes "f, params"; the analytic grads come third
}


def leading_parameters(func, n):
    params = list(inspect.signature(func).parameters.values())[:n]
    return ", ".join(p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}" for p in params)


@pytest.mark.parametrize("name,expected", CONTRACT.items())
def test_contract_signature(name, expected):
    assert name in ref.__all__, f"{name} is not exported from autograder.reference"
    func = getattr(ref, name)
    n = expected.count(",") + 1
    assert leading_parameters(func, n) == expected
    extra = list(inspect.signature(func).parameters.values())[n:]
    assert all(p.default is not inspect.Parameter.empty for p in extra), "new arguments must be optional"
