"""Tests of the chapter 1 reference: vocabularies, n-gram counts, add-k smoothing, perplexity."""

import math
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

from autograder.reference.language_model import (
    EOS,
    UNK,
    NGramModel,
    addk_prob,
    build_vocab,
    context_counts,
    encode,
    ngram_counts,
    perplexity,
)

ABABC = ["a", "b", "a", "b", "c"]
REPETITIVE = "the cat sat on the mat. " * 20


# ----------------------------------------------------------------------------- vocabulary


def test_special_token_constants():
    assert UNK == "<UNK>"
    assert EOS == "<EOS>"


def test_build_vocab_orders_by_count_then_alphabetically():
    # counts: a 3, b 2, c 1, d 1 -> c before d by the alphabetical tie-break
    vocab = build_vocab(["b", "a", "c", "a", "b", "a", "d"])
    assert vocab == {"<UNK>": 0, "<EOS>": 1, "a": 2, "b": 3, "c": 4, "d": 5}


def test_build_vocab_min_count_drops_rare_tokens():
    vocab = build_vocab(["b", "a", "c", "a", "b", "a", "d"], min_count=2)
    assert vocab == {"<UNK>": 0, "<EOS>": 1, "a": 2, "b": 3}


def test_build_vocab_specials_are_not_duplicated_and_custom_specials():
    vocab = build_vocab(["x", EOS, "y", EOS, "y"])
    assert vocab == {"<UNK>": 0, "<EOS>": 1, "y": 2, "x": 3}
    assert build_vocab(["x", "x", "y"], specials=()) == {"x": 0, "y": 1}
    assert build_vocab(["x"], specials=("<PAD>", UNK)) == {"<PAD>": 0, "<UNK>": 1, "x": 2}


def test_build_vocab_is_independent_of_first_appearance():
    assert build_vocab(list("ccbbaa")) == build_vocab(list("aabbcc"))


def test_encode_maps_unknown_tokens_to_unk():
    vocab = build_vocab(["b", "a", "c", "a", "b", "a", "d"], min_count=2)
    ids = encode(["a", "z", "d", "b", EOS], vocab)
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [2, 0, 0, 3, 1])
    assert encode([], vocab).shape == (0,)


def test_encode_without_unk_raises_on_unknown_token():
    vocab = build_vocab(["a", "b"], specials=())
    np.testing.assert_array_equal(encode(["b", "a"], vocab), [1, 0])
    with pytest.raises(ValueError, match="'z'"):
        encode(["a", "z"], vocab)


@pytest.mark.parametrize("min_count", [0, -1, 1.5, True])
def test_build_vocab_rejects_bad_min_count(min_count):
    with pytest.raises(ValueError, match="min_count"):
        build_vocab(["a"], min_count=min_count)


def test_build_vocab_rejects_repeated_specials():
    with pytest.raises(ValueError, match="distinct"):
        build_vocab(["a"], specials=(UNK, UNK))


# ----------------------------------------------------------------------------- counting


def test_bigram_counts_by_hand():
    counts = ngram_counts(ABABC, 2)
    assert counts == Counter({("a", "b"): 2, ("b", "a"): 1, ("b", "c"): 1})


def test_unigram_and_trigram_counts_by_hand():
    assert ngram_counts(ABABC, 1) == Counter({("a",): 2, ("b",): 2, ("c",): 1})
    assert ngram_counts(ABABC, 3) == Counter(
        {("a", "b", "a"): 1, ("b", "a", "b"): 1, ("a", "b", "c"): 1}
    )
    assert ngram_counts(ABABC, 5) == Counter({("a", "b", "a", "b", "c"): 1})
    assert ngram_counts(ABABC, 6) == Counter()


