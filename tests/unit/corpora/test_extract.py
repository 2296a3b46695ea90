"""Each quoting pattern, on our own invented fixtures."""

from __future__ import annotations

import pytest

from corpora.types import Article, Attribution

pytestmark = pytest.mark.slow


def run(extractor, text: str, published: str | None = "2024-05-16") -> list[Attribution]:  # type: ignore[no-untyped-def]
    return extractor.extract(Article(text=text, id="t", published=published))


def having(found: list[Attribution], *words: str) -> list[Attribution]:
    """The attributions whose text contains any of `words`."""
    return [a for a in found if any(w in a.text for w in words)]


def one(found: list[Attribution], words: str) -> Attribution:
    hits = having(found, words)
    assert hits, f"no attribution containing {words!r} in {[a.text for a in found]}"
    return hits[0]


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


def test_multi_paragraph_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Lina Kovacs spoke at length.\n“The first paragraph of the quote runs on.\n"
            "“The second paragraph ends it,” Kovacs said.")
    a = one(run(extractor, text), "first paragraph")
    assert "second paragraph" in a.text and a.speaker.name == "Lina Kovacs"


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


def test_pronoun_and_description_resolve_to_the_named_person(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Harbour spokesperson Otto Brandvik said the ferry would run on time.\n"
            "He added that tickets would cost less.\n"
            "“Nobody will pay more,” the spokesperson said.")
    found = run(extractor, text)
    assert one(found, "tickets would cost less").speaker.name == "Otto Brandvik"
    b = one(found, "Nobody will pay more")
    assert b.speaker.name == "Otto Brandvik" and b.speaker.mention == "the spokesperson"


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


def test_dash_and_colon_attributions(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“Fares rise in August” — Astrid Holm, chief executive of Holm Ferries.\n"
            "And from council chair Erik Dahl:\n“Islanders always pay first.”")
    found = run(extractor, text)
    assert one(found, "Fares rise").speaker.name == "Astrid Holm"
    assert one(found, "Islanders always pay").speaker.name == "Erik Dahl"


def test_unbalanced_marks_do_not_crash(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“Never closed, Lina Kovacs said.\nOtto Brandvik said the ferry is late ”again."
    found = run(extractor, text, published=None)
    assert one(found, "ferry is late").speaker.name == "Otto Brandvik"


def test_quoted_words_inside_a_verbs_complement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs dismissed the ferry plan as “a costly fantasy.” "
                           "Engineer Mara Holt described the new bridge as a “work of art” but "
                           "left early. Councillor Ada Lind called for more “patience” from "
                           "commuters.")
    a = one(found, "costly fantasy")
    assert a.kind == "mixed" and a.speaker.name == "Lina Kovacs"
    assert a.text.startswith("the ferry plan as") and a.cue is not None
    b = one(found, "work of art")
    assert b.speaker.name == "Mara Holt" and "left early" not in b.text
    c = one(found, "patience")
    assert c.speaker.name == "Ada Lind" and c.text.startswith("more")


def test_a_quoted_name_in_a_sentence_without_a_speaker_is_not_attributed(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "It was a “disaster” for the harbour, and there is a “plan B”.")
    assert not having(found, "disaster", "plan B")


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


def test_an_aside_after_a_mixed_quote_is_not_content(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Lina Kovacs said the ferry plan was “a disgrace,” a view the council "
                           "rejects.\nPiet Rask said the fares were “too high” - as always - "
                           "for most families.")
    a = one(found, "disgrace")
    assert a.text.startswith("the ferry plan was “a disgrace") and "council" not in a.text
    assert one(found, "too high").text.endswith("for most families")


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


def test_a_credit_line_under_a_quote_paragraph(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The council met on Monday.\n\n"
            "“The ferry has been late every single day this month.”\n\n- Lina Kovacs.\n\n"
            "“The pier will reopen in May, whatever the weather does.”\n\n"
            "– A harbour in waiting –\n\nThe pier was closed in March.")
    found = run(extractor, text)
    a = one(found, "late every single day")
    assert a.speaker.name == "Lina Kovacs"
    assert all(b.speaker.mention != "A harbour" for b in found)


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


