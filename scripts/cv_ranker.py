"""Cross-validate the candidate ranker on the train splits of CLEF-2021 2B and 2A, alone or joint.

Usage: .venv/bin/python scripts/cv_ranker.py --task ../shared/data/clef2021-2b D
       --task ../shared/data/clef2021-2a D2 [--folds 5] [--c 0.1 1 10]
Each D holds that task's imported statements (scripts/eval_matching.py --data-dir D). Folds
are by debate for 2B (a debate's sentences share context and speakers) and by tweet for 2A.
For each regularisation strength and each choice of training data (2B alone, 2A alone, both),
a logistic ranker is fitted on the other folds and scored (MAP@5 of the ranked pool) on the
held-out fold of every task; the bundled index/ranker.json is scored on the same claims as a
reference (it was fitted on all of 2B train, so its 2B figure is not held out). Only train
splits are read.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_matching import claims_for, is_2a
from train_ranker import VARIANTS, Pool, calibrated, fit_listwise, map_at_5, pools, task_weights

from index.embedder import MiniLM
from index.ranker import Ranker
from index.service import Library
from index.store import Store, sqlite_url


def fold_of(claim_id: str, task_2a: bool, folds: int) -> int:
    group = claim_id if task_2a else claim_id.rpartition("_")[0]
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % folds


Fit = Callable[[list[list[Pool]]], tuple[np.ndarray, float]]
"""Ranker weights and bias from each training task's pools."""


def logistic(c: float, balanced: bool) -> Fit:
    """A logistic regression with inverse L2 strength `c` (each task weighed the same, with
    `balanced`)."""
    def fit(parts: list[list[Pool]]) -> tuple[np.ndarray, float]:
        from sklearn.linear_model import LogisticRegression

        pooled = [p for part in parts for p in part]
        model = LogisticRegression(C=c, max_iter=5000).fit(
            np.vstack([p[0] for p in pooled]), np.concatenate([p[1] for p in pooled]),
            sample_weight=task_weights(parts) if balanced else None)
        return model.coef_[0], float(model.intercept_[0])
    return fit


def listwise(lam: float) -> Fit:
    """train_ranker's listwise loss with L2 weight `lam`, scaled to a probability."""
    return lambda parts: calibrated(parts, fit_listwise(parts, lam))


def held_out(data: dict[str, list[tuple[Pool, int]]], train_on: Sequence[str], folds: int,
             fit: Fit) -> str:
    """Each task's held-out MAP@5 and P@1, the ranker fitted on the other folds of the
    `train_on` tasks."""
    held: dict[str, list[float]] = {n: [] for n in data}
    top: dict[str, list[bool]] = {n: [] for n in data}
    for k in range(folds):
        w, b = fit([[p for p, f in data[n] if f != k] for n in train_on])
        for n, rows in data.items():
            test = [p for p, f in rows if f == k]
            held[n].extend(map_at_5([p], w, b) for p in test)
            top[n].extend(bool(len(y) and y[np.argmax(x @ w)]) for x, y, _ in test)
    return "  ".join(f"{n} {np.mean(v):.4f} (P@1 {np.mean(top[n]):.4f})"
                     for n, v in held.items())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--task", nargs=2, action="append", metavar=("CLEF", "DIR"), required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, nargs="+", default=[0.1, 1.0, 10.0])
    ap.add_argument("--listwise", type=float, nargs="+", default=[], metavar="LAMBDA",
                    help="also fit with train_ranker's listwise loss and these L2 weights")
    ap.add_argument("--joint", action="store_true", help="only fit on all tasks together")
    ap.add_argument("--balanced", action="store_true",
                    help="weigh each task's candidates so that the tasks count the same")
    args = ap.parse_args()
    embedder = MiniLM()
    data: dict[str, list[tuple[Pool, int]]] = {}
    for clef, ddir in args.task:
        clef, ddir = Path(clef), Path(ddir)
        name = "2A" if is_2a(clef) else "2B"
        lib = Library(Store(sqlite_url(ddir)), embedder, ddir)
        lib.load()
        claims, _ = claims_for(clef, "train")
        variants = VARIANTS[::2] if name == "2A" else VARIANTS
        rows = []
        for ctx, dated in variants:
            for c, p in zip(claims, pools(lib, clef, "train", ctx, dated), strict=True):
                rows.append((p, fold_of(c["id"], name == "2A", args.folds)))
        data[name] = rows
        lib.store.close()
        print(f"{name}: {len(claims)} train claims, {len(rows)} pools", file=sys.stderr)
    bundled = Ranker.load()
    w0, b0 = np.asarray(bundled.weights), bundled.bias
    print("bundled ranker.json on the train claims: " + "  ".join(
        f"{n} {map_at_5([p for p, _ in rows], w0, b0):.4f}" for n, rows in data.items()))
    names = list(data)
    settings = [[n] for n in names] + ([names] if len(names) > 1 else [])
    if args.joint and len(names) > 1:
        settings = [names]
    fits = [("C", c) for c in args.c] + [("listwise", lam) for lam in args.listwise]
    for how, value in fits:
        for train_on in settings:
            fit = listwise(value) if how == "listwise" else logistic(value, args.balanced)
            print(f"{how}={value:<6} trained on {'+'.join(train_on):<6} held-out MAP@5: "
                  f"{held_out(data, train_on, args.folds, fit)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
