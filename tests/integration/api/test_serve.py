"""`quotetrace serve`: localhost only without keys, several workers, graceful shutdown."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.cli.serve import serving_settings
from api.settings import Settings
from index.generation import MANIFEST
from index.store import Store
from tests.conftest import free_port, wait_ready

BIN = Path(sys.executable).parent


def test_without_keys_the_server_binds_to_localhost(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(host="0.0.0.0", port=None, workers=None)
    s = serving_settings(args, Settings())
    assert s.host == "127.0.0.1" and "no API keys configured" in capsys.readouterr().err
    keyed = serving_settings(args, Settings(api_keys="k:read"))
    assert keyed.host == "0.0.0.0"


@pytest.mark.slow
def test_two_workers_serve_and_shut_down_gracefully(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "d"
    env = {**os.environ, "QUOTETRACE_API_KEYS": "w-key:write"}
    server = subprocess.Popen([str(BIN / "quotetrace"), "--data-dir", str(data), "serve",
                               "--port", str(port), "--workers", "2"], env=env,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    h = {"X-API-Key": "w-key"}
    wait_ready(base, server)
    art = {"text": "“The ferry will run all winter,” harbour master Ivo Lund said."}
    assert httpx.post(f"{base}/v1/articles", json=art, headers=h, timeout=60).status_code == 201
    time.sleep(1.1)  # both workers catch up within a second
    for _ in range(4):
        r = httpx.post(f"{base}/v1/match", json={"claim": "the ferry will run all winter"},
                       headers=h, timeout=60)
        assert r.json()["matches"][0]["speaker"] == "Ivo Lund"
    server.send_signal(signal.SIGTERM)
    _, err = server.communicate(timeout=60)
    assert server.returncode == 0
    logs = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert any(x.get("msg") == "request" and x.get("request_id") for x in logs)
    assert "w-key" not in err
    # The shutdown published the index with the statement written through the API.
    manifest = json.loads((data / "index" / MANIFEST).read_text())
    store = Store(f"sqlite:///{data / 'quotetrace.db'}")
    assert manifest["count"] == store.counts()["statements"] == 1
    store.close()
