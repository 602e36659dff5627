"""Diagnosis that does not need a table entry per bug: what a wrong answer says by itself.

A check's table of known mistakes (:class:`autograder.checks.spec.Mistake`) names a bug when one
mistake, or two together, reproduce the answer. What is here works on any check, from the case's
sizes and inputs and the shapes and values of the answer:

* :func:`explain_shape` tells a wrong shape in the book's symbols: a transposed weight, axes in
  the wrong order, one step too many along the time axis, a size-1 axis dropped (``np.squeeze``),
  the time axis lost;
* :func:`explain_error` does the same for the shapes inside an exception's text (NumPy's
  "operands could not be broadcast together with shapes (5,6) (6,1)");
* :func:`explain_time` says which time steps are right and where the error starts -- from the
  first step (the loop's start), from one step on, only the last step right (a backward pass
  whose gradient from later steps is lost), only the first wrong, or the steps in reverse order.

Messages never contain a reference value: only shapes, symbols and step numbers.
"""

from __future__ import annotations

import re

import numpy as np

SIZE_NAMES = ("n_x", "n_h", "n_y", "n_y_in", "m", "T", "T_x", "T_y")
_SIZE = re.compile(r"\b(" + "|".join(SIZE_NAMES) + r")=(\d+)\b")
_SHAPE = re.compile(r"\((\d+(?:\s*,\s*\d+)*\s*,?)\)")


def sizes_of(label: str) -> dict[str, int]:
    """The sizes a case's label states (``"n_x=3, n_h=5, m=4"`` -> ``{"n_x": 3, ...}``)."""
    return {name: int(value) for name, value in _SIZE.findall(label)}


def known_shapes(args, names: tuple[str, ...] = ()) -> dict[str, tuple]:
    """The shapes of the arrays a case passes, by name: top-level arrays by ``names`` (the
    function's parameter names), and every array inside a dict argument by its key (``U``,
    ``params``' entries, a cache's ``x_t`` ...), one level of nesting deep."""
    found: dict[str, tuple] = {}

    def visit(value, name):
        if isinstance(value, np.ndarray) and name:
            found.setdefault(name, value.shape)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, np.ndarray):
                    found.setdefault(str(key), item.shape)
                elif isinstance(item, dict):
                    for inner, array in item.items():
                        if isinstance(array, np.ndarray):
                            found.setdefault(str(inner), array.shape)

    for k, arg in enumerate(args):
        visit(arg, names[k] if k < len(names) else "")
    return found


def symbols(shape: tuple, sizes: dict[str, int]) -> str | None:
    """``(5, 6)`` as ``(n_h, m)`` when every dimension has exactly one name (or is 1); else None."""
    out = []
    for d in shape:
        names = [n for n, v in sizes.items() if v == d]
        # one step too many or too few is a time story; other sizes off by one would be guesses
        plus = [f"{n}+1" for n, v in sizes.items() if v + 1 == d and v > 1 and n.startswith("T")]
        minus = [f"{n}-1" for n, v in sizes.items() if v - 1 == d and v > 2 and n.startswith("T")]
        if len(names) == 1:
            out.append(names[0])
        elif not names and d == 1:
            out.append("1")
        elif not names and len(plus) == 1 and not minus:
            out.append(plus[0])
        elif not names and len(minus) == 1 and not plus:
            out.append(minus[0])
        else:
            return None
    return "(" + ", ".join(out) + ("," if len(out) == 1 else "") + ")"


def _distinct(sizes: dict[str, int]) -> bool:
    values = [v for v in sizes.values() if v > 1]
    return len(values) == len(set(values))


def whose(shape: tuple, known: dict[str, tuple]) -> str | None:
    """Which known array has this shape, or has it transposed (one name only)."""
    same = [name for name, s in known.items() if s == tuple(shape)]
    if len(same) == 1:
        return f"the shape of {same[0]}"
    flipped = [name for name, s in known.items() if len(s) == 2 and s[0] != s[1] and s[::-1] == tuple(shape)]
    if len(flipped) == 1 and not same:
        return f"{flipped[0]} transposed"
    return None


