"""Measure how often each verdict is right on labelled claims, and sweep the match thresholds.

Usage: .venv/bin/python scripts/calibrate.py [--seed ../shared/seed]
       [--clef ../shared/data/clef2021-2b --data-dir DIR] [--sweep]

Labelled sets:
- demo: the claims in corpora/demo/claims.jsonl (and the seed's six claims with --seed), each
  with its expected verdict and top speaker, against the demo corpus (and the seed article);
- CLEF dev, positives: each debate sentence of the dev split (with its speaker, context and
  date) against the 19,250 fact-checked statements (DIR holds them: see eval_matching.py). It is
  right when the statement behind its verdict is a relevant one, and `misattributed` only if
  that statement's speaker is not the debate speaker (the debate speaker utters the sentence
  but does not always claim it as their own words, so a paraphrase by another speaker is right);
- CLEF dev, held-out negatives: the same sentences against an index without any dev-relevant
  statement, where the right answer is `no_match`.
With a CLEF-2021 2A folder (and DIR holding its Snopes claims), the same two sets are made of
the dev tweets ("CLEF 2A dev").
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from corpora.readers import read_path
from corpora.types import ClaimIn
from index.claims import same_speaker
from index.embedder import MiniLM
from index.generation import View
from index.matcher import Thresholds
from index.service import Library
from index.store import Store, sqlite_url
from index.types import ClaimResult, Match

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

Outcome = tuple[str, bool]  # (verdict given, right)


def demo_claims(seed: Path | None) -> tuple[list[Path], list[dict]]:
    articles = [ROOT / "corpora/demo/articles.jsonl"]
    claims = [json.loads(x) for x in (ROOT / "corpora/demo/claims.jsonl").read_text().splitlines()]
    if seed is not None:
        exp = json.loads((seed / "expected.json").read_text())
        articles.append(seed / exp["article"])
        for c in exp["claims"]:
            top = c.get("expect_top", (c.get("expect_top_any") or [None])[0])
            accept = {c["verdict"]}
            if "fragment" in c.get("note", "") and c["verdict"] == "paraphrase":
                accept.add("fragment")  # the seed accepts either for its Mirzoyan claim
            claims.append({"id": c["claim"], "claim": c["claim"], "expect": c["verdict"],
                           "accept": sorted(accept), "expect_speaker": top})
    return articles, claims


def verdict_match(r: ClaimResult) -> Match | None:
    return next((m for m in r.matches if m.verdict != "no_match"), None)


def demo_outcomes(lib: Library, claims: list[dict], verbose: bool) -> list[Outcome]:
    out = []
    for c in claims:
        r = lib.match(ClaimIn(claim=c["claim"]), k=5)
        m = verdict_match(r)
        ok = r.verdict in c.get("accept", [c["expect"]]) and (
            c["expect"] == "no_match" or (m is not None and m.speaker == c["expect_speaker"]))
        out.append((r.verdict, ok))
        if verbose:
            top = r.matches[0] if r.matches else None
            print(f"  {'ok ' if ok else 'BAD'} {c['expect']:>13} got {r.verdict:>13} "
                  f"speaker={m.speaker if m else None!r} "
                  f"top score={top.score if top else 0:.3f} "
                  f"relevance={top.relevance if top else 0:.3f} | {c['claim'][:50]}")
    return out


def clef_outcomes(lib: Library, claims: list[ClaimIn], qrels: dict[str, set[str]],
                  negative: bool) -> list[Outcome]:
    out = []
    for c, r in zip(claims, lib.match_many(claims, k=5), strict=True):
        if negative:
            out.append((r.verdict, r.verdict == "no_match"))
            continue
        m = verdict_match(r)
        ok = m is not None and m.external_id in qrels[c.id or ""] and (
            m.verdict != "misattributed" or
            bool(c.speaker and m.speaker and not same_speaker(c.speaker, m.speaker)))
        out.append((r.verdict, ok))
    return out


def without(lib: Library, external_ids: set[str]) -> View:
    """The library's indexes minus the statements with these external ids."""
    view = lib.snapshot
    found = lib.store.statements([int(i) for i in view.ids()])
    return view.excluding({st.id for st in found.values() if st.external_id in external_ids})


