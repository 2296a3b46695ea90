"""Where a cue's words are when the parser put them elsewhere: a clause it hung on a noun, a
subject it took for an object, a quotation joined to a name, a clause before the quotation."""

from __future__ import annotations

import re

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.frames import is_cue
from corpora.extract.ledger import Ledger
from corpora.extract.spans import sentence_stops

_WHEN_WORDS = frozenset({"when", "while", "after", "before", "as", "since", "until", "once"})
_JOINED = re.compile(r"^,?\s+(?:and|or)\s")  # `“A” and someone who had “B”`


def joined_quote(art: ParsedArticle, ledger: Ledger, v: Token, qi: int) -> int | None:
    """The free quotation after this one that `and` or `or` joins to the same phrase under
    the cue, in the same sentence (`called X “A” and someone who had “B”`); not one under a
    verb of its own (`called it “A” and said she had “B”`)."""
    nxt = qi + 1
    if nxt >= len(art.quotes) or nxt in ledger.taken:
        return None
    between = art.text[art.quotes[qi].end:art.quotes[nxt].start]
    first = next((art.doc[i] for i in art.tokens_of_quote[nxt] if not art.doc[i].is_punct),
                 None)
    if not _JOINED.match(between) or sentence_stops(between) or len(between) > 60 or first is None \
            or not v.is_ancestor(first) or art.sent_bounds[first.i] != art.sent_bounds[v.i]:
        return None
    below = next(a for a in [first, *first.ancestors] if a.head.i == v.i)
    return None if below.pos_ in {"VERB", "AUX"} else nxt


def that_opens(t: Token) -> bool:
    """Whether a `that` opens a clause: its mark, or the object the parser made of it in a
    clause that has an object already (`predicted at the debate that X will take “…”`)."""
    return t.lower_ == "that" and (t.dep_ == "mark" or (t.dep_ == "dobj" and any(
        c.dep_ == "dobj" and c.i != t.i for c in t.head.children)))


def lead_in(art: ParsedArticle, v: Token, qi: int) -> int | None:
    """Where the content starts when a clause the parser hung on the cue comes between it and
    the quotation: `says no matter what action X takes, “…”`."""
    q = art.quotes[qi]
    if q.start < v.idx:
        return None
    for c in v.children:
        if not v.i < c.i or c.idx >= q.start or c.dep_ not in {"advcl", "advmod", "ccomp"}:
            continue
        if c.left_edge.lower_ in _WHEN_WORDS:
            continue  # `said when the story broke, “…”`: when, not what, was said
        end = c.right_edge.idx + len(c.right_edge.text)
        if any(t.pos_ in {"VERB", "AUX"} and t.i not in art.quote_tokens and not is_cue(t)
               and any(d.dep_ == "nsubj" for d in t.children) for t in c.subtree) and \
                end < q.start and not art.text[end:q.start].strip(" ,\n“\"'"):
            return c.left_edge.idx
    return None


def lost_subject(art: ParsedArticle, v: Token, content: Token) -> Token | None:
    """The noun the parser hung on the cue between it and a content clause that has no
    subject of its own: `said the days when … are gone`."""
    if content.i < v.i or content.dep_ != "ccomp" or content.head.i != v.i or \
            v.lemma_.lower() in lexicon.ADDRESSING_CUES or any(
                c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in content.children):
        return None  # `told the crowd “…”`: whom one tells is not what is told
    return next((c for c in v.children if v.i < c.i < content.i and c.pos_ in {"NOUN", "PROPN"}
                 and c.dep_ in {"npadvmod", "dobj"} and c.i not in art.quote_tokens), None)


def frames_own(art: ParsedArticle, cue: Token) -> bool:
    """Whether a cue inside another's content frames words of its own: a clause or a quotation
    (`…, claiming that …`), not `and that the committee would continue to investigate`."""
    clause = any(c.dep_ in {"ccomp", "parataxis"} or (
        c.dep_ == "xcomp" and cue.lemma_.lower() in lexicon.XCOMP_CUES) for c in cue.children)
    return clause or any(art.token_quote[t.i] >= 0 for t in cue.subtree)
