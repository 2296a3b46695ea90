"""Pass: mixed quotes inside a verb's complement, and quoted names that are nobody's words."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import having, one, run

pytestmark = pytest.mark.slow


def test_quoted_words_inside_a_verbs_complement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs dismissed the ferry plan as “a costly fantasy.” "
                           "Engineer Mara Holt described the new bridge as a “work of art” but "
                           "left early. Councillor Ada Lind called for more “patience” from "
                           "commuters.")
    a = one(found, "costly fantasy")
    assert a.kind == "mixed" and a.speaker.name == "Lina Kovacs"
    assert a.text.startswith("the ferry plan as") and a.cue is not None
    b = one(found, "work of art")
    assert b.speaker.name == "Mara Holt" and "left early" not in b.text
    c = one(found, "patience")
    assert c.speaker.name == "Ada Lind" and c.text.startswith("more")


def test_the_phrase_holding_the_quote_is_content_to_its_end(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Piet Rask described the plan as “a disgrace” and a waste of harbour "
                           "money.")
    a = one(found, "disgrace")
    assert a.speaker.name == "Piet Rask"
    assert a.text == "the plan as “a disgrace” and a waste of harbour money"


def test_a_quoted_name_in_a_sentence_without_a_speaker_is_not_attributed(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "It was a “disaster” for the harbour, and there is a “plan B”.")
    assert not having(found, "disaster", "plan B")


def test_an_aside_after_a_mixed_quote_is_not_content(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Lina Kovacs said the ferry plan was “a disgrace,” a view the council "
                           "rejects.\nPiet Rask said the fares were “too high” - as always - "
                           "for most families.")
    a = one(found, "disgrace")
    assert a.text.startswith("the ferry plan was “a disgrace") and "council" not in a.text
    assert one(found, "too high").text.endswith("for most families")


def test_a_quoted_title_is_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Lina Kovacs watched “The Harbour Hour With Piet Rask” on Monday. "
                           "She dismissed the ferry plan as “Harbour Folly”.")
    assert not having(found, "Harbour Hour")
    assert one(found, "Harbour Folly").speaker.name == "Lina Kovacs"


def test_quotations_joined_in_one_complement_are_one_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs called the protesters “vandals” and “thugs” "
                           "without evidence. Piet Rask described the fares as “unfair” while "
                           "the council described them as “modest”.")
    a = one(found, "vandals")
    assert a.kind == "mixed" and a.speaker.name == "Lina Kovacs"
    assert "“thugs”" in a.text and not having(found, "thugs")[1:]
    assert "modest" not in one(found, "unfair").text


def test_a_clause_beside_what_someone_says_has_its_own_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Ada Welk said on Sunday that the mayor had shown disrespect to the crews, and she "
            "accused Lina Kovacs of running a harbour ''of favours, of silence.''")
    a = one(run(extractor, text), "of favours")
    assert a.speaker.mention == "she" and a.speaker.name == "Ada Welk"


def test_what_a_naming_verb_names_belongs_to_the_words(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Piet Rask called the council's handling of the ferry contract "
                           "“quite dangerous.”")
    a = one(found, "quite dangerous")
    assert (a.kind, a.speaker.name) == ("mixed", "Piet Rask")
    assert a.text.startswith("the council's handling")


@pytest.mark.parametrize("text,words,name", [
    ("The new ferry will informally be dubbed the “Harbour Queen” and will sail in May.",
     "Harbour Queen", None),
    ("At the time the island was known as “the Poorhouse of the North Sea,” with an economy "
     "based on herring.", "Poorhouse", None),
    ("The new ferry was dubbed the “Harbour Queen” by Mayor Lina Kovacs.", "Harbour Queen",
     "Lina Kovacs"),
])
def test_what_a_passive_names_never_speaks(extractor, text, words, name) -> None:  # type: ignore[no-untyped-def]
    a = one(run(extractor, text), words)
    assert a.speaker.mention_span is None if name is None else a.speaker.name == name


@pytest.mark.parametrize("text,words,starts,mention", [
    # The parser takes `called` for a participle modifying the noun before it.
    ("One councillor called Rell \"the loudest man in the harbour.\"", "loudest man", "Rell",
     "One councillor"),
    ("The row prompted the council to call a vote in May; one councillor called Rell \"the "
     "loudest man in Eastport.\"", "loudest man", "Rell", "one councillor"),
    ("Tomas Rell, who served as the ferry union's chief negotiator during the 2019 strike, "
     "called Kovacs's statements and actions on Sunday \"childish.\"", "childish",
     "Kovacs's statements", "Tomas Rell"),
])
def test_a_naming_verb_parsed_as_a_participle_still_frames_its_words(  # type: ignore[no-untyped-def]
        extractor, text, words, starts, mention) -> None:
    a = one(run(extractor, text), words)
    assert (a.kind, a.speaker.mention) == ("mixed", mention)
    assert a.text.startswith(starts)


def test_a_name_given_by_a_participle_is_no_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "The fishermen set up a group called the “Eastport Boat Circle.”")
    assert not having(found, "Boat Circle")
