"""Shared fixtures: the embedding model and spaCy load once per session; PostgreSQL per schema."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "corpora" / "demo" / "articles.jsonl"
PG_BASE = os.environ.get("QUOTETRACE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# Fuzzing profiles (tests/unit/corpora/test_fuzz.py): a bounded run in the suite, the same
# examples every time on CI; a long search with HYPOTHESIS_PROFILE=fuzz.
settings.register_profile("suite", max_examples=150, deadline=None,
                          derandomize=bool(os.environ.get("CI")))
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def free_port() -> int:
    """A free TCP port on loopback for a server a test starts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen, seconds: float = 180) -> None:  # type: ignore[type-arg]
    """Wait until a server the test started answers /ready."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "server did not become ready"
        if server.poll() is not None:
            err = server.stderr.read() if server.stderr else ""
            raise AssertionError(f"server exited with {server.returncode}: {err[-3000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from index.embedder import MiniLM

    return MiniLM()


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    from corpora.extract import Extractor

    return Extractor()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL on a fresh schema of the local server, dropped afterwards."""
    import sqlalchemy

    schema = f"qt_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(PG_BASE)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as e:  # pragma: no cover - depends on the machine
        engine.dispose()
        if os.environ.get("QUOTETRACE_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {e}")
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'qt.db'}"
    return str(request.getfixturevalue("pg_url"))
