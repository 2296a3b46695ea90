"""Fit the candidate ranker (index/ranker.json) on CLEF-2021 CheckThat! train claims.

Usage: .venv/bin/python scripts/train_ranker.py ../shared/data/clef2021-2b --data-dir DIR
       [--also ../shared/data/clef2021-2a DIR2] [--out index/ranker.json] [--c 1.0]
The bundled weights: train_ranker.py ../shared/data/clef2021-2b --data-dir D
       --also ../shared/data/clef2021-2a D2 --c 3
Only train splits are read: choose --c with scripts/cv_ranker.py.
DIR must hold the imported fact-checked statements (scripts/eval_matching.py --data-dir DIR
leaves them there). Every train claim is used with and without its transcript context and with
and without its date, so that the model also ranks claims that come without them. Candidates
and features come from the matcher itself (`Matcher.pool`), so training and serving compute
them the same way. A logistic regression (scikit-learn, installed with sentence-transformers)
is fitted on them; the script prints MAP@5 on the train claims for the new weights (dev:
eval_matching.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_matching import ap_at_5, claims_for

from corpora.types import ClaimIn
from index.matcher import ClaimQuery
from index.ranker import FEATURES
from index.service import Library
from index.store import Store, sqlite_url

VARIANTS = ((True, True), (False, True), (True, False), (False, False))
"""Each train claim is read with and without its context, and with and without its date
(context, dated): claims arrive either way, and a ranker that only ever saw dated debate
sentences would judge an undated claim that names its speaker by guesswork."""


Pool = tuple[np.ndarray, np.ndarray, int]


def pools(lib: Library, clef: Path, split: str, context: bool, dated: bool = True,
          adapt: Callable[[int, ClaimQuery], ClaimQuery] | None = None) -> list[Pool]:
    """(features, labels, number of relevant statements) per claim of a split; `adapt`
    changes the i-th claim's query before its pool is drawn (scripts/cv_adapter.py)."""
    claims, qrels = claims_for(clef, split)
    ins = [ClaimIn(claim=c["claim"], id=c["id"], speaker=c["speaker"],
                   date=c["date"] if dated else None,
                   context=c["context"] if context else None) for c in claims]
    ext = {}
    out = []
    for i, (c, q) in enumerate(zip(ins, lib.queries(ins), strict=True)):
        ids, _, x = lib.matcher.pool(lib.snapshot, adapt(i, q) if adapt else q)
        missing = [i for i in ids if i not in ext]
        ext.update({sid: st.external_id for sid, st in lib.store.statements(missing).items()})
        labels = np.array([ext.get(i) in qrels[c.id or ""] for i in ids], dtype=bool)
        out.append((x, labels, len(qrels[c.id or ""])))
    return out


def map_at_5(data: list[Pool], w: np.ndarray, b: float) -> float:
    total = 0.0
    for x, y, n_rel in data:
        top = np.argsort(-(x @ w + b), kind="stable")[:5]
        total += ap_at_5([bool(y[i]) for i in top], n_rel)
    return total / len(data)


def task_weights(tasks: list[list[Pool]]) -> np.ndarray:
    """A weight per candidate, in the order of the tasks' pools, such that each task's
    candidates weigh the same in total (and all of them as much as they number)."""
    sizes = [sum(len(p[1]) for p in task) for task in tasks]
    return np.concatenate([np.full(n, sum(sizes) / (len(sizes) * n)) for n in sizes])


def fit_listwise(tasks: list[list[Pool]], lam: float) -> np.ndarray:
    """Weights that put the relevant candidates of each claim's pool first: the softmax over a
    pool's scores, minus log the share of its relevant candidates, summed over the pools
    (ListNet with one-hot targets), each task weighing the same, plus lam * |w|^2 on the
    standardised features. Pools without a relevant candidate teach nothing and are left out.
    """
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    rows = [(p[0], p[1].astype(bool), 1.0 / sum(1 for q in task if q[1].any()))
            for task in tasks for p in task if p[1].any()]
    allx = np.vstack([x for x, _, _ in rows])
    mu, sd = allx.mean(axis=0), allx.std(axis=0) + 1e-9
    rows = [((x - mu) / sd, y, wt) for x, y, wt in rows]
    total = sum(wt for _, _, wt in rows)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = 0.0, np.zeros_like(w)
        for x, y, wt in rows:
            s = x @ w
            all_, rel = logsumexp(s), logsumexp(s[y])
            p = np.exp(s - all_)
            q = np.zeros_like(s)
            q[y] = np.exp(s[y] - rel)
            value += wt * (all_ - rel)
            grad += wt * (x.T @ (p - q))
        return value / total + lam * float(w @ w), grad / total + 2 * lam * w

    w = minimize(loss, np.zeros(allx.shape[1]), jac=True, method="L-BFGS-B",
                 options={"maxiter": 1000}).x
    return np.asarray(w / sd)


