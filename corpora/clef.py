"""Readers for CLEF CheckThat! 2021: 2B statements and debate claims, 2A Snopes claims, tweets."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpora.dates import resolve
from corpora.readers import iter_jsonl

SITE = "https://www.politifact.com"


LEAD_CHARS = 3000  # how much of a fact-check article joins its title as the context


def article_leads(path: Path) -> dict[str, str]:
    """vclaim id -> the first LEAD_CHARS of its fact-check article (vclaims-articles.jsonl.gz)."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                text = " ".join((rec.get("text") or "").split())
                if text:
                    out[rec["vclaim_id"]] = text[:LEAD_CHARS]
    return out


def vclaim_statements(path: Path, leads: dict[str, str] | None = None
                      ) -> Iterator[dict[str, Any]]:
    """Statement-in records: the vclaim id as `id`, its speaker, date and PolitiFact URL, and as
    context the fact-check's title followed by the lead of its article when `leads` has one.
    """
    leads = leads or {}
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
            "context": " ".join(x for x in (rec.get("title"), leads.get(rec["vclaim_id"])) if x)
            or None,
        }


def politifact_statements(folder: Path) -> Iterator[dict[str, Any]]:
    """The statement-in records of a CLEF 2B folder, with their article leads as context when
    its vclaims-articles.jsonl.gz is there.
    """
    articles = folder / "vclaims-articles.jsonl.gz"
    leads = article_leads(articles) if articles.exists() else None
    return vclaim_statements(folder / "vclaims-index.jsonl", leads)


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
