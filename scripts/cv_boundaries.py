"""How far a learned choice of quote boundaries could lift quote F1 on PolNeAR train.

Usage: .venv/bin/python scripts/cv_boundaries.py ../shared/data/polnear [--limit N]

Most quotes the extractor misses on PolNeAR are found with the wrong extent: the annotator's
content takes in the clause before the quotation, the frame and the next quotation, or less.
For each direct or mixed statement the extractor finds, this script lists other extents from
the parse (the quoted words only; from the start of the sentence, or from its last `that`;
to the end of the sentence; the sentence) and prints
- the quote true positives as extracted, and with the best extent of each statement chosen
  by looking at the gold (the most any choice of these extents can reach);
- the true positives when a logistic regression over the extents' features chooses, fitted
  on four folds of articles and applied to the fifth, for each C and margin (a statement
  keeps its extent unless another one's probability is higher by more than the margin).
Only train is read.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from bisect import bisect_right
from collections import defaultdict
from pathlib import Path

import numpy as np
from eval_attribution import iou, is_quote, load_split, match_chars, prf, spans_to_chars
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from corpora.extract import extract_parsed, load_nlp, parse
from corpora.types import Attribution

QUOTE_MARKS = "“”\""
FRAME = re.compile(r"\b(said|says|say|told|tells|added|adds|asked|asks|wrote|writes|"
                   r"explained|noted|according)\b")


def extents(text: str, sent: tuple[int, int], start: int, end: int) -> dict[str, tuple[int, int]]:
    """Other extents for a statement running from `start` to `end` in sentence `sent`."""
    ss, se = sent
    out = {"to-end": (start, max(end, se)), "from-start": (min(ss, start), end),
           "sentence": (min(ss, start), max(end, se))}
    marks = [i for i in range(start, end) if text[i] in QUOTE_MARKS]
    if len(marks) >= 2:
        out["quoted-only"] = (marks[0], marks[-1] + 1)
    that = list(re.finditer(r"\bthat\b", text[ss:start])) if ss < start else []
    if that:
        out["from-that"] = (ss + that[-1].start(), end)
    return out


def features(text: str, p: Attribution, name: str, span: tuple[int, int],
             sent: tuple[int, int]) -> dict[str, float]:
    """What the choice of one extent for statement `p` is learned from."""
    a, b = span
    s, e = p.content_spans[0][0], p.content_spans[-1][1]
    ss, se = sent
    f: dict[str, float] = {f"x={name}": 1, f"x={name}|kind={p.kind}": 1}
    for side, seg in (("left", text[a:s]), ("right", text[e:b])):
        if not seg.strip():
            f[f"x={name}|{side}=none"] = 1
            continue
        f[f"x={name}|{side}-words"] = min(len(seg.split()), 40) / 10
        f[f"x={name}|{side}-marks"] = sum(ch in QUOTE_MARKS for ch in seg) + seg.count("''")
        f[f"x={name}|{side}-frame"] = 1 if FRAME.search(seg) else 0
    f[f"x={name}|words"] = min(len(text[a:b].split()), 80) / 20
    f[f"x={name}|statement-words"] = min(len(text[s:e].split()), 80) / 20
    before = text[ss:s].rstrip(" “\"'")
    f[f"x={name}|after-colon"] = 1 if before.endswith(":") else 0
    f[f"x={name}|after-that"] = 1 if re.search(r"\bthat$", before) else 0
    f[f"x={name}|opens-sentence"] = 0 if before.strip() else 1
    f[f"x={name}|closes-sentence"] = 0 if text[e:se].strip(" ”\"'.,") else 1
    return f


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--limit", type=int, help="only the first N train articles")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, nargs="+", default=[0.1, 1.0])
    ap.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3])
    args = ap.parse_args()
    data = load_split(args.polnear, "train")[: args.limit]
    nlp = load_nlp()
    # per article: each quote statement's extents, as character sets with their features
    stmts: list[list[dict[str, tuple[set[int], dict[str, float]]]]] = []
    golds: list[list[set[int]]] = []
    for (article, gold), doc in zip(data, parse(nlp, (a for a, _ in data)), strict=True):
        text = article.text
        quotes = [p for p in extract_parsed(article, doc) if p.kind in {"direct", "mixed"}]
        starts = [t.idx for t in doc]
        golds.append([g.chars for g in gold if is_quote(g.text)])
        rows = []
        for p in quotes:
            s, e = p.content_spans[0][0], p.content_spans[-1][1]
            first = doc[max(0, bisect_right(starts, s) - 1)].sent
            last = doc[max(0, bisect_right(starts, e - 1) - 1)].sent
            sent = (first.start_char, last.end_char)
            own = spans_to_chars(p.content_spans)
            row = {"as-found": (own, features(text, p, "as-found", (s, e), sent))}
            for name, (a, b) in extents(text, sent, s, e).items():
                row[name] = (set(range(a, b)), features(text, p, name, (a, b), sent))
            rows.append(row)
        stmts.append(rows)
    n_pred = sum(len(r) for r in stmts)
    n_gold = sum(len(g) for g in golds)

    def tp_of(choice: dict[tuple[int, int], str]) -> int:
        return sum(len(match_chars([row[choice.get((ai, k), "as-found")][0]
                                    for k, row in enumerate(rows)], golds[ai]))
                   for ai, rows in enumerate(stmts))

    def report(label: str, tp: int) -> None:
        _, _, f = prf(tp, n_pred, n_gold)
        print(f"{label:>34}: quotes tp {tp} (pred {n_pred}, gold {n_gold}) F1 {f:.4f}")

    def best_iou(chars: set[int], gold: list[set[int]]) -> float:
        return max((iou(chars, g) for g in gold), default=0.0)

    print(f"train: {len(data)} articles, {n_pred} quote statements found")
    report("as extracted", tp_of({}))
    oracle = {(ai, k): max(row, key=lambda n: (best_iou(row[n][0], golds[ai]), n == "as-found"))
              for ai, rows in enumerate(stmts) for k, row in enumerate(rows)}
    report("best extent read off the gold", tp_of(oracle))
    keys = [(ai, k, n) for ai, rows in enumerate(stmts) for k, row in enumerate(rows) for n in row]
    labels = np.array([best_iou(stmts[ai][k][n][0], golds[ai]) >= 0.5 for ai, k, n in keys])
    vec = DictVectorizer()
    x = vec.fit_transform([stmts[ai][k][n][1] for ai, k, n in keys])
    order = list(range(len(data)))
    random.Random(0).shuffle(order)
    fold_of = {a: i % args.folds for i, a in enumerate(order)}
    folds = np.array([fold_of[ai] for ai, _, _ in keys])
    for c_value in args.c:
        prob = np.zeros(len(keys))
        for fold in range(args.folds):
            fitted = LogisticRegression(C=c_value, max_iter=3000)
            fitted.fit(x[folds != fold], labels[folds != fold])
            prob[folds == fold] = fitted.predict_proba(x[folds == fold])[:, 1]
        by: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
        for (ai, k, n), q in zip(keys, prob, strict=True):
            by[(ai, k)][n] = float(q)
        for margin in args.margins:
            choice = {}
            for key, qs in by.items():
                name = max(qs, key=lambda n: qs[n])
                if qs[name] - qs["as-found"] > margin:
                    choice[key] = name
            report(f"learned, C {c_value}, margin {margin} ({len(choice)} moved)", tp_of(choice))
    return 0


if __name__ == "__main__":
    sys.exit(main())
