"""The untrusted side of a check: call a student's function on given inputs and bring back plain data.

This module is self-contained (NumPy and the standard library only) because the sandboxed
grading worker loads it by file path, where the ``autograder`` package -- references, checks,
solutions -- must be neither importable nor readable. Under ``nbgrader autograde`` the same code
runs in the notebook's kernel.

Plain data is what may cross from student code to the grader: ``None``, ``bool``, ``int``,
``float``, ``str``, exact ``numpy.ndarray`` of a numeric dtype, and ``list``, ``tuple`` and
``dict`` (keys ``str``, ``int`` or tuples of them) of plain data. :func:`to_plain` rebuilds every
value as one of these base types, so an ndarray subclass, an object whose ``__eq__`` is always
true, or a lazy object that computes on comparison never reaches the comparison: it either
becomes a plain copy of its data or is rejected as invalid.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import math
import signal
import struct
import threading
import warnings
from dataclasses import dataclass, field

import numpy as np

MAX_ELEMENTS = 20_000_000  # numbers in one output, all arrays together (160 MB of float64)
MAX_ITEMS = 100_000        # list items / dict entries in one output
MAX_DEPTH = 8
MAX_TEXT = 2_000           # characters of captured output kept for the report
NUMERIC_KINDS = "biuf"     # bool, signed, unsigned, float; no complex, object, string


class InvalidOutput(Exception):
    """The value returned is not plain data of an allowed type (the message says where)."""


class CallTimeout(BaseException):
    """Raised inside the student's function when its time is up. A ``BaseException``, so an
    ``except Exception`` in student code does not swallow it."""


@dataclass(frozen=True)
class Rng:
    """An argument that the harness turns into ``numpy.random.default_rng(seed)``."""
    seed: int


@dataclass(frozen=True)
class Fn:
    """An argument that the harness turns into one of the known functions in :data:`FUNCTIONS`,
    e.g. the loss a student's gradient checker is tested with. ``data`` are its fixed inputs."""
    name: str
    data: dict = field(default_factory=dict)


def _quadratic_loss(data):
    """``f(params) = 0.5 * sum_k sum((A_k * theta_k)**2)`` for a dict ``A`` of weights."""
    def f(params):
        return float(sum(0.5 * np.sum((data[k] * params[k]) ** 2) for k in data))
    return f


def _tanh_layer_loss(data):
    """``f(params) = sum(r * tanh(W x + b))``: a one-layer loss with a known gradient."""
    def f(params):
        return float(np.sum(data["r"] * np.tanh(params["W"] @ data["x"] + params["b"])))
    return f


FUNCTIONS = {"quadratic_loss": _quadratic_loss, "tanh_layer_loss": _tanh_layer_loss}


@dataclass
class Outcome:
    """What one call of a student's function produced.

    ``status`` is ``ok`` (returned plain data), ``error`` (raised), ``timeout``, ``memory`` or ``invalid``
    (returned something that is not plain data). ``mutated`` names the arguments the function
    changed in place; ``aliased`` names the returned arrays that share memory with an argument.
    """
    status: str
    value: object = None
    message: str = ""
    mutated: list = field(default_factory=list)
    aliased: list = field(default_factory=list)
    output: str = ""


def one_line(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(value):
    """Turn plain arguments (with :class:`Rng` / :class:`Fn` markers) into fresh call arguments:
    every array is copied, so a function that writes into its inputs cannot touch the grader's."""
    if isinstance(value, Rng):
        return np.random.default_rng(value.seed)
    if isinstance(value, Fn):
        return FUNCTIONS[value.name](build(value.data))
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: build(v) for k, v in value.items()}
    if isinstance(value, list):
        return [build(v) for v in value]
    if isinstance(value, tuple):
        return tuple(build(v) for v in value)
    return value


def arrays_in(value, path="") -> list:
    """``(path, array)`` for every ndarray inside a nested structure (exact base-type walk)."""
    found = []
    if type(value) is np.ndarray or isinstance(value, np.ndarray):
        found.append((path, value))
    elif isinstance(value, dict):
        for k, v in dict.items(value):
            found += arrays_in(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)):
            found += arrays_in(v, f"{path}[{i}]")
    return found


