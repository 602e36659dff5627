"""Synthetic sequence tasks for recurrent networks, generated from an explicit random generator.

Every generator takes a :class:`numpy.random.Generator` ``rng`` (make one with
``np.random.default_rng(seed)``) and never touches NumPy's global random state, so the same seed
gives the same data. Inputs are float64 and integer targets int64.

Shapes follow the course convention: a batch of ``m`` sequences of ``T`` steps with ``n_x``
features each is an array ``x`` of shape ``(n_x, m, T)``; integer targets per step are ``(m, T)``.

* :func:`binary_addition` -- add two binary numbers bit by bit, least-significant bit first.
* :func:`adding_problem` -- sum the two marked numbers of a long sequence (long-range memory).
* :func:`copy_task` -- reproduce a sequence of symbols after a delay.
* :func:`reber_strings` / :func:`is_reber` -- the (embedded) Reber grammar.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "REBER_ALPHABET",
    "adding_problem",
    "binary_addition",
    "bits_to_int",
    "copy_task",
    "is_reber",
    "reber_strings",
]


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {type(rng).__name__}"
        )
    return rng


def _check_int(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise ValueError(f"{name} must be >= {minimum}{upper}, got {number}")
    return number


# ---------------------------------------------------------------------------------------------
# Binary addition
# ---------------------------------------------------------------------------------------------


def binary_addition(
    m: int, n_bits: int = 8, *, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A batch of binary additions ``a + b``, presented one bit per time step, LSB first.

    ``a`` and ``b`` are drawn independently and uniformly from ``[0, 2**(n_bits - 1))``, so that
    ``a + b < 2**n_bits`` always fits in ``n_bits`` bits. At time step ``t`` the network sees bit
    ``t`` of ``a`` and of ``b`` (bit 0 is the least-significant) and must output bit ``t`` of the
    sum; the carry has to be remembered from step to step.

    Args:
        m: number of examples, >= 1.
        n_bits: number of bits and time steps T, 2 <= n_bits <= 62.
        rng: the random generator (keyword-only).

    Returns:
        ``(x, y)`` with
        ``x``: float64 array of shape ``(2, m, n_bits)``, values 0.0/1.0; ``x[0, i, t]`` is bit
        ``t`` of ``a_i`` and ``x[1, i, t]`` bit ``t`` of ``b_i``.
        ``y``: int64 array of shape ``(m, n_bits)``, values 0/1; ``y[i, t]`` is bit ``t`` of
        ``a_i + b_i``.
        ``bits_to_int(x)`` gives ``[a, b]`` (shape ``(2, m)``) and ``bits_to_int(y)`` the sums.
    """
    m = _check_int("m", m, 1)
    n_bits = _check_int("n_bits", n_bits, 2, 62)
    rng = _check_rng(rng)
    high = 2 ** (n_bits - 1)
    a = rng.integers(0, high, size=m, dtype=np.int64)
    b = rng.integers(0, high, size=m, dtype=np.int64)
    shifts = np.arange(n_bits, dtype=np.int64)
    x = np.stack([(a[:, None] >> shifts) & 1, (b[:, None] >> shifts) & 1]).astype(np.float64)
    y = ((a + b)[:, None] >> shifts) & 1
    return x, y.astype(np.int64)


