"""Uploaded claim files (JSONL or CSV, raw or in a multipart form) read into claim-in records."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

import msgspec

from api import schemas
from corpora.errors import ReadError
from corpora.readers import decode_utf8, iter_jsonl_text
from corpora.types import ClaimIn

Format = Literal["jsonl", "csv"]
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
               "application/json")
CSV_TYPES = ("text/csv", "application/csv")
CSV_COLUMNS = ("claim", "id", "speaker", "date", "context")


def format_of(media_type: str | None, filename: str | None = None) -> Format | None:
    """The format a body or form part is in, from its media type, else its file name."""
    media = (media_type or "").split(";")[0].strip().lower()
    if media in JSONL_TYPES:
        return "jsonl"
    if media in CSV_TYPES:
        return "csv"
    name = (filename or "").lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    return None


def _claim(obj: Any, source: str, line: int, max_chars: int) -> ClaimIn:
    if not isinstance(obj, dict):
        raise ReadError(source, "a claim must be a JSON object", line)
    try:
        c = msgspec.convert(obj, schemas.BatchClaim, strict=False)
    except msgspec.ValidationError as e:
        raise ReadError(source, f"invalid claim: {e}", line) from e
    if not c.claim.strip():
        raise ReadError(source, "the claim is blank", line)
    if len(c.claim) > max_chars:
        raise ReadError(source, f"the claim is {len(c.claim)} characters long; the limit is "
                                f"{max_chars}", line)
    return ClaimIn(claim=c.claim, id=c.id, speaker=c.speaker, date=c.date, context=c.context)


def _rows(text: str, fmt: Format, source: str) -> Any:
    if fmt == "jsonl":
        yield from iter_jsonl_text(text, source)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        if "claim" not in header:
            raise ReadError(source, "the CSV header has no 'claim' column", 1)
        for row in reader:
            if None in row:
                raise ReadError(source, "the row has more fields than the header",
                                reader.line_num)
            yield reader.line_num, {k: v for k, v in row.items()
                                    if k in CSV_COLUMNS and v not in (None, "")}
    except csv.Error as e:
        # line_num is the last line of the record read before the one that failed
        raise ReadError(source, f"invalid CSV in the record starting here: {e}",
                        reader.line_num + 1) from e


def read_claims(data: bytes, fmt: Format, source: str, max_claims: int, max_chars: int
                ) -> list[tuple[int, ClaimIn]]:
    """(line, claim) for every record; the first bad one is named by its line."""
    out: list[tuple[int, ClaimIn]] = []
    for line, obj in _rows(decode_utf8(data, source), fmt, source):
        if len(out) >= max_claims:
            raise ReadError(source, f"more than {max_claims} claims; the limit is "
                                    f"{max_claims}", line)
        out.append((line, _claim(obj, source, line, max_chars)))
    if not out:
        raise ReadError(source, "no claims found")
    return out
