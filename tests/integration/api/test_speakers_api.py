"""/v1/speakers/{id} over HTTP: a canonical speaker, operator corrections, and keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from index.service import Library
from tests.integration.api.conftest import app_client, demo_library

pytestmark = pytest.mark.slow
KEYS = "reader-key-123:read,writer-key-456:write"
R = {"X-API-Key": "reader-key-123"}
W = {"X-API-Key": "writer-key-456"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder, extractor) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    library: Library = demo_library(tmp_path_factory.mktemp("speakers"), embedder, extractor)
    with app_client(library, api_keys=KEYS) as c:
        yield c


def speaker_id(client: TestClient, name: str) -> int:
    found = client.post("/v1/match", json={"claim": "water rationing this summer",
                                           "speaker": name, "k": 1}, headers=R).json()
    sid = found["matches"][0]["statement_id"]
    return int(client.get(f"/v1/statements/{sid}", headers=R).json()["speaker_id"])


def test_a_speaker_with_its_names_roles_and_statements(client: TestClient) -> None:
    sid = speaker_id(client, "Elena Varga")
    r = client.get(f"/v1/speakers/{sid}", headers=R)
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "Elena Varga" and body["statements"] >= 1
    assert "Elena Varga" in [a["alias"] for a in body["aliases"]]
    assert body["roles"] and all(set(x) == {"role", "start", "end", "source"}
                                 for x in body["roles"])
    st = client.get(f"/v1/statements/{body['statement_ids'][0]}", headers=R).json()
    assert st["speaker"] == "Elena Varga"
    assert client.get("/v1/speakers/999999", headers=R).status_code == 404
    assert client.get(f"/v1/speakers/{sid}").status_code == 401


def test_an_alias_is_used_by_the_filter_and_by_misattribution(client: TestClient) -> None:
    sid = speaker_id(client, "Elena Varga")
    # A name the registry does not know for her: the words are put in someone else's mouth.
    claim = {"claim": "Ellie Marsh said we have no plans to ration water this summer", "k": 1}
    before = client.post("/v1/match", json=claim, headers=R).json()
    assert before["verdict"] == "misattributed"
    r = client.post(f"/v1/speakers/{sid}/aliases", json={"alias": "Ellie Marsh"},
                    headers=R)
    assert r.status_code == 403
    r = client.post(f"/v1/speakers/{sid}/aliases", json={"alias": "Ellie Marsh"},
                    headers=W)
    assert r.status_code == 200, r.text
    assert "Ellie Marsh" in [a["alias"] for a in r.json()["speaker"]["aliases"]]
    after = client.post("/v1/match", json=claim, headers=R).json()
    assert after["verdict"] != "misattributed"
    by_alias = client.post("/v1/match", json={"claim": "ration water", "k": 3,
                                              "speaker": "Ellie Marsh"}, headers=R).json()
    assert by_alias["matches"] and {m["speaker"] for m in by_alias["matches"]} == {"Elena Varga"}


def test_merge_split_and_import_over_http(client: TestClient) -> None:
    r = client.post("/v1/speakers/import", headers=W, json={"speakers": [
        {"name": "Tomas Rell", "aliases": ["T. Rell"], "qid": "Q4200077",
         "roles": [{"role": "harbour master", "start": "2024-01-01"}]},
        {"name": "Tomas Rell Senior", "qid": "Q4200078"}]})
    assert r.status_code == 200, r.text
    a, b = (x["speaker"]["id"] for x in r.json()["speakers"])
    r = client.post(f"/v1/speakers/{a}/merge", json={"into": b}, headers=W)
    assert r.status_code == 409 and "QID" in r.json()["detail"]
    r = client.post("/v1/speakers/import", headers=W,
                    json={"speakers": [{"name": "X", "qid": "not-a-qid"}]})
    assert r.status_code in (400, 422)
    r = client.post(f"/v1/speakers/{a}/split", json={"name": "Someone"}, headers=W)
    assert r.status_code == 422 and "alias or article" in r.json()["detail"]
    assert client.post("/v1/speakers/relink", headers=R).status_code == 403
    r = client.post("/v1/speakers/relink", headers=W)
    assert r.status_code == 200 and set(r.json()) == {"considered", "linked", "folded"}
