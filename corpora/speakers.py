"""Speaker phrases: names, roles and mentions from a parse, and in-article coreference."""

from __future__ import annotations

import itertools
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token

from corpora import gender, lexicon
from corpora.names import (
    POSSESSIVE,
    is_full,
    is_title,
    name_hyphen,
    particle_pair,
    proper_name,
    strip_possessive,
    strip_titles,
)
from corpora.quotes import DOUBLED
from corpora.types import Speaker

_STOP_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "appos"})
_MENTION_LEFT_DEPS = frozenset({"compound", "amod", "det", "nmod", "nummod", "punct", "flat"})
# Marks that set a mention off from the words around it.
_SETS_OFF = frozenset({",", ";", "“", "”", '"', DOUBLED, "—", "–"})


def _clean_role(text: str) -> str | None:
    """The role in the words around a name, without articles, honorifics or a possessive."""
    words = [w for w in text.replace("’s ", " ").split()
             if w.lower().rstrip(".") not in lexicon.HONORIFICS]
    while words and words[0].lower() in {"the", "a", "an", ",", "and"}:
        words = words[1:]
    while words and words[-1] in {",", "-", "—", "’s", "'s", "of", "and"}:
        words = words[:-1]
    role = strip_possessive(" ".join(words)).strip(" ,")
    return role or None


def _spaced_hyphen(doc: Doc, i: int) -> bool:
    """A hyphen standing for a dash, with a space either side (`Pollsters agree - Jo Lane`),
    not the one inside `R-Ky.`."""
    return doc[i].text == "-" and bool(doc[i].whitespace_) and i > 0 and \
        bool(doc[i - 1].whitespace_)


def phrase(head: Token, blocked: AbstractSet[int]) -> list[Token]:
    """The noun phrase around `head`: its subtree, contiguous, cut at commas and clauses."""
    sub = {t.i for t in head.subtree}
    cut: set[int] = set()
    for child in head.children:
        if child.dep_ in _STOP_DEPS and child.i > head.i:
            cut.update(t.i for t in child.subtree)
    doc = head.doc
    start = head.i
    while (start - 1 in sub and start - 1 not in cut and start - 1 not in blocked
           and doc[start - 1].text not in _SETS_OFF and not _spaced_hyphen(doc, start - 1)):
        start -= 1
    end = head.i
    while (end + 1 in sub and end + 1 not in cut and end + 1 not in blocked
           and doc[end + 1].text not in _SETS_OFF | {"("}
           and doc[end + 1].lower_ not in lexicon.RELATIVE_PRONOUNS):
        end += 1
    return list(doc[start:end + 1])


@dataclass
class Known:
    """A speaker or person seen so far in the article."""

    name: str
    role: str | None
    position: int
    person: bool