def explain_shape(name: str, got: tuple, want: tuple, sizes: dict[str, int],
                  known: dict[str, tuple]) -> str | None:
    """Why the array ``name`` has shape ``got`` instead of ``want``, in the book's terms; None
    when the shapes tell nothing more than that they differ."""
    got, want = tuple(got), tuple(want)
    sym_got, sym_want = symbols(got, sizes), symbols(want, sizes)
    if len(got) < len(want) and tuple(d for d in want if d != 1) == got and 1 in want:
        ones = [n for n, v in sizes.items() if v == 1] or ["1"]
        return (f"{name} lost an axis of size 1 ({', '.join(ones)} = 1 in this case): np.squeeze, a sum or an "
                f"index without keepdims, or x[:, :, t] turned into a 1-d vector drops it; keep the shape "
                f"{sym_want or want}")
    if sym_got and sym_want and len(got) == len(want) and sorted(got) == sorted(want) and _distinct(sizes):
        if len(got) == 2 and got == want[::-1]:
            return f"{name} is transposed: it has shape {sym_got}, and must have {sym_want}"
        story = f"{name}'s axes are in the wrong order: {sym_got} instead of {sym_want}"
        if sym_want.endswith("T)") and not sym_got.endswith("T)"):
            story += " (the time axis is the last one: step t is [..., t])"
        return story
    if sym_got and sym_want and len(got) + 1 == len(want) and sym_want.endswith("T)") and got == want[:-1]:
        return (f"{name} has shape {sym_got}, without the time axis: {sym_want} holds every step, so keep "
                "each step's result (only one step's is returned)")
    if sym_got and sym_want and len(got) == len(want) and "T" in sizes:
        if got[:-1] == want[:-1] and got[-1] == want[-1] + 1:
            return (f"{name} has one step too many: {sym_got} instead of {sym_want} (the initial state, or a "
                    "step before the first, is kept along with the T steps)")
        if got[:-1] == want[:-1] and got[-1] + 1 == want[-1]:
            return f"{name} has one step too few: {sym_got} instead of {sym_want} (the loop misses a step)"
    if sym_got and sym_want and _distinct(sizes):
        owner = whose(got, known)
        return f"{name} has shape {sym_got}" + (f" ({owner})" if owner else "") + f"; expected {sym_want}"
    return None


_CORE = re.compile(r"size (\d+) is different from (\d+)")


def _name(d: int, sizes: dict[str, int]) -> str:
    names = [n for n, v in sizes.items() if v == d]
    return names[0] if len(names) == 1 else str(d)


def explain_error(message: str, sizes: dict[str, int], known: dict[str, tuple]) -> str | None:
    """The shapes inside an exception's message in the book's symbols, and which known array
    (or which transposed one) each is; None when there is nothing to add. A transposed known array
    is named first: it is almost always the cause."""
    if not sizes or not _distinct(sizes):
        return None
    shapes = []
    for text in _SHAPE.findall(message):
        shape = tuple(int(d) for d in text.replace(" ", "").rstrip(",").split(",") if d)
        if shape and shape not in shapes:
            shapes.append(shape)
    if not shapes:
        return None
    notes, transposed = [], []
    for shape in shapes:
        sym = symbols(shape, sizes)
        owner = whose(shape, known)
        if owner and owner.endswith("transposed"):
            transposed.append(owner.removesuffix(" transposed"))
        if sym:
            notes.append(f"{sym}" + (f" = {owner}" if owner else ""))
    if transposed:
        return (f"{' and '.join(transposed)} is used transposed: the shapes in the error are {', '.join(notes)}; "
                f"{', '.join(f'{t} has shape {symbols(known[t], sizes)}' for t in transposed)}")
    story = _store_story(message, sizes, known) or _broadcast_story(message, shapes, sizes, known) \
        or _time_story(shapes, sizes)
    if story:
        return story
    if notes:
        return "the shapes that clash are " + " and ".join(notes)
    return None


