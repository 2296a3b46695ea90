"""The `quotetrace` command line: global options and dispatch to one module per command group."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import msgspec
from sqlalchemy.exc import DBAPIError

from api.cli import ingest, query, serve, speakers
from api.settings import Settings
from corpora.errors import InputError, QuotetraceError
from index.dberrors import DB_ERRORS, outage


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotetrace",
        description="Trace a claim to the statements behind it: who said it, which outlet "
                    "reported it, and when.")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder for the SQLite database and the index "
                             "(env QUOTETRACE_DATA_DIR, default ./data)")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL instead of SQLite (env QUOTETRACE_DATABASE_URL)")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="folder of the published indexes, shared by replicas "
                             "(env QUOTETRACE_INDEX_DIR, default DATA_DIR/index)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest.register(sub)
    query.register(sub)
    serve.register(sub)
    speakers.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(data_dir=args.data_dir, database_url=args.database_url,
                                     index_dir=args.index_dir)
    except msgspec.ValidationError as e:
        print(f"quotetrace: error: a QUOTETRACE_* setting is invalid: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("sentence_transformers", "transformers", "faiss", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args, settings) or 0)
    except InputError as e:
        print(f"quotetrace: error: {e}", file=sys.stderr)
        return 2
    except QuotetraceError as e:
        print(f"quotetrace: error: {e}", file=sys.stderr)
        return 1
    except DB_ERRORS as e:
        detail = outage(e)
        if detail is None:
            raise
        cause = e.orig if isinstance(e, DBAPIError) else e
        print(f"quotetrace: error: {detail} ({str(cause).splitlines()[0]})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
