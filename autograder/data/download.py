"""``fetch``: a verified local copy of a pinned corpus file (mirror, cache, or download).

:func:`fetch` looks in three places, in this order, and verifies the SHA-256 digest recorded in
:mod:`autograder.data.sources` wherever the bytes come from:

1. **A mirror folder** -- the ``mirror`` argument, else the environment variable
   ``AUTOGRADER_DATA_MIRROR``. The file must be at ``<mirror>/<mirror_path>``. It is read in place
   (never copied). A missing or corrupt file in a configured mirror is an error; there is no silent
   fallback to the network, so that a misconfigured mirror is noticed.
2. **The cache folder** -- the ``cache_dir`` argument, else ``AUTOGRADER_CACHE_DIR``, else
   ``$XDG_CACHE_HOME/rnn-course``, else ``~/.cache/rnn-course``. Files are kept at
   ``<cache>/<mirror_path>``, the mirror layout, so a filled cache can also be used as a mirror.
   A cached file with a wrong digest is deleted and downloaded again (once).
3. **Download** -- from ``https://raw.githubusercontent.com/<repo>/<commit>/<path>`` with
   :mod:`urllib`, a timeout and a few retries. The bytes go to a temporary file in the cache
   folder, are verified, and only then renamed (atomically) to their final name, so an interrupted
   download never leaves a half-written file under the real name.

The download address can be redirected (tests use a local server) by setting the environment
variable ``AUTOGRADER_DATA_URL`` to a template with the fields ``{repo}``, ``{commit}`` and
``{path}`` (the path is percent-encoded), e.g. ``http://127.0.0.1:8000/{repo}/{commit}/{path}``.

Every failure is raised as :class:`DataError`, with a message that names the file, says what went
wrong, and says what to do about it.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import logging
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .sources import PinnedFile

__all__ = [
    "CACHE_ENV",
    "DEFAULT_URL_TEMPLATE",
    "MIRROR_ENV",
    "URL_ENV",
    "DataError",
    "default_cache_dir",
    "fetch",
    "file_url",
    "sha256_of",
]

logger = logging.getLogger(__name__)

#: Environment variable naming a local mirror folder (upstream-like layout, see ``sources``).
MIRROR_ENV = "AUTOGRADER_DATA_MIRROR"
#: Environment variable naming the download cache folder.
CACHE_ENV = "AUTOGRADER_CACHE_DIR"
#: Environment variable overriding :data:`DEFAULT_URL_TEMPLATE`.
URL_ENV = "AUTOGRADER_DATA_URL"

#: Where pinned files are downloaded from; ``{path}`` is substituted percent-encoded.
DEFAULT_URL_TEMPLATE = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

#: Seconds to wait for the server on each attempt (connect and each read).
DOWNLOAD_TIMEOUT = 60.0
#: Number of download attempts before giving up (network errors and HTTP 5xx are retried).
DOWNLOAD_ATTEMPTS = 3
#: Seconds to wait before the second attempt; doubled before each further attempt.
RETRY_BACKOFF = 1.0

_CHUNK = 1 << 20


class DataError(RuntimeError):
    """A corpus file could not be obtained or read.

    The message names the file, says what went wrong and what to do. The low-level cause
    (``OSError``, ``urllib.error.URLError``, ``json.JSONDecodeError`` ...) is chained as
    ``__cause__``.
    """


def _env(name: str) -> str | None:
    """Value of an environment variable, with the empty string treated as unset."""
    value = os.environ.get(name)
    return value if value else None


def default_cache_dir() -> Path:
    """The cache folder used when ``fetch`` gets no ``cache_dir`` argument.

    ``$AUTOGRADER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/rnn-course``, else
    ``~/.cache/rnn-course``. The folder is not created here.
    """
    explicit = _env(CACHE_ENV)
    if explicit is not None:
        return Path(explicit).expanduser()
    xdg = _env("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg is not None else Path.home() / ".cache"
    return base / "rnn-course"


def file_url(file: PinnedFile) -> str:
    """The URL ``file`` is downloaded from (``AUTOGRADER_DATA_URL`` template, if set)."""
    template = _env(URL_ENV) or DEFAULT_URL_TEMPLATE
    try:
        return template.format(
            repo=file.repo,
            commit=file.commit,
            path=urllib.parse.quote(file.path, safe="/"),
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError(
            f"invalid download URL template {template!r} in {URL_ENV}: {exc!r}. "
            "Use only the fields {repo}, {commit} and {path}, or unset the variable."
        ) from exc


def sha256_of(path: Path) -> str:
    """Lowercase hex SHA-256 digest of the bytes of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _digest_or_error(path: Path, file: PinnedFile, where: str) -> str:
    try:
        return sha256_of(path)
    except OSError as exc:
        raise DataError(
            f"could not read {file.mirror_path} from the {where} at {path}: {exc}. "
            "Check that the file is readable."
        ) from exc


