"""Checks for assignment 1: ``ngram_counts`` and ``context_counts`` (the windows of a text and
their counts, with the edge cases n = 1 and texts no longer than n).
"""

from __future__ import annotations

from collections import Counter

from autograder import reference as ref

from .counting import Matches, made_up_words, missing_extra, random_text, sorted_keys, wrong_values
from .spec import Case, Check, Mistake, register

# ---------------------------------------------------------------- ngram_counts

def _windows(tokens, n, stop=0, step=1, size=None):
    """Tuples ``tokens[i:i+size]`` for i = 0, step, ... up to ``len(tokens) - n + stop``."""
    size = n if size is None else size
    tokens = list(tokens)
    return [tuple(tokens[i:i + size]) for i in range(0, len(tokens) - n + 1 + stop, step)]


def _edge(case) -> bool:
    return case.info["n"] == 1 or case.info["T"] <= case.info["n"]


def _text_label(tokens, n) -> str:
    kind = "a string of characters" if isinstance(tokens, str) else "words"
    return f"n={n}, T={len(tokens)}, {kind}"


@register
class NgramCounts(Check):
    name = "ngram_counts"
    parts = (
        Matches("keys are tuples", 0.5, project=lambda c, v: all(isinstance(g, tuple) for g in v),
                describe=lambda c, g, w: "every key must be a tuple of tokens"),
        Matches("n-grams (keys)", 1.0, project=sorted_keys, describe=lambda c, g, w: missing_extra("n-gram(s)", g, w),
                when=lambda c: not _edge(c)),
        Matches("counts", 1.0, describe=lambda c, g, w: wrong_values("n-grams", g, w), when=lambda c: not _edge(c)),
        Matches("unigrams and short texts (n = 1, T <= n)", 0.5,
                describe=lambda c, g, w: wrong_values("n-grams", g, w), when=_edge),
    )

    def cases(self, rng):
        cases = []
        for n, T, k in [(2, 20, 5), (3, 16, 4), (2, 12, 6), (1, 10, 4), (4, 4, 3), (3, 2, 3)]:
            tokens = random_text(rng, made_up_words(rng, k), T)
            cases.append(Case(_text_label(tokens, n), (tokens, n), info={"n": n, "T": T}))
        chars = "".join(random_text(rng, list("abcde"), 15))
        cases.append(Case(_text_label(chars, 3), (chars, 3), info={"n": 3, "T": len(chars)}))
        return cases

    def expected(self, case):
        return dict(ref.ngram_counts(*case.args))

    def mistakes(self):
        def counted(**how):
            return lambda case: dict(Counter(_windows(*case.args, **how)))

        def joined(sep):
            return lambda case: {sep.join(map(str, g)): c for g, c in ref.ngram_counts(*case.args).items()}

        def bare_unigrams(case):
            tokens, n = case.args
            return dict(Counter(tokens)) if n == 1 else None

        def shorter(case):
            tokens, n = case.args
            return dict(Counter(_windows(tokens, n - 1))) if n >= 2 else None

        return [
            Mistake("last window missing", "the last n-gram is missing (off by one): the windows start at "
                    "t = 0, 1, ..., T - n, that is range(len(tokens) - n + 1)", counted(stop=-1)),
            Mistake("short windows at the end", "the windows run past the end of the text and the last ones are "
                    "shorter than n: stop at t = T - n, that is range(len(tokens) - n + 1)",
                    lambda case: dict(Counter(_windows(case.args[0], 1, size=case.args[1])))),
            Mistake("windows do not overlap", "the windows jump by n tokens; an n-gram starts at every position, "
                    "so consecutive windows overlap by n - 1 tokens", lambda case: counted(step=case.args[1])(case)),
            Mistake("bare unigrams", "for n = 1 the keys must still be tuples, (w,), not the tokens themselves",
                    bare_unigrams),
            Mistake("keys joined", "the keys are joined strings; an n-gram is a tuple of n tokens, "
                    "tuple(tokens[t:t + n])", joined(" ")),
            Mistake("keys joined", "the keys are joined strings; an n-gram is a tuple of n tokens, "
                    "tuple(tokens[t:t + n])", joined("")),
            Mistake("n-1 tokens", "the n-grams have n - 1 tokens; an n-gram has n: the context of n - 1 tokens "
                    "and the token that follows it", shorter),
        ]


# ---------------------------------------------------------------- context_counts

@register
class ContextCounts(Check):
    name = "context_counts"
    parts = (
        Matches("contexts (keys)", 0.5, project=sorted_keys,
                describe=lambda c, g, w: missing_extra("context(s)", g, w)),
        Matches("context counts", 1.0, describe=lambda c, g, w: wrong_values("contexts", g, w),
                when=lambda c: c.info["n"] > 1),
        Matches("unigrams: the empty context ()", 0.5, describe=lambda c, g, w: wrong_values("contexts", g, w),
                when=lambda c: c.info["n"] == 1),
    )

    def cases(self, rng):
        cases = []
        for n, T, k in [(2, 25, 5), (3, 20, 4), (2, 6, 3), (4, 30, 3), (1, 12, 4)]:
            tokens = random_text(rng, made_up_words(rng, k), T)
            counts = dict(ref.ngram_counts(tokens, n))
            cases.append(Case(f"n={n}, {len(counts)} distinct n-grams", (counts,), info={"n": n}))
        return cases

    def expected(self, case):
        return dict(ref.context_counts(*case.args))

    def mistakes(self):
        def contexts(of, weight=lambda c: c):
            def answer(case):
                out = Counter()
                for g, c in case.args[0].items():
                    out[of(g)] += weight(c)
                return dict(out)
            return answer

        return [
            Mistake("one per n-gram", "each n-gram was counted once; C(h) = sum over w of C(h, w) adds each "
                    "n-gram's count", contexts(lambda g: g[:-1], weight=lambda c: 1)),
            Mistake("last tokens", "the context is the first n - 1 tokens of the n-gram, ngram[:-1], not the "
                    "last n - 1", contexts(lambda g: g[1:])),
            Mistake("bare token", "a context is a tuple even when it holds one token: ngram[:-1], not ngram[0]",
                    contexts(lambda g: g[0] if len(g) == 2 else g[:-1])),
        ]
