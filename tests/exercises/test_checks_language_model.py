"""Assignment 1's checks on right and deliberately wrong student functions.

Each wrong function is written the way a student would write it (not derived from the checks'
own mistake models) and must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check, run_check
from autograder.checks.counting import made_up_words, same, text_with_counts

from .variants import assert_diagnosed, assert_full_marks

UNK, EOS = "<UNK>", "<EOS>"
NAMES = ["build_vocab", "ngram_counts", "context_counts", "addk_prob", "perplexity"]


@pytest.mark.parametrize("name", NAMES)
def test_reference_scores_full_marks(name):
    assert_full_marks(name, getattr(ref, name))


@pytest.mark.parametrize("name", NAMES)
def test_points_are_halves(name):
    check = get_check(name)
    assert all((2 * p.points).is_integer() and p.points > 0 for p in check.parts)


# ---------------------------------------------------------------- the trusted helpers

def test_same_compares_whole_dicts_and_infinities():
    assert same({("a",): 1}, {("a",): 1})
    assert not same({("a",): 1, ("b",): 0}, {("a",): 1}), "an extra key is a difference"
    assert same(math.inf, math.inf) and not same(1e308, math.inf) and not same(math.nan, 1.0)
    assert same(np.float64(2.0), 2.0) and same(np.array(2.0), 2.0) and not same(True, 1.0)


def test_made_up_text_has_unhelpful_ties():
    rng = np.random.default_rng(0)
    words = made_up_words(rng, 5)
    assert len(set(words)) == 5 and all(w.isalpha() and w.islower() for w in words)
    tokens = text_with_counts(rng, dict(zip(words, [3, 2, 2, 2, 1])))
    tied = sorted(words[1:4])
    first = sorted(tied, key=tokens.index)
    assert Counter(tokens) == dict(zip(words, [3, 2, 2, 2, 1]))
    assert first not in (tied, tied[::-1]), "tie order must differ from alphabetical order and its reverse"


def test_messages_never_show_the_vocabulary():
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        return {w: i for i, w in enumerate(sorted(set(tokens)))}
    result = run_check("build_vocab", build_vocab, seed=0)
    truth = ref.build_vocab(*get_check("build_vocab").cases(np.random.default_rng(0))[0].args)
    report = result.report()
    assert not any(f"'{w}'" in report for w in truth if w not in (UNK, EOS))


# ---------------------------------------------------------------- build_vocab

def vocab_from(order, keep=lambda c, m: c >= m, specials_first=True):
    """A student's build_vocab that sorts the kept words with ``order(words, counts)``."""
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        counts = Counter(tokens)
        words = [w for w in counts if keep(counts[w], min_count) and w not in specials]
        itos = list(specials) + order(words, counts) if specials_first else order(words, counts)
        return {w: i for i, w in enumerate(itos)}
    return build_vocab


def right_order(words, counts):
    return sorted(words, key=lambda w: (-counts[w], w))


def test_vocab_without_specials():
    result = assert_diagnosed("build_vocab", vocab_from(right_order, specials_first=False),
                              "the special tokens are missing")
    assert result.parts[1].score == 1.0  # the kept tokens are right


def test_vocab_specials_appended_at_the_end():
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        counts = Counter(tokens)
        words = sorted((w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], w))
        vocab = {w: i for i, w in enumerate(words)}
        for s in specials:
            vocab.setdefault(s, len(vocab))
        return vocab
    assert_diagnosed("build_vocab", build_vocab, "the special tokens come last")


def test_vocab_special_in_the_text_numbered_twice():
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        counts = Counter(tokens)
        words = sorted((w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], w))
        itos = list(specials) + words  # <EOS> of the text appears twice
        return {w: i for i, w in enumerate(itos)}
    result = assert_diagnosed("build_vocab", build_vocab, "numbered again as a word")
    assert result.score == 1.0  # the kept tokens are right; <EOS> loses its special id


def test_vocab_min_count_strict():
    assert_diagnosed("build_vocab", vocab_from(right_order, keep=lambda c, m: c > m), "min_count is off by one")


