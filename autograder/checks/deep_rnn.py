"""Checks for assignment 11, deep RNNs: deep_rnn_forward, deep_rnn_backward.

As in assignment 10 the exercise implements the wiring for ``cell="rnn"`` only, on single tanh
layers the students write themselves, so every case calls the functions with ``cell="rnn"``.
``deep_rnn_backward`` is given the reference forward's cache: ``cell`` and ``layers``, one
single-layer cache (keys ``x``, ``h0``, ``h``, ``params``) per layer, bottom first, where each
layer's ``x`` is the states of the layer below. Stacks have 1 to 3 layers of different widths, one
whose first layer is as wide as the input (so feeding ``x`` to every layer still runs) and one
where every width is equal (so mistakes that only run on equal widths are recognised there).
"""

from __future__ import annotations

import numpy as np

from autograder import reference as ref

from .birnn import (
    LAYER_BACKWARD_MISTAKES,
    Whole,
    back_layer,
    layer_forward_changes,
    run_layer,
)
from .inputs import label, normal, rnn_params
from .spec import (
    Case,
    Check,
    Custom,
    Keys,
    Missing,
    Mistake,
    NoSideEffects,
    Shape,
    Values,
    check_name,
    register,
)

# (n_x, hidden sizes bottom first, m, T)
DEEP_SIZES = [
    (3, (5, 4), 4, 6),
    (4, (3,), 1, 1),        # one layer, one example, one step
    (2, (6, 3, 5), 1, 5),   # three layers of different widths
    (3, (3, 5), 2, 4),      # layer 1 as wide as the input
    (4, (4, 4, 4), 3, 3),   # every width equal
]


def _deep_cases(rng, backward=False):
    cases = []
    for n_x, widths, m, T in DEEP_SIZES:
        sizes = (n_x, *widths)
        layers = [rnn_params(rng, sizes[i], sizes[i + 1]) for i in range(len(widths))]
        x = normal(rng, n_x, m, T)
        text = label(n_x=n_x, m=m, T=T, layers=len(widths), n_h="/".join(map(str, widths)))
        info = {"L": len(widths)}
        if backward:
            _, cache = ref.deep_rnn_forward(x, layers, cell="rnn")
            cases.append(Case(text, (normal(rng, widths[-1], m, T), cache), info=info))
        else:
            cases.append(Case(text, (x, layers), {"cell": "rnn"}, info=info))
    return cases


class Nested(Whole):
    """:class:`Whole` that also walks lists (one entry per layer) and names a wrong string."""

    def compare(self, check, case, path, got, expected):
        name = check_name(path)
        if isinstance(expected, list):
            if not isinstance(got, (list, tuple)):
                return f"{name} is a {type(got).__name__}; expected a list with one entry per layer"
            if len(got) != len(expected):
                return f"{name} has {len(got)} entries; expected {len(expected)}, one per layer, bottom first"
            for i, (g, e) in enumerate(zip(got, expected)):
                reason = self.compare(check, case, (*path, i), g, e)
                if reason:
                    return reason
            return None
        if isinstance(expected, str):
            same = isinstance(got, str) and got == expected
            return None if same else f"{name} must be the cell argument, {expected!r}"
        return super().compare(check, case, path, got, expected)


def _stack(x, layers, feed_x=False, order=1, carry_state=False, top=True, layer=None):
    """A stacked forward pass with deliberate changes; returns ``(h_top, cache)`` as the reference.
    ``feed_x``: every layer reads x; ``order=-1``: the layers run top first; ``carry_state``: a layer
    starts from the last state of the layer before; ``top=False``: the bottom layer's states are
    returned; ``layer(params)`` gives changes of :func:`run_layer` in every layer."""
    caches, states, h, h_last = [], [], x, None
    for p in layers[::order]:
        h0 = h_last if carry_state and h_last is not None else None
        h, c = run_layer(x if feed_x else h, p, h0=h0, **(layer(p) if layer else {}))
        caches.append(c)
        states.append(h)
        h_last = h[:, :, -1]
    return (states[-1] if top else states[0]), {"cell": "rnn", "layers": caches}


