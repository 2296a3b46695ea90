"""CLI commands that serve: `serve` and `demo` (load the bundled corpus, then serve)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from importlib import resources
from pathlib import Path

from api.cli.common import ray_option
from api.settings import Settings
from corpora.errors import InvalidRequest

log = logging.getLogger("quotetrace.cli")


def register(sub: argparse._SubParsersAction) -> None:
    for name, helptext in (("serve", "serve the HTTP API"),
                           ("demo", "load the bundled demo corpus, then serve")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=None, help="port (default 8000)")
        p.add_argument("--workers", type=int, default=None,
                       help="worker processes (default 1; use QUOTETRACE_REDIS_URL to share "
                            "rate limits between them)")
        p.add_argument("--no-job-worker", action="store_true",
                       help="run no job worker in-process (run `quotetrace worker` instead)")
        p.set_defaults(func=cmd_serve if name == "serve" else cmd_demo)
    p = sub.add_parser("worker", help="run a job worker: answer the claims of queued jobs")
    p.add_argument("--batch", type=int, default=None,
                   help="claims answered per transaction (default 64; with --ray, 64 per "
                        "actor)")
    p.add_argument("--exit-when-idle", action="store_true",
                   help="stop once no job is queued or running, instead of waiting for more")
    ray_option(p, "answer each batch's claims")
    p.set_defaults(func=cmd_worker)


def demo_files() -> list[Path]:
    """The bundled demo corpus files (articles*.jsonl; claims.jsonl is the labelled claim set)."""
    root = resources.files("corpora") / "demo"
    return sorted(Path(str(p)) for p in root.iterdir()
                  if p.name.startswith("articles") and p.name.endswith(".jsonl"))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serving_settings(args: argparse.Namespace, settings: Settings) -> Settings:
    """Settings for `serve`: flags applied, and localhost only while no API key is configured."""
    import msgspec

    from api.auth import KeyRing

    host = args.host or settings.host
    if not KeyRing(settings.api_keys).enabled and not _loopback(host):
        print(f"quotetrace: no API keys configured (QUOTETRACE_API_KEYS): binding to "
              f"127.0.0.1, not {host}", file=sys.stderr)
        host = "127.0.0.1"
    workers = args.workers or settings.workers
    if workers < 1:
        raise InvalidRequest(f"--workers must be at least 1, got {workers}")
    return msgspec.structs.replace(settings, host=host, port=args.port or settings.port,
                                   workers=workers,
                                   job_worker=settings.job_worker
                                   and not getattr(args, "no_job_worker", False))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from api.observe import use_json_logs

    settings = serving_settings(args, settings)
    use_json_logs(settings.log_level)
    log.info("serving on http://%s:%d with %d worker(s), data in %s", settings.host,
             settings.port, settings.workers, settings.data_dir)
    common = {"host": settings.host, "port": settings.port, "log_config": None,
              "access_log": False, "timeout_graceful_shutdown": 10}
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]
        return 0
    # Create the schema once here, so that the workers never race to create it.
    from index.store import Store

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    Store(settings.store_url).close()
    # Worker processes rebuild the settings from the environment.
    for field in settings.__struct_fields__:
        value = getattr(settings, field)
        if value is not None:
            os.environ[f"QUOTETRACE_{field.upper()}"] = str(value)
    uvicorn.run("api.app:app_from_env", factory=True, workers=settings.workers,
                **common)  # type: ignore[arg-type]
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.cli.ingest import ingest_paths

    ingest_paths(settings, demo_files())
    return cmd_serve(args, settings)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Answer queued jobs until SIGTERM or SIGINT (or, with --exit-when-idle, until no job is
    queued or running).
    """
    import signal
    import threading

    from api.app import build_library
    from index.jobs import JobStore
    from index.worker import JobWorker

    if args.batch is not None and not 1 <= args.batch <= 10_000:
        raise InvalidRequest(f"--batch must be between 1 and 10000, got {args.batch}")
    library = build_library(settings, serving=True)
    matchers = None
    if args.ray:
        from api.cli.ray_verify import RayMatchers

        # The actors answer; this process takes jobs, renews leases and writes the answers
        # in the batch's one transaction, as without Ray.
        matchers = RayMatchers(args.ray, settings)
        worker = JobWorker(library, JobStore(library.store.engine, settings.job_lease),
                           batch=args.batch or 64 * matchers.count,
                           spread=matchers.answer_jobs, spread_chunks=matchers.count)
    else:
        worker = JobWorker(library, JobStore(library.store.engine, settings.job_lease),
                           batch=args.batch or 64)
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("worker: signal %d, stopping after the batch in flight", signum)
        stop.set()
        worker.wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if args.exit_when_idle:
            worker.drain(stop)
        else:
            worker.run(stop)
    finally:
        if matchers is not None:
            matchers.close()
        library.store.close()
    return 0
