"""Frame helpers: cue verbs, the subject that speaks, the outlet credited, the date of saying."""

from __future__ import annotations

from typing import Any

from spacy.symbols import AUX, VERB
from spacy.tokens import Token

from corpora import dates, lexicon, speakers
from corpora.extract.article import ParsedArticle
from corpora.extract.spans import QUOTE_CHARS
from corpora.types import When

_VERB_POS = frozenset({VERB, AUX})
# What a relative clause's `that said …` may be the words of: a document or a sign.
_PUBLISHED = lexicon.DOCUMENT_NOUNS | lexicon.DISPLAY_NOUNS


def is_cue(t: Token) -> bool:
    """A verb that reports speech or thought ("said", "warned", "shot back")."""
    if t.pos not in _VERB_POS:  # integer symbols: this runs on every token
        return False
    lemma = t.lemma_.lower()
    if lemma in lexicon.CUE_VERBS:
        return True
    particle = lexicon.PHRASAL_CUES.get(lemma)
    return particle is not None and any(c.lower_ == particle for c in t.children)


def frames_speech(sent: Any) -> bool:
    """Whether a sentence may hold or frame an attribution: a quotation mark, a cue verb or
    "according to".
    """
    return any(t.text in QUOTE_CHARS or t.lower_ == "according" or is_cue(t) for t in sent)


def np_head(tok: Token) -> Token:
    """The head of the noun phrase a token sits in (`Jo` in `Jo Lane` -> `Lane`)."""
    head = tok
    while head.dep_ in {"compound", "amod", "det", "flat", "poss"} and head.head.i != head.i:
        head = head.head
    return head


# Cues whose passive agent is who speaks: `was asked by the moderator whether …`.
_AGENT_SPEAKS = lexicon.CUE_VERBS - {"quote"}


