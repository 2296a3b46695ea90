"""The CLI contracts: ingest, import, extract, match, verify, reindex, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from tests.conftest import DEMO

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "data")]
    code, out, _ = run(capsys, "extract", str(DEMO))
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(recs) > 30
    assert set(recs[0]) == {"article_id", "kind", "text", "content_spans", "cue", "speaker",
                            "via", "when"}
    assert run(capsys, *d, "ingest", str(DEMO))[0] == 0
    stmts = tmp_path / "s.jsonl"
    stmts.write_text(json.dumps({"id": "ext-9", "text": "Tolls on the coastal road will be "
                                 "scrapped next year.", "speaker": "Vera Quist",
                                 "date": "2024-02-01", "outlet": "Test Wire"}) + "\n")
    assert run(capsys, *d, "import", str(stmts))[0] == 0
    code, out, _ = run(capsys, *d, "match", "Quist said coastal road tolls will be scrapped",
                       "--json")
    rec = json.loads(out)
    assert rec["matches"][0]["external_id"] == "ext-9"
    claims = tmp_path / "c.csv"
    claims.write_text("id,claim\n1,reservoirs are at seventy percent\n2,Aliens built the dam\n")
    code, _, _ = run(capsys, *d, "verify", str(claims), "-o", str(tmp_path / "out.jsonl"))
    results = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in results] == ["1", "2"] and results[1]["verdict"] == "no_match"
    assert results[0]["matches"][0]["speaker"] == "Elena Varga"
    assert run(capsys, *d, "reindex")[0] == 0


def test_malformed_file_is_named_and_nothing_is_stored(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "data")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "“Fine,” Ola Berg said."}\n{"text": 5}\n')
    code, _, err = run(capsys, *d, "ingest", str(bad))
    assert code == 2 and f"{bad}:2" in err
    assert not (tmp_path / "data").exists()
    code, _, err = run(capsys, *d, "match", "x", "--since", "soon")
    assert code == 2 and "--since" in err


def test_demo_loads_only_the_bundled_articles() -> None:
    from api.cli.serve import demo_files

    assert [p.name for p in demo_files()] == ["articles.jsonl"]


def test_verify_resume_continues_an_interrupted_output(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "data")]
    assert run(capsys, *d, "ingest", str(DEMO))[0] == 0
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps({"id": r["id"], "claim": r["claim"]}) + "\n" for r in
                              map(json.loads, (DEMO.parent / "claims.jsonl").open())))
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    assert run(capsys, *d, "verify", str(claims), "-o", str(full), "-k", "2")[0] == 0
    lines = full.read_bytes().splitlines(keepends=True)
    n = len(claims.read_text().splitlines())
    assert len(lines) == n
    # An interrupted run: five whole records, then half of the sixth.
    out.write_bytes(b"".join(lines[:5]) + lines[5][: len(lines[5]) // 2])
    code, _, err = run(capsys, *d, "verify", str(claims), "-o", str(out), "-k", "2",
                       "--resume")
    assert code == 0 and "resumed after 5" in err
    assert out.read_bytes() == full.read_bytes()
    code, _, err = run(capsys, *d, "verify", str(claims), "-o", str(out), "--resume")
    assert code == 0 and f"already answers all {n}" in err
    # The output of another claims file is refused, and left as it is.
    other = tmp_path / "other.csv"
    other.write_text("claim\nsomething else entirely\n")
    before = out.read_bytes()
    code, _, err = run(capsys, *d, "verify", str(other), "-o", str(out), "--resume")
    assert code == 2 and "out.jsonl:1" in err and out.read_bytes() == before
