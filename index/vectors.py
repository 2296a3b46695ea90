"""FAISS vectors: a main index chosen by size (flat, or HNSW-SQ8 past FLAT_MAX), a small delta."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from corpora.errors import StateError

# Up to this many statements the main index is exact (flat). Past it, an HNSW graph over 8-bit
# scalar-quantised vectors. Measured here on 100,000 real sentence embeddings with the CLEF
# debate sentences as queries (one core): a flat scan costs ~7 ms per query at 50,000
# statements and grows linearly (146 ms at 1M); HNSW32-SQ8 reached recall@10 0.979 in 0.2 ms
# (efSearch 128), where IVF1024-SQ8 needed 0.41 ms for 0.962 (nprobe 128), and at 1M the IVF
# needed nprobe 512 of 2048 lists (11 ms a query) for 0.989.
FLAT_MAX = 50_000
HNSW_M = 32
EF_CONSTRUCTION = 64
RECALL_TARGET = 0.97  # efSearch is the smallest that reaches this on the build's own sample
# and never under this: at 100,000 the calibration's efSearch 96 gave the CLEF sentences 0.969
EF_MIN = 128
NOISE = 0.6  # calibration queries: a stored vector plus this much noise (see build_main)
EF_SEARCHES = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
SAMPLE_QUERIES = 256
EXACT_MAX = 20_000  # a filter admitting at most this many statements is searched exactly
EF_FILTERED_MAX = 2048
DELTA_CHUNKS = 8

Kind = Literal["flat", "hnsw-sq8"]


@dataclass(frozen=True)
class VectorSpec:
    """How a main index was built: recorded in the manifest."""

    kind: Kind = "flat"
    m: int = 0  # HNSW neighbours per node
    ef_construction: int = 0
    ef_search: int = 0
    trained_on: int = 0  # vectors in the index when its quantiser was trained
    sample_recall: float | None = None  # recall@10 against exact search on the build's sample


def _f32(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float32)


def _i64(x: np.ndarray | list[int]) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.int64)


class MainVectors:
    """An immutable FAISS index keyed by statement id; searches may run from many threads."""

    def __init__(self, dim: int, index: faiss.Index | None = None,
                 spec: VectorSpec | None = None, path: Path | None = None) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.spec = spec or VectorSpec()
        self.path = path  # the published file, when read from one

    @property
    def count(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int,
               admitted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest for each query row; ids are -1 past the end.

        `admitted` (sorted statement ids) restricts the search: a small set is scored exactly,
        a large one through a FAISS id selector inside the index's own search.
        """
        n = len(queries)
        k = max(1, k)
        empty = (np.full((n, k), -np.inf, dtype=np.float32), -np.ones((n, k), dtype=np.int64))
        if self.count == 0 or (admitted is not None and len(admitted) == 0):
            return empty
        q = _f32(queries)
        if admitted is not None and (len(admitted) <= EXACT_MAX or self.spec.kind == "flat"):
            return exact_top(q, admitted, self.vectors(admitted), k)
        kk = min(k, self.count)
        if self.spec.kind == "flat":
            scores, ids = self.index.search(q, kk)
        else:
            bitmap = None
            params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
            params.efSearch = max(self.spec.ef_search, kk)
            if admitted is not None:
                # The graph walk keeps only admitted nodes: a sparse filter needs a wider walk
                # to fill k.
                share = len(admitted) / max(1, self.count)
                params.efSearch = int(min(EF_FILTERED_MAX, max(params.efSearch,
                                                               params.efSearch / share)))
                size = int(admitted[-1]) + 1
                mask = np.zeros(size, dtype=bool)
                mask[admitted] = True
                bitmap = np.packbits(mask, bitorder="little")
                params.sel = faiss.IDSelectorBitmap(size, faiss.swig_ptr(bitmap))
            scores, ids = self.index.search(q, kk, params=params)
            del bitmap
        if kk < k:
            scores = np.pad(scores, ((0, 0), (0, k - kk)), constant_values=-np.inf)
            ids = np.pad(ids, ((0, 0), (0, k - kk)), constant_values=-1)
        return scores, ids

    def vectors(self, ids: np.ndarray | list[int]) -> np.ndarray:
        """Stored vectors of these ids (decoded: approximate for a quantised index)."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.index.reconstruct_batch(_i64(ids)), dtype=np.float32)

    def with_added(self, ids: np.ndarray, vectors: np.ndarray) -> MainVectors:
        """A grown copy (the index is copied: for merges, never per write)."""
        clone = faiss.clone_index(self.index)
        clone.add_with_ids(_f32(vectors), _i64(ids))
        return MainVectors(self.dim, clone, self.spec)

    def write(self, path: Path) -> None:
        """Write the index to `path`; one read from a published file is linked, not rewritten
        (a memory-mapped index written out would point into the file it was read from).
        """
        if self.path is not None:
            try:
                os.link(self.path, path)
            except OSError:
                shutil.copyfile(self.path, path)
            return
        faiss.write_index(self.index, str(path))

    @classmethod
    def read(cls, path: Path, dim: int, spec: VectorSpec) -> MainVectors:
        """Load a published index (read whole: FAISS memory-maps only flat codes and inverted
        lists, not a graph).
        """
        index = faiss.read_index(str(path))
        if index.d != dim:
            raise StateError(f"index file {path} has dimension {index.d}, expected {dim}")
        return cls(dim, index, spec, path)


def exact_top(queries: np.ndarray, ids: np.ndarray, matrix: np.ndarray,
              k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product top k of each query over (ids, matrix), padded with -1 ids."""
    n = len(queries)
    out_s = np.full((n, k), -np.inf, dtype=np.float32)
    out_i = -np.ones((n, k), dtype=np.int64)
    if len(ids) == 0:
        return out_s, out_i
    sims = queries @ matrix.T
    kk = min(k, len(ids))
    part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk] if kk < len(ids) else \
        np.tile(np.arange(len(ids)), (n, 1))
    for r in range(n):
        cols = part[r][np.argsort(-sims[r, part[r]], kind="stable")]
        out_s[r, :kk] = sims[r, cols]
        out_i[r, :kk] = ids[cols]
    return out_s, out_i


