"""Where a cue's words are when the parser put them elsewhere (`contents`)."""

from __future__ import annotations

import pytest

from corpora.extract.ledger import Ledger
from corpora.extract.passes.verbs import from_verb
from tests.unit.corpora.extract.support import forced, one, run

pytestmark = pytest.mark.slow


def test_a_content_whose_subject_the_parser_took_for_an_object(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Ada Welk said the years when the harbour had \"a somewhat unifying spirit\" from the "
            "fleets and the leading shipyards are gone.")
    a = one(run(extractor, text), "unifying spirit")
    assert a.kind == "mixed" and a.text.startswith("the years when the harbour had")
    assert a.text.endswith("are gone")


def test_a_clause_between_the_cue_and_its_quotation_is_part_of_the_words(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs `no matter what …` on `says`, the quotation alone as its content.
    found = run(extractor, "Council Speaker Ada Welk says no matter what unilateral action Mayor "
                           "Lina Kovacs takes on the pier, “her word does not override the town "
                           "charter.”")
    a = one(found, "town charter")
    assert a.kind == "mixed" and a.text.startswith("no matter what unilateral action")
    b = one(run(extractor, "Kovacs said in March when the storm broke, “We will rebuild the "
                           "pier.”"), "rebuild the pier")
    assert (b.kind, b.text) == ("direct", "We will rebuild the pier.")


def test_a_that_clause_the_parser_hung_on_the_noun_before_it(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser took `that` for the object of a relative clause on `meeting`, though the
    # clause has an object of its own.
    art = forced(extractor, [
        ("Jonas", 1, "compound", "PROPN"), ("Pell", 2, "nsubj", "PROPN"),
        ("predicted", 2, "ROOT", "VERB"), ("at", 2, "prep", "ADP"), ("the", 6, "det", "DET"),
        ("council", 6, "compound", "NOUN"), ("meeting", 3, "pobj", "NOUN"),
        ("that", 10, "dobj", "PRON"), ("islanders", 10, "nsubj", "NOUN"),
        ("will", 10, "aux", "AUX"), ("lose", 6, "relcl", "VERB"), ("“", 13, "punct", "PUNCT"),
        ("every", 13, "det", "DET"), ("ferry", 10, "dobj", "NOUN"), ("”", 13, "punct", "PUNCT"),
        ("if", 17, "mark", "SCONJ"), ("fares", 17, "nsubj", "NOUN"), ("rise", 10, "advcl", "VERB"),
        (".", 2, "punct", "PUNCT")])
    art.doc[2].lemma_ = "predict"
    found = from_verb(art, Ledger(art), art.doc[2], None)
    assert [art.text[s:e] for f in found for s, e in f.spans] == [
        "that islanders will lose “every ferry” if fares rise"]


def test_a_naming_verb_takes_the_quotation_joined_to_its_name(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Council chairman Jonas Pell called the harbour master \"the least able hire in "
            "years\" and someone who had \"sold the ferries and raised the fares\" by "
            "signing the new law. Pell called the plan \"a disgrace\" and said Kovacs "
            "had \"no idea\" of the cost.")
    found = run(extractor, text)
    a = one(found, "least able hire")
    assert "raised the fares" in a.text
    assert one(found, "a disgrace").text == "the plan \"a disgrace\""
