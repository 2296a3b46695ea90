"""Pass: statements a learned model finds among the complements of any verb, noun or adjective."""

from __future__ import annotations

import msgspec
import pytest

from corpora.extract.ledger import Ledger
from corpora.extract.passes import PASSES
from corpora.extract.passes.learned import (
    CueModel,
    candidates,
    dump_model,
    learned_cues,
    load_model,
    model_finds,
)
from tests.unit.corpora.extract.support import having, one, parsed, run

BEFORE = PASSES[:PASSES.index(learned_cues)]


def test_the_committed_model_is_small_and_says_what_it_was_trained_on() -> None:
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert 1_000 < len(model.weights) < 60_000
    assert model.trained_on.startswith("PolNeAR v1.0 train")
    again = msgspec.json.decode(dump_model(model), type=CueModel)
    assert again == model


@pytest.mark.slow
def test_a_stance_the_word_lists_miss_is_found_with_its_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Councillor Astrid Holm criticized the harbour budget on Tuesday.")
    a = one(found, "the harbour budget")
    assert a.kind == "indirect" and a.speaker.name == "Astrid Holm"
    assert a.cue is not None and a.cue.text == "criticized"


@pytest.mark.slow
def test_plain_narration_is_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    assert run(extractor, "The ferry sails to Norrvik every morning and returns at noon.") == []


@pytest.mark.slow
def test_the_threshold_decides_and_overlapping_candidates_give_one_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Astrid Holm criticized the harbour budget, which the council "
                            "passed in May.")
    ledger = Ledger(art)
    found: list = []
    for step in BEFORE:
        found.extend(step(art, ledger, found))
    offered = [c for c in candidates(art, found) if art.doc[c.cue].lower_ == "criticized"]
    assert len(offered) >= 2  # the whole complement, and the part before the aside
    strict = CueModel(weights={"l=criticize": 1.0}, bias=-5.0, threshold=0.5, trained_on="t")
    assert model_finds(strict, art, Ledger(art), found) == []
    eager = CueModel(weights={"l=criticize": 10.0}, bias=-5.0, threshold=0.5, trained_on="t")
    got = model_finds(eager, art, Ledger(art), found)
    assert len(got) == 1 and got[0].frame.subject is not None
    assert got[0].frame.subject.text == "Holm"


@pytest.mark.slow
def test_a_name_given_by_a_verb_without_a_subject_is_not_taken(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "The ferry, long dubbed “the Grey Lady,” sails on Monday.")
    assert not having(found, "Grey Lady")


def test_who_is_expected_to_do_something_does_not_speak_its_quoted_words(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("At the presentations, executives are expected to unveil new adaptations of "
            "favored franchises, including films like “The Harbour,” “Ferry Tales” and, "
            "potentially, “Night Crossing,” with Lina Kovacs reprising her role.")
    a = one(run(extractor, text), "Ferry Tales")
    assert a.speaker.mention_span is None
    # Whoever expects something does speak.
    b = one(run(extractor, "Lina Kovacs expects the harbour to become “the busiest in the "
                           "north” by May."), "busiest")
    assert b.speaker.name == "Lina Kovacs"
