"""The parsed article: which tokens sit in which quotation, paragraphs, sentence openings."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import parsed

pytestmark = pytest.mark.slow


def test_every_token_of_a_quotation_and_its_marks_belongs_to_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“The pier opens,” Rask said.\n\nKovacs called it “a fantasy”."
    art = parsed(extractor, text)
    assert len(art.quotes) == 2
    first = [art.doc[i].text for i in art.tokens_of_quote[0]]
    assert first[0] == "“" and "pier" in first and first[-1] == "”"
    assert [art.doc[i].text for i in art.tokens_of_quote[1]] == ["“", "a", "fantasy", "”"]
    said = next(t for t in art.doc if t.text == "said")
    assert art.token_quote[said.i] == -1 and said.i not in art.quote_tokens
    assert art.para_of(text.index("Kovacs")) == 1 and art.para_of(0) == 0
    assert art.quote_spans(1) == [(text.index("a fantasy"), text.index("a fantasy") + 9)]


def test_a_quotation_opens_its_sentence_or_follows_a_connective(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“The pier opens,” Rask said. But “the ferry stays.”\n\n"
            "Kovacs called it “a fantasy”.")
    art = parsed(extractor, text)
    assert art.opens_sentence(art.quotes[0])
    assert not art.opens_sentence(art.quotes[1])
    assert art.opens_sentence(art.quotes[1], connective=True)
    assert not art.opens_sentence(art.quotes[2], connective=True)
    assert art.closing_punct(art.quotes[0]) == ","


def test_a_title_after_a_possessive_is_owned(extractor) -> None:  # type: ignore[no-untyped-def]
    art = parsed(extractor, "Kovacs told Island Radio’s “Morning Harbour” that it was “too late”.")
    assert art.owned_title(0) and not art.owned_title(1)
