"""Train the speaker chooser's model on PolNeAR train and write `speaker_model.json`.

Usage: .venv/bin/python scripts/train_speakers.py ../shared/data/polnear [--C 1] [--margin 1]
       [--cache /tmp/train.spacy] [--out corpora/extract/speaker_model.json]

The C and margin default to those `cv_speakers.py` chose by five-fold cross-validation on
train: the best end-to-end quote F1 (docs/attribution.md). The model is fitted on every train
article as `cv_speakers.py` fits each fold's, weights under `--min-weight` in magnitude are
left out, and the file is written with sorted keys. Only train is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cv_speakers import fit, items_of, parsed
from eval_attribution import load_split

from corpora.extract import chooser
from corpora.extract.article import ParsedArticle
from corpora.extract.passes import run_passes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--margin", type=float, default=1.0)
    ap.add_argument("--min-weight", type=float, default=0.005)
    ap.add_argument("--cache", type=Path, help="where to keep train's parses between runs")
    ap.add_argument("--out", type=Path, default=Path("corpora/extract/speaker_model.json"))
    args = ap.parse_args()
    data = load_split(args.polnear, "train")
    docs = parsed([a for a, _ in data], args.cache)
    items = []
    for (article, golds), doc in zip(data, docs, strict=True):
        art = ParsedArticle(article, doc)
        items.extend(items_of(art, run_passes(art), golds))
    weights = {k: round(v, 4) for k, v in fit(items, args.C).items()
               if abs(v) >= args.min_weight}
    model = chooser.SpeakerModel(
        weights=weights, margin=args.margin,
        trained_on=f"PolNeAR v1.0 train ({len(data)} articles), C={args.C}")
    args.out.write_bytes(chooser.dump_model(model))
    print(f"wrote {args.out}: {len(weights)} weights from {len(items)} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
