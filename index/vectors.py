"""The FAISS vector index: immutable snapshots, atomic publish with a manifest, rebuilds."""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from corpora.errors import StateError

MANIFEST = "index.json"


@dataclass(frozen=True)
class Manifest:
    """What a published index holds and was built with."""

    model: str
    dimension: int
    count: int
    max_statement_id: int
    file: str
    created: float

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)


class VectorIndex:
    """Inner-product search over normalised vectors keyed by statement id.

    A snapshot is never mutated once searches can see it: `with_added` builds a new one aside,
    and the caller swaps the reference. FAISS crashes the process when an index is mutated
    while another thread searches it.
    """

    def __init__(self, dim: int, index: faiss.Index | None = None, max_id: int = 0) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.max_id = max_id

    @property
    def count(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> set[int]:
        """The statement ids this snapshot holds."""
        return {int(i) for i in faiss.vector_to_array(self.index.id_map)}  # type: ignore[attr-defined]

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest statements for each query row; ids are -1 past the end."""
        k = max(1, min(k, max(1, self.count)))
        if self.count == 0:
            n = len(vectors)
            return np.zeros((n, k), dtype=np.float32), -np.ones((n, k), dtype=np.int64)
        return self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)

    def vectors(self, ids: list[int]) -> np.ndarray:
        """The stored vectors of these statement ids (all must be in the index)."""
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def with_added(self, ids: np.ndarray, vectors: np.ndarray) -> VectorIndex:
        """A new snapshot with these vectors added; this one is left as it was."""
        if len(ids) == 0:
            return self
        if vectors.shape[1] != self.dim:
            raise StateError(f"vector dimension {vectors.shape[1]} != index dimension {self.dim}")
        clone = faiss.clone_index(self.index)
        clone.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                           np.ascontiguousarray(ids, dtype=np.int64))
        return VectorIndex(self.dim, clone, max(self.max_id, int(ids.max())))

    def publish(self, directory: Path, model: str) -> Manifest:
        """Write the index and then its manifest, each atomically (temp file, fsync, rename)."""
        directory.mkdir(parents=True, exist_ok=True)
        # Several workers may publish at once: one at a time, so none deletes another's file.
        with (directory / ".publish.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._publish(directory, model)

    def _publish(self, directory: Path, model: str) -> Manifest:
        for stale in directory.glob(".vectors-*.tmp"):
            stale.unlink(missing_ok=True)
        name = f"vectors-{time.time_ns()}.faiss"
        tmp = directory / f".{name}.tmp"
        faiss.write_index(self.index, str(tmp))
        _fsync(tmp)
        os.replace(tmp, directory / name)
        manifest = Manifest(model=model, dimension=self.dim, count=self.count,
                            max_statement_id=self.max_id, file=name, created=time.time())
        mtmp = directory / f".{MANIFEST}.tmp"
        mtmp.write_text(manifest.to_json())
        _fsync(mtmp)
        os.replace(mtmp, directory / MANIFEST)
        _fsync_dir(directory)
        for old in directory.glob("vectors-*.faiss"):
            if old.name != name:
                old.unlink(missing_ok=True)
        return manifest

    @classmethod
    def load(cls, directory: Path, model: str, dim: int) -> tuple[VectorIndex, Manifest] | None:
        """The published index, or None when there is none; refuses another model or dimension."""
        path = directory / MANIFEST
        if not path.exists():
            return None
        try:
            m = Manifest(**json.loads(path.read_text()))
        except (ValueError, TypeError) as e:
            raise StateError(f"unreadable index manifest {path}: {e}") from e
        if m.model != model or m.dimension != dim:
            raise StateError(f"index at {directory} was built with {m.model} ({m.dimension}d), "
                             f"not {model} ({dim}d): run `quotetrace reindex`")
        if not (directory / m.file).exists():
            return None
        index = faiss.read_index(str(directory / m.file))
        if index.ntotal != m.count or index.d != dim:
            raise StateError(f"index file {m.file} does not match its manifest")
        return cls(dim, index, m.max_statement_id), m


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
