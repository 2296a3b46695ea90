"""Cross-validate a claim-side linear adapter over the frozen MiniLM vectors (tried, not adopted).

Usage: .venv/bin/python scripts/cv_adapter.py --task ../shared/data/clef2021-2b D
       --task ../shared/data/clef2021-2a D2 [--folds 5] [--epochs 5] [--lr 3e-4] [--tau 0.05]
Each D holds that task's imported statements (scripts/eval_matching.py --data-dir D).

The adapter maps a claim's vector q to normalise(q + qW), W a 384x384 matrix that starts at
zero; the statements' vectors stay as stored, so the indexes need no rebuild. For each fold
(by debate for 2B, by tweet for 2A) W is trained on the other folds' train claims of every
task, read alone and in their context, with a softmax over all of the task's statements
(the relevant ones as targets, temperature --tau, Adam). Printed:
- dense retrieval alone on the held-out claims, without and with the adapter: P@1, MAP@5
  and the share of relevant statements among the 100 nearest;
- the ranker's held-out MAP@5 and P@1 (logistic, C=3, each task weighed the same, folds as
  above, as scripts/cv_ranker.py --joint --balanced) over candidate pools drawn for the claims
  as they are and as adapted (every claim's adapter was trained without its fold).
Only train splits are read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cv_ranker import fold_of, held_out, logistic
from eval_matching import ap_at_5, claims_for, is_2a
from train_ranker import VARIANTS, pools

from corpora.types import ClaimIn
from index.embedder import MiniLM
from index.matcher import ClaimQuery
from index.service import Library
from index.store import Store, sqlite_url


class Task:
    """One task's statements (as stored vectors) and train claims (vectors, folds, targets)."""

    def __init__(self, clef: Path, lib: Library, folds: int) -> None:
        self.clef, self.lib = clef, lib
        self.name = "2A" if is_2a(clef) else "2B"
        view = lib.snapshot
        ids = [int(i) for i in view.ids()]
        ext: dict[int, str | None] = {}
        for k in range(0, len(ids), 2000):
            ext.update({sid: st.external_id
                        for sid, st in lib.store.statements(ids[k:k + 2000]).items()})
        row = {ext[i]: j for j, i in enumerate(ids)}
        self.statements = torch.from_numpy(view.vectors(ids))
        claims, qrels = claims_for(clef, "train")
        ins = [ClaimIn(claim=c["claim"], id=c["id"], speaker=c["speaker"],
                       context=c["context"]) for c in claims]
        qs = lib.queries(ins)
        self.alone = np.stack([q.vector for q in qs])
        self.in_context = np.stack([q.vector if q.context_vector is None else q.context_vector
                                    for q in qs])
        self.fold = np.array([fold_of(c["id"], self.name == "2A", folds) for c in claims])
        self.targets = [[row[e] for e in qrels[c["id"]] if e in row] for c in claims]

    def examples(self, keep: np.ndarray) -> tuple[torch.Tensor, list[list[int]]]:
        """The kept claims' vectors, alone and (for debates) in context, with their targets."""
        rows = [i for i in np.flatnonzero(keep) if self.targets[i]]
        vecs = [self.alone[rows]] + ([self.in_context[rows]] if self.name == "2B" else [])
        return (torch.from_numpy(np.concatenate(vecs)),
                [self.targets[i] for i in rows] * len(vecs))


def adapt(w: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.normalize(q + q @ w, dim=-1)


def train(tasks: list[Task], fold: int, epochs: int, lr: float, tau: float) -> torch.Tensor:
    torch.manual_seed(0)
    w = torch.zeros(MiniLM.dim, MiniLM.dim, requires_grad=True)
    opt = torch.optim.Adam([w], lr=lr)
    data = [(t, *t.examples(t.fold != fold)) for t in tasks]
    for _ in range(epochs):
        for t, vecs, targets in data:
            for batch in torch.randperm(len(targets)).split(64):
                logits = adapt(w, vecs[batch]) @ t.statements.T / tau
                mask = torch.zeros_like(logits, dtype=torch.bool)
                for r, j in enumerate(batch.tolist()):
                    mask[r, targets[j]] = True
                loss = (torch.logsumexp(logits, 1)
                        - torch.logsumexp(logits.masked_fill(~mask, -1e9), 1)).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
    return w.detach()


def dense(t: Task, vecs: np.ndarray) -> str:
    """P@1, MAP@5 and recall among the 100 nearest of dense retrieval alone."""
    keep = [i for i, tg in enumerate(t.targets) if tg]
    top = torch.topk(torch.from_numpy(vecs[keep]) @ t.statements.T, 100).indices.numpy()
    p1 = ap5 = r100 = 0.0
    for row, i in zip(top, keep, strict=True):
        rel = set(t.targets[i])
        p1 += row[0] in rel
        ap5 += ap_at_5([j in rel for j in row[:5]], len(rel))
        r100 += len(rel & set(row.tolist())) / len(rel)
    n = len(keep)
    return f"P@1 {p1 / n:.4f} MAP@5 {ap5 / n:.4f} R@100 {r100 / n:.4f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--task", nargs=2, action="append", metavar=("CLEF", "DIR"), required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--tau", type=float, default=0.05)
    args = ap.parse_args()
    torch.set_num_threads(2)
    embedder = MiniLM()
    tasks = []
    for clef, ddir in args.task:
        lib = Library(Store(sqlite_url(Path(ddir))), embedder, Path(ddir))
        lib.load()
        tasks.append(Task(Path(clef), lib, args.folds))
    adapters = [train(tasks, k, args.epochs, args.lr, args.tau) for k in range(args.folds)]
    for t in tasks:
        for label, vecs in (("alone", t.alone), ("in context", t.in_context)):
            if label == "in context" and t.name == "2A":
                continue
            out = np.zeros_like(vecs)
            for k, w in enumerate(adapters):
                out[t.fold == k] = adapt(w, torch.from_numpy(vecs[t.fold == k])).numpy()
            print(f"{t.name} dense, claims {label}: as they are {dense(t, vecs)}; "
                  f"adapted {dense(t, out)}")

    def adapted(t: Task) -> Callable[[int, ClaimQuery], ClaimQuery]:
        def change(i: int, q: ClaimQuery) -> ClaimQuery:
            w = adapters[t.fold[i]]
            ctx = q.context_vector
            return q._replace(vector=adapt(w, torch.from_numpy(q.vector)).numpy(),
                              context_vector=None if ctx is None else
                              adapt(w, torch.from_numpy(ctx)).numpy())
        return change

    for label, how in (("as they are", None), ("adapted", adapted)):
        data = {}
        for t in tasks:
            variants = VARIANTS[::2] if t.name == "2A" else VARIANTS
            data[t.name] = [(p, int(t.fold[i])) for ctx, dated in variants
                            for i, p in enumerate(pools(t.lib, t.clef, "train", ctx, dated,
                                                        how(t) if how else None))]
        print(f"ranker, claims {label}: held-out "
              f"{held_out(data, list(data), args.folds, logistic(3.0, True))}")
    for t in tasks:
        t.lib.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
