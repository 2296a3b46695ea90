"""Score extraction on the seed article against its expected statements (path as argument)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpora.extract import Extractor
from corpora.readers import read_path


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("seed", type=Path, help="folder with article.json and expected.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    expected = json.loads((args.seed / "expected.json").read_text())
    article = read_path(args.seed / expected["article"])[0]
    found = Extractor().extract(article)
    hit = speaker_ok = 0
    for q in expected["quotes"]:
        gold = (q["start"], q["end"])
        best = max(found, key=lambda a: max(overlap(gold, s) for s in a.content_spans),
                   default=None)
        score = max((overlap(gold, s) for s in best.content_spans), default=0) if best else 0
        ok = score >= 0.5
        hit += ok
        spk = best.speaker.name if best else None
        s_ok = ok and spk == q["speaker"]
        speaker_ok += s_ok
        if args.verbose or not s_ok:
            print(f"{'OK ' if s_ok else 'BAD'} iou={score:.2f} gold={q['speaker']!r} "
                  f"got={spk!r} via={best.via if best else None!r} "
                  f"when={best.when if best else None} | {q['content'][:60]}")
    print(f"found {hit}/{len(expected['quotes'])}, right speaker {speaker_ok}, "
          f"extracted {len(found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
