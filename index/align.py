"""Word alignment of a claim against a statement: shared words, highlights, verbatim tests."""

from __future__ import annotations

from difflib import SequenceMatcher

import msgspec

from index.alter import changes
from index.text import NEGATIONS, STOPWORDS, stem, tokens


class Alignment(msgspec.Struct, frozen=True):
    """How a claim's words sit in a statement."""

    highlight: list[tuple[int, int]]
    coverage: float  # share of the claim's content words found in the statement
    contiguous: bool  # every claim word, in order and adjacent, inside the statement
    longest_run: int  # longest run of adjacent shared words
    claim_share: float  # claim length / statement length, in words
    sentence_match: bool  # the contiguous match covers whole sentences of the statement
    negation_conflict: bool  # a negation on one side that the other lacks
    # Where a claim that quotes the statement changes its meaning (index/alter.py): the kinds
    # of change, and the changed words' spans in the statement and in the claim.
    change_kinds: list[str] = []
    changed: list[tuple[int, int]] = []
    claim_changed: list[tuple[int, int]] = []


class ClaimWords(msgspec.Struct, frozen=True):
    """A claim tokenised once, to be aligned against many statements."""

    toks: list[str]
    stems: list[str]
    spans: list[tuple[int, int]]  # each token's offsets in the claim text

    @classmethod
    def of(cls, claim: str) -> ClaimWords:
        found = tokens(claim)
        toks = [t for t, _, _ in found]
        return cls(toks, [stem(t) for t in toks], [(s, e) for _, s, e in found])


def align(claim: str | ClaimWords, statement: str, frame: str = "") -> Alignment:
    """Align `claim` against `statement` word by word.

    Words of the attribution frame (speaker, role) count towards coverage, not highlights:
    "CSTO always ready" is covered by "the organization is always ready" said by a CSTO official.
    """
    words = claim if isinstance(claim, ClaimWords) else ClaimWords.of(claim)
    c_toks, c_stems = words.toks, words.stems
    s_full = tokens(statement)
    s_toks = [t for t, _, _ in s_full]
    if not c_toks or not s_toks:
        return Alignment([], 0.0, False, 0, 0.0, False, False)
    s_stems = [stem(t) for t in s_toks]
    sm = SequenceMatcher(None, c_stems, s_stems, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    marked: set[int] = set()
    longest = 0
    for b in blocks:
        longest = max(longest, b.size)
        if b.size >= 2 or c_toks[b.a] not in STOPWORDS:
            marked.update(range(b.b, b.b + b.size))
    content = {s for t, s in zip(c_toks, c_stems, strict=True) if t not in STOPWORDS}
    for i, s in enumerate(s_stems):
        if s in content and s_toks[i] not in STOPWORDS:
            marked.add(i)
    frame_stems = {stem(t) for t, _, _ in tokens(frame)} if frame else set()
    found = {s for s in content if s in set(s_stems) or s in frame_stems}
    coverage = len(found) / len(content) if content else (1.0 if longest == len(c_toks) else 0.0)
    contiguous = False
    sentence_match = False
    n = len(c_stems)
    for i in range(len(s_stems) - n + 1):
        if s_stems[i:i + n] == c_stems:
            contiguous = True
            start_ok = i == 0 or _boundary(statement[s_full[i - 1][2]:s_full[i][1]])
            end = i + n
            end_ok = end == len(s_stems) or _boundary(statement[s_full[end - 1][2]:s_full[end][1]])
            sentence_match = sentence_match or (start_ok and end_ok)
    neg_c = {t for t in c_toks if t in NEGATIONS}
    if marked:
        lo, hi = min(marked), max(marked)
        window = s_toks[max(0, lo - 3):hi + 2]
    else:
        window = []
    neg_s = {t for t in window if t in NEGATIONS}
    negation_conflict = bool(neg_c) != bool(neg_s)
    ch = changes(c_toks, c_stems, s_toks, s_stems, sm.get_opcodes())
    return Alignment(
        highlight=_spans(sorted(marked), s_full, statement),
        coverage=coverage,
        contiguous=contiguous,
        longest_run=longest,
        claim_share=len(c_toks) / len(s_toks),
        sentence_match=sentence_match,
        negation_conflict=negation_conflict or "negation" in ch.kinds,
        change_kinds=ch.kinds,
        changed=_spans(ch.statement, s_full, statement),
        claim_changed=[words.spans[i] for i in ch.claim],
    )


def _boundary(gap: str) -> bool:
    """Whether the text between two words ends a sentence (or joins two quoted parts)."""
    return any(c in gap for c in ".!?;…")


def _spans(idx: list[int], toks: list[tuple[str, int, int]], text: str) -> list[tuple[int, int]]:
    """Character spans of the marked words, joining neighbours separated only by spaces/punct."""
    out: list[tuple[int, int]] = []
    prev = -2
    for i in idx:
        _, s, e = toks[i]
        if out and i == prev + 1 and not any(c.isalnum() for c in text[out[-1][1]:s]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        prev = i
    return out


def map_spans(spans: list[tuple[int, int]], inner: str, outer: str) -> list[tuple[int, int]]:
    """Spans of words of `inner` moved into `outer`, a text that holds inner's words in a row
    (a claim around its asserted words, "X said …"); spans not found are dropped.
    """
    if not spans or inner == outer:
        return spans
    a, b = tokens(inner), tokens(outer)
    words = [t for t, _, _ in a]
    n = len(words)
    at = next((i for i in range(len(b) - n + 1) if [t for t, _, _ in b[i:i + n]] == words),
              None)
    if at is None:
        return []
    start = {s: k for k, (_, s, _) in enumerate(a)}
    end = {e: k for k, (_, _, e) in enumerate(a)}
    return [(b[at + start[s]][1], b[at + end[e]][2]) for s, e in spans
            if s in start and e in end]
