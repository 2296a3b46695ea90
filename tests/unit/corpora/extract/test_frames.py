"""Frame helpers: cue verbs, the subject that speaks, the outlet, the date of saying."""

from __future__ import annotations

import pytest

from corpora.extract import frames
from tests.unit.corpora.extract.support import forced, one, parsed, run

pytestmark = pytest.mark.slow


def test_cues_subjects_and_dates(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Mayor Lina Kovacs said on Friday that the pier opens. Rask shot back at her."
    art = parsed(extractor, text)
    said = next(t for t in art.doc if t.text == "said")
    shot = next(t for t in art.doc if t.text == "shot")
    assert frames.is_cue(said) and frames.is_cue(shot)  # `shot back` is a phrasal cue
    assert not frames.is_cue(next(t for t in art.doc if t.text == "opens"))
    subject = frames.subject(art, said)
    assert subject is not None and subject.text == "Kovacs"
    assert frames.np_head(next(t for t in art.doc if t.text == "Lina")).text == "Kovacs"
    when = frames.when(art, said, set())
    assert when is not None and (when.text, when.date) == ("on Friday", "2024-05-10")


def test_saying_hung_on_a_reported_clause_is_said_by_the_reporter(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Piet Rask argued that a toll would keep trucks off the bridge, "
                            "saying it is “all about safety.”")
    saying = next(t for t in art.doc if t.text == "saying")
    assert saying.head.text == "keep"  # the parse this case is about
    subject = frames.subject(art, saying)
    assert subject is not None and subject.text == "Rask"


def test_a_statement_saying_is_said_by_whoever_put_it_out(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Her office put out a statement saying the pier “is safe.”")
    saying = next(t for t in art.doc if t.text == "saying")
    assert saying.dep_ == "acl"  # the parse this case is about
    subject = frames.subject(art, saying)
    assert subject is not None and subject.text == "office"


def test_a_video_or_sign_that_says_is_said_by_whoever_put_it_out(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Tomas Rell released a video that said, “The pier will open in May.”"
                           "\n\nAda Welk held up a sign that read “No new tolls.”\n\n"
                           "Lina Kovacs met a man that said, “The ferry is late.”")
    assert one(found, "pier will open").speaker.name == "Tomas Rell"
    assert one(found, "No new tolls").speaker.name == "Ada Welk"
    late = one(found, "ferry is late")
    assert late.speaker.mention == "that"  # a person: the man speaks, not who met him


def test_a_place_before_the_subject_is_not_the_subject(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Speaking at a town hall event in Salem, New Hampshire, Holm went "
                            "after Rask, calling him “a total stiff.”")
    went = next(t for t in art.doc if t.text == "went")
    nsubj = [c.text for c in went.children if c.dep_ == "nsubj"]
    assert nsubj == ["Hampshire", "Holm"]  # the parse this case is about
    subject = frames.subject(art, went)
    assert subject is not None and subject.text == "Holm"


def test_an_ing_cue_joined_to_a_reported_clause_is_the_reporters(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Rask pushed back on those claims Thursday, saying that the bill had "
                            "the right parts but was stalled by voter mistrust - and arguing "
                            "that he and Kovacs shared “almost all the same views on ferries.”")
    arguing = next(t for t in art.doc if t.text == "arguing")
    assert (arguing.dep_, arguing.head.text) == ("conj", "stalled")  # the parse this is about
    subject = frames.subject(art, arguing)
    assert subject is not None and subject.text == "Rask"


def test_the_same_cue_again_inside_a_reported_clause_is_the_reporters(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Van Houten said the move was made by the police commissioner and "
                            "said, “Who are you going to trust on security?”")
    said = [t for t in art.doc if t.text == "said"][1]
    assert (said.dep_, said.head.text) == ("conj", "made")  # the parse this case is about
    subject = frames.subject(art, said)
    assert subject is not None and subject.text == "Houten"


def test_another_speech_verb_inside_a_reported_clause_is_the_reporters(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Ilse Varga said it takes time to mend the pier but added, “We "
                            "strongly support the plan.”")
    added = next(t for t in art.doc if t.text == "added")
    assert (added.dep_, added.head.text) == ("conj", "takes")  # the parse this case is about
    subject = frames.subject(art, added)
    assert subject is not None and subject.text == "Varga"  # not `it`


def test_a_clause_an_outlet_reports_keeps_its_own_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Varga held a meeting with harbour workers and pledged to “keep "
                            "every berth open,” the Coastal Herald reported.")
    pledged = next(t for t in art.doc if t.text == "pledged")
    subject = frames.subject(art, pledged)
    assert subject is not None and subject.text == "Varga"


@pytest.mark.parametrize("text,words,mention", [
    ("Kovacs coached the crews to “breathe, breathe, breathe.” That prompted Rask to make a "
     "joke about yoga and call the harbour “very flexible.”", "very flexible", "Rask"),
    ("The harbour board urged the council to pass “common-sense” rules for the ferries.",
     "common-sense", "The harbour board"),
])
def test_who_speaks_the_infinitive_of_a_verb_with_an_object(  # type: ignore[no-untyped-def]
        extractor, text, words, mention) -> None:
    # `prompted X to call …`: X speaks; `urged X to pass “…”`: the one who urged.
    assert one(run(extractor, text), words).speaker.mention == mention


@pytest.mark.parametrize("text,words,mention", [
    ("The first incident came during a speech at the harbour in Eastport, when ferry workers "
     "interrupted her speech, shouting “no contract, no ferry!”", "no contract", "ferry workers"),
    ("Lina Kovacs apologized for the columns after they came out, saying they were old and "
     "have “nothing to do with who I am.”", "nothing to do", "Lina Kovacs"),
])
def test_an_ing_cue_on_the_main_verb_after_another_clause(  # type: ignore[no-untyped-def]
        extractor, text, words, mention) -> None:
    # An incident cannot shout: the clause before the cue has the one who did. A person
    # who is the main clause's subject keeps the words.
    assert one(run(extractor, text), words).speaker.mention == mention


def test_a_finite_cue_hung_on_the_noun_before_it_is_that_nouns(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Some in the crowd booed, and when Kovacs thanked Eastport and said it was great to "
            "be home, a man yelled “Stay there!”")
    span = one(run(extractor, text), "Stay there").speaker.mention_span
    assert span is not None and text[span[0]:span[1]] == "a man"


def test_a_subject_the_parser_set_beside_the_phrase_before_the_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    # A parse the parser gives real sentences of this shape: `the union leader` in apposition
    # to the last name of the opening phrase, `stated` left without a subject.
    art = forced(extractor, [
        ("In", 14, "prep", "ADP"), ("a", 2, "det", "DET"), ("talk", 0, "pobj", "NOUN"),
        ("with", 2, "prep", "ADP"), ("hosts", 3, "pobj", "NOUN"), ("Ada", 6, "compound", "PROPN"),
        ("Welk", 4, "appos", "PROPN"), ("and", 6, "cc", "CCONJ"), ("Nadia", 9, "compound", "PROPN"),
        ("Brook", 6, "conj", "PROPN"), (",", 9, "punct", "PUNCT"), ("the", 13, "det", "DET"),
        ("union", 13, "compound", "NOUN"), ("leader", 9, "appos", "NOUN"),
        ("stated", 14, "ROOT", "VERB"), ("that", 17, "mark", "SCONJ"), ("it", 17, "nsubj", "PRON"),
        ("was", 14, "ccomp", "AUX"), ("“", 19, "punct", "PUNCT"), ("reckless", 17, "acomp", "ADJ"),
        (".", 14, "punct", "PUNCT"), ("”", 14, "punct", "PUNCT")])
    assert art.text.startswith("In a talk with hosts Ada Welk and Nadia Brook, the union leader")
    found = frames.subject(art, art.doc[14])
    assert found is not None and found.text == "leader"


def test_who_asks_a_passive_question_is_its_agent(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs was asked by radio host Jonas Pell whether the "
                           "new fares would “drive the islanders off the ferry.”")
    assert one(found, "drive the islanders").speaker.name == "Jonas Pell"


def test_a_cue_the_parser_joined_to_the_object_before_it(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs `joked` on `accent`, the object of the verb before it.
    found = run(extractor, "Lina Kovacs spoke for an hour.\n\nShe then adopted a fake island "
                           "accent and joked, “Well, I am going to give the ferry board a "
                           "reason to laugh.”")
    assert one(found, "reason to laugh").speaker.name == "Lina Kovacs"
