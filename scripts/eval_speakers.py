"""Speaker linking across articles on PolNeAR: pairwise precision and recall against labels.

Usage: .venv/bin/python scripts/eval_speakers.py ../shared/data/polnear --split dev \
           --labels scripts/labels/speakers-dev.tsv [--dominance 8] [--role-window 400]

The split's articles are extracted and stored, in order of publication, into a fresh SQLite
store, as `quotetrace ingest` does (without embeddings: linking never reads them). Each
labelled Source mention (`scripts/label_speakers.py`) is matched to the extracted statement
whose speaker mention overlaps it, and takes that statement's canonical speaker (or none,
unlinked).

Definitions (kept fixed so numbers stay comparable):
- Pairs are two labelled mentions in different articles, both matched by an extraction.
- A pair is gold-positive when both mentions have the same label; predicted-positive when
  both link to the same canonical speaker.
- Precision = true positive pairs / predicted-positive pairs; recall = true positive pairs /
  gold-positive pairs.
- Coverage: the share of labelled mentions some extracted statement's speaker overlaps.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlmodel import Session, col, select

from corpora.extract import Extractor
from corpora.types import Attribution
from index import linking
from index.models import StatementRow
from index.speaker_ops import Speakers
from index.store import Store, pending_from_attributions

sys.path.insert(0, str(Path(__file__).parent))
from eval_attribution import load_split


def read_labels(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """file -> [(start, end, label)] for the labelled (person) mentions."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        file, start, end, label = line.split("\t")
        if label:
            out.setdefault(file, []).append((int(start), int(end), label))
    return out


def matched(found: list[Attribution], start: int, end: int) -> int | None:
    """The index of the first attribution whose speaker mention overlaps [start, end)."""
    for i, a in enumerate(found):
        span = a.speaker.mention_span
        if span is not None and span[0] < end and start < span[1]:
            return i
    return None


def pairwise(items: list[tuple[str, str, int | None]]) -> tuple[int, int, int]:
    """(true positive, predicted positive, gold positive) pairs across articles, from
    (article, label, speaker id) per mention; counted by groups, not pair by pair."""
    def same_pairs(counts: Counter[tuple[str, ...]], by_article: Counter[tuple[str, ...]]) -> int:
        total = sum(n * (n - 1) // 2 for n in counts.values())
        within = sum(n * (n - 1) // 2 for n in by_article.values())
        return total - within

    gold = Counter((label,) for _, label, _ in items)
    gold_art = Counter((label, art) for art, label, _ in items)
    linked = [(a, lab, str(s)) for a, lab, s in items if s is not None]
    pred = Counter((s,) for _, _, s in linked)
    pred_art = Counter((s, a) for a, _, s in linked)
    both = Counter((lab, s) for _, lab, s in linked)
    both_art = Counter((lab, s, a) for a, lab, s in linked)
    return same_pairs(both, both_art), same_pairs(pred, pred_art), same_pairs(gold, gold_art)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--labels", type=Path, required=True)
    ap.add_argument("--dominance", type=float, default=linking.DOMINANCE)
    ap.add_argument("--role-window", type=int, default=linking.ROLE_WINDOW_DAYS)
    ap.add_argument("--extracted", type=Path, help="cache of the extraction (msgpack), reused")
    ap.add_argument("--relink", action="store_true",
                    help="after storing, link again what stayed unlinked (speakers relink)")
    args = ap.parse_args()
    linking.DOMINANCE = args.dominance
    linking.ROLE_WINDOW_DAYS = args.role_window
    labels = read_labels(args.labels)
    data = sorted((a for a, _ in load_split(args.polnear, args.split)),
                  key=lambda a: (a.published or "", a.id or ""))
    t = time.perf_counter()
    found = _extract(data, args.extracted)
    t_extract = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/q.db")
        t = time.perf_counter()
        ids: list[list[int]] = []
        made: list[str] = []
        for article, atts in zip(data, found, strict=True):
            stored = store.write(pending_from_attributions(article, atts), {}, article)
            ids.append(stored.statement_ids)
            made += stored.speakers_made
        # As an ingest ends: bare surnames stored before their person was known.
        waiting = Speakers(store.engine).link_waiting(made)
        print(f"surnames stored before their person: {waiting.considered} looked at, "
              f"{waiting.moved} linked")
        if args.relink:
            r = Speakers(store.engine).relink()
            print(f"relink: {r.considered} unlinked statements, {r.moved} re-keyed, "
                  f"{r.folded} folded")
        t_store = time.perf_counter() - t
        with Session(store.engine) as s:
            speaker_of = dict(s.exec(select(StatementRow.id, StatementRow.speaker_id)
                                     .where(col(StatementRow.id).is_not(None))).all())
        n_speakers = len({v for v in speaker_of.values() if v is not None})
        store.close()
    items: list[tuple[str, str, int | None]] = []
    n_labelled = 0
    for article, atts, sids in zip(data, found, ids, strict=True):
        for start, end, label in labels.get(article.id or "", []):
            n_labelled += 1
            i = matched(atts, start, end)
            if i is not None:
                items.append((article.id or "", label, speaker_of.get(sids[i])))
    tp, n_pred, n_gold = pairwise(items)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    linked = sum(1 for *_, s in items if s is not None)
    print(f"{args.split}: {len(data)} articles, {n_labelled} labelled mentions, "
          f"{len(items)} matched by an extraction ({len(items) / max(n_labelled, 1):.1%}), "
          f"{linked} of those linked; {n_speakers} canonical speakers")
    print(f"cross-article pairs: gold {n_gold}, predicted {n_pred}, both {tp}")
    print(f"linking precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}   "
          f"(dominance {linking.DOMINANCE:g}, role window {linking.ROLE_WINDOW_DAYS} days)")
    print(f"time: extract {t_extract:.1f} s, store and link {t_store:.1f} s")
    return 0


def _extract(data: list, cache: Path | None) -> list[list[Attribution]]:  # type: ignore[type-arg]
    """The attributions of each article, read from `cache` when it was written for them."""
    import msgspec

    if cache is not None and cache.exists():
        got = msgspec.msgpack.decode(cache.read_bytes(), type=list[list[Attribution]])
        if len(got) == len(data):
            return got
    found = list(Extractor().extract_many(data))
    if cache is not None:
        cache.write_bytes(msgspec.msgpack.encode(found))
    return found


if __name__ == "__main__":
    sys.exit(main())