def test_vocab_min_count_ignored():
    result = assert_diagnosed("build_vocab", vocab_from(right_order, keep=lambda c, m: True), "min_count is ignored")
    assert result.parts[0].score == 0.5


def test_vocab_most_common_keeps_first_appearance_for_ties():
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        vocab = {s: i for i, s in enumerate(specials)}
        for w, c in Counter(tokens).most_common():
            if c >= min_count and w not in vocab:
                vocab[w] = len(vocab)
        return vocab
    result = assert_diagnosed("build_vocab", build_vocab, "ties are not broken alphabetically")
    assert result.score == 1.5


def test_vocab_sorted_by_count_and_token_reversed():
    assert_diagnosed("build_vocab", vocab_from(lambda ws, c: sorted(ws, key=lambda w: (c[w], w), reverse=True)),
                     "reverse alphabetical")


def test_vocab_least_frequent_first():
    assert_diagnosed("build_vocab", vocab_from(lambda ws, c: sorted(ws, key=lambda w: (c[w], w))),
                     "least to the most frequent")


def test_vocab_alphabetical():
    assert_diagnosed("build_vocab", vocab_from(lambda ws, c: sorted(ws)), "sorted alphabetically only")


def test_vocab_returning_a_list_is_not_a_dict():
    def build_vocab(tokens, min_count=1, specials=(UNK, EOS)):
        return list(ref.build_vocab(tokens, min_count, specials))
    result = run_check("build_vocab", build_vocab, seed=0)
    assert result.score == 0 and "expected a dict" in result.message


# ---------------------------------------------------------------- ngram_counts

def test_ngrams_without_the_last_window():
    def ngram_counts(tokens, n):
        return Counter(tuple(tokens[t:t + n]) for t in range(len(tokens) - n))
    assert_diagnosed("ngram_counts", ngram_counts, "the last n-gram is missing")


def test_ngrams_running_past_the_end():
    def ngram_counts(tokens, n):
        return Counter(tuple(tokens[t:t + n]) for t in range(len(tokens)))
    assert_diagnosed("ngram_counts", ngram_counts, "run past the end")


def test_ngrams_in_disjoint_chunks():
    def ngram_counts(tokens, n):
        return Counter(tuple(tokens[t:t + n]) for t in range(0, len(tokens) - n + 1, n))
    assert_diagnosed("ngram_counts", ngram_counts, "jump by n tokens")


def test_ngrams_as_joined_strings():
    def ngram_counts(tokens, n):
        return Counter(" ".join(tokens[t:t + n]) for t in range(len(tokens) - n + 1))
    result = assert_diagnosed("ngram_counts", ngram_counts, "the keys are joined strings", partial=False)
    assert result.score < 1  # a string of characters joins with " " into other keys too


def test_unigrams_as_bare_tokens():
    def ngram_counts(tokens, n):
        if n == 1:
            return Counter(tokens)
        return Counter(zip(*(tokens[i:] for i in range(n))))
    result = assert_diagnosed("ngram_counts", ngram_counts, "for n = 1 the keys must still be tuples")
    assert result.score == 2.0  # n >= 2 right; the keys-are-tuples and n = 1 parts lost


# ---------------------------------------------------------------- context_counts

def test_contexts_counted_once_per_ngram():
    def context_counts(counts):
        contexts = Counter()
        for ngram in counts:
            contexts[ngram[:-1]] += 1
        return contexts
    assert_diagnosed("context_counts", context_counts, "each n-gram was counted once")


def test_contexts_from_the_last_tokens():
    def context_counts(counts):
        contexts = Counter()
        for ngram, c in counts.items():
            contexts[ngram[1:]] += c
        return contexts
    result = assert_diagnosed("context_counts", context_counts, "first n - 1 tokens")
    assert result.score == 0.5  # for unigrams ngram[1:] is () as well


def test_bigram_contexts_as_bare_tokens():
    def context_counts(counts):
        contexts = Counter()
        for ngram, c in counts.items():
            contexts[ngram[0] if len(ngram) == 2 else ngram[:-1]] += c
        return contexts
    assert_diagnosed("context_counts", context_counts, "a context is a tuple")


# ---------------------------------------------------------------- addk_prob

