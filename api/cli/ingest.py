"""CLI commands that write: ingest, import, extract (writes nothing) and reindex."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import (
    closing_embedder,
    open_library,
    progress,
    ray_option,
    read_records,
    write_jsonl,
)
from api.settings import Settings
from corpora.errors import Conflict, ReadError, StorageFull
from corpora.readers import expand, read_path
from corpora.types import Article, SpeakerIn, StatementIn
from index.service import IngestReport, Library
from index.store import PendingStatement

if TYPE_CHECKING:
    from index.raywork import RayWriters

BULK = 10_000  # records from which an import embeds in worker processes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract and store the statements in article files")
    p.add_argument("paths", nargs="+", type=Path,
                   help=".jsonl, .json, .txt or .html files or folders")
    ray_option(p, "extract and embed")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("import", help="store already-attributed statements (statement-in JSONL "
                                      "or CSV, or Quotebank's JSON lines)")
    p.add_argument("path", type=Path)
    p.add_argument("--format", choices=["statements", "quotebank"], default="statements",
                   help="statements: statement-in records (default); quotebank: Quotebank's "
                        "quotation-centric .json or .json.bz2, streamed")
    ray_option(p, "embed (and, into PostgreSQL, write)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("extract", help="print the attributions in article files as JSONL")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("reindex", help="rebuild the indexes from the database")
    p.add_argument("--reembed", action="store_true",
                   help="first embed every statement again with the configured model "
                        "(after changing QUOTETRACE_RUNTIME)")
    p.set_defaults(func=cmd_reindex)


def read_articles(paths: list[Path]) -> list[Article]:
    """Every article in the named files and folders, all read before anything is stored."""
    articles: list[Article] = []
    for f in expand(paths):
        articles.extend(read_path(f))
    return articles


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    return ingest_paths(settings, args.paths, args.ray)


def ingest_paths(settings: Settings, paths: list[Path], ray: str | None = None) -> int:
    """Ingest the articles in these files and folders, one acknowledgement line each."""
    articles = read_articles(paths)
    with closing_embedder(open_library(settings, ray=ray)) as library:
        return _ingest(library, articles)


def _ingest(library: Library, articles: list[Article]) -> int:
    new_articles = new_statements = 0
    with progress(len(articles), "ingest") as bar:
        def tick(report: IngestReport) -> None:
            # One line per article once its transaction has committed: an acknowledgement.
            nonlocal new_articles, new_statements
            if not report.stored.duplicate:
                new_articles += 1
            new_statements += len(report.stored.new_ids)
            ack = {"article": report.article.id or report.article.source,
                   "article_id": report.stored.article_id,
                   "statements": report.stored.statement_ids,
                   "duplicate": report.stored.duplicate}
            sys.stdout.write(json.dumps(ack) + "\n")
            sys.stdout.flush()
            bar.update(1)
        library.ingest(articles, progress=tick)
    unpublished = publish(library)
    counts = library.store.counts()
    print(f"ingested {new_articles} new article(s) of {len(articles)}, "
          f"{new_statements} new statement(s); store holds {counts['statements']} statements "
          f"from {counts['articles']} articles", file=sys.stderr)
    return unpublished


def publish(library: Library) -> int:
    """Merge and publish what was stored; on a full disk, say that it is stored all the same
    (serving reads it from the database) and exit 1."""
    try:
        library.flush()
    except StorageFull as e:
        print(f"quotetrace: error: the statements are stored, but {e}", file=sys.stderr)
        return 1
    return 0


@contextmanager
def ray_writers(settings: Settings, ray: str | None) -> Iterator[RayWriters | None]:
    """With Ray and a PostgreSQL store, actors that write an import's batches several at
    once; None otherwise (SQLite takes one writer at a time: the command writes)."""
    if ray is None or not settings.store_url.startswith("postgresql"):
        yield None
        return
    from index.raywork import RayWriters, connect

    connect(ray)
    writers = RayWriters(settings.store_url, settings.db_wait)
    try:
        yield writers
    finally:
        writers.close()


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import make_library

    if args.format == "quotebank":
        return cmd_import_quotebank(args, settings)
    records = read_records(args.path, StatementIn)
    # A large import embeds on every core, in worker processes.
    processes = (os.cpu_count() or 1) if len(records) >= BULK else 1
    with closing_embedder(make_library(settings, embed_processes=processes,
                                       ray=args.ray)) as library, \
            ray_writers(settings, args.ray) as writers:
        library.load()
        # Stored batch by batch; the indexes are built from the database once, at the end.
        stored = library.import_statements(records, index=False, writers=writers)
        unpublished = publish(library)
    print(f"imported {len(records)} record(s): {len(stored.new_ids)} new statement(s)",
          file=sys.stderr)
    return unpublished


def cmd_import_quotebank(args: argparse.Namespace, settings: Settings) -> int:
    """Stream Quotebank quotations into the store, batch by batch; bad lines are skipped and
    named. Importing a file again (after an interruption) stores nothing twice."""
    from api.app import make_library
    from corpora.quotebank import Skipped, read_quotebank
    from index.quotebank import SpeakerQids, pending_from_quotation

    if not args.path.exists():
        raise ReadError(str(args.path), "no such file")
    # A large file embeds on every core, in worker processes.
    big = args.path.stat().st_size > 5_000_000
    skipped = Skipped()
    qids = SpeakerQids()
    quotes = mentions = 0

    def batches() -> Iterator[list[PendingStatement]]:
        nonlocal quotes, mentions
        batch: list[PendingStatement] = []
        for _, q in read_quotebank(args.path, skipped):
            quotes += 1
            qids.add(q)
            batch.extend(pending_from_quotation(q))
            if len(batch) >= 2048:
                mentions += len(batch)
                yield batch
                batch = []
        if batch:
            mentions += len(batch)
            yield batch

    with closing_embedder(make_library(
            settings, embed_processes=(os.cpu_count() or 1) if big else 1,
            ray=args.ray)) as library, ray_writers(settings, args.ray) as writers:
        library.load()
        stored = library.import_pending(batches(), index=False, writers=writers)
        given = qids.records()
        conflicts = give_qids(library, given)
        unpublished = publish(library)
    print(f"imported {quotes} quotation(s), {mentions} mention(s): {len(stored.new_ids)} new "
          f"statement(s); {len(given)} speaker QID(s), {qids.ambiguous} name(s) with "
          f"an ambiguous QID left without, {conflicts} at odds with the registry left as they "
          "are", file=sys.stderr)
    if skipped.count:
        shown = ", ".join(map(str, skipped.lines)) + (", …" if skipped.count > len(
            skipped.lines) else "")
        print(f"skipped {skipped.count} line(s) that are not quotations: {shown}",
              file=sys.stderr)
    return unpublished


def give_qids(library: Library, records: list[SpeakerIn]) -> int:
    """Give speakers their QIDs; returns how many records the registry refused (a name that
    another QID holds already), which are left as they are."""
    try:
        library.import_speakers(records)
        return 0
    except Conflict:
        refused = 0
        for rec in records:
            try:
                library.import_speakers([rec])
            except Conflict:
                refused += 1
        return refused


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from corpora.extract import Extractor, to_record

    articles = read_articles(args.paths)
    extractor = Extractor()

    def records():
        for article, found in zip(articles, extractor.extract_many(articles), strict=True):
            for a in found:
                rec = to_record(a)
                rec["article_id"] = article.id or article.source
                yield rec

    write_jsonl(records(), None)
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import make_library

    # Not loaded first: loading would build an index that this rebuild then replaces.
    library = make_library(settings)
    manifest = library.reembed() if args.reembed else library.reindex()
    print(f"published {manifest.count} vectors (max statement id {manifest.max_statement_id})",
          file=sys.stderr)
    return 0
