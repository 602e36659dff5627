"""Data for the course: pinned text corpora and synthetic sequence tasks.

Corpora (never committed; fetched from upstream at a pinned commit, SHA-256 checked, cached):

* :func:`load_shakespeare` -- Tiny Shakespeare as one str.
* :func:`load_tang_poems` -- the Complete Tang Poems as a list of poem dicts.

Both read a local mirror folder when ``AUTOGRADER_DATA_MIRROR`` is set (or ``mirror=`` is given),
else the cache (``AUTOGRADER_CACHE_DIR``, default ``~/.cache/rnn-course``), else download. Every
failure raises :class:`DataError` with a message saying what to do.

Text helpers: :func:`quatrains`, :func:`is_quatrain`, :data:`POEM_START`, :data:`POEM_END`,
:func:`mark_poem`, :class:`CharVocab`.

Synthetic tasks (inputs ``(n_x, m, T)`` float64, targets int64, all from an explicit
``numpy.random.Generator``): :func:`binary_addition`, :func:`bits_to_int`,
:func:`adding_problem`, :func:`copy_task`, :func:`reber_strings`, :func:`is_reber`,
:data:`REBER_ALPHABET`.
"""

from .corpora import load_shakespeare, load_tang_poems
from .download import DataError, default_cache_dir, fetch, file_url
from .poems import (
    POEM_END,
    POEM_START,
    CharVocab,
    UnknownCharError,
    is_cjk_ideograph,
    is_quatrain,
    mark_poem,
    quatrains,
)
from .sources import SHAKESPEARE, TANG_POEMS, PinnedFile
from .synthetic import (
    REBER_ALPHABET,
    adding_problem,
    binary_addition,
    bits_to_int,
    copy_task,
    is_reber,
    reber_strings,
)

__all__ = [
    "POEM_END",
    "POEM_START",
    "REBER_ALPHABET",
    "SHAKESPEARE",
    "TANG_POEMS",
    "CharVocab",
    "DataError",
    "PinnedFile",
    "UnknownCharError",
    "adding_problem",
    "binary_addition",
    "bits_to_int",
    "copy_task",
    "default_cache_dir",
    "fetch",
    "file_url",
    "is_cjk_ideograph",
    "is_quatrain",
    "is_reber",
    "load_shakespeare",
    "load_tang_poems",
    "mark_poem",
    "quatrains",
    "reber_strings",
]
