"""Which quotation a frame takes: the one its cue governs, the one beside it, the ones after."""

from __future__ import annotations

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.frames import is_cue
from corpora.extract.ledger import Ledger
from corpora.extract.spans import is_title, sentence_stops
from corpora.quotes import DOUBLED


def linked_quote(art: ParsedArticle, verb: Token, content: Token | None) -> int | None:
    """A quotation the cue verb governs directly (its complement is the quote)."""
    if content is not None:
        qi = art.token_quote[content.i]
        if qi >= 0 and art.quote_fraction(content, qi) >= 0.8:
            return qi
    for child in verb.children:
        qi = art.token_quote[child.i]
        if qi >= 0 and child.dep_ not in {"punct"} and art.quote_fraction(child, qi) >= 0.8:
            if content is not None and art.token_quote[content.i] != qi \
                    and content.i < child.i and content.i > verb.i:
                # `said he would win “no matter what”`: the quote ends the content clause
                # the parser cut short; it is part of that content, not all of it. So is a
                # later quotation after a content clause in a quotation of its own (`told X
                # that Y “had …,” adding, “A … B”`, with B hung on the cue).
                return None
            return qi
    return None


def adjacent_quote(art: ParsedArticle, ledger: Ledger, verb: Token,
                   before_only: bool = False) -> int | None:
    """A free quotation right next to the cue's clause: `“Q,” said X` or `X said: “Q”`."""
    sent = art.sent(verb)
    # Quote just before the sentence (or at its start), the frame following it.
    for qi, q in enumerate(art.quotes):
        if qi in ledger.taken:
            continue
        last = q.segments[-1]
        # Only a quote that opens its sentence: a quote inside a clause is part of a
        # mixed or reported content, found through the parse.
        if last.close_mark is not None and sent.start_char - 3 <= last.close_mark < verb.idx \
                and art.opens_sentence(q):
            between = art.text[last.close_mark + 1:verb.idx]
            if art.para_of(last.close_mark) == art.para_of(verb.idx) and \
                    not sentence_stops(between) and len(between) < 120 and (
                    not before_only or art.closing_punct(q) == ","):
                return qi
        if before_only:
            continue
        first = q.segments[0]
        if verb.idx < first.open_mark <= sent.end_char + 2 and not any(
                t.pos_ == "VERB" and verb.idx < t.idx < first.open_mark for t in sent):
            between = art.text[verb.idx:first.open_mark]
            tail = art.text[verb.idx + len(verb.text):first.open_mark]
            # `X said: “Q”`, and `X says, “Q”` / `writing “Q”` with little in between.
            if not sentence_stops(between) and (between.rstrip().endswith(":") or (
                    len(tail) <= 40 and not any(c in tail for c in ("“", "”", '"', DOUBLED))
                    and (tail.strip() in {"", ","} or tail.rstrip().endswith(",")))):
                return qi
    return None


def continuation(art: ParsedArticle, ledger: Ledger, qi: int, verb: Token) -> list[int]:
    """Later quotes in the paragraph continuing a split quote (“X,” he said, “Y.”).

    A title the frame names (`“X,” she said on ABC's “This Week.” “Y.”`) is no one's words:
    it is taken and passed over."""
    out: list[int] = []
    titles: list[int] = []
    q = art.quotes[qi]
    para = art.para_of(q.segments[-1].start)
    for qj in range(qi + 1, len(art.quotes)):
        if qj in ledger.taken:
            break
        nxt = art.quotes[qj]
        if art.para_of(nxt.segments[0].start) != para:
            break
        prev_end = art.quotes[out[-1] if out else qi].end
        between = art.text[prev_end:nxt.start]
        for t in titles:
            if prev_end <= art.quotes[t].start:
                between = between.replace(art.text[art.quotes[t].start:art.quotes[t].end], " ")
        if len(between) > 300:
            break
        if _in_frame(between) and is_title(art.text[nxt.segments[0].start:nxt.segments[-1].end]):
            titles.append(qj)
            continue
        if between.rstrip().endswith(":") and len(between.split()) > 3:
            break  # `“A,” he tweeted, and Rask spelled out the trouble: “B”`: a frame of its own
        stops = sentence_stops(between)
        # At most the frame's own full stop (`“X,” Gov. Kasich replied. “Y.”`), last.
        if len(stops) > 1 or (stops and between[stops[0] + 1:].replace(",", " ").strip()):
            break
        if stops and has_own_cue(art, qj):
            break
        # `“X,” he said, adding that “Y”`: the second cue frames the next quote itself.
        frame = art.doc.char_span(prev_end, nxt.start, alignment_mode="contract")
        if not stops and frame is not None and any(t.i != verb.i and is_cue(t)
                                                   for t in frame):
            break
        if not (prev_end <= verb.idx < nxt.start or out):
            break
        out.append(qj)
    ledger.take(titles)
    return out


