"""Claim matching: dense and lexical candidates, alignment, scores and verdicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import msgspec
import numpy as np

from corpora.dates import parse_iso, resolve
from index.align import Alignment, ClaimWords, align, map_spans
from index.claims import ParsedClaim
from index.generation import View
from index.lexical import CONTEXT, TEXT
from index.meta import MetaFilter, speaker_matches
from index.meta import day as day_ordinal
from index.ranker import FEATURES, Ranker, feature_matrix
from index.text import STOPWORDS, tokens
from index.types import ClaimResult, Match, StatementView

VERDICTS = ("verbatim", "fragment", "paraphrase", "misattributed", "no_match")
DENSE_DEPTH = 100  # nearest statements by cosine, for the claim and for the claim in context
LEXICAL_DEPTH = 50  # best BM25 statements for each lexical query
CONTEXT_CHARS = 1000


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds; docs/calibration.md gives the measurements behind the defaults."""

    match: float = 0.55  # a candidate scoring this much is a match (at least a paraphrase)
    relevance: float = 0.40  # so is one the ranker finds this likely to be the claim's source
    # A match by score alone needs at least this relevance too when the claim comes with a
    # date or a context: the score knows nothing of them, the ranker does. (An altered quote
    # needs none: a misquote is often dated long after the words it changes.)
    score_floor: float = 0.40
    # A claim naming another speaker is misattributed only when the words surely match: a
    # verbatim or fragment match, or a paraphrase scoring this much.
    misattributed: float = 0.70
    fragment_coverage: float = 0.9  # share of claim content words a fragment must contain
    verbatim_share: float = 0.8  # claim/statement length ratio above which a quote is verbatim
    dense_weight: float = 0.55  # score = w * cosine + (1 - w) * lexical coverage


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    """Restrict matches by speaker, outlet and date range (ISO dates, inclusive)."""

    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def active(self) -> bool:
        return any((self.speaker, self.outlet, self.since, self.until))

    def for_indexes(self) -> MetaFilter | None:
        """The filter as retrieval applies it, or None when nothing is filtered."""
        if not self.active:
            return None
        return MetaFilter(speaker=self.speaker or None, outlet=self.outlet or None,
                          since=day_ordinal(self.since) or None if self.since else None,
                          until=day_ordinal(self.until) or None if self.until else None)

    def accepts(self, st: StatementView) -> bool:
        if self.speaker and not speaker_matches(self.speaker, st.speaker):
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


class Candidates(NamedTuple):
    """Candidate statements for one claim, most relevant first."""

    ids: list[int]
    relevance: np.ndarray
    cos: np.ndarray
    informed: bool = False  # the claim came with a date or a context


class ClaimQuery(NamedTuple):
    """One claim, parsed and embedded."""

    parsed: ParsedClaim
    vector: np.ndarray
    context_text: str | None  # the context followed by the claim, when a context was given
    context_vector: np.ndarray | None
    day: int | None

    @staticmethod
    def context_of(parsed: ParsedClaim, context: str | None) -> str | None:
        """The text embedded for a claim read in its context (the last 1,000 characters)."""
        if not context or not context.strip():
            return None
        return f"{context.strip()[-CONTEXT_CHARS:]} {parsed.text}"


def claim_day(date: str | None) -> int | None:
    """A claim's date ("2024-05-01", "May 1, 2024") as an ordinal."""
    if not date:
        return None
    day = parse_iso(date) or resolve(date, None)
    return day.toordinal() if day else None


def content_words(text: str) -> int:
    return sum(1 for t, _, _ in tokens(text) if t not in STOPWORDS)


def text_verdict(a: Alignment, score: float, n_content: int, t: Thresholds,
                 relevance: float = 0.0, informed: bool = False) -> str:
    """altered / verbatim / fragment / paraphrase / no_match from the alignment, score and
    relevance (`informed`: the claim came with a date or a context, so that a match by score
    also needs the relevance `score_floor`).
    """
    if a.change_kinds and n_content:
        return "altered"
    if not a.negation_conflict and n_content:
        if a.contiguous and (a.claim_share >= t.verbatim_share or a.sentence_match):
            return "verbatim"
        if a.contiguous or (a.coverage >= t.fragment_coverage and a.longest_run >= 2):
            return "fragment"
    if (score >= t.match and (not informed or relevance >= t.score_floor)) \
            or relevance >= t.relevance:
        return "paraphrase"
    return "no_match"


