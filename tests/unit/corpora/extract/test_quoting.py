"""Which quotation a frame takes: beside its cue, continued after it, already held."""

from __future__ import annotations

import pytest

from corpora.extract import quoting
from corpora.extract.ledger import Ledger
from tests.unit.corpora.extract.support import one, parsed, run

pytestmark = pytest.mark.slow


def test_the_quote_beside_a_cue_and_its_continuation(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“The pier opens,” Rask said, “in May.” Kovacs said: “It will not.”"
    art = parsed(extractor, text)
    ledger = Ledger(art)
    said = [t for t in art.doc if t.text == "said"]
    assert quoting.adjacent_quote(art, ledger, said[0]) == 0
    assert quoting.continuation(art, ledger, 0, said[0]) == [1]
    assert quoting.adjacent_quote(art, ledger, said[1]) == 2
    assert quoting.has_own_cue(art, 0)
    ledger.take([2])
    assert quoting.adjacent_quote(art, ledger, said[1]) is None  # taken: never twice


def test_after_a_quote_closed_by_a_comma_comes_the_frame(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs the speaker and the aside on the quoted clause; they are the frame.
    found = run(extractor, "“We have had busier harbour fairs than this one,” Marsh county "
                           "delegate Ilse Brandvold, wearing a straw hat and “Vote Ferry” pins, "
                           "said matter-of-factly.")
    fair = one(found, "busier harbour fairs")
    assert fair.kind == "direct"
    assert fair.text == "We have had busier harbour fairs than this one"
    assert fair.speaker.name == "Ilse Brandvold"
