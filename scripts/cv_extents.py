"""A small learned tagger that redraws each quote's extent, cross-validated on PolNeAR train.

Usage: .venv/bin/python scripts/cv_extents.py ../shared/data/polnear [--folds 5]
       [--epochs 6 8] [--thresholds 0.3 0.4 0.5] [--only-folds 0 1] [--limit N]

The extractor runs over train. For each direct or mixed statement it finds, the tagger reads
the tokens within 120 characters of it: the parser's own token vectors (`doc.tensor`, which
the pipeline computes anyway), embeddings of the 400 commonest lemmas, part of speech,
dependency and entity, and flags for the statement's extent, quotation marks, being inside a
quotation, sentence starts and mixed statements. A two-layer bidirectional LSTM (128 units)
tags each token in or out of the content; labels are the tokens of the gold quote content the
statement overlaps best. Folds are by article: for each, the tagger is trained on the others
(Adam, learning rate falling linearly to 0 at the last epoch count, gradients clipped) and, at
each epoch count, redraws the held-out statements: the tokens tagged in become the extent,
unless none is, the new extent misses the old one, or it holds no quotation; a direct
statement's marks are trimmed as the passes trim them. It prints what `eval_attribution.py`
would for each fold, epoch count and threshold, and pooled over the folds: quote F1,
end-to-end F1, all-relations F1. Only train is read; nothing is written. About 7 minutes per
fold on two cores.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import torch
from eval_attribution import (
    Gold,
    iou,
    is_quote,
    load_split,
    match,
    prf,
    spans_to_chars,
    speaker_ok,
)

from corpora.extract import load_nlp, parse
from corpora.extract.article import ParsedArticle
from corpora.extract.finish import finish
from corpora.extract.passes import run_passes
from corpora.extract.spans import QUOTE_CHARS
from corpora.quotes import DOUBLED
from corpora.types import Attribution, Kind, Span

HIDDEN, LAYERS, MARGIN, LEMMAS, BATCH = 128, 2, 120, 400, 32
EMBED = {"lemmas": 16, "pos": 8, "dep": 8, "ent": 8}


N_FLAGS = 5


@dataclass(frozen=True, slots=True)
class Vocab:
    """The closed vocabularies the tagger embeds: index 0 is anything not listed."""

    lemmas: dict[str, int]
    pos: dict[str, int]
    dep: dict[str, int]
    ent: dict[str, int]

    @classmethod
    def of(cls, lists: dict[str, list[str]]) -> Vocab:
        """From lists of strings, numbered from 1."""
        def number(xs: list[str]) -> dict[str, int]:
            return {x: i + 1 for i, x in enumerate(xs)}
        return cls(number(lists["lemmas"]), number(lists["pos"]), number(lists["dep"]),
                   number(lists["ent"]))


@dataclass(frozen=True, slots=True)
class Window:
    """One statement as the tagger reads it: its tokens and their features."""

    tokens: np.ndarray  # token indexes into the doc, in order, no whitespace tokens
    ids: np.ndarray  # (n, 4) lemma, part of speech, dependency, entity indexes
    flags: np.ndarray  # (n, N_FLAGS) float: in the extent, a mark, in a quotation, ...
    vectors: np.ndarray  # (n, width) the parser's token vectors


def window(art: ParsedArticle, starts: list[int], spans: list[Span], kind: str, vocab: Vocab,
           margin: int) -> Window:
    """The tokens within `margin` characters of a statement, with their features (`starts`:
    each token's offset in the article)."""
    doc = art.doc
    lo, hi = spans[0][0] - margin, spans[-1][1] + margin
    first = max(0, bisect.bisect_right(starts, lo) - 1)
    last = bisect.bisect_left(starts, hi)
    toks = [i for i in range(first, last)
            if doc[i].idx + len(doc[i]) > lo and not doc[i].is_space]
    ids = np.zeros((len(toks), 4), dtype=np.int64)
    flags = np.zeros((len(toks), N_FLAGS), dtype=np.float32)
    mixed = float(kind == "mixed")
    for r, i in enumerate(toks):
        t = doc[i]
        s, e = t.idx, t.idx + len(t.text)
        ids[r] = (vocab.lemmas.get(t.lemma_.lower(), 0), vocab.pos.get(t.pos_, 0),
                  vocab.dep.get(t.dep_, 0), vocab.ent.get(t.ent_iob_ + t.ent_type_, 0))
        flags[r] = (any(a < e and s < b for a, b in spans),
                    bool(QUOTE_CHARS & set(t.text)) or t.text in {"''", "``"},
                    art.token_quote[i] >= 0, bool(t.is_sent_start), mixed)
    vectors = doc.tensor[toks] if len(toks) and doc.tensor.ndim == 2 else np.zeros(
        (len(toks), 0), dtype=np.float32)
    return Window(np.asarray(toks, dtype=np.int64), ids, flags, vectors.astype(np.float32))


def tagged_spans(art: ParsedArticle, w: Window, probs: np.ndarray,
                 threshold: float) -> list[Span]:
    """The spans of the tokens tagged in, joined over the spaces between neighbours."""
    out: list[list[int]] = []
    for i, p in zip(w.tokens.tolist(), probs.tolist(), strict=True):
        if p < threshold:
            continue
        s = art.doc[i].idx
        e = s + len(art.doc[i].text)
        if out and not art.text[out[-1][1]:s].strip():
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _inside_marks(text: str, s: int, e: int) -> Span:
    """A quoted span without its quotation marks, outer spaces and trailing commas, as the
    passes give a direct statement's words."""
    while s < e and (text[s].isspace() or text[s] in QUOTE_CHARS or text.startswith(DOUBLED, s)):
        s += 2 if text.startswith(DOUBLED, s) else 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTE_CHARS or text[e - 1] in ",;:"
                     or text.endswith(DOUBLED, s, e)):
        e -= 2 if text.endswith(DOUBLED, s, e) else 1
    return s, e


