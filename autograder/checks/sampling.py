"""Checks for assignment 6, sampling: temperature sampling with priming.

The graded function is ``sample(params, length, rng, temperature=1.0, prime=(), cell="rnn",
end_id=None)`` (:func:`autograder.reference.sample`). The exercise samples from the plain RNN only
(the notebook's given first line raises for another ``cell``), so every case sends ``cell="rnn"``
or leaves the default. The generator is sent as the harness marker ``Rng(seed)``: the student's
function and the reference get generators in the same state, and since the reference draws with
exactly ``rng.choice(n_y, p=p)`` once per id, a right answer reproduces its ids exactly.
(``rng.random()`` with a cumulative sum and ``searchsorted`` is the same draw: ``Generator.choice``
does precisely that, so it scores full marks too.)

The demo model
--------------
The notebook ends with text written by the student's ``sample`` from a small character RNN trained
on Tiny Shakespeare, shipped as ``solutions/06-sampling/shakespeare_rnn.npz`` (nbgrader releases it
with the notebook). :func:`make_demo_model` trains and writes it; from the repository root::

    AUTOGRADER_DATA_MIRROR=/work/shared/data python -m autograder.checks.sampling [PATH]

(``PATH`` defaults to that file; without a mirror the corpus is downloaded or read from the cache,
see :mod:`autograder.data`; Python's warning that the package imported the module before it ran is
expected and harmless). It is deterministic (seed 0, one BLAS thread when ``threadpoolctl`` is
installed) and takes about 30 seconds on one core. The file holds ``U (n_h, n_y)``, ``W (n_h, n_h)``,
``b (n_h, 1)``, ``V (n_y, n_h)``, ``by (n_y, 1)`` as float32 and ``chars`` (``<U1``, ``(n_y,)``),
the vocabulary's characters by id; it loads with ``np.load(path, allow_pickle=False)``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import numpy as np

from autograder import reference as ref

from .harness import Rng
from .inputs import label, rnn_params
from .spec import (
    Case,
    Check,
    Custom,
    Diagnosis,
    Mistake,
    NoSideEffects,
    Values,
    close,
    register,
)

T1, TEMPERATURE, PRIME, END, GREEDY = "temperature 1", "other temperatures", "prime", "end_id", "greedy"
EVIDENCE = 12  # ids the results must hold together before a mistake is named for them

DRAW = ("draw each id with exactly rng.choice(n_y, p=p), using the rng argument (not np.random), once per "
        "generated id, with p = softmax((V h + b_y) / temperature) for the current state")
HINTS = {
    T1: DRAW,
    TEMPERATURE: "divide the logits by the temperature before the softmax, p = softmax((V h + b_y) / temperature); "
                 + DRAW.removesuffix(", with p = softmax((V h + b_y) / temperature) for the current state"),
    PRIME: "feed the prime's ids through the cell first (one-hot inputs, from the zero state), then draw from the "
           "state they leave; the prime is not part of the result",
    END: "append every id drawn, and stop right after appending end_id",
    GREEDY: "with temperature 0, take k = argmax(V h + b_y) at every step, with no draw, and feed k back",
}


def _register(cls):
    """``python -m autograder.checks.sampling`` runs this file a second time, as ``__main__``, after
    the package has imported and registered it: register the check once."""
    return cls if __name__ == "__main__" else register(cls)


# ---------------------------------------------------------------- the sampler, right and wrong

def simulate(case: Case, temp: str = "divide", draw: str = "choice", prime_mode: str = "feed", start: bool = True,
             feed: str = "sampled", include_prime: str | None = None, end: str = "after",
             rng: np.random.Generator | None = None) -> list[int]:
    """What a sampler returns for ``case``, right with the defaults, or with one mistake.

    ``temp``: ``divide`` the logits by the temperature, ``ignore`` it, or ``multiply`` by it.
    ``draw``: ``choice`` (``rng.choice(n_y, p=p)``), ``argmax``, ``uniform`` (``rng.choice(n_y)``)
    or ``multinomial`` (``rng.multinomial(1, p)``). ``prime_mode``: ``feed`` the prime, ``ignore``
    it, or feed the zero vector before it (``zero_first``). ``start``: without a prime, one step on
    the zero input before the first draw. ``feed``: the next input is the ``sampled`` id, the
    ``zero`` vector, the ``last`` input of the warm-up again, or the state is ``frozen``.
    ``include_prime``: ``prepend`` the prime to ``length`` new ids, or ``fill`` up to ``length``.
    ``end``: stop ``after`` appending ``end_id``, ``before`` it, or ``ignore`` it. ``rng``: a
    generator to draw with instead of one made from the case's ``Rng`` marker.
    """
    params, length, marker = case.args
    temperature = case.kwargs.get("temperature", 1.0)
    prime = [int(k) for k in case.kwargs.get("prime", ())]
    end_id = case.kwargs.get("end_id")
    rng = np.random.default_rng(marker.seed) if rng is None else rng
    U, W, b, V, by = (params[k] for k in ("U", "W", "b", "V", "by"))
    n_y = V.shape[0]
    zero = np.zeros((n_y, 1))

    def one_hot(k):
        x = zero.copy()
        x[k] = 1.0
        return x

    if prime and prime_mode == "feed":
        warm_up = [one_hot(k) for k in prime]
    elif prime and prime_mode == "zero_first":
        warm_up = [zero] + [one_hot(k) for k in prime]
    else:
        warm_up = [zero] if start else []
    h = np.zeros((W.shape[0], 1))
    for x in warm_up:
        h = np.tanh(U @ x + W @ h + b)
    last = warm_up[-1] if warm_up else zero

    out = list(prime) if include_prime else []
    for _ in range(length - len(out) if include_prime == "fill" else length):
        z = (V @ h + by).ravel()
        if temperature == 0 or draw == "argmax":
            k = int(np.argmax(z))
        else:
            p = ref.softmax({"divide": z / temperature, "ignore": z, "multiply": z * temperature}[temp])
            if draw == "choice":
                k = int(rng.choice(n_y, p=p))
            elif draw == "uniform":
                k = int(rng.choice(n_y))
            else:
                k = int(np.argmax(rng.multinomial(1, p)))
        if k == end_id and end == "before":
            break
        out.append(k)
        if k == end_id and end == "after":
            break
        if feed != "frozen":
            h = np.tanh(U @ {"sampled": one_hot(k), "zero": zero, "last": last}[feed] + W @ h + b)
    return out


# ---------------------------------------------------------------- parts

def _list_of_ids(case, value, want):
    """The result is a list of ``length`` ints in ``[0, n_y)`` (cases without end_id)."""
    length, n_y = case.args[1], case.args[0]["V"].shape[0]
    if not isinstance(value, list):
        what = "NumPy array" if isinstance(value, np.ndarray) else type(value).__name__
        return f"the result is a {what}; return a list of ints (ids.append(int(k)))"
    bad = next((v for v in value if type(v) is not int), None)
    if bad is not None:
        return f"the result holds a {type(bad).__name__}; every id must be an int (int(k))"
    if len(value) != length:
        extra = " (the prime is not part of the result)" if case.kwargs.get("prime") else ""
        return f"the result has {len(value)} ids; expected length = {length}{extra}"
    if any(not 0 <= v < n_y for v in value):
        return f"an id lies outside [0, n_y) = [0, {n_y})"
    return None


class Ids(Values):
    """The ids equal the reference's, exactly; a known mistake is named, else the first position that
    differs is given with a hint (no reference values are shown)."""

    def __init__(self, kind: str, points: float, title: str):
        super().__init__((), points, title, when=lambda case: case.info["kind"] == kind)
        self.hint = HINTS[kind]

    def compare(self, check, case, path, got, expected):
        if not isinstance(got, (list, tuple, np.ndarray)) or (isinstance(got, np.ndarray) and got.ndim != 1):
            return f"the result is a {type(got).__name__}; expected a list of ints"
        if len(got) == len(expected) and close(got, expected, rtol=0.0, atol=0.0):
            return None
        diagnosis = check.diagnose(case, path, got, expected)
        if diagnosis:
            return Diagnosis(f"the ids are wrong: {diagnosis}")
        first = next((i for i, (g, w) in enumerate(zip(got, expected)) if g != w), None)
        if first is None:
            where = "the result is " + ("longer" if len(got) > len(expected) else "shorter") + " than expected"
        else:
            where = f"the ids differ from the expected ones from position {first} on"
        return f"{where}; {self.hint}"


class ModelUnchanged(NoSideEffects):
    """:class:`NoSideEffects` for a function that must use up its generator: drawing advances
    ``rng`` (argument 3), which is no side effect; the model and the prime must stay unchanged."""

    def judge(self, check, case, outcome, want):
        kept = [m for m in outcome.mutated if not re.match(r"argument (3|rng)\b", m)]
        return super().judge(check, case, replace(outcome, mutated=kept), want)


# ---------------------------------------------------------------- the check

def _model(rng: np.random.Generator, n_y: int, n_h: int) -> dict:
    """A random character model with n_x = n_y. V is scaled up so that the next-id distributions are
    peaked enough for the temperature to matter, W so that the state remembers its start (a prime
    fed after a zero vector, or not at all, then changes the draws)."""
    p = rnn_params(rng, n_y, n_h, n_y)
    p["V"], p["W"] = 1.5 * p["V"], 2.0 * p["W"]
    return p


def _seed(rng: np.random.Generator) -> Rng:
    return Rng(int(rng.integers(2**31)))


@_register
class Sample(Check):
    name = "sample"
    parts: ClassVar[list] = [
        Custom("a list of `length` ints", 1.0, _list_of_ids, when=lambda case: case.info["kind"] != END),
        Ids(T1, 2.0, "draws at temperature 1"),
        Ids(TEMPERATURE, 1.5, "temperatures 0.5 and 2").states(r"temperature"),
        Ids(PRIME, 2.0, "priming").states(r"prim"),
        Ids(END, 1.0, "stops at end_id").states(r"end_id"),
        Ids(GREEDY, 1.0, "temperature 0 is the argmax").states(r"argmax|greedy"),
        ModelUnchanged(0.5, "the model is left unchanged"),
    ]

    def cases(self, rng):
        cases = []

        def add(kind, n_y, n_h, length, **kwargs):
            p = _model(rng, n_y, n_h)
            more = {k: v for k, v in kwargs.items() if k in ("temperature", "end_id")}
            if "prime" in kwargs:
                more["prime length"] = len(kwargs["prime"])
            cases.append(Case(label(n_y=n_y, n_h=n_h, length=length, **more), (p, length, _seed(rng)), kwargs,
                              info={"kind": kind}))

        add(T1, 4, 5, 15)
        add(T1, 3, 6, 1)                                   # a single id
        add(T1, 5, 3, 12, temperature=1.0, cell="rnn")     # n_h < n_y
        add(T1, 4, 4, 12)                                  # square
        add(TEMPERATURE, 4, 5, 20, temperature=0.5)
        add(TEMPERATURE, 5, 3, 20, temperature=2.0)
        add(PRIME, 4, 5, 12, prime=[int(rng.integers(4))])
        add(PRIME, 5, 6, 12, prime=tuple(int(k) for k in rng.integers(0, 5, size=4)))
        add(GREEDY, 4, 5, 12, temperature=0.0)
        add(GREEDY, 3, 6, 8, temperature=0, prime=[int(k) for k in rng.integers(0, 3, size=3)])
        for n_y, n_h, prime in ((4, 5, []), (5, 4, [int(k) for k in rng.integers(0, 5, size=2)])):
            # end_id: an id the sampler draws first in the middle of the sequence, so that it stops there
            p, length, seed = _model(rng, n_y, n_h), 20, _seed(rng)
            kwargs = {"prime": prime} if prime else {}
            drawn = ref.sample(p, length, np.random.default_rng(seed.seed), prime=prime)
            middle = [k for k in set(drawn) if 2 <= drawn.index(k) <= length - 4]
            end_id = int(rng.choice(sorted(middle))) if middle else drawn[2]
            more = {"prime length": len(prime)} if prime else {}
            cases.append(Case(label(n_y=n_y, n_h=n_h, length=length, end_id=end_id, **more), (p, length, seed),
                              {**kwargs, "end_id": end_id}, info={"kind": END}))
        return cases

    def expected(self, case):
        params, length, marker = case.args
        return ref.sample(params, length, np.random.default_rng(marker.seed), **case.kwargs)

    def mistakes(self):
        return [Mistake(name, message, lambda case, variant=variant: simulate(case, **variant))
                for name, message, variant in MISTAKES]

    def score(self, cases, outcomes, seed, wants=None):
        """As :meth:`Check.score`, but a mistake is named only when it explains the results: those of
        every case, or else those of every case of the kind (part) at hand. On a short or peaked
        sequence a mistake, or a draw from another generator, can give the right ids by chance on
        one case; the other cases tell them apart. (The grader scores many students with one
        instance: the findings live on a copy made for this call.)"""
        mistakes = self.mistakes()
        answers = {(id(case), m.name): m.answer(case) for case in cases for m in mistakes}
        returned = [(case, outcome.value) for case, outcome in zip(cases, outcomes) if outcome.status == "ok"]

        def explaining(among):
            if sum(len(v) if isinstance(v, (list, tuple, np.ndarray)) else 0 for _, v in among) < EVIDENCE:
                return []
            return [m for m in mistakes
                    if all(close(value, answers[id(case), m.name], rtol=0.0, atol=0.0) for case, value in among)]

        everywhere = explaining(returned)
        scorer = copy.copy(self)
        scorer.answers = answers
        scorer.explaining = {kind: everywhere or explaining([(c, v) for c, v in returned if c.info["kind"] == kind])
                             for kind in {case.info["kind"] for case in cases}}
        return Check.score(scorer, cases, outcomes, seed, wants)

    def diagnose(self, case, path, got, expected):
        """The first mistake that explains the results (see :meth:`score`) and is wrong here."""
        for mistake in getattr(self, "explaining", {}).get(case.info["kind"], []):
            wrong = self.answers[id(case), mistake.name]
            if not close(wrong, expected):
                return mistake.message
        return None


NOT_FED = "the drawn id is not fed back: after drawing k, the next input is onehot(k)"
WITH_PRIME = "the prime is part of the result: return only the ids drawn after it (the prime only warms up the state)"
# (name, message, the variant of :func:`simulate`); a variant that does not apply to a case gives the right answer
MISTAKES = [
    ("argmax", "every id is the argmax: draw it at random, rng.choice(n_y, p=p); only temperature 0 is greedy",
     {"draw": "argmax"}),
    ("uniform draw", "the ids are drawn uniformly: pass the probabilities, rng.choice(n_y, p=p)",
     {"draw": "uniform"}),
    ("multinomial", ("the draw must be exactly rng.choice(n_y, p=p), once per id: rng.multinomial draws from the "
     "same distribution but uses the generator differently, so the same seed gives other ids"),
     {"draw": "multinomial"}),
    ("temperature ignored", ("the temperature has no effect: divide the logits by it before the softmax, "
     "softmax((V h + b_y) / temperature) (dividing the probabilities by it and renormalising cancels out)"),
     {"temp": "ignore"}),
    ("temperature multiplies", ("the logits are multiplied by the temperature; divide them, "
     "softmax((V h + b_y) / temperature), so that a low temperature sharpens the distribution"),
     {"temp": "multiply"}),
    ("prime ignored", ("the prime is ignored: feed its ids through the cell (one-hot inputs, from the zero state) "
     "before the first draw"), {"prime_mode": "ignore"}),
    ("zero before prime", ("with a prime, the zero start vector is not fed: the prime's ids replace it, "
     "x^{<1>} = onehot(prime[0])"), {"prime_mode": "zero_first"}),
    ("prime in result", WITH_PRIME, {"include_prime": "prepend"}),
    ("prime in result, filled", WITH_PRIME, {"include_prime": "fill"}),
    ("no start step", ("without a prime, the first distribution comes after one step on the zero input, "
     "h^{<1>} = tanh(U 0 + W h^{<0>} + b) = tanh(b), not from h^{<0>} = 0"), {"start": False}),
    ("zero fed back", f"{NOT_FED}, not the zero vector", {"feed": "zero"}),
    ("prime fed back", f"{NOT_FED}, not the last input of the warm-up (the prime's last id) again", {"feed": "last"}),
    ("state frozen", ("the hidden state never changes after the warm-up: compute the new state "
     "h = tanh(U x + W h + b) after every draw and keep it"), {"feed": "frozen"}),
    ("end ignored", "the sampling does not stop at end_id: stop right after appending it", {"end": "ignore"}),
    ("end left out", "end_id is missing at the end of the result: append it, then stop", {"end": "before"}),
]


# ---------------------------------------------------------------- the demo model of the notebook

DEMO_MODEL = Path(__file__).resolve().parents[2] / "solutions" / "06-sampling" / "shakespeare_rnn.npz"
DEMO_KEYS = ("U", "W", "b", "V", "by", "chars")
DEMO = {"n_h": 128, "steps": 6000, "seq_len": 25, "batch": 32, "lr": 0.01, "lr_late": 0.002, "clip": 5.0, "seed": 0}


def make_demo_model(path: str | Path = DEMO_MODEL, steps: int = DEMO["steps"], mirror=None) -> dict:
    """Train the notebook's character RNN on Tiny Shakespeare and write it to ``path`` (npz).

    The recipe of chapter 6: the first 90% of the text, random windows of 25 characters in batches
    of 32 from a zero state, mean cross-entropy, Adam (learning rate 0.01, then 0.002 for the last
    30% of the steps), gradients clipped to global norm 5, ``n_h = 128``, float32, seed 0.

    Args:
        path: where to write the model (``.npz``, uncompressed, no pickled objects).
        steps: Adam steps (fewer make a quick, worse model; tests use that).
        mirror: corpus mirror folder, default ``$AUTOGRADER_DATA_MIRROR`` (see :mod:`autograder.data`).

    Returns:
        A summary: ``n_h``, ``n_y``, ``steps``, the mean loss of the last 10% of the steps and the
        per-character cross-entropy on the first 20,000 characters of the held-out 10%, in nats.
    """
    from autograder.data import CharVocab, load_shakespeare

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: one BLAS thread is faster for these small matrices
        threadpool_limits = None
    limit = threadpool_limits(1) if threadpool_limits else None
    try:
        text = load_shakespeare(mirror=mirror)
        vocab = CharVocab.from_texts([text])
        split = int(0.9 * len(text))
        ids_train, ids_valid = vocab.encode(text[:split]), vocab.encode(text[split:split + 20_001])
        n_y, n_h, m, T = len(vocab), DEMO["n_h"], DEMO["batch"], DEMO["seq_len"]
        dtype = np.float32
        rng = np.random.default_rng(DEMO["seed"])
        params = ref.init_rnn_params(n_y, n_h, n_y, rng=rng, dtype=dtype)

        def step(p, k):
            inputs, targets = ref.lm_batch(ids_train, T, m, rng)
            h, rnn_cache = ref.rnn_forward(ref.one_hot(inputs, n_y).astype(dtype), np.zeros((n_h, m), dtype), p)
            z, out_cache = ref.output_forward(h, p)
            loss, dz = ref.softmax_cross_entropy(z, targets)
            out = ref.output_backward(dz, out_cache)
            return loss, ref.rnn_backward(out["dh"], rnn_cache) | out

        optimizer = ref.Adam(lr=DEMO["lr"])
        early = int(0.7 * steps)
        history = ref.train(step, params, optimizer, early, clip_norm=DEMO["clip"])
        optimizer.lr = DEMO["lr_late"]
        history = ref.train(step, params, optimizer, steps - early, clip_norm=DEMO["clip"], history=history)
        if history.diverged_at is not None:
            raise RuntimeError(f"training diverged at step {history.diverged_at}")
        valid = cross_entropy(params, ids_valid)
    finally:
        if limit is not None:
            limit.unregister()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:  # a file object: np.savez would append ".npz" to a name without it
        np.savez(f, **{k: params[k].astype(np.float32) for k in ("U", "W", "b", "V", "by")},
                 chars=np.array(vocab.itos, dtype="<U1"))
    tail = max(1, steps // 10)
    return {"n_h": n_h, "n_y": n_y, "steps": steps, "train_loss": float(np.mean(history.loss[-tail:])),
            "valid_loss": valid}


def cross_entropy(params: dict, ids) -> float:
    """Mean -log P(ids[t] | ids[:t]) over t >= 1, in nats per character, reading ``ids`` from a
    zero state (float64)."""
    ids = np.asarray(ids)
    p64 = {k: np.asarray(params[k], dtype=np.float64) for k in ("U", "W", "b", "V", "by")}
    n_y, n_h = p64["V"].shape
    h, _ = ref.rnn_forward(ref.one_hot(ids[None, :-1], n_y), np.zeros((n_h, 1)), p64)
    z, _ = ref.output_forward(h, p64)
    return float(ref.softmax_cross_entropy(z, ids[None, 1:])[0])


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="python -m autograder.checks.sampling",
                                     description="Train and write the character model of exercise 6's demo.")
    parser.add_argument("path", nargs="?", type=Path, default=DEMO_MODEL, help=f"default: {DEMO_MODEL}")
    parser.add_argument("--steps", type=int, default=DEMO["steps"], help="Adam steps (default %(default)s)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary = make_demo_model(args.path, steps=args.steps)
    size = args.path.stat().st_size
    print(f"wrote {args.path} ({size / 1024:.0f} KB) in {time.perf_counter() - start:.0f} s: n_h = {summary['n_h']}, "
          f"{summary['n_y']} characters, {summary['steps']} steps; loss {summary['train_loss']:.3f} nats (last 10% "
          f"of training), {summary['valid_loss']:.3f} nats/char on 20,000 held-out characters "
          f"(uniform: ln {summary['n_y']} = {np.log(summary['n_y']):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
