"""Pass: statements credited with according to X."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


def test_according_to_after_a_quote_and_adding_after_a_split_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The pier is unsafe,” according to Tomas Rell, the harbour master.\n\n"
                           "The ferry is “late again,” according to Lina Kovacs.\n\n"
                           "“The pier,” Ada Welk said, “reopens Monday,” adding that “nobody "
                           "should worry.”")
    pier = one(found, "pier is unsafe")
    assert (pier.kind, pier.speaker.name, pier.text) == ("direct", "Tomas Rell",
                                                         "The pier is unsafe")
    late = one(found, "late again")
    assert late.speaker.name == "Lina Kovacs" and "according" not in late.text
    assert one(found, "nobody should worry").speaker.name == "Ada Welk"


def test_according_to_inside_what_someone_said_is_their_credit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Ada Welk, the council's treasurer, said Tuesday that according to its audit, the "
            "harbour fund has lost 12 percent, but \"we are still counting the losses.\"")
    found = run(extractor, text)
    hits = [a for a in found if "still counting" in a.text]
    assert [a.speaker.name for a in hits] == ["Ada Welk"]


def test_according_to_before_a_quotation_with_a_cue_of_its_own(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "According to Mira Osk of the Harbour Watch, “The council revealed "
                           "that the pier fund has been quietly moved to the ferry budget.”")
    words = one(found, "pier fund")
    assert (words.kind, words.speaker.name) == ("direct", "Mira Osk")
    assert words.text.startswith("The council revealed")


def test_according_to_an_outlet_after_a_frame_is_its_credit(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The pier is unsafe,” Tomas Rell said, according to the Harbour "
                           "Times.\n\n"
                           "Ada Welk said the ferry fund is empty, according to a Harbour Times "
                           "report.\n\n"
                           "“The fares will rise,” Piet Rask said, according to Lina Kovacs.")
    pier = one(found, "pier is unsafe")
    assert (pier.speaker.name, pier.via) == ("Tomas Rell", "Harbour Times")
    fund = one(found, "ferry fund")
    assert (fund.speaker.name, fund.via) == ("Ada Welk", "Harbour Times")
    assert fund.text == "the ferry fund is empty"
    fares = one(found, "fares will rise")
    assert (fares.speaker.name, fares.via) == ("Piet Rask", None)


def test_a_newspaper_the_tagger_takes_for_a_person_is_still_an_outlet(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Tomas Rell said the pier is unsafe, according to a Harbour Gazette "
                           "account.\n\n“The fares will rise,” Ada Welk told the Harbour Gazette.")
    pier = one(found, "pier is unsafe")
    assert (pier.speaker.name, pier.via, pier.text) == ("Tomas Rell", "Harbour Gazette",
                                                        "the pier is unsafe")
    assert one(found, "fares will rise").via == "Harbour Gazette"