class _Sample:
    """Calibration queries and their exact neighbours, gathered while the index is built."""

    KEEP = 50  # exact neighbours kept: enough to score any near-tie a search returns

    def __init__(self, queries: np.ndarray) -> None:
        self.q = queries
        self.scores = np.full((len(queries), self.KEEP), -np.inf, dtype=np.float32)
        self.ids = -np.ones((len(queries), self.KEEP), dtype=np.int64)

    def see(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        s, i = exact_top(self.q, ids, vecs, self.KEEP)
        self.scores, self.ids = merge_top(self.scores, self.ids, s, i, self.KEEP)

    def recall(self, index: faiss.Index, ef: int) -> float:
        """Recall@10 of `index` at this efSearch against exact search.

        Ties count: a result whose exact score is at least the exact 10th (within float
        error) is right, since identical texts give identical vectors in any order.
        """
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
        params.efSearch = ef
        _, found = index.search(self.q, 10, params=params)
        hits = 0
        for r in range(len(self.q)):
            exact = dict(zip(self.ids[r].tolist(), self.scores[r].tolist(), strict=True))
            floor = float(self.scores[r][9])
            hits += sum(1 for x in found[r].tolist() if exact.get(x, -np.inf) >= floor - 1e-5)
        return hits / (10 * len(self.q))


def build_main(dim: int, total: int, batches: Iterable[tuple[np.ndarray, np.ndarray]],
               train: np.ndarray | None = None) -> MainVectors:
    """A main index over `batches` (total vectors in all): flat while small, else HNSW-SQ8.

    `train` is a sample of the vectors to train the 8-bit quantiser on (required past
    FLAT_MAX). The graph's efSearch is the smallest that reaches RECALL_TARGET on stored
    vectors.
    """
    if total <= FLAT_MAX:
        main = MainVectors(dim)
        for ids, vecs in batches:
            main.index.add_with_ids(_f32(vecs), _i64(ids))
        return main
    if train is None or len(train) < 1000:
        raise StateError("an HNSW-SQ8 index needs a training sample of at least 1,000 vectors")
    graph = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit,  # type: ignore[arg-type]
                              HNSW_M, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = EF_CONSTRUCTION
    graph.train(_f32(train))
    index = faiss.IndexIDMap2(graph)
    # Calibration queries near stored vectors but none of them, as a claim is: a training
    # vector plus noise (top-1 cosine ~0.86). At 1M real statements their recall tracked the
    # CLEF debate sentences' from just below (efSearch 64/128/256: 0.963/0.978/0.987 against
    # 0.967/0.985/0.996), where stored vectors themselves or sums of two were far off.
    rng = np.random.default_rng(0)
    base = train[rng.integers(0, len(train), SAMPLE_QUERIES)]
    noisy = base + NOISE * rng.normal(size=base.shape) / np.sqrt(dim)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True).clip(min=1e-9)
    sample = _Sample(_f32(noisy))
    for ids, vecs in batches:
        sample.see(_i64(ids), _f32(vecs))
        index.add_with_ids(_f32(vecs), _i64(ids))
    ef, recall = EF_SEARCHES[-1], 0.0
    for e in (e for e in EF_SEARCHES if e >= EF_MIN):
        recall = sample.recall(index, e)
        if recall >= RECALL_TARGET:
            ef = e
            break
    spec = VectorSpec(kind="hnsw-sq8", m=HNSW_M, ef_construction=EF_CONSTRUCTION,
                      ef_search=ef, trained_on=int(index.ntotal),
                      sample_recall=round(recall, 4))
    return MainVectors(dim, index, spec)


