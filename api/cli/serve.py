"""CLI commands that serve: `serve` and `demo` (load the bundled corpus, then serve)."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import resources
from pathlib import Path

from api.settings import Settings

log = logging.getLogger("quotetrace.cli")


def register(sub: argparse._SubParsersAction) -> None:
    for name, helptext in (("serve", "serve the HTTP API"),
                           ("demo", "load the bundled demo corpus, then serve")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=None, help="port (default 8000)")
        p.set_defaults(func=cmd_serve if name == "serve" else cmd_demo)


def demo_files() -> list[Path]:
    """The bundled demo corpus files (articles*.jsonl; claims.jsonl is the labelled claim set)."""
    root = resources.files("corpora") / "demo"
    return sorted(Path(str(p)) for p in root.iterdir()
                  if p.name.startswith("articles") and p.name.endswith(".jsonl"))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import msgspec
    import uvicorn

    from api.app import create_app

    settings = msgspec.structs.replace(settings, host=args.host or settings.host,
                                       port=args.port or settings.port)
    print(f"quotetrace serving on http://{settings.host}:{settings.port} "
          f"(data in {settings.data_dir})", file=sys.stderr)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level.lower(), timeout_graceful_shutdown=10)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.cli.ingest import cmd_ingest

    cmd_ingest(argparse.Namespace(paths=demo_files()), settings)
    return cmd_serve(args, settings)
