"""Index upkeep: the published generation, the delta beside it, catch-up, merges and refresh.

The database is the source of truth. A *generation* is an immutable, published set of indexes
(FAISS vectors, a tantivy lexical index, metadata columns) built from it up to two marks, the
highest statement id and the highest mention id it has seen. Statements stored after that (and
older statements that gained a report) live in a small in-memory *delta*, caught up from the
database, searched beside the generation. A merge builds the next generation aside, from the
previous one plus the database rows beyond its marks, publishes it atomically (files, then the
manifest that names them; index/publish.py) and swaps it in. Nothing copies the corpus on a
write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from corpora.errors import StateError, StorageFull
from index.generation import (
    MANIFEST,
    Delta,
    Generation,
    Manifest,
    View,
    unseen,
    vectors_of,
)
from index.publish import Publisher
from index.store import Store
from index.types import IndexRow

log = logging.getLogger("quotetrace.index")

MERGE_MIN = 2_000  # a delta this small is never merged in the background
MERGE_MAX = 20_000  # nor left larger than this
RECHECK_IDS = 5_000  # ids below the marks recounted on every catch-up (late commits)
MERGE_BACKOFF = 60.0  # seconds a background merge waits after one failed


def merge_threshold(main_count: int) -> int:
    """Delta size past which serving merges in the background: 5% of the corpus, bounded."""
    return max(MERGE_MIN, min(MERGE_MAX, main_count // 20))


class Upkeep:
    """Keeps a View in step with the database and publishes generations for other processes."""

    def __init__(self, store: Store, model: str, dim: int, directory: Path,
                 encode: Callable[[list[str]], np.ndarray]) -> None:
        self.store = store
        self.model = model
        self.dim = dim
        self.directory = directory
        self.encode = encode
        self.view = View(Generation.empty(model, dim), Delta.empty(dim, 0, 0))
        self._lock = threading.RLock()  # one catch-up or swap at a time in this process
        self._merge_lock = threading.Lock()  # one build at a time in this process
        self._manifest_stamp: tuple[int, int] | None = None
        self._last_count_check = 0.0
        self._merge_thread: threading.Thread | None = None
        self._merge_failed = -MERGE_BACKOFF  # monotonic time of the last failed merge
        self.publisher = Publisher(store, model, dim, directory, self._with_embeddings)

    @property
    def delta_size(self) -> int:
        return len(self.view.delta.rows)

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        """Open the published generation (or build one), merge a large backlog, catch up."""
        with self._lock:
            gen = self._open_published()
            smax, _ = self.store.max_ids()
            if gen is not None and (gen.manifest.max_statement_id > smax
                                    or gen.manifest.count > self.store.count_statements()):
                log.warning("published index holds statements the database lacks: rebuilding")
                gen = None
            if gen is None or smax - gen.manifest.max_statement_id > \
                    merge_threshold(gen.manifest.count):
                # Build before serving: a large backlog (an import that stopped before its
                # merge) would make a large delta.
                with self.publisher.lock(True):
                    try:
                        gen = self._build(gen)
                    except StorageFull as e:
                        # Serve what was published (or nothing) plus a delta of the rest:
                        # slower, never wrong. The next merge publishes once there is room.
                        log.warning("%s", e)
                        gen = gen or Generation.empty(self.model, self.dim)
            self._adopt(gen)
        self.publisher.sweep()

    def _open_published(self) -> Generation | None:
        for attempt in range(3):
            manifest = Manifest.read(self.directory)
            if manifest is None:
                return None
            if manifest.model != self.model or manifest.dimension != self.dim:
                raise StateError(
                    f"index at {self.directory} was built with {manifest.model} "
                    f"({manifest.dimension}d), not {self.model} ({self.dim}d): "
                    "run `quotetrace reindex`")
            try:
                gen = Generation.open(self.directory, manifest)
                self._manifest_stamp = self._stamp()
                return gen
            except (OSError, RuntimeError, ValueError, KeyError, StateError) as e:
                # Another process may have published and removed it since: read again.
                if attempt == 2:
                    log.warning("published index unusable (%s): rebuilding", e)
                time.sleep(0.05)
        return None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = (self.directory / MANIFEST).stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_ino

    def _adopt(self, gen: Generation) -> None:
        m = gen.manifest
        self.view = View(gen, Delta.empty(self.dim, m.max_statement_id, m.max_mention_id))
        self.catch_up(check_count=True)

    # -- catching up -----------------------------------------------------------------------
    def catch_up(self, check_count: bool = False) -> int:
        """Read what the database holds past the view's marks into the delta; returns how
        many statements that added or re-read.

        New ids come first. When the count disagrees (transactions that committed out of id
        order leave gaps), the missing ids are found and read too. With nothing new, this
        costs two small queries.
        """
        with self._lock:
            view = self.view
            d = view.delta
            smax, mmax = self.store.max_ids()
            full = check_count or time.monotonic() - self._last_count_check >= 30
            rows: list[IndexRow] = []
            if smax > d.statement_mark:
                for batch in self.store.iter_index_rows(after_id=d.statement_mark, upto=smax):
                    rows.extend(batch)
            if mmax > d.mention_mark:
                touched = self.store.touched_since(d.mention_mark, d.statement_mark)
                rows.extend(self.store.index_rows(touched))
            # Count what the database holds against what the indexes will hold: over the
            # last RECHECK_IDS ids below the marks and everything past them on every call
            # (a transaction that took its ids before others and committed after them left
            # a gap there), everywhere now and then (a full count).
            after = 0 if full else max(0, d.statement_mark - RECHECK_IDS)
            if full:
                self._last_count_check = time.monotonic()
            stored = self.store.count_statements(after_id=after)
            main_ids = np.asarray(view.generation.meta.ids, dtype=np.int64)
            main_past = main_ids[np.searchsorted(main_ids, after, side="right"):]
            others = np.union1d(view.new_ids, unseen(view, rows))
            held = len(main_past) + int((others > after).sum())
            if held < stored:
                have = np.union1d(np.union1d(main_past, others),
                                  np.array([r.id for r in rows], dtype=np.int64))
                missing = np.setdiff1d(self.store.statement_ids(after_id=after), have)
                rows.extend(self.store.index_rows([int(i) for i in missing]))
            elif held > stored:
                log.warning("the index holds %d statements the database lacks: run "
                            "`quotetrace reindex`", held - stored)
            if not rows and smax <= d.statement_mark and mmax <= d.mention_mark:
                return 0
            rows = self._with_embeddings(rows)
            self.view = view.with_rows(rows, vectors_of(rows, self.dim),
                                       max(smax, d.statement_mark), max(mmax, d.mention_mark))
            return len(rows)

    def _build(self, base: Generation | None) -> Generation:
        """Build and publish the next generation (the caller holds the publish lock)."""
        gen = self.publisher.build(base, serving=self.view.generation.manifest.generation)
        self._manifest_stamp = self._stamp()
        return gen

    def _with_embeddings(self, rows: list[IndexRow]) -> list[IndexRow]:
        """Rows stored without an embedding get one (stored too)."""
        todo = [i for i, r in enumerate(rows) if not r.embedding]
        if not todo:
            return rows
        vecs = self.encode([rows[i].text for i in todo])
        self.store.set_embeddings([(rows[i].id, v.tobytes()) for i, v in zip(todo, vecs,
                                                                             strict=True)])
        out = list(rows)
        for i, v in zip(todo, vecs, strict=True):
            out[i] = out[i]._replace(embedding=v.astype(np.float32).tobytes())
        return out

    def refresh(self) -> None:
        """Adopt a generation another process published, then catch up with the database."""
        if self._stamp() != self._manifest_stamp:
            with self._lock:
                try:
                    manifest = Manifest.read(self.directory)
                except StateError as e:
                    log.warning("%s", e)
                    manifest = None
                ours = self.view.generation.manifest
                if manifest is not None and manifest.generation != ours.generation \
                        and manifest.created >= ours.created:
                    gen = self._open_published()
                    if gen is not None:
                        self._adopt(gen)
                        return
                self._manifest_stamp = self._stamp()
        self.catch_up()

    # -- merging ---------------------------------------------------------------------------
    def merge(self, wait: bool = True) -> Manifest | None:
        """Build the next generation from this one and the database rows past its marks,
        publish it and swap it in. Without `wait`, gives up at once when another process
        holds the publish lock (it is merging). Searches and writes go on meanwhile.
        """
        with self._merge_lock, self.publisher.lock(wait) as locked:
            if not locked:
                return None
            # Another process may have published meanwhile: build on the newest.
            if self._stamp() != self._manifest_stamp:
                newest = self._open_published()
                if newest is not None:
                    with self._lock:
                        self._adopt(newest)
            gen = self._build(self.view.generation)
            with self._lock:
                self._adopt(gen)
            return gen.manifest

    def merge_in_background(self, threshold: int | None = None) -> bool:
        """Start a merge in a thread when the delta passed the threshold; True if started."""
        limit = threshold if threshold is not None else \
            merge_threshold(self.view.generation.meta.count)
        if self.delta_size <= limit:
            return False
        if self._merge_thread is not None and self._merge_thread.is_alive():
            return False
        if time.monotonic() - self._merge_failed < MERGE_BACKOFF:
            return False

        def run() -> None:
            # A failed merge leaves the published generation in place, and the delta serves
            # the rest; the next try waits MERGE_BACKOFF.
            try:
                self.merge(wait=False)
            except StorageFull as e:
                self._merge_failed = time.monotonic()
                log.warning("background merge failed: %s", e)
            except Exception:
                self._merge_failed = time.monotonic()
                log.exception("background merge failed")

        self._merge_thread = threading.Thread(target=run, name="quotetrace-merge", daemon=True)
        self._merge_thread.start()
        return True

    def wait_merges(self) -> None:
        if self._merge_thread is not None:
            self._merge_thread.join()

    def rebuild(self) -> Manifest:
        """A new generation from the database alone."""
        with self._merge_lock, self.publisher.lock(True):
            gen = self._build(None)
            with self._lock:
                self._adopt(gen)
            return gen.manifest
