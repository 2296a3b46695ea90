"""Train the learned-cue model on PolNeAR train; choose C and threshold by cross-validation.

Usage: .venv/bin/python scripts/train_cues.py ../shared/data/polnear [--out F]

A candidate (see `corpora/extract/passes/learned.py`) is positive when its span matches, at
IoU 0.5, a gold content that the earlier passes did not find. Folds are by article. For each
C and threshold, each fold's articles go through the whole extractor with the model fitted
on the other folds, and the script prints what `eval_attribution.py` would: all-relations
P/R/F1 and quote F1. The pair with the best all-relations F1 is fitted on all of train and
written out. Only train is read.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from eval_attribution import iou, is_quote, load_split, match, match_chars, prf
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from corpora.extract import load_nlp, parse
from corpora.extract.article import ParsedArticle
from corpora.extract.finish import finish
from corpora.extract.found import Found
from corpora.extract.ledger import Ledger
from corpora.extract.passes import PASSES
from corpora.extract.passes.learned import (
    CueModel,
    candidates,
    dump_model,
    learned_cues,
    model_finds,
)
from corpora.types import Attribution

BEFORE = PASSES[:PASSES.index(learned_cues)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--out", type=Path, default=Path("corpora/extract/cue_model.json"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, nargs="+", default=[0.05, 0.1, 0.3])
    ap.add_argument("--thresholds", type=float, nargs="+",
                    default=[0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6])
    ap.add_argument("--min-count", type=int, default=5,
                    help="features seen in fewer candidates than this are left out")
    ap.add_argument("--min-weight", type=float, default=0.005,
                    help="weights smaller than this in magnitude are left out of the file")
    args = ap.parse_args()
    data = load_split(args.polnear, "train")
    nlp = load_nlp()
    rows: list[tuple[int, list[str], bool, tuple[int, int]]] = []
    base_tp = base_pred = n_gold = 0
    parsed = list(parse(nlp, (a for a, _ in data)))
    for ai, ((article, gold), doc) in enumerate(zip(data, parsed, strict=True)):
        art = ParsedArticle(article, doc)
        ledger = Ledger(art)
        found = []
        for run in BEFORE:
            found.extend(run(art, ledger, found))
        spans = [{i for s, e in f.spans for i in range(s, e)} for f in found]
        golds = [g.chars for g in gold]
        hit = {j for _, j in match_chars(spans, golds)}
        base_tp += len(hit)
        base_pred += len(found)
        n_gold += len(golds)
        left = [g for j, g in enumerate(golds) if j not in hit]
        for c in candidates(art, found):
            chars = set(range(*c.span))
            rows.append((ai, c.features, any(iou(chars, g) >= 0.5 for g in left), c.span))
    print(f"train: {len(data)} articles, {n_gold} gold relations; the earlier passes find "
          f"{base_tp} of them in {base_pred} statements; {len(rows)} candidates, "
          f"{sum(r[2] for r in rows)} positive")
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        for name in set(r[1]):
            counts[name] += 1
    vec = DictVectorizer()
    x = vec.fit_transform([{n: 1 for n in r[1] if counts[n] >= args.min_count} for r in rows])
    y = np.array([r[2] for r in rows])
    order = list(range(len(data)))
    random.Random(0).shuffle(order)
    fold_of = [0] * len(data)
    for i, a in enumerate(order):
        fold_of[a] = i % args.folds
    folds = np.array([fold_of[r[0]] for r in rows])

    def to_model(fitted: LogisticRegression, threshold: float, note: str) -> CueModel:
        names = vec.get_feature_names_out()
        weights = {str(n): round(float(w), 4)
                   for n, w in zip(names, fitted.coef_[0], strict=True)
                   if abs(w) >= args.min_weight}
        return CueModel(weights=weights, bias=round(float(fitted.intercept_[0]), 4),
                        threshold=threshold, trained_on=note)

    def extract(ai: int, model: CueModel | None) -> list[Attribution]:
        art = ParsedArticle(data[ai][0], parsed[ai])
        ledger = Ledger(art)
        found: list[Found] = []
        for run in BEFORE:
            found.extend(run(art, ledger, found))
        if model is not None:
            found.extend(model_finds(model, art, ledger, found))
        return finish(art, found)

    def scores(preds: dict[int, list[Attribution]]) -> dict[str, tuple[float, float, float]]:
        tot = {"all": [0, 0, 0], "quote": [0, 0, 0]}
        for ai, pred in preds.items():
            gold = data[ai][1]
            tot["all"][0] += len(match(pred, gold))
            tot["all"][1] += len(pred)
            tot["all"][2] += len(gold)
            qp = [p for p in pred if p.kind in {"direct", "mixed"}]
            qg = [g for g in gold if is_quote(g.text)]
            tot["quote"][0] += len(match(qp, qg))
            tot["quote"][1] += len(qp)
            tot["quote"][2] += len(qg)
        return {k: prf(*v) for k, v in tot.items()}

    def show(label: str, res: dict[str, tuple[float, float, float]]) -> None:
        p, r, f = res["all"]
        print(f"{label}: all relations P {p:.4f} R {r:.4f} F1 {f:.4f}; "
              f"quotes F1 {res['quote'][2]:.4f}")

    show("earlier passes alone", scores({ai: extract(ai, None) for ai in range(len(data))}))
    best = (0.0, 0.0, 0.0)
    for c_value in args.c:
        preds: dict[float, dict[int, list[Attribution]]] = defaultdict(dict)
        for k in range(args.folds):
            fitted = LogisticRegression(C=c_value, max_iter=3000)
            fitted.fit(x[folds != k], y[folds != k])
            for t in args.thresholds:
                model = to_model(fitted, t, "cross-validation")
                for ai in range(len(data)):
                    if fold_of[ai] == k:
                        preds[t][ai] = extract(ai, model)
        for t in args.thresholds:
            res = scores(preds[t])
            show(f"C {c_value:<5} threshold {t:.2f}", res)
            if res["all"][2] > best[0]:
                best = (res["all"][2], c_value, t)
    f, c_value, t = best
    print(f"chosen: C {c_value}, threshold {t} (cross-validated all-relations F1 {f:.4f})")
    out = to_model(LogisticRegression(C=c_value, max_iter=3000).fit(x, y), t,
                   f"PolNeAR v1.0 train ({len(data)} articles), C={c_value}")
    args.out.write_bytes(dump_model(out))
    print(f"wrote {args.out}: {len(out.weights)} weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
