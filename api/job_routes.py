"""Routes of /v1/jobs: batch verification of an uploaded claims file, run by the job workers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    Link,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.params import Parameter
from litestar.response import Stream

from api import schemas
from api.auth import key_id, require
from api.errors import LimitExceeded, TooLarge, Unsupported
from api.settings import Settings
from api.uploads import Format, format_of, read_claims
from corpora.errors import InvalidRequest
from index.jobs import JobParams, JobStore
from index.store import check_date

READ = require("read")
JobId = Annotated[str, Parameter(max_length=64, description="the id POST /v1/jobs gave")]
NDJSON = "application/x-ndjson"


# A claims file is a list of claim-in records: one JSON object per line, or one CSV row each.
_CLAIMS = Schema(type=OpenAPIType.ARRAY, min_items=1,
                 items=Reference(ref="#/components/schemas/BatchClaim"),
                 description="claim-in records, one per line (JSONL) or row (CSV)")


@dataclass
class UploadOperation(Operation):
    """The OpenAPI operation of POST /v1/jobs: its body is a file, not a JSON struct."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(required=True, content={
            NDJSON: OpenAPIMediaType(schema=_CLAIMS),
            "text/csv": OpenAPIMediaType(schema=_CLAIMS),
            "multipart/form-data": OpenAPIMediaType(schema=Schema(
                type=OpenAPIType.OBJECT, required=["file"],
                properties={"file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY,
                                           description="a .jsonl or .csv file of claims")})),
        })
        # Links from the new job to what can be done with it (and what stateful fuzzing
        # follows).
        created = (self.responses or {}).get("202")
        if isinstance(created, OpenAPIResponse):
            by_id = {"job_id": "$response.body#/id"}
            created.links = {name: Link(operation_id=op, parameters=by_id) for name, op in (
                ("GetJob", "get_job"), ("JobResults", "job_results"), ("CancelJob", "cancel_job"))}


def owner_of(request: Request[Any, Any, Any]) -> str:
    """Who a job belongs to: the key that made it (everyone shares one owner without keys)."""
    key = request.headers.get("x-api-key")
    return key_id(key) if key and request.app.state.keyring.enabled else ""


def provide_jobs(request: Request[Any, Any, Any]) -> JobStore:
    jobs: JobStore = request.app.state.jobs
    return jobs


async def _upload(request: Request[Any, Any, Any], settings: Settings
                  ) -> tuple[bytes, Format, str]:
    """(body, format, source name) of a raw JSONL/CSV body or of a form's `file` field."""
    media = request.headers.get("content-type", "")
    if media.split(";")[0].strip().lower() == "multipart/form-data":
        form = await request.form()
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise InvalidRequest("the form has no file field named 'file'")
        data = await part.read()
        fmt = format_of(part.content_type, part.filename)
        name = (part.filename or "upload")[:200]
    else:
        data = await request.body()
        fmt = format_of(media)
        name = "request body"
    if fmt is None:
        raise Unsupported("send claims as application/x-ndjson (JSONL) or text/csv, or as the "
                          "'file' field of a multipart form")
    if len(data) > settings.max_upload_bytes:
        raise TooLarge(f"the upload is {len(data)} bytes; the limit is "
                       f"{settings.max_upload_bytes}")
    return data, fmt, name


