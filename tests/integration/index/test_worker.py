"""The job worker: bad claims are recorded as failures, unexpected errors retried, then failed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import msgspec

from corpora.errors import InvalidRequest
from corpora.types import ClaimIn
from index import worker as worker_module
from index.jobs import JobParams, JobStore
from index.store import Store
from index.types import ClaimResult
from index.worker import JobWorker


class FakeLibrary:
    """Answers every claim with no_match; refuses claims containing 'bad'; can crash."""

    def __init__(self) -> None:
        self.crash: Exception | None = None
        self.calls: list[int] = []

    def match(self, claim: ClaimIn, k: int, filters: Any, below: bool) -> ClaimResult:
        if "bad" in claim.claim:
            raise InvalidRequest(f"cannot match {claim.claim!r}")
        return ClaimResult(id=claim.id, claim=claim.claim, verdict="no_match", matches=[])

    def match_many(self, claims: list[ClaimIn], k: int, filters: Any, below: bool
                   ) -> list[ClaimResult]:
        if self.crash is not None:
            raise self.crash
        self.calls.append(len(claims))
        return [self.match(c, k, filters, below) for c in claims]


def setup(tmp_path: Path) -> tuple[JobStore, FakeLibrary, JobWorker]:
    jobs = JobStore(Store(f"sqlite:///{tmp_path / 'q.db'}").engine, lease_s=30)
    lib = FakeLibrary()
    return jobs, lib, JobWorker(lib, jobs, batch=4)  # type: ignore[arg-type]


def test_bad_claims_are_failures_with_their_lines(tmp_path: Path) -> None:
    jobs, lib, w = setup(tmp_path)
    claims = [(i + 1, ClaimIn(claim="bad one" if i in (2, 7) else f"claim {i}", id=f"c{i}"))
              for i in range(10)]
    jid = jobs.create("", JobParams(), claims)
    assert w.run_once() and not w.run_once()  # one job, then none
    view = jobs.get(jid, "")
    assert (view.state, view.done, view.failed) == ("done", 8, 2)
    assert [(e.line, e.id) for e in view.errors] == [(3, "c2"), (8, "c7")]
    got = [msgspec.json.decode(r)["id"] for r in jobs.results(jid, "")]
    assert got == [f"c{i}" for i in range(10) if i not in (2, 7)]
    assert lib.calls == [4, 4, 2]  # batches of four; the ones with a bad claim redone singly


def test_an_unexpected_error_is_retried_then_fails_the_job(tmp_path: Path,
                                                          monkeypatch: Any) -> None:
    jobs, lib, w = setup(tmp_path)
    monkeypatch.setattr(worker_module, "MAX_ATTEMPTS", 2)
    jid = jobs.create("", JobParams(), [(1, ClaimIn(claim="x"))])
    lib.crash = RuntimeError("index unreadable")
    assert w.run_once()
    assert jobs.get(jid, "").state == "queued"
    assert w.run_once()
    view = jobs.get(jid, "")
    assert view.state == "failed" and view.error == "RuntimeError: index unreadable"
    assert not w.run_once()


def test_run_stops_when_told(tmp_path: Path) -> None:
    jobs, _, w = setup(tmp_path)
    jid = jobs.create("", JobParams(), [(1, ClaimIn(claim="x"))])
    stop = threading.Event()
    t = threading.Thread(target=w.run, args=(stop,))
    t.start()
    w.wake.set()
    deadline = threading.Event()
    for _ in range(100):
        if jobs.get(jid, "").state == "done":
            break
        deadline.wait(0.05)
    stop.set()
    w.wake.set()
    t.join(5)
    assert not t.is_alive() and jobs.get(jid, "").state == "done"
