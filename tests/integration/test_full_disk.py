"""A full disk, for real: a small tmpfs the test mounts holds the data folder (SQLite and the
indexes) or a PostgreSQL tablespace, and a filler file takes its last byte.

Writing an article answers 503 naming the full disk, publishing an index fails with
StorageFull and leaves the published one loadable, the database stays consistent, and both
succeed once space is freed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from corpora.errors import StorageFull
from corpora.readers import read_path
from index.generation import Manifest
from index.service import Library
from index.store import Store
from tests.conftest import DEMO, PG_BASE
from tests.disks import fill, tmpfs

pytestmark = pytest.mark.slow
QUOTETRACE = str(Path(sys.executable).parent / "quotetrace")
CLAIM = {"claim": "we have no plans to ration water this summer", "k": 2}


def big_article(tag: str) -> dict[str, str]:
    """An article large enough that storing it must take new pages."""
    text = " ".join(f"“Section {i} of the {tag} report is ready,” said Ilse Marrow, the "
                    f"harbour surveyor." for i in range(400))
    return {"id": tag, "outlet": "Harbour Gazette", "published": "2024-06-01", "text": text}


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob("gen-*"))


def test_a_full_disk_fails_writes_and_publishes_clearly_and_loses_nothing(
        tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    with tmpfs(tmp_path / "disk", "48m") as disk:
        data = disk / "data"
        data.mkdir()
        settings = Settings(data_dir=data, job_worker=False)
        libs: list[Library] = []

        def factory(s: Settings) -> Library:
            lib = Library(Store(s.store_url, s.db_wait), embedder, s.data_dir,
                          extractor_factory=lambda: extractor)
            lib.load()
            lib.ingest(read_path(DEMO))
            lib.flush()
            libs.append(lib)
            return lib

        with TestClient(app=create_app(settings, factory)) as client:
            lib = libs[0]
            assert client.post("/v1/articles", json=big_article("before")).status_code == 201
            published = Manifest.read(lib.index_dir)
            assert published is not None
            gens = generations(lib.index_dir)
            before = lib.store.counts()
            # The WAL is emptied so that the next write must grow a file.
            with sqlite3.connect(data / "quotetrace.db") as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            filler = fill(disk)

            r = client.post("/v1/articles", json=big_article("during"))
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "5"
            assert "disk is full" in r.json()["detail"]
            # Reads go on: matching answers from the loaded indexes.
            r = client.post("/v1/match", json=CLAIM)
            assert r.status_code == 200 and r.json()["matches"][0]["speaker"] == "Elena Varga"

            with pytest.raises(StorageFull, match="no space left"):
                lib.upkeep.merge()
            # What the failed build wrote is gone; the published index is the one before.
            assert generations(lib.index_dir) == gens
            assert Manifest.read(lib.index_dir) == published
            assert not (lib.index_dir / ".index.json.tmp").exists()
            # Serving's background merge logs the failure and waits before it tries again.
            assert lib.upkeep.merge_in_background(threshold=0)
            lib.upkeep.wait_merges()
            assert Manifest.read(lib.index_dir) == published
            assert not lib.upkeep.merge_in_background(threshold=0)
            # The command line says so, without a traceback.
            env = {**os.environ, "QUOTETRACE_LOG_LEVEL": "WARNING"}
            got = subprocess.run([QUOTETRACE, "--data-dir", str(data), "reindex"],
                                 capture_output=True, text=True, env=env, timeout=300)
            assert got.returncode == 1, got.stderr
            assert "no space left" in got.stderr and "Traceback" not in got.stderr

            # The database is consistent and holds what it held; another process loads the
            # published index and catches up with the database.
            with sqlite3.connect(data / "quotetrace.db") as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert lib.store.counts() == before
            other = Library(Store(settings.store_url), embedder, data)
            other.load()
            assert other.upkeep.view.generation.manifest == published
            assert other.upkeep.view.count == before["statements"]
            other.store.close()

            # Space comes back: the write and the next publish succeed.
            filler.unlink()
            r = client.post("/v1/articles", json=big_article("after"))
            assert r.status_code == 201, r.text
            manifest = lib.upkeep.merge()
            assert manifest is not None and manifest.count == lib.store.counts()["statements"]
            assert manifest.generation != published.generation
            found = client.get("/v1/statements", params={"q": "after report"}).json()
            assert found["statements"], found
            # The article refused during the outage was not stored, in part or whole.
            assert lib.store.counts()["articles"] == before["articles"] + 1


@pytest.fixture
def pg_on_small_disk() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL schema whose tables live in a tablespace on a 24 MB tmpfs (mounted where
    the server's user can reach it)."""
    engine = sqlalchemy.create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as e:  # pragma: no cover - depends on the machine
        engine.dispose()
        if os.environ.get("QUOTETRACE_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {e}")
    tag = uuid.uuid4().hex[:12]
    schema, space = f"qt_{tag}", f"qt_small_{tag}"
    with tmpfs(Path(f"/tmp/quotetrace-pgdisk-{tag}"), "24m", owner="postgres") as disk:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE TABLESPACE {space} LOCATION '{disk}'")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            yield (f"{PG_BASE}?options=-csearch_path%3D{schema}%20"
                   f"-cdefault_tablespace%3D{space}", disk)
        finally:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                conn.exec_driver_sql(f"DROP TABLESPACE {space}")
            engine.dispose()
    with contextlib.suppress(OSError):
        disk.rmdir()


def test_a_full_postgresql_disk_is_503_and_nothing_is_half_written(
        tmp_path: Path, pg_on_small_disk: tuple[str, Path], embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    url, disk = pg_on_small_disk
    settings = Settings(data_dir=tmp_path / "data", database_url=url, job_worker=False)
    libs: list[Library] = []

    def factory(s: Settings) -> Library:
        lib = Library(Store(s.store_url), embedder, s.data_dir,
                      extractor_factory=lambda: extractor)
        lib.load()
        lib.ingest(read_path(DEMO))
        libs.append(lib)
        return lib

    with TestClient(app=create_app(settings, factory)) as client:
        lib = libs[0]
        before = lib.store.counts()
        filler = fill(disk)
        for tag in ("during-1", "during-2"):
            r = client.post("/v1/articles", json=big_article(tag))
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "5"
            assert "disk is full" in r.json()["detail"]
        assert client.post("/v1/match", json=CLAIM).status_code == 200
        assert lib.store.counts() == before
        filler.unlink()
        r = client.post("/v1/articles", json=big_article("after"))
        assert r.status_code == 201, r.text
        after = lib.store.counts()
        assert after["articles"] == before["articles"] + 1
        assert after["statements"] == before["statements"] + len(r.json()["statements"])
        assert client.get("/ready").json()["statements"] == after["statements"]
