"""Mistake tables shared by the GRU and LSTM checks (assignments 8 and 9).

A row is ``(name, message, switches)``: the switches are keyword arguments of the check's own
configurable model, which computes what the mistaken function returns.
"""

from __future__ import annotations

from .spec import Mistake


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


def borrow_mistakes(gates: dict[str, tuple[str, str, str]]) -> list[tuple]:
    """The copy-paste slips: one gate's ``U``, ``W`` or ``b`` taken from another gate. ``gates``
    maps a gate's letter to its name, its symbol and its equation (``"i": ("input gate", "i",
    "i = sigma(U_i x + W_i h_prev + b_i)")``). The switch ``borrow`` is (the parameter used
    wrongly, the one used in its place), e.g. ("Wr", "Wu")."""
    what = {"U": "input weights", "W": "recurrent weights", "b": "bias"}
    rows = []
    for k, (name, symbol, equation) in gates.items():
        for j, (other, _, _) in gates.items():
            for p in "UWb" if j != k else "":
                message = (f"the {name} {symbol} uses {p}_{j}, the {other}'s {what[p]}, where its own {p}_{k} "
                           f"belongs (a copy-paste slip?): {equation}")
                rows.append(row(f"{p}{k} from {j}", message, {"borrow": (p + k, p + j)}))
    return rows


def borrowed(params: dict, borrow: tuple[str, str] | None) -> dict:
    """``params`` with the entry ``borrow[0]`` replaced by ``borrow[1]`` (see :func:`borrow_mistakes`)."""
    if not borrow:
        return params
    return {**params, borrow[0]: params[borrow[1]]}


def as_mistakes(answer, rows: list[tuple], borrowed_rows: list[tuple]) -> list:
    """The rows of a mistake table as :class:`spec.Mistake`\\ s of one configurable model
    ``answer(case, **switches)``, and the borrowed-weight rows after them, tried alone (not in
    pairs: they are many, and each is one slip)."""
    return [Mistake(name, message, lambda c, k=k: answer(c, **k), k) for name, message, k in rows] + \
        [Mistake(name, message, lambda c, k=k: answer(c, **k), k, paired=False) for name, message, k in borrowed_rows]