def _from_mirror(file: PinnedFile, mirror: Path, source: str) -> Path:
    if not mirror.is_dir():
        raise DataError(
            f"the data mirror {mirror} (from {source}) is not a folder, so {file.mirror_path} "
            f"cannot be read from it. Fix the path, or unset {MIRROR_ENV} / drop the mirror "
            "argument to download the file instead."
        )
    path = mirror / file.mirror_path
    if not path.is_file():
        raise DataError(
            f"{file.mirror_path} is missing from the data mirror {mirror} (from {source}): "
            f"expected it at {path}. Copy it there (upstream: {file.repo} at commit "
            f"{file.commit}, path {file.path}), or unset {MIRROR_ENV} / drop the mirror argument "
            "to download it instead."
        )
    actual = _digest_or_error(path, file, "data mirror")
    if actual != file.sha256:
        raise DataError(
            f"checksum mismatch for {file.mirror_path} in the data mirror {mirror}: expected "
            f"sha256 {file.sha256}, got {actual}. The mirror copy is corrupt or a different "
            f"version (the course pins {file.repo} at commit {file.commit}). Replace it with the "
            f"pinned file, or unset {MIRROR_ENV} / drop the mirror argument to download it."
        )
    return path


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _download_once(url: str, destination: Path) -> None:
    """One HTTP GET of ``url`` into ``destination`` (overwritten)."""
    request = urllib.request.Request(url, headers={"User-Agent": "rnn-course-data/1"})
    with (
        urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response,
        open(destination, "wb") as out,
    ):
        while chunk := response.read(_CHUNK):
            out.write(chunk)


def _download(file: PinnedFile, target: Path, note: str = "") -> None:
    """Download ``file`` to ``target`` via a verified temporary file and an atomic rename."""
    url = file_url(file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise DataError(
            f"could not write {file.mirror_path} to the cache folder {target.parent}: {exc}. "
            f"Set {CACHE_ENV} to a writable folder, or set {MIRROR_ENV} to a folder that holds "
            f"{file.mirror_path}."
        ) from exc
    tmp = Path(tmp_name)
    try:
        last_error: BaseException | None = None
        for attempt in range(max(1, DOWNLOAD_ATTEMPTS)):
            if attempt:
                time.sleep(RETRY_BACKOFF * 2 ** (attempt - 1))
            try:
                logger.info("downloading %s from %s", file.mirror_path, url)
                _download_once(url, tmp)
                last_error = None
                break
            except urllib.error.HTTPError as exc:
                last_error = exc
                if exc.code < 500:  # 404 and friends will not get better by retrying
                    break
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                last_error = exc
        if last_error is not None:
            reason: object = last_error
            if not isinstance(last_error, urllib.error.HTTPError):
                reason = getattr(last_error, "reason", None) or last_error
            raise DataError(
                f"could not download {file.mirror_path} from {url}: {reason}.{note} Connect to "
                f"the internet, or set {MIRROR_ENV} to a folder that holds {file.mirror_path} "
                f"(a copy of {file.path} from {file.repo} at commit {file.commit})."
            ) from last_error
        actual = _digest_or_error(tmp, file, "cache folder")
        if actual != file.sha256:
            raise DataError(
                f"checksum mismatch for {file.mirror_path} downloaded from {url}: expected "
                f"sha256 {file.sha256}, got {actual}. The downloaded file was deleted.{note} "
                f"Try again later; if it keeps failing, set {MIRROR_ENV} to a folder that "
                f"holds a verified copy of {file.mirror_path}."
            )
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise DataError(
                f"could not move the downloaded {file.mirror_path} into place at {target}: "
                f"{exc}. Set {CACHE_ENV} to a writable folder."
            ) from exc
    finally:
        _remove_quietly(tmp)


def fetch(
    file: PinnedFile,
    mirror: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Return the path of a verified local copy of a pinned corpus file.

    Args:
        file: the registry entry, e.g. ``sources.SHAKESPEARE`` or ``sources.TANG_POEMS[0]``.
        mirror: a folder with the mirror layout (``<mirror>/<file.mirror_path>``). Defaults to
            ``$AUTOGRADER_DATA_MIRROR``. When a mirror is in use the file is read there and only
            there.
        cache_dir: the download cache folder. Defaults to :func:`default_cache_dir`.

    Returns:
        Path of a file whose SHA-256 digest equals ``file.sha256``: inside the mirror, or inside
        the cache folder.

    Raises:
        DataError: the mirror lacks the file or holds a corrupt copy; the download failed
            (offline, server unreachable, HTTP error); the downloaded bytes have the wrong digest
            (they are deleted); or the cache folder is not writable.
    """
    if mirror is not None:
        return _from_mirror(file, Path(mirror).expanduser(), "the mirror argument")
    env_mirror = _env(MIRROR_ENV)
    if env_mirror is not None:
        return _from_mirror(file, Path(env_mirror).expanduser(), MIRROR_ENV)

    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    target = cache / file.mirror_path
    note = ""
    if target.is_file():
        if _digest_or_error(target, file, "cache folder") == file.sha256:
            return target
        logger.warning("cached %s has a wrong checksum; deleting it", target)
        try:
            target.unlink()
        except OSError as exc:
            raise DataError(
                f"the cached copy of {file.mirror_path} at {target} has a wrong checksum and "
                f"could not be deleted: {exc}. Delete it by hand, or set {CACHE_ENV} to another "
                "folder."
            ) from exc
        note = f" (The cached copy at {target} had a wrong checksum and was deleted.)"
    _download(file, target, note)
    return target
