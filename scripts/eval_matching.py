"""Claim matching on CLEF-2021 CheckThat! 2B (or 2A): MAP@5, MRR and P@1 via `quotetrace verify`.

Usage: .venv/bin/python scripts/eval_matching.py ../shared/data/clef2021-2b [--split dev]
       [--data-dir DIR]  (reuses a data dir that already holds the imported statements)
       .venv/bin/python scripts/eval_matching.py ../shared/data/clef2021-2a [--split dev] ...
       (2A, told apart by its tweets file: the 13,824 Snopes claims, with their titles as
       context, against tweets without links or credit lines, dated by the credit line)

Converts the fact-checked claims to statement-in JSONL (`quotetrace import`), and the split's
debate sentences to claim-in JSONL carrying the debate speaker and the three preceding
transcript lines as context, then runs `quotetrace verify --below` and scores its output.
CLEF scores a ranking, so the ranked list is the k most relevant statements whatever their
verdict (`--below`); the figures for matches over the threshold only are printed too.
MAP@5 is average precision over the top 5, normalised by min(#relevant, 5); MRR and P@1 are
read off the same ranked list.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from corpora.clef import politifact_statements, queries, snopes_statements, tweet_claim, tweets

BIN = Path(sys.executable).parent


def is_2a(clef: Path) -> bool:
    return (clef / "tweets-train-dev.tsv").exists()


def read_qrels(clef: Path, split: str) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = defaultdict(set)
    for line in (clef / f"{split}.tsv").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            qrels[parts[0]].add(parts[2])
    return qrels


def statements_for(clef: Path) -> list[dict]:
    """The statement-in records of a task's fact-checked claims."""
    if is_2a(clef):
        return list(snopes_statements(clef / "vclaims-index.jsonl"))
    return list(politifact_statements(clef))


def claims_for(clef: Path, split: str) -> tuple[list[dict], dict[str, set[str]]]:
    qrels = read_qrels(clef, split)
    if is_2a(clef):
        texts = tweets(clef / "tweets-train-dev.tsv")
        return [tweet_claim(i, texts[i]) for i in sorted(qrels)], qrels
    sentences = dict(queries(clef / "iclaims.queries"))
    files = sorted((clef / "transcripts").glob("*.tsv"))
    transcripts: dict[str, list[tuple[str, ...]]] = {}
    claims = []
    for iclaim in sorted(qrels):
        name, _, line_no = iclaim.rpartition("_")
        if name not in transcripts:
            transcripts[name] = transcript(files, name, line_no, sentences[iclaim])
        rows = transcripts[name]
        idx = next((i for i, r in enumerate(rows) if r[0] == line_no), None)
        speaker = rows[idx][1].title() if idx is not None else None
        context = " ".join(r[2] for r in rows[max(0, (idx or 0) - 3):idx]) if idx else None
        day = name[:8]  # transcripts are named YYYYMMDD_…: the day the claim was made
        claims.append({"id": iclaim, "claim": sentences[iclaim], "speaker": speaker,
                       "context": context or None,
                       "date": f"{day[:4]}-{day[4:6]}-{day[6:8]}" if day.isdigit() else None})
    return claims, qrels


def transcript(files: list[Path], name: str, line_no: str, sentence: str
               ) -> list[tuple[str, ...]]:
    """The rows of the transcript an iclaim id names. Some ids misspell their transcript's file
    name ("20161019_3pres", "20160115_GOP_charlston"): then the file of the same day whose line
    `line_no` holds the claim's sentence is taken, and none when no file of that day does.
    """
    def rows_of(path: Path) -> list[tuple[str, ...]]:
        return [tuple([*r.split("\t"), "", "", ""][:3])
                for r in path.read_text(encoding="utf-8").splitlines()]

    exact = [f for f in files if f.stem == name]
    if exact:
        return rows_of(exact[0])
    want = " ".join(sentence.split()).casefold()
    for f in files:
        if f.stem[:8] == name[:8]:
            rows = rows_of(f)
            if any(r[0] == line_no and " ".join(r[2].split()).casefold() == want for r in rows):
                return rows
    return []


def ap_at_5(hits: Sequence[bool], n_relevant: int) -> float:
    """Average precision over the first five of a ranking (`hits`: whether each is relevant),
    normalised by min(n_relevant, 5): CLEF's MAP@5 averages it over the claims."""
    found, prec = 0, 0.0
    for rank, hit in enumerate(hits[:5], start=1):
        if hit:
            found += 1
            prec += found / rank
    return prec / min(n_relevant, 5)


def scores(results: list[dict], qrels: dict[str, set[str]], matches_only: bool = False
           ) -> dict[str, float]:
    ap5 = rr = p1 = 0.0
    for r in results:
        rel = qrels[r["id"]]
        ranked = [m["external_id"] for m in r["matches"]
                  if not matches_only or m["verdict"] != "no_match"]
        ap5 += ap_at_5([ext in rel for ext in ranked[:5]], len(rel))
        first = next((i for i, ext in enumerate(ranked, start=1) if ext in rel), None)
        rr += 1 / first if first else 0.0
        p1 += bool(ranked) and ranked[0] in rel
    n = len(results)
    return {"MAP@5": ap5 / n, "MRR": rr / n, "P@1": p1 / n}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("-k", type=int, default=10, help="matches per claim (MRR looks this deep)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp) / "data"
        work = Path(tmp)
        if not (data / "quotetrace.db").exists():
            stmts = work / "statements.jsonl"
            stmts.write_text("".join(json.dumps(r) + "\n" for r in statements_for(args.clef)))
            subprocess.run([str(BIN / "quotetrace"), "--data-dir", str(data), "import",
                            str(stmts)], check=True)
        claims, qrels = claims_for(args.clef, args.split)
        cfile = work / "claims.jsonl"
        cfile.write_text("".join(json.dumps(c) + "\n" for c in claims))
        out = work / "out.jsonl"
        t = time.perf_counter()
        subprocess.run([str(BIN / "quotetrace"), "--data-dir", str(data), "verify", str(cfile),
                        "-o", str(out), "-k", str(args.k), "--below"], check=True)
        elapsed = time.perf_counter() - t
        results = [json.loads(x) for x in out.read_text().splitlines()]
    s = scores(results, qrels)
    print(f"split {args.split}: {len(results)} claims, verify took {elapsed:.1f}s "
          f"(model load included)")
    print("  ".join(f"{k} {v:.4f}" for k, v in s.items()))
    verdicts: dict[str, int] = defaultdict(int)
    for r in results:
        verdicts[r["verdict"]] += 1
    print("claim verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    only = scores(results, qrels, matches_only=True)
    print("matches over the threshold only: " + "  ".join(f"{k} {v:.4f}" for k, v in only.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
