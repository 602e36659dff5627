"""Fixtures for the tests of ``autograder.data``.

* Every test runs with a clean data environment: no mirror, a private cache folder, and a
  download URL pointing at a closed loopback port, so no test can reach the internet by accident.
* ``file_server`` serves a temporary folder over HTTP on 127.0.0.1 (loopback only) and counts
  the requests it receives.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from autograder.data import download
from autograder.data.sources import PinnedFile

FAKE_REPO = "example-owner/example-repo"
FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback TCP port that refuses connections (bound, never listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture(autouse=True)
def clean_data_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, closed_port: int) -> Path:
    """Isolate each test from the user's data settings; returns the test's cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.delenv("AUTOGRADER_DATA_MIRROR", raising=False)
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(cache))
    monkeypatch.setenv(
        "AUTOGRADER_DATA_URL", f"http://127.0.0.1:{closed_port}/{{repo}}/{{commit}}/{{path}}"
    )
    monkeypatch.setattr(download, "RETRY_BACKOFF", 0.0)
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT", 5.0)
    return cache


class FileServer:
    """A threaded HTTP server on 127.0.0.1 serving ``root``, laid out as ``repo/commit/path``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        self.fail_next = 0  # answer this many coming requests with HTTP 503
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if server.fail_next > 0:
                    server.fail_next -= 1
                    self.send_error(503, "try again")
                    return
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(Handler, directory=str(root))
        )
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url_template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{repo}}/{{commit}}/{{path}}"

    def add(self, upstream_path: str, content: bytes, mirror_prefix: str = "fake") -> PinnedFile:
        """Serve ``content`` at ``upstream_path``; return a registry entry with its digest."""
        target = self.root / FAKE_REPO / FAKE_COMMIT / upstream_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return pinned(upstream_path, content, mirror_prefix)

    def replace(self, file: PinnedFile, content: bytes) -> None:
        """Serve different bytes for an already registered file (the digest stays the old one)."""
        (self.root / file.repo / file.commit / file.path).write_bytes(content)


def pinned(upstream_path: str, content: bytes, mirror_prefix: str = "fake") -> PinnedFile:
    """A fake registry entry for ``content`` (its real SHA-256 and size)."""
    return PinnedFile(
        repo=FAKE_REPO,
        commit=FAKE_COMMIT,
        path=upstream_path,
        mirror_path=f"{mirror_prefix}/{upstream_path}",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


@pytest.fixture
def file_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileServer]:
    """A loopback file server; ``AUTOGRADER_DATA_URL`` points at it for the test."""
    root = tmp_path / "served"
    root.mkdir()
    server = FileServer(root)
    server.thread.start()
    monkeypatch.setenv("AUTOGRADER_DATA_URL", server.url_template)
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(timeout=5)


@pytest.fixture
def make_pinned():
    """The ``pinned(upstream_path, content, mirror_prefix="fake")`` helper, as a fixture."""
    return pinned
