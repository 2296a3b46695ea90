"""Speaker linking: full names, surnames and roles link only on evidence."""

from __future__ import annotations

from index.linking import (
    Candidate,
    Link,
    Mention,
    Registry,
    bare_surnames,
    name_key,
    role_key,
    same_given_name,
    shown_name,
    strip_titles,
)


def registry() -> Registry:
    return Registry([
        Candidate(1, "karla jensen", mentions=40, alias_keys={"karla jensen"},
                  roles={"finance minister": ("2024-01-10", "2024-06-01")}),
        Candidate(2, "piet jensen", mentions=30, alias_keys={"piet jensen"},
                  roles={"harbour master": (None, None)}),
        Candidate(3, "lina kovacs", mentions=90, alias_keys={"lina kovacs", "l kovacs"},
                  roles={"mayor": ("2024-03-01", "2024-03-01")}),
        Candidate(4, "ada kovacs", mentions=2, alias_keys={"ada kovacs"}),
    ])


def test_keys_drop_honorifics_and_articles() -> None:
    assert name_key("Ms. Jensen") == "jensen" and name_key("Karla  JENSEN") == "karla jensen"
    assert role_key("the Finance Minister") == "finance minister"


def test_a_full_name_links_to_its_speaker_or_makes_a_new_one() -> None:
    r = registry()
    assert r.link(Mention("Karla Jensen", None)) == Link(speaker=1)
    assert r.link(Mention("L. Kovacs", None)) == Link(speaker=3)  # an alias
    assert r.link(Mention("Tomas Rell", None)) == Link(create="tomas rell")


def test_a_shared_surname_needs_evidence() -> None:
    r = registry()
    assert not r.link(Mention("Jensen", None)).linked  # two Jensens, quoted alike
    named = Mention("Jensen", None, article_names=frozenset({"piet jensen"}))
    assert r.link(named) == Link(speaker=2)  # the article names Piet Jensen in full
    by_role = Mention("Jensen", "Finance Minister", day="2024-05-02")
    assert r.link(by_role) == Link(speaker=1)
    # Lina Kovacs is quoted 45 times as often as Ada Kovacs: "Kovacs" is her.
    assert r.link(Mention("Kovacs", None)) == Link(speaker=3)
    assert not r.link(Mention("Brandvik", None)).linked  # nobody known: no new person


def test_a_role_alone_links_to_the_one_holder_near_the_date() -> None:
    r = registry()
    assert r.link(Mention(None, "the finance minister", day="2024-05-02")) == Link(speaker=1)
    assert r.link(Mention(None, "finance minister", day=None)) == Link(speaker=1)
    assert not r.link(Mention(None, "finance minister", day="2027-01-01")).linked
    assert not r.link(Mention(None, "spokesperson", day="2024-05-02")).linked
    assert not r.link(Mention(None, None)).linked


def test_an_honorific_rules_out_the_other_gender() -> None:
    r = Registry([
        Candidate(1, "hana marek", name="Hana Marek", mentions=5, alias_keys={"hana marek"}),
        Candidate(2, "tomas marek", name="Tomas Marek", mentions=5, alias_keys={"tomas marek"}),
    ])
    assert not r.link(Mention("Marek", None)).linked  # two Mareks, quoted alike
    assert r.link(Mention("Marek", None, honorific="f")) == Link(speaker=1)
    assert r.link(Mention("Marek", None, honorific="m")) == Link(speaker=2)
    only_her = Registry([Candidate(1, "hana marek", name="Hana Marek", mentions=5,
                                   alias_keys={"hana marek"})])
    assert not only_her.link(Mention("Marek", None, honorific="m")).linked


def test_titles_and_headline_words_before_a_known_name_are_cut() -> None:
    r = registry()
    assert strip_titles(name_key("President Lina Kovacs")) == "lina kovacs"
    assert r.link(Mention("Mayor Lina Kovacs", None)) == Link(speaker=3)
    assert r.link(Mention("Former Minister Jensen", "Finance Minister",
                          day="2024-05-02")) == Link(speaker=1)
    # A headline word that is no first name, before a known full name.
    assert r.link(Mention("Embattled Karla Jensen", None)) == Link(speaker=1)
    # A first name the lists know is a person's own, never cut: a new person.
    assert r.link(Mention("Mary Karla Jensen", None)) == Link(create="mary karla jensen")
    # Before an unknown name nothing is cut either.
    assert r.link(Mention("Embattled Tomas Rell", None)) == Link(create="embattled tomas rell")
    assert shown_name("President Tomas Rell", "tomas rell") == "Tomas Rell"
    assert shown_name("Tomas Rell", "tomas rell") == "Tomas Rell"


def test_a_nickname_or_a_spelling_of_a_known_given_name_is_that_person() -> None:
    r = Registry([
        Candidate(1, "joseph r biden jr", name="Joseph R. Biden Jr.", mentions=3,
                  alias_keys={"joseph r biden jr"}),
        Candidate(2, "hillary clinton", name="Hillary Clinton", mentions=9,
                  alias_keys={"hillary clinton"}),
    ])
    assert r.link(Mention("Joe Biden", None)) == Link(speaker=1)
    assert r.link(Mention("Hilary Clinton", None)) == Link(speaker=2)
    # Another given name, or an initial, is not a form of it: a new person.
    assert r.link(Mention("Chelsea Clinton", None)) == Link(create="chelsea clinton")
    assert r.link(Mention("J. Biden", None)) == Link(create="j biden")
    assert same_given_name("bill", "william") and not same_given_name("bill", "hillary")


