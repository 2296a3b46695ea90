"""Scale benchmark: N statements of real sentences, imported, served and measured.

Usage: .venv/bin/python scripts/bench_scale.py ../shared/data/clef2021-2b
           [--sizes 20000 100000 1000000] [--root DIR] [--requests 300] [--naive 2000]

For each N it builds N statements from the sentences of vclaims-articles.jsonl.gz (a data dir
under --root that already holds them is reused, and its import figures are then not measured
again), and prints:
- import: statements/s of `quotetrace import` against naive sentence-transformers `encode`
  (PyTorch fp32, batch 32) of the same texts in the same run (the first --naive of them), and
  the import's peak RSS;
- index bytes per statement (the published generation on disk);
- start-up time of `quotetrace serve` to /ready, and the serving worker's peak RSS;
- /v1/match p50 and p99 (one client, the CLEF debate sentences), next to /health;
- requests/s with 32 concurrent clients;
- speaker-filtered match latency (an unrelated claim with a rare speaker's filter and
  `below`), and how many of those speakers' statements it listed;
- recall@10 of the served index against exact search over the stored vectors, for the
  CLEF debate sentences as queries;
- POST /v1/articles latency (invented articles, each new).
Speakers are labels ("Speaker 0412"), not the people of the articles: the words are real,
who said them is not claimed.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import drive, free_port, pct, wait_ready

from corpora.clef import queries

BIN = Path(sys.executable).parent
KEY = "bench-key"
RARE = 30  # speakers with 3 statements each, for the filter check
_SENT = re.compile(r"(?<=[.!?])\s+")


def sentences(clef: Path) -> list[tuple[str, str | None]]:
    """Distinct real sentences (30-400 characters) with their article's date, in file order."""
    from corpora.dates import resolve

    seen: dict[str, str | None] = {}
    with gzip.open(clef / "vclaims-articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            when = resolve(rec.get("date") or "", None)
            for s in _SENT.split(rec.get("text") or ""):
                s = " ".join(s.split())
                if 30 <= len(s) <= 400 and s not in seen:
                    seen[s] = when.isoformat() if when else None
    return list(seen.items())


def write_statements(path: Path, pool: list[tuple[str, str | None]], n: int) -> list[str]:
    """N statement-in records; past the distinct sentences, texts repeat under new speakers.

    Returns the texts in file order (for the naive baseline).
    """
    texts = []
    with path.open("w") as f:
        for i in range(n - 3 * RARE):
            text, date = pool[i % len(pool)]
            rnd = i // len(pool)
            rec = {"id": f"b{i}", "text": text, "speaker": f"Speaker {(i * 7 + rnd) % 5000:04d}",
                   "outlet": f"Outlet {i % 97}", "date": date}
            f.write(json.dumps(rec) + "\n")
            texts.append(text)
        for j in range(RARE):
            for k in range(3):
                text, date = pool[(j * 977 + k * 131) % len(pool)]
                rec = {"id": f"rare{j}-{k}", "text": text, "speaker": f"Rare Voice{j:02d}",
                       "outlet": "Outlet R", "date": date}
                f.write(json.dumps(rec) + "\n")
                texts.append(text)
    return texts


def naive_rate(texts: list[str]) -> float:
    """Statements/s of plain sentence-transformers encode (PyTorch fp32, batch 32)."""
    from sentence_transformers import SentenceTransformer

    from index.embedder import model_dir

    model = SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)
    model.encode(texts[:64], batch_size=32)
    t = time.perf_counter()
    model.encode(texts, batch_size=32, show_progress_bar=False)
    return len(texts) / (time.perf_counter() - t)


def run_import(data: Path, src: Path) -> tuple[float, float]:
    """(seconds, peak RSS in GB) of `quotetrace import` into data."""
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([str(BIN / "quotetrace"), "--data-dir", str(data), "import", str(src)],
                   check=True, stdout=subprocess.DEVNULL)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return time.perf_counter() - t, peak / 1024 / 1024


