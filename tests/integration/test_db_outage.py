"""The database goes away under a running app: 503 with Retry-After, /health up, recovery.

The app reaches PostgreSQL through a TCP proxy the test controls: cutting it drops every open
connection and refuses new ones, as a database that went down does.
"""

from __future__ import annotations

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
from tests.proxy import Proxy

pytestmark = pytest.mark.slow


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
        for r in (client.post("/v1/jobs", content=b'{"claim": "water rationing"}\n',
                              headers={"Content-Type": "application/x-ndjson"}),
                  client.get("/v1/jobs"), client.get("/v1/jobs/j-1")):
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "5"
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


def test_a_locked_sqlite_file_is_503_for_writes_while_reads_go_on(
        tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    settings = Settings(data_dir=tmp_path, job_worker=False, db_wait=0.5)

    def factory(s: Settings) -> Library:
        lib = Library(Store(s.store_url, s.db_wait), embedder, s.data_dir,
                      extractor_factory=lambda: extractor)
        lib.load()
        lib.ingest(read_path(DEMO))
        return lib

    article = {"text": "“The tunnel opens in June,” said Vera Quist, the city engineer."}
    claim = {"claim": "we have no plans to ration water this summer", "k": 2}
    with TestClient(app=create_app(settings, factory)) as client:
        # Another process takes the write lock and keeps it.
        holder = sqlite3.connect(tmp_path / "quotetrace.db", timeout=5)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            r = client.post("/v1/articles", json=article)
            assert r.status_code == 503 and r.headers["retry-after"] == "5", r.text
            # WAL readers are not blocked: matching answers honestly meanwhile.
            assert client.post("/v1/match", json=claim).status_code == 200
        finally:
            holder.rollback()
            holder.close()
        assert client.post("/v1/articles", json=article).status_code == 201
        found = client.get("/v1/statements", params={"q": "tunnel opens"}).json()["statements"]
        assert len(found) == 1 and len(found[0]["mentions"]) == 1


def test_a_job_waits_out_a_database_outage_and_finishes_once(
        tmp_path: Path, proxied: tuple[Proxy, str], embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    import json
    import threading
    import time

    from corpora.types import ClaimIn
    from index.jobs import JobParams, JobStore
    from index.worker import JobWorker

    proxy, url = proxied
    lib = Library(Store(url), embedder, tmp_path, extractor_factory=lambda: extractor)
    lib.load()
    lib.ingest(read_path(DEMO))
    jobs = JobStore(lib.store.engine, lease_s=30)
    n = 240
    claims = [(i + 1, ClaimIn(claim=f"we have no plans to ration water, week {i}", id=str(i)))
              for i in range(n)]
    job = jobs.create("owner", JobParams(k=2), claims, "claims.jsonl")
    worker = JobWorker(lib, jobs, batch=8, poll_s=0.2)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while jobs.get(job, "owner").done < 16:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proxy.cut()  # mid-job: the worker's next batch finds no database
        time.sleep(3)
        proxy.restore()
        while jobs.get(job, "owner").state != "done":
            assert time.monotonic() < deadline, jobs.get(job, "owner")
            time.sleep(0.1)
    finally:
        stop.set()
        worker.wake.set()
        thread.join(30)
    view = jobs.get(job, "owner")
    assert (view.done, view.failed, view.attempts, view.error) == (n, 0, 1, None)
    got = [json.loads(r) for r in jobs.results(job, "owner")]
    assert [r["id"] for r in got] == [str(i) for i in range(n)]  # each claim once, in order
    lib.close()
    lib.store.close()
