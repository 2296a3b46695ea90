"""Quotebank quotations as statements: each URL that reported one is a mention, its site the
outlet; the quoteID is the external id; a speaker's QID goes to the registry when it is not
ambiguous."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import urlsplit

from corpora.quotebank import Quotation
from corpora.types import SpeakerIn
from index.store import PendingStatement


def outlet_of(url: str) -> str | None:
    """The site a URL is on, without "www." ("nytimes.com")."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def pending_from_quotation(q: Quotation) -> list[PendingStatement]:
    """One mention per URL (one without a URL when there is none), keyed so that importing
    the same quotation again stores nothing twice."""
    urls: Iterable[str | None] = q.urls or (None,)
    out = []
    for url in urls:
        tail = hashlib.sha256(url.encode()).hexdigest()[:16] if url else "-"
        out.append(PendingStatement(
            text=q.text, speaker=q.speaker, kind="direct",
            source_key=f"quotebank:{q.quote_id}:{tail}", external_id=q.quote_id,
            outlet=outlet_of(url) if url else None, url=url, date=q.date, when_text=None))
    return out


class SpeakerQids:
    """The QID each speaker name carries across an import; a name seen with two different
    QIDs, or with several at once (homonyms), gets none."""

    def __init__(self) -> None:
        self._qid: dict[str, str | None] = {}

    def add(self, q: Quotation) -> None:
        if q.speaker is None or not q.qids:
            return
        qid = q.qids[0] if len(set(q.qids)) == 1 else None
        if self._qid.get(q.speaker, qid) != qid:
            qid = None
        self._qid[q.speaker] = qid

    def records(self) -> list[SpeakerIn]:
        """Registry records for the names whose QID is clear."""
        return [SpeakerIn(name=n, qid=qid) for n, qid in sorted(self._qid.items()) if qid]

    @property
    def ambiguous(self) -> int:
        return sum(1 for qid in self._qid.values() if qid is None)
