"""Batch jobs in the database: creation, a crash-safe queue of workers with leases, results."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import msgspec
from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine

from corpora.errors import InvalidRequest, NotFound
from corpora.types import ClaimIn
from index.models import JobItemRow, JobRow

JobState = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: tuple[JobState, ...] = ("done", "failed", "cancelled")
_INSERT_CHUNK = 2000


class _Lost(Exception):
    """The worker no longer holds the job it is writing answers for."""


class JobParams(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What every claim of a job is matched with."""

    k: int = 5
    below: bool = False
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None


class JobError(msgspec.Struct, frozen=True, kw_only=True):
    """A claim that could not be answered."""

    seq: int
    line: int
    id: str | None
    error: str


class JobView(msgspec.Struct, frozen=True, kw_only=True):
    """A job as its owner sees it."""

    id: str
    state: JobState
    total: int
    done: int
    failed: int
    params: JobParams
    source: str | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    attempts: int
    error: str | None
    errors: list[JobError]


class Lease(msgspec.Struct, frozen=True, kw_only=True):
    """A job taken by one worker: it may answer claims from `cursor` on until it loses it."""

    job_id: str
    worker: str
    params: JobParams
    cursor: int  # the seq of the first claim not answered yet


class PendingItem(msgspec.Struct, frozen=True):
    seq: int
    line: int
    claim: ClaimIn


_claim_encoder = msgspec.json.Encoder()
_claim_decoder = msgspec.json.Decoder(ClaimIn)
_params_decoder = msgspec.json.Decoder(JobParams)


def new_job_id() -> str:
    """An unguessable job id (a job is only ever shown to the key that made it)."""
    return uuid.uuid4().hex


