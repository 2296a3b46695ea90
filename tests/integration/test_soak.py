"""The soak script's short variant: a minute of mixed load on two worker processes, with no
error, every route exercised, and each worker's memory sampled. The 30-minute default run,
whose RSS must stay within 10% after warm-up, is `scripts/soak.py` (figures in docs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_a_minute_of_mixed_load_has_no_error(tmp_path: Path) -> None:
    report = tmp_path / "soak.json"
    # A minute is mostly warm-up: the memory bound here only catches a gross leak.
    got = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--seconds", "60",
                          "--corpus", "200", "--job-every", "20", "--sample-every", "2",
                          "--warmup", "0.5", "--max-growth", "0.5", "--json", str(report)],
                         capture_output=True, text=True, timeout=600)
    print(got.stdout)
    assert got.returncode == 0, got.stdout[-3000:] + got.stderr[-3000:]
    out = json.loads(report.read_text())
    assert out["errors"] == 0
    for route in ("POST /v1/match", "POST /v1/match/batch", "GET /v1/statements?q=",
                  "GET /v1/statements/{id}", "GET /v1/speakers", "POST /v1/articles",
                  "POST /v1/jobs", "GET /v1/jobs/{id}/results"):
        assert out["routes"][route]["requests"] > 0, route
    workers = [p for p, r in out["roles"].items() if r == "worker"]
    assert len(workers) == 2
    assert all(len(out["rss_mib"][p]) >= 20 for p in workers)
    assert out["posted"] >= 50 and out["jobs"] >= 2
