"""Language models, n-grams and perplexity (chapter 1).

A language model assigns a probability to a sequence of tokens by the chain rule,

    P(w_1, ..., w_T) = prod_t P(w_t | w_{1:t-1}),

and an n-gram model truncates every history to the last n-1 tokens,

    P(w_t | w_{1:t-1}) ~= P(w_t | w_{t-n+1:t-1}).

Its probabilities are estimated from counts C(.) in a training corpus, with add-k
smoothing so that no token gets probability zero:

    P(w_t | w_{t-n+1:t-1}) = (C(w_{t-n+1:t}) + k) / (C(w_{t-n+1:t-1}) + k|V|).

A model is scored on held-out text by its perplexity, exp(-(1/N) sum_t log P(w_t | ...)).

Tokens are any hashable values (words, characters, integer ids). N-grams are tuples.
Sentences are not padded: callers put ``EOS`` between sentences, as in the notes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

UNK = "<UNK>"
"""The unknown token: every token outside the vocabulary is encoded as ``vocab[UNK]``."""

EOS = "<EOS>"
"""The end-of-sentence token, placed between sentences of a corpus."""


def _check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum``, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _check_k(k) -> float:
    """Return the smoothing constant ``k`` as a float if it is finite and >= 0, else raise."""
    try:
        k = float(k)
    except (TypeError, ValueError):
        raise ValueError(f"k must be a number, got {k!r}") from None
    if not math.isfinite(k) or k < 0:
        raise ValueError(f"k must be a finite number >= 0, got {k}")
    return k


def _as_list(tokens) -> list:
    """A sequence of tokens as a list (NumPy arrays become lists of Python scalars)."""
    if isinstance(tokens, np.ndarray):
        if tokens.ndim != 1:
            raise ValueError(f"tokens must be 1-D, got an array of shape {tokens.shape}")
        return tokens.tolist()
    return list(tokens)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


def build_vocab(
    tokens: Iterable[str], min_count: int = 1, specials: Sequence[str] = (UNK, EOS)
) -> dict[str, int]:
    """Map every frequent token to an integer id.

    Args:
        tokens: the training corpus, an iterable of tokens (strings).
        min_count: int >= 1; a token is kept only if it occurs at least ``min_count`` times.
            Rarer tokens are left out, and ``encode`` maps them to ``UNK``.
        specials: tokens given the first ids ``0, 1, ...`` in this order (default
            ``(UNK, EOS)``); they must be distinct.

    Returns:
        ``vocab``, a dict token -> id with ids ``0 .. |V|-1``: the specials first, then the
        kept tokens by descending count C(w), ties broken alphabetically (so the result is
        deterministic). A special that also occurs in ``tokens`` keeps its special id.
    """
    min_count = _check_int("min_count", min_count, 1)
    specials = list(specials)
    if len(set(specials)) != len(specials):
        raise ValueError(f"specials must be distinct, got {specials!r}")
    counts = Counter(tokens)
    vocab = {token: i for i, token in enumerate(specials)}
    kept = [w for w, c in counts.items() if c >= min_count and w not in vocab]
    for w in sorted(kept, key=lambda w: (-counts[w], w)):
        vocab[w] = len(vocab)
    return vocab


def encode(tokens: Iterable[Hashable], vocab: Mapping[Hashable, int]) -> np.ndarray:
    """Replace every token by its id; tokens outside the vocabulary become ``vocab[UNK]``.

    Args:
        tokens: an iterable of T tokens.
        vocab: dict token -> id, e.g. from ``build_vocab``.

    Returns:
        ids, an int64 array of shape (T,) with ``ids[t] = vocab.get(tokens[t], vocab[UNK])``.

    Raises:
        ValueError: if a token is unknown and ``UNK`` is not in ``vocab``.
    """
    unk = vocab.get(UNK)
    ids = []
    for token in tokens:
        i = vocab.get(token, unk)
        if i is None:
            raise ValueError(f"token {token!r} is not in the vocabulary and {UNK!r} is not either")
        ids.append(i)
    return np.array(ids, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------


def ngram_counts(tokens: Sequence[Hashable], n: int) -> Counter:
    """Count the n-grams of a token sequence: C(w_{t-n+1:t}) for every window.

    Args:
        tokens: a sequence of T tokens (any hashables: a list of words, a string of
            characters, a 1-D int array). No padding is added.
        n: int >= 1, the n-gram order.

    Returns:
        a ``Counter`` mapping each n-tuple ``(w_{t-n+1}, ..., w_t)``, for t = n-1 .. T-1, to
        its number of occurrences. The counts sum to max(T - n + 1, 0).
    """
    n = _check_int("n", n, 1)
    tokens = _as_list(tokens)
    shifted = [tokens[i:] for i in range(n)]  # shifted[i][t] = tokens[t + i]
    return Counter(zip(*shifted))


def context_counts(counts: Mapping[tuple, int]) -> Counter:
    """Count the contexts of n-grams: C(w_{t-n+1:t-1}) = sum_w C(w_{t-n+1:t-1}, w).

    A context is counted as often as it is *followed* by a token, so that the smoothed
    conditional distribution ``addk_prob`` sums to exactly 1 over the vocabulary.

    Args:
        counts: n-gram counts (n-tuple -> count), e.g. from ``ngram_counts``; all keys must
            be tuples of the same length n >= 1.

    Returns:
        a ``Counter`` mapping each (n-1)-tuple context to its count. For unigrams (n = 1) the
        only context is the empty tuple ``()``, counted as the total number of tokens.
    """
    contexts = Counter()
    lengths = set()
    for ngram, c in counts.items():
        if not isinstance(ngram, tuple) or len(ngram) == 0:
            raise ValueError(f"n-grams must be non-empty tuples, got {ngram!r}")
        lengths.add(len(ngram))
        contexts[ngram[:-1]] += c
    if len(lengths) > 1:
        raise ValueError(f"all n-grams must have the same length, got lengths {sorted(lengths)}")
    return contexts


# --------------------------------------------------------------------------------------------
# Probabilities and perplexity
# --------------------------------------------------------------------------------------------


def addk_prob(
    ngram: Sequence[Hashable],
    counts: Mapping[tuple, int],
    contexts: Mapping[tuple, int],
    vocab_size: int,
    k: float = 1.0,
) -> float:
    """Add-k smoothed conditional probability of the last token of an n-gram given the others.

        P(w_t | w_{t-n+1:t-1}) = (C(w_{t-n+1:t}) + k) / (C(w_{t-n+1:t-1}) + k|V|)

    k = 1 is Laplace (add-one) smoothing; k = 0 is the unsmoothed maximum-likelihood estimate.

    Args:
        ngram: the n tokens ``(w_{t-n+1}, ..., w_t)``; the first n-1 are the context.
        counts: n-gram counts, from ``ngram_counts``.
        contexts: context counts, from ``context_counts(counts)``.
        vocab_size: |V| >= 1, the number of tokens the model can predict.
        k: the pseudo-count added to every n-gram, finite and >= 0.

    Returns:
        the probability as a float in [0, 1]. With k = 0 an n-gram never seen after a seen
        context has probability 0.

    Raises:
        ValueError: for bad arguments, or if k = 0 and the context was never seen (0/0).
    """
    ngram = tuple(ngram)
    if len(ngram) == 0:
        raise ValueError("ngram must contain at least one token")
    vocab_size = _check_int("vocab_size", vocab_size, 1)
    k = _check_k(k)
    context = ngram[:-1]
    numerator = counts.get(ngram, 0) + k
    denominator = contexts.get(context, 0) + k * vocab_size
    if denominator == 0:
        raise ValueError(
            f"P(w | {context!r}) is undefined: the context was never seen and k = 0 (0/0)"
        )
    return numerator / denominator


def perplexity(probs) -> float:
    """Perplexity of a model on a text, from the probabilities it gave each token.

        PP = exp(-(1/N) sum_{t=1}^{N} log p_t),   p_t = P(w_t | w_{1:t-1})

    computed in log space (the product of N probabilities would underflow).

    Args:
        probs: array-like of N >= 1 probabilities in [0, 1] (any shape; flattened).

    Returns:
        the perplexity, a float >= 1; ``inf`` if some p_t = 0.
    """
    p = np.asarray(probs, dtype=np.float64).ravel()
    if p.size == 0:
        raise ValueError("perplexity needs at least one probability, got an empty array")
    if np.any(np.isnan(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError("probabilities must lie in [0, 1]")
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    return float(np.exp(-np.mean(log_p)))


# --------------------------------------------------------------------------------------------
# The n-gram model
# --------------------------------------------------------------------------------------------


class NGramModel:
    """An n-gram language model with add-k smoothing.

        P(w_t | w_{t-n+1:t-1}) = (C(w_{t-n+1:t}) + k) / (C(w_{t-n+1:t-1}) + k|V|)

    Usage::

        model = NGramModel(n=3, k=0.1).fit(train_chars)
        model.perplexity(valid_chars)
        model.generate("th", 100, np.random.default_rng(0))

    Contexts are sequences of tokens (a string is a sequence of characters). Only the last
    n-1 tokens of a context are used.

    Attributes (after ``fit``):
        counts: Counter of n-grams; contexts: Counter of (n-1)-gram contexts;
        vocab: list of the distinct tokens seen in ``fit``, in order of first appearance;
        vocab_size: |V| used in the smoothing denominator.
    """

    def __init__(self, n: int, k: float = 1.0):
        """Args: n: int >= 1, the order; k: float >= 0, the add-k pseudo-count."""
        self.n = _check_int("n", n, 1)
        self.k = _check_k(k)
        self.counts: Counter | None = None
        self.contexts: Counter | None = None
        self.vocab: list | None = None
        self.vocab_size: int | None = None

    def fit(self, tokens: Sequence[Hashable], vocab_size: int | None = None) -> NGramModel:
        """Count the n-grams and contexts of a training sequence.

        Args:
            tokens: the training sequence of T >= n tokens (list, string or 1-D int array).
            vocab_size: |V| for smoothing; default: the number of distinct tokens in
                ``tokens``. Must be at least that number (e.g. ``len(vocab)`` of a larger
                vocabulary including UNK/EOS).

        Returns:
            self.
        """
        tokens = _as_list(tokens)
        if len(tokens) < self.n:
            raise ValueError(f"need at least n = {self.n} tokens to fit, got {len(tokens)}")
        seen = list(dict.fromkeys(tokens))
        if vocab_size is None:
            vocab_size = len(seen)
        vocab_size = _check_int("vocab_size", vocab_size, 1)
        if vocab_size < len(seen):
            raise ValueError(
                f"vocab_size = {vocab_size} is smaller than the {len(seen)} distinct tokens seen"
            )
        self.counts = ngram_counts(tokens, self.n)
        self.contexts = context_counts(self.counts)
        self.vocab = seen
        self.vocab_size = vocab_size
        return self

    def _check_fitted(self) -> None:
        if self.counts is None:
            raise ValueError("the model is not fitted yet: call fit(tokens) first")

    def _context(self, context: Sequence[Hashable]) -> tuple:
        """The last n-1 tokens of ``context`` as a tuple."""
        context = tuple(_as_list(context))
        if len(context) < self.n - 1:
            raise ValueError(
                f"an order-{self.n} model needs a context of {self.n - 1} tokens, "
                f"got {len(context)}"
            )
        return context[len(context) - (self.n - 1) :]

    def prob(self, context: Sequence[Hashable], token: Hashable) -> float:
        """P(token | last n-1 tokens of context), add-k smoothed (see ``addk_prob``)."""
        self._check_fitted()
        ngram = self._context(context) + (token,)
        return addk_prob(ngram, self.counts, self.contexts, self.vocab_size, self.k)

    def logprob_sequence(self, tokens: Sequence[Hashable]) -> float:
        """Log-probability of a sequence, each token given its n-1 predecessors.

            log P = sum_{t=n-1}^{T-1} log P(w_t | w_{t-n+1:t-1})   (0-based t)

        The first n-1 tokens are only context. Returns 0.0 if T < n (nothing to predict),
        and -inf if some token has probability 0 (possible only with k = 0).
        """
        self._check_fitted()
        tokens = _as_list(tokens)
        n = self.n
        total = 0.0
        for t in range(n - 1, len(tokens)):
            p = addk_prob(tokens[t - n + 1 : t + 1], self.counts, self.contexts,
                          self.vocab_size, self.k)
            total += math.log(p) if p > 0 else -math.inf
        return total

    def perplexity(self, tokens: Sequence[Hashable]) -> float:
        """Perplexity on a sequence: exp(-logprob_sequence(tokens) / N), N = T - n + 1 >= 1."""
        self._check_fitted()
        tokens = _as_list(tokens)
        num_predicted = len(tokens) - self.n + 1
        if num_predicted < 1:
            raise ValueError(
                f"perplexity needs at least n = {self.n} tokens, got {len(tokens)}"
            )
        return math.exp(-self.logprob_sequence(tokens) / num_predicted)

    def next_probs(self, context: Sequence[Hashable]) -> np.ndarray:
        """P(w | context) for every w in ``self.vocab``: float64 array of shape (len(vocab),).

        Sums to 1 when ``vocab_size == len(vocab)``; less if vocab_size counts tokens never seen.
        """
        self._check_fitted()
        context = self._context(context)
        denominator = self.contexts.get(context, 0) + self.k * self.vocab_size
        if denominator == 0:
            raise ValueError(
                f"P(w | {context!r}) is undefined: the context was never seen and k = 0 (0/0)"
            )
        followers = np.array([self.counts.get(context + (w,), 0) for w in self.vocab],
                             dtype=np.float64)
        return (followers + self.k) / denominator  # (C(context, w) + k) / (C(context) + k|V|)

    def generate(
        self, context: Sequence[Hashable], length: int, rng: np.random.Generator
    ) -> list:
        """Sample ``length`` tokens, one at a time, from the smoothed model.

            w_t ~ P(. | w_{t-n+1:t-1}),  restricted to the tokens seen in ``fit``
            (``self.vocab``) and renormalised over them.

        Args:
            context: at least n-1 initial tokens (only the last n-1 are used).
            length: int >= 0, the number of tokens to generate.
            rng: a ``numpy.random.Generator``; the output is deterministic given its state.

        Returns:
            a list of ``length`` tokens (the context is not included).
        """
        self._check_fitted()
        length = _check_int("length", length, 0)
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        history = list(self._context(context))
        out = []
        for _ in range(length):
            p = self.next_probs(history)
            token = self.vocab[rng.choice(len(self.vocab), p=p / p.sum())]
            out.append(token)
            history = (history + [token])[1:] if self.n > 1 else []
        return out
