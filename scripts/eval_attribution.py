"""Attribution quality on a PolNeAR split: P/R/F1 for quotes and all relations, speakers, speed.

Usage: .venv/bin/python scripts/eval_attribution.py ../shared/data/polnear [--split dev]

Definitions (kept fixed so numbers stay comparable):
- A predicted content matches a gold content when the intersection over union of their
  character sets is at least 0.5; pairs are matched greedily one to one, best IoU first.
- "Quotes" are gold contents containing a quotation mark (“, ”, " or two apostrophes '', as the
  New York Times articles of PolNeAR type both ends), and predictions of kind direct/mixed.
  The figures by the former definition, which did not count '', are printed as well.
- Speaker accuracy: on matched quotes, the predicted speaker mention overlaps the gold Source.
- End-to-end F1: a quote counts only when its content matches and its speaker is right.
- Throughput: articles per second of extraction, model loading excluded.

With --speaker-errors it also sorts the matched quotes whose speaker is wrong by what went
wrong (see `speaker_error`). With --bootstrap N it draws N samples of articles with replacement
(as many as the split holds, or --sample-size of them) and prints the 2.5th and 97.5th
percentiles of quote F1 and end-to-end F1 over them: how far a figure on a split of that size
moves with which articles it happens to hold.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpora import lexicon
from corpora.extract import Extractor
from corpora.quotes import DOUBLED
from corpora.types import Article, Attribution

QUOTE_MARKS = set("\"“”")


def is_quote(text: str, doubled: bool = True) -> bool:
    """Whether a gold content holds a quotation mark (with `doubled`, '' counts as one)."""
    return bool(QUOTE_MARKS & set(text)) or (doubled and DOUBLED in text)


@dataclass
class Gold:
    chars: set[int]
    text: str
    source: set[int] | None


def spans_to_chars(spans: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def read_ann(path: Path) -> list[Gold]:
    """The Attribution relations of one brat file, with content and source character sets."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue  # a malformed line in the annotation: skip it, never crash
            tid, info = parts[0], parts[1]
            surface = parts[2] if len(parts) > 2 else ""
            label, _, offsets = info.partition(" ")
            pieces = [tuple(int(x) for x in p.split()) for p in offsets.split(";")]
            spans[tid] = (label, pieces, surface)  # type: ignore[assignment]
        elif line.startswith("E"):
            relations.append(dict(r.split(":") for r in line.split("\t")[1].split()))
    out = []
    for rel in relations:
        content = rel.get("Content")
        if content not in spans:
            continue
        _, pieces, surface = spans[content]
        src = rel.get("Source")
        out.append(Gold(spans_to_chars(pieces), surface,
                        spans_to_chars(spans[src][1]) if src in spans else None))
    return out


