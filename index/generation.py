"""What a search reads: a published generation of the indexes and the delta beside it."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from corpora.errors import StateError
from index.lexical import LexDoc, LexFilter, LexicalIndex
from index.meta import MetaColumns, MetaFilter, MetaRow, meta_row
from index.types import IndexRow
from index.vectors import DeltaVectors, MainVectors, VectorSpec, merge_top

log = logging.getLogger("quotetrace.index")

MANIFEST = "index.json"


@dataclass(frozen=True)
class Manifest:
    """What a published generation holds and was built with."""

    model: str
    dimension: int
    count: int
    max_statement_id: int
    max_mention_id: int
    generation: str
    vectors: VectorSpec = field(default_factory=VectorSpec)
    lexical: str = "tantivy"
    created: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def read(cls, directory: Path) -> Manifest | None:
        path = directory / MANIFEST
        if not path.exists():
            return None
        try:
            raw = json.loads(path.read_text())
            if "generation" not in raw:
                log.warning("index at %s is of an older layout: it will be rebuilt", directory)
                return None
            raw["vectors"] = VectorSpec(**raw.get("vectors") or {})
            return cls(**raw)
        except (ValueError, TypeError) as e:
            # The database is the source of truth: an index it cannot read is built again.
            log.warning("unreadable index manifest %s (%s): the index will be rebuilt", path, e)
            return None


class Generation:
    """A published, immutable main index: vectors, lexical index and metadata columns."""

    def __init__(self, manifest: Manifest, vectors: MainVectors, lexical: LexicalIndex,
                 meta: MetaColumns, path: Path | None = None) -> None:
        self.manifest = manifest
        self.vectors = vectors
        self.lexical = lexical
        self.meta = meta
        self.path = path

    @classmethod
    def empty(cls, model: str, dim: int) -> Generation:
        return cls(Manifest(model, dim, 0, 0, 0, ""), MainVectors(dim),
                   LexicalIndex.in_memory(), MetaColumns.empty())

    @classmethod
    def open(cls, directory: Path, manifest: Manifest) -> Generation:
        path = directory / manifest.generation
        vectors = MainVectors.read(path / "vectors.faiss", manifest.dimension, manifest.vectors)
        meta = MetaColumns.load(path / "meta")
        lexical = LexicalIndex.open(path / "lexical")
        if not vectors.count == meta.count == lexical.count == manifest.count:
            raise StateError(f"index generation {path} does not match its manifest")
        return cls(manifest, vectors, lexical, meta, path)


@dataclass(frozen=True)
class Delta:
    """Rows read from the database past the generation's marks (new or re-read statements)."""

    vectors: DeltaVectors
    lexical: LexicalIndex  # in memory, appended; a tantivy searcher is a snapshot
    rows: Mapping[int, MetaRow]
    statement_mark: int
    mention_mark: int

    @classmethod
    def empty(cls, dim: int, statement_mark: int, mention_mark: int) -> Delta:
        return cls(DeltaVectors(dim), LexicalIndex.in_memory(), {}, statement_mark, mention_mark)


