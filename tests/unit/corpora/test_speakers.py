"""Speaker names from a parse: the person's name without the words news puts before it."""

from __future__ import annotations

import pytest

from corpora.types import Article


def _names(extractor, text: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {a.speaker.mention: a.speaker.name for a in extractor.extract(Article(text=text))}


@pytest.mark.parametrize(("text", "mention", "name"), [
    # A place and a title before the name: the name follows the last title word.
    ('"The pier will open in May," said Eastport Harbour Chair Karla Jensen.',
     "Eastport Harbour Chair Karla Jensen", "Karla Jensen"),
    # A party word before a given name and a surname.
    ("Unionist Karla Jensen said the pier would open in May.",
     "Unionist Karla Jensen", "Karla Jensen"),
])
def test_the_name_is_cut_from_the_words_before_it(extractor, text: str, mention: str,  # type: ignore[no-untyped-def]
                                                   name: str) -> None:
    assert _names(extractor, text)[mention] == name


def test_a_headline_word_before_a_surname_is_no_one_s_first_name(extractor) -> None:  # type: ignore[no-untyped-def]
    # The tagger reads "Asserting Jensen" as a person; the surname stays the one person the
    # article names in full.
    text = ("Tomas Jensen runs the ferry. Asserting Jensen was wrong, the council met. "
            "\"We will see,\" Jensen said.")
    assert _names(extractor, text) == {"Jensen": "Tomas Jensen"}


def test_a_particle_starts_a_surname(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "\"The pier will open in May,\" said Karla van Holt. \"Soon,\" van Holt added."
    assert set(_names(extractor, text).values()) == {"Karla van Holt"}


def test_a_particle_capitalised_at_the_start_of_a_sentence_is_still_the_surname(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("\"The pier will open in May,\" said Karla van Holt. Van Holt added that the ferry "
            "would run all winter.")
    assert set(_names(extractor, text).values()) == {"Karla van Holt"}
    # Without anyone of that surname in the article, it is a given name and a surname.
    alone = "Van Holt said that the ferry would run all winter."
    assert set(_names(extractor, alone).values()) == {"Van Holt"}


def test_a_hyphened_surname_is_the_person_the_article_names_in_full(extractor) -> None:  # type: ignore[no-untyped-def]
    # The full name sits in a sentence that frames no speech, so no entity gives it.
    text = ("Ada Lind-Berg was on the quay too. \"Nobody told us,\" Lind-Berg said. "
            "Karl-Heinz Holm runs the ferry. \"We will see,\" Holm said.")
    assert _names(extractor, text) == {"Lind-Berg": "Ada Lind-Berg", "Holm": "Karl-Heinz Holm"}


def test_a_place_before_a_description_is_not_the_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    found = {a.speaker.mention: (a.speaker.name, a.speaker.role) for a in extractor.extract(
        Article(text="A former U.S. transit official said the ferry would run late. "
                     "The Ohio harbour officials said the pier was closed."))}
    assert found == {
        "A former U.S. transit official": (None, "former U.S. transit official"),
        "The Ohio harbour officials": (None, "Ohio harbour officials")}


@pytest.mark.parametrize(("sentence", "name"), [
    # Where a described person is from or works is not their name.
    ("The senator from Ohio said the pier was closed.", None),
    ("Harbour officials in Cleveland said the pier was closed.", None),
    # A document speaks for where it comes from.
    ("A new report from the Holm Institute said the pier was closed.", "Holm Institute"),
])
def test_a_place_after_a_description_is_not_the_speaker(  # type: ignore[no-untyped-def]
        extractor, sentence: str, name: str | None) -> None:
    found = [a.speaker.name for a in extractor.extract(Article(text=sentence))]
    assert found == [name]


@pytest.mark.parametrize(("text", "name", "role"), [
    ("The Holm Group's CEO, Karla Fritts, said the two firms would merge.",
     "Karla Fritts", "Holm Group's CEO"),
    ("Holm Group's chief executive, Karla Fritts, said the two firms would merge.",
     "Karla Fritts", "Holm Group's chief executive"),
    # The person the description is about is not the speaker.
    ("Otto Brandvik runs the ferry. Brandvik's attorney, Piet Rask, said the case was closed.",
     "Piet Rask", "Brandvik's attorney"),
])
def test_a_name_in_apposition_is_the_speaker_the_description_introduces(  # type: ignore[no-untyped-def]
        extractor, text: str, name: str, role: str) -> None:
    found = [(a.speaker.name, a.speaker.role) for a in extractor.extract(Article(text=text))]
    assert found == [(name, role)]


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("Brandvik's spokeswoman said the case was closed.", None, "Brandvik's spokeswoman"),
    ("A lawyer for Brandvik said the case was closed.", None, "lawyer for Brandvik"),
    # An institution speaks for the person it belongs to.
    ("Brandvik's campaign said the case was closed.", "Otto Brandvik", None),
    # A day is never a speaker.
    ("The harbour board on Monday said the case was closed.", None, "harbour board"),
])
def test_someone_who_speaks_for_a_person_is_not_that_person(  # type: ignore[no-untyped-def]
        extractor, sentence: str, name: str | None, role: str | None) -> None:
    text = "Otto Brandvik runs the Holm ferry company. " + sentence
    found = [(a.speaker.name, a.speaker.role) for a in extractor.extract(Article(text=text))]
    assert found == [(name, role)]


@pytest.mark.parametrize(("text", "name"), [
    ("After an inquiry, the Department of Justice found that the ferry was unsafe.",
     "Department of Justice"),
    ("The Club for Growth said that the ferry was unsafe.", "Club for Growth"),
    # A person and where they come from are not one name.
    ("Senator Karla Jensen of Ohio said that the ferry was unsafe.", "Karla Jensen"),
    # A lowercase word the tagger took for a proper noun names no one.
    ("The former secretary of state said that the ferry was unsafe.", None),
])
def test_names_joined_by_of_or_for(extractor, text: str, name: str | None) -> None:  # type: ignore[no-untyped-def]
    assert [a.speaker.name for a in extractor.extract(Article(text=text))] == [name]