def to_plain(value, path: str = "the result", _budget=None, _depth: int = 0):
    """A copy of ``value`` made of base types only (see the module docstring), or
    :class:`InvalidOutput` naming the offending part."""
    budget = _budget if _budget is not None else {"elements": MAX_ELEMENTS, "items": MAX_ITEMS}
    if _depth > MAX_DEPTH:
        raise InvalidOutput(f"{path} is nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return int(value)
    if kind is float:
        return float(value)
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        if value.dtype.kind not in NUMERIC_KINDS:
            raise InvalidOutput(f"{path} is a numpy {value.dtype} scalar; expected a number")
        return value.item()
    if isinstance(value, np.ndarray):
        if kind is not np.ndarray:
            # a subclass may override comparisons or arithmetic: keep only its numbers
            value = np.ndarray.view(value, np.ndarray)
        if value.dtype.kind not in NUMERIC_KINDS:
            raise InvalidOutput(f"{path} is an array of dtype {value.dtype}; expected numbers "
                                "(float, int or bool)")
        budget["elements"] -= value.size
        if budget["elements"] < 0:
            raise InvalidOutput(f"{path}: the result holds more than {MAX_ELEMENTS:,} numbers")
        return np.array(value, copy=True, subok=False)
    if isinstance(value, dict):
        out = {}
        for k, v in dict.items(value):
            budget["items"] -= 1
            if budget["items"] < 0:
                raise InvalidOutput(f"{path}: the result holds more than {MAX_ITEMS:,} items")
            out[_plain_key(k, path)] = to_plain(v, f"{path}[{k!r}]", budget, _depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        items = list(list.__iter__(value)) if isinstance(value, list) else list(tuple.__iter__(value))
        budget["items"] -= len(items)
        if budget["items"] < 0:
            raise InvalidOutput(f"{path}: the result holds more than {MAX_ITEMS:,} items")
        plain = [to_plain(v, f"{path}[{i}]", budget, _depth + 1) for i, v in enumerate(items)]
        return plain if isinstance(value, list) else tuple(plain)
    raise InvalidOutput(f"{path} is a {kind.__module__}.{kind.__qualname__}; expected a NumPy array, "
                        "a number, or a tuple/list/dict of them")


def _plain_key(key, path):
    kind = type(key)
    if kind in (str, int):
        return kind(key)
    if isinstance(key, np.integer) and kind.__module__ == "numpy":
        return int(key)
    if kind is tuple:
        return tuple(_plain_key(k, path) for k in tuple.__iter__(key))
    raise InvalidOutput(f"{path} has a key of type {kind.__qualname__}; expected str, int or a tuple of them")


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`CallTimeout` in the calling code after ``seconds`` of wall time (main thread
    only; elsewhere the worker's process limits are the backstop)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise CallTimeout(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Capture(io.StringIO):
    """A stdout/stderr replacement that keeps only the first :data:`MAX_TEXT` characters."""

    def write(self, text):
        if self.tell() < MAX_TEXT:
            super().write(str(text)[: MAX_TEXT - self.tell()])
        return len(text)


# Student code may rebind names in builtins or numpy (``builtins.isinstance = ...``,
# ``np.allclose = ...``); the harness restores both after every call, before it reads the result.
_PROTECTED = (builtins, np)
_SNAPSHOTS = [dict(vars(module)) for module in _PROTECTED]


def restore_modules() -> None:
    for module, snapshot in zip(_PROTECTED, _SNAPSHOTS):
        namespace = vars(module)
        # names added since are left alone (NumPy binds its submodules lazily, on first use)
        for name, value in snapshot.items():
            if namespace.get(name, _MISSING) is not value:
                namespace[name] = value


_MISSING = object()


def call(fn, args: tuple = (), kwargs: dict | None = None, timeout: float | None = 10.0) -> Outcome:
    """Call ``fn(*args, **kwargs)`` on fresh copies of the (plain) arguments and return an
    :class:`Outcome`. Never raises for anything the function does: exceptions, timeouts,
    warnings and prints are caught and reported."""
    kwargs = kwargs or {}
    if not callable(fn):
        return Outcome("error", message=f"expected a function, got {type(fn).__name__}")
    call_args, call_kwargs = build(args), build(kwargs)
    inputs = arrays_in((call_args, call_kwargs))
    before = build((args, kwargs))  # a second copy, to see what the function changed in place
    captured = _Capture()
    try:
        try:
            with time_limit(timeout), warnings.catch_warnings(), np.errstate(all="ignore"), \
                    contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                warnings.simplefilter("ignore")
                result = fn(*call_args, **call_kwargs)
        finally:
            restore_modules()
    except CallTimeout as stop:
        return Outcome("timeout", message=one_line(f"the function was stopped: {stop}"),
                       output=captured.getvalue())
    except MemoryError:
        return Outcome("memory", message="ran out of memory (the grader's memory limit)", output=captured.getvalue())
    except RecursionError:
        return Outcome("error", message="raised RecursionError: maximum recursion depth exceeded",
                       output=captured.getvalue())
    except NotImplementedError:
        return Outcome("error", message="raised NotImplementedError: the function is not written yet",
                       output=captured.getvalue())
    except Exception as error:  # anything the student's code raises is reported
        detail = one_line(str(error))
        return Outcome("error", message=f"raised {type(error).__name__}" + (f": {detail}" if detail else ""),
                       output=captured.getvalue())
    except (SystemExit, KeyboardInterrupt, GeneratorExit) as stop:
        return Outcome("error", message=f"raised {type(stop).__name__}; a graded function must return",
                       output=captured.getvalue())
    mutated = [_describe(path) for path in _changed(before, (call_args, call_kwargs))]
    outcome = Outcome("ok", mutated=mutated, output=captured.getvalue())
    try:
        with np.errstate(all="ignore"):
            returned = arrays_in(result, "")
            outcome.aliased = [f"the result{path}" for path, r in returned
                               if any(np.shares_memory(r, a) for _, a in inputs)]
            outcome.value = to_plain(result)
    except InvalidOutput as error:
        return Outcome("invalid", message=one_line(str(error)), output=captured.getvalue())
    except Exception as error:  # a hostile object may raise from anywhere
        return Outcome("invalid", message=one_line(f"the result could not be read: {type(error).__name__}"),
                       output=captured.getvalue())
    return outcome


def _changed(before, after, path: str = "") -> list:
    """Paths where ``after`` (the arguments after the call) differs from ``before`` (a copy made
    before it): arrays written into, lists appended to, dict entries replaced."""
    if isinstance(before, np.ndarray):
        same = (type(after) is np.ndarray and after.shape == before.shape
                and bool(np.array_equal(after, before, equal_nan=before.dtype.kind == "f")))
        return [] if same else [path]
    if isinstance(before, (list, tuple)):
        if type(after) is not type(before) or len(after) != len(before):
            return [path]
        return [p for i, (b, a) in enumerate(zip(before, after)) for p in _changed(b, a, f"{path}[{i}]")]
    if isinstance(before, dict):
        if type(after) is not dict or after.keys() != before.keys():
            return [path]
        return [p for k in before for p in _changed(before[k], after[k], f"{path}[{k!r}]")]
    if before is None or isinstance(before, (bool, int, float, str)):
        return [] if type(after) is type(before) and after == before else [path]
    return []  # a generator or a function argument: its state is the function's to change


def _describe(path: str) -> str:
    """``[0][1]['U']`` -> ``argument 2 ['U']`` (argument numbers count from 1)."""
    if path.startswith("[0]["):
        index, _, rest = path[4:].partition("]")
        return f"argument {int(index) + 1}{rest}"
    if path.startswith("[1]["):
        name, _, rest = path[4:].partition("]")
        return f"argument {name.strip(chr(39))}{rest}"
    return path


def finite(value) -> bool:
    """True when every float in a plain value is finite."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind != "f" or bool(np.isfinite(value).all())
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(finite(v) for v in value)
    return True


# ---------------------------------------------------------------- the wire format
#
# Between the grader and its sandboxed worker, plain data travels as one frame: a JSON document
# in which every array is replaced by {"__array__": [index, dtype, shape]}, followed by the arrays'
# raw bytes, one after the other. Decoding checks every dtype (numbers only) and every byte count
# and copies the numbers into fresh arrays. Nothing is ever unpickled.

MAX_FRAME = 512 * 1024 * 1024


def encode(value) -> bytes:
    """Plain data (with :class:`Rng`/:class:`Fn` markers) -> bytes."""
    arrays: list = []
    document = json.dumps(_encode(value, arrays), allow_nan=False, separators=(",", ":")).encode()
    raw = b"".join(a.tobytes() for a in arrays)
    return struct.pack("<QQ", len(document), len(raw)) + document + raw


def decode(data: bytes):
    """bytes -> plain data; :class:`InvalidOutput` for anything malformed."""
    try:
        n_doc, n_raw = struct.unpack_from("<QQ", data)
        if 16 + n_doc + n_raw != len(data) or len(data) > MAX_FRAME:
            raise InvalidOutput("the reply is truncated or has trailing bytes")
        document = json.loads(data[16:16 + n_doc].decode())
        raw = memoryview(data)[16 + n_doc:]
        state = {"raw": raw, "offset": 0}
        value = _decode(document, state)
        if state["offset"] != n_raw:
            raise InvalidOutput("the reply has bytes that belong to no array")
        return value
    except InvalidOutput:
        raise
    except Exception as error:  # any malformed reply is invalid, never a crash
        raise InvalidOutput(f"the reply could not be read ({type(error).__name__})") from None


def _encode(value, arrays):
    if isinstance(value, Rng):
        return {"__rng__": int(value.seed)}
    if isinstance(value, Fn):
        return {"__fn__": value.name, "data": _encode(value.data, arrays)}
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.ndarray):
        value = value if value.flags.c_contiguous else value.copy(order="C")  # keeps 0-d arrays 0-d
        arrays.append(value)
        return {"__array__": [value.dtype.str, list(value.shape)]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    raise InvalidOutput(f"cannot send a {type(value).__name__}")


def _decode(doc, state, depth: int = 0):
    if depth > MAX_DEPTH + 4:
        raise InvalidOutput("the reply is nested too deeply")
    if doc is None or isinstance(doc, (bool, str, int, float)):
        return doc
    if isinstance(doc, list):
        return [_decode(v, state, depth + 1) for v in doc]
    if not isinstance(doc, dict) or len(doc) not in (1, 2):
        raise InvalidOutput("the reply has an unknown structure")
    key = next(iter(doc))
    if key == "__array__":
        return _array(doc[key], state)
    if key == "__tuple__":
        return tuple(_decode(v, state, depth + 1) for v in doc[key])
    if key == "__dict__":
        return {_key(_decode(k, state, depth + 1)): _decode(v, state, depth + 1) for k, v in doc[key]}
    if key == "__float__":
        return float(doc[key])
    if key == "__rng__":
        return Rng(int(doc[key]))
    if key == "__fn__":
        return Fn(str(doc[key]), _decode(doc["data"], state, depth + 1))
    raise InvalidOutput("the reply has an unknown structure")


def _array(spec, state) -> np.ndarray:
    """The next array of the frame: numeric dtype, non-negative shape, exactly its bytes."""
    dtype_text, shape = spec
    dtype = np.dtype(str(dtype_text))
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise InvalidOutput("the reply holds an array that is not numeric")
    shape = tuple(int(n) for n in shape)
    if any(n < 0 for n in shape) or len(shape) > 32:
        raise InvalidOutput("the reply holds an array of impossible shape")
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    start = state["offset"]
    if start + size > len(state["raw"]):
        raise InvalidOutput("the reply is truncated")
    state["offset"] = start + size
    return np.frombuffer(state["raw"][start:start + size], dtype=dtype).reshape(shape).copy()


def _key(key):
    if isinstance(key, list):
        key = tuple(key)
    if isinstance(key, tuple):
        return tuple(_key(k) for k in key)
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        return key
    raise InvalidOutput("the reply has a dict key that is not a string, integer or tuple")
