"""Soak run: hours of mixed load on loopback; errors, latency per route and worker memory.

Usage: .venv/bin/python scripts/soak.py [--minutes 30] [--workers 2] [--clients 4]
       [--post-rate 1] [--job-every 60] [--corpus 2000] [--data-dir D] [--json REPORT]

Serves a corpus made for the run (the demo articles and --corpus invented statements) with
`quotetrace serve --workers N`, then, until the time is up: clients matching one claim and
batches of claims, searching, reading statements and speakers; a writer posting new articles
(--post-rate a second, half with an Idempotency-Key, some retried with their key, which must
give the first answer back); and a batch job of 50 claims every --job-every seconds, polled
until done and its results read. Everything goes to 127.0.0.1 and stops by itself.

Prints the errors (any answer not 2xx, any refused connection: there must be none), p50 and
p99 per route, and each worker process's RSS sampled over time. RSS growth compares the
median of the last tenth of the samples with the median of the first tenth after warm-up
(the first --warmup share of the run); it must stay under --max-growth (10%). Exit status 1
when either fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
READ, WRITE = "soak-read", "soak-write"
PEOPLE = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom", "Farid Noor",
          "Greta Lind", "Hugo Arve", "Ines Tamm", "Jonas Brekke"]
TOPICS = ["ferry", "harbour", "budget", "tariff", "reservoir", "library", "bridge", "flood",
          "school", "rail", "clinic", "grain"]
CLAIMS = ["we have no plans to ration water this summer", "the ferry fares will not rise",
          "the bridge reopens in spring", "the clinic budget was cut by a third",
          "the reservoir is at its lowest level in years", "the rail line closes for repairs"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data: Path, corpus: int) -> None:
    """The demo articles and `corpus` invented statements, stored and indexed."""
    data.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    stmts = data / "soak-statements.jsonl"
    with stmts.open("w") as f:
        for i in range(corpus):
            a, b = rng.sample(TOPICS, 2)
            f.write(json.dumps({"id": f"soak-{i}", "speaker": PEOPLE[i % len(PEOPLE)],
                                "text": f"The {a} plan depends on the {b} works, stage {i}.",
                                "outlet": f"Outlet {i % 7}", "date": "2024-05-16"}) + "\n")
    for args in (["import", str(stmts)], ["ingest", str(ROOT / "corpora/demo/articles.jsonl")]):
        subprocess.run([str(BIN / "quotetrace"), "--data-dir", str(data), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start(data: Path, workers: int) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = {**os.environ, "QUOTETRACE_API_KEYS": f"{READ}:read,{WRITE}:write",
           "QUOTETRACE_RATE_LIMIT": "100000000", "QUOTETRACE_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([str(BIN / "quotetrace"), "--data-dir", str(data), "serve",
                               "--port", str(port), "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return base, server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("soak: the server did not become ready")
        time.sleep(0.5)


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def role(pid: int) -> str:
    """What a process under `serve` is: a worker, or multiprocessing's resource tracker."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    return "resource tracker" if "resource_tracker" in cmd else "worker"


