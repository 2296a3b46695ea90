"""Bulk import, ingest, verify and job workers on a local Ray cluster (`ray.init(num_cpus=2)`):
the same statements, vectors and answers as the single-process path, and a Ray worker killed
mid-run loses nothing and stores nothing twice."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from api.cli import main
from index.store import Store, sqlite_url
from tests.conftest import DEMO

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def records(path: Path, n: int) -> Path:
    people = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale"]
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"r{i}", "speaker": people[i % 4], "outlet": "Wire",
                                "date": "2024-05-16",
                                "text": f"The harbour works reach stage {i} this week."}) + "\n")
    return path


def stored(data: Path | str) -> dict[tuple[str | None, str], np.ndarray]:
    """(speaker, text) -> embedding of every statement stored in a data folder (SQLite) or
    at a database URL."""
    store = Store(data if isinstance(data, str) else sqlite_url(data))
    try:
        rows = [r for batch in store.iter_index_rows() for r in batch]
        return {(r.speaker, r.text): np.frombuffer(r.embedding or b"", dtype=np.float32)
                for r in rows}
    finally:
        store.close()


def actor_processes(kind: str) -> list[int]:
    """Processes of Ray actors of one class (Ray titles them `ray::<class>...`)."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(f"ray::{kind}".encode()):
                out.append(int(proc.name))
    return sorted(out)


def kill_actor_once(kind: str, progress: Callable[[], int]) -> tuple[threading.Thread,
                                                                      list[tuple[int, int]]]:
    """A started thread that, once `progress()` is above 0, kills one actor of class `kind`
    with SIGKILL; the list it fills holds (process, progress at the kill)."""
    killed: list[tuple[int, int]] = []

    def run() -> None:
        deadline = time.monotonic() + 300
        n = 0
        while time.monotonic() < deadline:
            try:
                n = progress()
            except Exception:  # the store is being created
                n = 0
            if n:
                break
            time.sleep(0.05)
        actors = actor_processes(kind)
        if actors:
            os.kill(actors[0], signal.SIGKILL)
            killed.append((actors[0], n))

    t = threading.Thread(target=run)
    t.start()
    return t, killed


def stored_count(data: Path, what: str) -> int:
    if not (data / "quotetrace.db").exists():
        return 0
    return stored_count_at(sqlite_url(data), what)


def stored_count_at(url: str, what: str) -> int:
    store = Store(url)
    try:
        return store.counts()[what]
    finally:
        store.close()


def same(a: dict[tuple[str | None, str], np.ndarray],
         b: dict[tuple[str | None, str], np.ndarray]) -> None:
    assert a.keys() == b.keys() and a
    for k in a:
        assert np.allclose(a[k], b[k], atol=1e-5), k


def test_import_and_ingest_on_ray_store_what_one_process_stores(
        tmp_path: Path, cluster: None, capsys: pytest.CaptureFixture[str]) -> None:
    src = records(tmp_path / "s.jsonl", 600)
    for cmd, path in (("import", src), ("ingest", DEMO)):
        assert main(["--data-dir", str(tmp_path / "plain"), cmd, str(path)]) == 0
        assert main(["--data-dir", str(tmp_path / "ray"), cmd, str(path), "--ray",
                     "auto"]) == 0
    capsys.readouterr()
    same(stored(tmp_path / "plain"), stored(tmp_path / "ray"))


def test_a_ray_worker_killed_mid_import_loses_nothing(tmp_path: Path, cluster: None) -> None:
    src = records(tmp_path / "s.jsonl", 8000)
    # Once the first batch is stored, kill the process of one embedding actor.
    t, killed = kill_actor_once("_Encoder", lambda: stored_count(tmp_path / "ray", "statements"))
    assert main(["--data-dir", str(tmp_path / "ray"), "import", str(src), "--ray", "auto"]) == 0
    t.join()
    assert killed, "no actor was killed"
    assert killed[0][1] < 8000  # killed mid-run, with statements still to embed
    assert main(["--data-dir", str(tmp_path / "plain"), "import", str(src)]) == 0
    got = stored(tmp_path / "ray")
    assert len(got) == 8000
    same(stored(tmp_path / "plain"), got)