def addk_from(formula):
    def addk_prob(ngram, counts, contexts, vocab_size, k=1.0):
        ngram = tuple(ngram)
        return formula(counts.get(ngram, 0), contexts.get(ngram[:-1], 0), k, vocab_size)
    return addk_prob


def test_addk_without_k_times_vocabulary_in_the_denominator():
    # with k = 0 this is the right maximum-likelihood estimate; a never-seen context divides by zero
    result = assert_diagnosed("addk_prob", addk_from(lambda c, h, k, V: (c + k) / h), "the denominator lacks k|V|")
    assert result.parts[3].score == 0.5


def test_addk_adding_k_once_to_the_denominator():
    assert_diagnosed("addk_prob", addk_from(lambda c, h, k, V: (c + k) / (h + k)), "adds k once")


def test_addk_without_k_in_the_numerator():
    assert_diagnosed("addk_prob", addk_from(lambda c, h, k, V: c / (h + k * V)), "the numerator lacks k")


def test_addk_with_the_number_of_ngrams_as_vocabulary_size():
    def addk_prob(ngram, counts, contexts, vocab_size, k=1.0):
        ngram = tuple(ngram)
        return (counts.get(ngram, 0) + k) / (contexts.get(ngram[:-1], 0) + k * len(counts))
    assert_diagnosed("addk_prob", addk_prob, "|V| is the vocab_size argument")


def test_addk_with_the_total_count():
    def addk_prob(ngram, counts, contexts, vocab_size, k=1.0):
        ngram = tuple(ngram)
        return (counts.get(ngram, 0) + k) / (sum(counts.values()) + k * vocab_size)
    result = assert_diagnosed("addk_prob", addk_prob, "total of all n-gram counts")
    assert result.parts[4].score == 0.5  # for unigrams the total is C(())


def test_addk_with_square_brackets_fails_on_unseen_ngrams():
    """``counts[ngram]`` works on a Counter but raises KeyError on the plain dicts of the hidden tests."""
    def addk_prob(ngram, counts, contexts, vocab_size, k=1.0):
        ngram = tuple(ngram)
        return (counts[ngram] + k) / (contexts[ngram[:-1]] + k * vocab_size)
    result = run_check("addk_prob", addk_prob, seed=0)
    assert result.parts[0].score == 1.0 and result.score < result.max_score
    assert "raised KeyError" in result.report()


def test_addk_returning_the_log_probability():
    assert_diagnosed("addk_prob", addk_from(lambda c, h, k, V: math.log((c + k) / (h + k * V)) if c + k else -math.inf),
                     "log-probability", partial=False)


# ---------------------------------------------------------------- perplexity

def test_perplexity_as_a_product_underflows():
    def perplexity(probs):
        return float(np.prod(probs) ** (-1 / len(probs)))
    result = assert_diagnosed("perplexity", perplexity, "underflowed to 0")
    assert result.score == 2.0


def test_perplexity_without_the_minus_sign():
    assert_diagnosed("perplexity", lambda probs: float(np.exp(np.mean(np.log(probs)))), "the minus sign is missing",
                     partial=False)


def test_perplexity_summed_not_averaged():
    assert_diagnosed("perplexity", lambda probs: float(np.exp(-np.sum(np.log(probs)))), "not averaged", partial=False)


def test_perplexity_with_log2_and_exp():
    assert_diagnosed("perplexity", lambda probs: float(np.exp(-np.mean(np.log2(probs)))), "different bases",
                     partial=False)


def test_perplexity_returning_the_cross_entropy():
    def perplexity(probs):
        return -sum(math.log(p) if p > 0 else -math.inf for p in probs) / len(probs)
    assert_diagnosed("perplexity", perplexity, "this is the cross-entropy")


def test_perplexity_with_an_arithmetic_mean():
    assert_diagnosed("perplexity", lambda probs: 1 / (sum(probs) / len(probs)), "arithmetic mean", partial=False)


def test_perplexity_with_math_log_raises_on_zero_but_keeps_the_rest():
    def perplexity(probs):
        return math.exp(-sum(math.log(p) for p in probs) / len(probs))
    result = run_check("perplexity", perplexity, seed=0)
    assert result.score == 2.0 and "raised ValueError" in result.message
