"""Honorifics and first names: which person a "Mrs." or "Mr." can name."""

from __future__ import annotations

from corpora import gender


def test_first_names_the_census_lists_tell_apart() -> None:
    assert gender.of_first_name("Karla") == "f" and gender.of_first_name("Donald") == "m"
    assert gender.of_first_name("Leslie") is None  # common for both
    assert gender.of_first_name("Ivanka") is None  # on neither list
    assert gender.of_first_name("Yuri") is None  # too rare on the lists to count


def test_honorifics_rule_out_the_other_gender_only() -> None:
    assert gender.of_honorific("Mrs. Jensen") == "f" and gender.of_honorific("Mr Rell") == "m"
    assert gender.of_honorific("Finance Minister Jensen") is None
    assert not gender.can_name("f", "Tomas Jensen")
    assert gender.can_name("f", "Karla Jensen") and gender.can_name("m", "Leslie Jensen")
    assert gender.can_name(None, "Tomas Jensen") and gender.can_name("m", "Jensen")


def test_the_honorific_must_stand_right_before_the_name() -> None:
    assert gender.of_mention("Mrs. Jensen", "Jensen") == "f"
    assert gender.of_mention("Mr. Rell's", "Rell") == "m"
    assert gender.of_mention("the finance minister", None) is None
    assert gender.of_mention("an aide to Mr. Rell, Karla Jensen", "Karla Jensen") is None