_STORE = re.compile(r"could not broadcast input array from shape \(([\d, ]*)\) into shape \(([\d, ]*)\)")


def _store_story(message: str, sizes: dict[str, int], known: dict[str, tuple]) -> str | None:
    """``a[...] = value`` where the slot has another shape than the value: the array that receives
    it was made with the wrong shape -- often with the shape of another array (np.zeros_like(h))."""
    found = _STORE.search(message)
    if not found:
        return None
    value, slot = (tuple(int(d) for d in g.replace(" ", "").split(",") if d) for g in found.groups())
    if len(value) == 2 and value[0] == value[1] > 1 and slot == value[:1]:
        # the square was made before the store: a (k,) vector met a (k, 1) column
        return _vector_met_column(value[0], sizes, known, f" before it was stored into a slot of shape "
                                  f"({_name(value[0], sizes)},): add the column as a vector (its [:, 0]) or keep "
                                  "both as columns")
    steps = sizes.get("T")
    owner = whose(slot, known) or (whose(slot + (steps,), known) if steps else None)
    story = (f"a value of shape {symbols(value, sizes) or value} is stored into a slot of shape "
             f"{symbols(slot, sizes) or slot}: the array that receives it was made with the wrong shape")
    if owner and owner.startswith("the shape of "):
        story += f" -- {owner} (np.zeros_like({owner.removeprefix('the shape of ')})?); make it from the sizes of " \
                 "what it holds"
    return story


def _broadcast_story(message: str, shapes: list[tuple], sizes: dict[str, int], known: dict[str, tuple]) -> str | None:
    """Two shapes that clash in a way that tells the slip: matrices multiplied entry by entry, a
    vector broadcast against a column, a 3-d array through ``@``."""
    two_d = [s for s in shapes if len(s) == 2]
    weights = {s for name, s in known.items() if len(s) == 2 and name[:1].isupper()}  # U, W, V ...
    for a in two_d:
        for b in two_d:
            if (a is not b and a[1] == b[0] and (a in weights or b in weights)
                    and "operands could not be broadcast" in message):
                return (f"{symbols(a, sizes) or a} and {symbols(b, sizes) or b} multiply as matrices (@ or np.dot), "
                        "not entry by entry (*)")
    for a in shapes:
        for b in shapes:
            if len(a) == 2 and a[0] == a[1] and b == (a[0],) and a[0] > 1:
                return _vector_met_column(a[0], sizes, known, ": keep both as columns")
    return None


def _vector_met_column(size: int, sizes: dict[str, int], known: dict[str, tuple], advice: str) -> str:
    """A ``(k,)`` vector added to a ``(k, 1)`` column broadcast to ``(k, k)``, then ``advice`` (which
    starts with its own separator); ``known`` names the column."""
    column = next((n for n, s in known.items() if s == (size, 1)), None)
    k = _name(size, sizes)
    return (f"a vector of shape ({k},) met a column ({k}, 1)" + (f" (the shape of {column})" if column else "")
            + f" and broadcast to ({k}, {k}){advice}")


def _time_story(shapes: list[tuple], sizes: dict[str, int]) -> str | None:
    """Two shapes that differ only where one has T and the other m: time and examples confused;
    or one is the other with a time axis added: a whole sequence where one step belongs."""
    steps, batch = sizes.get("T"), sizes.get("m")
    if not steps or not batch or steps == batch:
        return None
    for a in shapes:
        for b in shapes:
            if len(b) == len(a) + 1 and b[:-1] == a and b[-1] == steps:
                return (f"a whole sequence {symbols(b, sizes) or b} meets one step's {symbols(a, sizes) or a}: "
                        "take step t's slice, [:, :, t]")
    for a in shapes:
        for b in shapes:
            if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1 and \
                    any(x == steps and y == batch for x, y in zip(a, b)):
                return ("time and examples are confused: an array has T where m belongs; x is (n_x, m, T), so step "
                        "t is x[:, :, t] (x[:, t] is example t)")
    return None