class JobStore:
    """The jobs and job_items tables, on the store's engine (SQLite or PostgreSQL).

    A worker takes a job with a lease: `take` picks a queued job, or a running one whose lease
    ran out (its worker died), with `FOR UPDATE SKIP LOCKED` on PostgreSQL and a conditional
    UPDATE on both backends, so that two workers never hold one job. Each batch of answers is
    written in the transaction that moves the job's counters and renews the lease, and only
    while the worker still holds it: a claim is answered once, and a crash loses at most the
    batch in flight, which the next holder answers again from the first unanswered claim.
    """

    def __init__(self, engine: Engine, lease_s: float = 30.0) -> None:
        self.engine = engine
        self.lease_s = lease_s
        self._pg = engine.dialect.name == "postgresql"

    # -- owners ----------------------------------------------------------------------------
    def create(self, owner: str, params: JobParams, claims: Sequence[tuple[int, ClaimIn]],
               source: str | None = None) -> str:
        """Store a job and its claims (with the line each came from) in one transaction."""
        if not claims:
            raise InvalidRequest("the job has no claims")
        job_id = new_job_id()
        jobs, items = JobRow.__table__, JobItemRow.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(jobs.insert().values(
                id=job_id, owner=owner, state="queued", params=msgspec.json.encode(params)
                .decode(), source=source, total=len(claims), done=0, failed=0, attempts=0,
                created_at=time.time()))
            for i in range(0, len(claims), _INSERT_CHUNK):
                conn.execute(items.insert(), [
                    {"job_id": job_id, "seq": i + j, "line": line,
                     "claim": _claim_encoder.encode(c), "result": None, "error": None}
                    for j, (line, c) in enumerate(claims[i:i + _INSERT_CHUNK])])
        return job_id

    def recent(self, owner: str, limit: int = 20) -> list[JobView]:
        """The owner's newest jobs first."""
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(
                sql_select(jobs.c.id).where(jobs.c.owner == owner)
                .order_by(jobs.c.created_at.desc()).limit(limit))]
        return [self.get(i, owner) for i in ids]

    def get(self, job_id: str, owner: str, errors: int = 20) -> JobView:
        """The job, if it belongs to `owner` (another owner's job does not exist for them)."""
        jobs, items = JobRow.__table__, JobItemRow.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            row = conn.execute(sql_select(jobs).where(jobs.c.id == job_id,
                                                      jobs.c.owner == owner)).first()
            if row is None:
                raise NotFound(f"no job with id {job_id[:64]}")
            failed = conn.execute(
                sql_select(items.c.seq, items.c.line, items.c.claim, items.c.error)
                .where(items.c.job_id == job_id, items.c.error.is_not(None))
                .order_by(items.c.seq).limit(errors)).all() if row.failed else []
        return JobView(
            id=row.id, state=row.state, total=row.total, done=row.done, failed=row.failed,
            params=_params_decoder.decode(row.params), source=row.source,
            created_at=row.created_at, started_at=row.started_at, finished_at=row.finished_at,
            attempts=row.attempts, error=row.error,
            errors=[JobError(seq=s, line=ln, id=_claim_decoder.decode(c).id, error=e)
                    for s, ln, c, e in failed])

    def cancel(self, job_id: str, owner: str) -> JobView:
        """Cancel a queued or running job; a finished one is left as it is."""
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(
                jobs.c.id == job_id, jobs.c.owner == owner,
                jobs.c.state.in_(["queued", "running"])).values(
                    state="cancelled", finished_at=time.time(), worker=None, lease_until=None))
        return self.get(job_id, owner)

    def results(self, job_id: str, owner: str, page: int = 1000) -> Iterator[bytes]:
        """The verify-out records answered so far, in claim order (JSON bytes each)."""
        self.get(job_id, owner)
        items = JobItemRow.__table__  # type: ignore[attr-defined]
        after = -1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sql_select(items.c.seq, items.c.result)
                    .where(items.c.job_id == job_id, items.c.seq > after,
                           items.c.result.is_not(None))
                    .order_by(items.c.seq).limit(page)).all()
            for _, result in rows:
                yield bytes(result)
            if len(rows) < page:
                return
            after = rows[-1][0]

    # -- workers ---------------------------------------------------------------------------
    def take(self, worker: str) -> Lease | None:
        """Take the oldest job waiting for a worker, or one whose worker's lease ran out."""
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        now = time.time()
        waiting = or_(jobs.c.state == "queued",
                      and_(jobs.c.state == "running", jobs.c.lease_until < now))
        with self.engine.begin() as conn:
            pick = sql_select(jobs.c.id).where(waiting).order_by(jobs.c.created_at).limit(1)
            if self._pg:
                pick = pick.with_for_update(skip_locked=True)
            found = conn.execute(pick).first()
            if found is None:
                return None
            taken = conn.execute(update(jobs).where(jobs.c.id == found.id, waiting).values(
                state="running", worker=worker, lease_until=now + self.lease_s,
                attempts=jobs.c.attempts + 1,
                started_at=func.coalesce(jobs.c.started_at, now)))
            if taken.rowcount != 1:
                return None  # another worker took it between the two statements (SQLite)
            row = conn.execute(sql_select(jobs.c.params, jobs.c.done, jobs.c.failed)
                               .where(jobs.c.id == found.id)).one()
        return Lease(job_id=found.id, worker=worker, params=_params_decoder.decode(row.params),
                     cursor=row.done + row.failed)

    def pending(self, lease: Lease, n: int) -> list[PendingItem]:
        """The next `n` unanswered claims of the job, from the lease's cursor on."""
        items = JobItemRow.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sql_select(items.c.seq, items.c.line, items.c.claim)
                .where(items.c.job_id == lease.job_id, items.c.seq >= lease.cursor,
                       items.c.result.is_(None), items.c.error.is_(None))
                .order_by(items.c.seq).limit(n)).all()
        return [PendingItem(s, ln, _claim_decoder.decode(c)) for s, ln, c in rows]

    def answer(self, lease: Lease, answers: Sequence[tuple[int, bytes | None, str | None]]
               ) -> Lease | None:
        """Store (seq, verify-out record or None, error or None) for a batch of claims, move
        the counters and renew the lease, in one transaction; None when the worker no longer
        holds the job (cancelled, or taken over), in which case nothing is written.
        """
        jobs, items = JobRow.__table__, JobItemRow.__table__  # type: ignore[attr-defined]
        ok = sum(1 for _, r, _ in answers if r is not None)
        try:
            with self.engine.begin() as conn:
                held = conn.execute(update(jobs).where(
                    jobs.c.id == lease.job_id, jobs.c.worker == lease.worker,
                    jobs.c.state == "running").values(
                        done=jobs.c.done + ok, failed=jobs.c.failed + (len(answers) - ok),
                        lease_until=time.time() + self.lease_s))
                if held.rowcount != 1:
                    raise _Lost
                for seq, result, error in answers:
                    wrote = conn.execute(update(items).where(
                        items.c.job_id == lease.job_id, items.c.seq == seq,
                        items.c.result.is_(None), items.c.error.is_(None)).values(
                            result=result, error=error))
                    if wrote.rowcount != 1:  # answered already: never count a claim twice
                        raise _Lost
        except _Lost:
            return None  # the transaction rolled back: nothing of this batch was written
        last = max(seq for seq, _, _ in answers)
        return msgspec.structs.replace(lease, cursor=last + 1)

    def finish(self, lease: Lease, state: JobState = "done", error: str | None = None) -> bool:
        """Mark the job finished, if this worker still holds it."""
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            done = conn.execute(update(jobs).where(
                jobs.c.id == lease.job_id, jobs.c.worker == lease.worker,
                jobs.c.state == "running").values(
                    state=state, error=error, finished_at=time.time(), lease_until=None))
            return bool(done.rowcount == 1)

    def release(self, lease: Lease, error: str, max_attempts: int) -> JobState | None:
        """Give a job back after an unexpected error: queued again for another try, or failed
        once it has been tried `max_attempts` times. None when the worker no longer held it.
        """
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            row = conn.execute(sql_select(jobs.c.attempts).where(
                jobs.c.id == lease.job_id, jobs.c.worker == lease.worker,
                jobs.c.state == "running")).first()
            if row is None:
                return None
            state: JobState = "failed" if row.attempts >= max_attempts else "queued"
            conn.execute(update(jobs).where(jobs.c.id == lease.job_id).values(
                state=state, error=error, worker=None, lease_until=None,
                finished_at=time.time() if state == "failed" else None))
            return state

    def counts(self) -> dict[str, Any]:
        """How many jobs are in each state."""
        jobs = JobRow.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            rows = conn.execute(sql_select(jobs.c.state, func.count()).group_by(jobs.c.state))
            return {state: int(n) for state, n in rows}