def load_split(root: Path, split: str) -> list[tuple[Article, list[Gold]]]:
    meta: dict[str, dict[str, str]] = {}
    lines = (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        meta[row["filename"]] = row
    anns: dict[str, Path] = {}
    for p in sorted((root / split / "attributions").glob("*.ann")):
        stem = re.sub(r"_[0-9a-f]{4}$", "", p.stem)
        anns.setdefault(stem, p)  # several annotators: use the first
    out = []
    for txt in sorted((root / split / "text").glob("*.txt")):
        if txt.stem not in anns:
            continue
        m = meta.get(txt.stem, {})
        wire = m.get("wire") if m.get("wire") not in (None, "", "None") else None
        article = Article(text=txt.read_text(encoding="utf-8"), id=txt.stem,
                          outlet=m.get("publisher"), published=m.get("publication_date"),
                          author=m.get("author"), title=m.get("title"),
                          source=wire)
        out.append((article, read_ann(anns[txt.stem])))
    return out


def iou(a: set[int], b: set[int]) -> float:
    """Intersection over union of two character sets (0 when they do not meet)."""
    inter = len(a & b)
    return inter / len(a | b) if inter else 0.0


def match(pred: list[Attribution], gold: list[Gold]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (pred index, gold index) with IoU >= 0.5."""
    return match_chars([spans_to_chars(p.content_spans) for p in pred], [g.chars for g in gold])


def match_chars(pchars: list[set[int]], gchars: list[set[int]]) -> list[tuple[int, int]]:
    """`match` over character sets: greedy one-to-one pairs with IoU >= 0.5, best first."""
    pairs = []
    for i, pc in enumerate(pchars):
        for j, g in enumerate(gchars):
            score = iou(pc, g)
            if score >= 0.5:
                pairs.append((score, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def speaker_ok(p: Attribution, g: Gold) -> bool:
    if g.source is None:
        return p.speaker.mention_span is None
    if p.speaker.mention_span is None:
        return False
    s, e = p.speaker.mention_span
    return bool(set(range(s, e)) & g.source)


PRONOUNS = frozenset(lexicon.PRONOUNS_PERSON) | lexicon.PRONOUNS_GROUP | {"them", "you"}
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "that", "this", "one",
                          "some", "many", "other"})


def speaker_error(text: str, p: Attribution, g: Gold) -> str:
    """What kind of wrong a matched quote's speaker is, for `--speaker-errors`."""
    if g.source is None:
        return "the annotator credits no one; the extractor does"
    if p.speaker.mention_span is None:
        return "the extractor credits no one"
    mention = text[p.speaker.mention_span[0]:p.speaker.mention_span[1]]
    ours = mention.lower()
    theirs = text[min(g.source):max(g.source) + 1]
    before = text[max(0, min(g.source) - 30):min(g.source)].lower()
    if p.via or re.search(r"according to|reports?\s*$|reported by\s*$", before):
        return "the annotator credits the outlet or account it came through; the extractor " \
               "credits the person and keeps the outlet as `via`"
    if ours in PRONOUNS and theirs.lower() not in PRONOUNS:
        return "the extractor credits a pronoun, the annotator a name or description"
    if theirs.lower() in PRONOUNS and ours not in PRONOUNS:
        return "the annotator credits a pronoun, the extractor another mention"
    if " " not in theirs and theirs.islower():
        return "the annotator's source is one lower-case word (\"said\", \"who\", \"his\")"
    if ours.split()[-1] in theirs.lower():
        return "another mention: the same name, at another place or with less around it"
    if mention[:1].islower() or ours.split()[0] in _DETERMINERS:
        return "another mention: the extractor's is a description (\"the crowd\", \"a voice\")"
    return "another mention: someone else by name"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--processes", type=int, default=1, help="spaCy parsing processes")
    ap.add_argument("--speaker-errors", action="store_true",
                    help="also count the wrong speakers of matched quotes by kind")
    ap.add_argument("--bootstrap", type=int, default=0, metavar="N",
                    help="percentile intervals of quote and end-to-end F1 over N resamples")
    ap.add_argument("--sample-size", type=int,
                    help="articles in each resample (default: all of the split's)")
    args = ap.parse_args()
    data = load_split(args.polnear, args.split)[: args.limit]
    extractor = Extractor()
    extractor.extract(Article(text="Warm-up, she said.", id="w"))
    t = time.perf_counter()
    preds = list(extractor.extract_many([a for a, _ in data], n_process=args.processes))
    elapsed = time.perf_counter() - t
    tot = {"all": [0, 0, 0], "quote": [0, 0, 0], "former": [0, 0, 0]}
    spk_right = spk_total = e2e_tp = 0
    errors: Counter[str] = Counter()
    per_article: list[tuple[int, int, int, int]] = []  # quotes tp, pred, gold; end-to-end tp
    for (article, gold), pred in zip(data, preds, strict=True):
        tot["all"][0] += len(match(pred, gold))
        tot["all"][1] += len(pred)
        tot["all"][2] += len(gold)
        qp = [p for p in pred if p.kind in {"direct", "mixed"}]
        qg = [g for g in gold if is_quote(g.text)]
        former = [g for g in gold if is_quote(g.text, doubled=False)]
        tot["former"][0] += len(match(qp, former))
        tot["former"][1] += len(qp)
        tot["former"][2] += len(former)
        pairs = match(qp, qg)
        tot["quote"][0] += len(pairs)
        tot["quote"][1] += len(qp)
        tot["quote"][2] += len(qg)
        right_here = 0
        for i, j in pairs:
            ok = speaker_ok(qp[i], qg[j])
            right_here += ok
            if not ok:
                errors[speaker_error(article.text, qp[i], qg[j])] += 1
        spk_right += right_here
        spk_total += len(pairs)
        e2e_tp += right_here
        per_article.append((len(pairs), len(qp), len(qg), right_here))
    print(f"split {args.split}: {len(data)} articles")
    for name, label in (("quote", "direct+mixed quotes"), ("all", "all relations"),
                        ("former", "quotes without ''")):
        tp, n_pred, n_gold = tot[name]
        p, r, f = prf(tp, n_pred, n_gold)
        print(f"{label:>20}: P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {tp}, pred {n_pred}, "
              f"gold {n_gold})")
    acc = spk_right / spk_total if spk_total else 0.0
    _, _, e2e = prf(e2e_tp, tot["quote"][1], tot["quote"][2])
    print(f"speaker accuracy on matched quotes: {acc:.3f} ({spk_right}/{spk_total})")
    print(f"end-to-end quote F1 (content and speaker): {e2e:.3f}")
    print(f"throughput: {len(data) / elapsed:.1f} articles/s ({elapsed:.1f}s, "
          f"{args.processes} process(es))")
    if args.speaker_errors:
        print(f"wrong speakers of matched quotes: {spk_total - spk_right}")
        for kind, n in errors.most_common():
            print(f"  {n:>5}  {kind}")
    if args.bootstrap:
        print_bootstrap(per_article, args.bootstrap, args.sample_size or len(per_article))
    return 0


def print_bootstrap(per_article: list[tuple[int, int, int, int]], n: int, size: int,
                    seed: int = 0) -> None:
    """The 95% percentile intervals of quote and end-to-end F1 over `n` resamples of `size`
    articles drawn with replacement."""
    rng = random.Random(seed)
    quote: list[float] = []
    e2e: list[float] = []
    for _ in range(n):
        tp = n_pred = n_gold = right = 0
        for a_tp, a_pred, a_gold, a_right in rng.choices(per_article, k=size):
            tp, n_pred, n_gold, right = tp + a_tp, n_pred + a_pred, n_gold + a_gold, right + a_right
        quote.append(prf(tp, n_pred, n_gold)[2])
        e2e.append(prf(right, n_pred, n_gold)[2])
    for name, values in (("direct+mixed quote F1", quote), ("end-to-end quote F1", e2e)):
        values.sort()
        lo, hi = values[int(0.025 * (n - 1))], values[int(0.975 * (n - 1))]
        print(f"{name}: 95% of {n} resamples of {size} articles within {lo:.3f} to {hi:.3f}")


if __name__ == "__main__":
    sys.exit(main())