class View:
    """What one search reads: a generation and a delta, swapped whole, never mutated."""

    def __init__(self, generation: Generation, delta: Delta,
                 excluded: frozenset[int] = frozenset()) -> None:
        self.generation = generation
        self.delta = delta
        self.excluded = excluded
        main = generation.meta
        rows = np.fromiter(delta.rows, dtype=np.int64, count=len(delta.rows))
        in_main = main.positions(rows) >= 0
        self._shadow = np.sort(rows[in_main])  # main statements whose rows the delta replaces
        self._new = np.sort(rows[~in_main])

    @property
    def count(self) -> int:
        return self.generation.meta.count + len(self._new) - len(self.excluded)

    @property
    def new_ids(self) -> np.ndarray:
        """Ids held by the delta alone, sorted."""
        return self._new

    def ids(self) -> np.ndarray:
        """Every statement id the indexes hold, sorted."""
        ids = np.union1d(np.asarray(self.generation.meta.ids), self._new)
        if self.excluded:
            ids = np.setdiff1d(ids, np.fromiter(self.excluded, dtype=np.int64))
        return ids

    def excluding(self, ids: set[int]) -> View:
        """The same indexes with these statements left out of every search."""
        return View(self.generation, self.delta, frozenset(ids) | self.excluded)

    def row(self, sid: int) -> MetaRow | None:
        if sid in self.excluded:
            return None
        got = self.delta.rows.get(sid)
        if got is not None:
            return got
        pos = int(self.generation.meta.positions(np.array([sid]))[0])
        return self.generation.meta.row(pos) if pos >= 0 else None

    def rows(self, ids: Sequence[int]) -> list[MetaRow | None]:
        main = self.generation.meta
        pos = main.positions(np.asarray(ids, dtype=np.int64))
        out: list[MetaRow | None] = []
        for sid, p in zip(ids, pos, strict=True):
            got = self.delta.rows.get(sid)
            if sid in self.excluded:
                got = None
            elif got is None and p >= 0:
                got = main.row(int(p))
            out.append(got)
        return out

    # -- filters ---------------------------------------------------------------------------
    def _admitted(self, f: MetaFilter | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(main ids, delta ids) a filter admits; (None, None) when there is no filter."""
        if f is None or not f.active:
            return None, None
        main = self.generation.meta.admitted(f)
        if len(self._shadow):
            main = np.setdiff1d(main, self._shadow, assume_unique=True)
        ok = np.array(sorted(i for i, r in self.delta.rows.items() if f.accepts(r)),
                      dtype=np.int64)
        shadow_ok = ok[np.isin(ok, self._shadow)]
        return np.union1d(main, shadow_ok), ok[~np.isin(ok, self._shadow)]

    def _lex_filter(self, f: MetaFilter | None) -> tuple[LexFilter | None, LexFilter | None]:
        """Filters for the generation's and the delta's lexical index."""
        if f is None or not f.active:
            return None, None
        meta = self.generation.meta
        main = LexFilter(
            speakers=tuple(meta.speaker_codes(f.speaker)) if f.speaker is not None else None,
            outlets=tuple(meta.outlet_codes(f.outlet)) if f.outlet is not None else None,
            since=f.since, until=f.until)
        ok = tuple(i for i, r in self.delta.rows.items() if f.accepts(r))
        return main, LexFilter(ids=ok)

    # -- searches --------------------------------------------------------------------------
    def dense(self, queries: np.ndarray, k: int,
              f: MetaFilter | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest statements that pass the filter, per query row."""
        main_ok, delta_ok = self._admitted(f)
        extra = len(self.excluded)
        s1, i1 = self.generation.vectors.search(queries, k + extra, main_ok)
        ids = self._new if delta_ok is None else delta_ok
        s2, i2 = self.delta.vectors.search(queries, k + extra, ids)
        scores, found = merge_top(s1, i1, s2, i2, k + extra)
        if extra:
            drop = np.isin(found, np.fromiter(self.excluded, dtype=np.int64))
            found = np.where(drop, -1, found)
            scores, found = merge_top(scores, found, scores[:, :0], found[:, :0], k)
        return scores, found

    def lexical(self, field_name: str, text: str, k: int,
                f: MetaFilter | None = None) -> list[tuple[int, float]]:
        """(id, BM25) of the k best statements that pass the filter."""
        main_f, delta_f = self._lex_filter(f)
        # The generation's documents of statements the delta holds anew are left out, and so
        # are excluded statements.
        skip = tuple(int(i) for i in self._shadow) + tuple(self.excluded)
        if skip:
            main_f = dataclasses.replace(main_f or LexFilter(), exclude=skip)
        hits = self.generation.lexical.search(field_name, text, k, main_f)
        if self.delta.rows:
            if self.excluded:
                delta_f = dataclasses.replace(delta_f or LexFilter(),
                                              exclude=tuple(self.excluded))
            hits += [(i, s) for i, s in self.delta.lexical.search(field_name, text, k, delta_f)
                     if i in self.delta.rows]
        hits.sort(key=lambda h: -h[1])
        return hits[:k]

    def lexical_scores(self, field_name: str, text: str,
                       ids: Sequence[int]) -> dict[int, float]:
        """BM25 of the text against each of these statements (absent: shares no term)."""
        if not ids:
            return {}
        in_delta = [i for i in ids if i in self.delta.rows]
        in_main = [i for i in ids if i not in self.delta.rows]
        out = self.generation.lexical.scores(field_name, text, in_main) if in_main else {}
        if in_delta:
            out.update(self.delta.lexical.scores(field_name, text, in_delta))
        return out

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The indexed vectors of these statements (all must be held)."""
        arr = np.asarray(ids, dtype=np.int64)
        out = np.zeros((len(arr), self.generation.vectors.dim), dtype=np.float32)
        new = np.isin(arr, self._new)
        if new.any():
            out[new] = self.delta.vectors.vectors(arr[new])
        if (~new).any():
            out[~new] = self.generation.vectors.vectors(arr[~new])
        return out

    # -- growth ----------------------------------------------------------------------------
    def with_rows(self, rows: Sequence[IndexRow], vectors: np.ndarray, statement_mark: int,
                  mention_mark: int) -> View:
        """A view whose delta also holds these rows (their vectors in `vectors`)."""
        d = self.delta
        if not rows:
            return View(self.generation, Delta(d.vectors, d.lexical, d.rows, statement_mark,
                                               mention_mark), self.excluded)
        main = self.generation.meta
        ids = np.array([r.id for r in rows], dtype=np.int64)
        fresh = (main.positions(ids) < 0) & ~np.isin(ids, self._new)
        metas = {r.id: row_meta(r) for r in rows}
        d.lexical.add((LexDoc(r.id, r.text, r.context, lo=metas[r.id].lo, hi=metas[r.id].hi)
                       for r in rows), replace=True)
        delta = Delta(d.vectors.with_added(ids[fresh], vectors[fresh]), d.lexical,
                      {**d.rows, **metas}, statement_mark, mention_mark)
        return View(self.generation, delta, self.excluded)


def unseen(view: View, rows: Sequence[IndexRow]) -> np.ndarray:
    """Ids among `rows` that the view does not hold yet."""
    if not rows:
        return np.zeros(0, dtype=np.int64)
    ids = np.array([r.id for r in rows], dtype=np.int64)
    held = view.generation.meta.positions(ids) >= 0
    return np.setdiff1d(ids[~held], view.new_ids)


def row_meta(r: IndexRow) -> MetaRow:
    return meta_row(r.speaker, r.first_seen, r.days, r.outlets)


def vectors_of(rows: Sequence[IndexRow], dim: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack([np.frombuffer(r.embedding or b"", dtype=np.float32) for r in rows])
