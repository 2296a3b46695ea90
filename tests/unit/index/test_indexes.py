"""The index parts: FAISS main and delta vectors, the tantivy lexical index, metadata columns."""

from pathlib import Path

import numpy as np
import pytest

from index.lexical import TEXT, LexDoc, LexFilter, LexicalIndex
from index.meta import MetaColumns, MetaColumnsBuilder, MetaFilter, meta_row, speaker_matches
from index.vectors import (
    EF_SEARCHES,
    FLAT_MAX,
    RECALL_TARGET,
    DeltaVectors,
    MainVectors,
    build_main,
    exact_top,
)


def unit(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_delta_with_added_leaves_the_searched_delta_untouched() -> None:
    base = DeltaVectors(8).with_added(np.array([1, 2]), unit(2))
    grown = base.with_added(np.array([3]), unit(1, seed=1))
    assert (base.count, grown.count) == (2, 3)
    many = grown
    for i in range(20):  # chunks are joined now and then; contents stay the same
        many = many.with_added(np.array([10 + i]), unit(1, seed=10 + i))
    assert len(many.chunks) <= 9 and sorted(many.ids().tolist()) == [1, 2, 3, *range(10, 30)]
    q = unit(1, seed=15)
    _, ids = many.search(q, 1)
    assert ids[0][0] == 15
    assert np.allclose(many.vectors(np.array([15, 2])), np.vstack([q[0], base.vectors(
        np.array([2]))[0]]))
    _, ids = many.search(q, 3, admitted=np.array([1, 2]))
    assert sorted(ids[0][:2].tolist()) == [1, 2] and ids[0][2] == -1


def test_flat_main_round_trip_and_filtered_search(tmp_path: Path) -> None:
    vecs = unit(50)
    main = build_main(8, 50, [(np.arange(100, 150), vecs)])
    assert main.spec.kind == "flat"
    main.write(tmp_path / "v.faiss")
    loaded = MainVectors.read(tmp_path / "v.faiss", 8, main.spec)
    _, ids = loaded.search(vecs[7:8], 1)
    assert ids[0][0] == 107
    _, ids = loaded.search(vecs[7:8], 2, admitted=np.array([120, 130]))
    assert sorted(ids[0].tolist()) == [120, 130]
    assert loaded.search(vecs[:1], 3, admitted=np.array([], dtype=np.int64))[1][0][0] == -1


def test_a_large_main_index_is_hnsw_with_measured_recall(tmp_path: Path) -> None:
    n, dim = FLAT_MAX + 10_000, 16
    rng = np.random.default_rng(3)
    centres = unit(200, dim, seed=4)
    vecs = centres[rng.integers(0, 200, n)] + 0.25 * rng.normal(size=(n, dim))
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    ids = np.arange(1, n + 1)
    batches = [(ids[i:i + 20_000], vecs[i:i + 20_000]) for i in range(0, n, 20_000)]
    main = build_main(dim, n, batches, train=vecs[::3])
    assert main.spec.kind == "hnsw-sq8" and main.spec.ef_search > 0
    assert main.spec.sample_recall is not None
    assert main.spec.sample_recall >= RECALL_TARGET or main.spec.ef_search == EF_SEARCHES[-1]
    main.write(tmp_path / "v.faiss")
    loaded = MainVectors.read(tmp_path / "v.faiss", dim, main.spec)
    # Queries like real ones: near the data, not random directions.
    near = vecs[rng.integers(0, n, 50)] + 0.2 * rng.normal(size=(50, dim))
    queries = (near / np.linalg.norm(near, axis=1, keepdims=True)).astype(np.float32)
    _, got = loaded.search(queries, 10)
    _, want = exact_top(queries, ids, vecs, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want, strict=True)])
    assert recall >= 0.95
    # A filter admitting few ids is searched exactly, one admitting many through a selector.
    few = np.sort(rng.choice(ids, 30, replace=False))
    _, got = loaded.search(queries[:1], 5, admitted=few)
    _, want = exact_top(queries[:1], few, vecs[few - 1], 5)
    assert got[0][:2].tolist() == want[0][:2].tolist()  # decoded vectors: near ties may swap
    assert len(set(got[0]) & set(want[0])) >= 4 and set(got[0]) <= set(few)
    many = ids[ids % 2 == 0]
    _, got = loaded.search(queries[:5], 10, admitted=many)
    assert (got % 2 == 0).all()
    # Decoded vectors are close to the stored ones (8-bit quantisation).
    assert np.abs(loaded.vectors(ids[:5]) - vecs[:5]).max() < 0.05


