"""How far PolNeAR's annotators agree with each other, by eval_attribution's own measures.

Usage: .venv/bin/python scripts/eval_agreement.py ../shared/data/polnear [--split train]

Some articles of a split were annotated by several annotators (16 of train, 2 of dev). Over
every ordered pair of two annotators of one article, one annotator's relations are scored
as predictions against the other's as gold, with `eval_attribution.py`'s matching (IoU 0.5,
greedy, one to one): direct+mixed quote F1, speaker accuracy on matched quotes and
end-to-end F1, pooled over the pairs. The extractor is scored the same way against each
annotator of those articles. Where annotators agree with each other less than a target asks
of the extractor, the target lies beyond what the annotation can tell apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from itertools import permutations
from pathlib import Path

from eval_attribution import Gold, is_quote, load_split, match_chars, prf, read_ann, spans_to_chars

from corpora.extract import Extractor
from corpora.types import Attribution


class Tally:
    """Pooled counts: quotes matched, predicted and gold, and matched with the right source."""

    def __init__(self) -> None:
        self.tp = self.pred = self.gold = self.right = 0

    def add(self, pred: list[tuple[set[int], set[int] | None]], gold: list[Gold]) -> None:
        """One article's quotes, as content and source character sets, against a gold list."""
        qg = [g for g in gold if is_quote(g.text)]
        pairs = match_chars([c for c, _ in pred], [g.chars for g in qg])
        self.tp += len(pairs)
        self.pred += len(pred)
        self.gold += len(qg)
        for i, j in pairs:
            src, gsrc = pred[i][1], qg[j].source
            self.right += (src is None and gsrc is None) or bool(src and gsrc and src & gsrc)

    def line(self, label: str) -> str:
        """The pooled figures, printed as eval_attribution prints them."""
        p, r, f = prf(self.tp, self.pred, self.gold)
        _, _, e2e = prf(self.right, self.pred, self.gold)
        acc = self.right / self.tp if self.tp else 0.0
        return (f"{label}: quotes P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {self.tp}, pred {self.pred}, "
                f"gold {self.gold}); speaker accuracy {acc:.3f}; end-to-end F1 {e2e:.3f}")


def as_pred(gold: list[Gold]) -> list[tuple[set[int], set[int] | None]]:
    """An annotator's quotes read as predictions."""
    return [(g.chars, g.source) for g in gold if is_quote(g.text)]


def extracted(attributions: list[Attribution]) -> list[tuple[set[int], set[int] | None]]:
    """The extractor's direct and mixed statements as content and speaker character sets."""
    out = []
    for a in attributions:
        if a.kind in {"direct", "mixed"}:
            span = a.speaker.mention_span
            out.append((spans_to_chars(a.content_spans), set(range(*span)) if span else None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="train")
    args = ap.parse_args()
    by_article: dict[str, list[Path]] = defaultdict(list)
    for p in sorted((args.polnear / args.split / "attributions").glob("*.ann")):
        by_article[re.sub(r"_[0-9a-f]{4}$", "", p.stem)].append(p)
    several = {k: v for k, v in by_article.items() if len(v) > 1}
    articles = [a for a, _ in load_split(args.polnear, args.split) if a.id in several]
    print(f"split {args.split}: {len(articles)} articles with several annotators "
          f"({sum(len(several[a.id or '']) for a in articles)} annotations)")
    people, machine = Tally(), Tally()
    preds = Extractor().extract_many(articles)
    for article, attributions in zip(articles, preds, strict=True):
        anns = [read_ann(p) for p in several[article.id or ""]]
        for a, b in permutations(range(len(anns)), 2):
            people.add(as_pred(anns[a]), anns[b])
        for gold in anns:
            machine.add(extracted(attributions), gold)
    print(people.line("annotator against annotator"))
    print(machine.line("  extractor against annotator"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