def subject(art: ParsedArticle, verb: Token) -> Token | None:
    """The subject of a cue verb outside quotations: its nsubj, the agent of a passive, or
    the subject of the verb it hangs off ("he said, adding that …")."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}
                and c.i not in art.quote_tokens]
    if len(subjects) == 1 and subjects[0].lower_ in {"that", "which"} and verb.dep_ == "relcl":
        owner = _publisher(art, verb, verb.head)
        if owner is not None:
            return owner
    by = _agent_object(verb)
    if subjects and by is not None and by.i not in art.quote_tokens and all(
            c.dep_ == "nsubjpass" for c in subjects) and verb.lemma_.lower() in _AGENT_SPEAKS:
        return by  # `Rubio was asked by the moderator whether …`: who asks speaks
    if subjects:
        # `…, said Christine Link`: the parser may take the clause before for a second
        # subject; the one after the verb speaks.
        after = next((c for c in subjects if c.i > verb.i), None)
        if after is not None:
            return after
        # `… in Salem, New Hampshire, Trump went after Bush`: the place that ends the phrase
        # before may pass for a second subject; the subject next to the verb speaks.
        return next((c for c in reversed(subjects) if c.ent_type_ not in {"GPE", "LOC"}),
                    subjects[-1])
    if by is not None:
        return by
    beside = _subject_beside(art, verb)
    if beside is not None:
        return beside
    if verb.dep_ == "acl" and verb.tag_ in {"VBD", "VBZ"} and verb.head.i == verb.i - 1 and \
            verb.head.pos_ in {"NOUN", "PROPN"} and verb.head.i not in art.quote_tokens:
        return verb.head  # `, a man yelled “…”`: a finite verb the parser hung on its subject
    if finite_naming(art, verb):
        # `One lawmaker called Trump “…”`; `Stevens, who served …, called Trump's remarks
        # “childish”`, where the parser hung the verb on the relative clause's last noun.
        clause = next((a for a in [verb.head, *verb.head.ancestors] if a.dep_ == "relcl"),
                      None)
        return np_head(clause.head if clause is not None and clause.head.i < clause.i
                       else verb.head)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ in {"dobj", "pobj"} \
            and verb.lemma_.lower() in lexicon.WORDING_VERBS:
        # `His office put out a statement saying …`, `carrying signs saying …`: whoever put
        # out the words says them.
        return _publisher(art, verb, verb.head)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.OBJECT_CONTROL:
        # `That prompted Rubio to call Trump “very flexible”`: the one prompted speaks.
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i
                    and c.i not in art.quote_tokens), None)
        if obj is not None:
            return obj
    if misparsed_ing(art, verb):
        return subject(art, verb.head.head)  # `Kiedis said, mentioning the album is …`
    # "he said, adding that ...": the subject of the verb this one hangs off.
    if verb.dep_ in {"advcl", "conj", "xcomp"} and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "conj" and verb.tag_ == "VBD" and head.dep_ == "dobj" and \
                head.pos_ in {"NOUN", "PROPN"} and head.head.pos_ == "VERB":
            head = head.head  # `adopted an accent and joked, “…”`: hung on the object
        reporter = reporting(head) if verb.dep_ in {"advcl", "conj"} else None
        if reporter is not None and _reporters_cue(verb, reporter):
            head = reporter
        frame = next((c for c in head.children if c.dep_ == "parataxis" and is_cue(c)),
                     None) if head.i in art.quote_tokens else None
        # `“A,” Kovacs said, “B,” adding that …`: the parser made the quote the main
        # clause; the frame inside it speaks.
        found = subject(art, frame if frame is not None else head)
        nearer = _nearer_clause_subject(art, verb) if verb.dep_ == "advcl" and \
            verb.tag_ == "VBG" and frame is None and reporter is None else None
        return nearer if nearer is not None and (found is None or not _may_be_person(found)) \
            else found
    return None


def misparsed_ing(art: ParsedArticle, verb: Token) -> bool:
    """`Kiedis said, mentioning the album is “…”`: an -ing cue after a comma that the parser
    made the subject of the clause it reports, itself hung on the cue before."""
    head = verb.head
    return verb.dep_ == "csubj" and verb.tag_ == "VBG" and verb.i > 0 and \
        art.doc[verb.i - 1].text == "," and head.i > verb.i and \
        head.dep_ in {"ccomp", "parataxis"} and head.head.i < verb.i and is_cue(head.head)


def _subject_beside(art: ParsedArticle, verb: Token) -> Token | None:
    """`In an interview with hosts X and Y, the candidate stated …`: a subject the parser set
    in apposition to the last name of the opening phrase, right before the cue."""
    before = art.doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.dep_ != "appos" or before.pos_ not in {"NOUN", "PROPN"} or \
            before.i in art.quote_tokens:
        return None
    opening = [c for c in verb.children if c.i < verb.i and c.dep_ == "prep"]
    return before if any(c.is_ancestor(before) for c in opening) else None


def finite_naming(art: ParsedArticle, verb: Token) -> bool:
    """`One lawmaker called Trump “…”`: a naming verb the parser took for a participle
    modifying the noun before it (`a group called “…”`), told apart by the object it names
    before the quotation."""
    if verb.dep_ != "acl" or verb.tag_ != "VBN" or verb.head.i > verb.i or \
            verb.lemma_.lower() not in lexicon.NAME_GIVING or verb.i + 1 >= len(art.doc):
        return False
    named = art.doc[verb.i + 1]
    quoted = any(t.i in art.quote_tokens for t in verb.subtree) or (
        verb.head.dep_ == "ROOT" and any(t.i in art.quote_tokens for t in verb.head.rights))
    return quoted and named.dep_ in {"oprd", "dobj", "poss", "det", "compound", "nummod"} and \
        named.pos_ in {"PROPN", "NOUN", "PRON", "DET"} and named.i not in art.quote_tokens and \
        any(c.dep_ in {"oprd", "dobj"} and c.i not in art.quote_tokens and c.pos_ in
            {"PROPN", "NOUN", "PRON"} for c in verb.children)


def _may_be_person(tok: Token) -> bool:
    """Whether a subject may name someone: a name, a person's pronoun, or a noun of a
    person's title or role; not `it`, nor `the first incident`."""
    if tok.lower_ in lexicon.NOT_SPEAKERS:
        return False
    if tok.pos_ != "NOUN" or tok.ent_type_:
        return True
    lemma = tok.lemma_.lower()
    return lemma in lexicon.TITLE_WORDS or lemma in lexicon.AGENT_NOUNS or tok.tag_ == "NNS"


def _nearer_clause_subject(art: ParsedArticle, verb: Token) -> Token | None:
    """The subject of a clause that ends right before an -ing cue which the parser hung on
    the sentence's main verb: `The first incident came during a speech, when protesters
    interrupted her, shouting “…”`: the protesters shout."""
    if verb.i < 2 or art.doc[verb.i - 1].text != ",":
        return None
    before = art.doc[verb.i - 2]
    clause = next((a for a in [before, *before.ancestors]
                   if a.pos_ in {"VERB", "AUX"} and a.dep_ in {"relcl", "advcl"}), None)
    if clause is None or clause.i in art.quote_tokens or verb.head not in clause.ancestors:
        return None
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in lexicon.RELATIVE_PRONOUNS or subj.i in art.quote_tokens:
        return None
    return subj