@dataclass
class Tracker:
    """Article-level memory of who has been named, for pronouns and descriptions."""

    doc: Doc
    known: list[Known] = field(default_factory=list)
    # every full name the article gives, per surname, in the order first seen
    full_names: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Doc.ents rebuilds its spans from every token on each access: read it once.
        self.text = self.doc.text  # Doc.text joins every token on each access
        # (start, name) of each person entity, without titles or headline words before it
        self.persons: list[tuple[int, str]] = []
        for ent in (e for e in self.doc.ents if e.label_ == "PERSON"):
            words = strip_titles(list(ent))
            if words:
                self.persons.append((ent.start_char, strip_possessive(
                    self.text[words[0].idx:words[-1].idx + len(words[-1].text)])))
        self.subjects: list[tuple[int, str]] = []
        for _, name in self.persons:
            if is_full(name):
                self._full(name)
        # Entities are recognised only where speech is framed; elsewhere a run of proper
        # nouns outside any entity ("Lina Kovacs spoke at length.") still names someone.
        # Only proper nouns outside entities are read as tokens (the arrays say which).
        candidates = np.flatnonzero((self.doc.to_array("POS") == PROPN)
                                       & (self.doc.to_array("ENT_TYPE") == 0)).tolist()
        run: list[Token] = []
        for i in candidates:
            t = self.doc[i]
            if run and (not t.text.istitle() or (i != run[-1].i + 1
                        and not self._hyphened(run[-1], t))):
                self._name_run(run)
                run = []
            if t.text.istitle():
                run.append(t)
        self._name_run(run)

    def _hyphened(self, left: Token, right: Token) -> bool:
        """Whether two tokens are the halves of one hyphened name ("Shanklin-Hawkins")."""
        return right.i == left.i + 2 and name_hyphen(self.doc, left.i + 1)

    def _name_run(self, run: list[Token]) -> None:
        """Remember a run of capitalised proper nouns as a full name."""
        # "Finance Minister Leo Marchetti": the name follows the last title word.
        if run and is_title(run[-1]):
            return  # "Vice President": a role, not a name
        run = strip_titles(run) or []
        words = [t.text for t in run[:1]]
        for prev, t in itertools.pairwise(run):
            if self._hyphened(prev, t):
                words[-1] += "-" + t.text
            else:
                words.append(t.text)
        if len(words) >= 2:
            name = " ".join(words)
            self._full(name)
            if run[-1].dep_ == "nsubj":
                # "Mayor Lina Kovacs spoke …": a named subject, for a later "she".
                self.subjects.append((run[0].idx, name))

    def canonical(self, name: str, honorific: gender.Gender | None = None) -> str:
        """The fullest form of `name` the article uses ("Zakharova" -> "Maria Zakharova").

        Where the article names several people with that surname ("Donald Trump … his
        daughter Ivanka Trump"), a surname alone is the one it names in full most often.
        (Chosen on PolNeAR train against the first one named, the last one to speak before
        the mention, and leaving the surname to the registry; `docs/speakers.md`.)
        An honorific rules out a full name of the other gender ("Mrs. Clinton" is not
        Bill Clinton); with no full name left, the surname stays for the registry.
        """
        name = strip_possessive(name)
        words = name.split()
        if not words:
            return name
        fits = partial(gender.can_name, honorific)
        if particle_pair(name):
            # "Van Holt added" at the start of a sentence: the article's "Karla van Holt",
            # when it names one; otherwise a given name ("Van Jones").
            tail = " " + name.lower()
            full = next((n for n in self.full_names.get(words[-1].lower(), [])
                         if n.lower().endswith(tail) and len(n.split()) > 2 and fits(n)), None)
            if full:
                return full
        if not is_full(name):
            surname = words[-1].lower()  # "Jensen", "van Holt"
            if self._shared_surname(surname):
                best = self._most_named(surname, honorific)
                if best:
                    return best
            full = next((n for n in self.full_names.get(surname, []) if fits(n)), None)
            if full:
                return full
        for k in reversed(self.known):
            # A longer form of the same name ("Donald J. Trump"), never another first name
            # ("Bill Clinton" is not Hillary Clinton).
            if k.name.split()[-1].lower() == words[-1].lower() and len(k.name) > len(name) \
                    and (len(words) == 1 or k.name.split()[0].lower() == words[0].lower()) \
                    and fits(k.name):
                return k.name
        return name

    def _most_named(self, surname: str, honorific: gender.Gender | None = None) -> str | None:
        """The full name with this surname that the article's person entities use most."""
        counts: dict[str, int] = {}
        for _, name in self.persons:
            words = name.split()
            if is_full(name) and words[-1].lower() == surname \
                    and gender.can_name(honorific, name):
                counts[name] = counts.get(name, 0) + 1
        return max(counts, key=lambda k: counts[k]) if counts else None

    def _shared_surname(self, surname: str) -> bool:
        """Whether the article names more than one person with this surname."""
        firsts = {name.split()[0] for _, name in self.persons
                  if is_full(name) and name.split()[-1].lower() == surname}
        firsts |= {k.name.split()[0] for k in self.known
                   if is_full(k.name) and k.name.split()[-1].lower() == surname}
        return len(firsts) > 1

    def remember(self, name: str, role: str | None, position: int, person: bool) -> None:
        if not name.split():
            return
        self.known.append(Known(name, role, position, person))
        if person and is_full(name):
            self._full(name)

    def _full(self, name: str) -> None:
        """Remember a full name under its surname."""
        names = self.full_names.setdefault(name.split()[-1].lower(), [])
        if name not in names:
            names.append(name)

    def _before(self, position: int) -> list[Known]:
        return sorted((k for k in self.known if k.position < position), key=lambda k: k.position)

    def pronoun(self, word: str, position: int) -> Known | None:
        """The person or group a pronoun most likely refers to."""
        before = self._before(position)
        want_person = word in lexicon.PRONOUNS_PERSON and word not in {"we"}
        for k in reversed(before):
            if k.person == want_person:
                return k
        if want_person:
            named = [(at, name) for at, name in self.persons if at < position]
            named += [(at, name) for at, name in self.subjects if at < position]
            if named:
                at, name = max(named)
                return Known(self.canonical(name), None, at, True)
        return None

    def description(self, noun: str, position: int) -> Known | None:
        """The person whose role contains `noun` ("the spokesperson" -> the spokesperson named)."""
        for k in reversed(self._before(position)):
            if k.role and noun.lower() in k.role.lower():
                return k
        return None


def _is_person(tokens: list[Token], role: str | None) -> bool:
    if any(t.ent_type_ == "PERSON" for t in tokens):
        return True
    if role and any(w.lower().strip(".") in lexicon.TITLE_WORDS for w in role.split()):
        return True
    return bool(role) and not any(t.ent_type_ in {"ORG", "GPE", "NORP"} for t in tokens)


