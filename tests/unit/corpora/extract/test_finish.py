"""Speakers resolved in text order, kinds that fit the words, and what is nobody's statement."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import having, one, run

pytestmark = pytest.mark.slow


def test_pronoun_and_description_resolve_to_the_named_person(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Harbour spokesperson Otto Brandvik said the ferry would run on time.\n"
            "He added that tickets would cost less.\n"
            "“Nobody will pay more,” the spokesperson said.")
    found = run(extractor, text)
    assert one(found, "tickets would cost less").speaker.name == "Otto Brandvik"
    b = one(found, "Nobody will pay more")
    assert b.speaker.name == "Otto Brandvik" and b.speaker.mention == "the spokesperson"


def test_a_relative_pronoun_is_the_mention_and_its_antecedent_the_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The plan was backed by Mayor Lina Kovacs, who said the harbour will reopen in May."
    a = one(run(extractor, text), "harbour will reopen")
    assert a.speaker.name == "Lina Kovacs" and a.speaker.mention == "who"
    assert a.speaker.mention_span is not None
    assert text[a.speaker.mention_span[0]:a.speaker.mention_span[1]] == "who"


def test_a_title_before_a_name_is_not_part_of_it(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Finance Minister Leo Marchetti opened the session on Monday.\n\n"
                           "“We will pay for it,” Marchetti said.")
    assert one(found, "We will pay").speaker.name == "Leo Marchetti"


def test_a_few_quoted_words_with_no_cue_or_speaker_are_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Tonight on the island channel:\n\n“Holm Harbour Nights”\n\n"
                           "From the council's report:\n\n“Ferry traffic doubled in two years.”")
    assert not having(found, "Harbour Nights")
    assert one(found, "Ferry traffic doubled").kind == "direct"


def test_quoted_words_inside_what_someone_reports_are_not_theirs_alone(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Rask said the harbour board plans to “actively support” the "
                           "ferry line.")
    [a] = having(found, "actively support")
    assert a.text == "the harbour board plans to “actively support” the ferry line"
    assert a.speaker.name == "Rask"


def test_a_statement_whose_span_holds_no_quotation_is_not_mixed(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs says she’d sit the harbour board down and tell "
                           "them “no more delays” and tells the crowd she was ready.")
    a = one(found, "sit the harbour board down")
    assert "“" not in a.text and a.kind == "indirect"


def test_no_break_spaces_read_as_spaces_and_the_words_stay_as_written(extractor) -> None:  # type: ignore[no-untyped-def]
    plain = ("The harbour’s “excesses” are sickening, Kovacs said Tuesday in Eastport, noting "
             "the ferry board “makes you want to walk.”")
    odd = plain.replace("board “", "board\u00a0“")
    a, b = run(extractor, plain), run(extractor, odd)
    assert [(x.kind, x.content_spans, x.speaker.name) for x in a] == \
        [(x.kind, x.content_spans, x.speaker.name) for x in b]
    walk = one(b, "want to walk")
    assert walk.text == "the ferry board\u00a0“makes you want to walk.”"


def test_the_same_words_are_given_once_and_to_the_speaker_who_is_named(extractor) -> None:  # type: ignore[no-untyped-def]
    # The learned pass reads the passive "were decided" as a cue with no one behind it; the
    # same words are Mira Osk's, and they are one statement.
    found = run(extractor, "''To see the number of rulings that could change with this "
                           "appointee is stunning,'' since so many of the most important "
                           "rulings were decided by 5-to-4 votes, said Mira Osk, who teaches "
                           "harbour law at Holm University.")
    assert one(found, "number of rulings").speaker.name == "Mira Osk"


def test_a_statement_between_the_parts_of_a_split_quote_is_kept(extractor) -> None:  # type: ignore[no-untyped-def]
    # The quote-only paragraph runs the first statement on: its spans lie either side of
    # what `saying` reports, which is no part of them.
    text = ("“By the way, if the council gets its way, nothing you can do, folks,” Kovacs told "
            "a harbour rally, saying Rell would “sink the ferry line.”\n\n"
            "“Although the fishermen, maybe they can. I don’t know. That will be a sad day.”")
    found = run(extractor, text)
    a = one(found, "sink the ferry line")
    assert (a.kind, a.text, a.speaker.name) == ("mixed", "Rell would “sink the ferry line.”",
                                                "Kovacs")
    assert "sad day" in one(found, "nothing you can do").text
