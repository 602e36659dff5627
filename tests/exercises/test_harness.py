"""The untrusted half of a check, in process: whatever the student's function does, the harness
returns an Outcome of plain data, and objects that could fool a comparison never reach one."""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest

from autograder.checks import harness, run_check
from autograder.checks.harness import Fn, InvalidOutput, Rng, call, to_plain


def test_plain_values_pass_through_as_base_types():
    value = to_plain((np.float64(1.5), np.int32(3), [np.arange(3)], {"a": np.ones((2, 2)), ("x", 1): 2}))
    assert value[:2] == (1.5, 3) and value[3][("x", 1)] == 2 and (value[2][0] == [0, 1, 2]).all()
    assert type(value) is tuple and type(value[0]) is float and type(value[1]) is int
    assert type(value[2][0]) is np.ndarray and type(value[3]["a"]) is np.ndarray


def test_ndarray_subclass_loses_its_overrides():
    class AlwaysEqual(np.ndarray):
        def __eq__(self, other):
            return np.ones(np.shape(self), dtype=bool)

        def __array_finalize__(self, obj):
            pass

    sneaky = np.zeros(3).view(AlwaysEqual)
    plain = to_plain(sneaky)
    assert type(plain) is np.ndarray and not (plain == np.ones(3)).any()


@pytest.mark.parametrize("value", [
    type("Yes", (), {"__eq__": lambda self, other: True})(),        # __eq__ always true
    type("Lazy", (), {"__array__": lambda self, *a, **k: np.ones(3)})(),  # computes on conversion
    np.array([1, "a"], dtype=object),                                # object array
    {object(): 1},                                                   # unhashable-in-plain key
    lambda: 0,
])
def test_objects_that_are_not_plain_data_are_invalid(value):
    with pytest.raises(InvalidOutput):
        to_plain(value)


def test_huge_results_are_refused():
    with pytest.raises(InvalidOutput, match="more than"):
        to_plain([np.zeros(harness.MAX_ELEMENTS // 2 + 1), np.zeros(harness.MAX_ELEMENTS // 2 + 1)])
    nested = []
    for _ in range(harness.MAX_DEPTH + 2):
        nested = [nested]
    with pytest.raises(InvalidOutput, match="nested"):
        to_plain(nested)


def test_exceptions_exits_and_timeouts_become_outcomes():
    assert call(lambda: 1 / 0).status == "error"
    assert "ZeroDivisionError" in call(lambda: 1 / 0).message
    assert call(lambda: sys.exit(0)).status == "error"
    assert call(lambda: (_ for _ in ()).throw(KeyboardInterrupt)).status == "error"

    def forever():
        while True:
            pass

    start = time.perf_counter()
    outcome = call(forever, timeout=0.3)
    assert outcome.status == "timeout" and time.perf_counter() - start < 3

    def catches_everything():
        try:
            while True:
                pass
        except Exception:  # a student's broad except must not swallow the time limit
            return 1

    assert call(catches_everything, timeout=0.3).status == "timeout"


def test_output_and_warnings_are_captured_not_printed(capsys):
    def noisy():
        print("score: 100/100")
        print("fake", file=sys.stderr)
        return np.exp(np.array([1000.0]))  # overflow warning

    outcome = call(noisy)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert "score: 100/100" in outcome.output and outcome.status == "ok"
    assert len(call(lambda: print("x" * 10**6)).output) == harness.MAX_TEXT


def test_arguments_are_fresh_copies_and_mutation_is_reported():
    x = np.zeros(3)

    def scribble(a):
        a += 1
        return a

    outcome = call(scribble, (x,))
    assert (x == 0).all(), "the caller's array must not change"
    assert outcome.mutated == ["argument 1"] and outcome.aliased == ["the result"]


def test_markers_build_generators_and_known_functions():
    outcome = call(lambda rng: rng.integers(0, 10**9), (Rng(7),))
    assert outcome.value == np.random.default_rng(7).integers(0, 10**9)
    data = {"A": np.array([2.0])}
    f_value = call(lambda f: f({"A": np.array([3.0])}), (Fn("quadratic_loss", data),)).value
    assert f_value == pytest.approx(0.5 * 36.0)


def test_a_check_survives_a_monkeypatched_allclose():
    """A student who rebinds np.allclose/np.isclose gains nothing even in the notebook kernel: the
    comparison uses ndarray arithmetic only. (The grading command goes further: it compares in
    another process.)"""
    original = np.allclose

    original_isclose = np.isclose

    def cheat(z):
        np.allclose = np.isclose = lambda *a, **k: True
        return np.zeros_like(z)

    try:
        result = run_check("softmax", cheat, seed=0)
    finally:
        np.allclose, np.isclose = original, original_isclose
    assert result.score == 0.75  # the shape is right and z is left unchanged; every value is wrong


def test_changes_to_list_and_dict_arguments_are_reported():
    def pad(sequences, table):
        sequences[0].append(0)
        table["x"] = 1
        return []

    outcome = call(pad, ([[1, 2], [3]], {"a": 1}))
    assert outcome.mutated == ["argument 1[0]", "argument 2"]


def test_rebound_builtins_and_numpy_names_are_restored_after_the_call():
    import builtins

    original = builtins.isinstance

    def cheat():
        builtins.isinstance = lambda *a: True
        np.allclose = lambda *a, **k: True
        return 1

    assert call(cheat).status == "ok"
    assert builtins.isinstance is original and not np.allclose(1, 2)