@register
class DeepRnnForward(Check):
    name = "deep_rnn_forward"
    returns = ("h_top", "cache")
    parts = (
        Shape("h_top", 0.5),
        Values("h_top", 2.5),
        Keys("cache", ["cell", "layers"], 0.5),
        Nested("cache", 1.5, "cache contents"),
    )

    def cases(self, rng):
        return _deep_cases(rng)

    def expected(self, case):
        return ref.deep_rnn_forward(*case.args, **case.kwargs)

    def mistakes(self):
        def stack(**change):
            return lambda c: _stack(*c.args, **change)

        out = [
            Mistake("x to every layer", "every layer read the input x: only layer 1 reads x, layer l reads the "
                    "states of layer l - 1, h^{[l-1]}", stack(feed_x=True)),
            Mistake("bottom returned", "these are the bottom layer's states: return the top layer's, h^{[L]}",
                    stack(top=False)),
            Mistake("layers reversed", "the layers ran top first: layers[0] is the bottom layer, the one that reads "
                    "x", stack(order=-1)),
            Mistake("state carried", "a layer started from the last state of the layer below: every layer starts "
                    "from its own zero state h^{[l]<0>} = 0", stack(carry_state=True)),
        ]
        out += [Mistake(name, message, stack(layer=change)) for name, message, change in layer_forward_changes()]
        return out


def _deep_back(dh_top, cache, pass_down="dx", grads_order=1, dx_from="bottom", **layer):
    """A stacked backward pass with deliberate changes, given the reference's cache. ``pass_down``:
    what the layer below receives (``dx``, ``dh_top`` again, or ``zeros``)."""
    grads, dh, dx_top = [], dh_top, None
    for layer_cache in reversed(cache["layers"]):
        dx, g = back_layer(dh, layer_cache, **layer)
        grads.append(g)
        dx_top = dx if dx_top is None else dx_top
        dh = {"dx": dx, "dh_top": dh_top, "zeros": np.zeros(dx.shape)}[pass_down]
    return {"dx": dx if dx_from == "bottom" else dx_top, "layers": grads[::-1] if grads_order == 1 else grads}


def _one_dict_per_layer(case, value, want):
    if not isinstance(value, dict) or "layers" not in value:
        return "the result has no entry 'layers'"
    got = value["layers"]
    if not isinstance(got, (list, tuple)):
        return f"layers is a {type(got).__name__}; expected a list with one gradient dict per layer"
    if len(got) != case.info["L"]:
        return f"layers has {len(got)} entries; expected {case.info['L']}, one per layer, bottom first"
    for i, g in enumerate(got):
        if not isinstance(g, dict) or set(g) != {"dU", "dW", "db"}:
            return f"layers[{i}] must be a dict with exactly the keys 'dU', 'dW', 'db'"
    return None


class LayerGradient(Values):
    """The gradient ``name`` of the top layer (``top=True``) or of every layer below it."""

    def __init__(self, name: str, points: float, top: bool):
        self.name, self.top = name, top
        title = f"{name} of the top layer" if top else f"{name} of the lower layers"
        super().__init__(("layers",), points, title, when=None if top else (lambda c: c.info["L"] > 1))

    def judge(self, check, case, outcome, want):
        L = case.info["L"]
        for i in [L - 1] if self.top else range(L - 1):
            path = ("layers", i, self.name)
            got = check.locate(outcome.value, path)
            if isinstance(got, Missing):
                return got.message
            reason = self.compare(check, case, path, got, want["layers"][i][self.name])
            if reason:
                return reason
        return None


@register
class DeepRnnBackward(Check):
    name = "deep_rnn_backward"
    parts = (
        Keys((), ["dx", "layers"], 0.5, "result keys"),
        Custom("one gradient dict per layer", 0.5, _one_dict_per_layer),
        Values("dx", 1.0),
        *(LayerGradient(g, 0.5, top=True) for g in ("dU", "dW", "db")),
        *(LayerGradient(g, 0.5, top=False) for g in ("dU", "dW", "db")),
        NoSideEffects(0.5),
    )

    def cases(self, rng):
        return _deep_cases(rng, backward=True)

    def expected(self, case):
        return ref.deep_rnn_backward(*case.args)

    def mistakes(self):
        def deep(**change):
            return lambda c: _deep_back(*c.args, **change)

        out = [
            Mistake("dh_top to every layer", "every layer received dh_top: the gradient a layer passes down is its "
                    "dx, which becomes the dh of the layer below", deep(pass_down="dh_top")),
            Mistake("nothing passed down", "the layers below the top received no gradient: the dx returned by "
                    "layer l + 1 is the dh of layer l (its states feed layer l + 1)", deep(pass_down="zeros")),
            Mistake("top first", "layers is in top-first order: return the gradient dicts bottom first, layers[0] "
                    "for the layer that reads x, as in the cache", deep(grads_order=-1)),
            Mistake("top dx", "dx is the top layer's input gradient: the gradient with respect to x is the dx of "
                    "the bottom layer, after passing through every layer", deep(dx_from="top")),
        ]
        out += [Mistake(name, message, deep(**change)) for name, (message, change) in LAYER_BACKWARD_MISTAKES.items()]
        return out
