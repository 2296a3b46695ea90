"""Lexical engines at scale: tantivy (what quotetrace uses) against SQLite FTS5, same corpus.

Usage: .venv/bin/python scripts/bench_lexical.py DATA_DIR CLEF_DIR [--queries 300]

DATA_DIR is a data dir built by scripts/bench_scale.py (or any SQLite data dir). Both engines
index the same analysed terms of every statement (index.text.terms) and answer the same
top-50 BM25 disjunctions: the CLEF debate sentences. Prints build time, size on disk, query
p50 and p99 for each, and a filtered query (one speaker's statements) for each, in one run.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import pct

from corpora.clef import queries
from index.lexical import TEXT, LexDoc, LexFilter, LexicalIndex
from index.text import terms


def rows(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as c:
        return [(int(i), t, s or "") for i, t, s in
                c.execute("SELECT id, text, speaker FROM statements ORDER BY id")]


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() \
        else path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    corpus = rows(args.data / "quotetrace.db")
    speakers = {s: i for i, s in enumerate(sorted({s for _, _, s in corpus}))}
    claims = [s for _, s in queries(args.clef / "iclaims.queries")][: args.queries]
    rare = next(s for s in speakers if s.startswith("Rare")) if any(
        s.startswith("Rare") for s in speakers) else next(iter(speakers))
    print(f"{len(corpus):,} statements, {len(claims)} queries")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        tv = LexicalIndex.create(Path(tmp) / "tantivy")
        for i in range(0, len(corpus), 50_000):
            tv.add((LexDoc(sid, text, None, speaker=speakers[s])
                    for sid, text, s in corpus[i:i + 50_000]), commit=False)
        tv.close_writer()
        tv_build = time.perf_counter() - t
        t = time.perf_counter()
        fts_db = Path(tmp) / "fts.db"
        with sqlite3.connect(fts_db) as c:
            c.execute("CREATE VIRTUAL TABLE fts USING fts5(terms, spk UNINDEXED, "
                      "tokenize='unicode61')")
            c.executemany("INSERT INTO fts(rowid, terms, spk) VALUES (?, ?, ?)",
                          ((sid, " ".join(terms(text)), speakers[s]) for sid, text, s in corpus))
            c.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        fts_build = time.perf_counter() - t
        fts = sqlite3.connect(fts_db)

        def fts_query(text: str, spk: int | None = None) -> list[tuple[int, float]]:
            found = list(dict.fromkeys(terms(text)))[:64]
            if not found:
                return []
            match = " OR ".join('"' + w.replace('"', '""') + '"' for w in found)
            sql = "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ?"
            params: list[object] = [match]
            if spk is not None:
                sql += " AND spk = ?"
                params.append(spk)
            return fts.execute(sql + " ORDER BY bm25(fts) LIMIT 50", params).fetchall()

        results = {}
        for name, run in (("tantivy", lambda q: tv.search(TEXT, q, 50)),
                          ("sqlite-fts5", fts_query),
                          ("tantivy, speaker filter", lambda q: tv.search(
                              TEXT, q, 50, LexFilter(speakers=(speakers[rare],)))),
                          ("sqlite-fts5, speaker filter", lambda q: fts_query(
                              q, speakers[rare]))):
            for q in claims[:20]:
                run(q)
            lat = []
            for q in claims:
                t = time.perf_counter()
                run(q)
                lat.append(time.perf_counter() - t)
            results[name] = lat
        overlap = []
        for q in claims:
            a = {i for i, _ in tv.search(TEXT, q, 10)}
            b = {i for i, _ in fts_query(q)[:10]}
            if a or b:
                overlap.append(len(a & b) / max(1, min(len(a), len(b))))
        print(f"build: tantivy {tv_build:.0f} s ({size(Path(tmp) / 'tantivy') / 1e6:.0f} MB), "
              f"sqlite-fts5 {fts_build:.0f} s ({size(fts_db) / 1e6:.0f} MB)")
        for name, lat in results.items():
            print(f"{name:>28}: p50 {pct(lat, 0.5):.2f} ms, p99 {pct(lat, 0.99):.2f} ms")
        print(f"top-10 agreement between the two: {sum(overlap) / max(1, len(overlap)):.3f}")
        fts.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