def children(pid: int) -> list[int]:
    """The worker processes `serve` started (its descendants)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


class Client:
    """One client's connection, opened anew every RECONNECT requests, as real clients come and
    go: the kernel hands each new connection to one worker process, so all of them get load."""

    RECONNECT = 50

    def __init__(self, base: str) -> None:
        self.base = base
        self.client: httpx.AsyncClient | None = None
        self.used = 0

    async def request(self, method: str, url: str, **kw: object) -> httpx.Response:
        if self.client is None or self.used >= self.RECONNECT:
            await self.close()
            self.client = httpx.AsyncClient(base_url=self.base, timeout=60)
            self.used = 0
        self.used += 1
        return await self.client.request(method, url, **kw)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None


class Soak:
    """The load, its tallies and the memory samples of one run."""

    def __init__(self, base: str, server: subprocess.Popen[bytes], seconds: float,
                 args: argparse.Namespace) -> None:
        self.base = base
        self.server = server
        self.stop = time.monotonic() + seconds
        self.started = time.monotonic()
        self.args = args
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []
        self.rss: dict[int, list[tuple[float, float]]] = defaultdict(list)
        self.roles: dict[int, str] = {}
        self.ids: list[int] = []
        self.posted = 0
        self.jobs = 0

    def running(self) -> bool:
        return time.monotonic() < self.stop

    async def call(self, client: Client, route: str, method: str, url: str,
                   key: str = READ, **kw: object) -> httpx.Response | None:
        t = time.perf_counter()
        try:
            extra = kw.pop("headers", {})
            assert isinstance(extra, dict)
            r = await client.request(method, url, headers={"X-API-Key": key, **extra}, **kw)
        except httpx.HTTPError as e:
            self.fail(route, f"{method} {url}: {type(e).__name__} {e}")
            return None
        self.latency[route].append(time.perf_counter() - t)
        if not 200 <= r.status_code < 300:
            self.fail(route, f"{method} {url}: {r.status_code} {r.text[:200]}")
            return None
        return r

    def fail(self, route: str, what: str) -> None:
        self.errors[route] += 1
        if len(self.examples) < 10:
            self.examples.append(what)

    async def reader(self, client: Client, seed: int) -> None:
        rng = random.Random(seed)
        while self.running():
            roll = rng.random()
            if roll < 0.45:
                await self.call(client, "POST /v1/match", "POST", "/v1/match",
                                json={"claim": rng.choice(CLAIMS), "k": 5})
            elif roll < 0.55:
                claims = [{"claim": f"{rng.choice(CLAIMS)} ({i})"} for i in range(8)]
                await self.call(client, "POST /v1/match/batch", "POST", "/v1/match/batch",
                                json={"claims": claims, "k": 3})
            elif roll < 0.75:
                await self.call(client, "GET /v1/statements?q=", "GET", "/v1/statements",
                                params={"q": rng.choice(TOPICS), "limit": 20})
            elif roll < 0.93:
                sid = rng.choice(self.ids) if self.ids else 1
                await self.call(client, "GET /v1/statements/{id}", "GET",
                                f"/v1/statements/{sid}")
            else:
                await self.call(client, "GET /v1/speakers", "GET", "/v1/speakers",
                                params={"q": rng.choice(PEOPLE).split()[1]})

    async def writer(self, client: Client) -> None:
        rng = random.Random(11)
        keyed: dict[str, tuple[dict, dict]] = {}  # key -> (body, first answer)
        n = 0
        while self.running():
            due = self.started + n / self.args.post_rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if not self.running():
                break
            if keyed and rng.random() < 0.1:  # a client retrying: the first answer again
                key = rng.choice(sorted(keyed))
                body, first = keyed[key]
                r = await self.call(client, "POST /v1/articles (retry)", "POST",
                                    "/v1/articles", key=WRITE, json=body,
                                    headers={"Idempotency-Key": key})
                if r is not None and r.json() != first:
                    self.fail("POST /v1/articles (retry)", f"{key}: another answer")
                continue
            who, topic = PEOPLE[n % len(PEOPLE)], TOPICS[n % len(TOPICS)]
            body = {"id": f"soak-article-{n}", "outlet": f"Outlet {n % 5}",
                    "published": "2024-06-01",
                    "text": f"“The {topic} works reach stage {n} this week,” {who} said on "
                            f"Monday.\n{who} said that the {topic} budget would grow by "
                            f"{n % 90 + 3} percent."}
            headers = {"Idempotency-Key": f"soak-{n}"} if n % 2 == 0 else {}
            r = await self.call(client, "POST /v1/articles", "POST", "/v1/articles",
                                key=WRITE, json=body, headers=headers)
            if r is not None:
                self.posted += 1
                got = r.json()
                self.ids.extend(s["statement_id"] for s in got["statements"])
                if headers:
                    keyed[headers["Idempotency-Key"]] = (body, got)
            n += 1

    async def jobber(self, client: Client) -> None:
        rng = random.Random(13)
        while self.running():
            lines = "".join(json.dumps({"claim": f"{rng.choice(CLAIMS)} #{i}", "id": str(i)})
                            + "\n" for i in range(50))
            r = await self.call(client, "POST /v1/jobs", "POST", "/v1/jobs",
                                content=lines.encode(),
                                headers={"Content-Type": "application/x-ndjson"})
            if r is not None:
                job = r.json()["id"]
                state = "queued"
                while state not in ("done", "failed", "cancelled"):
                    await asyncio.sleep(0.5)
                    got = await self.call(client, "GET /v1/jobs/{id}", "GET", f"/v1/jobs/{job}")
                    if got is None:
                        break
                    state = got.json()["state"]
                if state != "done":
                    self.fail("POST /v1/jobs", f"job {job} ended {state}")
                else:
                    res = await self.call(client, "GET /v1/jobs/{id}/results", "GET",
                                          f"/v1/jobs/{job}/results")
                    if res is not None and len(res.text.splitlines()) != 50:
                        self.fail("GET /v1/jobs/{id}/results", f"job {job}: "
                                  f"{len(res.text.splitlines())} results for 50 claims")
                    self.jobs += 1
            wait = self.started + (self.jobs + 1) * self.args.job_every - time.monotonic()
            await asyncio.sleep(max(0.0, min(wait, self.stop - time.monotonic())))

    async def sampler(self) -> None:
        while self.running():
            now = time.monotonic() - self.started
            for pid in children(self.server.pid) or [self.server.pid]:
                self.roles.setdefault(pid, role(pid))
                mib = rss_mib(pid)
                if mib is not None:
                    self.rss[pid].append((now, mib))
            await asyncio.sleep(self.args.sample_every)

    async def run(self) -> None:
        clients = [Client(self.base) for _ in range(self.args.clients + 2)]
        try:
            await asyncio.gather(self.sampler(), self.writer(clients[0]),
                                 self.jobber(clients[1]),
                                 *(self.reader(c, i) for i, c in enumerate(clients[2:])))
        finally:
            for c in clients:
                await c.close()

    def growth(self, seconds: float) -> dict[int, float]:
        """Per worker: RSS growth after warm-up (last tenth's median over the first tenth's)."""
        out = {}
        for pid, series in self.rss.items():
            if self.roles.get(pid) != "worker":
                continue
            after = [m for t, m in series if t >= self.args.warmup * seconds]
            if len(after) < 10:
                continue
            tenth = max(1, len(after) // 10)
            out[pid] = statistics.median(after[-tenth:]) / statistics.median(after[:tenth]) - 1
        return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000 if s else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--seconds", type=float, help="the run's length in seconds instead")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=4, help="concurrent reading clients")
    ap.add_argument("--post-rate", type=float, default=1.0, help="articles posted a second")
    ap.add_argument("--job-every", type=float, default=60.0, help="seconds between jobs")
    ap.add_argument("--corpus", type=int, default=2000, help="invented statements to serve")
    ap.add_argument("--sample-every", type=float, default=5.0, help="seconds between RSS reads")
    ap.add_argument("--warmup", type=float, default=0.2, help="share of the run before RSS counts")
    ap.add_argument("--max-growth", type=float, default=0.10)
    ap.add_argument("--data-dir", type=Path, help="serve this prepared data folder instead")
    ap.add_argument("--json", type=Path, help="write the full report here")
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if not (data / "quotetrace.db").exists():
            t = time.monotonic()
            prepare(data, args.corpus)
            print(f"soak: corpus ready in {time.monotonic() - t:.0f} s", file=sys.stderr)
        base, server = start(data, args.workers)
        try:
            soak = Soak(base, server, seconds, args)
            asyncio.run(soak.run())
        finally:
            server.terminate()
            server.wait(timeout=60)
    growth = soak.growth(seconds)
    errors = sum(soak.errors.values())
    print(f"soak: {seconds:.0f} s, {args.workers} workers, {args.clients} clients, "
          f"{os.cpu_count()} cores; {soak.posted} articles posted, {soak.jobs} jobs done")
    print(f"{'route':32} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for route in sorted(set(soak.latency) | set(soak.errors)):
        lat = soak.latency[route]
        print(f"{route:32} {len(lat):9d} {soak.errors[route]:7d} {pct(lat, 0.5):8.1f} "
              f"{pct(lat, 0.99):8.1f}")
    for pid, series in sorted(soak.rss.items()):
        marks = [f"{t:.0f}s {m:.0f}" for t, m in series[:: max(1, len(series) // 8)]]
        g = growth.get(pid)
        grew = "n/a" if g is None else f"{g * 100:+.1f}%"
        print(f"{soak.roles.get(pid, 'process')} {pid}: RSS MiB {', '.join(marks)}; "
              f"last {series[-1][1]:.0f}; growth after warm-up {grew}")
    for e in soak.examples:
        print(f"error: {e}")
    if args.json:
        args.json.write_text(json.dumps({
            "seconds": seconds, "workers": args.workers, "errors": errors,
            "posted": soak.posted, "jobs": soak.jobs,
            "routes": {r: {"requests": len(v), "errors": soak.errors[r],
                           "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)}
                       for r, v in soak.latency.items()},
            "rss_mib": {str(p): s for p, s in soak.rss.items()},
            "roles": {str(p): r for p, r in soak.roles.items()},
            "growth": {str(p): g for p, g in growth.items()},
            "examples": soak.examples}, indent=1))
    flat = bool(growth) and all(g < args.max_growth for g in growth.values())
    print(f"soak: {errors} errors; RSS {'flat' if flat else 'NOT flat'} "
          f"(growth under {args.max_growth * 100:.0f}% after warm-up: {flat})")
    return 0 if errors == 0 and flat else 1


if __name__ == "__main__":
    sys.exit(main())
