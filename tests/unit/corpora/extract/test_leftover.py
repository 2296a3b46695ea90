"""Pass: whole quoted sentences after a sentence that names who speaks."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import having, one, run

pytestmark = pytest.mark.slow


def test_quotes_after_a_named_subject_and_across_a_second_frame(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The harbour trust met on Monday. Lina Kovacs agreed.\n\n"
            "“The ferry company is running out of time to find another boat for the summer.”\n\n"
            "Piet Rask spoke next.\n\n"
            "“The pier is safe. It was checked twice this spring, and nothing was found.\n\n"
            "“We will reopen it in May,” Rask said. “Nobody has to worry.”\n\n"
            "The meeting ended at noon.\n\n"
            "“A line in a brochure that nobody in particular wrote about the seaside.”")
    found = run(extractor, text)
    assert one(found, "running out of time").speaker.name == "Lina Kovacs"
    a = one(found, "pier is safe")
    assert "reopen it in May" in a.text and "Nobody has to worry" in a.text
    assert not having(found, "brochure")
    c = one(run(extractor, "“The pier opens in May, and the ferries follow,” Rask ventured."),
            "pier opens")
    assert c.speaker.name == "Rask" and c.cue is not None and c.cue.text == "ventured"


def test_a_quoted_sentence_after_quoted_words_continues_their_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The ferry plan is “a careful first step,” Tomas Rell said.\n\n"
            "“We will not rush a single vote on it.”")
    found = run(extractor, text)
    a = one(found, "rush a single vote")
    assert (a.kind, a.speaker.name) == ("mixed", "Tomas Rell")
    assert len(a.content_spans) == 2 and "careful first step" in a.text
    assert len(found) == 1


def test_a_quoted_sentence_after_reported_speech_is_a_statement_of_its_own(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Tomas Rell said the council would vote on the ferry plan in May.\n\n"
            "“We will not rush a single vote on it.”")
    found = run(extractor, text)
    a = one(found, "rush a single vote")
    assert (a.kind, a.speaker.name, len(a.content_spans)) == ("direct", "Tomas Rell", 1)
    assert one(found, "vote on the ferry plan").kind == "indirect"


def test_a_cue_after_a_question_and_as_someone_put_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The ferry once ran daily.\n\n“What was the turning point that changed the council "
            "so much?” Tomas Rell questioned.\n\nAt the time, as prosecutor Ines Dace put it, "
            "\"there was not much to complain about in the strict terms of the law.\"")
    found = run(extractor, text)
    assert one(found, "turning point").speaker.name == "Tomas Rell"
    assert one(found, "not much to complain").speaker.name == "Ines Dace"
    assert not run(extractor, "She put it on the table before the vote.")


def test_a_quoted_sentence_opened_by_a_connective_and_a_long_frame_after_a_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“It is not do or die for the harbour,” Tomas Rell said outside the hall. But "
            "“the ferry plan is stronger with the support of the whole council.”\n\n"
            "“Mayor, let me help you out, the answer is no,” the harbour master joked at "
            "the rally on Friday, drawing applause from the crowd.")
    found = run(extractor, text)
    assert one(found, "stronger with the support").speaker.name == "Tomas Rell"
    assert one(found, "let me help you out").cue is not None


def test_an_inverted_frame_with_a_naming_verb_and_its_continuation(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“The ferry will always be the ferry,” an angry Tomas Rell retaliated. “It never "
            "gives up, because the island needs it.”\n\n"
            "“In writing the plan, the council took notes from the islanders,” read the "
            "statement, which was signed by Lina Kovacs.")
    found = run(extractor, text)
    rell = one(found, "always be the ferry")
    assert rell.speaker.name == "Tomas Rell" and "never gives up" in rell.text
    statement = one(found, "took notes from the islanders")
    assert statement.speaker.mention == "the statement"


def test_a_quoted_sentence_after_a_reported_one_goes_on_with_its_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("With two crews filming, Mayor Lina Kovacs says too many parents feel torn when "
            "they go back to work. \"They feel like a bad employee and a bad parent.\" "
            "Employees treated well stay, she added.")
    a = one(run(extractor, text), "bad employee")
    assert (a.kind, a.speaker.name) == ("direct", "Lina Kovacs")
