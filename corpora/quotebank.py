"""Quotebank's quotation-centric JSON lines, plain or bz2: a quotation, its speaker and the
speaker's Wikidata QIDs, and every URL that reported it. Read as a stream; bad lines are
skipped and counted by line number."""

from __future__ import annotations

import bz2
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from corpora.cleantext import clean_text
from corpora.errors import ReadError

_QID_PREFIX = "Q"


class Quotation(msgspec.Struct, frozen=True, kw_only=True):
    """One Quotebank quotation as quotetrace stores it."""

    quote_id: str
    text: str
    speaker: str | None  # None where Quotebank says "None" (no speaker found)
    qids: tuple[str, ...]  # Wikidata ids of the people of that name (several: homonyms)
    date: str | None  # ISO date of the earliest report
    urls: tuple[str, ...]
    occurrences: int


class Skipped(msgspec.Struct):
    """Lines that were not quotations: how many, and the first `keep` line numbers."""

    count: int = 0
    lines: list[int] = []
    keep: int = 50

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < self.keep:
            self.lines.append(line)


def _open(path: Path) -> BinaryIO:
    if path.name.endswith(".bz2"):
        return bz2.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _date(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def quotation(raw: Any) -> Quotation | None:
    """The quotation a decoded line holds, or None when it is not a usable one."""
    if not isinstance(raw, dict):
        return None
    qid, text, urls = raw.get("quoteID"), raw.get("quotation"), raw.get("urls", [])
    if not isinstance(qid, str) or not qid or not isinstance(text, str):
        return None
    text = clean_text(text).strip()
    if not text or not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        return None
    speaker = raw.get("speaker")
    speaker = speaker.strip() if isinstance(speaker, str) and speaker.strip() not in (
        "", "None") else None
    qids = raw.get("qids") or []
    if not isinstance(qids, list):
        return None
    n = raw.get("numOccurrences")
    return Quotation(
        quote_id=qid, text=text, speaker=speaker,
        qids=tuple(q for q in qids if isinstance(q, str) and q.startswith(_QID_PREFIX)),
        date=_date(raw.get("date")), urls=tuple(dict.fromkeys(u.strip() for u in urls
                                                             if u.strip())),
        occurrences=n if isinstance(n, int) and n > 0 else max(1, len(urls)))


def read_quotebank(path: Path, skipped: Skipped) -> Iterator[tuple[int, Quotation]]:
    """(line number, quotation) for each usable line; the others go to `skipped`."""
    if not path.exists():
        raise ReadError(str(path), "no such file")
    decoder = msgspec.json.Decoder()
    n = 0
    with _open(path) as f:
        try:
            for n, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                try:
                    got = quotation(decoder.decode(raw))
                except (msgspec.DecodeError, RecursionError):
                    got = None
                if got is None:
                    skipped.add(n)
                    continue
                yield n, got
        except (EOFError, OSError) as e:  # a truncated or corrupt bz2 stream
            raise ReadError(str(path), f"cannot read past line {n}: {e}") from e
