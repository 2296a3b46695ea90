"""The HTTP API over the demo corpus: every /v1 endpoint, errors as problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from corpora.readers import read_path
from index.service import Library
from index.store import Store
from tests.conftest import DEMO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("api")
    settings = Settings(data_dir=data, max_batch=10)

    def factory(s: Settings) -> Library:
        lib = Library(Store(s.store_url), embedder, s.data_dir,
                      extractor_factory=lambda: extractor)
        lib.load()
        lib.ingest(read_path(DEMO))
        return lib

    with TestClient(app=create_app(settings, factory)) as c:
        yield c


def test_match_returns_statements_with_provenance(client: TestClient) -> None:
    r = client.post("/v1/match", json={"claim": "we have no plans to ration water", "k": 3})
    assert r.status_code == 200
    body = r.json()
    top = body["matches"][0]
    assert body["verdict"] == "fragment" and top["speaker"] == "Elena Varga"
    assert top["outlet"] == "The Marren Ledger" and top["first_seen"] == "2024-03-06"
    assert top["text"][top["highlight"][0][0]:top["highlight"][0][1]].lower().startswith("we have")
    assert set(top) >= {"statement_id", "external_id", "score", "verdict", "text", "highlight",
                        "speaker", "role", "outlet", "via", "date", "url", "first_seen"}


def test_match_filters(client: TestClient) -> None:
    r = client.post("/v1/match", json={"claim": "interest rates", "speaker": "Okafor"})
    assert all(m["speaker"] == "Ines Okafor" for m in r.json()["matches"])
    r = client.post("/v1/match", json={"claim": "reservoirs at seventy percent",
                                       "since": "2024-04-01"})
    assert r.json()["matches"] == []


def test_below_returns_the_ranking_with_verdicts(client: TestClient) -> None:
    claim = {"claim": "The moon landing was filmed in a studio", "k": 2}
    assert client.post("/v1/match", json=claim).json()["matches"] == []
    body = client.post("/v1/match", json={**claim, "below": True}).json()
    assert body["verdict"] == "no_match" and len(body["matches"]) == 2
    # Relevance is rounded to four places: an unrelated statement may show 0.
    assert all(m["verdict"] == "no_match" and 0 <= m["relevance"] < 1 for m in body["matches"])
    rel = [m["relevance"] for m in body["matches"]]
    assert rel == sorted(rel, reverse=True)
    r = client.post("/v1/match/batch", json={"claims": [{"claim": claim["claim"]}], "k": 2,
                                             "below": True})
    assert len(r.json()["results"][0]["matches"]) == 2
    assert client.post("/v1/match", json={**claim, "below": "yes"}).status_code == 400


def test_batch_and_limits(client: TestClient) -> None:
    r = client.post("/v1/match/batch", json={"claims": [{"claim": "rates", "id": "a"},
                                                         {"claim": "silt in the harbour"}]})
    assert [x["id"] for x in r.json()["results"]] == ["a", None]
    r = client.post("/v1/match/batch", json={"claims": [{"claim": "x"}] * 11})
    assert r.status_code == 422 and "limit is 10" in r.json()["detail"]


def test_statements_and_speakers(client: TestClient) -> None:
    r = client.get("/v1/statements", params={"speaker": "varga", "q": "reservoirs"})
    (st,) = r.json()["statements"]
    assert len(st["mentions"]) == 2
    one = client.get(f"/v1/statements/{st['id']}").json()
    assert one["mentions"][0]["outlet"] == "The Marren Ledger"
    names = [s["name"] for s in client.get("/v1/speakers", params={"q": "okafor"}).json()[
        "speakers"]]
    assert names == ["Ines Okafor"]


def test_post_article_extracts_and_is_idempotent(client: TestClient) -> None:
    art = {"text": "“The tunnel opens in June,” engineer Mara Lind said on Tuesday.",
           "outlet": "Test Wire", "published": "2024-09-05", "id": "t1"}
    r = client.post("/v1/articles", json=art)
    assert r.status_code == 201
    (st,) = r.json()["statements"]
    assert st["speaker"] == "Mara Lind" and st["date"] == "2024-09-03"
    again = client.post("/v1/articles", json=art).json()
    assert again["duplicate"] and again["statements"][0]["statement_id"] == st["statement_id"]
    m = client.post("/v1/match", json={"claim": "the tunnel opens in June"}).json()
    assert m["matches"][0]["speaker"] == "Mara Lind"


@pytest.mark.parametrize("body,ctype,status", [
    (b'{"claim": "\xff\xfe"}', "application/json", 400),
    (b"[" * 10000 + b"]" * 10000, "application/json", 400),
    (b'{"claim": "ok", "bogus": 1}', "application/json", 400),
    (b'{"claim": ""}', "application/json", 400),
    (b'{"claim": "ok", "k": 100000000000000000000000}', "application/json", 422),
    (b'{"claim": "ok", "since": "yesterday"}', "application/json", 400),
])
def test_bad_input_is_a_clear_4xx_problem(client: TestClient, body: bytes, ctype: str,
                                          status: int) -> None:
    r = client.post("/v1/match", content=body, headers={"content-type": ctype})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status and r.json()["detail"]


def test_unknown_statement_is_404_problem(client: TestClient) -> None:
    r = client.get("/v1/statements/999999")
    assert r.status_code == 404 and r.headers["content-type"].startswith(
        "application/problem+json")


def test_health_ready_and_schema(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json()["status"] == "ready"
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert {"/v1/match", "/v1/match/batch", "/v1/articles", "/v1/statements",
            "/v1/speakers"} <= set(paths)


def test_settings_from_env(tmp_path: Path) -> None:
    s = Settings.from_env({"QUOTETRACE_DATA_DIR": str(tmp_path), "QUOTETRACE_PORT": "9001"})
    assert (s.data_dir, s.port, s.store_url.startswith("sqlite")) == (tmp_path, 9001, True)