def test_a_surname_with_a_particle_is_a_surname_not_a_new_person() -> None:
    r = Registry([Candidate(7, "karla van holt", mentions=5, alias_keys={"karla van holt"})])
    assert r.link(Mention("van Holt", None)) == Link(speaker=7)
    assert r.link(Mention("Van Holt", None)) == Link(create="van holt")  # "Van Jones"
    assert r.link(Mention("van Dijk", None)) == Link()  # nobody known: not made a person
    r.add(Candidate(8, "tomas holt", mentions=500, alias_keys={"tomas holt"}))
    assert r.link(Mention("van Holt", None)) == Link(speaker=7)


def test_the_outlet_decides_among_people_none_of_whom_dominates() -> None:
    r = Registry([
        Candidate(1, "karla jensen", mentions=40, alias_keys={"karla jensen"},
                  roles={"finance minister": (None, None)},
                  outlets={"Harbour Herald": 12}),
        Candidate(2, "ola berg", mentions=30, alias_keys={"ola berg"},
                  roles={"finance minister": (None, None)},
                  outlets={"Fjord Post": 9, "Island Post": 1}),
    ])
    role = "the finance minister"
    assert r.link(Mention(None, role, outlet="Harbour Herald")) == Link(speaker=1)
    assert r.link(Mention(None, role, outlet="Fjord Post")) == Link(speaker=2)
    assert r.link(Mention(None, role)) == Link()  # no outlet: two people fit
    assert r.link(Mention(None, role, outlet="Island Post")) == Link()  # quoted there once
    assert r.link(Mention(None, role, outlet="Gazette")) == Link()  # nobody quoted there


def test_a_surname_alone_is_stored_under_its_last_word_and_with_its_particle() -> None:
    assert bare_surnames("karla van holt") == {"holt", "van holt"}
    assert bare_surnames("joseph r biden jr") == {"biden"}


def test_a_description_finds_the_holder_of_a_longer_role_with_its_words() -> None:
    r = Registry([Candidate(1, "karla jensen", mentions=4, alias_keys={"karla jensen"},
                            roles={"presumptive unionist party nominee": ("2024-05-01", None)}),
                  Candidate(2, "ola berg", mentions=4, alias_keys={"ola berg"},
                            roles={"secretary of state": (None, None)})], longer_roles=True)
    assert r.link(Mention(None, "the Unionist nominee", "2024-05-03")) == Link(speaker=1)
    assert r.link(Mention(None, "the nominee", "2024-05-03")) == Link()  # one word: too wide
    assert r.link(Mention(None, "the nominee Unionist", "2024-05-03")) == Link()  # not in order
    assert r.link(Mention(None, "former secretary of state")) == Link()  # a word more
    assert r.link(Mention(None, "the Unionist nominee", "2021-01-01")) == Link()  # not then
    # Where the longer roles' holders were not loaded for it (an import), it stays unlinked.
    plain = Registry(list(r.by_id.values()))
    assert plain.link(Mention(None, "the Unionist nominee", "2024-05-03")) == Link()


def test_names_with_the_same_first_and_last_words_differ_where_their_middles_do() -> None:
    r = Registry([
        Candidate(1, "ohio harbour party", name="Ohio Harbour Party", mentions=14,
                  alias_keys={"ohio harbour party"}),
        Candidate(2, "george p marek", name="George P. Marek", mentions=9,
                  alias_keys={"george p marek"}),
    ])
    # Another body, another person: new speakers, not the known ones.
    assert r.link(Mention("Ohio Rivers Party", None)) == Link(create="ohio rivers party")
    assert r.link(Mention("George W. Marek", None)) == Link(create="george w marek")
    # No middle, or one the other's initial stands for: the same name.
    assert r.link(Mention("George Marek", None)) == Link(speaker=2)
    assert r.link(Mention("George Paul Marek", None)) == Link(speaker=2)
    assert r.link(Mention("Ohio Party", None)) == Link(speaker=1)


def test_a_rare_nickname_under_another_letter_is_not_the_known_given_name() -> None:
    r = Registry([Candidate(1, "bill harcourt", name="Bill Harcourt", mentions=20,
                            alias_keys={"bill harcourt"}),
                  Candidate(2, "derrick olsen", name="Derrick Olsen", mentions=5,
                            alias_keys={"derrick olsen"})])
    # The nickname table pairs "bill" with Robert and "eric" with Derrick as well.
    assert r.link(Mention("Robert Harcourt", None)) == Link(create="robert harcourt")
    assert r.link(Mention("Eric Olsen", None)) == Link(create="eric olsen")
    assert r.link(Mention("William Harcourt", None)) == Link(speaker=1)
    assert same_given_name("peggy", "margaret") and same_given_name("jim", "james")
    assert not same_given_name("bill", "robert")
