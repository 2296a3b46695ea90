"""Pass: whole quoted sentences nothing else took, after a sentence that names who speaks."""

from __future__ import annotations

from corpora.extract import quoting
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.ledger import Ledger
from corpora.extract.nearby import frame_after, previous_sentence, previous_subject

# How many words a quote needs to count as someone's words without a cue.
_LEFTOVER_WORDS = 8


def leftover_quotes(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Whole quoted sentences nothing above attributed, right after a sentence that
    attributes words to someone (`… “meticulous,” Corker said. “If we were …”`) or whose
    subject is a person (`Bystrom agreed.¶“Mainstream Republicans are running out of …”`):
    that person's words. After quoted words, they continue that statement; after reported
    speech, they are a statement of their own.
    """
    out = []
    framed_in = {art.sent_bounds[f.frame.cue.i][0]: f for f in found
                 if f.frame.cue is not None and f.frame.subject is not None}
    for qi, q in enumerate(art.quotes):
        if qi in ledger.taken:
            continue
        inner = art.text[q.segments[0].start:q.segments[-1].end]
        if not art.opens_sentence(q, connective=True):
            continue
        _, p_end = art.paras[art.para_of(q.end - 1)]
        after = frame_after(art, q)
        if after is not None:
            # `“…,” Hannity started.`: whatever the verb, a short frame after a quote
            # that ends on a comma attributes it.
            verb, subject = after
            made = ledger.take_quote(qi, Frame.of(verb, subject))
            # `“A,” X retaliated. “B.”`
            ledger.run_on(made, quoting.continuation(art, ledger, qi, verb))
            out.append(made)
            continue
        if inner.rstrip()[-1:] not in {".", "!", "?"}:
            continue
        rest = art.text[q.end:p_end].strip()
        before = previous_sentence(art, q)
        if before is None:
            continue
        earlier = framed_in.get(before[0])
        if earlier is not None and earlier.frame.subject is not None and (
                not rest or "A" <= rest[0] <= "Z"):
            if earlier.kind == "indirect":
                out.append(ledger.take_quote(qi, Frame.of(earlier.frame.cue,
                                                          earlier.frame.subject)))
            else:
                # `Trump is a “change agent,” Cole said. “That's what people want.”`: the
                # quoted words run on, as PolNeAR joins them.
                ledger.run_on(earlier, [qi])
            continue
        if rest:
            continue  # framed by words after it that name no one: not a sentence alone
        named = previous_subject(art, before)
        if named is not None and len(inner.split()) >= _LEFTOVER_WORDS:
            out.append(ledger.take_quote(qi, Frame.of(None, named)))
    return out
