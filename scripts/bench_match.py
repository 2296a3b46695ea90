"""Single-claim latency through the HTTP API over the 19,250 CLEF statements (plus the demo).

Usage: .venv/bin/python scripts/bench_match.py ../shared/data/clef2021-2b [--requests 500]
       [--data-dir DIR]
One client sends the debate sentences one after another to /v1/match; prints p50 and p99, and
the same for /health in the same run as the floor set by HTTP and the server itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import KEY, pct, served

from corpora.clef import queries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--data-dir", type=Path)
    args = ap.parse_args()
    with served(args.clef, args.data_dir) as base:
        claims = [s for _, s in queries(args.clef / "iclaims.queries")]
        lat, health, errors = [], [], 0
        with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=30) as c:
            for i in range(20):
                c.post("/v1/match", json={"claim": claims[i % len(claims)]})
            for i in range(args.requests):
                t = time.perf_counter()
                r = c.post("/v1/match", json={"claim": claims[i % len(claims)], "k": 5})
                lat.append(time.perf_counter() - t)
                errors += r.status_code != 200
                t = time.perf_counter()
                c.get("/health")
                health.append(time.perf_counter() - t)
    print(f"machine: {os.cpu_count()} cores; {args.requests} sequential claims")
    print(f"/v1/match: p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, errors {errors}")
    print(f"/health:   p50 {pct(health, 0.5):.1f} ms, p99 {pct(health, 0.99):.1f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
