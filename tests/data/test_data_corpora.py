"""Tests on the real corpora, read from a mirror folder (marked ``corpus``).

The mirror is ``$AUTOGRADER_DATA_MIRROR`` or, failing that, ``shared/data`` next to the
repository. Without one these tests are skipped, or fail under ``AUTOGRADER_REQUIRE_DATA=1``.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from autograder.data import (
    POEM_END,
    POEM_START,
    CharVocab,
    is_quatrain,
    load_shakespeare,
    load_tang_poems,
    mark_poem,
    quatrains,
)

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def shakespeare(corpus_mirror: Path) -> str:
    return load_shakespeare(mirror=corpus_mirror)


@pytest.fixture(scope="module")
def poems(corpus_mirror: Path) -> list[dict]:
    return load_tang_poems(mirror=corpus_mirror)


def test_shakespeare(shakespeare: str) -> None:
    assert len(shakespeare) == 1115394
    assert shakespeare.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")
    vocab = CharVocab.from_texts([shakespeare])
    assert len(vocab) == 65
    ids = vocab.encode(shakespeare[:5000])
    assert vocab.decode(ids) == shakespeare[:5000]


def test_tang_poems(poems: list[dict]) -> None:
    assert len(poems) == 57607
    assert all(set(p) == {"author", "title", "paragraphs", "id"} for p in poems)
    assert poems[0]["author"] == "太宗皇帝"
    assert poems[0]["paragraphs"][0] == "秦川雄帝宅，函谷壯皇居。"  # traditional characters
    assert len({p["id"] for p in poems}) > 57000


def test_markers_never_occur_in_the_poems(poems: list[dict]) -> None:
    chars: collections.Counter[str] = collections.Counter()
    for poem in poems:
        for line in poem["paragraphs"]:
            chars.update(line)
    assert chars[POEM_START] == 0 and chars[POEM_END] == 0


@pytest.mark.parametrize("chars_per_line, expected", [(5, 3903), (7, 10492)])
def test_quatrain_counts_and_pattern(poems: list[dict], chars_per_line: int, expected: int) -> None:
    found = quatrains(poems, chars_per_line)
    assert len(found) == expected
    assert len(found) > 1000
    n = chars_per_line
    shape = re.compile(
        rf"^([^，。]{{{n}}})，([^，。]{{{n}}})。([^，。]{{{n}}})，([^，。]{{{n}}})。$"
    )
    for text in found:
        assert shape.match(text), text
        assert is_quatrain(text, chars_per_line)
        assert not re.search(r"[\x00-\x7f□○（）《》〖〗「」\[\]{}\s]", text), text


def test_known_quatrain_and_vocabulary(poems: list[dict]) -> None:
    five = quatrains(poems, 5)
    assert "牀前看月光，疑是地上霜。舉頭望山月，低頭思故鄉。" in five  # 李白《靜夜思》
    marked = [mark_poem(q) for q in five]
    vocab = CharVocab.from_texts(marked, extra=(POEM_START, POEM_END))
    assert vocab.itos[:2] == [POEM_START, POEM_END]
    assert 3000 < len(vocab) < 6000
    for text in marked[:200]:
        assert vocab.decode(vocab.encode(text)) == text