def test_ngram_counts_accept_strings_and_int_arrays():
    assert ngram_counts("abab", 2) == Counter({("a", "b"): 2, ("b", "a"): 1})
    counts = ngram_counts(np.array([3, 1, 3, 1]), 2)
    assert counts == Counter({(3, 1): 2, (1, 3): 1})
    assert all(type(w) is int for ngram in counts for w in ngram)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_ngram_counts_total(n):
    tokens = list("abracadabra")
    assert sum(ngram_counts(tokens, n).values()) == len(tokens) - n + 1


@pytest.mark.parametrize("n", [0, -2, 2.0, "2"])
def test_ngram_counts_rejects_bad_n(n):
    with pytest.raises(ValueError, match="n"):
        ngram_counts(ABABC, n)


def test_context_counts_by_hand():
    assert context_counts(ngram_counts(ABABC, 2)) == Counter({("a",): 2, ("b",): 2})
    # a unigram's context is the empty tuple, counted as the number of tokens
    assert context_counts(ngram_counts(ABABC, 1)) == Counter({(): 5})
    assert context_counts(ngram_counts(ABABC, 3)) == Counter({("a", "b"): 2, ("b", "a"): 1})


def test_context_counts_rejects_mixed_orders():
    with pytest.raises(ValueError, match="same length"):
        context_counts({("a",): 1, ("a", "b"): 1})
    with pytest.raises(ValueError, match="tuple"):
        context_counts({(): 1})


# ----------------------------------------------------------------------------- add-k


def test_laplace_bigram_probabilities_by_hand():
    counts = ngram_counts(ABABC, 2)
    contexts = context_counts(counts)
    # V = {a, b, c}; C(a) as a context = 2, C(b) = 2, C(c) = 0
    assert addk_prob(("a", "b"), counts, contexts, 3) == pytest.approx(3 / 5)  # (2+1)/(2+3)
    assert addk_prob(("a", "c"), counts, contexts, 3) == pytest.approx(1 / 5)  # (0+1)/(2+3)
    assert addk_prob(("b", "a"), counts, contexts, 3) == pytest.approx(2 / 5)  # (1+1)/(2+3)
    assert addk_prob(("c", "a"), counts, contexts, 3) == pytest.approx(1 / 3)  # (0+1)/(0+3)


def test_add_half_and_unsmoothed_probabilities_by_hand():
    counts = ngram_counts(ABABC, 2)
    contexts = context_counts(counts)
    # k = 1/2: (2 + 1/2) / (2 + 3/2) = 5/7
    assert addk_prob(["a", "b"], counts, contexts, 3, k=0.5) == pytest.approx(5 / 7)
    # k = 0 is the maximum-likelihood estimate C(b, c) / C(b) = 1/2
    assert addk_prob(("b", "c"), counts, contexts, 3, k=0) == pytest.approx(1 / 2)
    assert addk_prob(("a", "c"), counts, contexts, 3, k=0) == 0.0
    with pytest.raises(ValueError, match="undefined"):
        addk_prob(("c", "a"), counts, contexts, 3, k=0)


def test_laplace_unigram_probability_by_hand():
    counts = ngram_counts(ABABC, 1)
    contexts = context_counts(counts)
    assert addk_prob(("a",), counts, contexts, 3) == pytest.approx(3 / 8)  # (2+1)/(5+3)
    assert addk_prob(("c",), counts, contexts, 3) == pytest.approx(2 / 8)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("k", [0.0, 0.1, 1.0, 2.5])
def test_addk_distribution_sums_to_one_for_every_context(n, k):
    tokens = list("abracadabra cadabra")
    vocab = sorted(set(tokens))
    counts = ngram_counts(tokens, n)
    contexts = context_counts(counts)
    unseen = [tuple("zz"[: n - 1])] if k > 0 else []
    for context in list(contexts) + unseen:
        total = sum(addk_prob(context + (w,), counts, contexts, len(vocab), k) for w in vocab)
        assert total == pytest.approx(1.0, abs=1e-12)


