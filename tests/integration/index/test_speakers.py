"""The speaker registry: one canonical speaker per person across articles, on both stores."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from corpora.types import Article, ClaimIn
from index.matcher import Filters
from index.service import Library
from index.speaker_ops import Speakers
from index.store import PendingStatement, Store
from tests.integration.index.speaker_support import said, write


def test_surname_and_role_mentions_link_to_the_person_named_in_full(store_url: str) -> None:
    store = Store(store_url)
    first = write(store, 1, "2024-05-02",
                  said("The budget will balance.", "Karla Jensen", "Finance Minister"))
    surname = write(store, 2, "2024-05-03", said("Growth comes back in May.", "Jensen"))
    role = write(store, 3, "2024-05-04",
                 said("We will not raise taxes.", None, "the finance minister"))
    named = write(store, 4, "2024-05-01", said("We will not raise taxes!", "Karla Jensen"))
    views = store.statements(first + surname + role)
    assert {v.speaker for v in views.values()} == {"Karla Jensen"}
    # The same words under the role and under the name are one statement, first seen in
    # the earlier report.
    assert named == role
    taxes = store.statement(role[0])
    assert taxes.first_seen == "2024-05-01"
    assert [m.published for m in taxes.mentions] == ["2024-05-01", "2024-05-04"]
    assert store.counts()["statements"] == 3
    store.close()


def test_words_stored_under_a_role_first_are_taken_over_by_the_named_person(
        store_url: str) -> None:
    store = Store(store_url)
    write(store, 1, "2024-05-02",
          said("The budget will balance.", "Karla Jensen", "Finance Minister"))
    # Years before her tenure the role names nobody the registry knows: no speaker.
    early = write(store, 2, "2020-01-01",
                  said("Taxes stay where they are.", None, "finance minister"))
    assert store.statement(early[0]).speaker is None
    later = write(store, 3, "2024-05-05", said("Taxes stay where they are.", "Karla Jensen"))
    assert later == early
    view = store.statement(early[0])
    assert view.speaker == "Karla Jensen" and view.first_seen == "2020-01-01"
    assert store.counts()["statements"] == 2
    store.close()


def test_an_ambiguous_surname_stays_unlinked(store_url: str) -> None:
    store = Store(store_url)
    write(store, 1, "2024-05-02", said("The pier opens.", "Karla Jensen"),
          said("The pier closes.", "Piet Jensen"))
    got = write(store, 2, "2024-05-03", said("Nobody knows.", "Jensen"))
    assert store.statement(got[0]).speaker == "Jensen"  # as the source named it
    store.close()


@pytest.mark.slow
def test_an_honorific_links_a_surname_to_the_person_of_its_gender(store_url: str) -> None:
    store = Store(store_url)
    write(store, 1, "2024-05-02", said("The pier opens.", "Karla Jensen"),
          said("The pier closes.", "Tomas Jensen"))
    ms = dataclasses.replace(said("Tolls stay low.", "Jensen"), speaker_mention="Ms. Jensen")
    mr = dataclasses.replace(said("Tolls go up.", "Jensen"), speaker_mention="Mr. Jensen")
    got = write(store, 2, "2024-05-03", ms, mr)
    assert [store.statement(i).speaker for i in got] == ["Karla Jensen", "Tomas Jensen"]
    # Bare, the surname fits both and stays as the source gave it.
    bare = write(store, 3, "2024-05-04", said("Nobody knows.", "Jensen"))
    assert store.statement(bare[0]).speaker == "Jensen"
    store.close()


def test_in_an_article_mrs_is_never_the_man_of_that_surname(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Tomas Jensen, the harbour master, spoke first, and Tomas Jensen spoke again later. "
            "Karla Jensen, his sister, runs the port. \"The pier will open,\" Mrs. Jensen said. "
            "\"The tolls stay low,\" Mr. Jensen said.")
    got = {a.speaker.mention: a.speaker.name for a in extractor.extract(Article(text=text))}
    assert got == {"Mrs. Jensen": "Karla Jensen", "Mr. Jensen": "Tomas Jensen"}


def test_three_articles_about_one_minister(tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    lib = Library(Store(f"sqlite:///{tmp_path / 'q.db'}"), embedder, tmp_path,
                  extractor_factory=lambda: extractor)
    lib.load()
    texts = [
        ("Finance Minister Karla Jensen said on Monday that the budget would balance. "
         "\"We will not raise taxes,\" Jensen said.", "Harbour Herald", "2024-05-06"),
        ("Parliament met again. \"Growth comes back in the autumn,\" Ms. Jensen added.",
         "Island Post", "2024-05-07"),
        ("\"We will not raise taxes,\" the finance minister said.", "Eastport Daily",
         "2024-05-08"),
    ]
    lib.ingest([Article(text=t, id=f"k{i}", outlet=o, published=d)
                for i, (t, o, d) in enumerate(texts)])
    found = lib.store.search(q="raise taxes")
    assert len(found) == 1 and found[0].speaker == "Karla Jensen"
    assert [m.outlet for m in found[0].mentions] == ["Harbour Herald", "Eastport Daily"]
    growth = lib.store.search(q="Growth comes back")
    assert growth[0].speaker == "Karla Jensen"
    assert growth[0].mentions[0].speaker_mention == "Ms. Jensen"
    assert growth[0].mentions[0].role is None  # an honorific is never a role
    lib.close()


def test_a_surname_stored_before_its_person_links_once_the_person_is_known(
        store_url: str) -> None:
    store = Store(store_url)
    early = write(store, 1, "2024-05-01", said("The pier will open.", "Jensen"),
                  said("Tolls stay low.", "Jensen"))
    assert store.statement(early[0]).speaker == "Jensen"  # nobody known yet: unlinked
    stored = store.write([dataclasses.replace(said("The budget will balance.", "Karla Jensen"),
                                              published="2024-05-02")], {},
                         Article(text="article 2", id="a2", published="2024-05-02"))
    assert stored.speakers_made == ["karla jensen"]
    got = Speakers(store.engine).link_waiting(stored.speakers_made)
    assert (got.considered, got.moved, got.folded) == (2, 2, 0)
    assert [store.statement(i).speaker for i in early] == ["Karla Jensen"] * 2
    assert store.counts()["statements"] == 3
    # Nobody new, nothing to look at.
    assert Speakers(store.engine).link_waiting([]).considered == 0
    # A surname with its particle waits for its person too.
    holt = write(store, 3, "2024-05-03", said("The ferry runs late.", "van Holt"))
    assert store.statement(holt[0]).speaker == "van Holt"
    made = write_made(store, 4, said("The ferry runs on time.", "Piet van Holt"))
    assert Speakers(store.engine).link_waiting(made).moved == 1
    assert store.statement(holt[0]).speaker == "Piet van Holt"
    store.close()


def write_made(store: Store, n: int, *pending: PendingStatement) -> list[str]:
    """Store statements as article `n`; the name keys of the people the write added."""
    art = Article(text=f"article {n}", id=f"a{n}", published="2024-05-04")
    dated = [dataclasses.replace(p, published="2024-05-04") for p in pending]
    return store.write(dated, {}, art).speakers_made


def test_an_ingest_links_the_surnames_an_earlier_ingest_left(tmp_path: Path, embedder,  # type: ignore[no-untyped-def]
                                                              extractor) -> None:
    lib = Library(Store(f"sqlite:///{tmp_path / 'q.db'}"), embedder, tmp_path,
                  extractor_factory=lambda: extractor)
    lib.load()
    lib.ingest([Article(text="\"The pier will open in May,\" Jensen said.", id="k1",
                        outlet="Harbour Herald", published="2024-05-06")])
    assert lib.store.search(q="pier will open")[0].speaker == "Jensen"
    lib.ingest([Article(text="Finance Minister Karla Jensen said the budget would balance.",
                        id="k2", outlet="Island Post", published="2024-05-07")])
    pier = lib.store.search(q="pier will open")
    assert pier[0].speaker == "Karla Jensen"
    # The indexes caught up: the speaker filter finds it under her name.
    got = lib.match(ClaimIn(claim="the pier will open in May"), 3,
                    Filters(speaker="Karla Jensen")).matches
    assert [m.speaker for m in got] == ["Karla Jensen"]
    lib.close()


@pytest.mark.slow
def test_a_merge_reaches_the_indexes_and_the_speaker_filter(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from corpora.types import ClaimIn, StatementIn
    from index.matcher import Filters

    lib = Library(Store(f"sqlite:///{tmp_path / 'q.db'}"), embedder, tmp_path)
    lib.load()
    lib.import_statements([
        StatementIn(id="1", text="The harbour tunnel opens in spring.", speaker="Kaja Brandt"),
        StatementIn(id="2", text="Ferry fares fall by a third.", speaker="Karla Jensen"),
        StatementIn(id="3", text="Ferry fares fall by a third.", speaker="Kaja Brandt")])
    lib.flush()
    ids = {v.name: v.id for v in lib.speakers.find()}
    claim = ClaimIn(claim="the harbour tunnel opens in spring")
    assert lib.match(claim, 3, Filters(speaker="Karla Jensen")).matches == []
    change = lib.correct_speakers(lambda sp: sp.merge(ids["Kaja Brandt"], ids["Karla Jensen"]))
    assert change.statements_folded == 1 and lib.snapshot.count == 2
    got = lib.match(claim, 3, Filters(speaker="Karla Jensen")).matches
    assert [m.speaker for m in got] == ["Karla Jensen"]
    # By the merged name too, and a claim in that name is hers.
    assert lib.match(claim, 3, Filters(speaker="Kaja Brandt")).matches[0].external_id == "1"
    said = lib.match(ClaimIn(claim="Kaja Brandt said ferry fares fall by a third"), 1)
    assert said.verdict == "verbatim" and said.matches[0].mentions == 2
    lib.close()


def test_a_store_from_before_finds_a_suffixed_name_by_its_surname(store_url: str) -> None:
    from sqlalchemy import text

    store = Store(store_url)
    write(store, 1, "2024-05-02", said("The pier opens.", "Tomas Rell Jr."))
    with store.engine.begin() as conn:  # as an earlier version stored it: under "jr"
        conn.execute(text("UPDATE speaker_aliases SET surname_key = 'jr'"))
    store.close()
    store = Store(store_url)
    got = write(store, 2, "2024-05-03", said("The pier closes.", "Rell"))
    assert store.statement(got[0]).speaker == "Tomas Rell Jr."
    store.close()


def test_a_role_two_people_hold_links_by_the_outlet_that_quoted_one(store_url: str) -> None:
    store = Store(store_url)

    def report(n: int, outlet: str, *pending: PendingStatement) -> list[int]:
        art = Article(text=f"article {n}", id=f"a{n}", published="2024-05-02", outlet=outlet)
        dated = [dataclasses.replace(p, published="2024-05-02", outlet=outlet) for p in pending]
        return store.write(dated, {}, art).statement_ids

    for n in range(2):
        report(n, "Harbour Herald", said(f"The budget balances {n}.", "Karla Jensen",
                                         "Finance Minister"))
        report(10 + n, "Fjord Post", said(f"Oil money stays put {n}.", "Ola Berg",
                                          "Finance Minister"))
    got = report(20, "Fjord Post", said("Taxes stay.", None, "the finance minister"))
    assert store.statement(got[0]).speaker == "Ola Berg"
    got = report(21, "Harbour Herald", said("Tolls stay.", None, "the finance minister"))
    assert store.statement(got[0]).speaker == "Karla Jensen"
    got = report(22, "Gazette", said("Nobody knows.", None, "the finance minister"))
    assert store.statement(got[0]).speaker is None
    store.close()


def test_a_relink_keeps_the_honorific_of_the_mention(store_url: str) -> None:
    store = Store(store_url)
    ms = dataclasses.replace(said("Tolls stay low.", "Jensen"), speaker_mention="Mrs. Jensen")
    early = write(store, 1, "2024-05-01", ms)
    write(store, 2, "2024-05-02", said("The pier closes.", "Tomas Jensen"))
    Speakers(store.engine).relink()
    assert store.statement(early[0]).speaker == "Jensen"  # not Tomas Jensen
    store.close()


def test_a_description_links_to_the_holder_of_a_longer_role(store_url: str) -> None:
    store = Store(store_url)
    write(store, 1, "2024-05-02",
          said("The budget will balance.", "Karla Jensen", "presumptive Unionist nominee"))
    got = write(store, 2, "2024-05-03", said("Taxes stay.", None, "the Unionist nominee"))
    assert store.statement(got[0]).speaker == "Karla Jensen"
    store.close()
