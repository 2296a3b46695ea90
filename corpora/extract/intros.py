"""Who a colon intro credits: a name ending the intro, the subject of the clause it ends, the
last name in it, or the subject of its last clause (`She then told them: “…”`)."""

from __future__ import annotations

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.frames import np_head, subject

# Entity types of proper nouns that never speak: `in December 1992:`, `on Tuesday:`.
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_DASH_WORDS = frozenset({"-", "--", "—", "–"})


def last_name_in(art: ParsedArticle, start: int, end: int) -> Token | None:
    """The last name (proper noun or person entity) between two offsets."""
    span = art.doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    for t in reversed(span):
        if (t.pos_ == "PROPN" or t.ent_type_ == "PERSON") and t.ent_type_ not in _NOT_NAMES:
            return np_head(t)
    return None


def name_before_colon(art: ParsedArticle, colon: Token) -> Token | None:
    """A name that ends an intro right before its colon and opens its phrase: `Pollsters agree
    - Carl Bialik: “…”`, `Continued Stone: “…”`; not `in an interview on Tuesday:` nor
    `delivered a message to Trump:`, whose names a preposition governs. `More from Blumenthal
    and Cohen:` credits the first of the names."""
    i = colon.i - 1
    start, _ = art.sent_bounds[colon.i]
    while (i >= start and _name_word(art, art.doc[i])) or (
            i > start and art.doc[i].lower_ == "and" and _name_word(art, art.doc[i - 1])):
        i -= 1
    if i == colon.i - 1 or colon.i - 1 - i > 6:
        return None
    before = art.doc[i] if i >= start else None
    if before is not None and not (before.text in _DASH_WORDS or before.lower_ == "from" or (
            before.pos_ == "VERB" and before.i == start)):
        return None  # `Continued Stone:` opens its sentence; `told WEEI:` names the hearer
    return np_head(art.doc[i + 1])


def _name_word(art: ParsedArticle, t: Token) -> bool:
    """A word of a name outside quotations: a proper noun or a person or group entity."""
    return t.i not in art.quote_tokens and t.ent_type_ not in _NOT_NAMES | _PLACES and (
        t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG"})


def intro_subject(art: ParsedArticle, start: int, end: int) -> Token | None:
    """The subject of the last clause of a colon intro ("She then told them: …")."""
    span = art.doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    for t in reversed(span):
        if t.dep_ in {"nsubj", "nsubjpass"} and t.i not in art.quote_tokens and _can_speak(t):
            return t
    return None


def colon_clause_subject(art: ParsedArticle, colon: Token) -> Token | None:
    """The subject of the sentence a colon ends, when that sentence is a clause
    (`Kaine has adopted the stance common among Catholics: “…”`): who does its verb."""
    root = colon.sent.root
    verb = next((a for a in colon.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is not None and verb.i not in art.quote_tokens and (
            root.i in art.quote_tokens or (verb.dep_ == "conj" and verb.head.i == root.i and any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children))):
        # `McConnell delivered a message to Trump: “It's time …”`, which the parser rooted
        # in the quote; `after 14 people were killed, a voice celebrated the attacks: …`,
        # a second clause with a subject of its own.
        root = verb
    if root.pos_ not in {"VERB", "AUX"} or root.i in art.quote_tokens:
        return None
    subj = subject(art, root)
    return subj if subj is not None and _can_speak(subj) else None


def _can_speak(tok: Token) -> bool:
    """A subject token that can name a speaker: a noun, a name or a pronoun, not `it`."""
    return tok.pos_ in {"PRON", "NOUN", "PROPN"} and tok.lower_ not in lexicon.NOT_SPEAKERS
