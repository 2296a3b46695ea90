"""The database goes away under a running app: 503 with Retry-After, /health up, recovery.

The app reaches PostgreSQL through a TCP proxy the test controls: cutting it drops every open
connection and refuses new ones, as a database that went down does.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from corpora.readers import read_path
from index.service import Library
from index.store import Store
from tests.conftest import DEMO

pytestmark = pytest.mark.slow


class Proxy:
    """A TCP forwarder on loopback that can be cut and restored on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        if self._server is not None:
            try:  # wakes the accepting thread: close() alone would leave it accepting
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
            self._server = None
        with self._lock:
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self._conns.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def proxied(pg_url: str) -> Iterator[tuple[Proxy, str]]:
    parts = urlsplit(pg_url)
    proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else \
        f"127.0.0.1:{proxy.port}"
    yield proxy, urlunsplit(parts._replace(netloc=netloc))
    proxy.cut()


def test_a_database_outage_is_503_with_retry_after_and_recovers(
        tmp_path: Path, proxied: tuple[Proxy, str], embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    proxy, url = proxied
    settings = Settings(data_dir=tmp_path, database_url=url, job_worker=False)

    def factory(s: Settings) -> Library:
        lib = Library(Store(s.store_url), embedder, s.data_dir,
                      extractor_factory=lambda: extractor)
        lib.load()
        lib.ingest(read_path(DEMO))
        return lib

    claim = {"claim": "we have no plans to ration water this summer", "k": 2}
    article = {"text": "“The tunnel opens in June,” said Vera Quist, the city engineer."}
    with TestClient(app=create_app(settings, factory)) as client:
        assert client.post("/v1/match", json=claim).status_code == 200
        proxy.cut()
        for method, path, body in (("POST", "/v1/match", claim),
                                   ("POST", "/v1/articles", article),
                                   ("GET", "/v1/statements/1", None),
                                   ("GET", "/v1/speakers/1", None),
                                   ("GET", "/v1/statements?q=water", None)):
            r = client.request(method, path, json=body)
            assert r.status_code == 503, (path, r.status_code, r.text)
            assert r.headers["retry-after"] == "5"
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "database" in r.json()["detail"]
        assert client.get("/health").status_code == 200
        assert client.get("/ready").status_code == 503
        proxy.restore()
        r = client.post("/v1/match", json=claim)
        assert r.status_code == 200 and r.json()["matches"][0]["speaker"] == "Elena Varga"
        r = client.post("/v1/articles", json=article)
        assert r.status_code == 201, r.text
        assert client.get("/ready").status_code == 200
        # Nothing half-written: the article posted during the outage is not there, the one
        # after it is, once.
        found = client.get("/v1/statements", params={"q": "tunnel opens"}).json()["statements"]
        assert len(found) == 1 and len(found[0]["mentions"]) == 1
