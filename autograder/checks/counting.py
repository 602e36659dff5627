"""What the checks of assignment 1 (language models) share: comparing dicts and numbers, and
random made-up text.

The outputs of chapter 1's functions are not arrays but dicts (token -> id, n-gram -> count) and
single numbers, so this module adds one part, :class:`Matches`. It compares a whole value -- a
dict must have exactly the right keys, not only contain them -- optionally through a projection
(only the kept tokens, only the ids of the specials), treats ``inf`` as equal to ``inf`` (the
perplexity of a text with a zero probability), and names a known mistake when the mistake's
answer, projected the same way, matches the student's. Messages give counts of wrong entries,
never the entries.

The inputs are token lists made of random made-up words (a fresh vocabulary on every run), with
counts laid out so that every case has ties of three tokens, tokens exactly at ``min_count``, and
special tokens inside the text where that matters.
"""

from __future__ import annotations

import math

import numpy as np

from .spec import Diagnosis, Missing, Part, close, get

CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"


# ---------------------------------------------------------------- comparing dicts and numbers

def as_number(value):
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
    g, w = as_number(got), as_number(want)
    if g is None or w is None:
        return False
    if math.isinf(w) or math.isinf(g):
        return g == w
    return close(g, w)


def _kind_problem(what: str, got, want) -> str | None:
    if isinstance(want, dict) and not isinstance(got, dict):
        return f"{what} is a {type(got).__name__}; expected a dict (a Counter is a dict)"
    if as_number(want) is not None and as_number(got) is None:
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
        if as_number(want_p) is not None and as_number(got_p) is not None and not math.isfinite(as_number(got_p)):
            return f"{what} is {as_number(got_p)}"
        reason = self.describe(case, got_p, want_p) if self.describe else None
        return reason or f"{what} is wrong (beyond the tolerance rtol=1e-06)"


def sorted_keys(case, value):
    """The keys of a dict in a fixed order (any mix of str and tuples)."""
    return sorted(value, key=repr)


def missing_extra(noun: str, got, want) -> str | None:
    missing, extra = len(set(want) - set(got)), len(set(got) - set(want))
    parts = [f"{missing} {noun} missing" if missing else "",
             f"{extra} {noun} that should not be there" if extra else ""]
    return "; ".join(p for p in parts if p) or None


def wrong_values(noun: str, got: dict, want: dict) -> str | None:
    keys_problem = missing_extra(noun, got, want)
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
