"""The library: store, embedder, extractor and indexes composed behind one service object."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import msgspec
import numpy as np

from corpora.errors import StateError, StorageFull
from corpora.types import Article, Attribution, ClaimIn, SpeakerIn, StatementIn
from index.claims import parse_claim
from index.dberrors import DB_ERRORS, OutageNotice, outage
from index.embedder import Embedder
from index.generation import Manifest, View
from index.matcher import ClaimQuery, Filters, Matcher, claim_day
from index.speaker_ops import Relinked, Speakers
from index.store import (
    PendingStatement,
    Store,
    Stored,
    pending_from_attributions,
    pending_from_import,
)
from index.types import ClaimResult, SpeakerChange
from index.upkeep import Upkeep

if TYPE_CHECKING:
    from corpora.extract import Extractor

log = logging.getLogger("quotetrace.index")


class Writers(Protocol):
    """Writers that take batches of an import and write them elsewhere, several at once
    (`index.raywork.RayWriters`)."""

    count: int

    def submit(self, pending: Sequence[PendingStatement],
               embeddings: dict[tuple[str, str], bytes]) -> Any: ...

    def result(self, handle: Any) -> Stored: ...


class RecentVectors:
    """The vectors an import's last few batches embedded, by text hash. A batch is embedded
    while earlier ones are still being written; a text one of those embedded takes its vector
    from here, not from the store, where it may or may not be yet."""

    def __init__(self, batches: int) -> None:
        self._batches: deque[dict[str, bytes]] = deque(maxlen=batches)

    def get(self, text_hash: str) -> bytes | None:
        for made in reversed(self._batches):
            if text_hash in made:
                return made[text_hash]
        return None

    def add(self, made: dict[str, bytes]) -> None:
        self._batches.append(made)


@dataclass(frozen=True)
class IngestReport:
    """What ingesting one article did."""

    article: Article
    attributions: list[Attribution]
    stored: Stored


class Library:
    """Everything a surface needs: ingest, import, match, reindex.

    The database is the source of truth. The indexes (index/upkeep.py) are a published
    generation plus a delta caught up from the database after every write, merged into the
    next generation now and then.
    """

    def __init__(self, store: Store, embedder: Embedder, data_dir: Path,
                 matcher: Matcher | None = None,
                 extractor_factory: Callable[[], Extractor] | None = None,
                 index_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.index_dir = index_dir or data_dir / "index"
        self.matcher = matcher or Matcher()
        self._extractor_factory = extractor_factory
        self._extractor: Extractor | None = None
        self._last_refresh = 0.0
        self._refreshing = threading.Lock()
        self.upkeep = Upkeep(store, embedder.name, embedder.dim, self.index_dir,
                             lambda texts: embedder.encode(texts))
        self._view_override: View | None = None
        self.speakers = Speakers(store.engine)

    @property
    def snapshot(self) -> View:
        """The indexes searches read now."""
        return self._view_override or self.upkeep.view

    @snapshot.setter
    def snapshot(self, view: View | None) -> None:
        """Search another view (an evaluation's held-out one); None goes back to the live one."""
        self._view_override = view

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        """Open the published indexes (or build them) and catch up with the database.

        Refuses a store whose embeddings were made with another model than this one's.
        """
        stored = self.store.embedding_model()
        if stored is None:
            # Several workers may open a new store at once: the first one's model counts.
            stored = self.store.claim_embedding_model(self.embedder.name)
        if stored != self.embedder.name:
            raise StateError(
                f"the stored statements were embedded with {stored}, this process runs "
                f"{self.embedder.name}: set QUOTETRACE_RUNTIME to match, or run "
                "`quotetrace reindex --reembed`")
        self.upkeep.load()

    def reembed(self, batch: int = 2048, progress: Callable[[int], None] | None = None
                ) -> Manifest:
        """Embed every stored statement again with this process's model, then rebuild."""
        done = 0
        for rows in self.store.iter_index_rows(batch=batch):
            vecs = self.embedder.encode([r.text for r in rows])
            self.store.set_embeddings([(r.id, v.tobytes()) for r, v in zip(rows, vecs,
                                                                         strict=True)])
            done += len(rows)
            if progress:
                progress(done)
        self.store.set_embedding_model(self.embedder.name)
        return self.upkeep.rebuild()

    # How long a request waits for a refresh another thread has under way: a catch-up ends
    # well within it; adopting a large generation may not, and the request then goes on with
    # the view it has rather than stall.
    REFRESH_WAIT = 0.25

    def refresh(self, min_interval: float = 1.0) -> None:
        """See what other processes committed or published, at most once per `min_interval`
        seconds. A refresh under way in another thread (the background one) may be reading
        a statement committed just before it began: the caller waits for it, briefly, rather
        than answer from the view before it.
        """
        due = time.monotonic() - self._last_refresh >= min_interval
        if not self._refreshing.acquire(timeout=self.REFRESH_WAIT):
            return  # a long refresh is under way: answer from the view there is
        try:
            if not due or time.monotonic() - self._last_refresh < min_interval:
                return  # not due, or another thread refreshed while this one waited
            self._last_refresh = time.monotonic()
            self.upkeep.refresh()
        finally:
            self._refreshing.release()

    def keep_fresh(self, stop: threading.Event, interval: float) -> None:
        """Refresh every `interval` seconds until `stop` is set, so that what other processes
        commit or publish is searched (and counted) within one interval, with or without
        traffic. A database outage is logged once; refreshing resumes with the database."""
        notice = OutageNotice(log, "refresh")
        while not stop.wait(interval):
            try:
                self.refresh(min_interval=interval / 2)
            except DB_ERRORS as e:
                detail = outage(e)
                if detail is None:
                    log.exception("refresh failed")
                else:
                    notice.met(detail)
                continue
            except Exception:
                log.exception("refresh failed")
                continue
            notice.over()

    def reindex(self) -> Manifest:
        """Rebuild every index from the database and publish it."""
        return self.upkeep.rebuild()

    def flush(self, threshold: int = 0, background: bool = False) -> None:
        """Merge (and publish) once the delta holds more than `threshold` statements, or
        the database holds more than the indexes (a bulk import). In the `background`, the
        threshold is the upkeep's own (a share of the corpus).
        """
        if background:
            self.upkeep.merge_in_background()
            return
        smax, _ = self.store.max_ids()
        behind = smax > self.upkeep.view.delta.statement_mark
        if self.upkeep.delta_size > threshold or behind:
            self.upkeep.merge()

    # -- speaker corrections ---------------------------------------------------------------
    def correct_speakers(self, change: Callable[[Speakers], SpeakerChange]) -> SpeakerChange:
        """Apply one operator correction to the registry and bring the indexes up to it."""
        return self._after_corrections([change(self.speakers)])[0]

    def import_speakers(self, records: Sequence[SpeakerIn]) -> list[SpeakerChange]:
        """Add or update speakers from records, then bring the indexes up to them."""
        return self._after_corrections(self.speakers.import_speakers(records))

    def relink_speakers(self) -> Relinked:
        """Link again what was stored unlinked, then bring the indexes up to it."""
        got = self.speakers.relink()
        if got.folded:
            self.reindex()
        self.upkeep.catch_up(check_count=True)
        return got

    def _after_corrections(self, changes: list[SpeakerChange]) -> list[SpeakerChange]:
        """Re-keyed statements are read again at the catch-up; a statement folded into
        another is gone from the database, and the indexes are rebuilt without it."""
        if any(c.statements_folded for c in changes):
            self.reindex()
        self.upkeep.catch_up(check_count=True)
        return changes

    def close(self) -> None:
        """Finish a merge under way and publish what is left. A full disk or a database
        outage leaves that to the next start (the database holds everything)."""
        self.upkeep.wait_merges()
        try:
            self.flush()
        except StorageFull as e:
            log.warning("not published at close: %s", e)
        except DB_ERRORS as e:
            detail = outage(e)
            if detail is None:
                raise
            log.warning("not published at close: %s", detail)

    @property
    def loaded_extractor(self) -> Extractor | None:
        """The extractor if something has used it, else None (nothing is loaded)."""
        return self._extractor

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
    def _store(self, pending: Sequence[PendingStatement], article: Article | None,
               index: bool = True) -> Stored:
        """Embed what is new, write it in one transaction, then catch the indexes up (skipped
        with `index=False`: a bulk import merges at its end).
        """
        stored = self.store.write(pending, self._embed_new(pending), article)
        if index:
            self.upkeep.catch_up()
        return stored

    def _embed_new(self, pending: Sequence[PendingStatement],
                   recent: RecentVectors | None = None) -> dict[tuple[str, str], bytes]:
        """Embeddings for the statements not stored yet. The text hash is the content hash:
        a text already embedded (for another speaker, or twice in this batch) is not again.

        With `recent` (an import's last batches), a text one of them embedded takes that
        vector whether or not its batch is written yet, so which texts are embedded together,
        and with int8 activations their vectors, do not depend on how far the writes are.
        """
        cached = {}
        if recent is not None:
            for p in pending:
                vec = recent.get(p.key[1])
                if vec is not None:
                    cached[p.key] = vec
        rest = [p for p in pending if p.key not in cached]
        known = self.store.known_keys([p.key for p in rest])
        keys: dict[str, list[tuple[str, str]]] = {}
        texts: dict[str, str] = {}
        for p in rest:
            if p.key not in known:
                keys.setdefault(p.key[1], []).append(p.key)
                texts.setdefault(p.key[1], p.text)
        have = self.store.embeddings_by_text(list(keys)) if keys else {}
        todo = [h for h in keys if h not in have]
        vecs = self.embedder.encode([texts[h] for h in todo])
        made = {h: v.tobytes() for h, v in zip(todo, vecs, strict=True)}
        if recent is not None:
            recent.add(made)
        have.update(made)
        return {**{k: have[h] for h, ks in keys.items() for k in ks}, **cached}

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
        made: set[str] = set()
        for article, found in zip(todo, self.extractor.extract_many(todo), strict=True):
            stored = self._store(pending_from_attributions(article, found), article)
            made.update(stored.speakers_made)
            report = IngestReport(article, found, stored)
            reports.append(report)
            if progress:
                progress(report)
        self._link_waiting(made)
        return reports

    def _link_waiting(self, made: Iterable[str]) -> None:
        """Link the statements stored earlier under a bare surname that the people just
        added now fit ("Obama" before "Barack Obama" was known). Nothing is folded, so the
        indexes only catch up with the re-keyed statements."""
        try:
            moved = self.speakers.link_waiting(made).moved
        except DB_ERRORS as e:
            # What was ingested is stored; these stay for `speakers relink`.
            log.warning("linking surnames stored earlier failed (%s); run speakers relink",
                        type(getattr(e, "orig", e)).__name__)
            return
        if moved:
            self.upkeep.catch_up()

    def import_statements(self, records: Sequence[StatementIn], batch: int = 2048,
                          index: bool = True, writers: Writers | None = None) -> Stored:
        """Store already-attributed statements; re-importing a record stores nothing twice.

        The next batch is embedded while this one is written. With `index=False` the indexes
        are not caught up batch by batch: call `flush()` after, which builds the next
        generation from the database in one pass.
        """
        return self.import_pending(([pending_from_import(r) for r in records[i:i + batch]]
                                    for i in range(0, len(records), batch)), index,
                                   writers=writers)

    def import_pending(self, batches: Iterable[Sequence[PendingStatement]],
                       index: bool = True,
                       progress: Callable[[Stored], None] | None = None,
                       writers: Writers | None = None) -> Stored:
        """Store batches of statements as they come (a stream), each in one transaction,
        embedding the next batch while this one is written; `progress` hears of each, in
        order. With `writers` (Ray actors with a connection each), up to two batches per
        writer are written at once."""
        from concurrent.futures import ThreadPoolExecutor

        ids: list[int] = []
        new: list[int] = []
        in_flight: deque[Any] = deque()

        def done(stored: Stored) -> None:
            ids.extend(stored.statement_ids)
            new.extend(stored.new_ids)
            if index:
                self.upkeep.catch_up()
            if progress:
                progress(stored)

        todo = iter(batches)
        # Batches still unwritten when the next is embedded: this one and those in flight.
        recent = RecentVectors(2 * (writers.count if writers is not None else 1) + 2)
        with ThreadPoolExecutor(1, thread_name_prefix="quotetrace-embed") as ahead:
            pending = next(todo, None)
            coming = ahead.submit(self._embed_new, pending, recent) \
                if pending is not None else None
            while pending is not None and coming is not None:
                embeddings = coming.result()
                following = next(todo, None)
                if following is not None:
                    coming = ahead.submit(self._embed_new, following, recent)
                # A key embedded ahead is either new then or stored by a batch before; one
                # not embedded was stored already, so the write needs no vector for it.
                if writers is None:
                    done(self.store.write(pending, embeddings, None))
                else:
                    in_flight.append(writers.submit(pending, embeddings))
                    if len(in_flight) >= 2 * writers.count:
                        done(writers.result(in_flight.popleft()))
                pending = following
            while in_flight:
                assert writers is not None
                done(writers.result(in_flight.popleft()))
        return Stored(ids, new)

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
        filters = self._canonical(filters or Filters())
        self.refresh()
        view = self.snapshot
        out = []
        for c, q in zip(claims, self.queries(claims), strict=True):
            cands = self.matcher.candidates(view, q, filters)
            out.append(self.matcher.rank(c.claim, c.id, q.parsed, cands, self.store.statements,
                                         k, filters, below))
        return out

    def _canonical(self, filters: Filters) -> Filters:
        """A speaker filter naming one registry speaker by any of its names filters by its
        canonical name."""
        if not filters.speaker:
            return filters
        names = self.speakers.known_as([filters.speaker]).get(filters.speaker, ())
        return msgspec.structs.replace(filters, speaker=names[0]) if len(names) == 1 else filters

    def queries(self, claims: Sequence[ClaimIn]) -> list[ClaimQuery]:
        """Parse and embed claims (and claims read in their context) in one batch."""
        parsed = [parse_claim(c.claim, c.speaker) for c in claims]
        known = self.speakers.known_as([p.speaker for p in parsed if p.speaker])
        parsed = [msgspec.structs.replace(p, known_as=known[p.speaker])
                  if p.speaker in known else p for p in parsed]
        in_context = [ClaimQuery.context_of(p, c.context) for c, p in zip(claims, parsed,
                                                                            strict=True)]
        texts = [p.text for p in parsed] + [t for t in in_context if t]
        # One text per run: int8 activations are quantised with a scale taken over the whole
        # batch, so a batched claim's vector (cosine down to 0.988 here) and thus its scores
        # and verdict would depend on the claims beside it. Alone, a claim gets the same answer
        # from /v1/match, a batch, a job or `verify`, at 1.7 ms instead of 0.8 ms a claim.
        vecs = np.concatenate([self.embedder.encode([t]) for t in texts]) if texts else \
            np.zeros((0, self.embedder.dim), dtype=np.float32)
        context_vecs = iter(vecs[len(parsed):])
        return [ClaimQuery(p, vec, ctx, next(context_vecs) if ctx else None, claim_day(c.date))
                for c, p, vec, ctx in zip(claims, parsed, vecs[:len(parsed)], in_context,
                                           strict=True)]

