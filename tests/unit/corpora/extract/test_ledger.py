"""The ledger: a quotation taken once, continuations joining the statement that owns them."""

from __future__ import annotations

import pytest

from corpora.extract.found import Frame
from corpora.extract.ledger import Ledger
from tests.unit.corpora.extract.support import parsed

pytestmark = pytest.mark.slow


def test_a_taken_quotation_runs_on_into_later_ones(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“The pier opens,” Rask said, “in May.”\n\n“Nobody pays more.”"
    art = parsed(extractor, text)
    ledger = Ledger(art)
    said = next(t for t in art.doc if t.text == "said")
    found = ledger.take_quote(0, Frame.of(said, None))
    assert found.kind == "direct" and found.quotes == [0] and ledger.taken == {0}
    assert found.frame.cue_text == "said" and found.frame.cue_span == (said.idx, said.idx + 4)
    assert ledger.owner == {}
    ledger.run_on(found, [1, 2])
    assert ledger.taken == {0, 1, 2} and ledger.owner == {1: found, 2: found}
    assert [text[a:b] for a, b in found.spans] == ["The pier opens", "in May.",
                                                   "Nobody pays more."]
    assert found.quotes == [0, 1, 2]
