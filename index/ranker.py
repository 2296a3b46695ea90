"""Learned candidate ranking: a logistic model over retrieval, speaker and date features."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

BASE = ("cos", "xcos", "ls", "ts", "cs", "tcs", "lraw", "spk", "win", "ldays", "nod", "after",
        "day0")
"""Per candidate:
cos    cosine between the claim and the statement
xcos   cosine between the claim read with its context and the statement (cos without context)
ls     BM25 of the claim against the statement, over the claim's best BM25 in the collection
ts     the same against the statement's source context (article title, import context)
cs     BM25 of the claim read with its context against the statement, normalised (ls without)
tcs    BM25 of the claim read with its context against the statement's source context (ts without)
lraw   log(1 + BM25 of the claim against the statement)
spk    the statement's speaker is the one the claim names
win    the statement is dated within 30 days of the claim
ldays  log(1 + days between them) / 10
nod    either date is unknown (the other date features are then 0)
after  the claim is dated no more than 3 days before the statement's date (or later)
day0   both are dated and at most a day apart (the claim and the statement come from one event)
"""
FEATURES = (*BASE, *(f"named*{f}" for f in BASE), "named")
"""The base features, again multiplied by `named` (1 when the claim names its speaker, else 0),
and `named` itself: a claim that names a speaker (a debate sentence, a quote put in someone's
mouth) weighs the evidence differently from one that does not (a tweet, a bare claim), and one
linear model learns both.
"""

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Ranker:
    """Relevance of candidate statements to a claim: sigmoid(w · features + b)."""

    weights: tuple[float, ...]
    bias: float
    trained_on: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        """The weights written by scripts/train_ranker.py (the bundled ones by default)."""
        if path is None:
            raw = resources.files("index").joinpath("ranker.json").read_text(encoding="utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"ranker weights are for features {data['features']}, "
                             f"this code computes {list(FEATURES)}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]),
                   str(data.get("trained_on", "")))

    def relevance(self, x: np.ndarray) -> np.ndarray:
        """Probability-like relevance in (0, 1) for each row of a feature matrix."""
        z = x @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))


def date_features(claim_day: int | None, statement_day: int | None) -> tuple[float, float,
                                                                             float, float]:
    """(win, ldays, nod, after) for two dates given as ordinals."""
    if claim_day is None or statement_day is None:
        # Neutral: between a statement made days before the claim and one made years before.
        return 0.0, 0.0, 1.0, 0.0
    days = claim_day - statement_day
    return (float(abs(days) <= WINDOW_DAYS), math.log1p(abs(days)) / 10, 0.0,
            float(days >= -3))


def feature_matrix(ids: Sequence[int], cos: np.ndarray, xcos: np.ndarray,
                   bm25: dict[int, float], bm25_context: dict[int, float],
                   bm25_with_context: dict[int, float], tops: tuple[float, float, float],
                   same_speaker: Sequence[bool], claim_day: int | None,
                   statement_days: Sequence[int | None], named: bool = False,
                   context_in_context: tuple[dict[int, float], float] | None = None
                   ) -> np.ndarray:
    """The FEATURES matrix, one row per candidate id.

    `tops` are the best BM25 scores in the whole collection for each of the three lexical
    queries (claim against statements, against their sources' titles, claim in context);
    `named` says whether the claim names its speaker; `context_in_context` holds the BM25
    scores of the claim in its context against the sources' titles and the best of them in
    the collection (None when the claim has no context: `tcs` is then `ts`).
    """
    top_l, top_t, top_c = (t or 1.0 for t in tops)
    rows = []
    for j, sid in enumerate(ids):
        raw = bm25.get(sid, 0.0)
        win, ldays, nod, after = date_features(claim_day, statement_days[j])
        ts = bm25_context.get(sid, 0.0) / top_t
        tcs = ts if context_in_context is None else \
            context_in_context[0].get(sid, 0.0) / (context_in_context[1] or 1.0)
        rows.append((float(cos[j]), float(xcos[j]), raw / top_l, ts,
                     bm25_with_context.get(sid, 0.0) / top_c, tcs, math.log1p(raw),
                     float(same_speaker[j]), win, ldays, nod, after,
                     float(not nod and ldays <= math.log1p(1) / 10)))
    base = np.asarray(rows, dtype=np.float64).reshape(len(ids), len(BASE))
    flag = float(named)
    return np.hstack([base, base * flag, np.full((len(ids), 1), flag)])
