"""Pass: statements credited with "according to X"."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract import frames
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.ledger import Ledger
from corpora.extract.spans import subtree_span, trim
from corpora.types import Kind, Span

_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)


def according_to(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """`“The pier is unsafe,” according to X` and `The pier, according to X, is unsafe`.
    After a frame (`“…,” Y said, according to CNN`) the outlet named is the credit of Y's
    words, not a speaker."""
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
            elif inside < 0:
                credit_outlet(art, framed_by(found, main), _phrase(t), src)
            continue
        ending = ending_with(art, found, _phrase(t))
        if ending:  # `X said the pier is unsafe, according to CNN`: CNN reported X's words
            credit_outlet(art, ending, _phrase(t), src)
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


# A record an outlet published, which credits the outlet: `according to an AP account`.
_RECORDS = frozenset({"account", "report", "transcript", "story", "article", "broadcast",
                      "interview", "recording", "video", "tally", "analysis"})


def _phrase(t: Token) -> Span:
    """The characters of a token's phrase."""
    return t.left_edge.idx, t.right_edge.idx + len(t.right_edge.text)


def framed_by(found: list[Found], cue: Token) -> list[Found]:
    """The statements a cue frames."""
    return [f for f in found if f.frame.cue is not None and f.frame.cue.i == cue.i]


def ending_with(art: ParsedArticle, found: list[Found], phrase: Span) -> list[Found]:
    """The reported statements, framed before it, whose words end with a phrase."""
    return [f for f in found if f.frame.cue is not None and f.frame.cue_span is not None
            and f.frame.cue_span[1] <= phrase[0] and f.kind != "direct"
            and any(a < phrase[0] < b and not art.text[phrase[1]:b].strip(" ,.")
                    for a, b in f.spans)]


def credit_outlet(art: ParsedArticle, statements: list[Found], phrase: Span, src: Token) -> None:
    """`“…,” Walker said, according to CNN`: the outlet that reported what a frame found
    before frames is its credit (`via`), and the phrase that credits it is no part of the
    words. A person (`according to Frankel`) is a witness, not an outlet: nothing changes."""
    names = [src]
    if src.pos_ == "NOUN" and src.lemma_.lower() in _RECORDS:
        names = [c for c in src.children if c.pos_ == "PROPN" and c.dep_ in {"compound", "poss"}]
    if not names or (not frames.masthead(names[-1]) and any(
            n.pos_ != "PROPN" or n.ent_type_ in {"PERSON", "GPE", "NORP"} for n in names)):
        return  # `according to Frankel`: a witness, not an outlet
    via = frames.outlet(art, names[0]) if len(names) == 1 else \
        frames.outlet_name([n.text for n in names])
    for f in statements:
        if f.frame.via is None:
            f.frame = replace(f.frame, via=via)
        spans = [trim(art, a, min(b, phrase[0])) if a < phrase[0] < b else (a, b)
                 for a, b in f.spans]
        f.spans = [x for x in spans if x is not None] or f.spans
