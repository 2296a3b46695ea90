"""Who speaks a cue's quotation instead of its subject, on invented fixtures."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text,speaker,cue", [
    ("Polling shows that “the town wants the bridge,” said Lina Kovacs, the harbour "
     "master.", "Lina Kovacs", "said"),
    ("Voters want “a bridge that opens on time,” Piet Rask said Monday.", "Piet Rask", "said"),
])
def test_a_frame_after_the_quote_speaks_for_the_cue_inside(  # type: ignore[no-untyped-def]
        extractor, text, speaker, cue) -> None:
    # The cue before the quote is part of what the closing frame's speaker said.
    a = one(run(extractor, text), "bridge")
    assert a.speaker.name == speaker and a.cue is not None and a.cue.text == cue


def test_a_name_before_the_colon_speaks_not_the_cue_before_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Ferry numbers agree - Olav Brekke: “The harbour has never been this busy in May.”"
    a = one(run(extractor, text), "never been this busy")
    assert a.speaker.name == "Olav Brekke" and a.cue is None


def test_the_reporter_speaks_the_quoted_words_of_a_belief_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    # `plans` is Kovacs's intention as Rask reports it; the quoted words are Rask's.
    text = ("Lina Kovacs plans to rebuild the harbour by fostering an environment of “trust "
            "and investment,” Piet Rask said Monday.")
    a = one(run(extractor, text), "trust and investment")
    assert a.speaker.name == "Piet Rask"
