"""Proper names in a parse: where a name starts and ends in a phrase (titles, particles,
hyphens, "of"), and which proper nouns are nobody's name."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from corpora import gender, lexicon

POSSESSIVE = ("’s", "'s", "’", "'")


def strip_possessive(text: str) -> str:
    """"Russia’s" -> "Russia"."""
    for suffix in POSSESSIVE:
        if text.endswith(suffix):
            return text[: -len(suffix)].rstrip()
    return text


def proper_name(tokens: list[Token], head: Token) -> list[Token] | None:
    """The tokens of a proper name inside the phrase, preferring a PERSON entity."""
    if head.pos_ == "NOUN" and head.lemma_.lower() in lexicon.AGENT_NOUNS:
        # "Brandvik's spokeswoman", "a lawyer for Brandvik": the person the description
        # works for is not the speaker.
        behalf = {t.i for c in head.children
                  if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "for")
                  for t in c.subtree}
        tokens = [t for t in tokens if t.i not in behalf]
    if head.pos_ == "NOUN" and head.lemma_.lower() not in lexicon.DOCUMENT_NOUNS:
        # "the senator from Vermont", "officials in Ohio": the place a described person is
        # from or in is not their name. A document's is its source ("an article in
        # Politico", "an email from Jo Lane", tagged a place at times).
        where = {t.i for c in head.children if c.dep_ == "prep" and c.lower_ in _WHERE
                 for t in c.subtree if t.ent_type_ in _PLACES}
        tokens = [t for t in tokens if t.i not in where]
    persons = [t for t in tokens if t.ent_type_ == "PERSON"]
    if persons:
        # The entity nearest the end of the phrase: "a representative of X's Yuri Shuvalov".
        last = persons[-1]
        ent_tokens = [t for t in tokens if t.ent_type_ == "PERSON" and t.ent_iob_ != "O"]
        run = [last]
        for t in reversed(ent_tokens):
            if t.i == run[0].i - 1 and not (last.ent_iob_ == "B" and t.i < last.i
                                            and run[0].ent_iob_ == "B"):
                run.insert(0, t)
        return strip_titles(run)
    propn = [t for t in tokens if t.pos_ == "PROPN" and t.text not in POSSESSIVE
             and t.ent_type_ not in _WHEN
             and not (t.is_lower and t.lower_ not in lexicon.NAME_PARTICLES)
             and not (head.pos_ == "NOUN" and _modifies(t, head, t.ent_type_ not in _NO_ONE))]
    if not propn:
        return None
    anchor = head if head.pos_ == "PROPN" else propn[-1]
    run = [anchor]
    idx = {t.i for t in tokens}
    doc = anchor.doc
    i = anchor.i - 1
    while i in idx and (doc[i].pos_ == "PROPN" or (_name_joint(doc, i) and i - 1 in idx)):
        run.insert(0, doc[i])
        i -= 1
    i = anchor.i + 1
    while i in idx and (doc[i].pos_ == "PROPN" or (_name_joint(doc, i) and i + 1 in idx)):
        run.append(doc[i])
        i += 1
    joint = next((k for k, t in enumerate(run) if t.lower_ in _JOINS), None)
    if joint is not None and any(gender.is_first_name(t.text) for t in run[:joint]):
        # "Senator Ted Cruz of Texas": a person and where they come from, not one name.
        run = run[:joint] if anchor.i < run[joint].i else run[joint + 1:]
    return strip_titles(run)


def _modifies(t: Token, head: Token, directly: bool) -> bool:
    """Whether a token is a modifier inside the noun phrase of `head`: directly, or also
    through other modifiers ("U.S." in "a former U.S. law enforcement official")."""
    while t.dep_ in _MODIFIER_DEPS and t.head.i != t.i:
        t = t.head
        if t.i == head.i:
            return True
        if directly:
            break
    return False


_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Entities that are nobody's name, and that never speak for a noun they modify either, with
# places, nationalities and numbers.
_WHEN = frozenset({"DATE", "TIME"})
_NO_ONE = _WHEN | {"GPE", "LOC", "NORP", "CARDINAL", "ORDINAL"}
# Prepositions that say where a described person is ("a source in Tampa").
_WHERE = frozenset({"in", "at", "from", "on", "near", "inside", "outside", "across",
                    "around", "throughout"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})
# Words that join two capitalised words into one organisation's name ("Club for Growth").
_JOINS = frozenset({"of", "for"})


def _name_joint(doc: Doc, i: int) -> bool:
    """Whether token `i` joins the proper nouns on both sides into one name: a hyphen
    ("Lind-Berg") or, between capitalised words, "of" or "for" ("Club for Growth")."""
    return name_hyphen(doc, i) or (
        doc[i].lower_ in _JOINS and 0 < i < len(doc) - 1
        and all(doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() for j in (i - 1, i + 1)))


def name_hyphen(doc: Doc, i: int) -> bool:
    """Whether token `i` is the hyphen inside a name ("Lind-Berg"): glued to proper nouns on
    both sides."""
    return doc[i].text == "-" and 0 < i < len(doc) - 1 and not doc[i].whitespace_ \
        and not doc[i - 1].whitespace_ and doc[i - 1].pos_ == "PROPN" \
        and doc[i + 1].pos_ == "PROPN"


def is_full(name: str) -> bool:
    """Whether a name has a given name before its surname ("Karla van Holt", not "van Holt")."""
    words = name.split()
    return len(words) >= 2 and not (len(words) == 2 and words[0] in lexicon.NAME_PARTICLES)


def particle_pair(name: str) -> bool:
    """Whether a name is two words, the first a name particle in either case ("van Holt",
    "Van Holt"): a surname, or a given name and a surname ("Van Jones")."""
    words = name.split()
    return len(words) == 2 and words[0].lower() in lexicon.NAME_PARTICLES


def is_title(t: Token) -> bool:
    return t.lower_ in lexicon.TITLE_WORDS or t.lower_.rstrip(".") in lexicon.TITLE_WORDS


def not_a_name(t: Token) -> bool:
    """A word that starts no name: a lowercase word ("overtake Obama") or, capitalised at
    the start of a sentence, a function word or an -ing form ("Neither Cruz", "Asserting
    Clinton"). Particles ("de Blasio") and census first names are kept."""
    if gender.is_first_name(t.text):
        return False
    if t.is_lower:
        return t.is_alpha and t.lower_ not in lexicon.NAME_PARTICLES
    return t.is_stop or (t.lower_.endswith("ing") and len(t) > 5)


def strip_titles(run: list[Token]) -> list[Token] | None:
    """The name in a run of proper nouns, without the titles, places and headline words
    before it ("New Jersey Gov. Chris Christie", "Republican Donald Trump")."""
    # The name follows the last title word with a full name after it (not "King Jr.").
    titles = [k for k, t in enumerate(run[:-2]) if is_title(t)]
    if titles:
        run = run[titles[-1] + 1:]
    while len(run) > 1 and (is_title(run[0]) or run[0].pos_ in {"NOUN", "ADJ", "DET"}
                            or not_a_name(run[0])):
        run = run[1:]
    if len(run) >= 3 and not gender.is_first_name(run[0].text):
        # Words before a given name and a surname: "State William Galvin".
        given = next((k for k in range(1, len(run) - 1) if gender.is_first_name(run[k].text)
                      and not gender.is_first_name(run[k - 1].text)), None)
        if given is not None:
            run = run[given:]
    while run and run[-1].text in POSSESSIVE:
        run = run[:-1]
    return run or None
