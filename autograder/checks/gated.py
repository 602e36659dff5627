"""Mistake tables shared by the GRU and LSTM checks (assignments 8 and 9).

A row is ``(name, message, switches)``: the switches are keyword arguments of the check's own
configurable model, which computes what the mistaken function returns.
"""

from __future__ import annotations


def row(name: str, message: str, switches: dict) -> tuple:
    """One row of a mistake table: the mistake's name, its message, the model's keyword switches."""
    return name, message, switches


def time_mistakes(state: str = "state") -> list[tuple]:
    """The backpropagation-through-time slips every gated cell shares: the parameter gradients not
    summed over the steps, and the previous ``state`` (h) taken from the wrong step."""
    return [
        row("not accumulated (first)", "the parameter gradients are not accumulated across time: sum every "
            "step's contribution (+=); only one step's is kept", {"accumulate": "first"}),
        row("not accumulated (last)", "the parameter gradients are not accumulated across time: sum every "
            "step's contribution (+=); only one step's is kept", {"accumulate": "last"}),
        row("h_prev off by one", f"the previous {state} of step t is h[:, :, t-1] (h0 at the first step), not "
            "h[:, :, t]", {"h_prev_is": "same"}),
        row("h_prev wraps", f"at the first step the previous {state} is h0: h[:, :, t-1] with t = 0 reads the last "
            "step, h[:, :, -1]", {"h_prev_is": "wrap"}),
    ]
