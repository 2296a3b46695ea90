"""Access, CORS, limits, hostile input, idempotency and request ids over the HTTP API."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from index.service import Library
from tests.integration.api.conftest import app_client

pytestmark = pytest.mark.slow
KEYS = "reader-key-123:read,writer-key-456:write"
R = {"X-API-Key": "reader-key-123"}
W = {"X-API-Key": "writer-key-456"}


def client_for(library: Library, **overrides: object) -> TestClient:
    values: dict[str, object] = {
        "api_keys": KEYS, "cors_origins": "chrome-extension://abcdefgh,https://example.org",
        "max_body_bytes": 1_000_000, **overrides}
    return app_client(library, **values)


@pytest.fixture(scope="module")
def client(library: Library) -> Iterator[TestClient]:
    with client_for(library) as c:
        yield c


def test_keys_and_scopes(client: TestClient) -> None:
    claim = {"claim": "reservoirs at seventy percent"}
    assert client.post("/v1/match", json=claim).status_code == 401
    assert client.post("/v1/match", json=claim, headers={"X-API-Key": "nope"}).status_code == 401
    assert client.post("/v1/match", json=claim, headers=R).status_code == 200
    assert client.post("/v1/match", json=claim, headers=W).status_code == 200
    art = {"text": "“Tolls end in May,” Vera Quist said."}
    r = client.post("/v1/articles", json=art, headers=R)
    assert r.status_code == 403 and "write" in r.json()["detail"]
    assert client.post("/v1/articles", json=art, headers=W).status_code == 201
    assert client.get("/v1/speakers").status_code == 401
    assert client.get("/health").status_code == 200  # liveness needs no key
    assert client.get("/v1/speakers", params={"api_key": "reader-key-123"}).status_code == 401


def test_cors_allow_list(client: TestClient) -> None:
    pre = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "content-type,x-api-key"}
    ok = client.options("/v1/match", headers={"Origin": "chrome-extension://abcdefgh", **pre})
    assert ok.headers.get("access-control-allow-origin") == "chrome-extension://abcdefgh"
    bad = client.options("/v1/match", headers={"Origin": "https://evil.example", **pre})
    assert "access-control-allow-origin" not in bad.headers
    assert bad.status_code >= 400 or bad.headers.get("access-control-allow-origin") is None
    # The extension and other allowed origins may also run and cancel jobs.
    cancel = client.options("/v1/jobs/abc", headers={
        "Origin": "chrome-extension://abcdefgh", "Access-Control-Request-Method": "DELETE",
        "Access-Control-Request-Headers": "x-api-key"})
    assert cancel.headers.get("access-control-allow-origin") == "chrome-extension://abcdefgh"
    assert "DELETE" in cancel.headers.get("access-control-allow-methods", "")
    job = client.post("/v1/jobs", content='{"claim": "rates"}\n', headers={
        **R, "Content-Type": "application/x-ndjson", "Origin": "chrome-extension://abcdefgh"})
    assert job.status_code == 202
    assert "location" in job.headers.get("access-control-expose-headers", "").lower()


def test_rate_limit_429_with_retry_after(library: Library) -> None:
    with client_for(library, rate_limit=3) as c:
        codes = [c.get("/v1/speakers", headers=R).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        r = c.get("/v1/speakers", headers=R)
        assert int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"].startswith("application/problem+json")
        assert c.get("/v1/speakers", headers=W).status_code == 200  # limits are per key


def test_redis_limit_is_shared_between_apps(library: Library) -> None:
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable")
    key = f"shared-{uuid.uuid4().hex}"
    with client_for(library, redis_url=url, rate_limit=4, api_keys=f"{key}:read") as a, \
            client_for(library, redis_url=url, rate_limit=4, api_keys=f"{key}:read") as b:
        codes = [(a if i % 2 else b).get("/v1/speakers", headers={"X-API-Key": key}).status_code
                 for i in range(6)]
    assert codes.count(200) == 4 and codes.count(429) == 2


def test_caps_are_413_or_422_with_a_message(client: TestClient) -> None:
    r = client.post("/v1/match", json={"claim": "x" * 3000}, headers=R)
    assert r.status_code == 422 and "limit is 2000" in r.json()["detail"]
    r = client.post("/v1/match", json={"claim": "ok", "k": 51}, headers=R)
    assert r.status_code == 422 and "at most 50" in r.json()["detail"]
    r = client.post("/v1/match/batch", json={"claims": [{"claim": "a"}] * 300}, headers=R)
    assert r.status_code == 422
    big = b'{"claim": "' + b"a" * (20 * 1024 * 1024) + b'"}'
    r = client.post("/v1/match", content=big, headers={**R, "content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("body,ctype", [
    (b'{"claim": "nul \\u0000 inside"}', "application/json"),
    (b'{"claim": "raw nul \x00"}', "application/json"),
    (b'{"claim": "ok"}', "text/plain"),
    (b"claim=ok", "application/x-www-form-urlencoded"),
    (b'{"claim": 1e999}', "application/json"),
    (b'{"claim": "ok", "k": -1}', "application/json"),
    (b"", "application/json"),
    (b"null", "application/json"),
    (b'{"claim": "ok", "since": "2024-13-45"}', "application/json"),
])
def test_hostile_input_never_gets_a_5xx(client: TestClient, body: bytes, ctype: str) -> None:
    r = client.post("/v1/match", content=body, headers={**R, "content-type": ctype})
    assert r.status_code < 500, r.text


def test_nul_in_article_is_refused_and_nothing_stored(client: TestClient,
                                                      library: Library) -> None:
    before = library.store.counts()
    r = client.post("/v1/articles", json={"text": "“Bad \u0000 text,” Ola Berg said."},
                    headers=W)
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    assert library.store.counts() == before


def test_idempotency_key(client: TestClient, library: Library) -> None:
    art = {"text": "“The ferry returns in spring,” harbour master Ivo Lund said."}
    h = {**W, "Idempotency-Key": "retry-1"}
    first = client.post("/v1/articles", json=art, headers=h)
    counts = library.store.counts()
    again = client.post("/v1/articles", json=art, headers=h)
    assert again.json() == first.json() and library.store.counts() == counts
    other = client.post("/v1/articles", json={"text": "Different text, Ivo Lund said."},
                        headers=h)
    assert other.status_code == 422 and library.store.counts() == counts


def test_request_id_and_logs_without_keys(client: TestClient,
                                          caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="quotetrace.request"):
        r = client.get("/v1/speakers", headers={**R, "X-Request-ID": "abc-123"})
        r2 = client.get("/v1/speakers", headers=R)
    assert r.headers["x-request-id"] == "abc-123" and len(r2.headers["x-request-id"]) == 32
    lines = [rec for rec in caplog.records if rec.name == "quotetrace.request"]
    assert any(getattr(rec, "request_id", None) == "abc-123" and rec.status == 200  # type: ignore[attr-defined]
               for rec in lines)
    from api.observe import JsonFormatter

    text = "\n".join(JsonFormatter().format(rec) for rec in caplog.records)
    assert "reader-key-123" not in text and json.loads(JsonFormatter().format(lines[0]))["path"]


def test_a_redis_outage_falls_back_to_per_process_limits(library: Library) -> None:
    import redis

    from tests.proxy import Proxy

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        if os.environ.get("QUOTETRACE_REQUIRE_PG"):
            raise
        pytest.skip("Redis not reachable")
    proxy = Proxy(("127.0.0.1", 6379))
    key = f"outage-{uuid.uuid4().hex[:8]}"
    headers = {"X-API-Key": key}
    try:
        with client_for(library, redis_url=f"redis://127.0.0.1:{proxy.port}/0", rate_limit=3,
                        rate_window=3600, api_keys=f"{key}:read") as c:
            assert c.get("/v1/speakers", headers=headers).status_code == 200  # shared count 1
            proxy.cut()
            # Redis down: answered, and limited by this process's own count.
            codes = [c.get("/v1/speakers", headers=headers).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            assert c.get("/health").status_code == 200
            proxy.restore()
            # Back on the shared count, which saw one request: two more, then 429.
            codes = [c.get("/v1/speakers", headers=headers).status_code for _ in range(3)]
            assert codes == [200, 200, 429]
    finally:
        proxy.cut()