def expected_subject(subj: Token) -> bool:
    """Whether a subject is who is expected or believed to do something, not who speaks:
    `executives are expected to unveil “…”`."""
    return subj.dep_ == "nsubjpass" and subj.head.lemma_.lower() in lexicon.PASSIVE_BELIEFS


def passive_named(subj: Token, verb: Token) -> bool:
    """Whether a subject is what a passive verb names (`the island was known as “…”`) or who
    is expected to do it: not who speaks."""
    return (subj.dep_ == "nsubjpass" and subj.head.i == verb.i) or expected_subject(subj)


def agent(art: ParsedArticle, verb: Token) -> Token | None:
    """The agent of a passive verb outside quotations (`dubbed “…” by X`), if named."""
    obj = _agent_object(verb)
    return obj if obj is not None and obj.i not in art.quote_tokens else None


def _agent_object(verb: Token) -> Token | None:
    """The object of a passive verb's `by` (`was asked by X`), wherever it stands."""
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None


def _publisher(art: ParsedArticle, verb: Token, words: Token) -> Token | None:
    """Who put out the words a document or sign holds: `His office put out a statement
    saying …`, `Trump released a video that said …`, `the caption which reads …`. None
    unless the words are what a verb's subject made, carried or published."""
    if words.dep_ not in {"dobj", "pobj"} or verb.lemma_.lower() not in lexicon.WORDING_VERBS:
        return None
    if verb.dep_ == "relcl" and words.lemma_.lower() not in _PUBLISHED:
        return None
    gov = words.head if words.dep_ == "dobj" else words.head.head
    if gov.pos_ not in {"VERB", "AUX"} or gov.i == words.i:
        return None
    return subject(art, gov)


def _reporters_cue(verb: Token, reporting: Token) -> bool:
    """Whether a cue hung on a clause that `reporting` reports is the reporter's own.

    `X argued that a toll would help, saying …`, `X said that …, and arguing …`, `X said the
    move was made by Y and said, “…”`, `X said it takes time but added, “…”`: the parser
    hung an -ing cue, the same verb again or another speech verb on that clause. (`Y pledged
    …, the Sentinel reported` stays Y's: an outlet's report passes Y's words on.)
    """
    if verb.tag_ == "VBG":
        return True
    if verb.dep_ != "conj":
        return False
    return reporting.lemma_ == verb.lemma_ or (
        verb.lemma_.lower() in lexicon.SPEECH_VERBS
        and reporting.lemma_.lower() not in lexicon.REPORT_VERBS)


def reporting(tok: Token) -> Token | None:
    """The speech verb whose reported clause `tok` sits in, within a few clause links."""
    for _ in range(3):
        if tok.dep_ == "ccomp" and tok.head.i != tok.i and \
                tok.head.lemma_.lower() in lexicon.SPEECH_VERBS:
            return tok.head
        if tok.dep_ not in {"conj", "advcl", "ccomp"} or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def masthead(tok: Token) -> bool:
    """Whether a name token ends a newspaper's name (`the Harbour *Gazette*`), which the
    entity tagger may have taken for a person's."""
    return tok.pos_ == "PROPN" and tok.text in lexicon.MASTHEAD_WORDS and tok.i > 0 and \
        tok.doc[tok.i - 1].pos_ == "PROPN"


def outlet(art: ParsedArticle, tok: Token) -> str:
    """An outlet's name from the phrase around a token, without `news agency` and the like."""
    return outlet_name([t.text for t in speakers.phrase(tok, art.quote_tokens)])


def outlet_name(words: list[str]) -> str:
    """An outlet's name from its words, without `news agency` and the like (`Fox News` keeps
    its News) and without a possessive ending."""
    kept = [w for w in words if w.lower() not in lexicon.OUTLET_NOISE
            and w not in lexicon.OUTLET_NOISE_LOWER]
    return speakers.strip_possessive(" ".join(kept or words))


def when(art: ParsedArticle, verb: Token, exclude: set[int]) -> When | None:
    """A date expression attached to the cue's clause, outside content and speaker."""
    clause = {x.i for x in verb.subtree}
    for ent in art.date_ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        if any(t.i in exclude for t in ent):
            continue
        if not any(t.i in clause for t in ent):
            continue
        start = ent.start
        if start > 0 and art.doc[start - 1].lower_ in {"on", "in", "last", "this"}:
            start -= 1
        span = art.doc[start:ent.end]
        if ent.label_ == "TIME" and not any(
                w in ent.text.lower() for w in ("yesterday", "today", "tonight")):
            continue
        d = dates.resolve(span.text, art.published)
        return When(text=span.text, date=d.isoformat() if d else None)
    return None
