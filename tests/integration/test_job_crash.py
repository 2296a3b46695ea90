"""kill -9 a real job worker at random points: the job resumes, no claim lost or answered twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpora.types import ClaimIn
from index.jobs import JobParams, JobStore
from index.store import Store, sqlite_url
from tests.conftest import DEMO

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")
PREFIXES = ["", "Reportedly, ", "They say ", "A post claims ", "Breaking: ", "Quote: ",
            "Rumour has it ", "It was said that ", "Someone wrote ", "Viral: ", "Allegedly ",
            "Word is ", "Apparently ", "An op-ed says ", "A caption reads ", "Overheard: ",
            "Sources say "]
KILLS = 12
BATCH = 8


# A worker answers a few hundred claims a second once warm: the job is long enough for
# KILLS kills to land in it, however fast this machine is.
SUFFIXES = ["", ", a post says", " (reportedly)"]


def claims() -> list[tuple[int, ClaimIn]]:
    demo = [json.loads(line)["claim"] for line in (DEMO.parent / "claims.jsonl").open()]
    out = [f"{p}{c[0].lower() + c[1:] if p else c}{s}" for s in SUFFIXES for p in PREFIXES
           for c in demo]
    return [(i + 1, ClaimIn(claim=c, id=f"c{i}")) for i, c in enumerate(out)]


def worker(data: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [QUOTETRACE, "--data-dir", str(data), "--database-url", url, "worker",
         "--batch", str(BATCH), "--exit-when-idle"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING", "QUOTETRACE_JOB_LEASE": "1"})


def answered(jobs: JobStore, jid: str) -> int:
    view = jobs.get(jid, "")
    return view.done + view.failed


def settled(jobs: JobStore, jid: str) -> int:
    """What a killed worker left answered, once the database is done with it: PostgreSQL
    still commits a transaction whose COMMIT the worker sent just before it died, so a count
    read at once can miss a batch that the results read a moment later hold."""
    last = answered(jobs, jid)
    deadline = time.monotonic() + 10
    while True:
        time.sleep(0.5)
        now = answered(jobs, jid)
        if now == last or time.monotonic() > deadline:
            return now
        last = now


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "d")
    return str(request.getfixturevalue("pg_url"))


def test_killed_worker_resumes_without_losing_or_repeating_a_claim(tmp_path: Path,
                                                                   database: str) -> None:
    data = tmp_path / "d"
    subprocess.run([QUOTETRACE, "--data-dir", str(data), "--database-url", database, "ingest",
                    str(DEMO)], check=True, capture_output=True,
                   env={**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING"})
    store = Store(database)
    jobs = JobStore(store.engine)
    batch = claims()
    params = JobParams(k=3)

    clean = jobs.create("", params, batch, "clean")
    proc = worker(data, database)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    expected = list(jobs.results(clean, ""))
    assert len(expected) == len(batch)

    crashed = jobs.create("", params, batch, "crashed")
    rng = random.Random(11)
    kills = 0
    mid_job = 0  # kills that landed after the worker had taken the job
    points: list[int] = []
    while kills < KILLS:
        proc = worker(data, database)
        before = answered(jobs, crashed)
        if kills % 4 == 3:
            time.sleep(rng.uniform(0.0, 3.0))  # somewhere in start-up, or just after
        else:
            deadline = time.monotonic() + 120
            while answered(jobs, crashed) == before and proc.poll() is None:
                assert time.monotonic() < deadline, "the worker made no progress"
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.3))  # mid-batch, most of the time
            mid_job += 1
        if proc.poll() is not None:
            break  # it finished the job before the kill: the rest of the check still holds
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
        now = settled(jobs, crashed)
        points.append(now)
        # What a kill leaves is whole batches, answered once each, in claim order.
        got = list(jobs.results(crashed, ""))
        assert len(got) == now and (now % BATCH == 0 or now == len(batch))
        assert got == expected[:now]
    print(f"kill points (claims answered when killed): {points} of {len(batch)}")
    assert kills >= 10, f"only {kills} kills landed before the job finished ({points})"
    assert points[-1] < len(batch), "the last kill landed after the end of the job"
    proc = worker(data, database)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    view = jobs.get(crashed, "")
    assert (view.state, view.done, view.failed) == ("done", len(batch), 0)
    assert view.attempts >= mid_job + 1  # each of those took the job again
    got = list(jobs.results(crashed, ""))
    assert [json.loads(r)["id"] for r in got] == [c.id for _, c in batch]
    assert got == expected
    store.close()
