"""The bundled ranker: its features, its weights and how dates count."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.ranker import FEATURES, Ranker, date_features, feature_matrix


def test_bundled_weights_load_and_prefer_closer_statements() -> None:
    r = Ranker.load()
    assert len(r.weights) == len(FEATURES) and "CLEF" in r.trained_on
    x = feature_matrix([1, 2], np.array([0.9, 0.3]), np.array([0.9, 0.3]), {1: 8.0, 2: 2.0},
                       {}, {1: 8.0, 2: 2.0}, (8.0, 0.0, 8.0), [False, False], None,
                       [None, None])
    rel = r.relevance(x)
    assert rel[0] > rel[1] and ((rel > 0) & (rel < 1)).all()


def test_the_named_speaker_and_the_date_raise_relevance() -> None:
    r = Ranker.load()
    base = dict(ids=[1, 2], cos=np.array([0.6, 0.6]), xcos=np.array([0.6, 0.6]),
                bm25={1: 3.0, 2: 3.0}, bm25_context={}, bm25_with_context={1: 3.0, 2: 3.0},
                tops=(3.0, 0.0, 3.0))
    spk = r.relevance(feature_matrix(**base, same_speaker=[True, False], claim_day=None,
                                     statement_days=[None, None]))
    assert spk[0] > spk[1]
    day = 738_000
    dated = r.relevance(feature_matrix(**base, same_speaker=[False, False], claim_day=day,
                                       statement_days=[day - 5, day - 2000]))
    assert dated[0] > dated[1]


def test_named_switches_the_weights_and_day0_marks_one_event() -> None:
    args = dict(ids=[1, 2], cos=np.array([0.8, 0.5]), xcos=np.array([0.7, 0.6]),
                bm25={1: 2.0, 2: 4.0}, bm25_context={}, bm25_with_context={},
                tops=(4.0, 0.0, 4.0), same_speaker=[False, False], claim_day=10,
                statement_days=[9, 5])
    plain = feature_matrix(**args)
    named = feature_matrix(**args, named=True)
    col = {f: i for i, f in enumerate(FEATURES)}
    assert list(plain[:, col["day0"]]) == [1.0, 0.0]
    assert not plain[:, col["named"]:].any() and not plain[:, col["named*cos"]].any()
    assert list(named[:, col["named"]]) == [1.0, 1.0]
    assert named[:, col["named*cos"]] == pytest.approx([0.8, 0.5])
    assert feature_matrix(**{**args, "ids": [], "cos": np.zeros(0), "xcos": np.zeros(0),
                             "same_speaker": [], "statement_days": []}).shape == \
        (0, len(FEATURES))


def test_an_unknown_date_is_neutral() -> None:
    assert date_features(None, 5) == (0.0, 0.0, 1.0, 0.0)
    assert date_features(10, 5) == (1.0, pytest.approx(np.log1p(5) / 10), 0.0, 1.0)


def test_weights_for_other_features_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"features": ["cos"], "weights": [1.0], "bias": 0.0}))
    with pytest.raises(ValueError, match="features"):
        Ranker.load(path)