def test_a_noun_that_reports_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The council rejected Lina Kovacs’s warning that the pier would be “a ruin by May” "
            "if nothing was done.")
    a = one(run(extractor, text), "ruin by May")
    assert a.kind == "mixed" and a.speaker.name == "Lina Kovacs" and a.cue is not None
    assert a.cue.text == "warning" and a.text.endswith("if nothing was done")


def test_a_quoted_title_is_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Lina Kovacs watched “The Harbour Hour With Piet Rask” on Monday. "
                           "She dismissed the ferry plan as “Harbour Folly”.")
    assert not having(found, "Harbour Hour")
    assert one(found, "Harbour Folly").speaker.name == "Lina Kovacs"


def test_entities_are_recognised_where_speech_is_framed(extractor) -> None:  # type: ignore[no-untyped-def]
    doc = extractor.nlp("The ferry left Holm at noon. Mayor Lina Kovacs told Reuters on Friday "
                        "that the bridge will open.")
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("Lina Kovacs", "PERSON") in labels and ("Reuters", "ORG") in labels
    assert all(e.start_char > 28 for e in doc.ents)  # the first sentence frames no speech
    batch = list(extractor.nlp.pipe(["Ada Lind said it was over.", "Nothing about Paris."]))
    assert [e.text for e in batch[0].ents] == ["Ada Lind"] and batch[1].ents == ()


def test_speakers_the_parser_leaves_without_a_subject(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“We were wrong to wait so long,” Okafor, 58, told the Holm Gazette "
                           "in an interview on Monday.\n\n"
                           "Mayor Lina Kovacs ended her speech by saying “Never again.”\n\n"
                           "In a statement, her spokesperson, Piet Rask, said: “The harbour "
                           "stays open.”")
    assert one(found, "wrong to wait").speaker.mention == "Okafor"
    assert one(found, "Never again").speaker.name == "Lina Kovacs"
    assert "Rask" in (one(found, "harbour stays open").speaker.name or "")


def test_a_colon_intro_without_a_name_still_introduces_a_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs spoke to the crowd for an hour.\n\n"
                           "She then turned to the harbour workers: “You kept this town alive. "
                           "We will not forget it.”\n\n"
                           "From the council's report:\n\n“Ferry traffic doubled in two years.”")
    a = one(found, "kept this town alive")
    assert a.kind == "direct" and a.speaker.name == "Lina Kovacs"
    b = one(found, "Ferry traffic doubled")
    assert b.kind == "direct"


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


def test_dash_credits_under_each_quote_of_a_list(extractor) -> None:  # type: ignore[no-untyped-def]
    # Horizontal bars, non-breaking spaces, a closing mark typed as the opening one.
    text = ("Islanders on the ferry plan.\n\n"
            "”The ferry is our only road. Without it we are cut off.” ― Nadia Brook\n"
            "“I would rather pay what he calls “island prices” than lose the boat.”\xa0―\xa0"
            "Ada Welk\n"
            "“Nobody asked the fishermen. Nobody ever does.”― Tomas Rell.")
    found = run(extractor, text)
    assert one(found, "our only road").speaker.name == "Nadia Brook"
    welk = one(found, "island prices")
    assert welk.speaker.name == "Ada Welk" and welk.text.endswith("lose the boat.")
    assert one(found, "asked the fishermen").speaker.name == "Tomas Rell"


def test_quote_marks_typed_without_a_space(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Harbour master Tomas Rell said,“The quay will be rebuilt by spring.”")
    a = one(found, "quay will be rebuilt")
    assert (a.kind, a.speaker.name) == ("direct", "Tomas Rell")


def test_a_quote_ending_its_sentence_continues_over_a_frame_before_a_new_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“It is a sad day,” Tomas Rell told reporters outside the hall. “This is what the "
            "cuts cost us.” Mayor Lina Kovacs said she would answer on Friday.")
    a = one(run(extractor, text), "sad day")
    assert a.speaker.name == "Tomas Rell" and "cuts cost us" in a.text


