"""`quotetrace speakers`: list, show, alias, merge, split and import from CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main

pytestmark = pytest.mark.slow


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_speakers_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "data")]
    stmts = tmp_path / "s.jsonl"
    stmts.write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "text": "The ferry will run all winter.", "speaker": "Karla Jensen"},
        {"id": "2", "text": "The ferry will run all winter.", "speaker": "Kaja Brandt"},
        {"id": "3", "text": "Fares stay as they are.", "speaker": "Kaja Brandt"},
    ]) + "\n")
    assert run(capsys, *d, "import", str(stmts))[0] == 0
    code, out, _ = run(capsys, *d, "speakers", "list")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and {r[1] for r in rows} == {"Karla Jensen", "Kaja Brandt"}
    ids = {r[1]: r[0] for r in rows}
    code, out, _ = run(capsys, *d, "match", "Kaja Brandt said the ferry will run all winter",
                       "--json")
    assert json.loads(out)["verdict"] == "verbatim"  # her own words under that name
    # Kaja Brandt is the name Karla Jensen writes under: one person.
    code, _, err = run(capsys, *d, "speakers", "merge", ids["Kaja Brandt"],
                       ids["Karla Jensen"])
    assert code == 0 and "1 folded" in err
    code, out, _ = run(capsys, *d, "speakers", "show", ids["Karla Jensen"])
    view = json.loads(out)
    assert view["statements"] == 2 and view["mentions"] == 3
    code, out, _ = run(capsys, *d, "match", "Kaja Brandt said the ferry will run all winter",
                       "--json")
    top = json.loads(out)["matches"][0]
    assert top["speaker"] == "Karla Jensen" and top["verdict"] != "misattributed"
    people = tmp_path / "people.csv"
    people.write_text("name,aliases,qid,role,role_start,role_end\n"
                      "Karla Jensen,K. Jensen|Minister Jensen,Q4200001,finance minister,"
                      "2024-01-10,\n"
                      "Karla Jensen,,Q4200001,harbour master,2019-01-01,2023-12-31\n")
    code, _, err = run(capsys, *d, "speakers", "import", str(people))
    assert code == 0 and "1 speaker(s)" in err
    view = json.loads(run(capsys, *d, "speakers", "show", ids["Karla Jensen"])[1])
    assert view["qid"] == "Q4200001"
    assert {r["role"] for r in view["roles"]} == {"finance minister", "harbour master"}
    code, _, err = run(capsys, *d, "speakers", "relink")
    assert code == 0 and "unlinked statement(s)" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,qid\nSomeone,forty-two\n")
    code, _, err = run(capsys, *d, "speakers", "import", str(bad))
    assert code == 2 and "QID" in err
    code, _, err = run(capsys, *d, "speakers", "alias", "999999", "Nobody")
    assert code == 1 and "no speaker" in err
    code, _, err = run(capsys, *d, "speakers", "split", ids["Karla Jensen"], "Other",
                       "--articles", "x,y")
    assert code == 2 and "whole numbers" in err
