"""The whole index path: ingest, publish, reload, catch up and rebuild from the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpora.readers import read_path
from corpora.types import ClaimIn, StatementIn
from index.matcher import Filters
from index.service import Library
from index.store import Store
from tests.conftest import DEMO

pytestmark = pytest.mark.slow


def open_lib(data: Path, url: str, embedder, extractor) -> Library:  # type: ignore[no-untyped-def]
    lib = Library(Store(url), embedder, data, extractor_factory=lambda: extractor)
    lib.load()
    return lib


def test_round_trip_publish_reload_rebuild(tmp_path: Path, store_url: str, embedder,
                                           extractor) -> None:  # type: ignore[no-untyped-def]
    lib = open_lib(tmp_path, store_url, embedder, extractor)
    lib.ingest(read_path(DEMO))
    lib.flush()
    n = lib.store.counts()["statements"]
    assert lib.snapshot.count == n > 30
    before = lib.match(ClaimIn(claim="no plans to ration water this summer"), k=3)
    lib.store.close()

    again = open_lib(tmp_path, store_url, embedder, extractor)  # loads the published index
    assert again.snapshot.count == n
    assert again.match(ClaimIn(claim="no plans to ration water this summer"), k=3) == before
    # Statements stored after the last publish are caught up at load.
    again.import_statements([StatementIn(text="A new imported line about ferries.", id="n1")])
    again.store.close()
    third = open_lib(tmp_path, store_url, embedder, extractor)
    assert third.snapshot.count == n + 1
    # A lost index is rebuilt from the database.
    shutil.rmtree(tmp_path / "index")
    fourth = open_lib(tmp_path, store_url, embedder, extractor)
    assert fourth.snapshot.count == n + 1
    assert fourth.reindex().count == n + 1
    fourth.store.close()
    third.store.close()


def test_demo_provenance_shows_the_first_source(tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    lib = open_lib(tmp_path, f"sqlite:///{tmp_path / 'q.db'}", embedder, extractor)
    lib.ingest(read_path(DEMO))
    r = lib.match(ClaimIn(claim="Varga: we have no plans to ration water this summer"), k=3)
    top = r.matches[0]
    assert top.speaker == "Elena Varga" and top.verdict in {"verbatim", "fragment"}
    assert top.mentions == 2 and top.first_seen == "2024-03-06"
    assert top.outlet == "The Marren Ledger"
    wrong = lib.match(ClaimIn(claim="Brenner said our reservoirs are at seventy percent"), k=3)
    assert wrong.verdict == "misattributed" and wrong.matches[0].speaker == "Elena Varga"
    none = lib.match(ClaimIn(claim="The moon landing was filmed in a studio"), k=3)
    assert none.verdict == "no_match"
    ledger_only = lib.match(ClaimIn(claim="ration water this summer"), k=5,
                            filters=Filters(outlet="Riverside Courier"))
    assert all(m.outlet == "Riverside Courier" or m.mentions > 1 for m in ledger_only.matches)
    lib.store.close()


def test_a_second_process_sees_new_statements(tmp_path: Path, store_url: str, embedder,
                                              extractor) -> None:  # type: ignore[no-untyped-def]
    writer = open_lib(tmp_path / "w", store_url, embedder, extractor)
    reader = open_lib(tmp_path / "r", store_url, embedder, extractor)
    claim = ClaimIn(claim="the lighthouse on Holm island will be repainted in red")
    assert reader.match(claim).verdict == "no_match"
    writer.import_statements([StatementIn(
        text="The lighthouse on Holm island will be repainted in red.", id="l1")])
    reader._last_refresh = 0.0  # the next match may refresh at once
    found = reader.match(claim)
    assert found.verdict == "verbatim" and found.matches[0].external_id == "l1"
    assert reader.snapshot.count == reader.store.counts()["statements"]
    writer.store.close()
    reader.store.close()


def test_the_claim_date_prefers_the_statement_made_around_then(tmp_path: Path, embedder,
                                                               extractor) -> None:  # type: ignore[no-untyped-def]
    lib = open_lib(tmp_path, f"sqlite:///{tmp_path / 'q.db'}", embedder, extractor)
    lib.import_statements([
        StatementIn(text="Ferry fares will fall next year.", id="old", speaker="Ada Lind",
                    date="2020-01-01"),
        StatementIn(text="Ferry fares will fall next year.", id="new", speaker="Ola Berg",
                    date="2024-05-01")])
    recent = lib.match(ClaimIn(claim="ferry fares will fall next year", date="2024-05-02"), k=2)
    early = lib.match(ClaimIn(claim="ferry fares will fall next year", date="2020-01-03"), k=2)
    assert [m.external_id for m in recent.matches] == ["new", "old"]
    assert [m.external_id for m in early.matches] == ["old", "new"]
    lib.store.close()


def test_context_and_speaker_pick_the_source_among_similar_statements(
        tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    lib = open_lib(tmp_path, f"sqlite:///{tmp_path / 'q.db'}", embedder, extractor)
    lib.import_statements([
        StatementIn(text="Says the bridge toll has doubled since 2019.", id="toll",
                    speaker="Ada Lind", context="Lind overstates the rise of the Harbour "
                                                "Bridge toll"),
        StatementIn(text="Says the ferry fare has doubled since 2019.", id="fare",
                    speaker="Ola Berg", context="Berg is right that Holm ferry fares doubled"),
    ])
    # Alone, "it has doubled since 2019" could be either; the lines before it say which.
    ferry = lib.match(ClaimIn(claim="It has doubled since 2019.",
                              context="We talked to commuters on the Holm ferry about fares."),
                      k=2, below=True)
    bridge = lib.match(ClaimIn(claim="It has doubled since 2019.",
                               context="Drivers on the Harbour Bridge are angry about the toll."),
                       k=2, below=True)
    assert ferry.matches[0].external_id == "fare" and bridge.matches[0].external_id == "toll"
    by_berg = lib.match(ClaimIn(claim="It has doubled since 2019.", speaker="Ola Berg"), k=2,
                        below=True)
    assert by_berg.matches[0].external_id == "fare"
    assert all(0.0 < m.relevance < 1.0 for m in ferry.matches)
    lib.store.close()


def test_below_lists_the_nearest_statements_without_calling_them_matches(
        tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    lib = open_lib(tmp_path, f"sqlite:///{tmp_path / 'q.db'}", embedder, extractor)
    lib.ingest(read_path(DEMO))
    claim = ClaimIn(claim="The moon landing was filmed in a studio")
    plain = lib.match(claim, k=3)
    ranked = lib.match(claim, k=3, below=True)
    assert plain.verdict == ranked.verdict == "no_match" and plain.matches == []
    assert len(ranked.matches) == 3 and {m.verdict for m in ranked.matches} == {"no_match"}
    rels = [m.relevance for m in ranked.matches]
    assert rels == sorted(rels, reverse=True)
    # A real match keeps its verdict in either mode, and comes first.
    found = lib.match(ClaimIn(claim="Varga: we have no plans to ration water this summer"),
                      k=3, below=True)
    assert found.verdict in {"verbatim", "fragment"} and found.matches[0].speaker == "Elena Varga"
    lib.store.close()


def test_load_removes_builds_that_were_never_published(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'q.db'}"
    lib = open_lib(tmp_path, url, embedder, None)
    lib.import_statements([StatementIn(text="Ferries will run all winter.", id="f1")])
    lib.flush()
    lib.import_statements([StatementIn(text="The bridge opens in May.", id="f2")])
    lib.flush()
    lib.store.close()
    index = tmp_path / "index"
    published = sorted(p.name for p in index.glob("gen-*"))
    assert len(published) == 2  # the current generation and the one before it
    # What kills leave: a build newer than the published one, and an old one.
    for dead in ("gen-9999999999999999999", "gen-0000000000000000001"):
        (index / dead / "lexical").mkdir(parents=True)
    again = open_lib(tmp_path, url, embedder, None)
    assert sorted(p.name for p in index.glob("gen-*")) == published
    assert again.snapshot.count == 2
