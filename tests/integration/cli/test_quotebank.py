"""`quotetrace import --format quotebank`: Quotebank's JSON lines (plain or bz2) streamed in,
each URL a mention, QIDs to the registry, bad lines skipped by number, re-imports and resumed
imports storing nothing twice."""

from __future__ import annotations

import bz2
import json
import re
from pathlib import Path

import pytest

from api.cli import main
from index.speaker_ops import Speakers
from index.store import Store, sqlite_url
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "quotebank" / "quotes.json"
TUNNEL = "The harbour tunnel will open before the summer festival"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def counts(data: Path) -> dict[str, int]:
    store = Store(sqlite_url(data))
    try:
        return store.counts()
    finally:
        store.close()


def test_a_quotebank_file_is_imported_with_its_mentions_and_qids(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--format", "quotebank",
                       str(FIXTURE))
    assert code == 0, err
    assert "imported 6 quotation(s), 10 mention(s): 5 new statement(s)" in err
    assert "skipped 2 line(s) that are not quotations: 4, 6" in err
    assert counts(data) == {"articles": 0, "statements": 5, "mentions": 10}
    store = Store(sqlite_url(data))
    try:
        (tunnel,) = [s for s in store.search(q="harbour tunnel") if s.text == TUNNEL]
        # Two quotations of the same words by the same person: one statement, four reports,
        # first seen at the earlier one; the quoteID is its external id.
        assert tunnel.speaker == "Vera Quist" and tunnel.first_seen == "2024-02-27"
        assert tunnel.external_id == "2024-03-02-000001"
        assert len(tunnel.mentions) == 4
        assert {m.outlet for m in tunnel.mentions} == {"harbourgazette.example",
                                                        "coastwire.example", "islandpost.example"}
        assert all(m.url and m.url.startswith("http") for m in tunnel.mentions)
        assert tunnel.mentions[0].date == "2024-02-27"
        (clinic,) = store.search(q="clinic")
        assert clinic.speaker is None  # Quotebank's "None"
        speakers = Speakers(store.engine)
        qids = {v.name: v.qid for v in speakers.find(limit=50)}
        assert qids["Vera Quist"] == "Q9000000001" and qids["Elena Varga"] == "Q9000000002"
        assert qids.get("Tomas Brenner") is None  # two people of that name: no QID
    finally:
        store.close()
    code, out, _ = run(capsys, "--data-dir", str(data), "match",
                       "the harbour tunnel opens before the summer festival", "--json")
    best = json.loads(out)["matches"][0]
    assert best["external_id"] == "2024-03-02-000001" and best["speaker"] == "Vera Quist"


def test_an_interrupted_import_resumes_without_duplicates_plain_or_bz2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = FIXTURE.read_text().splitlines(keepends=True)
    first = tmp_path / "first.json"
    first.write_text("".join(lines[:5]))  # as far as an interrupted import got
    packed = tmp_path / "quotes.json.bz2"
    packed.write_bytes(bz2.compress(FIXTURE.read_bytes()))
    data = tmp_path / "data"
    d = ["--data-dir", str(data), "import", "--format", "quotebank"]
    assert run(capsys, *d, str(first))[0] == 0
    assert counts(data)["statements"] == 4
    code, _, err = run(capsys, *d, str(packed))
    assert code == 0, err
    assert counts(data) == {"articles": 0, "statements": 5, "mentions": 10}
    code, _, err = run(capsys, *d, str(FIXTURE))
    assert code == 0 and ": 0 new statement(s)" in err
    assert counts(data) == {"articles": 0, "statements": 5, "mentions": 10}


def test_a_truncated_bz2_file_is_a_clear_error(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    packed = bz2.compress(FIXTURE.read_bytes() * 40)
    cut = tmp_path / "cut.json.bz2"
    cut.write_bytes(packed[: len(packed) // 2])
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", "--format",
                       "quotebank", str(cut))
    assert code == 2
    assert re.search(r"cut\.json\.bz2: cannot read past line \d+", err), err
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "import", "--format",
                       "quotebank", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err


def test_kill_9_mid_import_then_running_it_again_stores_everything_once(
        tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    import sqlalchemy

    people = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom"]
    src = tmp_path / "big.json"
    with src.open("w") as f:
        for i in range(5000):
            urls = [f"https://outlet{i % 7}.example/{i}"] + (
                [f"https://wire.example/{i}"] if i % 3 == 0 else [])
            f.write(json.dumps({"quoteID": f"2024-01-01-{i:06d}", "speaker": people[i % 5],
                                "quotation": f"The harbour works reach stage {i} this week",
                                "qids": [], "date": "2024-01-01 09:00:00", "urls": urls,
                                "numOccurrences": len(urls), "phase": "E"}) + "\n")
    cmd = [str(Path(sys.executable).parent / "quotetrace"), "import", "--format", "quotebank",
           str(src)]
    env = {**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING"}

    def stored(data: Path) -> int:
        if not (data / "quotetrace.db").exists():
            return 0
        try:
            return counts(data)["mentions"]
        except Exception:  # the schema is not there yet
            return 0

    data = tmp_path / "killed"
    kills = 0
    for at in (1, 2500, 5000):  # kill once this many mentions are stored
        proc = subprocess.Popen([cmd[0], "--data-dir", str(data), *cmd[1:]], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and stored(data) < at:
            time.sleep(0.1)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    assert kills >= 2
    done = subprocess.run([cmd[0], "--data-dir", str(data), *cmd[1:]], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    clean = tmp_path / "clean"
    assert subprocess.run([cmd[0], "--data-dir", str(clean), *cmd[1:]], env=env,
                          capture_output=True, timeout=600).returncode == 0
    assert counts(data) == counts(clean) == {"articles": 0, "statements": 5000,
                                             "mentions": 6667}
    store = Store(sqlite_url(data))
    try:
        with store.engine.connect() as conn:
            twice = conn.execute(sqlalchemy.text(
                "SELECT speaker_key, text_hash FROM statements GROUP BY speaker_key, text_hash "
                "HAVING COUNT(*) > 1")).fetchall()
        assert not twice
    finally:
        store.close()
