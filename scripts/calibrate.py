"""Measure verdicts and the no-match threshold on the demo claims (and the seed, if given)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from corpora.readers import read_path
from corpora.types import ClaimIn
from index.embedder import MiniLM
from index.service import Library
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]


def labelled(seed: Path | None) -> tuple[list[Path], list[dict]]:
    articles = [ROOT / "corpora/demo/articles.jsonl"]
    claims = [json.loads(x) for x in (ROOT / "corpora/demo/claims.jsonl").read_text().splitlines()]
    if seed is not None:
        exp = json.loads((seed / "expected.json").read_text())
        articles.append(seed / exp["article"])
        for c in exp["claims"]:
            top = c.get("expect_top", (c.get("expect_top_any") or [None])[0])
            claims.append({"id": c["claim"], "claim": c["claim"], "expect": c["verdict"],
                           "expect_speaker": top})
    return articles, claims


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=Path, help="folder with the seed article and expected.json")
    args = ap.parse_args()
    articles, claims = labelled(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Store(f"sqlite:///{tmp}/q.db"), MiniLM(), Path(tmp))
        lib.load()
        lib.ingest([a for p in articles for a in read_path(p)])
        per: dict[str, list[bool]] = {}
        pos_scores, neg_scores = [], []
        for c in claims:
            r = lib.match(ClaimIn(claim=c["claim"]), k=3)
            # The best raw score, whatever the verdict: where the no-match threshold must sit.
            raw = lib.matcher.t.match
            lib.matcher.t = type(lib.matcher.t)(match=0.0)
            best = lib.match(ClaimIn(claim=c["claim"]), k=1)
            lib.matcher.t = type(lib.matcher.t)(match=raw)
            score = best.matches[0].score if best.matches else 0.0
            (neg_scores if c["expect"] == "no_match" else pos_scores).append(score)
            top = r.matches[0].speaker if r.matches else None
            ok = r.verdict == c["expect"] and (c["expect"] == "no_match"
                                               or top == c["expect_speaker"])
            per.setdefault(c["expect"], []).append(ok)
            print(f"{'ok ' if ok else 'BAD'} {c['expect']:>13} got {r.verdict:>13} "
                  f"top={top!r} best={score:.3f} | {c['claim'][:60]}")
    print()
    for label, oks in sorted(per.items()):
        print(f"{label:>13}: {sum(oks)}/{len(oks)} right")
    print(f"best score, claims with a source: min {min(pos_scores):.3f} "
          f"median {sorted(pos_scores)[len(pos_scores) // 2]:.3f}")
    print(f"best score, claims without one:   max {max(neg_scores):.3f}")
    print(f"threshold in use: {lib.matcher.t.match}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
