"""BM25 lexical search over statement texts, in append-only segments safe to search."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable

from index.text import terms

K1 = 1.2
B = 0.75


def top(scores: dict[int, float], k: int) -> list[int]:
    """The ids of the k highest scores, highest first."""
    if len(scores) > k:
        return heapq.nlargest(k, scores, key=scores.__getitem__)
    return sorted(scores, key=scores.__getitem__, reverse=True)


class _Segment:
    """An immutable block of documents with its postings."""

    def __init__(self, docs: Iterable[tuple[int, str]]) -> None:
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self.lengths: dict[int, int] = {}
        for doc_id, text in docs:
            toks = terms(text)
            self.lengths[doc_id] = len(toks)
            for term, tf in Counter(toks).items():
                self.postings.setdefault(term, []).append((doc_id, tf))

    @property
    def total_length(self) -> int:
        return sum(self.lengths.values())


class LexicalIndex:
    """BM25 over segments; `with_added` returns a new index sharing the old segments."""

    def __init__(self, segments: tuple[_Segment, ...] = ()) -> None:
        self.segments = segments
        self.n_docs = sum(len(s.lengths) for s in segments)
        total = sum(s.total_length for s in segments)
        self.avg_len = total / self.n_docs if self.n_docs else 1.0

    @classmethod
    def build(cls, docs: Iterable[tuple[int, str]]) -> LexicalIndex:
        return cls((_Segment(docs),))

    def with_added(self, docs: list[tuple[int, str]]) -> LexicalIndex:
        if not docs:
            return self
        segments = (*self.segments, _Segment(docs))
        if len(segments) > 8:
            # Merge postings directly rather than re-tokenising every document.
            seg = _Segment(())
            for s in segments:
                for term, plist in s.postings.items():
                    seg.postings.setdefault(term, []).extend(plist)
                seg.lengths.update(s.lengths)
            segments = (seg,)
        return LexicalIndex(segments)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(statement id, BM25 score) for the top k documents."""
        scores = self.scores(query)
        return [(i, scores[i]) for i in top(scores, k)]

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score of every document sharing a term with `query`."""
        q_terms = set(terms(query))
        scores: dict[int, float] = {}
        if not q_terms or not self.n_docs:
            return scores
        for term in q_terms:
            plists = [s.postings.get(term) for s in self.segments]
            df = sum(len(p) for p in plists if p)
            if not df:
                continue
            idf = math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))
            for seg, plist in zip(self.segments, plists, strict=True):
                if not plist:
                    continue
                for doc_id, tf in plist:
                    dl = seg.lengths[doc_id]
                    s = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / self.avg_len))
                    scores[doc_id] = scores.get(doc_id, 0.0) + s
        return scores
