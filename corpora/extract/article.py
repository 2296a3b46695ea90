"""The parsed article every pass reads: text, parse, quotations, paragraphs and their indexes."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.tokens import Doc, Token

from corpora import dates, lexicon
from corpora.extract.spans import is_title
from corpora.quotes import DOUBLED, Quote, find_quotes, paragraphs
from corpora.types import Article, Span

if TYPE_CHECKING:
    from corpora.extract.found import Found


class ParsedArticle:
    """One article with its spaCy parse and the quotations found in its text.

    Built once per article and never changed by the passes: what they take is kept in the
    `Ledger`.
    """

    def __init__(self, article: Article, doc: Doc) -> None:
        self.article = article
        self.doc = doc
        self.text = doc.text  # what was parsed (`parse`): the article's offsets hold
        self.quotes = find_quotes(self.text)
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.published = dates.parse_iso(article.published)
        # Which quote each token sits in (-1: none); marks belong to their quote.
        self.token_quote = [-1] * len(doc)
        starts = doc.to_array("IDX").tolist()
        self.pos = doc.to_array("POS")
        for qi, q in enumerate(self.quotes):
            for seg in q.segments:
                end = seg.close_mark + 1 if seg.close_mark is not None else seg.end
                lo = bisect.bisect_left(starts, seg.open_mark)
                hi = bisect.bisect_left(starts, end)
                for ti in range(lo, hi):
                    self.token_quote[ti] = qi
        self.quote_tokens = frozenset(i for i, q in enumerate(self.token_quote) if q >= 0)
        self.tokens_of_quote: list[list[int]] = [[] for _ in self.quotes]
        for i, qn in enumerate(self.token_quote):
            if qn >= 0:
                self.tokens_of_quote[qn].append(i)
        # Doc.ents rebuilds its spans from every token on each access: read it once.
        self.date_ents = [e for e in doc.ents if e.label_ in {"DATE", "TIME"}]
        # Sentence bounds per token, computed once: Token.sent scans the document each time.
        self.sent_bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_bounds[i] = (sent.start, sent.end)

    def sent(self, tok: Token) -> Any:
        """The sentence a token is in, as a span of the doc."""
        start, end = self.sent_bounds[tok.i]
        return self.doc[start:end]

    def para_of(self, char: int) -> int:
        """The index of the paragraph holding a character offset."""
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def token_at(self, char: int) -> Token | None:
        """The token covering a character offset."""
        span = self.doc.char_span(char, min(len(self.text), char + 1), alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def tokens_in(self, span: Span) -> list[int]:
        """Indexes of the tokens a character span touches."""
        cs = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        return [t.i for t in cs] if cs is not None else []

    def blocked_tokens(self, found: Iterable[Found]) -> set[int]:
        """Tokens no speaker is taken from: every quotation and every statement's content."""
        blocked = set(self.quote_tokens)
        for f in found:
            blocked.update(i for s in f.spans for i in self.tokens_in(s))
        return blocked

    def tokens_with_pos(self, pos: frozenset[int]) -> Iterator[Token]:
        """The tokens outside quotations with one of these parts of speech, read from the
        parse's arrays rather than by building every token."""
        for i in np.flatnonzero(np.isin(self.pos, list(pos))).tolist():
            if i not in self.quote_tokens:
                yield self.doc[i]

    def quote_spans(self, qi: int) -> list[Span]:
        """The content spans of a quotation, one per segment."""
        return [(s.start, s.end) for s in self.quotes[qi].segments]

    def quote_fraction(self, tok: Token, qi: int) -> float:
        """The share of a token's subtree words that sit inside quotation `qi`."""
        words = [t for t in tok.subtree if not t.is_punct]
        if not words:
            return 0.0
        return sum(1 for t in words if self.token_quote[t.i] == qi) / len(words)

    def closing_punct(self, q: Quote) -> str:
        """The last character inside a quotation's marks (`,` for `“…,”`), or ""."""
        mark = len(DOUBLED) if self.text.startswith(DOUBLED, q.end - 2) else 1
        return self.text[q.start:q.end - mark].rstrip()[-1:]

    def opens_sentence(self, q: Quote, connective: bool = False) -> bool:
        """Whether a quotation opens its sentence; with `connective`, a leading `But` or
        `Instead,` may come before it."""
        tok = self.token_at(q.segments[0].open_mark)
        if tok is None:
            return False
        first = self.doc[self.sent_bounds[tok.i][0]]
        while first.is_space and first.i < tok.i:
            first = first.doc[first.i + 1]
        lead = self.text[first.idx:q.start].strip()
        return first.i == tok.i or lead in {"", "—", "-"} or (
            connective and lead.rstrip(",").lower() in lexicon.CONNECTIVES)

    def owned_title(self, qi: int) -> bool:
        """A title right after a possessive (`ABC’s “Good Morning America”`): a show or a
        publication, not anyone's words."""
        q = self.quotes[qi]
        before = self.text[max(0, q.start - 3):q.start].rstrip()
        return before.endswith(("’s", "'s", "s’", "s'")) and is_title(
            self.text[q.segments[0].start:q.segments[-1].end])
