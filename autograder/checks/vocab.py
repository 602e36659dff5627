"""Checks for assignment 1: ``build_vocab`` (specials first, the tokens kept by ``min_count``,
ids by frequency with ties in order of first appearance).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from autograder import reference as ref

from .counting import Matches, made_up_words, missing_extra, text_with_counts
from .spec import Case, Check, Mistake, register

# ---------------------------------------------------------------- build_vocab

def _vocab_args(case):
    return case.args[0], case.info["min_count"], case.info["specials"]


def _numbered(specials, words) -> dict:
    vocab = {s: i for i, s in enumerate(specials)}
    for w in words:
        if w not in vocab:
            vocab[w] = len(vocab)
    return vocab


def _kept(tokens, min_count, specials, keep=None):
    """The counts, and the tokens that ``keep(count, min_count)`` keeps (specials excluded)."""
    counts = Counter(tokens)
    keep = keep or (lambda c, m: c >= m)
    return counts, [w for w in counts if keep(counts[w], min_count) and w not in specials]


@register
class BuildVocab(Check):
    name = "build_vocab"
    parts = (
        Matches("specials first", 0.5, project=lambda c, v: [v.get(s) for s in c.info["specials"]],
                describe=lambda c, g, w: "the special tokens must have the first ids 0, 1, ... in the order given",
                when=lambda c: c.info["specials"]),
        Matches("kept tokens (min_count)", 1.0,
                project=lambda c, v: sorted((w for w in v if w not in c.info["specials"]), key=repr),
                describe=lambda c, g, w: missing_extra("token(s)", g, w)),
        Matches("ids (order)", 1.5, describe=lambda c, g, w: _vocab_order_problem(g, w)),
    )

    def cases(self, rng):
        cases = []
        # default specials (no keyword arguments), <EOS> between sentences of the text
        words = made_up_words(rng, 7)
        tokens = text_with_counts(rng, dict(zip(words, [4, 3, 2, 2, 2, 1, 1])))
        for cut in sorted(rng.choice(np.arange(2, len(tokens) - 1), size=3, replace=False), reverse=True):
            tokens.insert(int(cut), ref.EOS)
        tokens.append(ref.EOS)
        cases.append(Case("default specials, <EOS> in the text", (tokens,),
                          info={"min_count": 1, "specials": (ref.UNK, ref.EOS)}))
        # min_count = 2: some tokens exactly at the threshold
        words = made_up_words(rng, 8)
        tokens = text_with_counts(rng, dict(zip(words, [5, 3, 2, 2, 2, 1, 1, 1])))
        cases.append(Case("min_count=2", (tokens,), {"min_count": 2},
                          info={"min_count": 2, "specials": (ref.UNK, ref.EOS)}))
        # min_count = 3 and three specials in a non-alphabetical order
        words = made_up_words(rng, 8)
        specials = ("<pad>", "<unk>", "<bos>")
        tokens = text_with_counts(rng, dict(zip(words, [6, 4, 3, 3, 3, 2, 2, 1])))
        cases.append(Case("min_count=3, three specials", (tokens,), {"min_count": 3, "specials": specials},
                          info={"min_count": 3, "specials": specials}))
        # a string of characters, no specials
        letters = [chr(c) for c in rng.choice(np.arange(97, 123), size=7, replace=False)]
        chars = "".join(text_with_counts(rng, dict(zip(letters, [5, 4, 3, 3, 3, 1, 1]))))
        cases.append(Case("tokens a string of characters, specials=()", (chars,), {"specials": ()},
                          info={"min_count": 1, "specials": ()}))
        # a single token, and min_count above every count
        cases.append(Case("a text of one token", (made_up_words(rng, 1),),
                          info={"min_count": 1, "specials": (ref.UNK, ref.EOS)}))
        words = made_up_words(rng, 3)
        tokens = text_with_counts(rng, dict(zip(words, [2, 1, 1])))
        cases.append(Case("min_count above every count", (tokens,), {"min_count": 5},
                          info={"min_count": 5, "specials": (ref.UNK, ref.EOS)}))
        return cases

    def expected(self, case):
        return ref.build_vocab(*case.args, **case.kwargs)

    def mistakes(self):
        def ordered(key=None, first_seen=False, reverse=False, keep=None, specials_where="first"):
            def answer(case):
                tokens, min_count, specials = _vocab_args(case)
                counts, kept = _kept(tokens, min_count, () if specials_where != "first" else specials, keep)
                if first_seen:
                    words = sorted(kept, key=lambda w: -counts[w])  # stable: ties in order of first appearance
                else:
                    words = sorted(kept, key=lambda w: key(counts[w], w), reverse=reverse)
                if specials_where == "none":
                    return _numbered((), words)
                if specials_where == "last":
                    return _numbered((), words + list(specials))
                return _numbered(specials, words)
            return answer

        def overwritten(case):
            """ids from ``list(specials) + words`` with the specials counted again as words."""
            tokens, min_count, specials = _vocab_args(case)
            counts = Counter(tokens)
            words = sorted((w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], w))
            if not set(words) & set(specials):
                return None
            return {w: i for i, w in enumerate(list(specials) + words)}

        right = lambda c, w: (-c, w)
        return [
            Mistake("specials missing", "the special tokens are missing: they come first, with ids 0, 1, ... "
                    "in the order of the specials argument", ordered(right, specials_where="none")),
            Mistake("specials last", "the special tokens come last; they get the first ids, 0, 1, ..., "
                    "before every word", ordered(right, specials_where="last")),
            Mistake("special counted again", "a special token that also occurs in the text was numbered again "
                    "as a word: it keeps its special id, and the word ids continue without a gap", overwritten),
            Mistake("min_count strict", "min_count is off by one: keep a token that occurs exactly min_count "
                    "times (count >= min_count, not > min_count)",
                    ordered(right, keep=lambda c, m: c > m)),
            Mistake("min_count ignored", "min_count is ignored: tokens occurring fewer than min_count times "
                    "are left out of the vocabulary", ordered(right, keep=lambda c, m: True)),
            Mistake("ties by first appearance", "ties are not broken alphabetically: tokens with the same count "
                    "must be sorted by the token itself, e.g. key=lambda w: (-count[w], w)",
                    ordered(first_seen=True)),
            Mistake("ties reversed", "ties are broken in reverse alphabetical order (sorting by (count, token) with "
                    "reverse=True reverses both); sort by (-count, token) instead", ordered(lambda c, w: (c, w),
                                                                                             reverse=True)),
            Mistake("least frequent first", "the tokens are sorted from the least to the most frequent; the most "
                    "frequent token gets the first id after the specials", ordered(lambda c, w: (c, w))),
            Mistake("alphabetical", "the tokens are sorted alphabetically only; sort by descending count first, "
                    "and alphabetically only among tokens with equal counts", ordered(lambda c, w: w)),
        ]



def _vocab_order_problem(got: dict, want: dict) -> str | None:
    problem = missing_extra("token(s)", got, want)
    if problem:
        return problem
    ids = sorted(got.values(), key=repr)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids) or ids != list(range(len(want))):
        return "the ids must be 0, 1, ..., |V|-1, each used once"
    wrong = sum(got[w] != want[w] for w in want)
    return (f"{wrong} of the {len(want)} tokens have the wrong id (order: the specials, then by descending "
            "count, ties alphabetically)")
