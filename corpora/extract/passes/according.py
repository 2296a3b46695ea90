"""Pass: statements credited with "according to X"."""

from __future__ import annotations

import re

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.ledger import Ledger
from corpora.extract.spans import subtree_span
from corpora.types import Kind

_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)


def according_to(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """`“The pier is unsafe,” according to X` and `The pier, according to X, is unsafe`."""
    out = []
    for m in _ACCORDING.finditer(art.text):
        t = art.token_at(m.start())
        if t is None or t.lower_ != "according" or t.i in art.quote_tokens:
            continue
        to = next((c for c in t.children if c.lower_ == "to"), None)
        src = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if src is None:
            continue
        cue_end = to.idx + len(to.text) if to is not None else t.idx + len(t.text)
        frame = Frame(cue=t, cue_text="according to", cue_span=(t.idx, cue_end), subject=src)
        before = next((art.token_quote[i] for i in range(t.i - 1, max(-1, t.i - 4), -1)
                       if art.token_quote[i] >= 0), -1)
        if before >= 0 and before not in ledger.taken and not art.text[
                art.quotes[before].end:t.idx].strip(" ,") and \
                art.opens_sentence(art.quotes[before]):
            # `“The pier is unsafe,” according to X`: the quote right before is the words.
            out.append(ledger.take_quote(before, frame))
            continue
        main = t.head
        if main.lemma_.lower() in lexicon.CUE_VERBS:
            inside = art.token_quote[main.i]
            phrase_end = t.right_edge.idx + len(t.right_edge.text)
            if inside >= 0 and inside not in ledger.taken and \
                    not art.text[phrase_end:art.quotes[inside].start].strip(" ,:"):
                # `According to X, “Judicial Watch revealed …”`: the cue is the quotation's
                # own, and the quotation is X's words.
                out.append(ledger.take_quote(inside, frame))
            continue
        got = clause_statement(art, ledger, found, main, {x.i for x in t.subtree}, frame)
        if got is not None:
            out.append(got)
    return out


def clause_statement(art: ParsedArticle, ledger: Ledger, found: list[Found], main: Token,
                     skip: set[int], frame: Frame) -> Found | None:
    """The clause `main` heads, less the `skip` tokens that credit it, as a statement; none
    where no words are left or where a statement found before holds them all."""
    span = subtree_span(art, main, exclude=skip) if main.i not in skip else None
    if span is None or any(a <= span[0] and span[1] <= b for f in found for a, b in f.spans):
        return None  # `X said that according to its analysis, …`: X's words, already found
    inner = {art.token_quote[x.i] for x in main.subtree
             if art.token_quote[x.i] >= 0 and x.i not in skip}
    kind: Kind = "mixed" if inner else "indirect"
    whole = [q for q in inner if art.quote_fraction(main, q) >= 0.8]
    spans = [span]
    if whole:
        kind, spans = "direct", art.quote_spans(whole[0])
    ledger.take(inner)
    return Found(kind=kind, spans=spans, frame=frame, quotes=sorted(inner))
