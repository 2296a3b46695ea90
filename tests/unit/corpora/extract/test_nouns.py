"""Pass: statements a noun reports."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


def test_a_noun_that_reports_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The council rejected Lina Kovacs’s warning that the pier would be “a ruin by May” "
            "if nothing was done.")
    a = one(run(extractor, text), "ruin by May")
    assert a.kind == "mixed" and a.speaker.name == "Lina Kovacs" and a.cue is not None
    assert a.cue.text == "warning" and a.text.endswith("if nothing was done")
