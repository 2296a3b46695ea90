"""The job worker: takes jobs from the queue and answers their claims in batches."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable

import msgspec

from corpora.errors import InputError
from corpora.types import ClaimIn
from index.dberrors import DB_ERRORS, OutageNotice, outage
from index.jobs import JobStore, Lease, PendingItem
from index.matcher import Filters
from index.service import Library

log = logging.getLogger("quotetrace.worker")
MAX_ATTEMPTS = 25  # takes of one job (crashes included) before it is marked failed
Answer = tuple[bytes | None, str | None]  # a claim's encoded result, or why it was refused
# Chunks of claims answered elsewhere (Ray actors), each chunk's answers in order.
Spread = Callable[[list[list[ClaimIn]], int, Filters, bool], Iterable[list[Answer]]]


def worker_name() -> str:
    """A name unique to this worker: host, process and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class JobWorker:
    """Answers jobs' claims with the library's matcher, `batch` claims per transaction."""

    def __init__(self, library: Library, jobs: JobStore, batch: int = 64,
                 poll_s: float = 0.5, name: str | None = None,
                 spread: Spread | None = None, spread_chunks: int = 1) -> None:
        self.library = library
        self.jobs = jobs
        self.batch = batch
        self.poll_s = poll_s
        self.name = name or worker_name()
        self.wake = threading.Event()  # set by the API when it queues a job
        self._outage = OutageNotice(log, f"worker {self.name}")
        # With `spread` (Ray actors), each batch is cut into `spread_chunks` chunks answered
        # elsewhere; the answers are written here, in the batch's one transaction, as always.
        self.spread = spread
        self.spread_chunks = max(1, spread_chunks)

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set; idle, look for a job every `poll_s` seconds."""
        log.info("worker %s started", self.name)
        while not stop.is_set():
            try:
                busy = self.run_once(stop)
                self._outage.over()
            except DB_ERRORS as e:
                detail = outage(e)
                if detail is None:
                    log.exception("worker %s: unexpected database error", self.name)
                else:
                    self._outage.met(detail)
                busy = False
            except Exception:
                log.exception("worker %s: unexpected error; trying again", self.name)
                busy = False
            if not busy:
                self.wake.wait(self.poll_s)
                self.wake.clear()
        log.info("worker %s stopped", self.name)

    def drain(self, stop: threading.Event) -> None:
        """Work until no job is queued or running (or `stop` is set). A running job whose
        worker died comes free when its lease runs out: wait for that rather than leave it.
        """
        while not stop.is_set():
            if self.run_once(stop):
                continue
            counts = self.jobs.counts()
            if not counts.get("queued") and not counts.get("running"):
                return
            stop.wait(self.poll_s)

    def run_once(self, stop: threading.Event | None = None) -> bool:
        """Take one job and work on it until it is done, lost or `stop` is set.

        Returns whether there was a job to take.
        """
        lease = self.jobs.take(self.name)
        if lease is None:
            return False
        log.info("worker %s took job %s at claim %d", self.name, lease.job_id, lease.cursor)
        try:
            self._work(lease, stop)
        except Exception as e:
            log.exception("job %s: unexpected error", lease.job_id)
            state = self.jobs.release(lease, f"{type(e).__name__}: {e}", MAX_ATTEMPTS)
            log.warning("job %s %s after an error", lease.job_id, state or "was lost")
        return True

    def _work(self, lease: Lease, stop: threading.Event | None) -> None:
        held: Lease | None = lease
        p = lease.params
        filters = Filters(speaker=p.speaker, outlet=p.outlet, since=p.since, until=p.until)
        while held is not None:
            if stop is not None and stop.is_set():
                return  # the lease runs out and another worker (or this one, later) goes on
            try:
                items = self.jobs.pending(held, self.batch)
                if not items:
                    self.jobs.finish(held)
                    log.info("job %s done", held.job_id)
                    return
                held = self.jobs.answer(held, self._answers(items, filters, p.k, p.below))
                self._outage.over()
            except DB_ERRORS as e:
                # A database outage is not the job's fault: wait it out holding the lease
                # (no attempt counted), then go on where the last committed batch ended. If
                # the lease ran out meanwhile, `answer` says so and another worker goes on.
                detail = outage(e)
                if detail is None:
                    raise
                self._outage.met(detail)
                (stop or threading.Event()).wait(self.poll_s)
        log.info("job %s: no longer held by %s (cancelled or taken over)", lease.job_id,
                 self.name)

    def _answers(self, items: list[PendingItem], filters: Filters, k: int, below: bool
                 ) -> list[tuple[int, bytes | None, str | None]]:
        claims = [i.claim for i in items]
        if self.spread is None:
            answers = answer_claims(self.library, claims, k, filters, below)
        else:
            size = -(-len(claims) // self.spread_chunks)
            chunks = [claims[i:i + size] for i in range(0, len(claims), size)]
            answers = [a for chunk in self.spread(chunks, k, filters, below) for a in chunk]
        if len(answers) != len(items):
            raise RuntimeError(f"{len(answers)} answers for {len(items)} claims")
        return [(i.seq, result, error) for i, (result, error) in zip(items, answers,
                                                                      strict=True)]


_encode = msgspec.json.Encoder().encode


def answer_claims(library: Library, claims: list[ClaimIn], k: int, filters: Filters,
                  below: bool) -> list[Answer]:
    """(encoded result, None) for each claim, in order, or (None, why) for a claim the matcher
    refuses: the answers a job stores."""
    try:
        results = library.match_many(claims, k, filters, below)
        return [(_encode(r), None) for r in results]
    except InputError:
        pass  # one bad claim: answer them one by one, and record the bad ones
    out: list[Answer] = []
    for c in claims:
        try:
            out.append((_encode(library.match(c, k, filters, below)), None))
        except InputError as e:
            out.append((None, str(e)))
    return out
