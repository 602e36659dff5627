"""Assignment 6's check on right and deliberately wrong samplers, and the notebook's demo model.

Each wrong sampler is written the way a student would write it (not derived from the check's own
mistake models) and must get partial credit and the diagnosis that names its mistake.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograder.reference as ref
from autograder.checks import get_check, run_check
from autograder.checks.sampling import (
    DEMO,
    DEMO_KEYS,
    DEMO_MODEL,
    make_demo_model,
    simulate,
)

from .variants import assert_diagnosed, assert_full_marks


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def sampler(draw=None, temper=None, warm_up=None, feed=None, keep_prime=False, stop="after", frozen=False,
            as_array=False, scale_in_place=False):
    """A student's sampler, right unless one of its steps is replaced:
    ``draw(rng, p, z, n_y)``, ``temper(z, temperature) -> p``, ``warm_up(prime, one_hot, zero) -> inputs``,
    ``feed(k, one_hot, zero, last) -> x``; ``keep_prime`` returns the prime too; ``stop`` is
    ``after``, ``before`` or ``never``; ``frozen`` never stores the new state; ``scale_in_place``
    applies the temperature by dividing V and by in place."""
    def sample(params, length, rng, temperature=1.0, prime=(), cell="rnn", end_id=None):
        U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["by"]
        n_y = V.shape[0]
        zero = np.zeros((n_y, 1))

        def one_hot(k):
            x = np.zeros((n_y, 1))
            x[k, 0] = 1
            return x

        inputs = warm_up(prime, one_hot, zero) if warm_up else ([one_hot(k) for k in prime] if len(prime) else [zero])
        h = np.zeros((W.shape[0], 1))
        for x in inputs:
            h = np.tanh(U @ x + W @ h + b)
        last = inputs[-1] if inputs else zero
        if scale_in_place and temperature > 0:
            V /= temperature
            c /= temperature
            temperature = 1.0
        out = list(prime) if keep_prime else []
        for _ in range(length):
            z = (V @ h + c).ravel()
            if temperature == 0:
                k = int(np.argmax(z))
            else:
                p = temper(z, temperature) if temper else softmax(z / temperature)
                k = int(draw(rng, p, z, n_y) if draw else rng.choice(n_y, p=p))
            if k == end_id and stop == "before":
                break
            out.append(k)
            if k == end_id and stop == "after":
                break
            x = feed(k, one_hot, zero, last) if feed else one_hot(k)
            h_new = np.tanh(U @ x + W @ h + b)
            if not frozen:
                h = h_new
        return np.array(out) if as_array else out
    return sample


# ---------------------------------------------------------------- right answers

def test_reference_scores_full_marks():
    assert_full_marks("sample", ref.sample)


def test_a_plain_student_sampler_scores_full_marks():
    assert_full_marks("sample", sampler())


def test_cumulative_sum_draw_is_the_same_draw():
    """Generator.choice(n, p=p) draws one uniform number and searches the cumulative sum: code that
    does this by hand makes the same draws and is right."""
    assert_full_marks("sample", sampler(draw=lambda rng, p, z, n_y: np.searchsorted(np.cumsum(p), rng.random())))


def test_temperature_on_the_probabilities_as_a_power_is_right():
    """p_i**(1/T) renormalised is softmax(z/T): exp(z_i/T) = exp(z_i)**(1/T)."""
    def temper(z, temperature):
        p = softmax(z) ** (1 / temperature)
        return p / p.sum()
    assert_full_marks("sample", sampler(temper=temper))


def test_mistake_models_are_right_without_a_mistake():
    """The check's simulator, with no mistake switched on, is the reference on every case."""
    check = get_check("sample")
    for seed in range(20):
        for case in check.cases(np.random.default_rng(seed)):
            assert simulate(case) == check.expected(case), case.label


def test_cases_cover_the_parts():
    check = get_check("sample")
    cases = check.cases(np.random.default_rng(0))
    kinds = [c.info["kind"] for c in cases]
    assert {"temperature 1", "other temperatures", "prime", "end_id", "greedy"} == set(kinds)
    assert any(c.args[1] == 1 for c in cases), "a single id"
    assert any(c.args[0]["W"].shape[0] == c.args[0]["V"].shape[0] for c in cases), "a square case"
    assert all(c.kwargs.get("cell", "rnn") == "rnn" for c in cases), "the exercise samples from the RNN only"
    for case in cases:
        if case.info["kind"] == "end_id":
            drawn = check.expected(case)
            assert drawn[-1] == case.kwargs["end_id"] and len(drawn) < case.args[1], "end_id stops the sample"
    assert check.points == 9


# ---------------------------------------------------------------- the draw

def test_argmax_instead_of_a_draw():
    assert_diagnosed("sample", sampler(draw=lambda rng, p, z, n_y: np.argmax(p)), "every id is the argmax")


