"""Acceptance on the user's seed article (skips when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpora.readers import read_path
from corpora.types import ClaimIn
from index.service import Library
from index.store import Store
from tests.conftest import SHARED

SEED = SHARED / "seed"
pytestmark = [pytest.mark.slow, pytest.mark.shared,
              pytest.mark.skipif(not (SEED / "expected.json").exists(),
                                 reason="../shared/seed not present")]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def test_seed_extraction_and_claims(tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads((SEED / "expected.json").read_text())
    article = read_path(SEED / expected["article"])[0]
    found = extractor.extract(article)
    hits = speakers = 0
    for q in expected["quotes"]:
        best = max(found, key=lambda a: max(overlap((q["start"], q["end"]), s)
                                            for s in a.content_spans))
        if max(overlap((q["start"], q["end"]), s) for s in best.content_spans) >= 0.5:
            hits += 1
            speakers += best.speaker.name == q["speaker"]
            if q.get("via"):
                assert best.via == q["via"]
    assert hits >= 15 and speakers >= 14

    lib = Library(Store(f"sqlite:///{tmp_path / 'q.db'}"), embedder, tmp_path,
                  extractor_factory=lambda: extractor)
    lib.load()
    lib.ingest([article])
    for c in expected["claims"]:
        r = lib.match(ClaimIn(claim=c["claim"]), k=c.get("top_k", 5))
        # The seed's note can accept a second label ("'paraphrase' or 'fragment' both acceptable").
        acceptable = {c["verdict"]} | ({"paraphrase", "fragment"} if "both acceptable" in
                                       c.get("note", "") else set())
        assert r.verdict in acceptable, c["claim"]
        top = r.matches[0].speaker if r.matches else None
        if "expect_top" in c:
            assert top == c["expect_top"], c["claim"]
        if "expect_top_any" in c:
            assert top in c["expect_top_any"]
        for s in c.get("must_include_speakers", []):
            assert s in [m.speaker for m in r.matches[:c.get("top_k", 5)]]
    lib.store.close()
