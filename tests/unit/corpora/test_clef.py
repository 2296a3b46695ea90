"""CLEF 2A records: tweets as claims (links and credit lines off, dated by the credit line)."""

from __future__ import annotations

import json
from pathlib import Path

from corpora.clef import snopes_statements, tweet_claim


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
