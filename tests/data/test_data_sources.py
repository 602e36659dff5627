"""Consistency of the registry of pinned corpus files (no corpora needed)."""

from __future__ import annotations

import re

from autograder.data import SHAKESPEARE, TANG_POEMS, PinnedFile

HEX40 = re.compile(r"[0-9a-f]{40}")
HEX64 = re.compile(r"[0-9a-f]{64}")


def test_shakespeare_entry() -> None:
    assert SHAKESPEARE.repo == "karpathy/char-rnn"
    assert SHAKESPEARE.commit == "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e"
    assert SHAKESPEARE.path == "data/tinyshakespeare/input.txt"
    assert SHAKESPEARE.mirror_path == "char-rnn/tinyshakespeare/input.txt"
    assert SHAKESPEARE.size == 1115394


def test_tang_entries_in_file_number_order() -> None:
    assert len(TANG_POEMS) == 58
    expected = [f"poet.tang.{n}.json" for n in range(0, 58000, 1000)]
    assert [f.name for f in TANG_POEMS] == expected
    for file in TANG_POEMS:
        assert file.repo == "chinese-poetry/chinese-poetry"
        assert file.commit == "99ebbef7e1345c0985c44b9fd96a3f9e776f117b"
        assert file.path == f"全唐诗/{file.name}"
        assert file.mirror_path == f"chinese-poetry/全唐诗/{file.name}"


def test_all_entries_well_formed() -> None:
    files: list[PinnedFile] = [SHAKESPEARE, *TANG_POEMS]
    for file in files:
        assert HEX40.fullmatch(file.commit)
        assert HEX64.fullmatch(file.sha256)
        assert file.size is not None and file.size > 0
    assert len({f.sha256 for f in files}) == len(files)
    assert len({f.mirror_path for f in files}) == len(files)
