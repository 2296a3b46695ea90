"""Pass: statements credited with an "as X said" clause."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import having, one, run

pytestmark = pytest.mark.slow


def test_the_clause_an_as_clause_credits_is_the_speakers(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "As The Harbour Gazette reported, the ferry company “paid the same "
                           "fine twice” last year.\n\n"
                           "But, as Tomas Rell put it, the harbour fund is close to empty.")
    fine = one(found, "paid the same fine")
    assert (fine.kind, fine.speaker.name) == ("mixed", "Harbour Gazette")
    assert fine.text.startswith("the ferry company")
    fund = one(found, "harbour fund")
    assert (fund.kind, fund.speaker.name) == ("indirect", "Tomas Rell")
    assert fund.text == "the harbour fund is close to empty"


def test_an_as_clause_with_words_of_its_own_is_a_time_not_a_credit(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "As Lina Kovacs announced the new timetable, the crowd at the pier "
                           "cheered.")
    assert not having(found, "crowd")


def test_as_an_outlet_reported_after_a_frame_is_its_credit(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The pier is unsafe,” Tomas Rell said, as the Harbour Times "
                           "reported.\n\n"
                           "Ada Welk said the ferry fund is empty, as the Harbour Times reported "
                           "on Monday.")
    pier = one(found, "pier is unsafe")
    assert (pier.speaker.name, pier.via) == ("Tomas Rell", "Harbour Times")
    fund = one(found, "ferry fund")
    assert (fund.speaker.name, fund.via, fund.text) == ("Ada Welk", "Harbour Times",
                                                        "the ferry fund is empty")
    assert not having(found, "Monday")
