"""A bounded schemathesis run against a real server: no generated request may get a 5xx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, wait_ready

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def test_schemathesis_finds_no_server_error(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "QUOTETRACE_API_KEYS": "fuzz-key:write", "QUOTETRACE_RATE_LIMIT":
           "1000000", "QUOTETRACE_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([str(BIN / "quotetrace"), "--data-dir", str(tmp_path / "d"),
                               "demo", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server)
        run = subprocess.run(
            [str(BIN / "schemathesis"), "run", f"{base}/schema/openapi.json",
             "--checks", "not_a_server_error", "--max-examples", "25", "--seed", "7",
             "--header", "X-API-Key: fuzz-key", "--request-timeout", "30", "--no-color"],
            capture_output=True, text=True, timeout=900,
            # Claims files for POST /v1/jobs are written as JSONL and CSV by these hooks.
            env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.integration.api.schemathesis_hooks",
                 "PYTHONPATH": str(ROOT)})
        assert run.returncode == 0, run.stdout[-4000:]
        # Every operation was reached, the job routes included (through the links from the
        # jobs the fuzzer created).
        selected = re.search(r"Selected: (\d+)/(\d+)", run.stdout)
        tested = re.search(r"Tested: (\d+)", run.stdout)
        assert selected and tested and tested[1] == selected[2] == selected[1], run.stdout[-2000:]
        assert "Missing test data" not in run.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