def articles(path: Path, n: int) -> Path:
    """n invented articles, two statements each (the second repeats every 180 articles)."""
    people = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale"]
    with path.open("w") as f:
        for i in range(n):
            who = people[i % 4]
            f.write(json.dumps({
                "id": f"art{i}", "outlet": f"Outlet {i % 3}", "published": "2024-06-01",
                "text": f"“The ferry works reach stage {i} this week,” {who} said on Monday.\n"
                        f"{who} said that the harbour budget would grow by {i % 90 + 3} "
                        "percent."}) + "\n")
    return path


def test_an_extraction_actor_killed_mid_ingest_loses_nothing(
        tmp_path: Path, cluster: None, capsys: pytest.CaptureFixture[str]) -> None:
    src = articles(tmp_path / "a.jsonl", 400)
    t, killed = kill_actor_once("_Extracting",
                                lambda: stored_count(tmp_path / "ray", "articles"))
    assert main(["--data-dir", str(tmp_path / "ray"), "ingest", str(src), "--ray", "auto"]) == 0
    t.join()
    assert killed, "no extraction actor was killed"
    assert 0 < killed[0][1] < 400  # mid-run: articles stored, articles still to extract
    assert main(["--data-dir", str(tmp_path / "plain"), "ingest", str(src)]) == 0
    capsys.readouterr()
    same(stored(tmp_path / "plain"), stored(tmp_path / "ray"))
    counts = []
    for name in ("plain", "ray"):
        store = Store(sqlite_url(tmp_path / name))
        counts.append(store.counts())
        store.close()
    # Two statements an article, some the same words of the same person: each stored once.
    assert counts[0] == counts[1] == {"articles": 400, "statements": 580, "mentions": 800}


def test_verify_on_ray_answers_as_one_process(tmp_path: Path, cluster: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "ingest", str(DEMO)]) == 0
    phrases = ["we have no plans to ration water this summer", "the tunnel opens in June",
               "ferry fares will not rise", "aliens built the harbour dam",
               "the reservoirs are at seventy percent"]
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps({"id": str(i), "claim": f"{phrases[i % 5]} ({i})"})
                              + "\n" for i in range(300)))
    assert main([*data, "verify", str(claims), "-o", str(tmp_path / "plain.jsonl")]) == 0
    assert main([*data, "verify", str(claims), "-o", str(tmp_path / "ray.jsonl"),
                 "--ray", "auto"]) == 0
    capsys.readouterr()
    plain, on_ray = ([json.loads(x) for x in (tmp_path / f).read_text().splitlines()]
                     for f in ("plain.jsonl", "ray.jsonl"))
    assert len(plain) == len(on_ray) == 300
    for a, b in zip(plain, on_ray, strict=True):
        assert (a["id"], a["verdict"]) == (b["id"], b["verdict"])
        assert [m["statement_id"] for m in a["matches"]] == \
            [m["statement_id"] for m in b["matches"]]
        assert np.allclose([m["score"] for m in a["matches"]],
                           [m["score"] for m in b["matches"]], atol=1e-4)


PHRASES = ["we have no plans to ration water this summer", "the tunnel opens in June",
           "ferry fares will not rise", "aliens built the harbour dam",
           "the reservoirs are at seventy percent"]


def job(data: Path, n: int) -> str:
    """A job of n claims, queued in the store at `data`."""
    from corpora.types import ClaimIn
    from index.jobs import JobParams, JobStore

    store = Store(sqlite_url(data))
    try:
        claims = [(i + 1, ClaimIn(id=str(i), claim=f"{PHRASES[i % 5]} ({i})"))
                  for i in range(n)]
        return JobStore(store.engine).create("", JobParams(k=3), claims)
    finally:
        store.close()