def _in_frame(between: str) -> bool:
    """Whether a quotation after a frame belongs to the frame's own words: nothing sets it
    off, as a comma, a stop or a colon would (`said on ABC's “This Week”`, `author of “…”`)."""
    words = between.split()
    if not words:
        return False
    last = words[-1]
    return (last[-1].isalnum() or last.endswith(("’s", "'s"))) and \
        last.lower() not in {"and", "or", "but"}


def has_own_cue(art: ParsedArticle, qi: int) -> bool:
    """Whether the text right after a quote attributes it ("…,” she said)."""
    q = art.quotes[qi]
    if art.text[q.segments[-1].end - 1] == ".":
        return False  # a quote closing on a full stop ends its sentence
    after = art.doc.char_span(q.end, min(len(art.text), q.end + 80), alignment_mode="contract")
    if after is None:
        return False
    for t in after:
        if t.text in {".", "“", "\n"} or "\n" in t.text:
            return False
        if t.lemma_.lower() in lexicon.CUE_VERBS and t.pos_ in {"VERB", "AUX"}:
            return True
    return False


def held_quote_before(art: ParsedArticle, ledger: Ledger, v: Token) -> int | None:
    """A quotation some direct attribution holds, closing right before the cue's clause
    in its paragraph (`…,” Obama said`)."""
    start, _ = art.sent_bounds[v.i]
    for qi in ledger.owner:
        q_end = art.quotes[qi].end
        between = art.doc.char_span(q_end, v.idx, alignment_mode="contract")
        if art.doc[start].idx - 3 <= q_end <= v.idx and art.para_of(q_end - 1) == \
                art.para_of(v.idx) and len(art.text[q_end:v.idx]) < 60 and \
                not sentence_stops(art.text[q_end:v.idx]) and not (
                    between is not None and any(t.pos_ in {"VERB", "AUX"} for t in between)):
            return qi
    return None


def quote_before(art: ParsedArticle, ledger: Ledger, v: Token) -> int | None:
    """A free quotation closing just before the cue's clause (`…, “Q,” he said`)."""
    start, _ = art.sent_bounds[v.i]
    for qi in range(len(art.quotes) - 1, -1, -1):
        q = art.quotes[qi]
        if q.end > v.idx:
            continue
        between = art.text[q.end:v.idx]
        if qi in ledger.taken or len(between) > 40 or "." in between or \
                art.doc[start].idx > q.start:
            return None
        return qi
    return None


def clause_after_quote(art: ParsedArticle, v: Token, qi: int) -> int | None:
    """Where the clause a quotation opens ends, when the sentence runs on past its closing
    mark with words that hang off the quoted ones (not off the cue): None otherwise.
    """
    q = art.quotes[qi]
    if q.start < v.idx:
        return None
    _, end = art.sent_bounds[v.i]
    toks = art.tokens_of_quote[qi]
    if not toks:
        return None
    rest = [t for t in art.doc[toks[-1] + 1:end] if not t.is_space]
    while rest and rest[-1].is_punct:
        rest.pop()
    if not rest or any(art.token_quote[t.i] >= 0 or t.text in {";", ":", "—", "–"}
                       or is_cue(t) for t in rest):
        return None
    inside = set(toks) | {t.i for t in rest}
    if art.closing_punct(q) == "," or rest[0].text == ",":
        return None  # `“Q,” the statement says`: the quote closes its own clause
    if any(t.head.i not in inside or (t.dep_ in {"cc", "conj"} and t.head.i in toks)
           for t in rest):
        return None
    return max(t.idx + len(t.text) for t in rest)


def between_quote_and(art: ParsedArticle, content: Token, v: Token) -> bool:
    """Whether a would-be content lies between a quotation and the cue, as a mis-parsed
    frame does (`“Q,” screenwriter Jo Lane wrote`, with `screenwriter` taken for a verb).
    """
    words = [t for t in content.subtree if art.token_quote[t.i] < 0 and not t.is_punct]
    if not words or max(t.i for t in words) > v.i:
        return False
    before = [i for i in range(art.sent_bounds[v.i][0], words[0].i) if art.token_quote[i] >= 0]
    return bool(before) and all(art.token_quote[i] < 0 for i in range(words[0].i, v.i))


def runs_past_quote(art: ParsedArticle, content: Token, v: Token) -> bool:
    """Whether a content clause whose head sits in a quotation runs on past its closing mark,
    before the cue (`“I held and hugged” grieving families before …, he said`): the statement
    is the whole clause, quoted words and the rest."""
    qi = art.token_quote[content.i]
    if qi < 0:
        return False
    q = art.quotes[qi]
    if art.closing_punct(q) == "," and art.opens_sentence(q):
        # `“…,” Texas delegate Bill Eastland, wearing …, said`: what follows a quotation
        # closed by a comma is the frame, whatever the parser hung it on.
        return False
    end = q.end
    rest = [t for t in content.subtree if art.token_quote[t.i] < 0 and not t.is_punct
            and t.idx >= end and t.i < v.i]
    return bool(rest)