def resolve(head: Token, blocked: AbstractSet[int], tracker: Tracker) -> tuple[Speaker, bool]:
    """The speaker a subject token refers to, and whether it is a person."""
    doc = head.doc
    text = tracker.text
    if head.lower_ in lexicon.RELATIVE_PRONOUNS:
        # "... Sergey Lavrov, who said": the antecedent is the noun just before; the mention
        # stays the pronoun, as with "he".
        relative = head
        j = head.i - 1
        while j >= 0 and doc[j].text in {",", "’s"}:
            j -= 1
        clause = head.head
        if clause.dep_ == "relcl" and clause.head.pos_ in {"PROPN", "NOUN"} \
                and clause.head.i < head.i:
            j = clause.head.i  # `Rubio of Florida, who mused`: the clause's head noun
        if j >= 0 and doc[j].pos_ in {"PROPN", "NOUN"}:
            spk, person = resolve(doc[j], blocked, tracker)
            return (Speaker(name=spk.name, mention=relative.text,
                            mention_span=(relative.idx, relative.idx + len(relative.text)),
                            role=spk.role), person)
    tokens = phrase(head, blocked)
    mention_span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
    mention_text = text[mention_span[0]:mention_span[1]]
    low = head.lower_
    if head.pos_ == "PRON" or low in lexicon.PRONOUNS_PERSON or low in lexicon.PRONOUNS_GROUP:
        found = tracker.pronoun(low, head.idx)
        return (Speaker(name=found.name if found else None, mention=mention_text,
                        mention_span=mention_span, role=found.role if found else None),
                bool(found and found.person) or low in lexicon.PRONOUNS_PERSON)
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                  and c.i not in blocked), None)
    if named is not None and named.i > head.i and named.ent_type_ == "PERSON" \
            and all(t.ent_type_ != "PERSON" for t in tokens):
        # "The Holm Group's CEO, Karla Fritts, said": the apposition names the person.
        introduced = _introduced(named, blocked, tracker, _clean_role(mention_text))
        if introduced:
            return introduced
    name_tokens = proper_name(tokens, head)
    if not name_tokens and head.pos_ == "ADV" and head.is_title and not head.is_sent_start:
        name_tokens = [head]  # `said Skelly`: a surname the tagger took for an adverb
    if not name_tokens and head.is_title and strip_possessive(head.text).lower() in \
            tracker.full_names and all(t.i == head.i or t.dep_ == "det" for t in tokens):
        name_tokens = [head]  # `Sanders said`, tagged as a noun: a surname the article names
    if name_tokens:
        name = strip_possessive(text[name_tokens[0].idx:name_tokens[-1].idx
                                         + len(name_tokens[-1].text)]).lstrip("-—– ")
        # The mention: the name plus the titles directly before it, not a possessor.
        start = name_tokens[0].i
        first = tokens[0].i
        while start - 1 >= first and doc[start - 1].text not in POSSESSIVE \
                and doc[start - 1].pos_ not in {"ADP", "VERB"} \
                and (doc[start - 1].dep_ in _MENTION_LEFT_DEPS or doc[start - 1].pos_ in
                     {"PROPN", "NOUN", "ADJ", "DET", "PUNCT"}):
            start -= 1
        m_start = doc[start].idx
        m_end = name_tokens[-1].idx + len(name_tokens[-1].text)
        role_text = text[mention_span[0]:name_tokens[0].idx]
        role = _clean_role(role_text)
        appos = next((c for c in head.children if c.dep_ == "appos"), None)
        if role is None and appos is not None:
            # "Hana Ilves, the opposition's budget spokesperson, said": the role follows the name.
            role = _clean_role(" ".join(t.text for t in appos.subtree
                                        if t.dep_ not in {"relcl", "punct"}))
        person = _is_person(tokens, role) or (len(name.split()) >= 2 and all(
            t.ent_type_ not in {"ORG", "GPE", "NORP"} for t in name_tokens))
        honorific = gender.of_honorific(text[m_start:name_tokens[0].idx])
        canonical = tracker.canonical(name, honorific) if person or not is_full(name) \
            or particle_pair(name) else name
        if canonical != name:
            person = True
        if role is None and person:
            prior = next((k for k in reversed(tracker.known) if k.name == canonical), None)
            role = prior.role if prior else None
        return (Speaker(name=canonical, mention=text[m_start:m_end],
                        mention_span=(m_start, m_end), role=role), person)
    # A description: "the spokesperson", "a senior official".
    role = _clean_role(mention_text)
    if named is not None:
        # "her spokesperson, Piet Rask, said": the apposition names the person.
        introduced = _introduced(named, blocked, tracker, role)
        if introduced:
            return introduced
    det = next((t for t in tokens if t.dep_ == "det"), None)
    if det is not None and det.lower_ == "the":
        found = tracker.description(head.lemma_, head.idx)
        if found:
            return (Speaker(name=found.name, mention=mention_text, mention_span=mention_span,
                            role=found.role), found.person)
    return Speaker(name=None, mention=mention_text, mention_span=mention_span, role=role), True


def _introduced(named: Token, blocked: AbstractSet[int], tracker: Tracker,
                role: str | None) -> tuple[Speaker, bool] | None:
    """The person a name in apposition to a description introduces, with the description as
    the role where the name brings none; None when the name resolves to no one."""
    spk, _ = resolve(named, blocked, tracker)
    if not spk.name:
        return None
    return (Speaker(name=spk.name, mention=spk.mention, mention_span=spk.mention_span,
                    role=spk.role or role), True)