def test_addk_exact_fractions():
    counts = ngram_counts(ABABC, 2)
    contexts = context_counts(counts)
    p = addk_prob(("b", "c"), counts, contexts, 3, k=1)
    assert Fraction(p).limit_denominator(100) == Fraction(2, 5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"k": -1.0}, "k must"),
        ({"k": float("nan")}, "k must"),
        ({"k": "one"}, "k must"),
        ({"vocab_size": 0}, "vocab_size"),
        ({"vocab_size": 2.5}, "vocab_size"),
        ({"ngram": ()}, "at least one token"),
    ],
)
def test_addk_prob_rejects_bad_arguments(kwargs, match):
    counts = ngram_counts(ABABC, 2)
    args = {"ngram": ("a", "b"), "counts": counts, "contexts": context_counts(counts),
            "vocab_size": 3, "k": 1.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        addk_prob(**args)


# ----------------------------------------------------------------------------- perplexity


def test_perplexity_by_hand():
    # exp(-(log 1/2 + log 1/8) / 2) = sqrt(16) = 4
    assert perplexity([0.5, 0.125]) == pytest.approx(4.0)
    assert perplexity(np.array([[1.0, 1.0]])) == pytest.approx(1.0)


@pytest.mark.parametrize("V", [2, 7, 100])
def test_perplexity_of_uniform_probabilities_is_vocab_size(V):
    assert perplexity(np.full(13, 1.0 / V)) == pytest.approx(V)


def test_perplexity_works_in_log_space():
    # the product 1e-5 ** 1000 underflows to 0, the perplexity is still 1e5
    assert perplexity(np.full(1000, 1e-5)) == pytest.approx(1e5)


def test_perplexity_of_zero_probability_is_inf():
    assert perplexity([0.5, 0.0]) == math.inf


@pytest.mark.parametrize("probs", [[], [0.5, 1.5], [-0.1], [float("nan")]])
def test_perplexity_rejects_bad_probabilities(probs):
    with pytest.raises(ValueError):
        perplexity(probs)


# ----------------------------------------------------------------------------- NGramModel


def test_model_matches_the_functions():
    model = NGramModel(2).fit(ABABC)
    assert model.vocab == ["a", "b", "c"]
    assert model.vocab_size == 3
    assert model.counts == ngram_counts(ABABC, 2)
    assert model.contexts == context_counts(model.counts)
    assert model.prob(["a"], "b") == pytest.approx(3 / 5)
    assert model.prob("xya", "b") == pytest.approx(3 / 5)  # only the last n-1 tokens count


def test_model_logprob_and_perplexity_by_hand():
    model = NGramModel(2).fit(ABABC)
    # P(b|a) P(a|b) P(b|a) P(c|b) = 3/5 * 2/5 * 3/5 * 2/5
    expected = math.log(3 / 5) + math.log(2 / 5) + math.log(3 / 5) + math.log(2 / 5)
    assert model.logprob_sequence(ABABC) == pytest.approx(expected)
    assert model.perplexity(ABABC) == pytest.approx(math.exp(-expected / 4))
    assert model.logprob_sequence(["a"]) == 0.0  # nothing to predict


def test_model_perplexity_agrees_with_perplexity_of_probs():
    model = NGramModel(3, k=0.3).fit(REPETITIVE)
    text = "the mat sat on the cat."
    probs = [model.prob(text[t - 2 : t], text[t]) for t in range(2, len(text))]
    assert model.perplexity(text) == pytest.approx(perplexity(probs))


def test_uniform_model_perplexity_is_vocab_size():
    model = NGramModel(1).fit(list("abcd") * 5)  # P(w) = (5 + 1) / (20 + 4) = 1/4
    assert model.perplexity(list("dcbaabcd")) == pytest.approx(4.0)
    # after a context never seen in training, add-k is uniform over |V| as well
    model = NGramModel(2).fit(list("ab"), vocab_size=10)  # "b" is never followed
    assert model.perplexity(list("bbbbb")) == pytest.approx(10.0)


def test_perplexity_decreases_with_order_on_repetitive_text():
    pps = [NGramModel(n, k=0.01).fit(REPETITIVE).perplexity(REPETITIVE) for n in (1, 2, 3)]
    assert pps[0] > pps[1] > pps[2]
    assert pps[2] < 1.5


def test_model_probabilities_sum_to_one_over_vocab():
    for n in (1, 2, 3, 4):
        model = NGramModel(n, k=0.5).fit(REPETITIVE)
        for context in [REPETITIVE[:n - 1], "zzz"[: n - 1], "at."[3 - (n - 1):]]:
            assert model.next_probs(context).sum() == pytest.approx(1.0)


def test_model_vocab_size_larger_than_seen():
    model = NGramModel(2).fit(ABABC, vocab_size=5)
    assert model.prob("a", "b") == pytest.approx(3 / 7)  # (2+1)/(2+5)
    assert model.prob("a", UNK) == pytest.approx(1 / 7)
    assert model.next_probs("a").sum() == pytest.approx(5 / 7)  # 2/7 left for unseen tokens
    np.testing.assert_allclose(model.next_probs("a"), [model.prob("a", w) for w in "abc"])


def test_model_with_k_zero_gives_minus_inf_on_unseen_ngram():
    model = NGramModel(2, k=0).fit(ABABC)
    assert model.logprob_sequence(["a", "c"]) == -math.inf
    assert model.perplexity(["a", "c"]) == math.inf


def test_generate_is_deterministic_and_uses_seen_tokens():
    model = NGramModel(3, k=0.5).fit(REPETITIVE)
    a = model.generate("th", 50, np.random.default_rng(0))
    b = model.generate("th", 50, np.random.default_rng(0))
    assert a == b
    assert len(a) == 50
    assert set(a) <= set(REPETITIVE)
    assert model.generate("th", 0, np.random.default_rng(0)) == []


def test_generate_unsmoothed_follows_the_only_continuation():
    model = NGramModel(2, k=0).fit(list("abcabcabc"))
    assert model.generate(["a"], 7, np.random.default_rng(1)) == list("bcabcab")
    unigram = NGramModel(1, k=0).fit(["x"] * 4)
    assert unigram.generate([], 3, np.random.default_rng(0)) == ["x", "x", "x"]


def test_generate_follows_the_sampling_distribution():
    model = NGramModel(2, k=1.0).fit(ABABC)  # P(. | a) = (a 1/5, b 3/5, c 1/5)
    rng = np.random.default_rng(123)
    draws = Counter(model.generate("a", 1, rng)[0] for _ in range(4000))
    assert draws["b"] / 4000 == pytest.approx(3 / 5, abs=0.03)
    assert draws["a"] / 4000 == pytest.approx(1 / 5, abs=0.03)


def test_model_is_fast_enough_for_a_large_character_corpus():
    rng = np.random.default_rng(0)
    text = "".join(rng.choice(list("abcdefghij "), size=200_000))
    model = NGramModel(5, k=0.1).fit(text)
    assert sum(model.counts.values()) == len(text) - 4
    assert 1.0 < model.perplexity(text[:20_000]) < 11.0 * 1.5


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: NGramModel(0), "n must"),
        (lambda: NGramModel(2, k=-0.5), "k must"),
        (lambda: NGramModel(3).fit(["a", "b"]), "at least n"),
        (lambda: NGramModel(2).fit(ABABC, vocab_size=2), "vocab_size"),
        (lambda: NGramModel(2).prob("a", "b"), "not fitted"),
        (lambda: NGramModel(3).fit(ABABC).prob(["a"], "b"), "context of 2"),
        (lambda: NGramModel(2).fit(ABABC).perplexity(["a"]), "at least n"),
        (lambda: NGramModel(2).fit(ABABC).generate("a", -1, np.random.default_rng()), "length"),
        (lambda: NGramModel(2).fit(ABABC).generate("a", 3, np.random.RandomState(0)), "rng"),
        (lambda: NGramModel(2, k=0).fit(ABABC).generate("c", 3, np.random.default_rng()),
         "undefined"),
    ],
)
def test_model_rejects_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