def report(name: str, outcomes: list[Outcome]) -> None:
    right = sum(ok for _, ok in outcomes)
    print(f"{name}: {right}/{len(outcomes)} right")
    for label in ("verbatim", "fragment", "paraphrase", "altered", "misattributed", "no_match"):
        got = [ok for v, ok in outcomes if v == label]
        if got:
            print(f"  {label:>13}: given {len(got):>3}, right {sum(got):>3} "
                  f"({sum(got) / len(got):.0%})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=Path, help="folder with the seed article and expected.json")
    ap.add_argument("--clef", type=Path, help="the CLEF-2021 2B (or 2A) folder")
    ap.add_argument("--data-dir", type=Path, help="data dir holding the imported CLEF statements")
    ap.add_argument("--sweep", action="store_true", help="also try other relevance thresholds")
    ap.add_argument("--split", default="dev",
                    help="the CLEF split (train: to choose a threshold without reading dev)")
    ap.add_argument("--floor", type=float, default=None,
                    help="the relevance a match by score alone needs (Thresholds.score_floor)")
    ap.add_argument("--match", type=float, default=None,
                    help="the combined score a match by score needs (Thresholds.match)")
    ap.add_argument("--grid", type=float, nargs="+",
                    default=[0.05, 0.10, 0.15, 0.20, 0.25, 0.30])
    args = ap.parse_args()
    embedder = MiniLM()
    grid = args.grid if args.sweep else []
    base = Thresholds()
    if args.floor is not None:
        base = replace(base, score_floor=args.floor)
    if args.match is not None:
        base = replace(base, match=args.match)
    results: dict[float, dict[str, list[Outcome]]] = {}
    articles, claims = demo_claims(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Store(f"sqlite:///{tmp}/q.db"), embedder, Path(tmp))
        lib.load()
        lib.ingest([a for p in articles for a in read_path(p)])
        lib.matcher.t = base
        print(f"demo{' + seed' if args.seed else ''} claims, thresholds in use "
              f"(score {base.match}, relevance {base.relevance}):")
        results[base.relevance] = {"demo": demo_outcomes(lib, claims, True)}
        for t in grid:
            lib.matcher.t = replace(base, relevance=t)
            results.setdefault(t, {})["demo"] = demo_outcomes(lib, claims, False)
        lib.store.close()
    if args.clef and args.data_dir:
        from eval_matching import claims_for, is_2a

        name = f"CLEF{' 2A' if is_2a(args.clef) else ''} {args.split}"

        raw, qrels = claims_for(args.clef, args.split)
        clef = [ClaimIn(claim=c["claim"], id=c["id"], speaker=c["speaker"], date=c["date"],
                        context=c["context"]) for c in raw]
        lib = Library(Store(sqlite_url(args.data_dir)), embedder, args.data_dir)
        lib.load()
        lib.refresh = lambda min_interval=1.0: None  # type: ignore[method-assign]
        full = lib.snapshot
        held_out = without(lib, set().union(*qrels.values()))
        for t in sorted({base.relevance, *grid}):
            lib.matcher.t = replace(base, relevance=t)
            lib.snapshot = full
            results[t][f"{name} positives"] = clef_outcomes(lib, clef, qrels, False)
            lib.snapshot = held_out
            results[t][f"{name} held-out negatives"] = clef_outcomes(lib, clef, qrels, True)
    print()
    for name, outcomes in results[base.relevance].items():
        report(name, outcomes)
    every = [o for sets in results[base.relevance].values() for o in sets]
    report("all labelled claims", every)
    if grid:
        print("\nrelevance threshold sweep (score threshold fixed at "
              f"{base.match}): right / total per set")
        for t in sorted(results):
            cells = "  ".join(f"{name} {sum(ok for _, ok in o)}/{len(o)}"
                              for name, o in results[t].items())
            print(f"  {t:.2f}: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
