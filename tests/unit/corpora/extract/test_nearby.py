"""Who speaks where the cue's own clause does not say: around a subjectless cue, the frame
after a quote."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from corpora.extract import nearby
from tests.unit.corpora.extract.support import forced, one, parsed, run

pytestmark = pytest.mark.slow


def test_the_frame_after_a_quote_names_its_verb_and_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "“The pier opens,” Hannity started.\n\n“Really?” the crowd cheered."
                            "\n\n“It opens.” Rask left.")
    verb_speaker = nearby.frame_after(art, art.quotes[0])
    assert verb_speaker is not None
    assert (verb_speaker[0].text, verb_speaker[1].text) == ("started", "Hannity")
    assert nearby.frame_after(art, art.quotes[1]) is None  # after `?` only a cue frames it
    assert nearby.frame_after(art, art.quotes[2]) is None  # a full stop ends the statement


def test_the_frame_after_a_question_names_its_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser ends the sentence at the `?`: the frame after it still names who asked.
    text = ("Harbour master Olav Brekke opened the meeting. “Why would we wait?” the "
            "43-year-old asked.")
    asked = one(run(extractor, text), "Why would we wait")
    span = asked.speaker.mention_span
    assert span is not None and text[span[0]:span[1]].endswith("43-year-old")
    # Never guessed: an age says who only to a reader who knows the article.
    assert asked.speaker.name is None
    # Of the names after the quotation, the person's, not the party's.
    art = parsed(extractor, "“Will the ferry run on Sunday?” the presumptive NHP nominee, "
                            "Olav Brekke, tweeted on Sunday.")
    tweeted = next(t for t in art.doc if t.text == "tweeted")
    found = nearby.nearby_speaker(art, tweeted)
    assert found is not None and found.text == "Brekke"



def test_a_described_speaker_whose_relative_clause_reaches_the_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    # A parse the parser gives real sentences of this shape: the described speaker hung on
    # the quote, the cue left without a subject. The noun the clause describes speaks.
    art = forced(extractor, [
        ("“", 3, "punct", "PUNCT"), ("The", 2, "det", "DET"), ("crews", 3, "nsubj", "NOUN"),
        ("are", 18, "ccomp", "AUX"), ("busy", 3, "acomp", "ADJ"), (",", 3, "punct", "PUNCT"),
        ("”", 3, "punct", "PUNCT"), ("a", 9, "det", "DET"), ("harbour", 9, "compound", "NOUN"),
        ("source", 3, "attr", "NOUN"), (",", 9, "punct", "PUNCT"),
        ("who", 14, "nsubjpass", "PRON"), ("was", 14, "auxpass", "AUX"),
        ("not", 14, "neg", "PART"), ("allowed", 9, "relcl", "VERB"), ("to", 16, "aux", "PART"),
        ("speak", 14, "xcomp", "VERB"), (",", 18, "punct", "PUNCT"), ("told", 18, "ROOT", "VERB"),
        ("the", 20, "det", "DET"), ("Gazette", 18, "dobj", "PROPN"), (".", 18, "punct", "PUNCT")])
    assert art.text.startswith("“The crews are busy,” a harbour source, who was not")
    found = nearby.nearby_speaker(art, art.doc[18])
    assert found is not None and found.text == "source"


@pytest.mark.parametrize("text,words,name", [
    # An -ing cue that opens its sentence: the subject of the sentence before.
    ("Later in the show, Brekke stated of the ferry report that its findings “weren't "
     "good.” Adding, “Now, like with all harbour scandals, what they actually do is never "
     "that bad.”", "never that bad", "Brekke"),
    # A name the tagger took for an adverb, right before the cue.
    ("And Skelly called Braynard “a real smart guy. I’d like to think he understands the "
     "harbour.”", "real smart guy", "Skelly"),
])
def test_a_cue_the_parser_left_without_a_subject(  # type: ignore[no-untyped-def]
        extractor, text, words, name) -> None:
    assert one(run(extractor, text), words).speaker.name == name


def test_a_show_title_and_a_party_in_parentheses_before_a_subjectless_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser left `said` without a subject. The quotation before it is a show's title,
    # not the words a name after it speaks; the name before the cue speaks, not its party.
    art = forced(extractor, [
        ("On", 21, "prep", "ADP"), ("Ada", 2, "compound", "PROPN"), ("Welk", 6, "poss", "PROPN"),
        ("’s", 2, "case", "PART"), ("“", 6, "punct", "PUNCT"), ("Island", 6, "compound", "PROPN"),
        ("Talk", 0, "pobj", "PROPN"), ("”", 6, "punct", "PUNCT"), (",", 21, "punct", "PUNCT"),
        ("discussing", 21, "advcl", "VERB"), ("a", 11, "det", "DET"), ("post", 9, "dobj", "NOUN"),
        ("by", 11, "prep", "ADP"), ("Jonas", 14, "compound", "PROPN"),
        ("Pell", 12, "pobj", "PROPN"), (",", 21, "punct", "PUNCT"),
        ("Lina", 17, "compound", "PROPN"), ("Kovacs", 9, "npadvmod", "PROPN"),
        ("(", 17, "punct", "PUNCT"), ("Eastport", 17, "appos", "PROPN"),
        (")", 17, "punct", "PUNCT"), ("said", 21, "ROOT", "VERB"), ("“", 23, "punct", "PUNCT"),
        ("No", 21, "ccomp", "INTJ"), (".", 21, "punct", "PUNCT"), ("”", 21, "punct", "PUNCT")])
    art.doc.ents = [Span(art.doc, 13, 15, label="PERSON"), Span(art.doc, 16, 18, label="PERSON")]
    assert art.owned_title(0)
    found = nearby.nearby_speaker(art, art.doc[21])
    assert found is not None and found.text == "Kovacs"
