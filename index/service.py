"""The library: store, embedder, extractor and indexes composed behind one service object."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corpora.types import Article, Attribution, ClaimIn, StatementIn
from index.claims import parse_claim
from index.embedder import Embedder
from index.lexical import LexicalIndex
from index.matcher import ClaimQuery, Filters, Matcher, Snapshot, claim_day
from index.store import (
    PendingStatement,
    Store,
    Stored,
    pending_from_attributions,
    pending_from_import,
)
from index.types import ClaimResult
from index.vectors import Manifest, VectorIndex

if TYPE_CHECKING:
    from corpora.extract import Extractor

log = logging.getLogger("quotetrace.index")


@dataclass(frozen=True)
class IngestReport:
    """What ingesting one article did."""

    article: Article
    attributions: list[Attribution]
    stored: Stored


class Library:
    """Everything a surface needs: ingest, import, match, reindex.

    The database is the source of truth. The vector and lexical indexes are caches rebuilt or
    caught up from it at load, swapped whole after each write and published atomically.
    """

    def __init__(self, store: Store, embedder: Embedder, data_dir: Path,
                 matcher: Matcher | None = None,
                 extractor_factory: Callable[[], Extractor] | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.index_dir = data_dir / "index"
        self.matcher = matcher or Matcher()
        self._extractor_factory = extractor_factory
        self._extractor: Extractor | None = None
        self._write_lock = threading.Lock()
        self._unpublished = 0
        self._last_refresh = 0.0
        self.snapshot = Snapshot(VectorIndex(embedder.dim), LexicalIndex())

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        """Load the published index, catch it up with the database, build the lexical index."""
        self._embed_missing()
        loaded = VectorIndex.load(self.index_dir, self.embedder.name, self.embedder.dim)
        caught = self._catch_up(loaded[0]) if loaded else None
        if caught is None:
            if loaded:
                log.warning("published index holds statements the database lacks: rebuilding")
            vectors = self._build_vectors()
        else:
            vectors = caught[0]
        self.snapshot = Snapshot.build(vectors, (d for b in self.store.iter_docs() for d in b))
        if loaded is None or vectors.count != loaded[1].count:
            self.publish()

    def _catch_up(self, vectors: VectorIndex) -> tuple[VectorIndex, list[int]] | None:
        """Add what the database holds beyond `vectors`; None when `vectors` holds too much.

        Ids above the index's highest come first; a count mismatch then finds the gaps that
        transactions committing out of id order (another process, PostgreSQL) can leave.
        """
        added: list[int] = []
        for ids, vecs in self.store.iter_embeddings(after_id=vectors.max_id):
            vectors = vectors.with_added(ids, vecs)
            added.extend(int(i) for i in ids)
        stored = self.store.counts()["statements"]
        if vectors.count > stored:
            return None
        if vectors.count < stored:
            have = vectors.ids()
            missing = [i for i in self.store.statement_ids() if i not in have]
            ids, vecs = self.store.embeddings(missing)
            vectors = vectors.with_added(ids, vecs)
            added.extend(int(i) for i in ids)
        return vectors, added

    def refresh(self, min_interval: float = 1.0) -> None:
        """See statements other processes committed (CLI ingest, other workers), at most once
        per `min_interval` seconds; never waits for a write in progress here.
        """
        now = time.monotonic()
        if now - self._last_refresh < min_interval:
            return
        self._last_refresh = now
        if not self._write_lock.acquire(blocking=False):
            return
        try:
            snap = self.snapshot
            caught = self._catch_up(snap.vectors)
            if caught is None or not caught[1]:
                return
            vectors, added = caught
            self.snapshot = snap.with_added(vectors, self.store.docs(added))
            log.info("caught up %d statements stored by another process", len(added))
        finally:
            self._write_lock.release()

    def _build_vectors(self) -> VectorIndex:
        vectors = VectorIndex(self.embedder.dim)
        for ids, vecs in self.store.iter_embeddings():
            vectors = vectors.with_added(ids, vecs)
        return vectors

    def _embed_missing(self) -> None:
        missing = self.store.missing_embeddings()
        for i in range(0, len(missing), 256):
            chunk = missing[i:i + 256]
            vecs = self.embedder.encode([t for _, t in chunk])
            self.store.set_embeddings([(sid, v.tobytes()) for (sid, _), v in
                                       zip(chunk, vecs, strict=True)])

    def reindex(self) -> Manifest:
        """Rebuild the vector index from the embeddings in the database and publish it."""
        with self._write_lock:
            self._embed_missing()
            vectors = self._build_vectors()
            self.snapshot = Snapshot.build(vectors, (d for b in self.store.iter_docs() for d in b))
            return self._publish_locked()

    def publish(self) -> Manifest:
        with self._write_lock:
            return self._publish_locked()

    def _publish_locked(self) -> Manifest:
        manifest = self.snapshot.vectors.publish(self.index_dir, self.embedder.name)
        self._unpublished = 0
        return manifest

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            if self._extractor_factory is None:
                from corpora.extract import Extractor

                self._extractor = Extractor()
            else:
                self._extractor = self._extractor_factory()
        return self._extractor

    # -- writes ----------------------------------------------------------------------------
    def _store(self, pending: Sequence[PendingStatement], article: Article | None) -> Stored:
        """Embed what is new, write in one transaction, then swap in the grown indexes."""
        keys = [p.key for p in pending]
        known = self.store.known_keys(keys)
        todo: dict[tuple[str, str], str] = {}
        for p in pending:
            if p.key not in known:
                todo.setdefault(p.key, p.text)
        vecs = self.embedder.encode(list(todo.values()))
        embeddings = {k: v.tobytes() for k, v in zip(todo, vecs, strict=True)}
        with self._write_lock:
            stored = self.store.write(pending, embeddings, article)
            if stored.new_ids:
                new = set(stored.new_ids)
                by_id = {}
                for sid, p in zip(stored.statement_ids, pending, strict=True):
                    if sid in new:
                        by_id[sid] = p
                ids = np.array(sorted(by_id), dtype=np.int64)
                matrix = np.vstack([np.frombuffer(embeddings[by_id[i].key], dtype=np.float32)
                                    for i in ids])
                self.snapshot = self.snapshot.with_added(
                    self.snapshot.vectors.with_added(ids, matrix),
                    self.store.docs([int(i) for i in ids]))
                self._unpublished += len(ids)
        return stored

    def ingest(self, articles: Iterable[Article],
               progress: Callable[[IngestReport], None] | None = None) -> list[IngestReport]:
        """Extract and store articles; an article already stored is not stored again."""
        items = list(articles)
        reports = []
        todo = []
        for a in items:
            if self.store.has_article(a) is not None:
                stored = self.store.write([], {}, a)
                report = IngestReport(a, [], stored)
                reports.append(report)
                if progress:
                    progress(report)
            else:
                todo.append(a)
        for article, found in zip(todo, self.extractor.extract_many(todo), strict=True):
            stored = self._store(pending_from_attributions(article, found), article)
            report = IngestReport(article, found, stored)
            reports.append(report)
            if progress:
                progress(report)
        return reports

    def import_statements(self, records: Sequence[StatementIn], batch: int = 512) -> Stored:
        """Store already-attributed statements; re-importing a record stores nothing twice."""
        ids: list[int] = []
        new: list[int] = []
        for i in range(0, len(records), batch):
            stored = self._store([pending_from_import(r) for r in records[i:i + batch]], None)
            ids.extend(stored.statement_ids)
            new.extend(stored.new_ids)
        return Stored(ids, new)

    def flush(self, threshold: int = 0) -> None:
        """Publish the index if more than `threshold` statements were added since the last time."""
        if self._unpublished > threshold:
            self.publish()

    # -- reads -----------------------------------------------------------------------------
    def match(self, claim: ClaimIn, k: int = 5, filters: Filters | None = None,
              below: bool = False) -> ClaimResult:
        return self.match_many([claim], k, filters, below)[0]

    def match_many(self, claims: Sequence[ClaimIn], k: int = 5,
                   filters: Filters | None = None, below: bool = False) -> list[ClaimResult]:
        """Match claims in one embedding batch.

        With `below`, each result lists the k most relevant statements even when they do not
        clear the match threshold (labelled no_match): the full ranking, for evaluation or for
        a reader who wants to see the nearest statements.
        """
        filters = filters or Filters()
        self.refresh()
        snap = self.snapshot
        out = []
        for c, q in zip(claims, self.queries(claims), strict=True):
            cands = self.matcher.candidates(snap, q, filters.active)
            out.append(self.matcher.rank(c.claim, c.id, q.parsed, cands, self.store.statements,
                                         k, filters, below))
        return out

    def queries(self, claims: Sequence[ClaimIn]) -> list[ClaimQuery]:
        """Parse and embed claims (and claims read in their context) in one batch."""
        parsed = [parse_claim(c.claim, c.speaker) for c in claims]
        in_context = [ClaimQuery.context_of(p, c.context) for c, p in zip(claims, parsed,
                                                                            strict=True)]
        vecs = self.embedder.encode([p.text for p in parsed] + [t for t in in_context if t])
        context_vecs = iter(vecs[len(parsed):])
        return [ClaimQuery(p, vec, ctx, next(context_vecs) if ctx else None, claim_day(c.date))
                for c, p, vec, ctx in zip(claims, parsed, vecs[:len(parsed)], in_context,
                                           strict=True)]
