"""Operator corrections to the speaker registry, on both stores: alias, merge, split, import."""

from __future__ import annotations

import pytest

from corpora.errors import Conflict, InvalidRequest, NotFound
from corpora.types import RoleIn, SpeakerIn
from index.speaker_ops import Speakers
from index.store import Store
from tests.integration.index.speaker_support import said, write


def speaker_of(store: Store, statement_id: int) -> str | None:
    return store.statement(statement_id).speaker


def test_merge_folds_the_same_words_into_one_statement(store_url: str) -> None:
    store = Store(store_url)
    ops = Speakers(store.engine)
    a = write(store, 1, "2024-05-02", said("Taxes stay where they are.", "Karla Jensen",
                                           "Finance Minister"))
    b = write(store, 2, "2024-04-30", said("Taxes stay where they are.", "Karla Jensen-Holm"),
              said("The budget will balance.", "Karla Jensen-Holm"))
    assert a[0] != b[0] and store.counts()["statements"] == 3
    jensen = ops.find("Karla Jensen")
    ids = {v.name: v.id for v in jensen}
    change = ops.merge(ids["Karla Jensen-Holm"], ids["Karla Jensen"])
    assert (change.statements_moved, change.statements_folded) == (1, 1)
    assert store.counts()["statements"] == 2
    taxes = store.statement(a[0])
    assert taxes.first_seen == "2024-04-30" and len(taxes.mentions) == 2
    assert speaker_of(store, b[1]) == "Karla Jensen"
    view = ops.show(ids["Karla Jensen-Holm"])  # a merged speaker shows its survivor
    assert view.id == ids["Karla Jensen"] and view.merged == [ids["Karla Jensen-Holm"]]
    assert {x.alias for x in view.aliases} == {"Karla Jensen", "Karla Jensen-Holm"}
    assert [r.role for r in view.roles] == ["Finance Minister"]
    assert view.statements == 2 and view.mentions == 3
    # New reports under the merged name go to the survivor.
    c = write(store, 3, "2024-05-05", said("Growth returns.", "Karla Jensen-Holm"))
    assert speaker_of(store, c[0]) == "Karla Jensen"
    with pytest.raises(InvalidRequest):
        ops.merge(ids["Karla Jensen"], ids["Karla Jensen"])
    store.close()


def test_an_alias_takes_in_unlinked_statements_and_is_never_shared(store_url: str) -> None:
    store = Store(store_url)
    ops = Speakers(store.engine)
    write(store, 1, "2024-05-02", said("The pier opens.", "Karla Jensen"),
          said("The pier closes.", "Piet Jensen"))
    # "Jensen" is ambiguous to the linker: stored unlinked under the surname.
    lone = write(store, 2, "2024-05-03", said("Nobody knows.", "Jensen"))
    ids = {v.name: v.id for v in ops.find("Jensen")}
    change = ops.alias(ids["Karla Jensen"], "K. Jensen")
    assert change.statements_moved == 0
    assert speaker_of(store, lone[0]) == "Jensen"
    ops.alias(ids["Piet Jensen"], "Jensen")
    assert speaker_of(store, lone[0]) == "Piet Jensen"
    with pytest.raises(Conflict):
        ops.alias(ids["Karla Jensen"], "Jensen")
    with pytest.raises(NotFound):
        ops.alias(10**9, "Someone")
    with pytest.raises(InvalidRequest):
        ops.alias(ids["Karla Jensen"], "  ")
    store.close()


def test_split_takes_someone_elses_mentions_into_a_new_speaker(store_url: str) -> None:
    store = Store(store_url)
    ops = Speakers(store.engine)
    first = write(store, 1, "2024-05-02", said("The ferry runs.", "Ada Welk"))
    second = write(store, 2, "2024-05-03", said("The ferry runs.", "Ada Welk"),
                   said("Fares go up.", "Ada Welk"))
    assert first[0] == second[0]
    sid = ops.find("Ada Welk")[0].id
    art2 = store.statement(second[1]).mentions[0].article_id
    assert art2 is not None
    change = ops.split(sid, "Ada Welk (councillor)", articles=[art2])
    new = change.speaker
    assert new.id != sid and new.name == "Ada Welk (councillor)"
    # The shared statement is copied for the mention that moved; the other one moves whole.
    assert speaker_of(store, first[0]) == "Ada Welk"
    assert len(store.statement(first[0]).mentions) == 1
    assert speaker_of(store, second[1]) == "Ada Welk (councillor)"
    assert new.statements == 2 and store.counts()["statements"] == 3
    with pytest.raises(InvalidRequest):
        ops.split(sid, "Someone")
    store.close()


def test_import_adds_qids_aliases_and_roles(store_url: str) -> None:
    store = Store(store_url)
    ops = Speakers(store.engine)
    lone = write(store, 1, "2024-05-03", said("We will not raise taxes.", "K. Jensen"))
    got = ops.import_speakers([
        SpeakerIn(name="Karla Jensen", aliases=["K. Jensen"], qid="Q4200001",
                  roles=[RoleIn(role="Finance Minister", start="2024-01-10")]),
        SpeakerIn(name="Piet Rask", qid="Q4200002"),
    ])
    assert [c.speaker.qid for c in got] == ["Q4200001", "Q4200002"]
    assert got[0].statements_moved == 1 and speaker_of(store, lone[0]) == "Karla Jensen"
    # A later report by role alone links through the imported role.
    role = write(store, 2, "2024-05-04", said("Growth returns.", None, "the finance minister"))
    assert speaker_of(store, role[0]) == "Karla Jensen"
    # Re-importing by QID updates the same speaker.
    again = ops.import_speakers([SpeakerIn(name="Karla Jensen", qid="Q4200001",
                                           aliases=["Minister Jensen"])])
    assert again[0].speaker.id == got[0].speaker.id
    with pytest.raises(Conflict):
        ops.import_speakers([SpeakerIn(name="Karla Jensen", qid="Q9")])
    with pytest.raises(InvalidRequest):
        ops.import_speakers([SpeakerIn(name="X Y", qid="42")])
    with pytest.raises(InvalidRequest):
        ops.import_speakers([SpeakerIn(name="X Y", roles=[RoleIn(role="mayor",
                                                                 start="last year")])])
    store.close()


def test_relink_links_what_was_stored_before_the_person_was_known(store_url: str) -> None:
    store = Store(store_url)
    ops = Speakers(store.engine)
    early = write(store, 1, "2024-05-01", said("The budget will balance.", "Jensen"),
                  said("Taxes stay.", None, "finance minister"))
    assert speaker_of(store, early[0]) == "Jensen" and speaker_of(store, early[1]) is None
    write(store, 2, "2024-05-02", said("Growth returns.", "Karla Jensen", "Finance Minister"))
    got = ops.relink()
    assert (got.considered, got.moved, got.folded) == (2, 2, 0)
    assert speaker_of(store, early[0]) == speaker_of(store, early[1]) == "Karla Jensen"
    assert ops.relink().considered == 0
    store.close()
