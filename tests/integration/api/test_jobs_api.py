"""/v1/jobs over HTTP, JSON-LD statements and the web page's routes, with keys and hostile input."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from index.service import Library
from tests.conftest import DEMO
from tests.integration.api.conftest import app_client, new_library

pytestmark = pytest.mark.slow
KEYS = "alice-key-1:read,bob-key-22:read,writer-key-3:write"
A = {"X-API-Key": "alice-key-1"}
B = {"X-API-Key": "bob-key-22"}
NDJSON = {"Content-Type": "application/x-ndjson"}


def client_for(library: Library, **overrides: object) -> TestClient:
    values: dict[str, object] = {"api_keys": KEYS, "max_job_claims": 50,
                                 "max_upload_bytes": 20_000, "job_lease": 5.0, **overrides}
    return app_client(library, **values)


@pytest.fixture(scope="module")
def client(library: Library) -> Iterator[TestClient]:
    with client_for(library) as c:
        yield c


def demo_claims() -> list[dict[str, Any]]:
    return [{"id": r["id"], "claim": r["claim"]}
            for r in map(json.loads, (DEMO.parent / "claims.jsonl").open())]


def wait_done(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_a_jsonl_job_answers_like_match_batch(client: TestClient) -> None:
    claims = demo_claims()
    body = "".join(json.dumps(c) + "\n" for c in claims)
    r = client.post("/v1/jobs?k=3&since=2024-01-01", content=body, headers={**A, **NDJSON})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    assert r.headers["location"] == f"/v1/jobs/{job_id}" and r.json()["total"] == len(claims)
    job = wait_done(client, job_id, A)
    assert (job["state"], job["done"], job["failed"], job["k"]) == ("done", len(claims), 0, 3)
    assert job["since"] == "2024-01-01" and job["started"] and job["finished"]
    res = client.get(f"/v1/jobs/{job_id}/results", headers=A)
    assert res.headers["content-type"].startswith("application/x-ndjson")
    got = [json.loads(x) for x in res.text.splitlines()]
    want = client.post("/v1/match/batch", headers=A, json={
        "claims": claims[:10], "k": 3, "since": "2024-01-01"}).json()["results"]
    assert got[:10] == want
    assert [g["id"] for g in got] == [c["id"] for c in claims]
    assert any(g["verdict"] == "misattributed" for g in got)


def test_csv_and_multipart_uploads_and_csv_results(client: TestClient) -> None:
    raw = "id,claim,notes\nr1,Our reservoirs are at seventy percent,x\nr2,Aliens built the dam,\n"
    r = client.post("/v1/jobs", content=raw, headers={**A, "Content-Type": "text/csv"})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    assert wait_done(client, job_id, A)["state"] == "done"
    res = client.get(f"/v1/jobs/{job_id}/results", headers={**A, "Accept": "text/csv"})
    assert res.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert [(x["id"], x["verdict"]) for x in rows] == [("r1", "fragment"), ("r2", "no_match")]
    assert rows[0]["speaker"] == "Elena Varga" and rows[0]["first_seen"] == "2024-03-06"
    assert rows[0]["outlet"] == "The Marren Ledger" and rows[0]["mentions"] == "2"
    form = client.post("/v1/jobs?k=1", headers=A, files={
        "file": ("claims.jsonl", b'{"claim": "tolls end in May"}\n', "application/octet-stream")})
    assert form.status_code == 202, form.text
    job = wait_done(client, form.json()["id"], A)
    assert job["source"] == "claims.jsonl" and job["done"] == 1
    assert form.json()["id"] in [j["id"] for j in client.get("/v1/jobs", headers=A)
                                 .json()["jobs"]]


def test_a_job_belongs_to_its_key(client: TestClient) -> None:
    r = client.post("/v1/jobs", content='{"claim": "rates"}\n', headers={**A, **NDJSON})
    job_id = r.json()["id"]
    for method, path in (("GET", ""), ("GET", "/results"), ("DELETE", "")):
        assert client.request(method, f"/v1/jobs/{job_id}{path}", headers=B).status_code == 404
    assert client.get(f"/v1/jobs/{job_id}").status_code == 401
    assert job_id not in [j["id"] for j in client.get("/v1/jobs", headers=B).json()["jobs"]]
    assert client.get(f"/v1/jobs/{job_id}", headers=A).status_code == 200
    assert client.get("/v1/jobs/not-a-job", headers=A).status_code == 404


def test_cancel_a_queued_job(tmp_path: Path, embedder, extractor) -> None:  # type: ignore[no-untyped-def]
    # A library of its own: the module's client runs a job worker over the shared one, which
    # could start the job before it is cancelled.
    library = new_library(tmp_path, embedder, extractor)
    with client_for(library, job_worker=False) as c:
        r = c.post("/v1/jobs", content='{"claim": "rates"}\n{"claim": "tolls"}\n',
                   headers={**A, **NDJSON})
        job_id = r.json()["id"]
        assert c.get(f"/v1/jobs/{job_id}", headers=A).json()["state"] == "queued"
        gone = c.delete(f"/v1/jobs/{job_id}", headers=A)
        assert gone.status_code == 200 and gone.json()["state"] == "cancelled"
        assert gone.json()["finished"] is not None
        assert c.get(f"/v1/jobs/{job_id}/results", headers=A).text == ""


@pytest.mark.parametrize(("body", "media", "status", "words"), [
    (b'{"claim": "a"}\n{"claim": "b"\n', "application/x-ndjson", 422, "request body:2"),
    (b'{"claim": "a"}\n\n{"claim": "   "}\n', "application/x-ndjson", 422,
     ":3: the claim is blank"),
    (b'{"claim": "a", "colour": "red"}\n', "application/x-ndjson", 422, ":1: invalid claim"),
    (b'["a"]\n', "application/x-ndjson", 422, "must be a JSON object"),
    (b'{"claim": "a"}\n{"claim": "\xff"}\n', "application/x-ndjson", 422, ":2: invalid UTF-8"),
    (b"[" * 5000 + b"]" * 5000 + b"\n", "application/x-ndjson", 422, ":1:"),
    (b"id,text\n1,hello\n", "text/csv", 422, "no 'claim' column"),
    (b'claim\nfine\n"unclosed\n', "text/csv", 422, ":3: invalid CSV"),
    (b"claim\na,b\n", "text/csv", 422, ":2: the row has more fields"),
    (b"", "application/x-ndjson", 422, "no claims found"),
    (b"claim\nx\n", "text/plain", 415, "text/csv"),
    (("".join('{"claim": "c"}\n' for _ in range(51))).encode(), "application/x-ndjson", 422,
     "the limit is 50"),
    (b'{"claim": "' + b"x" * 2001 + b'"}\n', "application/x-ndjson", 422, "the limit is 2000"),
    (b'{"claim": "' + b"x" * 30_000 + b'"}\n', "application/x-ndjson", 413, ""),
])
def test_bad_uploads_are_named(client: TestClient, body: bytes, media: str, status: int,
                               words: str) -> None:
    r = client.post("/v1/jobs", content=body, headers={**A, "Content-Type": media})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert words in r.json()["detail"]


def test_bad_job_parameters(client: TestClient) -> None:
    body = {"content": '{"claim": "a"}\n', "headers": {**A, **NDJSON}}
    assert client.post("/v1/jobs?k=51", **body).status_code == 422  # type: ignore[arg-type]
    assert client.post("/v1/jobs?k=0", **body).status_code == 400  # type: ignore[arg-type]
    r = client.post("/v1/jobs?since=yesterday", **body)  # type: ignore[arg-type]
    assert r.status_code == 422 and "since" in r.json()["detail"]
    r = client.post("/v1/jobs", headers=A, files={"upload": ("c.csv", b"claim\nx\n", "text/csv")})
    assert r.status_code == 422 and "'file'" in r.json()["detail"]


def test_statement_as_json_ld(client: TestClient) -> None:
    from pyld import jsonld

    sid = client.post("/v1/match", headers=A, json={"claim": "no plans to ration water"}
                      ).json()["matches"][0]["statement_id"]
    r = client.get(f"/v1/statements/{sid}", headers={**A, "Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@type"] == "Quotation" and doc["spokenByCharacter"]["name"] == "Elena Varga"
    assert [a["publisher"]["name"] for a in doc["appearance"]] == ["The Marren Ledger",
                                                                   "Riverside Courier"]
    assert doc["firstAppearance"] == doc["appearance"][0]
    (node,) = jsonld.expand(doc)
    s = "https://schema.org/"
    assert node["@type"] == [f"{s}Quotation"]
    speaker = node[f"{s}spokenByCharacter"][0]
    assert speaker["@type"] == [f"{s}Person"]
    assert speaker[f"{s}name"] == [{"@value": "Elena Varga"}]
    assert len(node[f"{s}appearance"]) == 2
    assert node[f"{s}datePublished"] == [{"@value": "2024-03-06"}]
    plain = client.get(f"/v1/statements/{sid}", headers=A)
    assert plain.headers["content-type"].startswith("application/json")
    assert plain.json()["mentions"][0]["context"]


def test_ids_that_cannot_exist_are_404(client: TestClient) -> None:
    for sid in ("99999999999999999999999", "9223372036854775807", "0"):
        r = client.get(f"/v1/statements/{sid}", headers=A)
        assert r.status_code in (404, 422), (sid, r.status_code)


def test_pages_are_served_with_a_strict_policy(client: TestClient) -> None:
    for path in ("/", "/batch", "/articles/new", "/statements/1"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../settings.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404


def test_article_html_intake(client: TestClient) -> None:
    page = ("<html><head><meta property='og:site_name' content='Velmora Weekly'>"
            "<script>var x = '“not a quote,” said nobody';</script></head><body><article>"
            "<p>“The ferry will run all winter,” said Lene Staal, the harbour master.</p>"
            "</article></body></html>")
    r = client.post("/v1/articles", headers={"X-API-Key": "writer-key-3"},
                    json={"text": page, "format": "html", "published": "2024-06-01"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["text"].startswith("“The ferry will run all winter,”")
    (st,) = body["statements"]
    assert st["speaker"] == "Lene Staal"
    s, e = st["content_spans"][0]
    assert body["text"][s:e] == "The ferry will run all winter"
    mention = client.get(f"/v1/statements/{st['statement_id']}", headers=A).json()["mentions"][0]
    assert mention["outlet"] == "Velmora Weekly" and mention["published"] == "2024-06-01"
    for bad in ({"text": "<html><script>x</script></html>", "format": "html"},
                {"text": "plain", "format": "pdf"}):
        r = client.post("/v1/articles", headers={"X-API-Key": "writer-key-3"}, json=bad)
        assert r.status_code == 400, r.text
