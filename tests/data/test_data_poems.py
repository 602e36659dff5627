"""Tests of quatrain selection, poem markers and ``CharVocab`` (small hand-made inputs)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.data import (
    POEM_END,
    POEM_START,
    CharVocab,
    UnknownCharError,
    is_cjk_ideograph,
    is_quatrain,
    mark_poem,
    quatrains,
)

JING_YE_SI = "牀前看月光，疑是地上霜。舉頭望山月，低頭思故鄉。"
SEVEN = "朝辭白帝彩雲間，千里江陵一日還。兩岸猿聲啼不住，輕舟已過萬重山。"


def _poem(*paragraphs: str) -> dict:
    return {"author": "a", "title": "t", "paragraphs": list(paragraphs), "id": "i"}


# --- quatrains --------------------------------------------------------------------------------


def test_accepts_regular_quatrains() -> None:
    assert is_quatrain(JING_YE_SI, 5)
    assert is_quatrain(SEVEN, 7)
    assert not is_quatrain(JING_YE_SI, 7)
    assert not is_quatrain(SEVEN, 5)


@pytest.mark.parametrize(
    "text",
    [
        "牀前看月光，疑是地上霜。舉頭望山月，低頭思故鄉",  # missing final stop
        "牀前看月光。疑是地上霜，舉頭望山月，低頭思故鄉。",  # wrong punctuation pattern
        "牀前看月光，疑是地上霜。舉頭望山月，低頭思故鄉。牀前看月光，疑是地上霜。",  # six lines
        "牀前看月光，疑是地上霜。",  # two lines
        "牀前看月□，疑是地上霜。舉頭望山月，低頭思故鄉。",  # missing-character mark
        "牀前看月光，疑是（地上霜。舉頭望山月，低頭思故鄉。",  # bracket instead of a character
        "牀前看月A，疑是地上霜。舉頭望山月，低頭思故鄉。",  # ASCII
        "牀前看月 ，疑是地上霜。舉頭望山月，低頭思故鄉。",  # space
        "牀前看月光,疑是地上霜。舉頭望山月,低頭思故鄉。",  # ASCII commas
        "牀前看月光，疑是地上霜.舉頭望山月，低頭思故鄉.",  # ASCII stops
        "牀前看月光、疑是地上霜。舉頭望山月、低頭思故鄉。",  # ideographic comma
        "牀前看月光，疑是地上霜？舉頭望山月，低頭思故鄉。",  # question mark
        "牀前看月光光，疑是地上霜。舉頭望山月，低頭思故鄉。",  # uneven lines
        "牀前看月⻊，疑是地上霜。舉頭望山月，低頭思故鄉。",  # a radical, not an ideograph
        "牀前看月\ue829，疑是地上霜。舉頭望山月，低頭思故鄉。",  # private-use character
    ],
)
def test_rejects_irregular(text: str) -> None:
    assert not is_quatrain(text, 5)


def test_ideographs_beyond_the_basic_block() -> None:
    assert is_cjk_ideograph("\u3400")  # extension A
    assert is_cjk_ideograph("\U00020000")  # extension B
    assert is_cjk_ideograph("\uf92c")  # compatibility ideograph
    assert not is_cjk_ideograph("，")
    assert not is_cjk_ideograph("□")
    assert not is_cjk_ideograph("ab")
    rare = "\U00020000" + JING_YE_SI[1:]
    assert is_quatrain(rare, 5)


def test_quatrains_joins_paragraphs_and_filters() -> None:
    poems = [
        _poem("牀前看月光，疑是地上霜。", "舉頭望山月，低頭思故鄉。"),
        _poem(SEVEN[:16], SEVEN[16:]),
        _poem("牀前看月光，疑是地上霜。"),
        _poem("牀前看月光，", "疑是地上霜。舉頭望山月，", "低頭思故鄉。"),
        _poem("〖牀前看月光，疑是地上霜。〗", "舉頭望山月，低頭思故鄉。"),
        _poem(),
    ]
    assert quatrains(poems, 5) == [JING_YE_SI, JING_YE_SI]
    assert quatrains(poems, 7) == [SEVEN]
    assert quatrains(poems) == quatrains(poems, 5)


@pytest.mark.parametrize("bad", [4, 6, 0, "5"])
def test_chars_per_line_must_be_5_or_7(bad) -> None:
    with pytest.raises(ValueError, match="chars_per_line"):
        quatrains([], bad)
    with pytest.raises(ValueError, match="chars_per_line"):
        is_quatrain(JING_YE_SI, bad)


# --- markers ----------------------------------------------------------------------------------


def test_markers() -> None:
    assert len(POEM_START) == 1 and len(POEM_END) == 1 and POEM_START != POEM_END
    marked = mark_poem(JING_YE_SI)
    assert marked == POEM_START + JING_YE_SI + POEM_END
    with pytest.raises(ValueError):
        mark_poem(marked)


# --- CharVocab --------------------------------------------------------------------------------


def test_vocab_from_texts_sorted_with_extra_first() -> None:
    vocab = CharVocab.from_texts(["hello", "world"], extra=(POEM_START, POEM_END))
    assert vocab.itos == [POEM_START, POEM_END, "d", "e", "h", "l", "o", "r", "w"]
    assert len(vocab) == 9
    assert all(vocab.stoi[c] == i for i, c in enumerate(vocab.itos))
    assert "h" in vocab and "z" not in vocab


def test_vocab_extra_already_in_texts_is_not_repeated() -> None:
    vocab = CharVocab.from_texts(["a$b"], extra=("$",))
    assert vocab.itos == ["$", "a", "b"]


def test_encode_decode_round_trip() -> None:
    texts = [mark_poem(JING_YE_SI), mark_poem(SEVEN)]
    vocab = CharVocab.from_texts(texts, extra=(POEM_START, POEM_END))
    for text in texts:
        ids = vocab.encode(text)
        assert ids.dtype == np.int64 and ids.shape == (len(text),)
        assert ids[0] == 0 and ids[-1] == 1
        assert vocab.decode(ids) == text
        assert vocab.decode(ids.tolist()) == text
        assert vocab.decode(ids.astype(np.int32)) == text
    assert vocab.encode("").shape == (0,)
    assert vocab.decode([]) == ""


def test_encode_matches_stoi_for_shakespeare_like_text() -> None:
    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n$3&"
    vocab = CharVocab.from_texts([text])
    assert vocab.itos == sorted(set(text))
    np.testing.assert_array_equal(vocab.encode(text), [vocab.stoi[c] for c in text])


def test_unknown_character_error() -> None:
    vocab = CharVocab.from_texts(["abc"])
    with pytest.raises(KeyError) as info:
        vocab.encode("abXc")
    assert isinstance(info.value, UnknownCharError)
    assert info.value.char == "X" and info.value.position == 2
    message = str(info.value)
    assert "'X'" in message and "U+0058" in message and "not in the vocabulary" in message


def test_unk_placeholder() -> None:
    vocab = CharVocab.from_texts(["abc"], extra=("^",), unk="?")
    assert vocab.itos == ["^", "?", "a", "b", "c"]
    ids = vocab.encode("aXb")
    np.testing.assert_array_equal(ids, [2, 1, 3])
    assert vocab.decode(ids) == "a?b"


def test_decode_rejects_bad_ids() -> None:
    vocab = CharVocab.from_texts(["abc"])
    with pytest.raises(IndexError):
        vocab.decode([0, 3])
    with pytest.raises(IndexError):
        vocab.decode([-1])
    with pytest.raises(ValueError):
        vocab.decode(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValueError):
        vocab.decode(np.array([0.0, 1.0]))


def test_vocab_validation() -> None:
    with pytest.raises(ValueError):
        CharVocab(["a", "a"])
    with pytest.raises(ValueError):
        CharVocab(["ab"])
    with pytest.raises(ValueError):
        CharVocab(["a"], unk="?")
    with pytest.raises(ValueError):
        CharVocab.from_texts(["abc"], extra=("<s>",))
