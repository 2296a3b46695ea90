"""The job queue on SQLite and PostgreSQL: leases, take-over, cancellation, no answer twice."""

from __future__ import annotations

import threading
import time

import pytest

from corpora.errors import InvalidRequest, NotFound
from corpora.types import ClaimIn
from index.jobs import JobParams, JobStore
from index.store import Store


@pytest.fixture
def jobs(store_url: str) -> JobStore:
    return JobStore(Store(store_url).engine, lease_s=0.5)


def _claims(n: int) -> list[tuple[int, ClaimIn]]:
    return [(i + 2, ClaimIn(claim=f"claim {i}", id=str(i))) for i in range(n)]


def test_a_job_is_taken_answered_and_finished(jobs: JobStore) -> None:
    jid = jobs.create("owner-a", JobParams(k=3), _claims(5), "c.jsonl")
    lease = jobs.take("w1")
    assert lease is not None and lease.cursor == 0 and lease.params.k == 3
    assert jobs.take("w2") is None  # held
    items = jobs.pending(lease, 3)
    assert [i.seq for i in items] == [0, 1, 2] and items[0].claim.id == "0"
    lease2 = jobs.answer(lease, [(0, b'{"n":0}', None), (1, None, "bad claim"),
                                 (2, b'{"n":2}', None)])
    assert lease2 is not None and lease2.cursor == 3
    view = jobs.get(jid, "owner-a")
    assert (view.state, view.done, view.failed, view.total) == ("running", 2, 1, 5)
    assert [(e.line, e.id, e.error) for e in view.errors] == [(3, "1", "bad claim")]
    lease3 = jobs.answer(lease2, [(i.seq, b"{}", None) for i in jobs.pending(lease2, 10)])
    assert lease3 is not None and jobs.pending(lease3, 10) == []
    assert jobs.finish(lease3)
    assert jobs.get(jid, "owner-a").state == "done"
    assert list(jobs.results(jid, "owner-a")) == [b'{"n":0}', b'{"n":2}', b"{}", b"{}"]


def test_another_owner_sees_no_job(jobs: JobStore) -> None:
    jid = jobs.create("owner-a", JobParams(), _claims(1))
    for call in (lambda: jobs.get(jid, "owner-b"), lambda: jobs.cancel(jid, "owner-b"),
                 lambda: list(jobs.results(jid, "owner-b"))):
        with pytest.raises(NotFound):
            call()
    assert jobs.get(jid, "owner-a").state == "queued"
    assert [j.id for j in jobs.recent("owner-a")] == [jid] and jobs.recent("owner-b") == []
    with pytest.raises(InvalidRequest):
        jobs.create("owner-a", JobParams(), [])


def test_a_dead_workers_job_is_taken_over_and_its_late_answers_refused(jobs: JobStore) -> None:
    jid = jobs.create("o", JobParams(), _claims(4))
    old = jobs.take("w-old")
    assert old is not None
    old = jobs.answer(old, [(0, b"0", None), (1, b"1", None)])
    assert old is not None
    time.sleep(0.6)  # the lease runs out: w-old is presumed dead
    new = jobs.take("w-new")
    assert new is not None and new.cursor == 2
    # w-old wakes up and tries to write the batch it was working on: nothing is written.
    assert jobs.answer(old, [(2, b"old", None)]) is None
    assert not jobs.finish(old)
    new = jobs.answer(new, [(2, b"2", None), (3, b"3", None)])
    assert new is not None and jobs.finish(new)
    view = jobs.get(jid, "o")
    assert (view.state, view.done, view.attempts) == ("done", 4, 2)
    assert list(jobs.results(jid, "o")) == [b"0", b"1", b"2", b"3"]


def test_cancel_stops_the_worker(jobs: JobStore) -> None:
    jid = jobs.create("o", JobParams(), _claims(4))
    lease = jobs.take("w")
    assert lease is not None
    assert jobs.cancel(jid, "o").state == "cancelled"
    assert jobs.answer(lease, [(0, b"0", None)]) is None
    assert jobs.take("w2") is None
    assert jobs.cancel(jid, "o").state == "cancelled"  # cancelling again changes nothing
    assert list(jobs.results(jid, "o")) == []


def test_release_queues_again_then_fails(jobs: JobStore) -> None:
    jid = jobs.create("o", JobParams(), _claims(1))
    lease = jobs.take("w")
    assert lease is not None
    assert jobs.release(lease, "boom", max_attempts=2) == "queued"
    lease = jobs.take("w")
    assert lease is not None
    assert jobs.release(lease, "boom again", max_attempts=2) == "failed"
    view = jobs.get(jid, "o")
    assert view.state == "failed" and view.error == "boom again" and jobs.take("w") is None


def test_concurrent_takers_never_share_a_job(jobs: JobStore) -> None:
    # A lease that runs out may be taken over by design; the fixture's half-second lease can
    # run out while four threads contend on a loaded machine, so these takers hold longer.
    jobs = JobStore(jobs.engine, lease_s=60)
    for _ in range(6):
        jobs.create("o", JobParams(), _claims(1))
    taken: list[str] = []
    lock = threading.Lock()

    def taker(name: str) -> None:
        for _ in range(6):
            lease = jobs.take(name)
            if lease is not None:
                with lock:
                    taken.append(lease.job_id)

    threads = [threading.Thread(target=taker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 6 and len(set(taken)) == 6