def explain_core_mismatch(message: str, sizes: dict[str, int], three_d: bool) -> str | None:
    """NumPy's "matmul: ... (size 6 is different from 5)" in the book's symbols."""
    found = _CORE.search(message)
    if not found or not _distinct(sizes):
        return None
    a, b = (_name(int(found.group(k)), sizes) for k in (1, 2))
    story = f"a matrix product pairs an axis of size {a} with one of size {b}"
    if three_d:
        story += (": with a 3-d array, @ multiplies each of its 2-d slices, a stack of (m, T) matrices; multiply "
                  "along one axis with np.tensordot or np.einsum, or step by step")
    return story


def case_pattern(failing: list, passing: list) -> str | None:
    """What the cases a part fails on have in common that the cases it passes on do not: 3-d
    inputs, a size of one, equal sizes (square weights). None when nothing stands out."""
    if not failing or not passing:
        return None

    def ndim(case):
        first = next((a for a in case.args if isinstance(a, np.ndarray)), None)
        return first.ndim if first is not None else None

    if all("form=reset after" in c.label for c in failing) and not any("form=reset after" in c.label for c in passing):
        return ("wrong only in the reset-after form: look at what only it uses, b_hh and the cached a_hh (one step's "
                "slice, a_hh[:, :, t], like every cached array)")
    dims_f, dims_p = {ndim(c) for c in failing}, {ndim(c) for c in passing}
    if None not in dims_f and len(dims_f) == 1 and not dims_f & dims_p:
        return f"wrong only for {dims_f.pop()}-d input, right for {', '.join(f'{d}-d' for d in sorted(dims_p))}"
    sizes_f, sizes_p = [sizes_of(c.label) for c in failing], [sizes_of(c.label) for c in passing]
    for name in SIZE_NAMES:
        if all(s.get(name) == 1 for s in sizes_f) and not any(s.get(name) == 1 for s in sizes_p):
            return (f"wrong only where {name} = 1: an axis of size 1 is dropped (np.squeeze, an integer index, "
                    "a sum without keepdims) or broadcast the wrong way")

    def ones(s):
        return sorted(k for k, v in s.items() if v == 1 and k not in ("T", "T_x", "T_y"))

    if all(ones(s) for s in sizes_f) and any(not ones(s) for s in sizes_p):
        seen = sorted({k for s in sizes_f for k in ones(s)})
        return (f"wrong only on cases where a size is 1 ({', '.join(k + ' = 1' for k in seen)}): an axis of size "
                "1 is dropped (np.squeeze, an integer index, a sum without keepdims) or broadcast the wrong way")

    def square(s):
        return "n_x" in s and "n_h" in s and s["n_x"] == s["n_h"] > 1

    if all(square(s) for s in sizes_f) and not any(square(s) for s in sizes_p):
        return ("wrong only where n_x = n_h (square weights): on the other sizes a transposed or swapped matrix "
                "raises instead")
    return None


