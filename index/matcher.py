"""Claim matching: dense and lexical candidates, alignment, scores and verdicts."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import numpy as np

from corpora.dates import parse_iso, resolve
from index.align import Alignment, ClaimWords, align
from index.claims import parse_claim, same_speaker
from index.lexical import LexicalIndex
from index.text import STOPWORDS, tokens
from index.types import ClaimResult, Match, StatementView
from index.vectors import VectorIndex

VERDICTS = ("verbatim", "fragment", "paraphrase", "misattributed", "no_match")


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds; docs/calibration.md gives the measurements behind the defaults."""

    match: float = 0.50  # below this score a candidate is no match at all
    fragment_coverage: float = 0.9  # share of claim content words a fragment must contain
    verbatim_share: float = 0.8  # claim/statement length ratio above which a quote is verbatim
    dense_weight: float = 0.55  # score = w * cosine + (1 - w) * lexical coverage
    # Ranking only (scores and verdicts are untouched), chosen on CLEF 2B train:
    speaker_bonus: float = 0.10  # the statement's speaker is the one the claim names
    date_bonus: float = 0.10  # the statement is dated within `date_window` days of the claim
    date_window: int = 30


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    """Restrict matches by speaker, outlet and date range (ISO dates, inclusive)."""

    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def active(self) -> bool:
        return any((self.speaker, self.outlet, self.since, self.until))

    def accepts(self, st: StatementView) -> bool:
        if self.speaker and not (same_speaker(self.speaker, st.speaker)
                                 or self.speaker.casefold() in (st.speaker or "").casefold()):
            return False
        if self.outlet:
            o = self.outlet.casefold()
            if not any(o in (m.outlet or "").casefold() or o in (m.via or "").casefold()
                       for m in st.mentions):
                return False
        if self.since or self.until:
            days = [d for m in st.mentions for d in (m.date or m.published,) if d] or \
                   ([st.first_seen] if st.first_seen else [])
            if not any((not self.since or d >= self.since) and (not self.until or d <= self.until)
                       for d in days):
                return False
        return True


@dataclass(frozen=True)
class Snapshot:
    """The indexes one search reads; swapped whole, never mutated."""

    vectors: VectorIndex
    lexical: LexicalIndex


def content_words(text: str) -> int:
    return sum(1 for t, _, _ in tokens(text) if t not in STOPWORDS)


def text_verdict(a: Alignment, score: float, n_content: int, t: Thresholds) -> str:
    """verbatim / fragment / paraphrase / no_match from the alignment and the score."""
    if not a.negation_conflict and n_content:
        if a.contiguous and (a.claim_share >= t.verbatim_share or a.sentence_match):
            return "verbatim"
        if a.contiguous or (a.coverage >= t.fragment_coverage and a.longest_run >= 2):
            return "fragment"
    if score >= t.match:
        return "paraphrase"
    return "no_match"


class Matcher:
    """Scores candidates for a claim and labels each match."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.t = thresholds or Thresholds()

    def candidates(self, snap: Snapshot, claim_vec: np.ndarray, text: str, k: int,
                   filtered: bool) -> dict[int, float]:
        """Statement ids with their cosine similarity to the claim."""
        # Alignment is the costly step, so only the nearest few are aligned unless a filter
        # may discard most of them.
        depth = max(20, k * 4) if not filtered else max(500, k * 50)
        scores, ids = snap.vectors.search(claim_vec[None, :], depth)
        out = {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}
        lexical = [sid for sid, _ in snap.lexical.search(text, 20 if not filtered else 500)
                   if sid not in out]
        for sid in lexical:
            try:
                vec = snap.vectors.index.reconstruct(sid)
            except RuntimeError:
                continue
            out[sid] = float(np.dot(vec, claim_vec))
        return out

    def score(self, dense: float, a: Alignment, n_content: int) -> float:
        """Combined similarity in [0, 1]: cosine plus lexical coverage (discounted if tiny)."""
        w = self.t.dense_weight
        coverage = a.coverage * min(1.0, n_content / 3)
        s = w * max(0.0, dense) + (1 - w) * coverage
        if a.negation_conflict:
            s *= 0.85
        return round(min(1.0, s), 4)

    def rank(self, claim: str, claim_id: str | None, speaker: str | None,
             statements: dict[int, StatementView], dense: dict[int, float], k: int,
             filters: Filters, date: str | None = None) -> ClaimResult:
        """Score every candidate, label it, and keep the best k."""
        parsed = parse_claim(claim, speaker)
        claim_day = parse_iso(date) or (resolve(date, None) if date else None)
        n_content = content_words(parsed.text)
        words = ClaimWords.of(parsed.text)
        scored: list[tuple[float, Match]] = []
        for sid, cos in dense.items():
            st = statements.get(sid)
            if st is None or not filters.accepts(st):
                continue
            first = st.first
            frame = " ".join(x for x in (st.speaker, first.role if first else None) if x)
            a = align(words, st.text, frame)
            score = self.score(cos, a, n_content)
            verdict = text_verdict(a, score, n_content, self.t)
            if verdict == "no_match":
                continue
            rank_score = score
            if parsed.speaker:
                if same_speaker(parsed.speaker, st.speaker):
                    rank_score += self.t.speaker_bonus
                elif st.speaker:
                    verdict = "misattributed"
            if claim_day is not None:
                days = [parse_iso(m.date or m.published) for m in st.mentions]
                if any(d is not None and abs((d - claim_day).days) <= self.t.date_window
                       for d in days):
                    rank_score += self.t.date_bonus
            rank_score += 0.02 * bool(st.speaker) + 0.01 * (st.kind == "direct")
            scored.append((rank_score, Match(
                statement_id=st.id, external_id=st.external_id, score=score, verdict=verdict,
                text=st.text, highlight=a.highlight, speaker=st.speaker,
                role=first.role if first else None, outlet=first.outlet if first else None,
                via=first.via if first else None,
                date=(first.date or first.published) if first else None,
                url=first.url if first else None, first_seen=st.first_seen,
                mentions=len(st.mentions))))
        scored.sort(key=lambda x: -x[0])
        matches = [m for _, m in scored[:k]]
        verdict = matches[0].verdict if matches else "no_match"
        return ClaimResult(id=claim_id, claim=claim, verdict=verdict, matches=matches,
                           claimed_speaker=parsed.speaker)
