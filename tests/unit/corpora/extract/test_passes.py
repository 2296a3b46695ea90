"""The passes as a whole: their order, and words in one statement only."""

from __future__ import annotations

import pytest

from corpora.extract import passes
from corpora.extract.passes.transcript import transcript_turns
from corpora.extract.passes.verbs import cue_verbs
from tests.unit.corpora.extract.support import parsed


def test_the_pass_order_is_written_once() -> None:
    names = [p.__name__ for p in passes.PASSES]
    assert names == ["transcript_turns", "cue_verbs", "according_to", "as_credits",
                     "unattributed_quotes", "noun_cues", "quoted_complements",
                     "leftover_quotes", "learned_cues"]


@pytest.mark.slow
def test_no_words_are_in_two_statements(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("\"WALLIN: Will the council pay?\n\n\"HOLT: It will, said the mayor.\n\n"
            "“The pier opens,” Rask said, “in May.”\n\n“Nobody pays more.”\n\n"
            "“Fares rise” — Astrid Holm.\n\nKovacs called the plan “a fantasy”, "
            "according to Ada Welk.\n\nHer warning that the pier is “a ruin” stands.")
    found = passes.run_passes(parsed(extractor, text))
    chars = [i for f in found for a, b in f.spans for i in range(a, b)]
    assert len(found) >= 6 and len(chars) == len(set(chars))
    quoted = {q for f in found for q in f.quotes}
    assert quoted == set(range(6))  # the transcript's turns share its one quotation


@pytest.mark.slow
def test_a_later_pass_leaves_what_an_earlier_one_took(extractor) -> None:  # type: ignore[no-untyped-def]
    # `said` inside a transcript turn is inside the quotation: the cue-verb pass never takes
    # the turn the transcript pass took.
    art = parsed(extractor, "\"WALLIN: Will the council pay?\n\n\"HOLT: It will, she said.")
    ledger = passes.Ledger(art)
    turns = transcript_turns(art, ledger, [])
    assert [f.speaker.name for f in turns if f.speaker] == ["Wallin", "Holt"]
    assert cue_verbs(art, ledger, turns) == []