def docs() -> list[LexDoc]:
    return [LexDoc(1, "rates will not be cut", "Bank holds", speaker=0, outlets=(0,), lo=10,
                   hi=10),
            LexDoc(2, "the harbour silt doubled", None, speaker=1, outlets=(1,), lo=20, hi=30),
            LexDoc(3, "harbour dredging funds requested", "Harbour news", speaker=0,
                   outlets=(0, 1), lo=40, hi=40)]


def test_bm25_ranks_the_document_with_the_rare_words_first(tmp_path: Path) -> None:
    lex = LexicalIndex.create(tmp_path / "lex")
    lex.add(docs())
    assert next(i for i, _ in lex.search(TEXT, "silt in the harbour", 3)) == 2
    assert lex.search(TEXT, "", 3) == [] and lex.search(TEXT, "the of", 3) == []
    again = LexicalIndex.open(tmp_path / "lex")
    assert again.count == 3 and again.search(TEXT, "dredging", 1)[0][0] == 3
    # Scores of chosen statements, sharing a term or not.
    scores = again.scores(TEXT, "harbour rates", [1, 2, 3])
    assert set(scores) == {1, 2, 3} and scores[1] > 0
    assert again.scores(TEXT, "harbour", [1]) == {}


def test_lexical_filters_apply_inside_the_search() -> None:
    lex = LexicalIndex.in_memory()
    lex.add(docs())
    assert [i for i, _ in lex.search(TEXT, "harbour", 5, LexFilter(speakers=(0,)))] == [3]
    assert [i for i, _ in lex.search(TEXT, "harbour", 5, LexFilter(outlets=(1,)))] == [2, 3] \
        or [i for i, _ in lex.search(TEXT, "harbour", 5, LexFilter(outlets=(1,)))] == [3, 2]
    assert [i for i, _ in lex.search(TEXT, "harbour", 5, LexFilter(since=25, until=35))] == [2]
    assert [i for i, _ in lex.search(TEXT, "harbour", 5, LexFilter(ids=(2,)))] == [2]
    # A filter adds nothing to the score.
    plain = dict(lex.search(TEXT, "harbour", 5))
    assert dict(lex.search(TEXT, "harbour", 5, LexFilter(speakers=(0, 1)))) == plain
    lex.add([LexDoc(2, "no longer about that", None)], replace=True)
    assert [i for i, _ in lex.search(TEXT, "harbour", 5)] == [3]


def columns() -> MetaColumns:
    b = MetaColumnsBuilder()
    names = ["Sergey Lavrov", "Joe Biden", "Hunter Biden", "Anna Lane", None, "Annabel Ross"]
    for i, name in enumerate(names):
        b.add(10 + i, meta_row(name, f"2024-01-0{i + 1}", [f"2024-02-0{i + 1}"],
                               [f"Outlet {i % 2}", "Tass" if i == 0 else ""]))
    return b.build()


@pytest.mark.parametrize("wanted", ["Lavrov", "Biden", "Joe Biden", "anna", "Mr. Joe Biden",
                                    "Ross", "nobody", "an"])
def test_speaker_codes_admit_what_the_filter_accepts(wanted: str) -> None:
    cols = columns()
    got = {cols.speakers[c] for c in cols.speaker_codes(wanted)}
    assert got == {s for s in cols.speakers if speaker_matches(wanted, s)}


def test_admitted_ids_follow_speaker_outlet_and_dates(tmp_path: Path) -> None:
    cols = columns()
    cols.save(tmp_path)
    cols = MetaColumns.load(tmp_path)
    assert cols.admitted(MetaFilter(speaker="Biden")).tolist() == [11, 12]
    assert cols.admitted(MetaFilter(outlet="tass")).tolist() == [10]
    assert cols.admitted(MetaFilter(outlet="outlet 1")).tolist() == [11, 13, 15]
    d = meta_row(None, "2024-02-02", [], []).lo
    assert cols.admitted(MetaFilter(since=d, until=d + 1)).tolist() == [11, 12]
    row = cols.row(int(cols.positions(np.array([10]))[0]))
    assert row.speaker == "Sergey Lavrov" and row.outlets == ("outlet 0", "tass")
    grown = cols.updated({10: meta_row("Sergey Lavrov", None, [], ["Ria"]),
                          99: meta_row("New Person", None, [], [])})
    assert grown.count == 7 and grown.row(int(grown.positions(np.array([10]))[0])).outlets == (
        "ria",)
    assert grown.admitted(MetaFilter(speaker="New Person")).tolist() == [99]
    assert grown.positions(np.array([99, 5])).tolist() == [6, -1]
