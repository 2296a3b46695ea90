"""BM25 retrieval on tantivy over statement terms and source titles, with fields to filter on."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import tantivy

from index.text import terms

TEXT = "terms"  # the statement's stemmed content terms
CONTEXT = "ctx"  # the same for its first source's title (or an import record's context)
MAX_QUERY_TERMS = 64
HEAP = 64_000_000


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=False, indexed=True, fast=True)
    # Terms come analysed by index.text.terms (the same words dedup and alignment see), so the
    # engine only splits on spaces.
    sb.add_text_field(TEXT, stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field(CONTEXT, stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_integer_field("spk", indexed=True)  # speaker code in the generation's vocabulary
    sb.add_integer_field("out", indexed=True)  # outlet and via codes, one value each
    sb.add_integer_field("lo", indexed=True, fast=True)  # earliest day a report dates it
    sb.add_integer_field("hi", indexed=True, fast=True)  # latest such day
    return sb.build()


SCHEMA = _schema()


class LexDoc(NamedTuple):
    """What the lexical index holds of one statement."""

    id: int
    text: str
    context: str | None
    speaker: int = -1
    outlets: tuple[int, ...] = ()
    lo: int = 0
    hi: int = 0


@dataclass(frozen=True)
class LexFilter:
    """Restrictions applied inside the search: speaker and outlet codes, a day range, ids."""

    speakers: tuple[int, ...] | None = None
    outlets: tuple[int, ...] | None = None
    since: int | None = None  # day ordinals, inclusive
    until: int | None = None
    ids: tuple[int, ...] | None = None
    exclude: tuple[int, ...] = ()  # ids left out (statements another index holds anew)

    def query(self) -> list[tantivy.Query]:
        out = []
        if self.ids is not None:
            out.append(tantivy.Query.term_set_query(SCHEMA, "id", list(self.ids)))
        if self.speakers is not None:
            out.append(tantivy.Query.term_set_query(SCHEMA, "spk", list(self.speakers)))
        if self.outlets is not None:
            out.append(tantivy.Query.term_set_query(SCHEMA, "out", list(self.outlets)))
        if self.until is not None:
            out.append(tantivy.Query.range_query(SCHEMA, "lo", tantivy.FieldType.Integer,
                                                 None, self.until))
        if self.since is not None:
            out.append(tantivy.Query.range_query(SCHEMA, "hi", tantivy.FieldType.Integer,
                                                 self.since, None))
        return out


def text_query(field: str, text: str) -> tantivy.Query | None:
    """A disjunction of the text's terms (BM25: each shared term adds its weight)."""
    found = list(dict.fromkeys(terms(text)))[:MAX_QUERY_TERMS]
    if not found:
        return None
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, field, t)) for t in found])


def _filtered(query: tantivy.Query, clauses: list[tantivy.Query],
              exclude: Sequence[int] = ()) -> tantivy.Query:
    if not clauses and not exclude:
        return query
    # A filter clause must match but adds nothing to the BM25 score.
    parts = [(tantivy.Occur.Must, query),
             *((tantivy.Occur.Must, tantivy.Query.boost_query(c, 0.0)) for c in clauses)]
    if exclude:
        parts.append((tantivy.Occur.MustNot,
                      tantivy.Query.term_set_query(SCHEMA, "id", list(exclude))))
    return tantivy.Query.boolean_query(parts)


class LexicalIndex:
    """A tantivy index: on disk for a published generation, in memory for the delta."""

    def __init__(self, index: tantivy.Index, path: Path | None = None) -> None:
        self.index = index
        self.path = path
        self.searcher = index.searcher()
        self._writer: tantivy.IndexWriter | None = None
        self._lock = threading.Lock()

    @classmethod
    def in_memory(cls) -> LexicalIndex:
        return cls(tantivy.Index(SCHEMA))

    @classmethod
    def create(cls, path: Path) -> LexicalIndex:
        path.mkdir(parents=True, exist_ok=True)
        return cls(tantivy.Index(SCHEMA, path=str(path), reuse=False), path)

    @classmethod
    def open(cls, path: Path) -> LexicalIndex:
        return cls(tantivy.Index.open(str(path)), path)

    @property
    def count(self) -> int:
        return int(self.searcher.num_docs)

    # -- writes (the delta, and a generation while it is built) ---------------------------
    def add(self, docs: Iterable[LexDoc], replace: bool = False, commit: bool = True) -> None:
        """Add documents and commit; with `replace`, earlier documents of the same ids go.

        Without `commit` they become visible at `close_writer` (bulk builds).
        """
        with self._lock:
            if self._writer is None:
                self._writer = self.index.writer(HEAP, 1)
            w = self._writer
            docs = list(docs)
            if replace and docs:
                w.delete_documents_by_query(
                    tantivy.Query.term_set_query(SCHEMA, "id", [d.id for d in docs]))
            for d in docs:
                w.add_document(_document(d))
            if commit:
                w.commit()
                self.index.reload()
                self.searcher = self.index.searcher()

    def close_writer(self) -> None:
        """Finish background merges and let the writer go (before publishing a generation)."""
        with self._lock:
            if self._writer is not None:
                self._writer.commit()
                self._writer.wait_merging_threads()
                self._writer = None
            self.index.reload()
            self.searcher = self.index.searcher()

    # -- reads ----------------------------------------------------------------------------
    def search(self, field: str, text: str, k: int,
               filt: LexFilter | None = None) -> list[tuple[int, float]]:
        """(statement id, BM25) of the k best documents that pass the filter."""
        q = text_query(field, text)
        if q is None or k < 1:
            return []
        searcher = self.searcher
        query = _filtered(q, filt.query(), filt.exclude) if filt else q
        hits = searcher.search(query, k, count=False).hits
        return self._ids(searcher, hits)

    def scores(self, field: str, text: str, ids: Sequence[int]) -> dict[int, float]:
        """BM25 of the text against each of these statements that shares a term with it."""
        q = text_query(field, text)
        if q is None or not ids:
            return {}
        searcher = self.searcher
        restricted = _filtered(q, [tantivy.Query.term_set_query(SCHEMA, "id", list(ids))])
        hits = searcher.search(restricted, len(ids), count=False).hits
        return dict(self._ids(searcher, hits))

    @staticmethod
    def _ids(searcher: tantivy.Searcher, hits: list[Any]) -> list[tuple[int, float]]:
        if not hits:
            return []
        ids = searcher.fast_field_values("id", [a for _, a in hits])
        return [(int(i), float(s)) for (s, _), i in zip(hits, ids, strict=True)
                if i is not None and s > 0]


def _document(d: LexDoc) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("id", d.id)
    doc.add_text(TEXT, " ".join(terms(d.text)))
    doc.add_text(CONTEXT, " ".join(terms(d.context)) if d.context else "")
    doc.add_integer("spk", d.speaker)
    for o in d.outlets:
        doc.add_integer("out", o)
    doc.add_integer("lo", d.lo)
    doc.add_integer("hi", d.hi)
    return doc
