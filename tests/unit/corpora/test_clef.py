"""CLEF records: 2A tweets as claims, Snopes and PolitiFact claims as statements."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from corpora.clef import (
    LEAD_CHARS,
    article_leads,
    snopes_statements,
    tweet_claim,
    vclaim_statements,
)


def test_tweet_claim_drops_links_and_credit_and_keeps_the_date() -> None:
    text = ("The Velmora ferry will run all winter, the harbour board says "
            "pic.twitter.com/AbC123 — Lene Staal (@lenestaal) March 4, 2021")
    c = tweet_claim("t1", text)
    assert c == {"id": "t1", "claim": "The Velmora ferry will run all winter, the harbour "
                 "board says", "speaker": None, "context": None, "date": "2021-03-04"}
    assert tweet_claim("t2", "No credit here https://x.example/a")["claim"] == "No credit here"
    assert tweet_claim("t3", "Only words")["date"] is None


def test_snopes_statements(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps({"vclaim_id": "v1", "vclaim": " Ferries run all winter. ",
                                "title": "Do ferries run in winter?", "date": "26 May 2015",
                                "speaker": None}) + "\n")
    (rec,) = snopes_statements(path)
    assert rec == {"id": "v1", "text": "Ferries run all winter.", "speaker": None,
                   "date": "2015-05-26", "outlet": "Snopes", "url": None,
                   "context": "Do ferries run in winter?"}


def test_politifact_statements_take_the_article_lead_as_context(tmp_path: Path) -> None:
    index = tmp_path / "vclaims-index.jsonl"
    index.write_text("".join(json.dumps(r) + "\n" for r in (
        {"vclaim_id": "p1", "vclaim": '"Ferries run all winter."', "speaker": "Lene Staal",
         "date": "stated on March 4, 2021 in a debate:", "title": "Staal on ferries",
         "url": "/factchecks/2021/mar/05/lene-staal/ferries/"},
        {"vclaim_id": "p2", "vclaim": "Bridges close at night.", "speaker": "Ole Brun",
         "date": "", "title": None, "url": None})))
    articles = tmp_path / "vclaims-articles.jsonl.gz"
    with gzip.open(articles, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"vclaim_id": "p1", "text": "During the debate,\n Staal said "
                            + "ferries " * 400}) + "\n")
    leads = article_leads(articles)
    assert leads["p1"].startswith("During the debate, Staal said ferries")
    assert len(leads["p1"]) == LEAD_CHARS and "p2" not in leads
    first, second = vclaim_statements(index, leads)
    assert first["text"] == "Ferries run all winter."
    assert first["context"].startswith("Staal on ferries During the debate, Staal said")
    assert (first["date"], first["url"]) == ("2021-03-04", "https://www.politifact.com"
                                            "/factchecks/2021/mar/05/lene-staal/ferries/")
    assert second["context"] is None
    assert next(vclaim_statements(index))["context"] == "Staal on ferries"
