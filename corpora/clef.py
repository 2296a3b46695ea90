"""Reader for CLEF CheckThat! 2B fact-checked claims (vclaims-index.jsonl) as statement records."""

from __future__ import annotations

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
