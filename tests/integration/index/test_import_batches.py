"""An import's vectors do not depend on how far its writes have got when a batch is embedded."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from corpora.types import StatementIn
from index.service import Library
from index.store import PendingStatement, Store, Stored


class BatchScaled:
    """A stand-in for int8 activations, whose scale is taken over the whole batch: a text's
    vector depends on the texts embedded beside it."""

    name = "batch-scaled-8"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            out[r, len(t) % self.dim] = 1.0
            out[r, (len(t) + 3) % self.dim] = len(texts) / 10
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class HeldWriters:
    """Writers that write a batch only when its result is asked for, as Ray actors busy with
    earlier batches do: the next batches are embedded before this one is stored."""

    count = 2

    def __init__(self, store: Store) -> None:
        self.store = store

    def submit(self, pending: Sequence[PendingStatement],
               embeddings: dict[tuple[str, str], bytes]) -> Any:
        return list(pending), embeddings

    def result(self, handle: Any) -> Stored:
        return self.store.write(handle[0], handle[1], None)


def records() -> list[StatementIn]:
    # Texts 0-39 again in the third and fourth batches, under other speakers.
    return [StatementIn(text=f"The ferry timetable changes at stop number {i % 60} this week.",
                        id=f"s{i}", speaker=f"Dock Warden{i % 7}") for i in range(100)]


def vectors(store: Store) -> dict[tuple[str | None, str], bytes]:
    """(speaker, text) -> the stored embedding of every statement."""
    return {(r.speaker, r.text): r.embedding or b""
            for batch in store.iter_index_rows() for r in batch}


def test_held_writes_store_the_vectors_of_an_import_written_batch_by_batch(
        tmp_path: Path) -> None:
    plain = Library(Store(f"sqlite:///{tmp_path / 'a.db'}"), BatchScaled(), tmp_path / "a")
    plain.load()
    plain.import_statements(records(), batch=25, index=False)
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    embedder = BatchScaled()
    held = Library(store, embedder, tmp_path / "b")
    held.load()
    held.import_statements(records(), batch=25, index=False, writers=HeldWriters(store))
    got, want = vectors(store), vectors(plain.store)
    assert len(want) == 100 and got == want
    # Each text was embedded once, in the batch that brought it first.
    assert len(embedder.seen) == len(set(embedder.seen)) == 60
    plain.store.close()
    store.close()
