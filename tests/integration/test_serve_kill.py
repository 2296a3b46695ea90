"""kill -9 of `serve` while clients post articles: what was acknowledged survives, retries with
the same Idempotency-Key get the first answer, and after each restart the index agrees with
the database. With one worker process and with two."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from index.store import Store, sqlite_url
from tests.conftest import free_port, wait_ready

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")
KILLS = 20
PEOPLE = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom", "Farid Noor"]


def article(i: int) -> dict[str, str]:
    who = PEOPLE[i % len(PEOPLE)]
    return {"id": f"k{i}", "outlet": f"Outlet {i % 3}", "published": "2024-05-16",
            "text": f"“The harbour works reach stage {i} this week,” {who} said on Monday.\n"
                    f"{who} said that the dredging would cost {i + 3} million crowns."}


def start(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [QUOTETRACE, "--data-dir", str(data), "serve", "--port", str(port), "--workers",
         str(workers), "--no-job-worker"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, env={**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING",
                                     "QUOTETRACE_RATE_LIMIT": "1000000"})


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server and every worker process it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_of_serve_during_writes_loses_nothing_acknowledged(tmp_path: Path,
                                                                  workers: int) -> None:
    data = tmp_path / "data"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(workers)
    acked: dict[int, dict] = {}  # article number -> the answer the client got
    keyed: set[int] = set()  # articles posted with an Idempotency-Key
    pending: list[int] = []  # posted, no answer before the kill
    cut = 0  # requests a kill cut off
    n = 0
    for _ in range(KILLS):
        proc = start(data, port, workers)
        wait_ready(base, proc)
        with httpx.Client(base_url=base, timeout=30) as client:
            # After the restart the index holds what the database holds.
            if n:
                store = Store(sqlite_url(data))
                held = store.counts()["statements"]
                store.close()
                for _ in range(workers * 2):  # each worker process answers some
                    assert client.get("/ready").json()["statements"] == held
            # What the last kill left unanswered is posted again, with the same key if it had one.
            for i in pending:
                headers = {"Idempotency-Key": f"art-{i}"} if i in keyed else {}
                r = client.post("/v1/articles", json=article(i), headers=headers)
                assert r.status_code == 201, r.text
                acked[i] = r.json()
            pending = []
            # Acknowledged statements are there (a sample each time, all of them at the end).
            for i in rng.sample(sorted(acked), min(20, len(acked))):
                for st in acked[i]["statements"]:
                    assert client.get(f"/v1/statements/{st['statement_id']}").status_code == 200
            # A retry with the key gets the first answer back.
            for i in sorted(keyed & set(acked))[-3:]:
                again = client.post("/v1/articles", json=article(i),
                                    headers={"Idempotency-Key": f"art-{i}"}).json()
                assert again == acked[i]
            deadline = time.monotonic() + rng.uniform(0.2, 1.5)
            stop = threading.Timer(max(0.0, deadline - time.monotonic()), kill, [proc])
            stop.start()
            while proc.poll() is None:
                i, n = n, n + 1
                headers = {}
                if i % 2 == 0:
                    keyed.add(i)
                    headers = {"Idempotency-Key": f"art-{i}"}
                try:
                    r = client.post("/v1/articles", json=article(i), headers=headers)
                except httpx.HTTPError:
                    pending.append(i)
                    cut += 1
                    break
                assert r.status_code == 201, r.text
                acked[i] = r.json()
            stop.join()
        kill(proc)
    # The last restart: the index agrees with the database, and nothing is stored twice.
    proc = start(data, port, workers)
    try:
        wait_ready(base, proc)
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in pending:
                client.post("/v1/articles", json=article(i),
                            headers={"Idempotency-Key": f"art-{i}"} if i in keyed else {})
            ready = client.get("/ready").json()
            for got in acked.values():
                for st in got["statements"]:
                    assert client.get(f"/v1/statements/{st['statement_id']}").status_code == 200
        store = Store(sqlite_url(data))
        counts = store.counts()
        store.close()
        assert ready["statements"] == counts["statements"]
        assert counts["articles"] == n  # every article once, whatever was retried
        print(f"{KILLS} kills, {n} articles posted, {len(acked)} acknowledged, {cut} requests "
              f"cut off by a kill and retried")
        assert len(acked) >= KILLS  # writes were landing between the kills
        assert cut >= KILLS // 2  # most kills landed in the middle of a request
    finally:
        kill(proc)
