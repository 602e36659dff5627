"""Checks for assignment 1: ``addk_prob`` (add-k smoothing: seen and unseen n-grams, unseen
contexts, k = 0, unigrams) and ``perplexity`` (a geometric mean, on long texts and with a zero
probability).
"""

from __future__ import annotations

import math

import numpy as np

from autograder import reference as ref

from .counting import Matches, made_up_words, random_text
from .spec import Case, Check, Mistake, register

# ---------------------------------------------------------------- addk_prob

SEEN, UNSEEN, NEW_CONTEXT, ML, UNIGRAM = "seen", "unseen", "new context", "k = 0", "unigram"


def _addk_model(rng, n, T=30, k_words=5):
    """A text over ``k_words`` made-up words plus one word that never occurs (so unseen n-grams and
    contexts exist): (words, counts, contexts, |V|) with plain-dict counts."""
    words = made_up_words(rng, k_words + 1)
    tokens = random_text(rng, words[:-1], T)
    counts = dict(ref.ngram_counts(tokens, n))
    contexts = dict(ref.context_counts(counts))
    vocab_size = len(words) + int(rng.integers(0, 3))  # |V| may count tokens such as <UNK> that never occur
    return words, counts, contexts, vocab_size


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


@register
class AddkProb(Check):
    name = "addk_prob"
    parts = (
        Matches("seen n-grams", 1.0, when=lambda c: c.info["kind"] == SEEN),
        Matches("unseen n-gram after a seen context", 0.5, when=lambda c: c.info["kind"] == UNSEEN),
        Matches("context never seen (uniform 1/|V|)", 0.5, when=lambda c: c.info["kind"] == NEW_CONTEXT).states(
            r"never seen|unseen context|uniform"),
        Matches("k = 0 (maximum likelihood)", 0.5, when=lambda c: c.info["kind"] == ML),
        Matches("unigrams (n = 1)", 0.5, when=lambda c: c.info["kind"] == UNIGRAM),
    )

    def cases(self, rng):
        cases = []

        def add(kind, n, ngram, model, k):
            _, counts, contexts, vocab_size = model
            args = (tuple(ngram), counts, contexts, vocab_size) + (() if k is None else (k,))
            label = f"{kind}, n={n}, |V|={vocab_size}, k={'default' if k is None else k}"
            cases.append(Case(label, args, info={"kind": kind, "k": 1.0 if k is None else k}))

        for n, k in [(2, 1.0), (3, 0.5), (2, None)]:
            model = _addk_model(rng, n)
            words, counts, contexts, _ = model
            add(SEEN, n, _pick(rng, sorted(counts)), model, k)
            seen_context = _pick(rng, sorted(contexts))
            add(UNSEEN, n, seen_context + (words[-1],), model, k)
            add(NEW_CONTEXT, n, (words[-1],) * (n - 1) + (_pick(rng, words),), model, k)
        for n in (2, 3):
            model = _addk_model(rng, n)
            words, counts, contexts, _ = model
            add(ML, n, _pick(rng, sorted(counts)), model, 0.0)
            add(ML, n, _pick(rng, sorted(contexts)) + (words[-1],), model, 0.0)
        model = _addk_model(rng, 1, T=15)
        words = model[0]
        add(UNIGRAM, 1, (_pick(rng, words[:-1]),), model, 1.0)
        add(UNIGRAM, 1, (words[-1],), model, 0.1)
        add(UNIGRAM, 1, (_pick(rng, words[:-1]),), model, 0.0)
        return cases

    def expected(self, case):
        return ref.addk_prob(*case.args)

    def mistakes(self):
        def formula(f):
            def answer(case):
                ngram, counts, contexts, vocab_size = case.args[:4]
                k = case.info["k"]
                return float(f(counts.get(ngram, 0), contexts.get(ngram[:-1], 0), k, vocab_size, ngram, counts,
                               contexts))
            return answer

        return [
            Mistake("no k|V|", "the denominator lacks k|V|: adding k to each of the |V| counts C(h, w) adds k|V| to "
                    "their total, so P = (C(h, w) + k) / (C(h) + k|V|)", formula(lambda c, h, k, V, *_: (c + k) / h)),
            Mistake("k not times |V|", "the denominator adds k once; it must add k for every token of the "
                    "vocabulary, k|V|", formula(lambda c, h, k, V, *_: (c + k) / (h + k))),
            Mistake("numerator without k", "the numerator lacks k: every n-gram gets k extra counts, "
                    "C(h, w) + k", formula(lambda c, h, k, V, *_: c / (h + k * V))),
            Mistake("|V| from counts", "|V| is the vocab_size argument, the number of tokens the model can predict, "
                    "not the number of distinct n-grams",
                    formula(lambda c, h, k, V, g, cs, xs: (c + k) / (h + k * len(cs)))),
            Mistake("|V| from contexts", "|V| is the vocab_size argument, the number of tokens the model can "
                    "predict, not the number of distinct contexts",
                    formula(lambda c, h, k, V, g, cs, xs: (c + k) / (h + k * len(xs)))),
            Mistake("total count", "the denominator uses the total of all n-gram counts; it must use the count "
                    "of this context, C(h) = contexts[ngram[:-1]]",
                    formula(lambda c, h, k, V, g, cs, xs: (c + k) / (sum(cs.values()) + k * V))),
            Mistake("wrong context", "the context is the first n - 1 tokens, ngram[:-1], not the last n - 1",
                    formula(lambda c, h, k, V, g, cs, xs: (c + k) / (xs.get(g[1:], 0) + k * V))),
            Mistake("log", "this is the log-probability; return the probability itself",
                    formula(lambda c, h, k, V, *_: math.log((c + k) / (h + k * V)))),
        ]