def step_matches(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> list[bool]:
    """For an array whose last axis is time: is each step right?"""
    with np.errstate(all="ignore"):
        ok = np.abs(got - want) <= atol + rtol * np.abs(want)
    return [bool(ok[..., t].all()) for t in range(want.shape[-1])]


def explain_time(name: str, got, want, rtol: float, atol: float, backward: bool = False) -> str | None:
    """Where in time a sequence ``name`` (last axis = time) goes wrong; None when that says
    nothing (every step wrong, or one step only). ``backward``: the function runs from the last
    step to the first (a backward pass), so the story is told from the end."""
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape
            and want.ndim >= 2 and want.shape[-1] >= 2 and got.dtype.kind == "f" and np.isfinite(got).all()):
        return None
    T = want.shape[-1]
    right = step_matches(got, want, rtol, atol)
    with np.errstate(all="ignore"):
        if not all(right) and np.allclose(got, want[..., ::-1], rtol, atol):
            return (f"{name} holds the right steps in reverse time order: step t belongs at [..., t] (a list "
                    "filled while walking backwards must be reversed before stacking)")
    if all(right) or not any(right):
        return None
    wrong = [t for t, ok in enumerate(right) if not ok]
    if wrong == [0]:
        return (f"{name} is right at every step but the first (t = 0 in code): there the previous state is the "
                "initial state h0 -- not zeros, and not h[:, :, t-1], which at t = 0 wraps around to the last step")
    if wrong == [T - 1]:
        return f"{name} is right at every step but the last (t = T-1): look at the end of the loop"
    if backward and right[-1] and not any(right[:-1]):
        return (f"{name} is right at the last step only: the gradient that later steps send back (through the "
                "recurrence) is missing or wrong at every earlier step")
    if backward and all(right[wrong[-1] + 1:]) and wrong == list(range(wrong[-1] + 1)):
        return (f"{name} is right at the last {T - 1 - wrong[-1]} step(s) and wrong before: the error enters at "
                f"t = {wrong[-1]} and travels back through the recurrence")
    if not backward and wrong == list(range(wrong[0], T)):
        return (f"{name} is right for the first {wrong[0]} step(s) and wrong from t = {wrong[0]} on: an error at "
                "one step is carried forward to every later one")
    return f"{name} is wrong at steps t = {', '.join(map(str, wrong[:6]))}{' ...' if len(wrong) > 6 else ''} only"


def explain_steps(name: str, got, want, step, first, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """Each step of a wrong state sequence ``name`` (last axis = time) read against the right
    cell applied to the state the sequence itself holds one step earlier (``first`` before step
    0): ``step(t, previous) -> the state after step t``. Tells an error made inside a step from
    one only carried in from an earlier step. None when that says nothing new."""
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape
            and got.ndim >= 2 and got.dtype.kind == "f" and np.isfinite(got).all()):
        return None
    T = got.shape[-1]
    follows = []
    with np.errstate(all="ignore"):
        for t in range(T):
            previous = first if t == 0 else got[..., t - 1]
            follows.append(bool(np.allclose(got[..., t], step(t, previous), rtol=rtol, atol=atol)))
    if all(follows):
        return None
    if not follows[0] and all(follows[1:]) and T > 1:
        return (f"every step of {name} follows from the state stored before it, except the first: the first step "
                "must start from the initial state h0, as given")
    if not any(follows):
        return (f"no step of {name} is the cell applied to x[:, :, t] and the state {name} holds at t-1: the "
                "update inside the loop differs from the cell's equations (call the cell function), or the state "
                "it reads is not the one it stores")
    wrong = [t for t, ok in enumerate(follows) if not ok]
    return (f"{name} at steps t = {', '.join(map(str, wrong[:6]))}{' ...' if len(wrong) > 6 else ''} does not follow "
            "from the state stored one step before (the others do): look at what those steps do differently")


# ---------------------------------------------------------------- what a pre-activation is made of

INVERSES = {  # nonlinearity -> (its inverse, where the inverse is defined)
    "tanh": (np.arctanh, lambda y: np.all(np.abs(y) < 1 - 1e-12)),
    "the logistic sigmoid": (lambda y: np.log(y) - np.log1p(-y), lambda y: np.all((y > 1e-12) & (y < 1 - 1e-12))),
    "no nonlinearity (the identity)": (lambda y: y, lambda y: True),
}


def fit_terms(target: np.ndarray, terms: dict[str, np.ndarray], tol: float = 1e-6) -> dict[str, float] | None:
    """Coefficients c with target = sum_k c_k terms[k] (each term broadcast to target's shape),
    when such a fit is exact to ``tol`` (relative) and every coefficient is near a small integer or
    half-integer; else None."""
    names = list(terms)
    columns = [np.broadcast_to(terms[n], target.shape).ravel() for n in names]
    A, y = np.stack(columns, axis=1), target.ravel()
    if A.shape[0] < A.shape[1] + 2:
        return None
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    residual = np.linalg.norm(A @ coef - y)
    if residual > tol * max(np.linalg.norm(y), 1.0):
        return None
    rounded = np.round(coef * 2) / 2
    if np.max(np.abs(coef - rounded)) > 1e-4:
        return None
    return {n: float(c) for n, c in zip(names, rounded)}