def grows_in_place(spec: VectorSpec, total: int) -> bool:
    """Whether a merge can add to a copy of the main index rather than build a new one."""
    if spec.kind == "flat":
        return total <= FLAT_MAX
    return total <= 4 * spec.trained_on


class DeltaVectors:
    """Vectors stored since the main index was built, searched exactly; never mutated."""

    def __init__(self, dim: int, chunks: tuple[tuple[np.ndarray, np.ndarray], ...] = ()) -> None:
        self.dim = dim
        self.chunks = chunks

    @property
    def count(self) -> int:
        return sum(len(i) for i, _ in self.chunks)

    def ids(self) -> np.ndarray:
        if not self.chunks:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([i for i, _ in self.chunks])

    def with_added(self, ids: np.ndarray, vectors: np.ndarray) -> DeltaVectors:
        """A new delta with these vectors; chunks are joined now and then (cost: the delta)."""
        if len(ids) == 0:
            return self
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise StateError(f"vector dimension {vectors.shape[-1]} != index dimension "
                             f"{self.dim}")
        chunks = (*self.chunks, (_i64(ids), _f32(vectors)))
        if len(chunks) > DELTA_CHUNKS:
            chunks = ((np.concatenate([i for i, _ in chunks]),
                       np.vstack([v for _, v in chunks])),)
        return DeltaVectors(self.dim, chunks)

    def search(self, queries: np.ndarray, k: int,
               admitted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Exact top k over every chunk (restricted to `admitted` ids when given)."""
        k = max(1, k)
        q = _f32(queries)
        best_s, best_i = exact_top(q, np.zeros(0, dtype=np.int64),
                                   np.zeros((0, self.dim), dtype=np.float32), k)
        for ids, matrix in self.chunks:
            if admitted is not None:
                keep = np.isin(ids, admitted)
                ids, matrix = ids[keep], matrix[keep]
            s, i = exact_top(q, ids, matrix, k)
            best_s, best_i = merge_top(best_s, best_i, s, i, k)
        return best_s, best_i

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """Vectors of these ids (all must be in the delta)."""
        want = _i64(ids)
        out = np.zeros((len(want), self.dim), dtype=np.float32)
        for chunk_ids, matrix in self.chunks:
            order = np.argsort(chunk_ids)
            pos = np.searchsorted(chunk_ids, want, sorter=order).clip(0, len(chunk_ids) - 1)
            rows = order[pos]
            hit = chunk_ids[rows] == want
            out[hit] = matrix[rows[hit]]
        return out


def merge_top(s1: np.ndarray, i1: np.ndarray, s2: np.ndarray, i2: np.ndarray,
              k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of two (scores, ids) results per row; -1 ids sort last."""
    scores = np.hstack([s1, s2])
    ids = np.hstack([i1, i2])
    scores = np.where(ids < 0, -np.inf, scores)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, 1), np.take_along_axis(ids, order, 1)
