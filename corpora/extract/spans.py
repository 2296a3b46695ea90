"""Content-span helpers: trimming a span to its words, subtrees as spans, sentence stops, titles."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from corpora import lexicon
from corpora.quotes import DOUBLED
from corpora.types import Span

if TYPE_CHECKING:
    from corpora.extract.article import ParsedArticle

# `called the council's handling of the contract “a disgrace”`: what a naming verb names, up
# to this many words, belongs to the words; past it, the quotation stands alone.
NAMED_MAX_WORDS = 9
QUOTE_CHARS = frozenset({*"“”\"„«»‟", DOUBLED})  # tokens that are quotation marks
_EDGE_PUNCT = frozenset(",;:.—–- \n\t")

# Where an aside starts after the quoted part of a mixed content.
_ASIDE = re.compile(r"\s*(?:—|–|\s-\s|\(|;|(?:,|(?<=,[”\"’]))\s+(?:but|as|while|which|who|whom|an?|"
                    r"according|presumably|though|although)\b)")

_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:" + "|".join(lexicon.ABBREVIATIONS) + r"))$")


def sentence_stops(text: str) -> list[int]:
    """Offsets of the full stops that end sentences in `text`; the stops of abbreviations
    ("Gov.", "H.W.", "(D-Calif.)") do not count.
    """
    out = []
    for m in re.finditer(r"[.!?]", text):
        i = m.start()
        after = text[i + 1:i + 2]
        if after and not after.isspace() and after not in "”\"’'":
            continue
        if text[i] == "." and _ABBREVIATION.search(text[:i]):
            continue
        out.append(i)
    return out


def is_title(quoted: str) -> bool:
    """Whether quoted words read as a title or a name ("The Evening Show", "Vote No On 3"):
    every word but the minor ones capitalised.
    """
    words = [w.strip("“”\"‘’'.,!?:;()[]") for w in quoted.split()]
    words = [w for w in words if w and w.lower() not in lexicon.MINOR_WORDS]
    return len(words) > 1 and all(w[0].isupper() or w[0].isdigit() for w in words)


def trim(art: ParsedArticle, start: int, end: int) -> Span | None:
    """A content span cut to its words: no leading `that`, edge punctuation, unpaired marks or
    dangling coordinator; a span that ends (or starts) inside a quotation takes all of it."""
    text = art.text
    if end <= start:
        return None
    first = art.doc.char_span(start, end, alignment_mode="expand")
    if first is not None and len(first) > 0 and first[0].dep_ == "mark" \
            and first[0].lower_ in {"that", "whether", "if"}:
        start = first[0].idx + len(first[0].text)
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    # An unpaired quotation mark at either edge belongs to the frame, not the content.
    inner = text[start:end]
    if inner[:1] in QUOTE_CHARS and sum(inner.count(c) for c in QUOTE_CHARS) % 2 == 1:
        start += 1
    elif inner[-1:] in QUOTE_CHARS and sum(inner.count(c) for c in QUOTE_CHARS) % 2 == 1:
        end -= 1
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    # A coordinator left dangling where the parse cut a clause off: `is “complex” and`.
    for word in (" and", " but", " or"):
        if text[start:end].endswith(word) and end - len(word) > start:
            end -= len(word)
            while end > start and text[end - 1] in _EDGE_PUNCT:
                end -= 1
    # A span that ends (or starts) inside a quotation takes the whole of it.
    for q in art.quotes:
        for seg in q.segments:
            close = seg.close_mark + 1 if seg.close_mark is not None else seg.end
            if seg.open_mark < start < seg.end and end >= close:
                start = seg.open_mark
            if start <= seg.open_mark and seg.start < end < seg.end:
                end = close
    return (start, end) if end > start else None


def subtree_span(art: ParsedArticle, tok: Token, exclude: set[int] | None = None) -> Span | None:
    """The trimmed span of a token's subtree, leaving out the `exclude` tokens."""
    toks = [t for t in tok.subtree if not exclude or t.i not in exclude]
    if exclude and toks and all(t.is_punct or t.is_space for t in toks if t.i > max(exclude)):
        # `… “unsafe,” according to X.`: the full stop after the excluded words is not
        # part of the content.
        toks = [t for t in toks if t.i < max(exclude)]
    if not toks:
        return None
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return trim(art, start, end)


def cut_after_quotes(art: ParsedArticle, span: Span, inner: set[int]) -> Span:
    """A mixed content ends before an aside that follows its last quotation
    (`… “a flaw,” an acknowledgment that …`, `… “no idea” — and he added …`).
    """
    last = max(art.quotes[q].end for q in inner)
    if not span[0] < last < span[1]:
        return span
    m = _ASIDE.search(art.text, last, span[1])
    while m is not None and m.group().strip() in {"—", "–", "-"}:
        # A pair of dashes sets off an aside inside the content: look past it.
        pair = art.text.find(m.group().strip(), m.end(), span[1])
        if pair < 0:
            break
        m = _ASIDE.search(art.text, pair + 1, span[1])
    if m is None:
        return span
    return trim(art, span[0], m.start()) or span


def to_sentence_end(art: ParsedArticle, used: set[int], v: Token, span: Span) -> Span:
    """`X says <clause>.`: the content runs to the end of the sentence, even where the
    parser cut the clause short, unless another cue or a quotation already taken (`used`)
    starts on the way.
    """
    _, end = art.sent_bounds[v.i]
    rest = [t for t in art.doc[v.i + 1:end] if t.idx >= span[1]]
    if not rest or any(art.token_quote[t.i] in used for t in rest):
        return span
    if any(_frames_ahead(t) for t in rest) or any(t.text in {";", ":", "—", "–"} for t in rest):
        return span
    last = max(t.idx + len(t.text) for t in rest)
    return trim(art, span[0], last) or span


def _frames_ahead(t: Token) -> bool:
    """Whether a word after a content starts a frame of its own: a speech verb, or a naming
    verb with a subject of its own (`he was “encouraged” and Pell calling it a “…”`)."""
    if t.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = t.lemma_.lower()
    return lemma in lexicon.SPEECH_VERBS or (
        t.pos_ == "VERB" and lemma in lexicon.NAME_GIVING
        and any(c.dep_ == "nsubj" for c in t.children))
