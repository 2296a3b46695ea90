"""The Litestar application: lifespan-loaded library, /v1 routes, problem+json errors."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import (
    ValidationException,
)
from litestar.openapi import OpenAPIConfig
from litestar.params import Parameter

from api import jsonld, schemas
from api.auth import KeyRing, key_id, require
from api.errors import HANDLERS, LimitExceeded
from api.job_routes import job_handlers, provide_jobs
from api.limits import make_limiter
from api.observe import RequestLog
from api.pages import page_handlers
from api.settings import Settings
from api.speaker_routes import speaker_handlers
from corpora.errors import ReadError
from corpora.readers import article_from_html, article_from_record
from corpora.types import ClaimIn
from index.jobs import JobStore
from index.matcher import Filters
from index.service import Library
from index.store import check_date

log = logging.getLogger("quotetrace.api")
READ = require("read")
WRITE = require("write")
JSONLD = "application/ld+json"


def provide_library(state: State) -> Library:
    return state.library


def provide_settings(state: State) -> Settings:
    return state.settings


def _filters(speaker: str | None, outlet: str | None, since: str | None,
             until: str | None) -> Filters:
    return Filters(speaker=speaker or None, outlet=outlet or None,
                   since=check_date(since, "since"), until=check_date(until, "until"))


def _check_claims(settings: Settings, claims: list[str], k: int) -> None:
    if k > settings.max_k:
        raise LimitExceeded(f"k must be at most {settings.max_k}, got {k}")
    for c in claims:
        if len(c) > settings.max_claim_chars:
            raise LimitExceeded(
                f"claim is {len(c)} characters long; the limit is {settings.max_claim_chars}")
        if not c.strip():
            raise ValidationException("claim must not be blank")


@get("/health", sync_to_thread=False, tags=["operations"])
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/ready", sync_to_thread=True, tags=["operations"])
def ready(library: Library) -> Response[dict[str, Any]]:
    """Readiness: model and index loaded, database reachable."""
    db = library.store.ping()
    body = {"status": "ready" if db else "unavailable", "database": db,
            "statements": library.snapshot.count, "model": library.embedder.name,
            "process": os.getpid(),
            "generation": library.snapshot.generation.manifest.generation}
    return Response(body, status_code=200 if db else 503)


@post("/v1/match", sync_to_thread=True, status_code=200, tags=["match"], guards=[READ])
def match(data: schemas.MatchRequest, library: Library, settings: Settings) -> schemas.ClaimOut:
    """Match one claim to the stored statements: verdict, sources and highlighted words."""
    _check_claims(settings, [data.claim], data.k)
    # Here `speaker` filters the statements; the speaker a claim names is read from its text.
    claim = ClaimIn(claim=data.claim, id=data.id, date=data.date, context=data.context)
    result = library.match(claim, data.k, _filters(data.speaker, data.outlet, data.since,
                                                   data.until), data.below)
    return schemas.claim_out(result)


@post("/v1/match/batch", sync_to_thread=True, status_code=200, tags=["match"],
      guards=[READ])
def match_batch(data: schemas.BatchRequest, library: Library,
                settings: Settings) -> schemas.BatchOut:
    """Match many claims in one request."""
    if len(data.claims) > settings.max_batch:
        raise LimitExceeded(
            f"batch has {len(data.claims)} claims; the limit is {settings.max_batch}")
    _check_claims(settings, [c.claim for c in data.claims], data.k)
    claims = [ClaimIn(claim=c.claim, id=c.id, speaker=c.speaker, date=c.date, context=c.context)
              for c in data.claims]
    results = library.match_many(claims, data.k, _filters(data.speaker, data.outlet, data.since,
                                                          data.until), data.below)
    return schemas.BatchOut(results=[schemas.claim_out(r) for r in results])


@get("/v1/statements/{statement_id:int}", sync_to_thread=True, tags=["statements"],
     guards=[READ])
def get_statement(statement_id: int, library: Library, request: Request
                  ) -> Response[schemas.StatementOut]:
    """One statement with every article that reported it, earliest first.

    With `Accept: application/ld+json`, the statement as a schema.org `Quotation` (JSON-LD).
    """
    st = library.store.statement(statement_id)
    if "application/ld+json" in request.headers.get("accept", ""):
        page = str(request.base_url).rstrip("/") + f"/statements/{st.id}"
        return Response(jsonld.quotation(st, page), media_type=JSONLD)  # type: ignore[arg-type]
    return Response(schemas.statement_out(st))


@get("/v1/statements", sync_to_thread=True, tags=["statements"], guards=[READ])
def list_statements(
    library: Library,
    speaker: str | None = Parameter(default=None, max_length=512),
    q: str | None = Parameter(default=None, max_length=2000),
    since: str | None = Parameter(default=None, max_length=10),
    until: str | None = Parameter(default=None, max_length=10),
    limit: int = Parameter(default=50, ge=1, le=500),
    offset: int = Parameter(default=0, ge=0, le=10_000_000),
) -> schemas.StatementList:
    """Statements filtered by speaker, words and first-seen date."""
    found = library.store.search(speaker=speaker, q=q, since=check_date(since, "since"),
                                 until=check_date(until, "until"), limit=limit, offset=offset)
    return schemas.StatementList(statements=[schemas.statement_out(s) for s in found])


@get("/v1/speakers", sync_to_thread=True, tags=["statements"], guards=[READ])
def list_speakers(library: Library,
                  q: str | None = Parameter(default=None, max_length=512),
                  limit: int = Parameter(default=50, ge=1, le=500)) -> schemas.SpeakerList:
    """Speakers and how many statements each has."""
    return schemas.SpeakerList(speakers=[schemas.SpeakerOut(name=n, statements=c)
                                         for n, c in library.store.speakers(q, limit)])


@post("/v1/articles", sync_to_thread=True, status_code=201, tags=["ingest"], guards=[WRITE])
def post_article(data: schemas.ArticleRequest, library: Library,
                 request: Request) -> schemas.ArticleOut:
    """Extract the statements in an article and store them; re-posting stores nothing twice.

    With an `Idempotency-Key` header, a retry gets the first answer back; reusing the key for a
    different article is refused.
    """
    idem = request.headers.get("idempotency-key")
    if idem is None:
        return _ingest_article(data, library)
    if not 1 <= len(idem) <= 200:
        raise ValidationException("Idempotency-Key must be 1 to 200 characters")
    scoped = f"{key_id(request.headers.get('x-api-key') or '')}:{idem}"
    digest = hashlib.sha256(msgspec.json.encode(data)).hexdigest()
    prior = library.store.idempotent(scoped)
    if prior is not None:
        if prior[0] != digest:
            raise LimitExceeded("Idempotency-Key was already used for a different article")
        return msgspec.json.decode(prior[1], type=schemas.ArticleOut)
    out = _ingest_article(data, library)
    library.store.remember(scoped, digest, msgspec.json.encode(out))
    return out


def _ingest_article(data: schemas.ArticleRequest, library: Library) -> schemas.ArticleOut:
    record = msgspec.to_builtins(data)
    fmt = record.pop("format", "text")
    try:
        article = article_from_record(record, "request body", None)
        if fmt == "html":
            page = article_from_html(data.text, "request body", data.id, url=data.url)
            given = {k: v for k, v in msgspec.structs.asdict(article).items()
                     if v is not None and k not in ("text", "source")}
            article = msgspec.structs.replace(page, **given)
    except ReadError as e:
        raise ValidationException(e.message) from e
    report = library.ingest([article])[0]
    library.flush(background=True)  # merges in a thread once the delta is large
    ids = report.stored.statement_ids
    items = []
    for sid, a in zip(ids, report.attributions, strict=False):
        items.append(schemas.ExtractedOut(
            statement_id=sid, kind=a.kind, text=a.text, content_spans=a.content_spans,
            speaker=a.speaker.name, speaker_mention=a.speaker.mention, role=a.speaker.role,
            cue=a.cue.text if a.cue else None, via=a.via,
            when=a.when.text if a.when else None, date=a.when.date if a.when else None,
            cue_span=a.cue.span if a.cue else None, speaker_span=a.speaker.mention_span))
    if report.stored.duplicate:
        found = library.store.statements(ids)
        for sid in ids:
            st = found[sid]
            m = st.first
            items.append(schemas.ExtractedOut(
                statement_id=sid, kind=st.kind, text=st.text, content_spans=[],
                speaker=st.speaker, speaker_mention=m.speaker_mention if m else None,
                role=m.role if m else None, cue=m.cue if m else None, via=m.via if m else None,
                when=m.when_text if m else None, date=m.date if m else None))
    return schemas.ArticleOut(article_id=report.stored.article_id,
                              duplicate=report.stored.duplicate, statements=items,
                              text=article.text)


def create_app(settings: Settings, library_factory: Callable[[Settings], Library] | None = None
               ) -> Litestar:
    """Build the app; the library (model, store, index) loads in the lifespan."""
    keys = KeyRing(settings.api_keys)
    limiter = make_limiter(settings.redis_url, settings.rate_limit, settings.rate_window)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        import anyio.to_thread

        if library_factory is not None:
            library = await anyio.to_thread.run_sync(library_factory, settings)
        else:
            library = await anyio.to_thread.run_sync(build_library, settings, True)
            # Load the extractor now, not on the first article posted: that post would wait
            # seconds, and the process's memory would jump by the pipeline's size mid-run.
            await anyio.to_thread.run_sync(warm_extractor, library)
        app.state.library = library
        app.state.jobs = JobStore(library.store.engine, settings.job_lease)
        stop = threading.Event()
        # Each worker process refreshes on its own: others' writes and merges show up within
        # one interval.
        refresher = threading.Thread(target=library.keep_fresh,
                                     args=(stop, settings.refresh_interval),
                                     name="quotetrace-refresh", daemon=True)
        refresher.start()
        worker_thread = None
        if settings.job_worker:
            from index.worker import JobWorker

            app.state.worker = JobWorker(library, app.state.jobs)
            worker_thread = threading.Thread(target=app.state.worker.run, args=(stop,),
                                             name="quotetrace-jobs", daemon=True)
            worker_thread.start()
        log.info("ready: %d statements indexed, database %s", library.snapshot.count,
                 library.store.safe_url)
        if not keys.enabled:
            log.warning("no API keys configured (QUOTETRACE_API_KEYS): every request is "
                        "allowed, so quotetrace serves on localhost only")
        try:
            yield
        finally:
            stop.set()
            await anyio.to_thread.run_sync(refresher.join, 30.0)
            if worker_thread is not None:
                app.state.worker.wake.set()
                await anyio.to_thread.run_sync(worker_thread.join, 30.0)
            await anyio.to_thread.run_sync(library.close)
            library.store.close()

    return Litestar(
        route_handlers=[health, ready, match, match_batch, get_statement, list_statements,
                        list_speakers, post_article, *speaker_handlers(), *job_handlers(settings),
                        *page_handlers()],
        lifespan=[lifespan],
        state=State({"settings": settings, "keyring": keys, "limiter": limiter}),
        cors_config=CORSConfig(allow_origins=settings.origins,
                               allow_methods=["GET", "POST", "DELETE"],
                               allow_headers=["Content-Type", "X-API-Key", "Idempotency-Key",
                                              "X-Request-ID"],
                               expose_headers=["X-Request-ID", "Retry-After", "Location"],
                               max_age=600)
        if settings.origins else None,
        middleware=[RequestLog],
        dependencies={"library": Provide(provide_library, sync_to_thread=False),
                      "settings": Provide(provide_settings, sync_to_thread=False),
                      "jobs": Provide(provide_jobs, sync_to_thread=False)},
        exception_handlers=HANDLERS,
        openapi_config=OpenAPIConfig(title="quotetrace", version="0.1.0",
                                     description="Trace a claim to the statements behind it."),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,  # logging is configured once by the CLI (JSON lines when serving)
    )


def build_library(settings: Settings, serving: bool = False, ray: str | None = None
                  ) -> Library:
    """Open the store, load the embedder and the index: the heavy start-up work."""
    library = make_library(settings, serving, ray=ray)
    library.load()
    return library


def warm_extractor(library: Library) -> None:
    """Load the extraction pipeline and run it once over a sentence of our own, so that what
    it loads lazily (lookup tables, regexes) is in memory before the first request."""
    from corpora.types import Article

    library.extractor.extract(Article(text="“The ferry runs on time,” Ada Quill said on Monday."))


def make_library(settings: Settings, serving: bool = False, embed_processes: int = 1,
                 ray: str | None = None) -> Library:
    """The store and the embedder, with the indexes not loaded yet.

    With `embed_processes` > 1, texts are embedded in that many worker processes (bulk import);
    with `ray`, a Ray cluster's address (`local`, `auto`, `ray://host:port`), on Ray actors.
    On a machine (or cluster) with a CUDA GPU, fp32-vector runtimes embed on it
    (`settings.device`, `index.gpu.pick_device`).
    """
    from index.embedder import Embedder, MiniLM, MiniLMPool
    from index.gpu import pick_device
    from index.store import Store

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Worker processes share the cores: oversubscribed torch threads only slow each other.
    threads = max(1, (os.cpu_count() or 1) // max(1, settings.workers))
    # A server searches one claim at a time per request; FAISS's OpenMP threads cost more than
    # they save there (3.4 ms against 1.4 ms over 19,250 statements on 2 cores). Builds of a
    # large index (training, adding a million vectors) use every core.
    import faiss

    faiss.omp_set_num_threads(1 if serving else threads)
    embedder: Embedder
    if ray is not None:
        from index.raywork import RayEmbedder, connect

        connect(ray)
        embedder = RayEmbedder(runtime=settings.runtime, cache=settings.model_cache,
                               device=settings.device)
    elif pick_device(settings.device, settings.runtime) == "cuda":
        from index.gpu import TorchEncoder

        embedder = TorchEncoder("cuda")
    elif embed_processes > 1:
        embedder = MiniLMPool(embed_processes, runtime=settings.runtime,
                              cache=settings.model_cache)
    else:
        embedder = MiniLM(threads=threads, runtime=settings.runtime,
                          cache=settings.model_cache)
    extractor_factory = None
    if ray is not None:
        from index.raywork import RayExtractor

        extractor_factory = RayExtractor  # made when an ingest first extracts
    return Library(Store(settings.store_url, settings.db_wait), embedder, settings.data_dir,
                   index_dir=settings.indexes,
                   extractor_factory=extractor_factory)  # type: ignore[arg-type]


def app_from_env() -> Litestar:
    """The app of one `serve --workers N` process, configured from QUOTETRACE_* variables."""
    from api.observe import use_json_logs

    settings = Settings.from_env()
    use_json_logs(settings.log_level)
    return create_app(settings)
