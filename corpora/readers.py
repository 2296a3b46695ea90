"""Readers: JSONL articles, single-article .json, .txt and .html files into `Article` structs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from corpora.cleantext import clean_text
from corpora.dates import parse_iso
from corpora.errors import ReadError
from corpora.types import Article
from corpora.webpage import article_from_html, decode_html

SUFFIXES = (".jsonl", ".json", ".txt", ".html", ".htm")
_ARTICLE_FIELDS = {"id", "url", "title", "outlet", "published", "author", "language", "text"}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ReadError(str(path), f"cannot read file: {e.strerror or e}") from e


def _decode(path: Path) -> str:
    return decode_utf8(_read(path), str(path))


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is dropped); invalid bytes are named by byte and line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ReadError(source, f"invalid UTF-8 at byte {e.start}", line) from e


def article_from_record(obj: Any, source: str, line: int | None) -> Article:
    """Validate one article record (a decoded JSON object)."""
    if not isinstance(obj, dict):
        raise ReadError(source, "expected a JSON object", line)
    unknown = set(obj) - _ARTICLE_FIELDS
    if unknown:
        raise ReadError(source, f"unknown field(s): {', '.join(sorted(unknown))}", line)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReadError(source, "field 'text' is required and must be a non-empty string", line)
    for key in _ARTICLE_FIELDS - {"text"}:
        value = obj.get(key)
        if value is not None and not isinstance(value, str | int):
            raise ReadError(source, f"field {key!r} must be a string", line)
    published = obj.get("published")
    if published is not None and parse_iso(str(published)) is None:
        raise ReadError(source, f"field 'published' is not an ISO date: {published!r}", line)
    if "\x00" in text:
        raise ReadError(source, "field 'text' contains a NUL byte", line)
    where = f"{source}:{line}" if line is not None else source
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise ReadError(source, "field 'text' holds only invisible characters", line)
    return Article(
        text=cleaned,
        id=str(obj["id"]) if obj.get("id") is not None else None,
        url=obj.get("url"), title=obj.get("title"), outlet=obj.get("outlet"),
        published=parse_iso(str(published)).isoformat() if published else None,  # type: ignore[union-attr]
        author=obj.get("author"), language=obj.get("language"), source=where,
    )


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object) for each non-blank line; errors name the file and line."""
    return iter_jsonl_text(_decode(path), str(path))


def iter_jsonl_text(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """The same for JSONL text that came from `source` (a file, an upload)."""
    decoder = msgspec.json.Decoder()
    # Lines end at "\n" alone, as editors count them: a form feed or a line separator inside
    # a record is not a line break (str.splitlines would make it one and misnumber errors).
    for n, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield n, decoder.decode(raw)
        except (msgspec.DecodeError, RecursionError) as e:
            raise ReadError(source, f"invalid JSON: {e}", n) from e


def read_jsonl(path: Path) -> list[Article]:
    """Articles from a JSONL file, one JSON object per line."""
    return [article_from_record(obj, str(path), n) for n, obj in iter_jsonl(path)]


def read_json(path: Path) -> list[Article]:
    """A single-article .json file (or a JSON list of articles)."""
    try:
        obj = json.loads(_decode(path))
    except (json.JSONDecodeError, RecursionError) as e:
        raise ReadError(str(path), f"invalid JSON: {e}", getattr(e, "lineno", None)) from e
    if isinstance(obj, list):
        return [article_from_record(o, f"{path}[{i}]", None) for i, o in enumerate(obj)]
    return [article_from_record(obj, str(path), None)]


def read_txt(path: Path) -> list[Article]:
    """A plain-text article; the file name is its id."""
    text = _decode(path)
    if not text.strip():
        raise ReadError(str(path), "empty article")
    return [Article(text=clean_text(text), id=path.stem, source=str(path))]


def read_html(path: Path) -> list[Article]:
    """An HTML page, in the encoding it declares: its main text and its metadata
    (corpora/webpage.py)."""
    return [article_from_html(decode_html(_read(path)), str(path), path.stem)]


_READERS = {".jsonl": read_jsonl, ".json": read_json, ".txt": read_txt, ".html": read_html,
            ".htm": read_html}


def read_path(path: Path) -> list[Article]:
    """Articles from one file, by its suffix."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(str(path), f"unsupported file type {path.suffix!r} "
                                   f"(expected one of {', '.join(SUFFIXES)})")
    return reader(path)


def expand(paths: list[Path]) -> list[Path]:
    """Files named directly plus the readable files inside named folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES
                              and f.is_file()))
        elif p.exists():
            out.append(p)
        else:
            raise ReadError(str(p), "no such file or directory")
    return out
