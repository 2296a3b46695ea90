"""Pass: statements a noun reports (`his warning that …`, `Her claim is that …`)."""

from __future__ import annotations

from spacy.symbols import NOUN

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.ledger import Ledger
from corpora.extract.spans import subtree_span

_NOUN_POS = frozenset({NOUN})


def noun_cues(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Statements a noun reports: `his warning that Britain would be at the “back of the
    queue”`, `Podliska’s claim is that …`; the possessor, when there is one, speaks.
    """
    out = []
    for t in art.tokens_with_pos(_NOUN_POS):
        if t.lemma_.lower() not in lexicon.CUE_NOUNS:
            continue
        clause = next((c for c in t.children if c.dep_ in {"acl", "ccomp"}
                       and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                      None)
        if clause is None and t.dep_ == "nsubj" and t.head.lemma_ == "be":
            # `Her claim is that …`
            clause = next((c for c in t.head.children if c.dep_ == "ccomp" and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if clause is None:
            continue
        inner = {art.token_quote[x.i] for x in clause.subtree} - {-1}
        if inner & ledger.taken:
            continue
        span = subtree_span(art, clause)
        if span is None or len(art.text[span[0]:span[1]].split()) < 3:
            continue
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        ledger.take(inner)
        out.append(Found(kind="mixed" if inner else "indirect", spans=[span],
                         frame=Frame.of(t, owner), quotes=sorted(inner)))
    return out
