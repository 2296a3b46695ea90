"""At 100,000 statements: filters restrict retrieval itself, and writes go to the delta."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from corpora.types import ClaimIn, StatementIn
from index.matcher import Filters
from index.service import Library
from index.store import Store

pytestmark = pytest.mark.slow
N = 100_000
RARE = [f"Rare Voice{i:02d}" for i in range(30)]
WORDS = ["ferry", "harbour", "budget", "tariff", "reservoir", "library", "bridge", "flood",
         "school", "rail", "tax", "clinic", "road", "port", "grain", "power"]


class WordVectors:
    """A stand-in embedder: a text's words hashed into 32 dimensions (no model to load)."""

    name = "word-hash-32"
    dim = 32

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in t.lower().split():
                h = int(hashlib.blake2b(w.encode(), digest_size=4).hexdigest(), 16)
                out[r, h % self.dim] += 1.0 if h & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def records() -> list[StatementIn]:
    rng = np.random.default_rng(5)
    out = []
    for i in range(N):
        words = " ".join(WORDS[j] for j in rng.integers(0, len(WORDS), 6))
        out.append(StatementIn(text=f"Statement {i} on the {words}.", id=f"s{i}",
                               speaker=f"Common Person{i % 400}",
                               outlet=f"Outlet {i % 50}", date=f"20{10 + i % 14}-05-01"))
    for j, who in enumerate(RARE):
        for n in range(3):
            out.append(StatementIn(text=f"{who} spoke of the grain port, remark {n}.",
                                   id=f"r{j}-{n}", speaker=who, outlet="Rare Outlet",
                                   date="2009-01-0" + str(n + 1)))
    return out


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    data = tmp_path_factory.mktemp("scale")
    lib = Library(Store(f"sqlite:///{data / 'q.db'}"), WordVectors(), data)
    lib.load()
    lib.import_statements(records(), index=False)
    lib.flush()
    return lib


def test_the_published_index_past_flat_size_is_approximate(library: Library) -> None:
    m = library.snapshot.generation.manifest
    assert m.count == N + 3 * len(RARE) == library.snapshot.count
    assert m.vectors.kind == "hnsw-sq8" and m.vectors.ef_search > 0
    assert library.upkeep.delta_size == 0


def test_an_unrelated_claim_with_a_rare_speaker_lists_that_speakers_statements(
        library: Library) -> None:
    found = 0
    for who in RARE:
        r = library.match(ClaimIn(claim="the orchestra rehearses on Thursdays"), k=5,
                          filters=Filters(speaker=who), below=True)
        speakers = {m.speaker for m in r.matches}
        assert speakers <= {who}
        found += len(r.matches)
    assert found == 3 * len(RARE)  # every statement of all 30 speakers, none missed


def test_outlet_and_date_filters_reach_outside_the_global_top(library: Library) -> None:
    r = library.match(ClaimIn(claim="ferry budget"), k=5, below=True,
                      filters=Filters(outlet="Rare Outlet", since="2009-01-02",
                                      until="2009-01-02"))
    assert len(r.matches) == 5
    assert all(m.outlet == "Rare Outlet" and m.date == "2009-01-02" for m in r.matches)


def test_a_write_goes_to_the_delta_and_is_found_at_once(library: Library) -> None:
    before = library.snapshot.generation
    library.import_statements([StatementIn(text="The observatory dome opens at dusk.",
                                           id="new-1", speaker="Vera Nightingale")])
    assert library.snapshot.generation is before and library.upkeep.delta_size == 1
    r = library.match(ClaimIn(claim="the observatory dome opens at dusk"), k=1)
    assert r.matches[0].speaker == "Vera Nightingale" and r.verdict == "verbatim"
    r = library.match(ClaimIn(claim="rehearsal"), k=3, filters=Filters(speaker="Nightingale"),
                      below=True)
    assert [m.external_id for m in r.matches] == ["new-1"]
    # A merge makes it part of the next generation, and the delta empties.
    library.flush()
    assert library.snapshot.generation is not before and library.upkeep.delta_size == 0
    r = library.match(ClaimIn(claim="the observatory dome opens at dusk"), k=1)
    assert r.matches[0].external_id == "new-1"


def test_a_new_report_of_an_old_statement_updates_its_filters(library: Library,
                                                                tmp_path: Path) -> None:
    rec = StatementIn(text=f"{RARE[0]} spoke of the grain port, remark 0.", id="again",
                      speaker=RARE[0], outlet="Late Gazette", date="2023-11-11")
    library.import_statements([rec])
    r = library.match(ClaimIn(claim="grain port"), k=3, below=True,
                      filters=Filters(outlet="Late Gazette"))
    assert [m.speaker for m in r.matches] == [RARE[0]]
    library.flush()
    r = library.match(ClaimIn(claim="grain port"), k=3, below=True,
                      filters=Filters(outlet="Late Gazette"))
    assert [m.speaker for m in r.matches] == [RARE[0]]