def test_a_quoted_sentence_after_a_frame_sentence_has_the_same_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The ferry plan is “a careful first step,” Tomas Rell said.\n\n"
            "“We will not rush a single vote on it.”")
    found = run(extractor, text)
    a = one(found, "rush a single vote")
    assert (a.kind, a.speaker.name) == ("direct", "Tomas Rell")
    assert one(found, "careful first step").speaker.name == "Tomas Rell"


def test_a_cue_after_a_question_and_as_someone_put_it(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The ferry once ran daily.\n\n“What was the turning point that changed the council "
            "so much?” Tomas Rell questioned.\n\nAt the time, as prosecutor Ines Dace put it, "
            "\"there was not much to complain about in the strict terms of the law.\"")
    found = run(extractor, text)
    assert one(found, "turning point").speaker.name == "Tomas Rell"
    assert one(found, "not much to complain").speaker.name == "Ines Dace"
    assert not run(extractor, "She put it on the table before the vote.")


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


def test_a_quoted_sentence_opened_by_a_connective_and_a_long_frame_after_a_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“It is not do or die for the harbour,” Tomas Rell said outside the hall. But "
            "“the ferry plan is stronger with the support of the whole council.”\n\n"
            "“Mayor, let me help you out, the answer is no,” the harbour master joked at "
            "the rally on Friday, drawing applause from the crowd.")
    found = run(extractor, text)
    assert one(found, "stronger with the support").speaker.name == "Tomas Rell"
    assert one(found, "let me help you out").cue is not None


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


def test_a_split_quote_whose_second_part_the_parser_hangs_on_the_cue(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("“First and foremost,” she told the radio host, “I would never wish this on anyone. "
            "But it should never be used as a shield.”\n\n"
            "“This is fantastic!” beamed Nadia Brook of Eastport, who came early.")
    found = run(extractor, text)
    a = one(found, "First and foremost")
    assert len(a.content_spans) == 2 and "used as a shield" in a.text
    assert one(found, "This is fantastic").speaker.name == "Nadia Brook"


def test_hostile_mixes_of_marks_labels_and_dashes_never_crash(extractor) -> None:  # type: ignore[no-untyped-def]
    import random

    pieces = ["“", "”", '"', "„", "«", "»", "‟", "―", "—", " - ", "\n", "\n\n", "\xa0", ":",
              ",", ".", "?", "!", "(", ")", "WALLIN: ", "HOLT:", " said ", " Lina Kovacs ",
              " the ferry ", " will run ", " he ", " called ", " read the statement ", " But ",
              " according to ", " Gov. ", " told the radio ", "(CROSSTALK.)", " ", "x"]
    rng = random.Random(7)
    texts = [" But \xa0“, - HOLT: the ferry  Gov.  Lina Kovacs  - WALLIN:  he  x:‟ will run  "
             "according to “‟ Gov. »\xa0―\n called \nWALLIN: .\":WALLIN: “x\nx he ?x - ?)—,: "
             "the ferry ―» But WALLIN:  told the radio "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(300)]
    for text in texts:
        for a in run(extractor, text, published=None):
            assert all(0 <= s < e <= len(text) for s, e in a.content_spans), text


def test_a_title_after_a_possessive_is_a_show_not_a_statement(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Mayor Lina Kovacs told Island Radio’s “Morning Harbour” that the "
                           "ferry will run.\n\nShe said on KXT's \"Weekend With Ada Welk\" that "
                           "it was “a costly fantasy.”")
    assert not having(found, "Morning Harbour", "Weekend With")
    assert one(found, "costly fantasy").speaker.name == "Lina Kovacs"


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


def test_according_to_after_a_quote_and_adding_after_a_split_quote(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "“The pier is unsafe,” according to Tomas Rell, the harbour master.\n\n"
                           "The ferry is “late again,” according to Lina Kovacs.\n\n"
                           "“The pier,” Ada Welk said, “reopens Monday,” adding that “nobody "
                           "should worry.”")
    pier = one(found, "pier is unsafe")
    assert (pier.kind, pier.speaker.name, pier.text) == ("direct", "Tomas Rell",
                                                         "The pier is unsafe")
    late = one(found, "late again")
    assert late.speaker.name == "Lina Kovacs" and "according" not in late.text
    assert one(found, "nobody should worry").speaker.name == "Ada Welk"