def tag(art: ParsedArticle, items: list[Attribution], tagger: Tagger
        ) -> list[tuple[int, Window, np.ndarray]]:
    """Each direct or mixed statement's index, window and tokens' probabilities."""
    starts = art.doc.to_array("IDX").tolist()
    picked, windows = [], []
    for k, a in enumerate(items):
        if a.kind in {"direct", "mixed"}:
            w = window(art, starts, a.content_spans, a.kind, tagger.vocab, MARGIN)
            if len(w.tokens):
                picked.append(k)
                windows.append(w)
    return list(zip(picked, windows, tagger.probs(windows), strict=True))


def redraw(art: ParsedArticle, items: list[Attribution],
           drawn: list[tuple[int, list[Span]]], trim: bool = True) -> list[Attribution]:
    """The attributions with statement k's extent redrawn as the spans a tagger drew for it.

    A statement keeps its extent where the tagger tags nothing, where the new extent does not
    overlap the old one, or where it would hold no quotation; its kind follows the new extent
    (direct when every word is quoted, mixed otherwise). With `trim`, a direct statement loses
    its quotation marks, as the passes draw it.
    """
    out = list(items)
    for k, spans in drawn:
        a = items[k]
        if not spans or not spans_to_chars(spans) & spans_to_chars(a.content_spans):
            continue
        quoted = [art.token_quote[i] >= 0 for s in spans for i in art.tokens_in(s)
                  if not art.doc[i].is_punct]
        if not any(quoted):
            continue
        kind: Kind = "direct" if all(quoted) else "mixed"
        if trim and kind == "direct":  # a direct statement's words go without their marks
            spans = [t for t in (_inside_marks(art.text, s, e) for s, e in spans) if t[0] < t[1]]
        if not spans:
            continue
        out[k] = msgspec.structs.replace(
            a, content_spans=spans, kind=kind,
            text=" … ".join(art.article.text[s:e] for s, e in spans))
    out.sort(key=lambda a: (a.content_spans[0][0], -a.content_spans[-1][1]))
    return out


class Net(torch.nn.Module):
    """Embeddings and flags into a two-layer bidirectional LSTM, one in/out score per token."""

    def __init__(self, vocab: Vocab, width: int) -> None:
        super().__init__()
        self.embed = torch.nn.ModuleDict({
            k: torch.nn.Embedding(len(getattr(vocab, k)) + 1, d) for k, d in EMBED.items()})
        n_in = width + sum(EMBED.values()) + N_FLAGS
        self.drop = torch.nn.Dropout(0.2)
        self.lstm = torch.nn.LSTM(n_in, HIDDEN, num_layers=LAYERS, bidirectional=True,
                                  batch_first=True, dropout=0.2)
        self.out = torch.nn.Linear(2 * HIDDEN, 2)

    def forward(self, vectors: torch.Tensor, ids: torch.Tensor, flags: torch.Tensor,
                lengths: torch.Tensor) -> torch.Tensor:
        parts = [vectors] + [self.embed[k](ids[..., i]) for i, k in enumerate(EMBED)] + [flags]
        x = self.drop(torch.cat(parts, -1))
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                         enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = torch.nn.utils.rnn.pad_packed_sequence(h, batch_first=True)
        return self.out(self.drop(h))


