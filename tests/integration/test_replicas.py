"""API replicas as on several machines: separate data folders, one PostgreSQL store, one
shared folder of published indexes. Both load the same snapshot; a write through one is
matched by the other; a generation one process publishes is adopted by both."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DEMO, free_port, wait_ready

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")


def test_two_replicas_share_one_store_and_one_index_snapshot(tmp_path: Path,
                                                             pg_url: str) -> None:
    shared = tmp_path / "shared-index"
    env = {**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING", "QUOTETRACE_RATE_LIMIT": "1000000",
           "QUOTETRACE_DATABASE_URL": pg_url, "QUOTETRACE_INDEX_DIR": str(shared)}
    a_dir, b_dir = tmp_path / "replica-a", tmp_path / "replica-b"
    subprocess.run([QUOTETRACE, "--data-dir", str(a_dir), "ingest", str(DEMO)], env=env,
                   check=True, capture_output=True, timeout=300)
    published = (shared / "index.json").read_text()
    servers, bases = [], []
    try:
        for data in (a_dir, b_dir):
            port = free_port()
            servers.append(subprocess.Popen(
                [QUOTETRACE, "--data-dir", str(data), "serve", "--port", str(port),
                 "--no-job-worker"], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, text=True, start_new_session=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, server in zip(bases, servers, strict=True):
            wait_ready(base, server)
        a, b = (httpx.Client(base_url=u, timeout=30) for u in bases)
        ready = [c.get("/ready").json() for c in (a, b)]
        # One snapshot: both serve the generation the ingest published, and B built none.
        assert ready[0]["generation"] == ready[1]["generation"] != ""
        assert ready[0]["generation"] == json.loads(published)["generation"]
        assert ready[0]["statements"] == ready[1]["statements"] > 0
        assert not (b_dir / "index").exists()
        # A write through A is matched by B within its refresh interval.
        r = a.post("/v1/articles", json={
            "id": "replica-1", "outlet": "Harbour Gazette", "published": "2024-06-02",
            "text": "“The lighthouse museum reopens on the first of July,” said Ilse Marrow, "
                    "the harbour surveyor."})
        assert r.status_code == 201, r.text
        claim = {"claim": "the lighthouse museum reopens on the first of July", "k": 1}
        deadline = time.monotonic() + 30
        while True:
            got = b.post("/v1/match", json=claim).json()
            if got["matches"] and got["matches"][0]["speaker"] == "Ilse Marrow":
                break
            assert time.monotonic() < deadline, got
            time.sleep(0.2)
        assert b.get("/ready").json()["statements"] == ready[0]["statements"] + 1
        # A rebuild published from a third process is adopted by both replicas.
        subprocess.run([QUOTETRACE, "--data-dir", str(tmp_path / "ops"), "reindex"], env=env,
                       check=True, capture_output=True, timeout=300)
        new = (shared / "index.json").read_text()
        assert new != published
        want = json.loads(new)["generation"]
        deadline = time.monotonic() + 30
        while {c.get("/ready").json()["generation"] for c in (a, b)} != {want}:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert {c.get("/ready").json()["statements"] for c in (a, b)} == {
            ready[0]["statements"] + 1}
    finally:
        for s in servers:
            os.killpg(s.pid, signal.SIGTERM)
            s.wait(timeout=60)

