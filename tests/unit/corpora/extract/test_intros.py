"""Who a colon intro credits, on invented fixtures."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text,mention", [
    ("Ferries are back - Olav Brekke: “The harbour has never been this busy in May.”",
     "Olav Brekke"),
    ("Olav Brekke told Harbour Radio: “The harbour has never been this busy in May.”",
     "Olav Brekke"),
    ("Here’s Brekke in December 1992: “Our harbour must rest on an understanding of the new "
     "realities of trade.”", "Brekke"),
    ("Brekke gave the plan a whirl in an interview with Harbour Radio on Tuesday: “You can "
     "easily argue that the ferry is late.”", "Brekke"),
    ("In the hours after 14 boats were lost off Eastport, a familiar voice mocked the harbour "
     "on Twitter: “Eastport, we have already arrived with our boats.”", "a familiar voice"),
    ("Signs of a shift were there all along - More from Brekke and Kovacs: “Data collected "
     "by our firm helps confirm that both issues were in play.”", "Brekke"),
])
def test_who_a_colon_intro_credits(extractor, text, mention) -> None:  # type: ignore[no-untyped-def]
    # A name that ends the intro after a dash or `from`; never a date, nor the hearer; the
    # subject of the clause the colon ends when it has one of its own.
    a = one(run(extractor, text), text[text.index(":") + 3:][:20])
    assert a.kind == "direct" and a.speaker.mention == mention