# ---------------------------------------------------------------- perplexity

LONG, ZERO = "long", "zero"


@register
class Perplexity(Check):
    name = "perplexity"
    parts = (
        Matches("values", 1.5, when=lambda c: not c.info),
        Matches("long text (no underflow)", 0.5, when=lambda c: c.info.get(LONG)).states(r"underflow|log"),
        Matches("a zero probability gives inf", 0.5, when=lambda c: c.info.get(ZERO)).states(r"\binf\b|infinit"),
    )

    def cases(self, rng):
        cases = []
        for N in (12, 5, 1):
            p = rng.uniform(0.02, 1.0, size=N)
            cases.append(Case(f"N={N}, an array", (p,)))
        K = int(rng.integers(3, 30))
        cases.append(Case(f"N=8, a list, uniform over {K} tokens", ([1.0 / K] * 8,)))
        cases.append(Case("N=6, a list", (rng.uniform(0.05, 0.9, size=6).tolist(),)))
        long = rng.uniform(0.001, 0.2, size=3000)  # the product is about 1e-4000: 0.0 in float64
        cases.append(Case("N=3000, an array whose product underflows", (long,), info={LONG: True}))
        zero = rng.uniform(0.1, 0.9, size=7)
        zero[int(rng.integers(7))] = 0.0
        cases.append(Case("N=7, one probability is 0", (zero,), info={ZERO: True}))
        return cases

    def expected(self, case):
        return ref.perplexity(*case.args)

    def mistakes(self):
        def pp(f):
            def answer(case):
                p = np.asarray(case.args[0], dtype=np.float64)
                with np.errstate(all="ignore"):
                    return float(f(p))
            return answer

        mean_ln = lambda p: np.mean(np.log(p))
        return [
            Mistake("underflow", "the product of the probabilities underflowed to 0: compute in log space, "
                    "exp(-mean(log p)), never the product itself", pp(lambda p: np.prod(p) ** (-1.0 / p.size))),
            Mistake("minus sign", "the minus sign is missing: PP = exp(-(1/N) sum log p_t), which is at least 1",
                    pp(lambda p: np.exp(mean_ln(p)))),
            Mistake("not averaged", "the log-probabilities are summed but not averaged: divide by N, the number "
                    "of tokens (perplexity is a geometric mean)", pp(lambda p: np.exp(-np.sum(np.log(p))))),
            Mistake("mixed bases", "the logarithm and the exponential have different bases: use exp with the "
                    "natural log np.log, or 2** with np.log2", pp(lambda p: np.exp(-np.mean(np.log2(p))))),
            Mistake("mixed bases", "the logarithm and the exponential have different bases: use exp with the "
                    "natural log np.log, or 2** with np.log2", pp(lambda p: 2.0 ** (-mean_ln(p)))),
            Mistake("cross-entropy", "this is the cross-entropy H = -(1/N) sum log p_t; the perplexity is exp(H)",
                    pp(lambda p: -mean_ln(p))),
            Mistake("arithmetic mean", "an arithmetic mean was used; the perplexity is the inverse of the "
                    "geometric mean of the probabilities, exp(-(1/N) sum log p_t)", pp(lambda p: 1.0 / np.mean(p))),
            Mistake("arithmetic mean", "an arithmetic mean was used; the perplexity is the inverse of the "
                    "geometric mean of the probabilities, exp(-(1/N) sum log p_t)", pp(lambda p: np.mean(1.0 / p))),
        ]
