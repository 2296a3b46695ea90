"""Readers for CLEF CheckThat! 2021: 2B statements and debate claims, 2A Snopes claims, tweets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpora.dates import resolve
from corpora.readers import iter_jsonl

SITE = "https://www.politifact.com"


def vclaim_statements(path: Path) -> Iterator[dict[str, Any]]:
    """Statement-in records: the vclaim id as `id`, its speaker, date and PolitiFact URL."""
    for _, rec in iter_jsonl(path):
        when = resolve(rec.get("date") or "", None)
        url = rec.get("url") or None
        yield {
            "id": rec["vclaim_id"],
            "text": rec["vclaim"].strip().strip('"“”').strip(),
            "speaker": rec.get("speaker") or None,
            "date": when.isoformat() if when else None,
            "outlet": "PolitiFact",
            "url": f"{SITE}{url}" if url and url.startswith("/") else url,
            "context": rec.get("title") or None,
        }


def queries(path: Path) -> list[tuple[str, str]]:
    """(iclaim id, sentence) rows of iclaims.queries."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        ident, _, sentence = line.partition("\t")
        if sentence.strip():
            out.append((ident, sentence.strip()))
    return out


TWEET_CREDIT = re.compile(r"\s*—\s*[^—]*?\(@\w+\)\s*(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\s*$")
TWEET_LINK = re.compile(r"\s*pic\.twitter\.com/\w+|\s*https?://\S+")


def snopes_statements(path: Path) -> Iterator[dict[str, Any]]:
    """Statement-in records of CLEF-2021 2A's Snopes claims (no speaker; the title as context)."""
    for _, rec in iter_jsonl(path):
        when = resolve(rec.get("date") or "", None)
        yield {
            "id": rec["vclaim_id"],
            "text": rec["vclaim"].strip(),
            "speaker": rec.get("speaker") or None,
            "date": when.isoformat() if when else None,
            "outlet": "Snopes",
            "url": None,
            "context": rec.get("title") or None,
        }


def tweet_claim(ident: str, text: str) -> dict[str, Any]:
    """A claim-in record of a tweet: its words without links or the author-and-date credit
    line, dated by that credit line when it has one. The author is not set as the claim's
    speaker: a tweet spreads a claim, it does not attribute it.
    """
    m = TWEET_CREDIT.search(text)
    body = text[:m.start()] if m else text
    body = TWEET_LINK.sub("", body).strip() or text.strip()
    when = resolve(m.group("date"), None) if m else None
    return {"id": ident, "claim": body[:2000], "speaker": None, "context": None,
            "date": when.isoformat() if when else None}


def tweets(path: Path) -> dict[str, str]:
    """iclaim id -> tweet text, from tweets-train-dev.tsv."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        ident, _, text = line.partition("\t")
        if text.strip():
            out[ident] = text
    return out
