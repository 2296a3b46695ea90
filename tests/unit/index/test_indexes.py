"""The FAISS snapshot publish/load cycle and BM25 search."""

from pathlib import Path

import numpy as np
import pytest

from corpora.errors import StateError
from index.lexical import LexicalIndex
from index.vectors import MANIFEST, VectorIndex


def unit(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_with_added_leaves_the_searched_snapshot_untouched() -> None:
    base = VectorIndex(8).with_added(np.array([1, 2]), unit(2))
    grown = base.with_added(np.array([3]), unit(1, seed=1))
    assert (base.count, grown.count, grown.max_id) == (2, 3, 3)


def test_publish_and_load_round_trip(tmp_path: Path) -> None:
    vecs = unit(5)
    idx = VectorIndex(8).with_added(np.arange(10, 15), vecs)
    m = idx.publish(tmp_path, "model-x")
    assert (m.count, m.max_statement_id) == (5, 14)
    loaded, manifest = VectorIndex.load(tmp_path, "model-x", 8)  # type: ignore[misc]
    _, ids = loaded.search(vecs[2:3], 1)
    assert ids[0][0] == 12 and manifest.file == m.file
    assert len(list(tmp_path.glob("vectors-*.faiss"))) == 1
    assert not list(tmp_path.glob(".*tmp"))


def test_load_refuses_another_model_or_dimension(tmp_path: Path) -> None:
    VectorIndex(8).with_added(np.array([1]), unit(1)).publish(tmp_path, "model-x")
    with pytest.raises(StateError, match="reindex"):
        VectorIndex.load(tmp_path, "model-y", 8)
    with pytest.raises(StateError):
        VectorIndex.load(tmp_path, "model-x", 16)
    assert VectorIndex.load(tmp_path / "none", "model-x", 8) is None
    (tmp_path / MANIFEST).write_text("{broken")
    with pytest.raises(StateError, match="unreadable"):
        VectorIndex.load(tmp_path, "model-x", 8)


def test_bm25_ranks_the_document_with_the_rare_words_first() -> None:
    lex = LexicalIndex.build([(1, "rates will not be cut"), (2, "the harbour silt doubled")])
    lex = lex.with_added([(3, "harbour dredging funds requested")])
    assert next(i for i, _ in lex.search("silt in the harbour", 3)) == 2
    assert lex.search("", 3) == []