def job_handlers(settings: Settings) -> list[Any]:
    """The /v1/jobs handlers, with the upload cap of these settings."""

    @post("/v1/jobs", status_code=202, tags=["jobs"], guards=[READ],
          request_max_body_size=settings.max_upload_bytes, operation_class=UploadOperation,
          summary="Queue a batch of claims",
          description="The body is the claims file itself (`application/x-ndjson` for JSONL, "
                      "`text/csv` for CSV: claim-in records) or a multipart form with a "
                      "`file` field. Answers 202 and a Location to poll.")
    async def create_job(
        request: Request[Any, Any, Any], jobs: JobStore,
        k: int = Parameter(default=5, ge=1, le=1000),
        below: bool = False,
        speaker: str | None = Parameter(default=None, max_length=512),
        outlet: str | None = Parameter(default=None, max_length=512),
        since: str | None = Parameter(default=None, max_length=10),
        until: str | None = Parameter(default=None, max_length=10),
    ) -> Response[schemas.JobCreated]:
        if k > settings.max_k:
            raise LimitExceeded(f"k must be at most {settings.max_k}, got {k}")
        params = JobParams(k=k, below=below, speaker=speaker or None, outlet=outlet or None,
                           since=check_date(since, "since"), until=check_date(until, "until"))
        data, fmt, name = await _upload(request, settings)
        owner = owner_of(request)

        def store() -> tuple[str, int]:
            # Reading 100,000 claims takes about a second: off the event loop, with the write.
            claims = read_claims(data, fmt, name, settings.max_job_claims,
                                 settings.max_claim_chars)
            return jobs.create(owner, params, claims, name), len(claims)

        import anyio.to_thread

        job_id, total = await anyio.to_thread.run_sync(store)
        worker = getattr(request.app.state, "worker", None)
        if worker is not None:
            worker.wake.set()
        return Response(schemas.JobCreated(id=job_id, state="queued", total=total),
                        status_code=202, headers={"Location": f"/v1/jobs/{job_id}"})

    @get("/v1/jobs", sync_to_thread=True, tags=["jobs"], guards=[READ])
    def list_jobs(request: Request[Any, Any, Any], jobs: JobStore,
                  limit: int = Parameter(default=20, ge=1, le=200)) -> schemas.JobList:
        """This key's jobs, newest first."""
        return schemas.JobList(jobs=[schemas.job_out(j)
                                     for j in jobs.recent(owner_of(request), limit)])

    @get("/v1/jobs/{job_id:str}", sync_to_thread=True, tags=["jobs"], guards=[READ],
         operation_id="get_job")
    def get_job(request: Request[Any, Any, Any], job_id: JobId, jobs: JobStore
                ) -> schemas.JobOut:
        """A job's state, progress, failures and timestamps."""
        return schemas.job_out(jobs.get(job_id, owner_of(request)))

    @delete("/v1/jobs/{job_id:str}", status_code=200, sync_to_thread=True, tags=["jobs"],
            guards=[READ], operation_id="cancel_job")
    def cancel_job(request: Request[Any, Any, Any], job_id: JobId, jobs: JobStore
                   ) -> schemas.JobOut:
        """Cancel a queued or running job (the answers given so far are kept)."""
        return schemas.job_out(jobs.cancel(job_id, owner_of(request)))

    @get("/v1/jobs/{job_id:str}/results", sync_to_thread=True, tags=["jobs"], guards=[READ],
         operation_id="job_results",
         description="verify-out JSONL, or CSV (one row per claim, its best match) with "
                     "`Accept: text/csv`. Partial while the job runs.")
    def job_results(request: Request[Any, Any, Any], job_id: JobId, jobs: JobStore
                    ) -> Stream:
        owner = owner_of(request)
        view = jobs.get(job_id, owner)  # 404 before the stream starts
        records = jobs.results(job_id, owner)
        as_csv = "text/csv" in request.headers.get("accept", "")
        headers = {"X-Job-State": view.state, "Content-Disposition":
                   f'attachment; filename="{job_id}.{"csv" if as_csv else "jsonl"}"'}
        if as_csv:
            return Stream(_csv(records), media_type="text/csv; charset=utf-8",
                          headers=headers)
        return Stream((r + b"\n" for r in records), media_type=NDJSON, headers=headers)

    return [create_job, list_jobs, get_job, cancel_job, job_results]


def _csv(records: Iterator[bytes]) -> Iterator[bytes]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(schemas.RESULT_COLUMNS)
    for i, r in enumerate(records):
        w.writerow(schemas.result_row(r))
        if i % 200 == 199:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()

