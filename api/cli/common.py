"""Helpers the CLI commands share: opening the library, reading records, writing JSONL."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from api.settings import Settings
from corpora.errors import ReadError
from corpora.readers import iter_jsonl
from index.service import Library

T = TypeVar("T", bound=msgspec.Struct)
_encoder = msgspec.json.Encoder()


def open_library(settings: Settings, ray: str | None = None) -> Library:
    """The library, loaded; with `ray`, embedding on that Ray cluster."""
    from api.app import build_library

    return build_library(settings, ray=ray)


@contextmanager
def closing_embedder(library: Library) -> Iterator[Library]:
    """Stop the embedder's and the extractor's worker processes (a pool, Ray actors) when the
    command is done."""
    try:
        yield library
    finally:
        for part in (library.embedder, library.loaded_extractor):
            close = getattr(part, "close", None)
            if close is not None:
                close()


def ray_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--ray", metavar="ADDRESS", default=None,
                   help=f"{what} on a Ray cluster: local (start one here), auto or "
                        "ray://host:port (join one); needs the `ray` extra")


def _records_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            for row in reader:
                yield reader.line_num, {k: v for k, v in row.items() if k is not None
                                        and v not in (None, "")}
    except UnicodeDecodeError as e:
        raise ReadError(str(path), f"invalid UTF-8: {e.reason}") from e
    except csv.Error as e:
        raise ReadError(str(path), f"invalid CSV: {e}") from e


def read_records(path: Path, kind: type[T]) -> list[T]:
    """Typed records from a .jsonl (or .csv) file; the first bad one is named by file and line."""
    if not path.exists():
        raise ReadError(str(path), "no such file")
    rows = _records_csv(path) if path.suffix.lower() == ".csv" else iter_jsonl(path)
    out = []
    for line, obj in rows:
        try:
            out.append(msgspec.convert(obj, kind, strict=False))
        except msgspec.ValidationError as e:
            raise ReadError(str(path), f"invalid record: {e}", line) from e
    if not out:
        raise ReadError(str(path), "no records found")
    return out


def write_jsonl(records: Iterable[Any], out: Path | None) -> int:
    """Write JSONL to `out` atomically (temp file, then rename), or to stdout."""
    n = 0
    if out is None:
        for r in records:
            sys.stdout.write(_encoder.encode(r).decode() + "\n")
            n += 1
        sys.stdout.flush()
        return n
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for r in records:
                f.write(_encoder.encode(r) + b"\n")
                n += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


@contextmanager
def progress(total: int, desc: str) -> Iterator[Any]:
    """A progress bar on stderr."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="item", file=sys.stderr,
               disable=total < 2 or (not sys.stderr.isatty() and os.environ.get("CI") == "true"))
    try:
        yield bar
    finally:
        bar.close()
