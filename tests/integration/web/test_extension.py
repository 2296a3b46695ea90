"""The MV3 extension, unpacked in headless Chromium: select text, trace it, read the popup."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, free_port
from tests.integration.web.conftest import (
    ARGS,
    ARTIFACTS,
    CHROMIUM,
    demo_library,
    live_server,
    shot,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]
EXTENSION = ROOT / "api" / "extension"
EXTENSION_ID = "negfendcfffpjpjcjmalimbnneikfjjo"  # pinned by the manifest's public key
ORIGIN = f"chrome-extension://{EXTENSION_ID}"
ARTICLE = """<!doctype html><html lang="en"><head><title>Water news</title></head><body>
<h1>Reservoirs in the news</h1>
<p id="quote">A columnist wrote that Brenner said our reservoirs are at seventy percent.</p>
</body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    lib = demo_library(tmp_path_factory.mktemp("ext"), embedder, extractor)
    base, stop = live_server(lib, api_keys="ext-key-5:read", cors_origins=ORIGIN)
    yield base
    stop()


@pytest.fixture(scope="module")
def news_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Somebody else's page, on another localhost port."""
    root = tmp_path_factory.mktemp("site")
    (root / "article.html").write_text(ARTICLE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/article.html"
    httpd.shutdown()


class Chromium:
    """Chromium with the unpacked extension and a debugging port: Playwright drives its tabs
    over CDP, and the action popup (a page Playwright does not list) is read over raw CDP.
    """

    def __init__(self, profile: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(CHROMIUM), *ARGS, f"--disable-extensions-except={EXTENSION}",
             f"--load-extension={EXTENSION}", f"--remote-debugging-port={self.port}",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.targets()
                break
            except OSError:
                assert time.monotonic() < deadline, "chromium did not open its debugging port"
                time.sleep(0.2)

    def targets(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=5) as r:
            found: list[dict[str, Any]] = json.load(r)
            return found

    def target(self, url_prefix: str, seconds: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            for t in self.targets():
                if t["type"] == "page" and t["url"].startswith(url_prefix):
                    return t
            assert time.monotonic() < deadline, f"no page at {url_prefix}"
            time.sleep(0.2)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


class Target:
    """Runtime.evaluate and screenshots on one CDP target."""

    def __init__(self, info: dict[str, Any]) -> None:
        from websockets.sync.client import connect

        self.ws = connect(info["webSocketDebuggerUrl"], max_size=None)
        self.n = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=30))
            if msg.get("id") == self.n:
                assert "error" not in msg, msg
                result: dict[str, Any] = msg["result"]
                return result

    def value(self, expression: str) -> Any:
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return r["result"].get("value")

    def wait(self, expression: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not self.value(expression):
            assert time.monotonic() < deadline, f"never true: {expression}"
            time.sleep(0.1)

    def screenshot(self, name: str) -> None:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        (ARTIFACTS / f"{name}.png").write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def context(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup-browser installs it)")
    from playwright.sync_api import sync_playwright

    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    chromium = Chromium(tmp_path / "profile")
    try:
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{chromium.port}")
            ctx = browser.contexts[0]
            ctx.chromium = chromium
            yield ctx
            browser.close()
    finally:
        chromium.close()


def worker_of(ctx: Any) -> Any:
    sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event(
        "serviceworker", timeout=20_000)
    assert sw.url == f"{ORIGIN}/background.js"
    return sw


def configure(ctx: Any, server: str, key: str) -> None:
    options = ctx.new_page()
    options.goto(f"{ORIGIN}/options.html")
    options.fill("#server", server)
    options.fill("#key", key)
    options.click("button:has-text('Save')")
    options.wait_for_selector("#status:has-text('Saved')")
    options.click("#check")
    options.wait_for_selector("#status:has-text('Ready')")
    shot(options, "extension-options")
    options.close()


def test_select_text_and_trace_it(context: Any, server: str, news_page: str) -> None:
    sw = worker_of(context)
    configure(context, server, "ext-key-5")
    page = context.new_page()
    page.goto(news_page)
    page.evaluate("""() => {
        const p = document.getElementById('quote');
        const text = p.firstChild;
        const start = text.data.indexOf('Brenner');
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, text.data.length - 1);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    selected = page.evaluate("getSelection().toString()")
    assert selected == "Brenner said our reservoirs are at seventy percent"
    # What the context menu's click hands the extension: the selection and the menu item.
    # The handler opens the action's popup, as a click on "Trace this quote" does.
    sw.evaluate("(text) => traceSelection({menuItemId: 'quotetrace-trace', "
                "selectionText: text})", selected)
    popup = Target(context.chromium.target(f"{ORIGIN}/popup.html"))
    try:
        popup.wait("!document.getElementById('result').hidden")
        text = popup.value("""(() => Object.fromEntries(
            ['verdict', 'banner', 'speaker', 'outlet', 'first-seen', 'claim'].map(
                id => [id, document.getElementById(id).innerText ||
                           document.getElementById(id).value])))()""")
        mark = popup.value("document.querySelector('#text mark').innerText")
        href = popup.value("document.getElementById('open').href")
        popup.screenshot("extension-popup")
    finally:
        popup.close()
    assert text["claim"] == selected
    assert text["verdict"] == "misattributed"
    assert "Elena Varga" in text["banner"]
    assert text["speaker"] == "Elena Varga, Coastal Water Authority director"
    assert text["outlet"] == "The Marren Ledger"
    assert text["first-seen"] == "2024-03-06"
    assert "seventy percent" in mark.lower()
    assert href.startswith(f"{server}/statements/")
    # The link opens the statement's page on the server, which asks for its own key (keys
    # never travel in URLs).
    statement = context.new_page()
    statement.goto(href)
    statement.wait_for_selector("#statement-status .error")
    statement.fill("#api-key", "ext-key-5")
    statement.press("#api-key", "Enter")
    statement.reload()
    statement.wait_for_selector("#timeline > li")
    assert statement.locator("#timeline > li").count() == 2


def test_a_wrong_key_is_explained(context: Any, server: str) -> None:
    worker_of(context)
    configure(context, server, "not-a-key")
    popup = context.new_page()
    popup.goto(f"{ORIGIN}/popup.html")
    popup.fill("#claim", "reservoirs at seventy percent")
    popup.click("button:has-text('Trace')")
    popup.wait_for_selector("#status.error")
    assert "401" in popup.inner_text("#status") and "options" in popup.inner_text("#status")
