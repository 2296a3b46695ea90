"""kill -9 at random points of a real ingest: no acknowledged statement lost, index = database."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from corpora.readers import read_path
from index.service import Library
from index.store import Store, pending_from_attributions

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")
PEOPLE = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom", "Farid Noor"]
TOPICS = ["the ferry timetable", "the harbour dredging", "the school budget", "the rail tariff",
          "the water reservoirs", "the library hours", "the bridge repairs", "the flood barriers"]


def write_articles(path: Path, n: int) -> None:
    """Invented articles; every fifth one repeats an earlier quote, as a second outlet would."""
    with path.open("w") as f:
        for i in range(n):
            who = PEOPLE[i % len(PEOPLE)]
            topic = TOPICS[i % len(TOPICS)]
            j = i - 3 if i % 5 == 4 else i
            text = (f"“We will settle {TOPICS[j % len(TOPICS)]} by week {j},” "
                    f"{PEOPLE[j % len(PEOPLE)]} said on Monday.\n"
                    f"{who} said that {topic} would cost {i + 3} million crowns more than "
                    f"planned.\nCritics warned of delays to {topic} lasting until spring {i}.")
            f.write(json.dumps({"id": f"a{i}", "text": text, "outlet": f"Outlet {i % 3}",
                                "published": "2024-05-16"}) + "\n")


def run_ingest(data: Path, src: Path, rng: random.Random | None) -> tuple[list[dict], bool]:
    """Run a real ingest; with `rng`, SIGKILL it at a random point. Returns (acks, killed).

    Kill points: every fourth run at a random moment of start-up, the others after a random
    number of newly committed articles plus a random delay, so that kills land mid-ingest.
    """
    proc = subprocess.Popen([QUOTETRACE, "--data-dir", str(data), "ingest", str(src)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING"})
    acks: list[dict] = []
    killed = threading.Event()
    after_new = rng.randint(1, 25) if rng and rng.random() > 0.25 else None
    delay = rng.uniform(0.0, 0.3) if rng else 0.0

    def kill() -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed.set()

    def read() -> None:
        new = 0
        for line in iter(proc.stdout.readline, ""):  # type: ignore[union-attr]
            if not line.endswith("\n"):
                break  # a line cut by the kill is no acknowledgement
            ack = json.loads(line)
            acks.append(ack)
            new += not ack["duplicate"]
            if after_new is not None and new == after_new:
                threading.Timer(delay, kill).start()

    reader = threading.Thread(target=read)
    reader.start()
    if rng is not None and after_new is None:
        threading.Timer(rng.uniform(0.5, 8.0), kill).start()
    code = proc.wait(timeout=600)
    reader.join()
    if not killed.is_set():
        assert code == 0
    return acks, killed.is_set()


def check(data: Path, embedder, acked: set[int]) -> int:  # type: ignore[no-untyped-def]
    """Acknowledged statements are stored, and after a restart the index matches the store."""
    store = Store(f"sqlite:///{data / 'quotetrace.db'}")
    found = store.statements(sorted(acked))
    assert set(found) == acked, f"lost acknowledged statements: {sorted(acked - set(found))}"
    lib = Library(store, embedder, data)
    lib.load()
    n = store.counts()["statements"]
    assert lib.snapshot.count == n
    assert np.array_equal(lib.snapshot.ids(), store.statement_ids())
    store.close()
    return n


def test_kill_9_during_ingest_loses_nothing(tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "articles.jsonl"
    data = tmp_path / "data"
    rng = random.Random(20241127)
    acked: set[int] = set()
    kills = mid_ingest = 0
    start = time.monotonic()
    n = 0
    while kills < 20:
        # Each run sees the articles of the runs before (duplicates by then, or not yet
        # stored when a kill came first) and 30 new ones.
        n += 30
        write_articles(src, n)
        acks, killed = run_ingest(data, src, rng)
        acked.update(s for a in acks for s in a["statements"])
        kills += killed
        mid_ingest += killed and any(not a["duplicate"] for a in acks)
        if data.exists():
            check(data, embedder, acked)
        assert time.monotonic() - start < 1500
    print(f"{kills} kills, {mid_ingest} of them after new articles were acknowledged")
    assert mid_ingest >= 10
    # Finishing the interrupted ingest stores exactly what the articles hold, each once.
    final, _ = run_ingest(data, src, None)
    assert len(final) == n
    total = check(data, embedder, acked | {s for a in final for s in a["statements"]})
    articles = read_path(src)
    expected = {p.key for art, found in zip(articles, extractor.extract_many(articles),
                                            strict=True)
                for p in pending_from_attributions(art, found)}
    assert total == len(expected)
    s = Store(f"sqlite:///{data / 'quotetrace.db'}")
    assert s.counts()["articles"] == n
    s.close()


def kill_when_building(cmd: list[str], index_dir: Path, rng: random.Random) -> bool:
    """Run a command and SIGKILL it once it starts building a generation (a new gen-* folder
    appears), after a random delay; True if it was killed mid-build.
    """
    before = {p.name for p in index_dir.glob("gen-*")} if index_dir.exists() else set()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING"})
    delay = rng.uniform(0.0, 0.4)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if index_dir.exists() and {p.name for p in index_dir.glob("gen-*")} - before:
            time.sleep(delay)
            killed = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return killed
        time.sleep(0.005)
    proc.wait()
    return False


def test_kill_9_during_a_merge_leaves_a_loadable_index(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    first, more = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_articles(first, 40)
    acks, _ = run_ingest(data, first, None)
    acked = {s for a in acks for s in a["statements"]}
    check(data, embedder, acked)
    rng = random.Random(7)
    kills = 0
    for i in range(12):
        # Full rebuilds (reindex) and incremental merges (the merge that ends an ingest of
        # ten new articles).
        write_articles(more, 50 + 10 * i)
        cmd = [QUOTETRACE, "--data-dir", str(data), "reindex"] if i % 2 == 0 else \
            [QUOTETRACE, "--data-dir", str(data), "ingest", str(more)]
        kills += kill_when_building(cmd, data / "index", rng)
        check(data, embedder, acked)
    assert kills >= 10
    final, _ = run_ingest(data, more, None)
    total = check(data, embedder, acked | {s for a in final for s in a["statements"]})
    # Folders of builds that were killed are removed by the next publish.
    assert len(list((data / "index").glob("gen-*"))) <= 2
    assert total > len(acked)
