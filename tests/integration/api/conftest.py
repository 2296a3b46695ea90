"""Fixtures of the HTTP API tests: the demo corpus in a library, and apps over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from corpora.readers import read_path
from index.service import Library
from index.store import Store
from tests.conftest import DEMO


def new_library(data: Path, embedder: Any, extractor: Any) -> Library:
    """An empty library in `data`, loaded."""
    lib = Library(Store(f"sqlite:///{data / 'q.db'}"), embedder, data,
                  extractor_factory=lambda: extractor)
    lib.load()
    return lib


def demo_library(data: Path, embedder: Any, extractor: Any) -> Library:
    """A library in `data` holding the demo corpus."""
    lib = new_library(data, embedder, extractor)
    lib.ingest(read_path(DEMO))
    return lib


def app_client(library: Library, **settings: Any) -> TestClient:
    """A test client of an app over `library` with these settings."""
    s = Settings(data_dir=Path(str(library.index_dir.parent)), **settings)
    return TestClient(app=create_app(s, lambda _: library))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Library:  # type: ignore[no-untyped-def]
    return demo_library(tmp_path_factory.mktemp("api"), embedder, extractor)
