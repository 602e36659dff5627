"""Tests of ``autograder.data.download.fetch`` and the loaders, with small fake files.

No real corpora are needed: registry entries are replaced by fake ones with their own digests.

Downloads go to a loopback HTTP server (see ``conftest.py``); "offline" is a closed loopback port.
"""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path

import pytest

from autograder.data import DataError, download, fetch, load_shakespeare, load_tang_poems, sources
from autograder.data.download import default_cache_dir, file_url

TEXT = b"First Citizen:\nBefore we proceed any further, hear me speak.\n"
POEM_PATH = "全唐诗/poet.tang.0.json"  # non-ASCII: exercises percent-encoding


def _write(root: Path, relative: str, content: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# --- download and cache -----------------------------------------------------------------------


def test_download_then_cache_hit(file_server, clean_data_env: Path) -> None:
    file = file_server.add(POEM_PATH, b"[]")
    path = fetch(file)
    assert path == clean_data_env / file.mirror_path
    assert path.read_bytes() == b"[]"
    assert len(file_server.requests) == 1
    assert "%E5%85%A8" in file_server.requests[0]  # 全 percent-encoded in the request

    again = fetch(file)
    assert again == path
    assert len(file_server.requests) == 1, "a verified cached file must not be downloaded again"


def test_no_temporary_files_left(file_server, clean_data_env: Path) -> None:
    file = file_server.add("data/input.txt", TEXT)
    fetch(file)
    leftovers = [p.name for p in (clean_data_env / "fake" / "data").iterdir()]
    assert leftovers == ["input.txt"]


def test_cache_dir_argument_wins_over_env(file_server, tmp_path: Path, clean_data_env) -> None:
    file = file_server.add("data/input.txt", TEXT)
    path = fetch(file, cache_dir=tmp_path / "elsewhere")
    assert path == tmp_path / "elsewhere" / file.mirror_path
    assert not (clean_data_env / file.mirror_path).exists()


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("AUTOGRADER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "rnn-course"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "rnn-course"


def test_corrupt_cached_file_is_replaced(file_server, clean_data_env: Path) -> None:
    file = file_server.add("data/input.txt", TEXT)
    _write(clean_data_env, file.mirror_path, b"truncated")
    path = fetch(file)
    assert path.read_bytes() == TEXT
    assert len(file_server.requests) == 1


def test_retries_server_errors(file_server) -> None:
    file = file_server.add("data/input.txt", TEXT)
    file_server.fail_next = 2
    assert fetch(file).read_bytes() == TEXT
    assert len(file_server.requests) == 3


def test_gives_up_after_the_last_attempt(file_server, monkeypatch: pytest.MonkeyPatch) -> None:
    file = file_server.add("data/input.txt", TEXT)
    monkeypatch.setattr(download, "DOWNLOAD_ATTEMPTS", 2)
    file_server.fail_next = 5
    with pytest.raises(DataError, match="503"):
        fetch(file)
    assert len(file_server.requests) == 2


def test_not_found_is_not_retried(file_server, make_pinned) -> None:
    file = make_pinned("data/absent.txt", TEXT)  # registered but not served
    with pytest.raises(DataError) as info:
        fetch(file)
    message = str(info.value)
    assert "404" in message and file.mirror_path in message
    assert len(file_server.requests) == 1


# --- errors -----------------------------------------------------------------------------------


def test_checksum_mismatch_of_download(file_server, clean_data_env: Path) -> None:
    file = file_server.add("data/input.txt", TEXT)
    file_server.replace(file, TEXT.replace(b"Citizen", b"Senator"))
    with pytest.raises(DataError) as info:
        fetch(file)
    message = str(info.value)
    assert "checksum mismatch" in message
    assert file.mirror_path in message
    assert file.sha256 in message
    assert "deleted" in message
    folder = clean_data_env / "fake" / "data"
    assert not folder.exists() or not any(folder.iterdir()), "nothing may stay in the cache"


def test_corrupt_cache_and_bad_download(file_server, clean_data_env: Path) -> None:
    file = file_server.add("data/input.txt", TEXT)
    cached = _write(clean_data_env, file.mirror_path, b"old junk")
    file_server.replace(file, b"new junk")
    with pytest.raises(DataError) as info:
        fetch(file)
    message = str(info.value)
    assert "checksum mismatch" in message and "cached copy" in message
    assert not cached.exists()
    assert len(file_server.requests) == 1, "a corrupt cache is re-downloaded once, not more"


def test_offline(make_pinned, clean_data_env: Path) -> None:
    file = make_pinned(POEM_PATH, b"[]")
    with pytest.raises(DataError) as info:
        fetch(file)
    message = str(info.value)
    assert message.startswith(f"could not download {file.mirror_path} from http://127.0.0.1:")
    assert "AUTOGRADER_DATA_MIRROR" in message
    assert "Connect to the internet" in message
    assert isinstance(info.value.__cause__, urllib.error.URLError)
    assert not (clean_data_env / file.mirror_path).exists()


def test_offline_loader_error(make_pinned, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "SHAKESPEARE", make_pinned("data/input.txt", TEXT))
    with pytest.raises(DataError, match="AUTOGRADER_DATA_MIRROR"):
        load_shakespeare()


def test_unwritable_cache(make_pinned, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DataError, match="AUTOGRADER_CACHE_DIR"):
        fetch(make_pinned("data/input.txt", TEXT), cache_dir=blocker)


def test_bad_url_template(make_pinned, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGRADER_DATA_URL", "http://127.0.0.1:1/{owner}/{path}")
    with pytest.raises(DataError, match="AUTOGRADER_DATA_URL"):
        fetch(make_pinned("data/input.txt", TEXT))


def test_default_url_is_pinned_raw_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOGRADER_DATA_URL")
    assert file_url(sources.SHAKESPEARE) == (
        "https://raw.githubusercontent.com/karpathy/char-rnn/"
        "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt"
    )
    assert file_url(sources.TANG_POEMS[0]) == (
        "https://raw.githubusercontent.com/chinese-poetry/chinese-poetry/"
        "99ebbef7e1345c0985c44b9fd96a3f9e776f117b/"
        "%E5%85%A8%E5%94%90%E8%AF%97/poet.tang.0.json"
    )


# --- mirror -----------------------------------------------------------------------------------


def test_mirror_argument_is_read_in_place(file_server, tmp_path, clean_data_env) -> None:
    file = file_server.add("data/input.txt", TEXT)
    mirror = tmp_path / "mirror"
    expected = _write(mirror, file.mirror_path, TEXT)
    assert fetch(file, mirror=mirror) == expected
    assert file_server.requests == []
    assert not clean_data_env.exists(), "a mirror file must not be copied into the cache"


def test_mirror_env_var(file_server, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = file_server.add("data/input.txt", TEXT)
    mirror = tmp_path / "mirror"
    expected = _write(mirror, file.mirror_path, TEXT)
    monkeypatch.setenv("AUTOGRADER_DATA_MIRROR", str(mirror))
    assert fetch(file) == expected
    assert file_server.requests == []


def test_mirror_argument_wins_over_env(make_pinned, tmp_path, monkeypatch) -> None:
    file = make_pinned("data/input.txt", TEXT)
    good = tmp_path / "good"
    expected = _write(good, file.mirror_path, TEXT)
    monkeypatch.setenv("AUTOGRADER_DATA_MIRROR", str(tmp_path / "nowhere"))
    assert fetch(file, mirror=good) == expected


def test_mirror_missing_file(file_server, make_pinned, tmp_path, monkeypatch) -> None:
    file = file_server.add("data/input.txt", TEXT)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("AUTOGRADER_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError) as info:
        fetch(file)
    message = str(info.value)
    assert "missing" in message and file.mirror_path in message
    assert "AUTOGRADER_DATA_MIRROR" in message
    assert file_server.requests == [], "a configured mirror must not fall back to the network"


def test_mirror_not_a_folder(make_pinned, tmp_path) -> None:
    with pytest.raises(DataError, match="not a folder"):
        fetch(make_pinned("data/input.txt", TEXT), mirror=tmp_path / "nowhere")


def test_mirror_corrupt_copy(make_pinned, tmp_path) -> None:
    file = make_pinned("data/input.txt", TEXT)
    mirror = tmp_path / "mirror"
    bad = _write(mirror, file.mirror_path, TEXT + b"extra")
    with pytest.raises(DataError) as info:
        fetch(file, mirror=mirror)
    message = str(info.value)
    assert "checksum mismatch" in message and file.mirror_path in message
    assert file.sha256 in message
    assert bad.exists(), "a mirror is read-only: never delete from it"


# --- loaders with fake registry entries ---------------------------------------------------------


def _poem(i: int, **extra) -> dict:
    return {
        "author": f"author {i}",
        "paragraphs": ["一二三四五，六七八九十。"],
        "title": f"title {i}",
        "id": f"id-{i}",
        **extra,
    }


def test_load_tang_poems_order_and_keys(file_server, monkeypatch) -> None:
    files = []
    for number, poems in [(0, [_poem(0), _poem(1, tags=["x"])]), (1000, [_poem(2, notes=["n"])])]:
        content = json.dumps(poems, ensure_ascii=False).encode("utf-8")
        files.append(file_server.add(f"全唐诗/poet.tang.{number}.json", content))
    monkeypatch.setattr(sources, "TANG_POEMS", tuple(files))
    poems = load_tang_poems()
    assert [p["id"] for p in poems] == ["id-0", "id-1", "id-2"]
    assert all(list(p) == ["author", "title", "paragraphs", "id"] for p in poems)
    assert poems[0]["paragraphs"] == ["一二三四五，六七八九十。"]


def test_load_shakespeare_from_mirror(make_pinned, tmp_path, monkeypatch) -> None:
    file = make_pinned("data/input.txt", TEXT)
    _write(tmp_path / "m", file.mirror_path, TEXT)
    monkeypatch.setattr(sources, "SHAKESPEARE", file)
    assert load_shakespeare(mirror=tmp_path / "m") == TEXT.decode()


def test_corrupt_json(make_pinned, tmp_path, monkeypatch) -> None:
    broken = b'[{"author": "x", "paragraphs": ["a"], '  # verified bytes, broken JSON
    good = json.dumps([_poem(0)]).encode()
    files = (
        make_pinned("全唐诗/poet.tang.0.json", good),
        make_pinned("全唐诗/poet.tang.1000.json", broken),
    )
    for file, content in zip(files, (good, broken), strict=True):
        _write(tmp_path / "m", file.mirror_path, content)
    monkeypatch.setattr(sources, "TANG_POEMS", files)
    with pytest.raises(DataError) as info:
        load_tang_poems(mirror=tmp_path / "m")
    message = str(info.value)
    assert files[1].mirror_path in message and "not valid JSON" in message
    assert "line 1" in message
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize(
    "payload, problem",
    [
        ({"poems": []}, "expected a JSON list"),
        ([["not", "a", "dict"]], "not an object"),
        ([{"author": "a", "title": "t", "id": "i"}], "paragraphs"),
        ([{"author": "a", "title": "t", "id": "i", "paragraphs": "一二三"}], "list of strings"),
    ],
)
def test_unexpected_poem_structure(make_pinned, tmp_path, monkeypatch, payload, problem) -> None:
    content = json.dumps(payload).encode()
    file = make_pinned(POEM_PATH, content)
    _write(tmp_path / "m", file.mirror_path, content)
    monkeypatch.setattr(sources, "TANG_POEMS", (file,))
    with pytest.raises(DataError, match=problem) as info:
        load_tang_poems(mirror=tmp_path / "m")
    assert file.mirror_path in str(info.value)


def test_invalid_utf8(make_pinned, tmp_path, monkeypatch) -> None:
    content = b"\xff\xfe not utf-8"
    file = make_pinned("data/input.txt", content)
    _write(tmp_path / "m", file.mirror_path, content)
    monkeypatch.setattr(sources, "SHAKESPEARE", file)
    with pytest.raises(DataError, match="not valid UTF-8"):
        load_shakespeare(mirror=tmp_path / "m")
