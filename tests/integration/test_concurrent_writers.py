"""Two serving worker processes take writes while a CLI `ingest` runs on the same store, on
SQLite and on PostgreSQL: nothing is lost, nothing is stored twice, and every worker matches
every statement within its refresh interval."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy

from index.store import Store, sqlite_url
from tests.conftest import free_port, wait_ready

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")
PEOPLE = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom", "Farid Noor"]
REFRESH = 1.0  # QUOTETRACE_REFRESH_INTERVAL the servers run with
CLI_ARTICLES, HTTP_ARTICLES, SHARED = 90, 40, 10  # HTTP_ARTICLES per client thread


def article(tag: str, i: int) -> dict[str, str]:
    who = PEOPLE[i % len(PEOPLE)]
    return {"id": f"{tag}{i}", "outlet": f"Outlet {i % 3}", "published": "2024-05-16",
            "text": f"“The {tag} pier reaches stage {i} this week,” {who} said on Monday.\n"
                    f"{who} said that the {tag} dredging would cost {i + 3} million crowns."}


def run_writers(store_url: str, data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING", "QUOTETRACE_RATE_LIMIT": "1000000",
           "QUOTETRACE_REFRESH_INTERVAL": str(REFRESH)}
    db = [] if store_url.startswith("sqlite") else ["--database-url", store_url]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([QUOTETRACE, "--data-dir", str(data), *db, "serve", "--port",
                               str(port), "--workers", "2", "--no-job-worker"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              start_new_session=True, env=env)
    try:
        wait_ready(base, server)
        # The CLI's file: its own articles, and some that clients also post.
        feed = tmp_path / "feed.jsonl"
        records = [article("cli", i) for i in range(CLI_ARTICLES)] + \
            [article("both", i) for i in range(SHARED)]
        feed.write_text("".join(json.dumps(r) + "\n" for r in records))
        cli = subprocess.Popen([QUOTETRACE, "--data-dir", str(data), *db, "ingest", str(feed)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
        acked: set[int] = set()
        failures: list[str] = []
        lock = threading.Lock()

        def post(tag: str) -> None:
            todo = [article(tag, i) for i in range(HTTP_ARTICLES)] + \
                [article("both", i) for i in range(SHARED)]
            for body in todo:
                # A new connection each time, so that both worker processes take writes.
                r = httpx.post(f"{base}/v1/articles", json=body, timeout=60)
                with lock:
                    if r.status_code != 201:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                    else:
                        acked.update(s["statement_id"] for s in r.json()["statements"])

        clients = [threading.Thread(target=post, args=(tag,)) for tag in ("web", "ext")]
        for c in clients:
            c.start()
        out, err = cli.communicate(timeout=600)
        for c in clients:
            c.join(timeout=600)
        assert cli.returncode == 0, err[-3000:]
        assert not failures, failures[:5]
        for line in out.splitlines():
            acked.update(json.loads(line)["statements"])
        written = time.monotonic()

        # Nothing lost, nothing stored twice.
        store = Store(store_url)
        with store.engine.connect() as conn:
            ids = {r[0] for r in conn.execute(sqlalchemy.text("SELECT id FROM statements"))}
            twice = conn.execute(sqlalchemy.text(
                "SELECT text FROM statements GROUP BY text HAVING COUNT(*) > 1")).fetchall()
            articles = conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM articles")).scalar()
        store.close()
        assert acked == ids
        assert not twice
        assert articles == CLI_ARTICLES + 2 * HTTP_ARTICLES + SHARED
        assert len(ids) == 2 * articles  # two statements in every article

        # Every worker process matches every statement within its refresh interval: once
        # it has passed (with a margin for one refresh's work on a shared machine), every
        # answer from either worker counts what the database holds and matches a statement
        # the CLI stored.
        time.sleep(max(0.0, written + REFRESH + 2 - time.monotonic()))
        claim = {"claim": f"the cli pier reaches stage {CLI_ARTICLES - 1} this week", "k": 1}
        answers: dict[int, int] = {}
        for _ in range(200):
            with httpx.Client(base_url=base, timeout=30) as one:  # one worker answers both
                ready = one.get("/ready").json()
                assert ready["statements"] == len(ids), ready
                got = one.post("/v1/match", json=claim).json()
                assert got["matches"][0]["text"].startswith(
                    f"The cli pier reaches stage {CLI_ARTICLES - 1} ")
            answers[ready["process"]] = answers.get(ready["process"], 0) + 1
            if len(answers) == 2 and min(answers.values()) >= 3:
                break
        print(f"{len(ids)} statements from {articles} articles; answers per worker after "
              f"{REFRESH + 2:.0f} s: {sorted(answers.values())}")
        assert len(answers) == 2, f"only one worker process answered: {answers}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_two_workers_and_a_cli_ingest_on_sqlite(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_writers(sqlite_url(data), data, tmp_path)


def test_two_workers_and_a_cli_ingest_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    run_writers(pg_url, tmp_path / "data", tmp_path)
