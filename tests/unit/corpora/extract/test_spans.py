"""Span helpers: sentence stops, titles, trimming a content to its words, asides."""

from __future__ import annotations

import pytest

from corpora.extract.spans import cut_after_quotes, is_title, sentence_stops, trim
from tests.unit.corpora.extract.support import one, parsed, run


@pytest.mark.parametrize("text,stops", [
    ("The pier opened. Then it closed.", [15, 31]),
    ("Gov. Kasich replied. “Yes.”", [19, 25]),  # a stop before a closing mark counts
    ("Sen. Dahl (D-Calif.) spoke. Fine!", [26, 32]),
    ("G.H.W. Rask left. Ok?", [16, 20]),
    ("It costs 3.5 million.", [20]),
    ("He said “no.” Then left.", [11, 23]),
])
def test_sentence_stops_skip_abbreviations_and_decimals(text: str, stops: list[int]) -> None:
    assert sentence_stops(text) == stops


@pytest.mark.parametrize("quoted,title", [
    ("The Evening Show", True),
    ("Vote No On 3", True),
    ("The State of the Union", True),
    ("Harbour", False),  # one word is a scare quote, not a title
    ("a costly fantasy", False),
    ("The ferry will run", False),
])
def test_a_title_has_every_word_but_the_minor_ones_capitalised(quoted: str, title: bool) -> None:
    assert is_title(quoted) is title


@pytest.mark.slow
def test_trim_drops_edge_punctuation_the_mark_that_and_a_dangling_coordinator(  # type: ignore[no-untyped-def]
        extractor) -> None:
    text = "Rask said that the pier is “complex” and, frankly, old."
    art = parsed(extractor, text)
    start = text.index("that")
    span = trim(art, start, text.index("and,") + 4)
    assert span is not None and text[span[0]:span[1]] == "the pier is “complex”"
    assert trim(art, 10, 10) is None


@pytest.mark.slow
def test_a_span_ending_inside_a_quotation_takes_all_of_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Rask said the plan was “a costly fantasy for the island” today."
    art = parsed(extractor, text)
    span = trim(art, text.index("the plan"), text.index("fantasy"))
    assert span is not None and text[span[0]:span[1]].endswith("for the island”")


@pytest.mark.slow
def test_a_mixed_content_ends_before_the_aside_after_its_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Kovacs said the plan was “a disgrace,” a view the council rejects."
    art = parsed(extractor, text)
    whole = (text.index("the plan"), len(text) - 1)
    cut = cut_after_quotes(art, whole, {0})
    assert text[cut[0]:cut[1]] == "the plan was “a disgrace,”"


@pytest.mark.slow
def test_reported_words_stop_where_someone_else_names_a_thing(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Mayor Lina Kovacs said she was “very encouraged” and Senator Jonas Pell calling "
            "it a “great meeting.”")
    found = run(extractor, text)
    assert one(found, "very encouraged").text == "she was “very encouraged”"
    assert one(found, "great meeting").speaker.name == "Jonas Pell"
