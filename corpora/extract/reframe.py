"""Who speaks a cue's quotation instead of the cue's own subject: a speech verb that closes it,
the reporter of a belief, a name a colon credits."""

from __future__ import annotations

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.frames import reporting, subject
from corpora.extract.intros import name_before_colon
from corpora.extract.spans import QUOTE_CHARS


def trailing_frame(art: ParsedArticle, v: Token, qi: int | None) -> tuple[Token, Token] | None:
    """The speech verb and subject that close a quotation `v`'s clause holds: in `Polling
    shows that “…,” said Tempel` the words are Tempel's; `shows` is part of what she said."""
    if qi is None:
        return None
    outer = reporting(v)
    if outer is None or outer.i in art.quote_tokens or \
            outer.lemma_.lower() in lexicon.REPORT_VERBS:
        return None  # `Y pledged “…,” the Sentinel reported` stays Y's, through the outlet
    q = art.quotes[qi]
    between = art.text[q.end:outer.idx]
    if outer.idx < q.end or len(between) > 40 or any(c in QUOTE_CHARS for c in between):
        return None
    subj = subject(art, outer)
    if subj is None or subj.i in art.quote_tokens:
        return None
    return outer, subj


def belief_reporter(art: ParsedArticle, v: Token, subj: Token | None, qi: int | None,
                     content: Token | None) -> Token | None:
    """The subject of the speech verb that reports a belief cue's quoted words: `He says if
    people think the issues will be solved by “establishment politics”`: he says it. A
    pronoun's belief (`he said he thinks “…”`) stays its own: they name one person."""
    if v.lemma_.lower() not in lexicon.BELIEF_VERBS or v.lemma_.lower() in lexicon.SPEECH_VERBS:
        return None
    if subj is not None and (subj.lower_ in lexicon.PRONOUNS_PERSON
                             or subj.lower_ in lexicon.RELATIVE_PRONOUNS):
        return None  # `millions watching, who could guess the “anyone” he meant`: theirs
    quoted = qi is not None or (content is not None and any(
        art.token_quote[t.i] >= 0 for t in content.subtree))
    if not quoted:
        return None
    tok = v
    for _ in range(3):
        if tok.dep_ not in {"ccomp", "advcl", "conj", "xcomp"} or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.i in art.quote_tokens:
            return None
        if tok.lemma_.lower() in lexicon.SPEECH_VERBS:
            outer = subject(art, tok)
            return outer if outer is not None and outer.i not in art.quote_tokens else None
    return None


def colon_credit(art: ParsedArticle, v: Token, qi: int | None) -> Token | None:
    """The name a colon credits the quotation to, after the cue: `Pollsters agree - Carl
    Bialik: “…”` is Bialik's words, not the pollsters'."""
    if qi is None:
        return None
    colon = art.token_at(art.quotes[qi].start - 1)
    if colon is None or colon.text != ":" or colon.i <= v.i:
        colon = art.token_at(art.quotes[qi].start - 2)
    if colon is None or colon.text != ":" or colon.i <= v.i + 1:
        return None
    name = name_before_colon(art, colon)
    return name if name is not None and name.i > v.i else None
