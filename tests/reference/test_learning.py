"""End to end: the reference pieces, the data and the training loop learn real tasks.

These are the experiments the book runs (chapters 4 and 6), at a small budget; they fail if
any piece of the chain -- forward, loss, backward, optimizer, data -- is wrong.
"""

import numpy as np
import pytest

from autograder.data import CharVocab, binary_addition, bits_to_int, load_shakespeare
from autograder.reference import (
    Adam,
    init_rnn_params,
    lm_batch,
    one_hot,
    output_backward,
    output_forward,
    rnn_backward,
    rnn_forward,
    sample,
    softmax_cross_entropy,
    train,
)


def rnn_lm_step(x, y, params):
    """Loss and gradients of an RNN with a softmax output at every step."""
    h0 = np.zeros((params["W"].shape[0], x.shape[1]))
    h, rnn_cache = rnn_forward(x, h0, params)
    z, out_cache = output_forward(h, params)
    loss, dz = softmax_cross_entropy(z, y)
    out = output_backward(dz, out_cache)
    return loss, rnn_backward(out["dh"], rnn_cache) | out


def test_rnn_learns_binary_addition():
    """Chapter 4: the hidden state learns the carry; every held-out 8-bit sum comes out right."""
    rng = np.random.default_rng(0)
    params = init_rnn_params(2, 16, 2, rng=rng)

    def step(params, k):
        x, y = binary_addition(32, 8, rng=rng)
        return rnn_lm_step(x, y, params)

    history = train(step, params, Adam(lr=0.05), 400)
    x, y = binary_addition(500, 8, rng=np.random.default_rng(1))
    h, _ = rnn_forward(x, np.zeros((16, 500)), params)
    predicted = output_forward(h, params)[0].argmax(axis=0)
    a, b = bits_to_int(x[0]), bits_to_int(x[1])
    assert np.array_equal(bits_to_int(predicted), a + b), f"final loss {history.loss[-1]:.3f}"


@pytest.mark.corpus
def test_character_rnn_learns_shakespeare(corpus_mirror):
    """Chapter 6: a small character model beats the unigram entropy within a few hundred steps."""
    text = load_shakespeare(mirror=corpus_mirror)[:200_000]
    vocab = CharVocab.from_texts([text])
    ids = vocab.encode(text)
    n = len(vocab)
    rng = np.random.default_rng(0)
    params = init_rnn_params(n, 64, n, rng=rng)

    def step(params, k):
        inputs, targets = lm_batch(ids, 25, 16, rng)
        return rnn_lm_step(one_hot(inputs, n), targets, params)

    history = train(step, params, Adam(lr=0.01), 300, clip_norm=5.0)
    counts = np.bincount(ids, minlength=n) / len(ids)
    unigram_entropy = -np.sum(counts[counts > 0] * np.log(counts[counts > 0]))
    assert np.mean(history.loss[-50:]) < unigram_entropy - 0.5
    text_out = vocab.decode(sample(params, 200, np.random.default_rng(2), temperature=0.5,
                                   prime=vocab.encode("ROMEO:\n")))
    assert len(text_out) == 200
    assert text_out.count(" ") > 10  # it has learned that words are separated by spaces
