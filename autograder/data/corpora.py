"""Loaders for the two text corpora of the course: Tiny Shakespeare and the Complete Tang Poems.

Both loaders go through :func:`autograder.data.download.fetch`, so the files come from a mirror
folder, the download cache, or the network (pinned commit, SHA-256 verified), and every problem is
reported as :class:`~autograder.data.download.DataError`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import sources
from .download import DataError, fetch
from .sources import PinnedFile

__all__ = ["load_shakespeare", "load_tang_poems"]

_PathLike = str | os.PathLike[str]

#: The keys of a poem dict returned by :func:`load_tang_poems`.
POEM_KEYS = ("author", "title", "paragraphs", "id")


def _read_text(path: Path, file: PinnedFile) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise DataError(f"could not read {file.mirror_path} at {path}: {exc}.") from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{file.mirror_path} at {path} is not valid UTF-8 ({exc}). Delete the file so that "
            "it is fetched again."
        ) from exc


def load_shakespeare(mirror: _PathLike | None = None, cache_dir: _PathLike | None = None) -> str:
    """The Tiny Shakespeare corpus as one string.

    Args:
        mirror: optional mirror folder (default ``$AUTOGRADER_DATA_MIRROR``), see ``fetch``.
        cache_dir: optional cache folder (default ``$AUTOGRADER_CACHE_DIR`` or
            ``~/.cache/rnn-course``), see ``fetch``.

    Returns:
        The whole file decoded as UTF-8: a ``str`` of 1,115,394 characters (65 distinct, all
        ASCII) beginning with ``"First Citizen:"``. Line ends are ``"\\n"``.

    Raises:
        DataError: the file could not be fetched, verified, or decoded.
    """
    file = sources.SHAKESPEARE
    return _read_text(fetch(file, mirror=mirror, cache_dir=cache_dir), file)


def _poem_or_error(entry: Any, file: PinnedFile, index: int) -> dict[str, Any]:
    problem = None
    if not isinstance(entry, dict):
        problem = f"is a {type(entry).__name__}, not an object"
    elif any(key not in entry for key in POEM_KEYS):
        missing = [key for key in POEM_KEYS if key not in entry]
        problem = f"lacks the key(s) {missing}"
    elif not isinstance(entry["paragraphs"], list) or not all(
        isinstance(line, str) for line in entry["paragraphs"]
    ):
        problem = "has 'paragraphs' that is not a list of strings"
    elif not all(isinstance(entry[key], str) for key in ("author", "title", "id")):
        problem = "has an 'author', 'title' or 'id' that is not a string"
    if problem is not None:
        raise DataError(
            f"unexpected poem format in {file.mirror_path}: entry {index} {problem}. "
            "Delete the file so that it is fetched again."
        )
    return {key: entry[key] for key in POEM_KEYS}


def _load_poem_file(
    file: PinnedFile, mirror: _PathLike | None, cache_dir: _PathLike | None
) -> list[dict[str, Any]]:
    path = fetch(file, mirror=mirror, cache_dir=cache_dir)
    text = _read_text(path, file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{file.mirror_path} at {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}. Delete the file so that it is fetched again."
        ) from exc
    if not isinstance(data, list):
        raise DataError(
            f"unexpected format in {file.mirror_path} at {path}: expected a JSON list of poems, "
            f"got a {type(data).__name__}. Delete the file so that it is fetched again."
        )
    return [_poem_or_error(entry, file, i) for i, entry in enumerate(data)]


def load_tang_poems(
    mirror: _PathLike | None = None, cache_dir: _PathLike | None = None
) -> list[dict[str, Any]]:
    """All poems of the Complete Tang Poems (全唐诗), in traditional characters.

    The 58 files ``poet.tang.0.json`` ... ``poet.tang.57000.json`` are read in file-number order,
    and the poems keep their order within each file.

    Args:
        mirror: optional mirror folder (default ``$AUTOGRADER_DATA_MIRROR``), see ``fetch``.
        cache_dir: optional cache folder, see ``fetch``.

    Returns:
        A list of 57,607 dicts, each with exactly the keys ``"author"`` (str), ``"title"`` (str),
        ``"paragraphs"`` (list of str; usually one couplet per string, e.g.
        ``"秦川雄帝宅，函谷壯皇居。"``) and ``"id"`` (str, a UUID). The optional upstream keys
        ``"tags"`` and ``"notes"`` (present on a few thousand poems) are dropped. Poems are not
        deduplicated: the corpus holds some poems twice.

    Raises:
        DataError: a file could not be fetched or verified, is not valid JSON, or does not have
            the expected structure.
    """
    poems: list[dict[str, Any]] = []
    for file in sources.TANG_POEMS:
        poems.extend(_load_poem_file(file, mirror, cache_dir))
    return poems