def job_state(data: Path, jid: str) -> tuple[str, int, int, list[dict]]:
    from index.jobs import JobStore

    store = Store(sqlite_url(data))
    try:
        jobs = JobStore(store.engine)
        view = jobs.get(jid, "")
        return (view.state, view.done, view.failed,
                [json.loads(r) for r in jobs.results(jid, "")])
    finally:
        store.close()


def same_answers(a: list[dict], b: list[dict]) -> None:
    assert len(a) == len(b) and a
    for x, y in zip(a, b, strict=True):
        assert (x["id"], x["verdict"]) == (y["id"], y["verdict"])
        assert [m["statement_id"] for m in x["matches"]] == \
            [m["statement_id"] for m in y["matches"]]
        assert np.allclose([m["score"] for m in x["matches"]],
                           [m["score"] for m in y["matches"]], atol=1e-4)


def test_a_job_answered_on_ray_gets_the_answers_of_one_process(
        tmp_path: Path, cluster: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", str(DEMO)]) == 0
    worker = ["--data-dir", str(data), "worker", "--exit-when-idle"]
    plain = job(data, 300)
    assert main(worker) == 0  # answered in this process
    on_ray = job(data, 300)
    assert main([*worker, "--ray", "auto", "--batch", "50"]) == 0  # chunks of 25 on 2 actors
    capsys.readouterr()
    first = job_state(data, plain)
    second = job_state(data, on_ray)
    assert first[:3] == second[:3] == ("done", 300, 0)
    same_answers(first[3], second[3])
    assert [r["id"] for r in second[3]] == [str(i) for i in range(300)]


def test_a_ray_actor_killed_mid_job_loses_no_claim_and_answers_none_twice(
        tmp_path: Path, cluster: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", str(DEMO)]) == 0
    n = 3000
    reference = job(data, n)
    assert main(["--data-dir", str(data), "worker", "--exit-when-idle"]) == 0
    jid = job(data, n)
    t, killed = kill_actor_once("_Matcher", lambda: job_state(data, jid)[1])
    assert main(["--data-dir", str(data), "worker", "--exit-when-idle", "--ray", "auto",
                 "--batch", "64"]) == 0
    t.join()
    capsys.readouterr()
    assert killed, "no actor was killed"
    assert 0 < killed[0][1] < n  # mid-job: answers stored, claims still to answer
    state, done, failed, got = job_state(data, jid)
    assert (state, done, failed) == ("done", n, 0)
    assert [r["id"] for r in got] == [str(i) for i in range(n)]  # each claim once, in order
    same_answers(job_state(data, reference)[3], got)


def test_an_import_into_postgresql_is_written_by_ray_actors_as_one_process_writes_it(
        tmp_path: Path, cluster: None, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # 300 speakers in every batch of 2,048: concurrent batches race to add the same people.
    src = tmp_path / "s.jsonl"
    with src.open("w") as f:
        for i in range(6000):
            f.write(json.dumps({"id": f"r{i}", "speaker": f"Person Number{i % 300}",
                                "outlet": "Wire", "date": f"2024-05-{1 + i % 28:02d}",
                                "text": f"The harbour works reach stage {i % 4000}."}) + "\n")
    # Once a batch is stored, kill one writing actor: its batch is sent again.
    t, killed = kill_actor_once("_Writing", lambda: stored_count_at(pg_url, "statements"))
    assert main(["--database-url", pg_url, "--data-dir", str(tmp_path / "ray"), "import",
                 str(src), "--ray", "auto"]) == 0
    t.join()
    assert main(["--data-dir", str(tmp_path / "plain"), "import", str(src)]) == 0
    capsys.readouterr()
    assert killed, "no writing actor was killed"
    assert 0 < killed[0][1] < 6000  # mid-run: statements stored, batches still to write
    same(stored(tmp_path / "plain"), stored(pg_url))
    counts = []
    for url in (sqlite_url(tmp_path / "plain"), pg_url):
        store = Store(url)
        counts.append(store.counts())
        assert len(store.speakers(limit=1000)) == 300  # each person once
        store.close()
    assert counts[0] == counts[1] == {"articles": 0, "statements": 6000, "mentions": 6000}
