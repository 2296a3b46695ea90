"""Load benchmark: N concurrent clients on /v1/match for D seconds, demo corpus + CLEF statements.

Usage: .venv/bin/python scripts/bench_load.py ../shared/data/clef2021-2b [--duration 60]
       [--concurrency 50] [--workers 2]
Prints requests/s, p50 and p99 latency and the error count for /v1/match, and the same for
/health measured in the same run as a baseline of the server's own overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from corpora.clef import politifact_statements, queries

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KEY = "bench-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data: Path, clef: Path) -> None:
    stmts = data / "clef-statements.jsonl"
    data.mkdir(parents=True, exist_ok=True)
    with stmts.open("w") as f:
        for rec in politifact_statements(clef):
            f.write(json.dumps(rec) + "\n")
    t = time.perf_counter()
    for args in (["import", str(stmts)], ["ingest", str(ROOT / "corpora/demo/articles.jsonl")]):
        subprocess.run([str(BIN / "quotetrace"), "--data-dir", str(data), *args], check=True,
                       stdout=subprocess.DEVNULL)
    print(f"loaded demo + CLEF statements in {time.perf_counter() - t:.0f}s", file=sys.stderr)


def wait_ready(base: str, server: subprocess.Popen, seconds: float = 300,  # type: ignore[type-arg]
               poll: float = 0.5) -> None:
    """Wait until the server answers /ready, or stop with a clear message."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("server did not become ready")
        time.sleep(poll)


async def drive(base: str, path: str, bodies: list[dict] | None, clients: int,
                seconds: float) -> tuple[int, int, list[float]]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30,
                                 headers={"X-API-Key": KEY}) as client:
        async def worker(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    if bodies is None:
                        r = await client.get(path)
                    else:
                        r = await client.post(path, json=rng.choice(bodies))
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t)
                errors += not ok

        await asyncio.gather(*(worker(i) for i in range(clients)))
    return len(latencies), errors, latencies


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def start_server(data: Path, workers: int = 1) -> tuple[str, subprocess.Popen[bytes]]:
    """`quotetrace serve` on a free port with a read key and no rate limit, once ready."""
    port = free_port()
    env = {**os.environ, "QUOTETRACE_API_KEYS": f"{KEY}:read",
           "QUOTETRACE_RATE_LIMIT": "100000000", "QUOTETRACE_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [str(BIN / "quotetrace"), "--data-dir", str(data), "serve", "--port", str(port),
         "--workers", str(workers)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
    except BaseException:
        server.terminate()
        raise
    return base, server


@contextmanager
def served(clef: Path, data_dir: Path | None, workers: int = 1) -> Iterator[str]:
    """A server over the demo and CLEF statements: in `data_dir` (loaded there when empty) or
    in a temporary one; stopped on exit. Yields its base URL.
    """
    with tempfile.TemporaryDirectory() as tmp:
        data = data_dir or Path(tmp) / "data"
        if not (data / "quotetrace.db").exists():
            prepare(data, clef)
        base, server = start_server(data, workers)
        try:
            yield base
        finally:
            server.terminate()
            server.wait(timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path, help="the clef2021-2b folder")
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data-dir", type=Path, help="reuse a prepared data dir")
    args = ap.parse_args()
    with served(args.clef, args.data_dir, args.workers) as base:
        bodies = [{"claim": s, "k": 5} for _, s in queries(args.clef / "iclaims.queries")]
        asyncio.run(drive(base, "/v1/match", bodies, 4, 5))  # warm every worker
        n, err, lat = asyncio.run(drive(base, "/v1/match", bodies, args.concurrency,
                                        args.duration))
        hn, herr, hlat = asyncio.run(drive(base, "/health", None, args.concurrency,
                                           min(10.0, args.duration)))
    hdur = min(10.0, args.duration)
    print(f"machine: {os.cpu_count()} cores; workers {args.workers}; "
          f"{args.concurrency} concurrent clients")
    print(f"/v1/match: {n} requests in {args.duration:.0f}s = {n / args.duration:.1f} req/s, "
          f"p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, errors {err}")
    print(f"/health baseline: {hn / hdur:.1f} req/s, p50 {pct(hlat, 0.5):.1f} ms, "
          f"p99 {pct(hlat, 0.99):.1f} ms, errors {herr}")
    print(f"match throughput / health throughput: {(n / args.duration) / (hn / hdur):.3f}")
    return 1 if err or herr else 0


if __name__ == "__main__":
    sys.exit(main())
