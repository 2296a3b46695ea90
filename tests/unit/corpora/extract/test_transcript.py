"""Pass: a quoted transcript, one statement per turn."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import run

pytestmark = pytest.mark.slow


def test_a_quoted_transcript_is_one_statement_per_turn(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("On Sunday, host Ray Wallin interviewed Governor Mira Holt about the ferry.\n\n"
            "Partial transcript as follows:\n\n"
            "\"WALLIN: Let us start with the ferry. Will the council pay for it?\n\n"
            "\"HOLT: Well, look, the council thinks this is a game show. It is not.\n\n"
            "\"(CROSSTALK.)\n\n"
            "\"WALLIN: If I may, Governor, we have limited time.\n\n"
            "\"HOLT: The ferry will run.\n\n\"And that is why we will win in May.\"")
    found = run(extractor, text)
    assert [(a.speaker.name, a.text.split()[0]) for a in found if a.kind == "direct"] == [
        ("Ray Wallin", "Let"), ("Mira Holt", "Well,"), ("Ray Wallin", "If"),
        ("Mira Holt", "The")]
    last = found[-1]
    assert "HOLT" not in last.text and last.text.endswith("win in May.")
    assert last.speaker.mention == "HOLT" and last.speaker.mention_span is not None
    assert "CROSSTALK" not in " ".join(a.text for a in found)