def bits_to_int(bits: Any) -> np.ndarray:
    """Decode least-significant-bit-first binary numbers.

    Args:
        bits: array-like of shape ``(..., n_bits)`` with n_bits <= 63, every value 0 or 1 (any
            numeric or bool dtype); ``bits[..., t]`` is the bit of weight ``2**t``.

    Returns:
        int64 array of shape ``(...)``: ``sum_t bits[..., t] * 2**t``. (For a single number,
        shape ``(n_bits,)``, a 0-d array.)

    Raises:
        ValueError: a value is not 0 or 1, or the last axis is missing or longer than 63.
    """
    array = np.asarray(bits)
    if array.ndim == 0:
        raise ValueError("bits must have at least one axis (the bit axis, last)")
    n_bits = array.shape[-1]
    if n_bits > 63:
        raise ValueError(f"at most 63 bits fit in int64, got {n_bits}")
    if not np.all((array == 0) | (array == 1)):
        raise ValueError("bits must contain only 0 and 1 (round network outputs first)")
    weights = np.left_shift(np.int64(1), np.arange(n_bits, dtype=np.int64))
    return np.asarray((array.astype(np.int64) * weights).sum(axis=-1), dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# The adding problem
# ---------------------------------------------------------------------------------------------


def adding_problem(m: int, T: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem: output the sum of the two marked numbers of a sequence.

    Hochreiter & Schmidhuber (1997) introduced the task; this is the form of Le, Jaitly & Hinton
    (2015). Each input step has two features: a value drawn uniformly from ``[0, 1)``, and a
    marker that is 1.0 at exactly two steps and 0.0 elsewhere. The first marked step is drawn
    uniformly from the first half, ``[0, T // 2)``, and the second from the second half,
    ``[T // 2, T)``. The target, given once after the last step, is the sum of the two marked
    values. Always predicting 1.0 gives a mean squared error of about 1/6 -- the baseline to beat.

    Args:
        m: number of examples, >= 1.
        T: sequence length, >= 2.
        rng: the random generator.

    Returns:
        ``(x, y)`` with
        ``x``: float64 array of shape ``(2, m, T)``; ``x[0]`` the values in ``[0, 1)``, ``x[1]``
        the markers (0.0/1.0, exactly two ones per example, one in each half).
        ``y``: float64 array of shape ``(m,)``, in ``[0, 2)``: ``(x[0] * x[1]).sum(axis=-1)``.
    """
    m = _check_int("m", m, 1)
    T = _check_int("T", T, 2)
    rng = _check_rng(rng)
    half = T // 2
    values = rng.random((m, T))
    first = rng.integers(0, half, size=m)
    second = rng.integers(half, T, size=m)
    markers = np.zeros((m, T), dtype=np.float64)
    rows = np.arange(m)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers])
    y = values[rows, first] + values[rows, second]
    return x, y


# ---------------------------------------------------------------------------------------------
# The copy task
# ---------------------------------------------------------------------------------------------


def copy_task(
    m: int, n_copy: int, delay: int, n_symbols: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The copy (memory) task: read a sequence of symbols, wait, then write it back.

    Symbols are integers: 0 is the *blank*, 1..n_symbols are the data symbols, and
    ``n_symbols + 1`` is the *delimiter* ("start copying now"). Each example has
    ``T = 2 * n_copy + delay + 1`` steps. With ``s_1 .. s_n`` (``n = n_copy``) drawn independently
    and uniformly from ``1..n_symbols``, the input and target symbols at step ``t`` are::

        steps t                         input symbol     target y[i, t]
        0 .. n-1                        s_{t+1}          0 (blank)
        n .. n+delay-1                  0 (blank)        0 (blank)
        n+delay                         n_symbols + 1    0 (blank)
        n+delay+1 .. T-1 (n steps)      0 (blank)        s_{t-n-delay}

    i.e. the target is blank everywhere except the last ``n_copy`` steps, which hold the sequence
    in its original order, starting right after the delimiter.

    Args:
        m: number of examples, >= 1.
        n_copy: length of the sequence to copy, >= 1.
        delay: number of blank steps between the sequence and the delimiter, >= 0.
        n_symbols: number of data symbols, >= 1.
        rng: the random generator.

    Returns:
        ``(x, y)`` with
        ``x``: float64 array of shape ``(n_symbols + 2, m, T)``, one-hot over the symbol axis
        (``x[k, i, t] == 1.0`` iff example ``i`` has input symbol ``k`` at step ``t``).
        ``y``: int64 array of shape ``(m, T)``, values in ``0..n_symbols``, as in the table.
        The input symbols themselves are ``x.argmax(axis=0)``.
    """
    m = _check_int("m", m, 1)
    n_copy = _check_int("n_copy", n_copy, 1)
    delay = _check_int("delay", delay, 0)
    n_symbols = _check_int("n_symbols", n_symbols, 1)
    rng = _check_rng(rng)
    T = 2 * n_copy + delay + 1
    sequence = rng.integers(1, n_symbols + 1, size=(m, n_copy), dtype=np.int64)
    inputs = np.zeros((m, T), dtype=np.int64)
    inputs[:, :n_copy] = sequence
    inputs[:, n_copy + delay] = n_symbols + 1
    y = np.zeros((m, T), dtype=np.int64)
    y[:, T - n_copy :] = sequence
    x = np.zeros((n_symbols + 2, m, T), dtype=np.float64)
    example, step = np.meshgrid(np.arange(m), np.arange(T), indexing="ij")
    x[inputs, example, step] = 1.0
    return x, y


# ---------------------------------------------------------------------------------------------
# The (embedded) Reber grammar
# ---------------------------------------------------------------------------------------------

#: The symbols of the Reber grammar: B(egin) and E(nd) plus the five inner letters.
REBER_ALPHABET = "BTPSXVE"

# The Reber grammar as a finite automaton. States 0..5 follow the usual diagram; after the
# initial B the machine is in state 0, and "E" from state 5 leads to the accepting state.
#
#   0 -T-> 1    0 -P-> 2
#   1 -S-> 1    1 -X-> 3
#   2 -T-> 2    2 -V-> 4
#   3 -X-> 2    3 -S-> 5
#   4 -P-> 3    4 -V-> 5
#   5 -E-> accept
_REBER_EDGES: dict[int, tuple[tuple[str, int], ...]] = {
    0: (("T", 1), ("P", 2)),
    1: (("S", 1), ("X", 3)),
    2: (("T", 2), ("V", 4)),
    3: (("X", 2), ("S", 5)),
    4: (("P", 3), ("V", 5)),
    5: (("E", -1),),
}

_State = tuple[str, int]
_Table = dict[_State, dict[str, _State]]
_ACCEPT: _State = ("accept", 0)


def _automaton(embedded: bool) -> tuple[_State, _Table]:
    """Start state and transition table ``table[state][symbol] -> next state``.

    A state is a pair (phase, number). Plain grammar: ``("in", -1) -B-> ("in", 0)``, then the
    inner edges above, with ``("in", 5) -E-> accept``. Embedded grammar: ``B``, then ``T`` or
    ``P`` (remembered in the phase, "T" or "P"), then a complete plain Reber string, then the
    *same* ``T`` or ``P`` again, then ``E``. Remembering the branch takes two copies of the inner
    automaton, one per branch. States without an entry for a symbol reject it.
    """
    table: _Table = {}

    def add_inner(phase: str, done: _State) -> _State:
        # A copy of the plain automaton tagged with `phase`, ending in `done`; returns its start.
        table[(phase, -1)] = {"B": (phase, 0)}
        for state, edges in _REBER_EDGES.items():
            table[(phase, state)] = {
                symbol: done if nxt == -1 else (phase, nxt) for symbol, nxt in edges
            }
        return (phase, -1)

    if not embedded:
        return add_inner("in", _ACCEPT), table
    start: _State = ("start", 0)
    after_b: _State = ("after-B", 0)
    table[start] = {"B": after_b}
    table[after_b] = {}
    for branch in "TP":
        closing: _State = (branch + "-close", 0)
        final: _State = (branch + "-end", 0)
        table[closing] = {branch: final}
        table[final] = {"E": _ACCEPT}
        table[after_b][branch] = add_inner(branch, closing)
    return start, table


_AUTOMATA = {flag: _automaton(flag) for flag in (False, True)}


def is_reber(s: str, embedded: bool = True) -> bool:
    """Whether ``s`` is a string of the (embedded) Reber grammar.

    Runs the grammar's deterministic finite automaton over ``s``: rejects as soon as a symbol has
    no transition, and accepts iff the whole string is consumed ending in the accepting state.

    Args:
        s: a str over any alphabet (symbols outside ``REBER_ALPHABET`` are simply rejected).
        embedded: check the embedded grammar ``B T <reber> T E`` / ``B P <reber> P E`` (default)
            or the plain grammar.
    """
    if not isinstance(s, str):
        return False
    state, table = _AUTOMATA[bool(embedded)]
    for symbol in s:
        nxt = table.get(state, {}).get(symbol)
        if nxt is None:
            return False
        state = nxt
    return state == _ACCEPT


def reber_strings(n: int, rng: np.random.Generator, embedded: bool = True) -> list[str]:
    """Random strings of the (embedded) Reber grammar.

    Each string is a walk through the automaton (see :func:`is_reber`) from the start to the
    accepting state; wherever two transitions leave a state, each is taken with probability 1/2.
    Plain strings are at least 5 symbols long (e.g. ``"BTXSE"``, ``"BPVVE"``), embedded ones at
    least 9 (e.g. ``"BTBTXSETE"``); lengths are unbounded but long strings are exponentially rare.

    Args:
        n: number of strings, >= 0.
        rng: the random generator.
        embedded: generate the embedded grammar (default) or the plain one.

    Returns:
        A list of ``n`` str over ``REBER_ALPHABET``, each accepted by ``is_reber(s, embedded)``.
    """
    n = _check_int("n", n, 0)
    rng = _check_rng(rng)
    start, table = _AUTOMATA[bool(embedded)]
    strings = []
    for _ in range(n):
        state, symbols = start, []
        while state != _ACCEPT:
            edges = list(table[state].items())
            symbol, state = edges[int(rng.integers(len(edges)))] if len(edges) > 1 else edges[0]
            symbols.append(symbol)
        strings.append("".join(symbols))
    return strings
