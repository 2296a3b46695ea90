"""Browser fixtures: Debian's Chromium under Playwright, and live servers over the demo corpus."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import Settings
from corpora.types import StatementIn
from index.service import Library
from tests.conftest import ROOT, free_port
from tests.integration.api.conftest import demo_library as api_demo_library

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "artifacts" / "browser"
KEYS = "reader-key-7:read,writer-key-8:write"
# An invented statement whose words are markup: the page must show them as text.
HOSTILE = StatementIn(
    text="<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> "
         "the lighthouse keepers will strike on Tuesday",
    id="hostile-1", speaker="<b>Ada Mori</b>", outlet="<i>Tide Gazette</i>",
    date="2024-05-02", url="javascript:window.__pwned=3")


def live_server(library: Library, **overrides: Any) -> tuple[str, Callable[[], None]]:
    """Serve `library` with uvicorn in a thread; returns (base URL, stop)."""
    import uvicorn

    settings = Settings(data_dir=Path(str(library.index_dir.parent)), **overrides)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, lambda s: library),
                                           host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(30)

    return f"http://127.0.0.1:{port}", stop


def demo_library(data: Path, embedder: Any, extractor: Any) -> Library:
    """The demo corpus and the hostile statement."""
    lib = api_demo_library(data, embedder, extractor)
    lib.import_statements([HOSTILE])
    return lib


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup-browser installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    lib = demo_library(tmp_path_factory.mktemp("keyed"), embedder, extractor)
    base, stop = live_server(lib, api_keys=KEYS)
    yield base
    stop()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    lib = demo_library(tmp_path_factory.mktemp("open"), embedder, extractor)
    base, stop = live_server(lib)
    yield base
    stop()


def shot(page: Any, name: str) -> None:
    """A screenshot of the whole page in the git-ignored artifacts folder."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