def count_statements(data: Path) -> int:
    import sqlite3

    db = data / "quotetrace.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as c:
        return int(c.execute("SELECT count(*) FROM statements").fetchone()[0])


def generation_bytes(data: Path) -> int:
    manifest = json.loads((data / "index" / "index.json").read_text())
    gen = data / "index" / manifest["generation"]
    return sum(f.stat().st_size for f in gen.rglob("*") if f.is_file())


def peak_rss_gb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def serve(data: Path) -> tuple[str, subprocess.Popen, float]:  # type: ignore[type-arg]
    port = free_port()
    env = {**os.environ, "QUOTETRACE_API_KEYS": f"{KEY}:write", "QUOTETRACE_LOG_LEVEL": "WARNING",
           "QUOTETRACE_RATE_LIMIT": "100000000"}
    t = time.perf_counter()
    server = subprocess.Popen([str(BIN / "quotetrace"), "--data-dir", str(data), "serve",
                               "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, server, seconds=900, poll=0.05)
    return base, server, time.perf_counter() - t


def exact_recall(data: Path, claims: list[str], runtime: str) -> tuple[float, int]:
    """Recall@10 of the published index against exact search over the stored vectors.

    Ties count: a result scoring at least the exact 10th score (within 1e-4) is right, since
    repeated texts have identical vectors.
    """
    import sqlite3

    from index.embedder import MiniLM
    from index.generation import Manifest
    from index.vectors import MainVectors, exact_top, merge_top

    manifest = Manifest.read(data / "index")
    assert manifest is not None
    main = MainVectors.read(data / "index" / manifest.generation / "vectors.faiss",
                            manifest.dimension, manifest.vectors)
    q = MiniLM(runtime=runtime).encode(claims)  # type: ignore[arg-type]
    _, got = main.search(q, 10)
    best_s = np.full((len(q), 10), -np.inf, dtype=np.float32)
    best_i = -np.ones((len(q), 10), dtype=np.int64)
    with sqlite3.connect(data / "quotetrace.db") as c:
        cur = c.execute("SELECT id, embedding FROM statements ORDER BY id")
        while True:
            rows = cur.fetchmany(50_000)
            if not rows:
                break
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(
                len(rows), -1)
            s, i = exact_top(q, ids, vecs, 10)
            best_s, best_i = merge_top(best_s, best_i, s, i, 10)
        vec_of = {}
        for r in range(len(q)):
            for sid in got[r]:
                if sid >= 0 and int(sid) not in vec_of:
                    row = c.execute("SELECT embedding FROM statements WHERE id=?",
                                    (int(sid),)).fetchone()
                    vec_of[int(sid)] = np.frombuffer(row[0], dtype=np.float32)
    hits = 0
    for r in range(len(q)):
        floor = float(best_s[r, 9])
        for sid in got[r]:
            if sid < 0:
                continue
            exact = float(vec_of[int(sid)] @ q[r])
            hits += int(sid) in set(best_i[r].tolist()) or exact >= floor - 1e-4
    return hits / (10 * len(q)), manifest.count


def article(i: int) -> dict[str, str]:
    """A new invented article (never posted before, so that it is extracted and stored)."""
    run = time.time_ns() % 10**9
    return {"text": f"“The ferry to Lindholm island will run every {i % 50 + 10} minutes "
                    f"from spring {2030 + i}, on route {run},” harbour master Ivo Lund{i} "
                    "said on Monday.\n"
                    f"Councillor Mara Quist{i} said that the new timetable would cost "
                    f"{i + 3} million crowns.",
            "outlet": "The Bench Courier", "published": "2031-03-0" + str(1 + i % 9),
            "id": f"bench-{time.time_ns()}-{i}"}


def measure(data: Path, clef: Path, n: int, requests: int, runtime: str,
            import_figures: str) -> None:
    claims = [s for _, s in queries(clef / "iclaims.queries")]
    base, server, startup = serve(data)
    try:
        with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=60) as c:
            for i in range(20):
                c.post("/v1/match", json={"claim": claims[i % len(claims)]})
            lat, health = [], []
            for i in range(requests):
                t = time.perf_counter()
                r = c.post("/v1/match", json={"claim": claims[i % len(claims)], "k": 5})
                lat.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text
                t = time.perf_counter()
                c.get("/health")
                health.append(time.perf_counter() - t)
            flat, listed = [], 0
            for j in range(RARE):
                t = time.perf_counter()
                r = c.post("/v1/match", json={"claim": "the orchestra rehearses on Thursdays",
                                              "speaker": f"Rare Voice{j:02d}", "below": True})
                flat.append(time.perf_counter() - t)
                listed += sum(m["speaker"] == f"Rare Voice{j:02d}"
                              for m in r.json()["matches"])
            posts = []
            for i in range(20):
                t = time.perf_counter()
                r = c.post("/v1/articles", json=article(i))
                posts.append(time.perf_counter() - t)
                assert r.status_code == 201, r.text
        bodies = [{"claim": s, "k": 5} for s in claims]
        done, errors, _ = asyncio.run(drive(base, "/v1/match", bodies, 32, 20.0))
        rss = peak_rss_gb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=120)
    recall, indexed = exact_recall(data, claims[:200], runtime)
    size = generation_bytes(data)
    manifest = json.loads((data / "index" / "index.json").read_text())
    v = manifest["vectors"]
    print(f"\n== N = {n:,} statements ({indexed:,} in the published index: {v['kind']}"
          + (f", M {v['m']}, efSearch {v['ef_search']}" if v["kind"] != "flat" else "")
          + ")")
    print(import_figures)
    print(f"index bytes per statement: {size / max(1, indexed):.0f} ({size / 1e6:.0f} MB)")
    print(f"start-up to /ready: {startup:.1f} s; serving worker peak RSS {rss:.2f} GB")
    print(f"/v1/match: p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms  "
          f"(/health p50 {pct(health, 0.5):.1f} ms, p99 {pct(health, 0.99):.1f} ms)")
    print(f"32 clients: {done / 20.0:.0f} req/s, errors {errors}")
    print(f"speaker-filtered match: p50 {pct(flat, 0.5):.1f} ms, p99 {pct(flat, 0.99):.1f} ms; "
          f"listed {listed}/{3 * RARE} of the rare speakers' statements")
    print(f"recall@10 against exact search: {recall:.3f} ({min(200, len(claims))} claims)")
    print(f"POST /v1/articles: p50 {pct(posts, 0.5):.1f} ms, p99 {pct(posts, 0.99):.1f} ms")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    ap.add_argument("--root", type=Path, help="where the data dirs are kept (default: a temp dir)")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--naive", type=int, default=2000, help="texts for the naive baseline")
    args = ap.parse_args()
    runtime = os.environ.get("QUOTETRACE_RUNTIME", "onnx-int8")
    print(f"machine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"runtime {runtime}")
    pool = sentences(args.clef)
    print(f"{len(pool):,} distinct real sentences")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.root or Path(tmp)
        for n in args.sizes:
            data = root / f"n{n}"
            figures = "import: reused an existing data dir (not measured again)"
            # A data dir this script built before holds n statements and the articles its
            # earlier runs posted.
            if count_statements(data) < n:
                if data.exists():
                    raise SystemExit(f"{data} holds another corpus: remove it or pick --root")
                data.mkdir(parents=True)
                src = root / f"statements-{n}.jsonl"
                texts = write_statements(src, pool, n)
                seconds, rss = run_import(data, src)
                naive = naive_rate(texts[: args.naive])
                rate = n / seconds
                figures = (f"import: {rate:.0f} statements/s ({seconds:.0f} s), naive encode "
                           f"{naive:.0f} statements/s on {min(n, args.naive)} of the same "
                           f"texts: {rate / naive:.2f}x; import peak RSS {rss:.2f} GB")
                src.unlink()
            measure(data, args.clef, n, args.requests, runtime, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