def explain_terms(got: np.ndarray, terms: dict[str, np.ndarray], right: dict[str, float],
                  nonlinearity: str = "tanh", transposed: dict[str, str] | None = None) -> str | None:
    """Read ``got`` as nonlinearity(sum of terms) and say what differs from ``right``: another
    nonlinearity, a term missing, doubled, negated, or a transposed weight in place of a term.
    ``transposed`` maps a term name to the name of its transposed variant in ``terms``."""
    if not (isinstance(got, np.ndarray) and got.dtype.kind == "f" and np.isfinite(got).all()):
        return None
    for name, (inverse, defined) in INVERSES.items():
        if not defined(got):
            continue
        with np.errstate(all="ignore"):
            coef = fit_terms(inverse(got), terms)
        if coef is None:
            continue
        said = [] if name == nonlinearity else [f"the nonlinearity is {name}; it must be {nonlinearity}"]
        for term, want in right.items():
            have = coef.get(term, 0.0)
            flipped = (transposed or {}).get(term)
            if flipped and coef.get(flipped, 0.0) == want and have == 0.0:
                said.append(f"{term} uses the weight transposed")
            elif have == want:
                continue
            elif have == 0.0:
                said.append(f"the term {term} is missing")
            elif have == -want:
                said.append(f"the term {term} has the wrong sign")
            else:
                said.append(f"the term {term} is counted {have:g} times, not {want:g}")
        extra = [t for t, c in coef.items() if t not in right and c and t not in (transposed or {}).values()]
        said += [f"a term {t} is added that does not belong" for t in extra]
        return "; ".join(said) if said else None
    return None


# ---------------------------------------------------------------- the right numbers, rearranged or rescaled

def explain_arrangement(name: str, got, want, sizes: dict[str, int]) -> str | None:
    """A wrong array that is the right one transposed, or the right one times a factor that a size
    explains (divided by m: a mean over the batch; times T ...)."""
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape
            and got.dtype.kind == "f" and np.isfinite(got).all() and want.size >= 4):
        return None
    with np.errstate(all="ignore"):
        if want.ndim == 2 and want.shape[0] == want.shape[1] and not np.allclose(want, want.T) \
                and np.allclose(got, want.T, rtol=1e-6, atol=1e-9):
            return f"{name} is transposed (its rows are the columns of the right answer)"
        for squash, what in ((np.tanh, "tanh"), (lambda a: 1 / (1 + np.exp(-a)), "sigmoid")):
            if np.allclose(squash(got), want, rtol=1e-6, atol=1e-9):
                return (f"{name} holds the value before the {what} (the pre-activation, the argument of {what}): "
                        f"store {what}(a)")
        norm = float(np.vdot(want, want))
        if norm == 0:
            return None
        factor = float(np.vdot(got, want)) / norm
        if not np.allclose(got, factor * want, rtol=1e-6, atol=1e-9) or abs(factor - 1) < 1e-9:
            return None
    named = {}
    for size in ("m", "T"):
        if sizes.get(size, 1) > 1:
            n = sizes[size]
            named[1 / n] = f"divided by {size}: a mean over the {'examples' if size == 'm' else 'steps'} where the " \
                           f"sum over them is needed"
            named[float(n)] = f"multiplied by {size}: summed over the {'examples' if size == 'm' else 'steps'} " \
                              "where each enters once"
    if sizes.get("m", 1) > 1 and sizes.get("T", 1) > 1:
        named[1 / (sizes["m"] * sizes["T"])] = "divided by m*T: a mean over the examples and steps where the sum " \
                                               "is needed"
    named.update({-1.0: "negated: it has the wrong sign", 2.0: "twice the right value (a term counted twice?)",
                  0.5: "half the right value"})
    for value, story in named.items():
        if abs(factor - value) <= 1e-6 * max(1.0, abs(value)):
            return f"{name} is {story}"
    return None