def test_choice_without_the_probabilities():
    assert_diagnosed("sample", sampler(draw=lambda rng, p, z, n_y: rng.choice(n_y)), "drawn uniformly")


def test_multinomial_draw():
    result = assert_diagnosed("sample", sampler(draw=lambda rng, p, z, n_y: np.argmax(rng.multinomial(1, p))),
                              "the draw must be exactly rng.choice(n_y, p=p)")
    assert result.score == 2.5  # the list, greedy decoding and the unchanged model


def test_global_numpy_generator():
    """np.random.choice ignores rng: the ids cannot match, and no single known mistake explains
    them; the message says how to draw."""
    other = np.random.RandomState(0)  # np.random.choice draws from a global generator like this one
    result = assert_diagnosed("sample", sampler(draw=lambda rng, p, z, n_y: other.choice(n_y, p=p)),
                              "using the rng argument (not np.random)")
    assert not any("drawn uniformly" in p.message or "argmax" in p.message for p in result.parts)


# ---------------------------------------------------------------- the temperature

def test_temperature_divides_the_probabilities():
    """Dividing p by T and renormalising cancels out."""
    def temper(z, temperature):
        p = softmax(z) / temperature
        return p / p.sum()
    result = assert_diagnosed("sample", sampler(temper=temper), "the temperature has no effect")
    assert result.score == 7.5


def test_temperature_divides_the_probabilities_without_renormalising():
    result = assert_diagnosed("sample", sampler(temper=lambda z, temperature: softmax(z) / temperature),
                              "raised ValueError: Probabilities do not sum to 1")
    assert result.score == 6  # a raising case fails every part it belongs to: the list, 0.5 and 2, unchanged


def test_temperature_multiplies_the_logits():
    assert_diagnosed("sample", sampler(temper=lambda z, temperature: softmax(z * temperature)),
                     "the logits are multiplied by the temperature")


def test_temperature_zero_divides_by_zero():
    def sample(params, length, rng, temperature=1.0, prime=(), cell="rnn", end_id=None):
        """No special case for temperature 0: softmax(z / 0) is NaN, and rng.choice refuses it."""
        U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["by"]
        n_y = V.shape[0]
        h = np.zeros((W.shape[0], 1))
        for x in [np.eye(n_y)[:, [k]] for k in prime] or [np.zeros((n_y, 1))]:
            h = np.tanh(U @ x + W @ h + b)
        out = []
        for _ in range(length):
            z = V @ h + c
            p = np.exp(z / temperature) / np.exp(z / temperature).sum()
            k = int(rng.choice(n_y, p=p.ravel()))
            out.append(k)
            if k == end_id:
                break
            h = np.tanh(U @ np.eye(n_y)[:, [k]] + W @ h + b)
        return out
    result = assert_diagnosed("sample", sample, "raised ValueError")
    assert result.score == 6.5  # a raising case fails every part it belongs to: the list, greedy, unchanged
    assert "raised ValueError" in next(p.message for p in result.parts if p.part == "temperature 0 is the argmax")


# ---------------------------------------------------------------- the prime and the start

def test_prime_ignored():
    assert_diagnosed("sample", sampler(warm_up=lambda prime, one_hot, zero: [zero]), "the prime is ignored")


def test_prime_returned_with_the_sample():
    result = assert_diagnosed("sample", sampler(keep_prime=True), "the prime is part of the result")
    assert "(the prime is not part of the result)" in result.parts[0].message


def test_zero_vector_fed_before_the_prime():
    def warm_up(prime, one_hot, zero):
        return [zero] + [one_hot(k) for k in prime]
    assert_diagnosed("sample", sampler(warm_up=warm_up), "the zero start vector is not fed")


def test_first_draw_from_the_zero_state():
    def warm_up(prime, one_hot, zero):
        return [one_hot(k) for k in prime]
    assert_diagnosed("sample", sampler(warm_up=warm_up), "without a prime, the first distribution comes after one step")


# ---------------------------------------------------------------- feeding back

def test_zero_vector_fed_back():
    assert_diagnosed("sample", sampler(feed=lambda k, one_hot, zero, last: zero), "not the zero vector")


def test_last_warm_up_input_fed_back():
    assert_diagnosed("sample", sampler(feed=lambda k, one_hot, zero, last: last),
                     "not the last input of the warm-up")


def test_new_state_never_stored():
    assert_diagnosed("sample", sampler(frozen=True), "the hidden state never changes")


# ---------------------------------------------------------------- stopping and the result

def test_end_id_ignored():
    result = assert_diagnosed("sample", sampler(stop="never"), "does not stop at end_id")
    assert result.score == 8


def test_end_id_left_out():
    result = assert_diagnosed("sample", sampler(stop="before"), "end_id is missing")
    assert result.score == 8