@dataclass
class Tagger:
    """A trained net with the vocabularies it embeds."""

    net: Net
    vocab: Vocab

    def probs(self, windows: list[Window]) -> list[np.ndarray]:
        """For each window, each token's probability of being in the statement's content."""
        if not windows:
            return []
        self.net.eval()
        with torch.no_grad():
            vectors, ids, flags, lengths, _ = batch(
                [(w, np.zeros(len(w.tokens), dtype=np.int64)) for w in windows])
            p = torch.softmax(self.net(vectors, ids, flags, lengths), -1)[..., 1].numpy()
        return [p[j, :len(w.tokens)] for j, w in enumerate(windows)]


def make_vocab(arts: list[ParsedArticle]) -> Vocab:
    """Lemmas frequent in these articles; every part of speech, dependency and entity seen."""
    lemmas: Counter[str] = Counter()
    pos, dep, ent = set(), set(), set()
    for art in arts:
        for t in art.doc:
            lemmas[t.lemma_.lower()] += 1
            pos.add(t.pos_)
            dep.add(t.dep_)
            ent.add(t.ent_iob_ + t.ent_type_)
    return Vocab.of({"lemmas": [w for w, _ in lemmas.most_common(LEMMAS)],
                     "pos": sorted(pos), "dep": sorted(dep), "ent": sorted(ent)})


def best_overlap(own: set[int], quotes: list[set[int]]) -> set[int]:
    """The gold quote content a statement's characters overlap best (by IoU), or nothing."""
    overlaps = [(iou(own, g), j) for j, g in enumerate(quotes) if own & g]
    return quotes[max(overlaps)[1]] if overlaps else set()


def examples(art: ParsedArticle, preds: list[Attribution], golds: list[Gold],
             vocab: Vocab) -> list[tuple[Window, np.ndarray]]:
    """Each direct or mixed statement's window with its tokens' labels."""
    quotes = [g.chars for g in golds if is_quote(g.text)]
    starts = art.doc.to_array("IDX").tolist()
    out = []
    for p in preds:
        if p.kind not in {"direct", "mixed"}:
            continue
        own = spans_to_chars(p.content_spans)
        gold = best_overlap(own, quotes)
        w = window(art, starts, p.content_spans, p.kind, vocab, MARGIN)
        labels = np.array([any(c in gold for c in range(art.doc[i].idx,
                                                        art.doc[i].idx + len(art.doc[i])))
                           for i in w.tokens.tolist()], dtype=np.int64)
        out.append((w, labels))
    return out


def batch(items: list[tuple[Window, np.ndarray]]) -> tuple[torch.Tensor, ...]:
    n = max(len(w.tokens) for w, _ in items)

    def pad(arrays: list[np.ndarray], value: float, dtype: Any) -> torch.Tensor:
        out = np.full((len(arrays), n, *arrays[0].shape[1:]), value, dtype=dtype)
        for i, a in enumerate(arrays):
            out[i, :len(a)] = a
        return torch.from_numpy(out)

    return (pad([w.vectors for w, _ in items], 0, np.float32),
            pad([w.ids for w, _ in items], 0, np.int64),
            pad([w.flags for w, _ in items], 0, np.float32),
            torch.tensor([len(w.tokens) for w, _ in items]),
            pad([lab for _, lab in items], -100, np.int64))


def train(items: list[tuple[Window, np.ndarray]], vocab: Vocab,
          checkpoints: list[int]) -> dict[int, Net]:
    """Train on windows, the learning rate falling linearly to 0 at the last checkpoint;
    a copy of the net after each epoch count in `checkpoints`."""
    random.seed(0)
    torch.manual_seed(0)
    items = [x for x in items if len(x[0].tokens)]
    net = Net(vocab, items[0][0].vectors.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    steps = max(checkpoints) * -(-len(items) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1.0 - s / steps))
    out = {}
    t = time.perf_counter()
    for epoch in range(1, max(checkpoints) + 1):
        net.train()
        total = 0.0
        # batches of similar lengths, in random order
        order = sorted(range(len(items)),
                       key=lambda i: len(items[i][0].tokens) + random.random() * 8)
        batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
        random.shuffle(batches)
        for b in batches:
            vectors, ids, flags, lengths, labels = batch([items[i] for i in b])
            logits = net(vectors, ids, flags, lengths)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 2),
                                                     labels[:, :logits.shape[1]].reshape(-1),
                                                     ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
        print(f"  epoch {epoch}: loss {total:.1f} ({time.perf_counter() - t:.0f} s)", flush=True)
        if epoch in checkpoints:
            out[epoch] = copy.deepcopy(net)
    return out


