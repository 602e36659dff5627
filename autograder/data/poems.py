"""Tang quatrains (绝句), poem start/end markers, and a character vocabulary.

A *regular quatrain* here is a poem of exactly four lines of the same length, five or seven
characters each, punctuated ``A，B。C，D。``: a full-width comma (U+FF0C) after lines one and three,
an ideographic full stop (U+3002) after lines two and four, and nothing else -- every other
character must be a CJK ideograph. For example, Li Bai's 靜夜思 as the corpus has it
(24 characters)::

    牀前看月光，疑是地上霜。舉頭望山月，低頭思故鄉。

Poems with editorial marks (brackets, the missing-character mark ``□``, notes, spaces,
ASCII ...) are rejected rather than cleaned.

The character-level model of the sampling chapter reads a quatrain wrapped in the markers
:data:`POEM_START` and :data:`POEM_END` (see :func:`mark_poem`), and :class:`CharVocab` maps the
characters to integer ids and back. ``CharVocab`` works for any text, e.g. Tiny Shakespeare.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

__all__ = [
    "POEM_END",
    "POEM_START",
    "CharVocab",
    "UnknownCharError",
    "is_cjk_ideograph",
    "is_quatrain",
    "mark_poem",
    "quatrains",
]

#: Marks the beginning of a poem. Never occurs in the Tang poems corpus.
POEM_START = "^"
#: Marks the end of a poem. Never occurs in the Tang poems corpus (it does occur once in Tiny
#: Shakespeare, so do not reuse these markers there).
POEM_END = "$"

_COMMA = "\uff0c"  # ， FULLWIDTH COMMA
_STOP = "\u3002"  # 。 IDEOGRAPHIC FULL STOP
_LINE_ENDS = (_COMMA, _STOP, _COMMA, _STOP)


@cache
def is_cjk_ideograph(char: str) -> bool:
    """Whether ``char`` (a one-character str) is a CJK ideograph.

    True for the CJK Unified Ideographs (the main block and extensions A, B, ...) and the CJK
    Compatibility Ideographs, as named in Python's Unicode database. False for punctuation,
    radicals, ideographic description characters, private-use characters, ``□`` and so on.
    """
    if len(char) != 1:
        return False
    return unicodedata.name(char, "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def _check_chars_per_line(chars_per_line: int) -> None:
    if chars_per_line not in (5, 7):
        raise ValueError(
            f"chars_per_line must be 5 (五言绝句) or 7 (七言绝句), got {chars_per_line!r}"
        )


def is_quatrain(text: str, chars_per_line: int = 5) -> bool:
    """Whether ``text`` is a regular quatrain ``A，B。C，D。`` with lines of ``chars_per_line``.

    Args:
        text: the whole poem as one string, e.g. ``"".join(poem["paragraphs"])``.
        chars_per_line: 5 or 7.

    Returns:
        True iff ``text`` has exactly ``4 * (chars_per_line + 1)`` characters: four runs of
        ``chars_per_line`` CJK ideographs, each followed by ``，``, ``。``, ``，``, ``。`` in turn.

    Raises:
        ValueError: ``chars_per_line`` is not 5 or 7.
    """
    _check_chars_per_line(chars_per_line)
    step = chars_per_line + 1
    if len(text) != 4 * step:
        return False
    for i, end in enumerate(_LINE_ENDS):
        line = text[i * step : (i + 1) * step]
        if line[-1] != end or not all(is_cjk_ideograph(c) for c in line[:-1]):
            return False
    return True


def quatrains(poems: Iterable[Mapping[str, Any]], chars_per_line: int = 5) -> list[str]:
    """The regular quatrains among ``poems``, each as one string.

    Args:
        poems: poem dicts with a ``"paragraphs"`` list of str, as returned by
            :func:`autograder.data.load_tang_poems`.
        chars_per_line: 5 (五言绝句, 24-character strings) or 7 (七言绝句, 32-character strings).

    Returns:
        A list of str, in the order of ``poems``: the paragraphs of each poem joined with no
        separator, kept only if :func:`is_quatrain` accepts them. Characters are kept as in the
        corpus (traditional). Duplicates in the corpus are kept. On the pinned corpus there are
        3,903 five-character and 10,492 seven-character quatrains.

    Raises:
        ValueError: ``chars_per_line`` is not 5 or 7.
    """
    _check_chars_per_line(chars_per_line)
    found = []
    for poem in poems:
        text = "".join(poem["paragraphs"])
        if is_quatrain(text, chars_per_line):
            found.append(text)
    return found


def mark_poem(text: str) -> str:
    """``text`` wrapped in the markers: ``POEM_START + text + POEM_END``.

    Raises:
        ValueError: ``text`` already contains ``POEM_START`` or ``POEM_END``.
    """
    if POEM_START in text or POEM_END in text:
        raise ValueError(
            f"the poem already contains a marker {POEM_START!r} or {POEM_END!r}: {text!r}"
        )
    return POEM_START + text + POEM_END


class UnknownCharError(KeyError):
    """A character is not in a :class:`CharVocab` (a ``KeyError`` with a readable message)."""

    def __init__(self, char: str, position: int | None = None) -> None:
        super().__init__(char)
        self.char = char
        self.position = position

    def __str__(self) -> str:
        where = f" at position {self.position}" if self.position is not None else ""
        return (
            f"character {self.char!r} (U+{ord(self.char):04X}){where} is not in the vocabulary; "
            "build the vocabulary from texts that include it, or pass unk=... to map unknown "
            "characters to a placeholder"
        )


class CharVocab:
    """A character vocabulary: id ``i`` stands for the one-character string ``itos[i]``.

    Build it with :meth:`from_texts`. Unknown characters raise :class:`UnknownCharError` (a
    ``KeyError``) in :meth:`encode`, unless the vocabulary has an ``unk`` placeholder character, in
    which case they are encoded as its id. There are no multi-character tokens: every symbol,
    markers and placeholder included, is a single character, so ``decode(encode(s)) == s`` for
    every ``s`` made of known characters.

    Attributes:
        itos: list of str, id -> character, ``len(itos) == len(self)``.
        stoi: dict str -> int, character -> id, the inverse of ``itos``.
        unk: the placeholder character for unknown characters, or None (unknown is an error).
    """

    def __init__(self, itos: Sequence[str], unk: str | None = None) -> None:
        """Use ``itos`` as given (id ``i`` is ``itos[i]``); see :meth:`from_texts`.

        Raises:
            ValueError: a symbol is not a single character, symbols repeat, or ``unk`` is given
                but not in ``itos``.
        """
        itos = list(itos)
        for symbol in itos:
            if not isinstance(symbol, str) or len(symbol) != 1:
                raise ValueError(f"vocabulary symbols must be single characters, got {symbol!r}")
        if len(set(itos)) != len(itos):
            raise ValueError("vocabulary symbols must be distinct")
        if unk is not None and unk not in itos:
            raise ValueError(f"the unk symbol {unk!r} is not in the vocabulary")
        self.itos: list[str] = itos
        self.stoi: dict[str, int] = {c: i for i, c in enumerate(itos)}
        self.unk: str | None = unk
        # Sorted code points and their ids, for vectorised encoding with searchsorted.
        codes = np.array([ord(c) for c in itos], dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        self._codes = codes[order]
        self._ids = order.astype(np.int64)

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], extra: Iterable[str] = (), unk: str | None = None
    ) -> CharVocab:
        """The vocabulary of all characters in ``texts``.

        Args:
            texts: strings (e.g. a list of quatrains, or ``[shakespeare_text]``).
            extra: single-character symbols given the first ids, in the given order (e.g.
                ``(POEM_START, POEM_END)``), whether or not they occur in ``texts``.
            unk: optional placeholder character for unknown characters. It is appended to
                ``extra`` if it is not there already (so it gets an id before the text characters).

        Returns:
            A vocabulary with ``itos = list(extra) + sorted(other characters of texts)``
            (sorting is by Unicode code point).
        """
        head = list(extra)
        if unk is not None and unk not in head:
            head.append(unk)
        seen: set[str] = set()
        for text in texts:
            seen.update(text)
        rest = sorted(seen.difference(head))
        return cls(head + rest, unk=unk)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, char: object) -> bool:
        return char in self.stoi

    def __repr__(self) -> str:
        preview = "".join(self.itos[:20])
        more = "..." if len(self.itos) > 20 else ""
        return f"CharVocab({len(self)} symbols: {preview!r}{more}, unk={self.unk!r})"

    def encode(self, text: str) -> np.ndarray:
        """Ids of the characters of ``text``.

        Args:
            text: a str of length T.

        Returns:
            ``np.ndarray`` of shape ``(T,)``, dtype int64, values in ``[0, len(self))``.

        Raises:
            UnknownCharError: a character is not in the vocabulary and there is no ``unk``.
        """
        if not isinstance(text, str):
            raise TypeError(f"encode expects a str, got {type(text).__name__}")
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
        if len(self._codes) == 0:
            ids = np.zeros(len(points), dtype=np.int64)
            known = np.zeros(len(points), dtype=bool)
        else:
            slots = np.minimum(np.searchsorted(self._codes, points), len(self._codes) - 1)
            known = self._codes[slots] == points
            ids = self._ids[slots]
        if not known.all():
            if self.unk is None:
                first = int(np.flatnonzero(~known)[0])
                raise UnknownCharError(text[first], first)
            ids = np.where(known, ids, self.stoi[self.unk])
        return ids.astype(np.int64, copy=False)

    def decode(self, ids: Iterable[int] | np.ndarray) -> str:
        """The string spelled by ``ids``.

        Args:
            ids: integers in ``[0, len(self))``: a 1-D array-like of shape ``(T,)`` (any integer
                dtype), or a plain iterable of ints.

        Returns:
            A str of length T.

        Raises:
            ValueError: ``ids`` is not one-dimensional or not integer.
            IndexError: an id is outside ``[0, len(self))`` (negative ids are not wrapped).
        """
        array = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids))
        if array.size == 0:
            return ""
        if array.ndim != 1:
            raise ValueError(f"decode expects a 1-D sequence of ids, got shape {array.shape}")
        if not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"decode expects integer ids, got dtype {array.dtype}")
        bad = (array < 0) | (array >= len(self.itos))
        if bad.any():
            value = int(array[np.flatnonzero(bad)[0]])
            raise IndexError(f"id {value} is outside the vocabulary [0, {len(self.itos)})")
        return "".join(self.itos[i] for i in array.tolist())
