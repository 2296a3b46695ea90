"""Helpers the speaker tests share: a statement as reported, and an article that reports some."""

from __future__ import annotations

import dataclasses

from corpora.types import Article
from index.store import PendingStatement, Store


def said(text: str, speaker: str | None, role: str | None = None) -> PendingStatement:
    """A statement with the name and role its source gave."""
    return PendingStatement(text=text, speaker=speaker, kind="direct", source_key=text[:8],
                            role=role)


def write(store: Store, n: int, published: str, *pending: PendingStatement) -> list[int]:
    """Store statements as the report of article `n`, published on that day."""
    art = Article(text=f"article {n}", id=f"a{n}", published=published, outlet=f"Outlet {n}")
    dated = [dataclasses.replace(p, published=published) for p in pending]
    return store.write(dated, {}, art).statement_ids
