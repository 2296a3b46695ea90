"""The learned second look at each statement's speaker (`chooser`)."""

from __future__ import annotations

import msgspec

from corpora.extract import Extractor
from corpora.extract.chooser import (
    SpeakerModel,
    candidates,
    choose,
    dump_model,
    load_model,
    open_to_doubt,
)
from corpora.extract.passes import run_passes
from tests.unit.corpora.extract.support import one, parsed, run


def test_the_committed_model_is_small_and_says_what_it_was_trained_on() -> None:
    model = load_model()
    assert 100 < len(model.weights) < 5_000
    assert model.margin >= 0.0
    assert model.trained_on.startswith("PolNeAR v1.0 train")
    assert msgspec.json.decode(dump_model(model), type=SpeakerModel) == model


def test_a_noun_cue_without_a_subject_gets_the_person_who_raised_it(
        extractor: Extractor) -> None:
    found = run(extractor, "Mayor Tomas Brandt has raised questions about the harbour "
                           "contract.")
    assert one(found, "harbour contract").speaker.name == "Tomas Brandt"


def test_a_decision_is_credited_to_the_body_that_apologized_for_it(
        extractor: Extractor) -> None:
    found = run(extractor, "The Holm Group apologized for its decision to tell staff that "
                           "the plant would close.")
    assert one(found, "plant would close").speaker.mention == "The Holm Group"


def test_the_rules_speaker_stays_where_the_model_sees_nothing_better(
        extractor: Extractor) -> None:
    found = run(extractor, "“We will not raise taxes,” Finance Minister Karla Jensen said "
                           "on Monday.")
    assert one(found, "raise taxes").speaker.name == "Karla Jensen"


def test_the_speaker_moves_only_by_more_than_the_margin(extractor: Extractor) -> None:
    art = parsed(extractor, "Mayor Tomas Brandt has raised questions about the harbour "
                            "contract.")
    found = run_passes(art)
    assert len(found) == 1 and found[0].frame.subject is None  # the rules name no one
    # A model that prefers a name to no one by a log-odds of 2.
    prefers_names = {"word=PROPN": 2.0}
    kept = choose(art, found, SpeakerModel(weights=prefers_names, margin=2.5, trained_on="t"))
    assert kept[0].frame.subject is None
    moved = choose(art, found, SpeakerModel(weights=prefers_names, margin=1.5, trained_on="t"))
    assert moved[0].frame.subject is not None and moved[0].frame.subject.text == "Brandt"
    assert found[0].frame.subject is None  # the passes' own list is left as it was


def test_the_subject_of_a_speech_verb_and_an_outlet_credit_stay_as_the_rules_have_them(
        extractor: Extractor) -> None:
    art = parsed(extractor, "“The bridge will open in May,” Ada Lindqvist said.\n\n"
                            "“Prices will fall,” Halden Press Agency quoted Lina Kovacs as "
                            "saying.")
    found = run_passes(art)
    assert [f.frame.subject.text for f in found if f.frame.subject is not None] == [
        "Lindqvist", "Kovacs"]
    assert not any(open_to_doubt(f) for f in found)
    no_one = choose(art, found, SpeakerModel(weights={"none": 9.0}, margin=0.0, trained_on="t"))
    assert [f.frame.subject for f in no_one] == [f.frame.subject for f in found]


def test_no_candidate_is_taken_from_inside_a_quotation_or_a_content(
        extractor: Extractor) -> None:
    art = parsed(extractor, "“Ada Lindqvist will build the bridge,” Tomas Brandt said. "
                            "Mayor Karla Jensen has raised questions about the bridge contract.")
    found = run_passes(art)
    questions = next(f for f in found if f.kind == "indirect")
    cands = candidates(art, questions, art.blocked_tokens(found))
    words = {t.text for t in cands if t is not None}
    assert {"Brandt", "Jensen"} <= words
    assert not words & {"Ada", "Lindqvist", "bridge", "contract"}
    assert None in cands
