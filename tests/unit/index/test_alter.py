"""Quotes changed in meaning: numbers, negations and antonyms between a claim and a statement."""

from __future__ import annotations

import pytest

from index.align import align, map_spans
from index.alter import values

RESERVOIRS = ("Our reservoirs are at seventy percent and we have no plans to ration water this "
              "summer")
OKAFOR = ("We are not asking for miracles. We are asking for the overtime that our members have "
          "already worked")


def changed(claim: str, statement: str) -> tuple[list[str], list[str], list[str]]:
    a = align(claim, statement)
    return (a.change_kinds, [statement[s:e] for s, e in a.changed],
            [claim[s:e] for s, e in a.claim_changed])


@pytest.mark.parametrize(("claim", "statement", "want"), [
    ("our reservoirs are at fifty percent", RESERVOIRS, (["number"], ["seventy"], ["fifty"])),
    ("we have plans to ration water this summer", RESERVOIRS, (["negation"], ["no"], [])),
    ("we are asking for miracles", OKAFOR, (["negation"], ["not"], [])),
    ("we are not asking for the overtime", OKAFOR, (["negation"], [], ["not"])),
    ("Unemployment fell by two points last year", "Unemployment rose by two points last year",
     (["antonym"], ["rose"], ["fell"])),
    ("the budget grew by 3 percent", "The budget grew by 4.5 percent", (["number"], ["4"], ["3"])),
])
def test_changes_are_found_on_both_sides(claim: str, statement: str,
                                         want: tuple[list[str], list[str], list[str]]) -> None:
    kinds, in_statement, in_claim = changed(claim, statement)
    assert kinds == want[0]
    assert all(any(w in x for x in in_statement) for w in want[1]), in_statement
    assert all(any(w in x for x in in_claim) for w in want[2]), in_claim


@pytest.mark.parametrize(("claim", "statement"), [
    ("Our reservoirs are at seventy percent", RESERVOIRS),  # a fragment
    ("reservoirs are at 70 percent", RESERVOIRS),  # the same number written otherwise
    ("we are not asking for miracles", OKAFOR),
    ("we are asking for the overtime", OKAFOR),  # the second sentence, quoted exactly
    ("water levels fell", RESERVOIRS),  # not a quote of it at all
    ("the mayor will rise early", "The governor fell asleep late"),  # too little in common
])
def test_quotes_and_unrelated_claims_are_not_changes(claim: str, statement: str) -> None:
    assert changed(claim, statement)[0] == []


def test_number_values() -> None:
    assert values(["seventy", "five"]) == values(["75"]) == {75}
    assert values(["two", "hundred", "ten"]) == {210}
    assert values(["1,200"]) == {1200}
    assert values(["half"]) == {"half"}


def test_claim_spans_map_into_the_whole_claim() -> None:
    inner = "our reservoirs are at fifty percent"
    outer = "Varga said  “our reservoirs are at fifty percent”"
    (span,) = map_spans([(22, 27)], inner, outer)
    assert outer[span[0]:span[1]] == "fifty"
    assert map_spans([(0, 3)], "not here", outer) == []