def counts(preds: list[Attribution], golds: list[Gold]) -> np.ndarray:
    """Quote tp, predictions, gold; end-to-end right; all-relations tp, predictions, gold."""
    qp = [p for p in preds if p.kind in {"direct", "mixed"}]
    qg = [g for g in golds if is_quote(g.text)]
    pairs = match(qp, qg)
    right = sum(speaker_ok(qp[i], qg[j]) for i, j in pairs)
    return np.array([len(pairs), len(qp), len(qg), right, len(match(preds, golds)),
                     len(preds), len(golds)])


def report(name: str, c: np.ndarray) -> float:
    q = prf(int(c[0]), int(c[1]), int(c[2]))[2]
    print(f"{name}: quotes F1 {q:.4f} (tp {c[0]}, pred {c[1]}, gold {c[2]}); end to end "
          f"{prf(int(c[3]), int(c[1]), int(c[2]))[2]:.4f}; all relations "
          f"{prf(int(c[4]), int(c[5]), int(c[6]))[2]:.4f}", flush=True)
    return q


def extracted_train(root: Path, limit: int | None
                    ) -> tuple[list[ParsedArticle], list[list[Gold]], list[list[Attribution]]]:
    """PolNeAR train's articles parsed, their gold relations, and what the extractor finds."""
    data = load_split(root, "train")[:limit]
    arts = [ParsedArticle(a, doc) for (a, _), doc in zip(
        data, parse(load_nlp(), [a for a, _ in data]), strict=True)]
    return arts, [g for _, g in data], [finish(art, run_passes(art)) for art in arts]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only-folds", type=int, nargs="+", help="run these folds only")
    ap.add_argument("--epochs", type=int, nargs="+", default=[6, 8])
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5])
    ap.add_argument("--limit", type=int, help="only the first N train articles")
    args = ap.parse_args()
    arts, golds, base = extracted_train(args.polnear, args.limit)
    print(f"train: {len(arts)} articles parsed and extracted", flush=True)
    folds = args.only_folds if args.only_folds is not None else range(args.folds)
    pooled: dict[tuple[int, float], np.ndarray] = {}
    pooled_base = np.zeros(7, dtype=np.int64)
    for fold in folds:
        held = [i for i in range(len(arts)) if i % args.folds == fold]
        rest = [i for i in range(len(arts)) if i % args.folds != fold]
        vocab = make_vocab([arts[i] for i in rest])
        items = [x for i in rest for x in examples(arts[i], base[i], golds[i], vocab)]
        print(f"fold {fold}: {len(items)} statements to learn from, {len(held)} articles held "
              "out", flush=True)
        fold_base = sum((counts(base[i], golds[i]) for i in held), np.zeros(7, dtype=np.int64))
        pooled_base += fold_base
        report(f"fold {fold} without the tagger", fold_base)
        for epochs, net in train(items, vocab, args.epochs).items():
            tagged = {i: tag(arts[i], base[i], Tagger(net, vocab)) for i in held}
            for threshold in args.thresholds:
                c = sum((counts(redraw(arts[i], base[i], [
                    (k, tagged_spans(arts[i], w, p, threshold)) for k, w, p in tagged[i]]),
                    golds[i]) for i in held), np.zeros(7, dtype=np.int64))
                pooled[(epochs, threshold)] = pooled.get((epochs, threshold), 0) + c
                report(f"fold {fold}, {epochs} epochs, threshold {threshold}", c)
    print("pooled over the folds:")
    report("  without the tagger", pooled_base)
    scores = {key: report(f"  {key[0]} epochs, threshold {key[1]}", c)
              for key, c in pooled.items()}
    epochs, threshold = max(scores, key=lambda k: (scores[k], -k[0]))
    print(f"best quote F1: {epochs} epochs, threshold {threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
