"""Pass: cue verbs, direct and reported speech, outlet credits, on invented fixtures."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import having, one, run

pytestmark = pytest.mark.slow


def test_direct_quote_curly_and_straight(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The bridge opens in May,” Mayor Lina Kovacs said Wednesday.\n"
                           '"We will be ready," engineer Piet Rask said.')
    a = one(found, "bridge opens")
    assert (a.kind, a.speaker.name, a.speaker.role) == ("direct", "Lina Kovacs", "Mayor")
    assert a.when is not None and a.when.date == "2024-05-15"
    assert one(found, "We will be ready").speaker.name == "Piet Rask"


def test_split_quote_is_one_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“The bridge is safe,” Lina Kovacs said, “and it will stay open.”"
    a = one(run(extractor, text), "bridge is safe")
    assert len(a.content_spans) == 2 and "stay open" in a.text


def test_quotes_after_the_frame_sentence_continue_the_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    # An abbreviation in the frame is not the end of its sentence; a paragraph that is only
    # a quote runs the same statement on.
    text = ("“The harbour will reopen,” Gov. Lina Kovacs said. “The ferries come back in May.”\n\n"
            "“Nobody will pay more for a ticket.”\n\n"
            "“We lost a season,” said Piet Rask, adding that “the season is not coming back.”")
    found = run(extractor, text)
    a = one(found, "harbour will reopen")
    assert "ferries come back" in a.text and "pay more" in a.text
    assert len(a.content_spans) == 3 and a.speaker.name == "Lina Kovacs"
    b = one(found, "lost a season")
    assert "not coming back" not in b.text and b.speaker.name == "Piet Rask"


def test_mixed_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    a = one(run(extractor, "Engineer Piet Rask said the bridge was “completely safe” for "
                           "heavy lorries."), "completely safe")
    assert a.kind == "mixed" and a.speaker.name == "Piet Rask"


@pytest.mark.parametrize("text,words,cue", [
    ("Lina Kovacs said that the bridge would open in May.", "bridge would open", "said"),
    ("Lina Kovacs warned of delays caused by the spring floods.", "delays", "warned of"),
    ("The bridge will cost twice the estimate, Lina Kovacs added.", "twice the estimate",
     "added"),
    ("According to Lina Kovacs, the bridge will cost twice the estimate.", "twice the estimate",
     "according to"),
])
def test_reported_speech(extractor, text: str, words: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    a = one(run(extractor, text), words)
    assert a.kind == "indirect" and a.speaker.name == "Lina Kovacs"
    assert a.cue is not None and a.cue.text == cue


def test_agency_credit_is_via(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“The harbour stays open,” Otto Brandvik said on Friday, Northwire reported.\n"
            "“Prices will fall,” Halden Press Agency quoted Lina Kovacs as saying.")
    found = run(extractor, text)
    a = one(found, "harbour stays open")
    assert (a.speaker.name, a.via) == ("Otto Brandvik", "Northwire")
    assert a.when is not None and a.when.date == "2024-05-10"
    b = one(found, "Prices will fall")
    assert (b.speaker.name, b.via) == ("Lina Kovacs", "Halden Press")
    assert b.cue is not None and b.cue.text == "quoted … as saying"


def test_an_outlets_name_keeps_its_own_news_and_daily(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The harbour stays open,” Otto Brandvik told Halden News.\n\n"
                           "“Prices will fall,” Lina Kovacs told the Daily Harbour.\n\n"
                           "“The ferry is late,” Piet Rask said, the Northwire news agency "
                           "reported.")
    assert one(found, "harbour stays open").via == "Halden News"
    assert one(found, "Prices will fall").via == "Daily Harbour"
    assert one(found, "ferry is late").via == "Northwire"


def test_told_a_newsroom_role_credits_its_outlet(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“We will win,” Tomas Rell told Halden News host Ada Welk on Monday."
                           "\n\n“The pier is safe,” Ada Welk told Harbour Council members on "
                           "Tuesday.")
    win = one(found, "We will win")
    assert (win.speaker.name, win.via) == ("Tomas Rell", "Halden News")
    assert one(found, "pier is safe").via is None


def test_a_clause_a_quote_opens_runs_to_its_end(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Lina Kovacs says “the harbour is ready” despite the storm last week.\n"
                           "“The ferries run,” Piet Rask said on Monday.")
    a = one(found, "harbour is ready")
    assert a.kind == "mixed" and a.text.endswith("despite the storm last week")
    b = one(found, "ferries run")
    assert (b.kind, b.text) == ("direct", "The ferries run")
    c = one(run(extractor, 'Rask said he would be a better mayor than Kovacs "no matter what."'),
            "no matter what")
    assert c.kind == "mixed" and c.text.startswith("he would be a better mayor")


def test_a_that_clause_the_parser_hangs_on_a_noun(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The plan drew fire from Mayor Lina Kovacs of Eastport, who mused in Monday's "
            "council debate that the ferry was \"a floating disaster\" because it was late.")
    a = one(run(extractor, text), "floating disaster")
    assert a.speaker.name == "Lina Kovacs" and a.speaker.mention == "who"


def test_inverted_and_interrupted_frames(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Couple a late ferry with a \"storm that never ends\" and commuters get nervous, said "
            "Lina Kovacs, director of the Eastport Harbour Trust.\n"
            "“That is a fair worry, because the boats are old,” Rask, 61, told Harbour FM on "
            "Monday when asked whether the ferries were safe.\n"
            "“Fares go up in May,” Piet Rask, the analyst who founded harbourdata.example "
            "wrote on Friday.")
    found = run(extractor, text)
    a = one(found, "storm that never ends")
    assert a.speaker.name == "Lina Kovacs" and a.text.startswith("Couple a late ferry")
    b = one(found, "fair worry")
    assert b.kind == "direct" and b.speaker.mention == "Rask"
    assert one(found, "Fares go up").speaker.name == "Piet Rask"
    c = one(run(extractor, "“Vote for the new pier, and vote early,” the leaflet read."),
            "new pier")
    assert c.kind == "direct" and "leaflet" in (c.speaker.mention or "")


def test_speakers_the_parser_leaves_without_a_subject(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“We were wrong to wait so long,” Okafor, 58, told the Holm Gazette "
                           "in an interview on Monday.\n\n"
                           "Mayor Lina Kovacs ended her speech by saying “Never again.”\n\n"
                           "In a statement, her spokesperson, Piet Rask, said: “The harbour "
                           "stays open.”")
    assert one(found, "wrong to wait").speaker.mention == "Okafor"
    assert one(found, "Never again").speaker.name == "Lina Kovacs"
    assert "Rask" in (one(found, "harbour stays open").speaker.name or "")


def test_a_parenthetical_cue_and_a_phrasal_one(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "The harbour, Mayor Lina Kovacs said, will reopen in May.\n\n"
                           "After Rask criticized the plan, Kovacs shot back, “The plan is "
                           "already paid for.”")
    a = one(found, "will reopen in May")
    assert a.speaker.name == "Lina Kovacs" and len(a.content_spans) == 2
    assert "said" not in a.text and a.text.startswith("The harbour")
    b = one(found, "already paid for")
    assert b.kind == "direct" and b.speaker.name == "Lina Kovacs" and b.cue is not None
    assert b.cue.text == "shot"


def test_a_quote_ending_its_sentence_continues_over_a_frame_before_a_new_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“It is a sad day,” Tomas Rell told reporters outside the hall. “This is what the "
            "cuts cost us.” Mayor Lina Kovacs said she would answer on Friday.")
    a = one(run(extractor, text), "sad day")
    assert a.speaker.name == "Tomas Rell" and "cuts cost us" in a.text


def test_cries_and_laughs_frame_quotes(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“Never again!” Tomas Rell cried out from the quay.\n\n"
                           "“Not while I am mayor,” Lina Kovacs laughed.")
    assert one(found, "Never again").speaker.name == "Tomas Rell"
    assert one(found, "Not while I am mayor").speaker.name == "Lina Kovacs"


def test_a_name_given_by_a_passive_naming_verb_is_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Rell taught a seminar called “Harbour Ways” in 2002.\n\n"
                           "The ferry, long dubbed “the Grey Lady,” sails on Monday.\n\n"
                           "Mayor Lina Kovacs called the plan “a costly fantasy.”")
    assert not having(found, "Harbour Ways", "Grey Lady")
    assert one(found, "costly fantasy").speaker.name == "Lina Kovacs"


def test_a_split_quote_whose_second_part_the_parser_hangs_on_the_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“First and foremost,” she told the radio host, “I would never wish this on anyone. "
            "But it should never be used as a shield.”\n\n"
            "“This is fantastic!” beamed Nadia Brook of Eastport, who came early.")
    found = run(extractor, text)
    a = one(found, "First and foremost")
    assert len(a.content_spans) == 2 and "used as a shield" in a.text
    assert one(found, "This is fantastic").speaker.name == "Nadia Brook"


def test_an_inverted_frame_names_its_speaker_after_the_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("\"I'm not going to say it is a mistake, so forget about it,\" said retired surgeon "
            "Ben Carlo, asked about his claims that he had received an offer.")
    a = one(run(extractor, text), "forget about it")
    assert a.speaker.name == "Ben Carlo"


def test_a_surname_the_tagger_takes_for_an_adverb_still_names_the_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“Having access to the file and two people who understand it is valuable,” said "
            "Skelly, explaining he worked more closely with Rask.")
    a = one(run(extractor, text), "is valuable")
    assert (a.speaker.name, a.speaker.mention) == ("Skelly", "Skelly")


def test_a_frame_before_a_colon_is_not_the_content_of_the_next_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Rell fired back: “As a guardian of the harbour,” he wrote, “we know you are rooting "
            "for the ferry, too. You just play a critic on the radio!”")
    found = run(extractor, text)
    assert not having(found, "fired back")
    assert one(found, "rooting for the ferry").speaker.name == "Rell"


def test_a_title_after_a_possessive_is_a_show_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs told Island Radio’s “Morning Harbour” that the "
                           "ferry will run.\n\nShe said on KXT's \"Weekend With Ada Welk\" that "
                           "it was “a costly fantasy.”")
    assert not having(found, "Morning Harbour", "Weekend With")
    assert one(found, "costly fantasy").speaker.name == "Lina Kovacs"


def test_a_question_asked_by_an_inverted_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Tomas Holm spoke first.\n\n''Is the ferry running against the council?'' asked "
            "Mr. Holm, referring to the dispute.\n\n“How long is that pier?” asked the boy, "
            "who was wearing a red cap.")
    found = run(extractor, text)
    a = one(found, "running against the council")
    assert (a.speaker.mention, a.speaker.name) == ("Mr. Holm", "Tomas Holm")
    assert one(found, "How long").speaker.mention == "the boy"


def test_a_clause_a_quote_opens_runs_on_to_the_frame(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“We fixed it” within a week of the collapse, despite the storms, engineer Piet Rask "
            "said.")
    a = one(run(extractor, text), "fixed it")
    assert a.kind == "mixed" and "within a week of the collapse" in a.text
    assert a.speaker.name == "Piet Rask"


def test_a_second_that_clause_belongs_to_the_same_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    # `continue` can frame speech, but here it frames nothing: the clause is what was said.
    text = ("The council said the pier was “completely unsafe” and that the inspectors would "
            "continue to examine the harbour.")
    a = one(run(extractor, text), "completely unsafe")
    assert a.text.endswith("would continue to examine the harbour")


def test_a_relative_clause_that_frames_a_quote_is_its_own_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Kovacs said the ferry company would lose its licence, which she declared “a long "
            "overdue step” for the town.")
    found = run(extractor, text)
    outer = one(found, "lose its licence")
    assert (outer.kind, outer.speaker.name) == ("indirect", "Kovacs")
    assert "overdue" not in outer.text
    inner = one(found, "overdue step")
    assert (inner.kind, inner.speaker.mention) == ("mixed", "she")


def test_a_title_in_the_frame_is_no_ones_words(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“The pier is safe,” Lina Kovacs said on Harbour Radio’s “Morning Tide Show.” "
            "“We reopen it in May.”\n\n"
            "“Nobody pays more,” Piet Rask said on “The Late Ferry.”")
    found = run(extractor, text)
    a = one(found, "pier is safe")
    assert "reopen it in May" in a.text and "Morning Tide" not in a.text
    assert a.speaker.name == "Lina Kovacs"
    assert "Late Ferry" not in one(found, "Nobody pays more").text
    assert not having(found, "Morning Tide", "Late Ferry")


def test_a_colon_intro_after_a_quote_starts_a_statement_of_its_own(extractor) -> None:  # type: ignore[no-untyped-def]
    # The closing mark is typed against the next word, so no space ends the first sentence.
    text = ("“Happy harbour day!,” he tweeted. “The best fish is at the pier. I love sailors!”"
            "Former harbour master Piet Rask broke down exactly what was wrong with the message: "
            "“What Welk did was so careless.”")
    found = run(extractor, text)
    assert "careless" not in one(found, "Happy harbour day").text
    assert one(found, "careless").speaker.name == "Piet Rask"


def test_a_described_speaker_of_an_inverted_frame(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs these speakers elsewhere; the frame still names them.
    text = ("\"We should close the pier,\" said the woman, who like many in the town did not "
            "want to be named.\n\n"
            "“If she wants the ferry, she should ride it,” the editorial read.")
    found = run(extractor, text)
    assert one(found, "close the pier").speaker.mention == "the woman"
    assert one(found, "ride it").speaker.mention_span is not None


def test_known_as_gives_a_name_and_frames_no_quotation(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The program, known as the Harbour Renewal Fund, “can continue to be a powerful "
            "tool for the docks,” Kovacs wrote.")
    a = one(run(extractor, text), "powerful tool")
    assert a.speaker.name == "Kovacs" and a.cue is not None and a.cue.text == "wrote"


def test_demanded_is_a_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    a = one(run(extractor, "“Quiet,” Brekke demanded, as Kovacs continued to interject."),
            "Quiet")
    assert a.speaker.name == "Brekke" and a.cue is not None and a.cue.text == "demanded"


def test_the_clause_after_the_cue_is_what_was_said(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs both clauses on `said`; the one before the frame is the writer's.
    text = ("Lina Kovacs isn’t rattled about the string of votes she has lost on the council — "
            "in fact, she said it “humanizes” her.")
    found = run(extractor, text)
    a = one(found, "humanizes")
    assert (a.kind, a.text, a.speaker.mention) == ("mixed", "it “humanizes” her", "she")
    assert not having(found, "isn’t rattled")


def test_a_later_quotation_hung_on_the_cue_is_not_its_content(extractor) -> None:  # type: ignore[no-untyped-def]
    # The parser hangs the words after `…` in the second quotation on `told`; what Kovacs
    # told the Gazette is still the that-clause.
    text = ("To wit, Kovacs told the Gazette that Rell “had an odd habit of self-praise which "
            "was tiring,” adding, “He lost all of the Nordic vote … he lost everybody who is "
            "happy to come into this port.”")
    found = run(extractor, text)
    a = one(found, "odd habit")
    assert a.kind == "mixed" and a.text.startswith("Rell “had an odd habit")
    assert a.speaker.name == "Kovacs"
    assert one(found, "Nordic vote").kind == "direct"


def test_an_abbreviation_between_a_cue_and_its_quotation_ends_no_sentence(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "''We've started all those talks,'' Mr. Rask said, adding of Mrs. "
                           "Kovacs, ''She cares about the whole harbour.''")
    a = one(found, "whole harbour")
    assert (a.kind, a.speaker.name) == ("direct", "Rask")


def test_an_ing_cue_the_parser_made_the_subject_of_its_clause(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“We had written two dozen shanties before we got with [the band],” "
                           "Kovacs said, mentioning the long-awaited album is “in the home "
                           "stretch.”")
    a = one(found, "home stretch")
    assert (a.kind, a.text) == ("mixed", "the long-awaited album is “in the home stretch.”")
    assert a.speaker.name == "Kovacs"