def calibrated(tasks: list[list[Pool]], w: np.ndarray) -> tuple[np.ndarray, float]:
    """(weights, bias) such that sigmoid(a·(w·x) + c·named + b) fits each candidate's relevance
    (Platt scaling, each task's candidates weighing the same). The order within a claim stays
    that of w; `named`, which a listwise loss cannot weigh (it is the same for every candidate
    of a claim), sets the level of claims that name a speaker apart, so that `relevance` keeps
    meaning a probability and one threshold serves every domain."""
    from sklearn.linear_model import LogisticRegression

    named = FEATURES.index("named")
    x = np.vstack([p[0] for task in tasks for p in task])
    y = np.concatenate([p[1] for task in tasks for p in task])
    platt = LogisticRegression(C=1e6, max_iter=5000).fit(
        np.column_stack([x @ w, x[:, named]]), y, sample_weight=task_weights(tasks))
    (a, c), b = platt.coef_[0], float(platt.intercept_[0])
    out = a * w
    out[named] += c
    return out, b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("index/ranker.json"))
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation strength")
    ap.add_argument("--listwise", type=float, metavar="LAMBDA",
                    help="fit the order with a listwise loss and this L2 weight, then scale it "
                         "to a probability (Platt), instead of a logistic regression")
    ap.add_argument("--also", nargs=2, action="append", default=[], metavar=("CLEF", "DIR"),
                    help="another task's folder and data dir whose train claims join the fit "
                         "(2A tweets); each task's candidates then weigh the same in total")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    from index.embedder import MiniLM

    embedder = MiniLM()
    lib = Library(Store(sqlite_url(args.data_dir)), embedder, args.data_dir)
    lib.load()
    tasks = [(args.clef, lib, VARIANTS)]
    for clef, ddir in args.also:
        other = Library(Store(sqlite_url(Path(ddir))), embedder, Path(ddir))
        other.load()
        tasks.append((Path(clef), other, VARIANTS[::2]))  # tweets have no context
    parts = [[p for ctx, dated in variants for p in pools(tl, clef, "train", ctx, dated)]
             for clef, tl, variants in tasks]
    train = [p for part in parts for p in part]
    x = np.vstack([p[0] for p in train])
    y = np.concatenate([p[1] for p in train])
    if args.listwise is not None:
        w, b = calibrated(parts, fit_listwise(parts, args.listwise))
        how = f"listwise softmax loss, L2 {args.listwise}, scaled by Platt"
    else:
        model = LogisticRegression(C=args.c, max_iter=5000).fit(x, y,
                                                                 sample_weight=task_weights(parts))
        w, b = model.coef_[0], float(model.intercept_[0])
        how = f"logistic regression C={args.c}"
    print(f"{len(train)} train pools, {len(y)} candidates, {int(y.sum())} relevant")
    for clef, tl, variants in tasks:
        for ctx, dated in variants:
            data = pools(tl, clef, "train", ctx, dated)
            print(f"MAP@5 {clef.name} train{' with context' if ctx else ''}"
                  f"{'' if dated else ' undated'}: {map_at_5(data, w, b):.4f}")
    names = " + ".join(f"{clef.name} train" for clef, _, _ in tasks)
    args.out.write_text(json.dumps({
        "features": list(FEATURES), "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "trained_on": f"CLEF-2021 CheckThat! {names} ({len(train)} claim pools: each claim "
                      f"with and without its context and its date; each task weighed the "
                      f"same), {how}"}, indent=1) + "\n")
    print("weights:", ", ".join(f"{n} {v:+.3f}" for n, v in zip(FEATURES, w, strict=True)),
          f"bias {b:+.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