class Matcher:
    """Finds candidates for a claim, orders them by learned relevance, and labels each."""

    def __init__(self, thresholds: Thresholds | None = None, ranker: Ranker | None = None) -> None:
        self.t = thresholds or Thresholds()
        self.ranker = ranker or Ranker.load()

    def candidates(self, view: View, q: ClaimQuery, filters: Filters | None = None
                   ) -> Candidates:
        """The dense and lexical neighbours of a claim, ordered by the ranker."""
        ids, cos, x = self.pool(view, q, filters)
        informed = q.day is not None or q.context_text is not None
        if not ids:
            return Candidates([], np.zeros(0), np.zeros(0), informed)
        relevance = self.ranker.relevance(x)
        order = np.argsort(-relevance, kind="stable")
        return Candidates([ids[i] for i in order], relevance[order], cos[order], informed)

    def pool(self, view: View, q: ClaimQuery, filters: Filters | None = None
             ) -> tuple[list[int], np.ndarray, np.ndarray]:
        """(candidate ids, their cosines, their ranking features) in no particular order.

        A filter restricts retrieval itself: the dense and lexical searches run over the
        statements it admits only.
        """
        f = filters.for_indexes() if filters is not None else None
        queries = [q.vector] if q.context_vector is None else [q.vector, q.context_vector]
        _, found = view.dense(np.vstack(queries), DENSE_DEPTH, f)
        pool: dict[int, None] = dict.fromkeys(int(i) for row in found for i in row if i >= 0)
        text = q.parsed.text
        # The claim against statements and against their sources' contexts, then the same for
        # the claim read in its context when it has one.
        searches = [(TEXT, text), (CONTEXT, text)]
        if q.context_text is not None:
            searches += [(TEXT, q.context_text), (CONTEXT, q.context_text)]
        tops = []
        for name, t in searches:
            hits = view.lexical(name, t, LEXICAL_DEPTH, f)
            pool.update((i, None) for i, _ in hits)
            # BM25 is normalised by the best score in the whole collection, filtered or not.
            best = hits if f is None else view.lexical(name, t, 1)
            tops.append(best[0][1] if best else 0.0)
        ids = list(pool)
        rows = view.rows(ids)
        keep = [j for j, r in enumerate(rows) if r is not None]
        ids = [ids[j] for j in keep]
        rows = [rows[j] for j in keep]
        if not ids:
            return [], np.zeros(0), np.zeros((0, len(FEATURES)))
        bm25 = [view.lexical_scores(name, t, ids) for name, t in searches]
        if q.context_text is None:  # without a context, "in context" is the claim alone
            bm25 += bm25
            tops += tops
        matrix = view.vectors(ids)
        cos = matrix @ q.vector
        xcos = matrix @ q.context_vector if q.context_vector is not None else cos
        speakers: dict[str | None, bool] = {}
        claimed = q.parsed.speaker
        same = []
        for r in rows:
            assert r is not None
            if r.speaker not in speakers:
                speakers[r.speaker] = q.parsed.names(r.speaker)
            same.append(speakers[r.speaker])
        x = feature_matrix(ids, cos, xcos, bm25[0], bm25[1], bm25[2],
                           (tops[0], tops[1], tops[2]), same, q.day,
                           [r.first_day or None for r in rows if r is not None],
                           named=bool(claimed), context_in_context=(bm25[3], tops[3]))
        return ids, cos, x

    def score(self, dense: float, a: Alignment, n_content: int) -> float:
        """Combined similarity in [0, 1]: cosine plus lexical coverage (discounted if tiny)."""
        w = self.t.dense_weight
        coverage = a.coverage * min(1.0, n_content / 3)
        s = w * max(0.0, dense) + (1 - w) * coverage
        if a.negation_conflict:
            s *= 0.85
        return round(min(1.0, s), 4)

    def rank(self, claim: str, claim_id: str | None, parsed: ParsedClaim, cands: Candidates,
             fetch: Callable[[list[int]], dict[int, StatementView]], k: int,
             filters: Filters, below: bool = False) -> ClaimResult:
        """Label candidates in relevance order and keep the k best matches.

        Only the most relevant max(20, 4k) candidates are labelled (all of them when a filter
        is active). The claim's verdict is that of the most relevant match. With `below`, the
        k most relevant candidates are returned whatever their verdict: candidates under the
        threshold come labelled no_match.
        """
        n_content = content_words(parsed.text)
        words = ClaimWords.of(parsed.text)
        window = len(cands.ids) if filters.active else max(20, 4 * k)
        chunk = window if not filters.active else 200  # one database read when unfiltered
        labelled: list[Match] = []
        real: list[Match] = []
        scanned = 0
        while scanned < min(window, len(cands.ids)):
            ids = cands.ids[scanned:min(scanned + chunk, window)]
            statements = fetch(ids)
            for j, sid in enumerate(ids, start=scanned):
                st = statements.get(sid)
                if st is None or not filters.accepts(st):
                    continue
                m = self._label(st, words, parsed, float(cands.cos[j]),
                                float(cands.relevance[j]), n_content, claim, cands.informed)
                labelled.append(m)
                if m.verdict != "no_match":
                    real.append(m)
            scanned += len(ids)
            if len(real) >= k or (below and len(labelled) >= k and real):
                break
        matches = labelled[:k] if below else real[:k]
        verdict = real[0].verdict if real else "no_match"
        return ClaimResult(id=claim_id, claim=claim, verdict=verdict, matches=matches,
                           claimed_speaker=parsed.speaker)

    def _label(self, st: StatementView, words: ClaimWords, parsed: ParsedClaim, cos: float,
               relevance: float, n_content: int, claim: str, informed: bool = False) -> Match:
        first = st.first
        frame = " ".join(x for x in (st.speaker, first.role if first else None) if x)
        a = align(words, st.text, frame)
        score = self.score(cos, a, n_content)
        verdict = text_verdict(a, score, n_content, self.t, relevance, informed)
        if (verdict not in ("no_match", "altered") and parsed.speaker and st.speaker
                and (verdict != "paraphrase" or score >= self.t.misattributed)
                and not parsed.names(st.speaker)):
            verdict = "misattributed"
        return Match(
            statement_id=st.id, external_id=st.external_id, score=score, verdict=verdict,
            text=st.text, highlight=a.highlight, speaker=st.speaker,
            role=first.role if first else None, outlet=first.outlet if first else None,
            via=first.via if first else None,
            date=(first.date or first.published) if first else None,
            url=first.url if first else None, first_seen=st.first_seen,
            mentions=len(st.mentions), relevance=round(relevance, 4),
            changed=a.changed if verdict == "altered" else [],
            claim_changed=map_spans(a.claim_changed, parsed.text, claim)
            if verdict == "altered" else [],
            changes=a.change_kinds if verdict == "altered" else [])