def test_array_instead_of_a_list():
    result = assert_diagnosed("sample", sampler(as_array=True), "the result is a NumPy array")
    assert result.score == 8


def test_temperature_applied_to_the_model_in_place():
    result = assert_diagnosed("sample", sampler(scale_in_place=True), "changed its input in place")
    assert result.score == 8.5


def test_drawing_from_the_generator_is_no_side_effect():
    """The generator's state changes with every draw: that is not reported as a changed input."""
    result = run_check("sample", ref.sample, seed=5)
    assert all(p.status == "ok" for p in result.parts), result.report()


# ---------------------------------------------------------------- the demo model

# Held-out Tiny Shakespeare (The Taming of the Shrew, act 4, scene 5; in the last 10% of the
# corpus, which the demo model never trained on).
SNIPPET = """PETRUCHIO:
Why, how now, Kate! I hope thou art not mad:
This is a man, old, wrinkled, faded, wither'd,
And not a maiden, as thou say'st he is.

KATHARINA:
Pardon, old father, my mistaking eyes,
That have been so bedazzled with the sun
That everything I look on seemeth green:
Now I perceive thou art a reverend father;
Pardon, I pray thee, for my mad mistaking.

PETRUCHIO:
Do, good old grandsire; and withal make known
Which way thou travellest: if along with us,
We shall be joyful of thy company.
"""


def load_model(path):
    with np.load(path, allow_pickle=False) as saved:
        return {name: saved[name] for name in saved.files}


def check_layout(model, n_h):
    assert sorted(model) == sorted(DEMO_KEYS)
    n_y = len(model["chars"])
    shapes = {"U": (n_h, n_y), "W": (n_h, n_h), "b": (n_h, 1), "V": (n_y, n_h), "by": (n_y, 1)}
    for name, shape in shapes.items():
        assert model[name].shape == shape and model[name].dtype == np.float32, name
        assert np.isfinite(model[name]).all(), name
    chars = [str(ch) for ch in model["chars"]]
    assert model["chars"].dtype == np.dtype("<U1") and len(set(chars)) == n_y == 65
    assert chars == sorted(chars) and "\n" in chars and " " in chars


def per_character_cross_entropy(model, text):
    """Mean -log P(next character) over text, reading it from a zero state."""
    ids = [[str(ch) for ch in model["chars"]].index(ch) for ch in text]
    U, W, b, V, c = (model[k].astype(np.float64) for k in ("U", "W", "b", "V", "by"))
    h, total = np.zeros((W.shape[0], 1)), 0.0
    for k, k_next in itertools.pairwise(ids):
        h = np.tanh(U[:, [k]] + W @ h + b)
        z = (V @ h + c).ravel()
        total += np.log(np.exp(z - z.max()).sum()) + z.max() - z[k_next]
    return total / (len(ids) - 1)


def test_shipped_demo_model():
    assert DEMO_MODEL.is_file(), "run `python -m autograder.checks.sampling` to make the demo model"
    assert DEMO_MODEL.stat().st_size < 200_000
    model = load_model(DEMO_MODEL)
    check_layout(model, DEMO["n_h"])
    loss = per_character_cross_entropy(model, SNIPPET)
    # uniform guessing costs ln 65 = 4.17 nats, the unigram frequencies about 3.3; the model about 1.7
    assert loss < 0.55 * np.log(65), f"the demo model is not trained: {loss:.3f} nats per character"


COMMON = {"the", "and", "to", "of", "you", "my", "i", "a", "that", "is", "in", "not", "me", "it", "with", "your",
          "be", "his", "this", "for", "he", "thou", "shall", "will", "what", "so", "have", "but", "her", "as", "thy",
          "all", "by", "we", "our", "him", "no", "do", "are", "on"}


def test_shipped_demo_model_writes_words():
    """At temperature 0.5 the demo model writes mostly real words: many of them common ones."""
    model = load_model(DEMO_MODEL)
    chars = [str(ch) for ch in model["chars"]]
    prime = [chars.index(ch) for ch in "ROMEO:\n"]
    text = "".join(chars[k] for k in ref.sample(model, 400, np.random.default_rng(0), temperature=0.5, prime=prime))
    words = [w.strip(",.;:!?'-").lower() for w in text.split()]
    assert len(words) > 40 and sum(w in COMMON for w in words) > 0.3 * len(words), text


@pytest.mark.corpus
def test_make_demo_model_is_deterministic(tmp_path, corpus_mirror):
    """A short run writes the documented layout, and the same bytes twice (fixed seed)."""
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    summary = make_demo_model(first, steps=20, mirror=corpus_mirror)
    make_demo_model(second, steps=20, mirror=corpus_mirror)
    check_layout(load_model(first), DEMO["n_h"])
    assert first.read_bytes() == second.read_bytes()
    assert summary["steps"] == 20 and summary["valid_loss"] < np.log(65)
