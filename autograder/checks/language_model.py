"""Checks for assignment 1, language models: build_vocab, ngram_counts, context_counts, addk_prob, perplexity.

The outputs here are not arrays but dicts (token -> id, n-gram -> count) and single numbers, so
this module adds one local part, :class:`Matches`. It compares a whole value -- a dict must have
exactly the right keys, not only contain them -- optionally through a projection (only the kept
tokens, only the ids of the specials), treats ``inf`` as equal to ``inf`` (the perplexity of a
text with a zero probability), and names a known mistake when the mistake's answer, projected the
same way, matches the student's. Messages give counts of wrong entries, never the entries.

The inputs are token lists made of random made-up words (a fresh vocabulary on every run), with
counts laid out so that every case has ties of three tokens, tokens exactly at ``min_count``, and
special tokens inside the text where that matters.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from autograder import reference as ref

from .spec import Case, Check, Diagnosis, Missing, Mistake, Part, close, get, register

CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"


# ---------------------------------------------------------------- comparing dicts and numbers

def _number(value):
    """``value`` as a float if it is a number (or a 0-d numeric array), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        return float(value)
    return None


def same(got, want) -> bool:
    """Equal within the stated tolerance; dicts need exactly the same keys; ``inf == inf``."""
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    if isinstance(want, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(want) and all(map(same, got, want))
    if want is None or isinstance(want, (str, bool)):
        return type(got) is type(want) and got == want
    g, w = _number(got), _number(want)
    if g is None or w is None:
        return False
    if math.isinf(w) or math.isinf(g):
        return g == w
    return close(g, w)


def _kind_problem(what: str, got, want) -> str | None:
    if isinstance(want, dict) and not isinstance(got, dict):
        return f"{what} is a {type(got).__name__}; expected a dict (a Counter is a dict)"
    if _number(want) is not None and _number(got) is None:
        return f"{what} is a {type(got).__name__}; expected a number"
    return None


class Matches(Part):
    """The value at ``path``, seen through ``project(case, value)``, equals the reference's.

    On failure the check's mistakes are projected the same way; the first whose answer differs
    from the right one and matches the student's names the mistake. Otherwise ``describe(case,
    got, want)`` (projected values) explains what is wrong without showing the right answer.
    """

    def __init__(self, title: str, points: float, project=None, describe=None, when=None, path=()):
        super().__init__(title, points, when)
        self.project = project or (lambda case, value: value)
        self.describe = describe
        self.path = path if isinstance(path, tuple) else (path,)

    def judge(self, check, case, outcome, want):
        got = check.locate(outcome.value, self.path)
        if isinstance(got, Missing):
            return got.message
        want = get(want, self.path)
        what = "the result" if not self.path else ".".join(map(str, self.path))
        problem = _kind_problem(what, got, want)
        if problem:
            return problem
        got_p, want_p = self.project(case, got), self.project(case, want)
        if same(got_p, want_p):
            return None
        for mistake in check.mistakes():
            try:
                wrong = mistake.answer(case)
                if wrong is None:
                    continue
                wrong_p = self.project(case, get(wrong, self.path))
            except Exception:  # a mistake that cannot apply to this case
                continue
            if not same(wrong_p, want_p) and same(got_p, wrong_p):
                return Diagnosis(mistake.message)
        if _number(want_p) is not None and _number(got_p) is not None and not math.isfinite(_number(got_p)):
            return f"{what} is {_number(got_p)}"
        reason = self.describe(case, got_p, want_p) if self.describe else None
        return reason or f"{what} is wrong (beyond the tolerance rtol=1e-06)"


def _keys(case, value):
    """The keys of a dict in a fixed order (any mix of str and tuples)."""
    return sorted(value, key=repr)


def _missing_extra(noun: str, got, want) -> str | None:
    missing, extra = len(set(want) - set(got)), len(set(got) - set(want))
    parts = [f"{missing} {noun} missing" if missing else "",
             f"{extra} {noun} that should not be there" if extra else ""]
    return "; ".join(p for p in parts if p) or None


def _wrong_values(noun: str, got: dict, want: dict) -> str | None:
    keys_problem = _missing_extra(noun, got, want)
    if keys_problem:
        return keys_problem
    wrong = sum(not same(got[k], want[k]) for k in want)
    return f"{wrong} of the {len(want)} {noun} have the wrong count" if wrong else None


# ---------------------------------------------------------------- random made-up text

def made_up_words(rng: np.random.Generator, k: int) -> list[str]:
    """``k`` distinct pronounceable nonsense words of 2-3 syllables (lower case)."""
    words: list[str] = []
    while len(words) < k:
        syllables = rng.integers(2, 4)
        word = "".join(CONSONANTS[rng.integers(len(CONSONANTS))] + VOWELS[rng.integers(len(VOWELS))]
                       for _ in range(syllables))
        if rng.random() < 0.3:
            word += CONSONANTS[rng.integers(len(CONSONANTS))]
        if word not in words:
            words.append(word)
    return words


def text_with_counts(rng: np.random.Generator, counts: dict) -> list:
    """The tokens of ``counts`` (token -> count) in random order, reshuffled until every group of
    three or more tied tokens first appears in neither alphabetical nor reverse-alphabetical order,
    so that tie-breaking mistakes give answers of their own."""
    pool = [w for w, c in counts.items() for _ in range(c)]
    groups = [sorted(w for w in counts if counts[w] == c) for c in set(counts.values())]
    groups = [g for g in groups if len(g) >= 3]
    for _ in range(200):
        tokens = [pool[i] for i in rng.permutation(len(pool))]
        first = {w: tokens.index(w) for w in counts}
        if all(sorted(g, key=first.get) not in (g, g[::-1]) for g in groups):
            return tokens
    return tokens


def random_text(rng: np.random.Generator, words: list, length: int, skew: float = 1.2) -> list:
    """``length`` tokens drawn from ``words`` with Zipf-like frequencies (so n-grams repeat)."""
    p = 1.0 / np.arange(1, len(words) + 1) ** skew
    return [words[i] for i in rng.choice(len(words), size=length, p=p / p.sum())]


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
                describe=lambda c, g, w: _missing_extra("token(s)", g, w)),
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
    problem = _missing_extra("token(s)", got, want)
    if problem:
        return problem
    ids = sorted(got.values(), key=repr)
    if ids != list(range(len(want))):
        return "the ids must be 0, 1, ..., |V|-1, each used once"
    wrong = sum(got[w] != want[w] for w in want)
    return (f"{wrong} of the {len(want)} tokens have the wrong id (order: the specials, then by descending "
            "count, ties alphabetically)")


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
        Matches("n-grams (keys)", 1.0, project=_keys, describe=lambda c, g, w: _missing_extra("n-gram(s)", g, w),
                when=lambda c: not _edge(c)),
        Matches("counts", 1.0, describe=lambda c, g, w: _wrong_values("n-grams", g, w), when=lambda c: not _edge(c)),
        Matches("unigrams and short texts (n = 1, T <= n)", 0.5,
                describe=lambda c, g, w: _wrong_values("n-grams", g, w), when=_edge),
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
        Matches("contexts (keys)", 0.5, project=_keys, describe=lambda c, g, w: _missing_extra("context(s)", g, w)),
        Matches("context counts", 1.0, describe=lambda c, g, w: _wrong_values("contexts", g, w),
                when=lambda c: c.info["n"] > 1),
        Matches("unigrams: the empty context ()", 0.5, describe=lambda c, g, w: _wrong_values("contexts", g, w),
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
        Matches("context never seen (uniform 1/|V|)", 0.5, when=lambda c: c.info["kind"] == NEW_CONTEXT),
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
        Matches("long text (no underflow)", 0.5, when=lambda c: c.info.get(LONG)),
        Matches("a zero probability gives inf", 0.5, when=lambda c: c.info.get(ZERO)),
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
