"""Jobs benchmark: a 100,000-claim upload over HTTP, the job's throughput, and its results.

Usage: .venv/bin/python scripts/bench_jobs.py ../shared/data/clef2021-2b [--claims 100000]
       [--duration 60] [--data-dir D]
Serves demo + CLEF statements with the in-process job worker, then prints: the time to upload
and queue the claims (POST /v1/jobs, JSONL), the worker's claims/s over `--duration` seconds
against /v1/match/batch's claims/s measured in the same run (batches of 256, one client), and
the time to stream the answered results as JSONL and CSV. The job is cancelled at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import KEY, served

from corpora.clef import queries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path, help="the clef2021-2b folder")
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--data-dir", type=Path, help="reuse a prepared data dir")
    args = ap.parse_args()
    sentences = [s for _, s in queries(args.clef / "iclaims.queries")]
    claims = [{"id": f"q{i}", "claim": sentences[i % len(sentences)]} for i in range(args.claims)]
    body = "".join(json.dumps(c) + "\n" for c in claims).encode()
    with served(args.clef, args.data_dir) as base, \
            httpx.Client(base_url=base, timeout=600, headers={"X-API-Key": KEY}) as c:
        # Baseline: the same claims through /v1/match/batch, one client.
        t = time.perf_counter()
        n = 0
        while time.perf_counter() - t < args.duration / 2:
            r = c.post("/v1/match/batch", json={"claims": claims[n:n + 256], "k": 5})
            r.raise_for_status()
            n += 256
        batch_rate = n / (time.perf_counter() - t)
        t = time.perf_counter()
        r = c.post("/v1/jobs?k=5", content=body,
                   headers={"Content-Type": "application/x-ndjson"})
        queued = time.perf_counter() - t
        r.raise_for_status()
        job = r.json()["id"]
        # The worker starts at once: count from the first answered claim.
        while c.get(f"/v1/jobs/{job}").json()["done"] == 0:
            time.sleep(0.05)
        t0, d0 = time.perf_counter(), c.get(f"/v1/jobs/{job}").json()["done"]
        time.sleep(args.duration)
        status = c.get(f"/v1/jobs/{job}").json()
        job_rate = (status["done"] - d0) / (time.perf_counter() - t0)
        t = time.perf_counter()
        lines = c.get(f"/v1/jobs/{job}/results").text.count("\n")
        jsonl_s = time.perf_counter() - t
        t = time.perf_counter()
        rows = c.get(f"/v1/jobs/{job}/results",
                     headers={"Accept": "text/csv"}).text.count("\n") - 1
        csv_s = time.perf_counter() - t
        c.delete(f"/v1/jobs/{job}").raise_for_status()
    print(f"machine: {os.cpu_count()} cores; {args.claims} claims, {len(body) / 1e6:.1f} MB "
          f"of JSONL")
    print(f"POST /v1/jobs to 202 (parse, validate, store {args.claims} claims): {queued:.2f}s")
    print(f"job worker: {job_rate:.1f} claims/s over {args.duration:.0f}s; "
          f"/v1/match/batch baseline: {batch_rate:.1f} claims/s; "
          f"ratio {job_rate / batch_rate:.3f}")
    print(f"partial results while it ran: {lines} JSONL records in {jsonl_s:.2f}s, then "
          f"{rows} CSV rows in {csv_s:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
