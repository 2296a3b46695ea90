"""Pass: dash credits, colon intros and quote-only paragraphs that run a statement on."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


def test_multi_paragraph_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Lina Kovacs spoke at length.\n“The first paragraph of the quote runs on.\n"
            "“The second paragraph ends it,” Kovacs said.")
    a = one(run(extractor, text), "first paragraph")
    assert "second paragraph" in a.text and a.speaker.name == "Lina Kovacs"


def test_dash_and_colon_attributions(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“Fares rise in August” — Astrid Holm, chief executive of Holm Ferries.\n"
            "And from council chair Erik Dahl:\n“Islanders always pay first.”")
    found = run(extractor, text)
    assert one(found, "Fares rise").speaker.name == "Astrid Holm"
    assert one(found, "Islanders always pay").speaker.name == "Erik Dahl"


def test_a_credit_line_under_a_quote_paragraph(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The council met on Monday.\n\n"
            "“The ferry has been late every single day this month.”\n\n- Lina Kovacs.\n\n"
            "“The pier will reopen in May, whatever the weather does.”\n\n"
            "– A harbour in waiting –\n\nThe pier was closed in March.")
    found = run(extractor, text)
    a = one(found, "late every single day")
    assert a.speaker.name == "Lina Kovacs"
    assert all(b.speaker.mention != "A harbour" for b in found)


def test_a_colon_intro_without_a_name_still_introduces_a_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs spoke to the crowd for an hour.\n\n"
                           "She then turned to the harbour workers: “You kept this town alive. "
                           "We will not forget it.”\n\n"
                           "From the council's report:\n\n“Ferry traffic doubled in two years.”")
    a = one(found, "kept this town alive")
    assert a.kind == "direct" and a.speaker.name == "Lina Kovacs"
    b = one(found, "Ferry traffic doubled")
    assert b.kind == "direct"


def test_dash_credits_under_each_quote_of_a_list(extractor) -> None:  # type: ignore[no-untyped-def]
    # Horizontal bars, non-breaking spaces, a closing mark typed as the opening one.
    text = ("Islanders on the ferry plan.\n\n"
            "”The ferry is our only road. Without it we are cut off.” ― Nadia Brook\n"
            "“I would rather pay what he calls “island prices” than lose the boat.”\xa0―\xa0"
            "Ada Welk\n"
            "“Nobody asked the fishermen. Nobody ever does.”― Tomas Rell.")
    found = run(extractor, text)
    assert one(found, "our only road").speaker.name == "Nadia Brook"
    welk = one(found, "island prices")
    assert welk.speaker.name == "Ada Welk" and welk.text.endswith("lose the boat.")
    assert one(found, "asked the fishermen").speaker.name == "Tomas Rell"


def test_a_colon_intro_that_is_a_clause_is_said_by_its_subject(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Ilse Varga has adopted the stance common among the harbour "
                           "towns of Nordmark: “We will keep every berth open.”\n\n"
                           "Harbour master Piet Rask and pilot Jo Lane: “The channel is safe.”")
    assert one(found, "every berth").speaker.name == "Ilse Varga"  # not the towns' region
    assert one(found, "channel is safe").speaker.name == "Jo Lane"  # no clause: the last name


def test_a_verb_after_a_dash_opens_an_aside_not_a_credit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Kovacs described the harbour as the \"heart of the town\" — setting out her plans "
            "for the pier in detail.")
    a = one(run(extractor, text), "heart of the town")
    assert (a.kind, a.speaker.mention) == ("mixed", "Kovacs")


def test_a_quotation_after_reported_words_and_a_colon_ends_them(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Harbour master Ines Varga said that the islanders had two choices: "
            "“Pay the new fares or row to the mainland.”")
    a = one(run(extractor, text), "two choices")
    assert a.kind == "mixed" and a.text.endswith("row to the mainland.")
    assert a.speaker.name == "Ines Varga"
