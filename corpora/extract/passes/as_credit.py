"""Pass: statements credited with an "as X said" clause (`As Ruth Marcus puts it, …`)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.ledger import Ledger
from corpora.extract.passes.according import (
    clause_statement,
    credit_outlet,
    ending_with,
    framed_by,
)

# Words before an `as` clause that are not part of what it credits (`But, as X noted, …`).
_CONNECTIVE = re.compile(r"^\W*(?:(?:and|but|so|yet|still|indeed|now|then|also|however|"
                         r"of course|in fact)\W*)*$", re.IGNORECASE)
_MAIN_DEPS = frozenset({"ROOT", "conj", "ccomp"})


def as_credits(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """`As X noted, the average age was 18` and `the result, as he explained, was a bubble`:
    the clause the `as` clause is set in is X's words."""
    out = []
    for t in art.doc:
        if t.lower_ != "as" or t.dep_ != "mark" or t.i in art.quote_tokens:
            continue
        cue = t.head
        if cue.dep_ != "advcl" or not _credits(cue) or \
                cue.i in art.quote_tokens or cue.tag_ == "VBN":
            continue
        if any(_fills_gap(cue, c) for c in cue.children):
            continue  # `As Trump lamented illegal immigration, …`: a time, not a credit
        src = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if src is None:
            continue
        main = cue.head
        clause = list(cue.subtree)
        while clause and clause[-1].is_punct:
            clause.pop()
        if clause[0].i != t.i or not _set_off(art, clause[0].i, clause[-1].i):
            continue
        phrase = (t.idx, clause[-1].idx + len(clause[-1].text))
        credited = framed_by(found, main) or ending_with(art, found, phrase)
        if credited and cue.lemma_.lower() in lexicon.REPORT_VERBS:
            # `“…,” Walker said, as the Times reported`: the outlet's credit, not its words
            credit_outlet(art, credited, phrase, src)
            continue
        if main.dep_ not in _MAIN_DEPS or main.lemma_.lower() in lexicon.CUE_VERBS:
            continue
        skip = {x.i for x in cue.subtree}
        clauses = [c for c in main.children if c.dep_ == "conj" and c.i > cue.i and
                   any(d.dep_.startswith("nsubj") for d in c.children)]
        if clauses:  # `…, as the Times reported, and he will …`: the first clause only
            skip |= {x.i for x in art.doc[clauses[0].left_edge.i:main.right_edge.i + 1]}
            skip |= {c.i for c in main.children if c.dep_ == "cc" and c.i > cue.i}
        lead = art.doc[art.sent_bounds[t.i][0]:t.i]
        if _CONNECTIVE.match(lead.text):  # `But, as we learned, …`: the words start after
            skip |= {x.i for x in lead}
        if any(art.token_quote[x.i] in ledger.taken for x in main.subtree if x.i not in skip):
            continue  # a quotation in it is some statement's words already
        got = clause_statement(art, ledger, found, main, skip, Frame.of(cue, src))
        if got is not None:
            out.append(got)
    return out


def _credits(cue: Token) -> bool:
    """Whether a verb credits words: a speech or belief verb, or `put it`."""
    lemma = cue.lemma_.lower()
    return lemma in lexicon.CUE_VERBS or (
        lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in cue.children))


def _fills_gap(cue: Token, child: Token) -> bool:
    """Whether a child of the `as` clause's verb is the words themselves, so that the clause
    credits nothing: `as he announced that …`; `told the paper` and `put it` still credit."""
    if child.dep_ in ("ccomp", "xcomp"):
        return True
    if child.dep_ == "dobj":
        lemma = cue.lemma_.lower()
        return not (lemma == "tell" or (lemma == "put" and child.lower_ == "it"))
    return False


def _set_off(art: ParsedArticle, first: int, last: int) -> bool:
    """Whether the tokens first..last open their sentence or sit between commas."""
    doc = art.doc
    before = doc[first - 1] if first > 0 else None
    after = doc[last + 1] if last + 1 < len(doc) else None
    opens = before is None or art.sent_bounds[first][0] == first or before.text in {",", "—"}
    closes = after is None or after.text in {",", ".", "—", ":", ";"}
    return opens and closes
