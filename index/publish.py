"""Building and publishing generations: from the database (or a previous generation and
the rows past its marks) into a new folder, made durable, then named by the manifest.

One process builds at a time (a file lock). A build that fails, a full disk most often,
removes what it wrote and leaves the published generation as it was.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import numpy as np

from corpora.errors import StateError, StorageFull
from index.generation import MANIFEST, Generation, Manifest, row_meta, vectors_of
from index.lexical import LexDoc, LexicalIndex
from index.meta import MetaColumns, MetaColumnsBuilder
from index.store import Store
from index.types import IndexRow
from index.vectors import FLAT_MAX, MainVectors, build_main, grows_in_place

log = logging.getLogger("quotetrace.index")

TRAIN_SAMPLE = 100_000


class Publisher:
    """Builds generations of the indexes in `directory` and publishes them there."""

    def __init__(self, store: Store, model: str, dim: int, directory: Path,
                 with_embeddings: Callable[[list[IndexRow]], list[IndexRow]]) -> None:
        self.store = store
        self.model = model
        self.dim = dim
        self.directory = directory
        self.with_embeddings = with_embeddings

    def lock(self, wait: bool) -> FileLock:
        """Across processes: one builds and publishes at a time."""
        return FileLock(self.directory / ".publish.lock", wait)

    def build(self, base: Generation | None, serving: str = "") -> Generation:
        """Build and publish a generation: `base` grown with the database rows past its marks
        when its vector index can grow in place, else everything from the database. The
        caller holds the publish lock.

        A build that fails (a full disk, most often) removes what it wrote and leaves the
        published generation as it was; a full disk raises StorageFull.
        """
        smax, mmax = self.store.max_ids()
        total = self.store.count_statements()
        path = self.directory / f"gen-{time.time_ns()}"
        try:
            path.mkdir(parents=True)
            if base is not None and base.path is not None and \
                    grows_in_place(base.manifest.vectors, total):
                gen = self._grow(base, path, smax, mmax)
            else:
                gen = self._build_full(path, smax, mmax, total)
            staged = self._stage(gen)
        except Exception as e:
            shutil.rmtree(path, ignore_errors=True)
            (self.directory / f".{MANIFEST}.tmp").unlink(missing_ok=True)
            if _disk_full(e):
                raise StorageFull(
                    f"no space left on the device that holds {self.directory}: the index "
                    "was not published, the one published before stays in use") from e
            raise
        self._switch(gen, staged, serving)
        return gen

    def _build_full(self, path: Path, smax: int, mmax: int, total: int) -> Generation:
        train = self.store.sample_embeddings(TRAIN_SAMPLE) if total > FLAT_MAX else None
        lexical = LexicalIndex.create(path / "lexical")
        builder = MetaColumnsBuilder()

        def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            for rows in self.store.iter_index_rows(upto=smax):
                rows = self.with_embeddings(rows)
                lexical.add((self._doc(builder, r) for r in rows), commit=False)
                yield (np.array([r.id for r in rows], dtype=np.int64),
                       vectors_of(rows, self.dim))

        vectors = build_main(self.dim, total, batches(), train)
        lexical.close_writer()
        meta = builder.build()
        return self._finish(path, vectors, lexical, meta, mmax)

    def _grow(self, base: Generation, path: Path, smax: int, mmax: int) -> Generation:
        m = base.manifest
        assert base.path is not None
        rows: dict[int, IndexRow] = {}
        for batch in self.store.iter_index_rows(after_id=m.max_statement_id, upto=smax):
            rows.update((r.id, r) for r in self.with_embeddings(batch))
        for r in self.store.index_rows(self.store.touched_since(m.max_mention_id,
                                                                m.max_statement_id)):
            rows[r.id] = r
        known = np.union1d(np.asarray(base.meta.ids),
                           np.fromiter(rows, dtype=np.int64, count=len(rows)))
        if len(known) < self.store.count_statements():
            gaps = np.setdiff1d(self.store.statement_ids(), known)
            rows.update((r.id, r) for r in self.with_embeddings(
                self.store.index_rows([int(i) for i in gaps])))
        meta = base.meta.updated({i: row_meta(r) for i, r in rows.items()})
        ids = np.fromiter(rows, dtype=np.int64, count=len(rows))
        fresh = [rows[int(i)] for i in ids[base.meta.positions(ids) < 0]]
        vectors = base.vectors
        if fresh:
            vectors = vectors.with_added(np.array([r.id for r in fresh], dtype=np.int64),
                                         vectors_of(fresh, self.dim))
        _link_tree(base.path / "lexical", path / "lexical")
        lexical = LexicalIndex.open(path / "lexical")
        codes = MetaColumnsBuilder(meta.speakers, meta.outlets)
        lexical.add((self._doc(codes, r) for r in rows.values()), replace=True)
        lexical.close_writer()
        return self._finish(path, vectors, lexical, meta, max(mmax, m.max_mention_id))

    @staticmethod
    def _doc(codes: MetaColumnsBuilder, r: IndexRow) -> LexDoc:
        m = row_meta(r)
        spk, outs = codes.add(r.id, m)
        return LexDoc(r.id, r.text, r.context, spk, tuple(outs), m.lo, m.hi)

    def _finish(self, path: Path, vectors: MainVectors, lexical: LexicalIndex,
                meta: MetaColumns, mmax: int) -> Generation:
        vectors.write(path / "vectors.faiss")
        meta.save(path / "meta")
        manifest = Manifest(model=self.model, dimension=self.dim, count=meta.count,
                            max_statement_id=meta.max_id, max_mention_id=mmax,
                            generation=path.name, vectors=vectors.spec, created=time.time())
        if not vectors.count == meta.count == lexical.count:
            raise StateError(f"built indexes disagree: {vectors.count} vectors, "
                             f"{meta.count} rows, {lexical.count} documents")
        return Generation(manifest, MainVectors.read(path / "vectors.faiss", self.dim,
                                                     vectors.spec),
                          lexical, MetaColumns.load(path / "meta"), path)

    def _stage(self, gen: Generation) -> Path:
        """Make the generation durable and write the manifest that will name it."""
        assert gen.path is not None
        _fsync_tree(gen.path)
        tmp = self.directory / f".{MANIFEST}.tmp"
        tmp.write_text(gen.manifest.to_json())
        _fsync(tmp)
        return tmp

    def _switch(self, gen: Generation, staged: Path, serving: str) -> None:
        """Publish: the manifest names the new generation (atomically), older ones go."""
        assert gen.path is not None
        os.replace(staged, self.directory / MANIFEST)
        _fsync(self.directory)
        # Keep the new generation and the one before it (other processes may still read it).
        gens = sorted(p for p in self.directory.glob("gen-*") if p.is_dir())
        keep = {gen.path.name, serving}
        for old in gens:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
        for legacy in self.directory.glob("vectors-*.faiss"):
            legacy.unlink(missing_ok=True)
        log.info("published index %s: %d statements (%s)", gen.path.name, gen.manifest.count,
                 gen.manifest.vectors.kind)

    def sweep(self) -> None:
        """Remove the folders of builds a kill stopped before they were published.

        A publish removes them too, but a process that finds nothing to merge never
        publishes. Builds run under the publish lock: holding it, every generation folder but
        the published one and the one before it is dead. Skipped while another process builds.
        """
        with self.lock(False) as held:
            manifest = Manifest.read(self.directory) if held else None
            if manifest is None:
                return
            current = manifest.generation
            gens = sorted(p.name for p in self.directory.glob("gen-*") if p.is_dir())
            older = [g for g in gens if g < current]
            keep = {current, *(older[-1:])}
            for name in gens:
                if name not in keep:
                    shutil.rmtree(self.directory / name, ignore_errors=True)
                    log.info("removed %s, a build that was never published", name)


class FileLock:
    """An exclusive flock; entering gives False when `wait` is off and another holds it."""

    def __init__(self, path: Path, wait: bool) -> None:
        self.path = path
        self.wait = wait
        self.f: TextIO | None = None

    def __enter__(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        f = self.path.open("a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            f.close()
            return False
        self.f = f
        return True

    def __exit__(self, *exc: object) -> None:
        if self.f is not None:
            self.f.close()
            self.f = None


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link a tantivy index's files into a new folder (its segments are immutable)."""
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".lock"):
            if f.name.endswith(".json"):
                shutil.copy2(f, dst / f.name)
            else:
                os.link(f, dst / f.name)


def _disk_full(exc: BaseException) -> bool:
    """Whether an error (or one that caused it) is a full disk or quota, whichever library
    raised it: FAISS and tantivy report it in their messages."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(seen) or "os error 28" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for root, _, files in os.walk(path):
        for name in files:
            _fsync(Path(root) / name)
        _fsync(Path(root))
