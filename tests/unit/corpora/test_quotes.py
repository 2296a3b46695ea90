"""Quotation scanning: marks, unbalanced quotes and multi-paragraph quotes."""

from corpora.quotes import find_quotes


def texts(t: str) -> list[list[str]]:
    return [[t[s.start:s.end] for s in q.segments] for q in find_quotes(t)]


def test_curly_and_straight_marks() -> None:
    t = '“Curly one,” she said. He said "straight one" too.'
    assert texts(t) == [["Curly one"], ["straight one"]]


def test_multi_paragraph_quote_joins_paragraphs() -> None:
    t = "He said: “First part.\n“Second part.”\nAfterwards."
    assert texts(t) == [["First part.", "Second part."]]


def test_unclosed_quote_stops_at_paragraph_end() -> None:
    t = "She said “never closed here\nNext paragraph has “a real quote” in it."
    assert texts(t) == [["never closed here"], ["a real quote"]]


def test_stray_closing_mark_does_not_derail() -> None:
    t = "Odd ” mark here. Then “a quote” follows."
    assert texts(t) == [["a quote"]]


def test_an_opening_mark_used_as_a_closing_one_closes_the_quote() -> None:
    t = "“The ferry is late,” she wrote. “Check the timetable .“ Then “a second” came."
    assert texts(t) == [["The ferry is late"], ["Check the timetable ."], ["a second"]]


def test_a_curly_quote_inside_a_straight_one_stays_inside_it() -> None:
    t = ('Holm stated:\n"The board isn’t about “quick fixes” any more. It never was.\n'
         '"We vote today."')
    assert texts(t) == [["The board isn’t about “quick fixes” any more. It never was.",
                         "We vote today."]]


def test_a_quote_within_a_quote_of_the_same_marks() -> None:
    t = "“I would rather live in what he calls “chaos” than in his order.” ― Ada Welk"
    assert texts(t) == [["I would rather live in what he calls “chaos” than in his order."]]


def test_an_unclosed_quote_before_a_second_opening_mark_is_still_dropped() -> None:
    t = "“Never closed here and “a real quote” follows."
    assert texts(t) == [["a real quote"]]


def test_a_closing_mark_typed_as_an_opening_one_opens_the_quote() -> None:
    t = "”Floods every spring. We are tired.” ― Nadia Brook"
    assert texts(t) == [["Floods every spring. We are tired."]]


def test_two_apostrophes_are_a_quotation_mark() -> None:
    t = ("''The quay will be rebuilt,'' said Tomas Rell. The plan was ''a first step'' only. "
         "It isn't Rell's last word.")
    assert texts(t) == [["The quay will be rebuilt"], ["a first step"]]
    q = find_quotes(t)[0].segments[0]
    assert (t[q.open_mark:q.open_mark + 2], t[q.close_mark - 1:q.close_mark + 1]) == ("''", "''")
    assert t[q.close_mark + 1:].startswith(" said")


def test_a_quote_of_two_apostrophes_runs_over_paragraphs_and_keeps_other_marks() -> None:
    t = "Rell said: ''First part with a \"word\" in it.\n''Second part.''\nAfterwards."
    assert texts(t) == [['First part with a "word" in it.', "Second part."]]
