"""The statement store: SQLite or PostgreSQL through SQLModel, the source of truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import event, func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import Session, SQLModel, col, create_engine, select

from corpora.dates import parse_iso
from corpora.errors import InvalidRequest, NotFound, StateError
from corpora.types import Article, Attribution, StatementIn
from index import text as textnorm
from index.models import ArticleRow, IdempotencyRow, MentionRow, StatementRow
from index.types import IndexDoc, MentionView, StatementView


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and foreign keys, and waits on a busy database."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def sqlite_url(data_dir: Path) -> str:
    """The default embedded database inside the data dir."""
    return f"sqlite:///{data_dir / 'quotetrace.db'}"


@dataclass(frozen=True)
class PendingStatement:
    """A statement about to be stored, with the fields of the mention that reports it."""

    text: str
    speaker: str | None
    kind: str
    source_key: str
    external_id: str | None = None
    speaker_mention: str | None = None
    role: str | None = None
    cue: str | None = None
    via: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    when_text: str | None = None
    published: str | None = None
    context: str | None = None
    span: tuple[int, int] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return textnorm.speaker_key(self.speaker), textnorm.text_hash(self.text)


@dataclass(frozen=True)
class Stored:
    """What one write did: the statement ids it touched and which of them are new."""

    statement_ids: list[int]
    new_ids: list[int]
    article_id: int | None = None
    duplicate: bool = False


def article_hash(article: Article) -> str:
    """Content hash that identifies an article whatever file it came from."""
    return hashlib.sha256(textnorm.normalise(article.text).encode()).hexdigest()


def pending_from_attributions(article: Article, found: Sequence[Attribution]
                              ) -> list[PendingStatement]:
    """Statements to store for the attributions extracted from one article."""
    out = []
    for a in found:
        start = a.content_spans[0][0]
        end = a.content_spans[-1][1]
        para_start = article.text.rfind("\n", 0, start) + 1
        para_end = article.text.find("\n", end)
        context = article.text[para_start: para_end if para_end >= 0 else len(article.text)]
        out.append(PendingStatement(
            text=a.text, speaker=a.speaker.name, kind=a.kind,
            source_key=f"span:{start}-{end}",
            speaker_mention=a.speaker.mention, role=a.speaker.role,
            cue=a.cue.text if a.cue else None, via=a.via, outlet=article.outlet,
            url=article.url, date=a.when.date if a.when else None,
            when_text=a.when.text if a.when else None, published=article.published,
            context=context[:2000], span=(start, end),
        ))
    return out


def pending_from_import(rec: StatementIn) -> PendingStatement:
    """The statement an import record carries; its id is kept as the external id."""
    ident = rec.id or hashlib.sha256(f"{rec.speaker}\x1f{rec.text}\x1f{rec.outlet}\x1f{rec.url}"
                                     .encode()).hexdigest()[:32]
    date = None
    if rec.date:
        d = parse_iso(rec.date)
        date = d.isoformat() if d else None
    return PendingStatement(text=rec.text, speaker=rec.speaker, kind="direct",
                            source_key=f"import:{ident}", external_id=rec.id, outlet=rec.outlet,
                            url=rec.url, date=date, when_text=rec.date, context=rec.context)


def _min_date(*values: str | None) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


class Store:
    """Reads and writes statements; every write is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        attempts = 10
        for attempt in range(attempts):
            try:
                SQLModel.metadata.create_all(self.engine)
                break
            except (OperationalError, ProgrammingError, IntegrityError) as e:
                # Several processes starting on a new database race to create the tables:
                # the loser sees "already exists" and finds them there on the next check.
                # On SQLite, switching a new file to WAL while another process does the same
                # fails with "database is locked" at once, whatever the busy timeout.
                message = str(e.orig).lower()
                racing = any(m in message for m in ("already exists", "duplicate", "locked"))
                if attempt == attempts - 1 or not racing:
                    raise StateError(f"database unusable at {self.safe_url}: {e.orig}") from e
                self.engine.dispose()
                time.sleep(0.1 * (attempt + 1))

    @property
    def safe_url(self) -> str:
        """The database URL without its password, fit for logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    # -- writes ---------------------------------------------------------------------------
    def known_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which (speaker_key, text_hash) keys are already stored."""
        out: set[tuple[str, str]] = set()
        hashes = sorted({h for _, h in keys})
        with Session(self.engine) as s:
            for i in range(0, len(hashes), 500):
                rows = s.exec(select(StatementRow.speaker_key, StatementRow.text_hash)
                              .where(col(StatementRow.text_hash).in_(hashes[i:i + 500]))).all()
                out.update((k, h) for k, h in rows)
        return out

    def has_article(self, article: Article) -> int | None:
        with Session(self.engine) as s:
            row = s.exec(select(ArticleRow.id)
                         .where(ArticleRow.content_hash == article_hash(article))).first()
            return row

    def write(self, pending: Sequence[PendingStatement], embeddings: dict[tuple[str, str], bytes],
              article: Article | None = None) -> Stored:
        """Store statements (and their article) in one transaction; retried once on a race."""
        for attempt in range(2):
            try:
                return self._write(pending, embeddings, article)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _write(self, pending: Sequence[PendingStatement], embeddings: dict[tuple[str, str], bytes],
               article: Article | None) -> Stored:
        with Session(self.engine) as s, s.begin():
            article_id = None
            if article is not None:
                h = article_hash(article)
                existing = s.exec(select(ArticleRow.id).where(ArticleRow.content_hash == h)).first()
                if existing is not None:
                    seen = s.exec(select(MentionRow.statement_id)
                                  .where(MentionRow.article_id == existing)).all()
                    return Stored(sorted(set(seen)), [], existing, duplicate=True)
                row = ArticleRow(content_hash=h, external_id=article.id, url=article.url,
                                 title=article.title, outlet=article.outlet,
                                 published=article.published, author=article.author,
                                 language=article.language, text=article.text)
                s.add(row)
                s.flush()
                article_id = row.id
            ids: list[int] = []
            new_ids: list[int] = []
            by_key: dict[tuple[str, str], StatementRow] = {}
            hashes = sorted({p.key[1] for p in pending})
            for i in range(0, len(hashes), 500):
                for st in s.exec(select(StatementRow)
                                 .where(col(StatementRow.text_hash).in_(hashes[i:i + 500]))):
                    by_key[(st.speaker_key, st.text_hash)] = st
            for p in pending:
                key = p.key
                first = _min_date(p.date, p.published)
                found = by_key.get(key)
                if found is None:
                    st = StatementRow(text=p.text, text_hash=key[1], speaker=p.speaker,
                                      speaker_key=key[0], kind=p.kind, first_seen=first,
                                      external_id=p.external_id, embedding=embeddings.get(key))
                    s.add(st)
                    s.flush()
                    by_key[key] = st
                    assert st.id is not None
                    new_ids.append(st.id)
                else:
                    st = found
                    if first and (st.first_seen is None or first < st.first_seen):
                        st.first_seen = first
                        s.add(st)
                    if st.kind != "direct" and p.kind == "direct":
                        st.kind = "direct"
                        s.add(st)
                assert st.id is not None
                dup = s.exec(select(MentionRow.id).where(MentionRow.statement_id == st.id,
                                                         MentionRow.source_key == p.source_key,
                                                         MentionRow.article_id == article_id)
                             ).first()
                if dup is None:
                    s.add(MentionRow(
                        statement_id=st.id, article_id=article_id,
                        source_key=f"a{article_id}:{p.source_key}" if article_id else p.source_key,
                        external_id=p.external_id, kind=p.kind, speaker_mention=p.speaker_mention,
                        role=p.role, cue=p.cue, via=p.via, outlet=p.outlet, url=p.url,
                        date=p.date, when_text=p.when_text, published=p.published,
                        context=p.context, span_start=p.span[0] if p.span else None,
                        span_end=p.span[1] if p.span else None))
                    s.flush()
                ids.append(st.id)
            return Stored(ids, new_ids, article_id)

    def idempotent(self, key: str) -> tuple[str, bytes] | None:
        """(request hash, response) stored for an Idempotency-Key, if any."""
        with Session(self.engine) as s:
            row = s.get(IdempotencyRow, key)
            return (row.request_hash, row.response) if row else None

    def remember(self, key: str, request_hash: str, response: bytes) -> None:
        """Store the response for an Idempotency-Key; the first one stored wins."""
        try:
            with Session(self.engine) as s, s.begin():
                s.add(IdempotencyRow(key=key, request_hash=request_hash, response=response))
        except IntegrityError:
            pass

    # -- reads ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with Session(self.engine) as s:
            return {
                "articles": s.exec(select(func.count()).select_from(ArticleRow)).one(),
                "statements": s.exec(select(func.count()).select_from(StatementRow)).one(),
                "mentions": s.exec(select(func.count()).select_from(MentionRow)).one(),
            }

    def max_statement_id(self) -> int:
        with Session(self.engine) as s:
            return s.exec(select(func.max(StatementRow.id))).one() or 0

    def iter_embeddings(self, after_id: int = 0, batch: int = 5000
                        ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) batches of stored embeddings with id > after_id, in id order."""
        last = after_id
        while True:
            with Session(self.engine) as s:
                rows = s.exec(select(StatementRow.id, StatementRow.embedding)
                              .where(col(StatementRow.id) > last,
                                     col(StatementRow.embedding).is_not(None))
                              .order_by(col(StatementRow.id)).limit(batch)).all()
            if not rows:
                return
            ids = np.array([r[0] or 0 for r in rows], dtype=np.int64)
            vecs = np.vstack([np.frombuffer(r[1] or b"", dtype=np.float32) for r in rows])
            yield ids, vecs
            last = int(ids[-1])

    def iter_docs(self, after_id: int = 0, batch: int = 5000) -> Iterator[list[IndexDoc]]:
        """What the ranking indexes hold for statements with id > after_id, in id order."""
        last = after_id
        while True:
            docs = self._docs(col(StatementRow.id) > last, batch)
            if not docs:
                return
            yield docs
            last = docs[-1].id

    def docs(self, ids: Sequence[int]) -> list[IndexDoc]:
        """`iter_docs` records for these statements."""
        out: list[IndexDoc] = []
        for i in range(0, len(ids), 500):
            out.extend(self._docs(col(StatementRow.id).in_(list(ids[i:i + 500]))))
        return out

    def _docs(self, where: Any, limit: int | None = None) -> list[IndexDoc]:
        """IndexDoc records of the statements matching `where`, in id order."""
        query = select(StatementRow.id, StatementRow.text, StatementRow.speaker,
                       StatementRow.first_seen).where(where).order_by(col(StatementRow.id))
        with Session(self.engine) as s:
            rows = s.exec(query.limit(limit) if limit else query).all()
        contexts = self._contexts([int(r[0] or 0) for r in rows])
        return [IndexDoc(int(i or 0), t, sp, fs, contexts.get(int(i or 0)))
                for i, t, sp, fs in rows]

    def _contexts(self, ids: list[int]) -> dict[int, str]:
        """A short description of each statement's first source: the title of the article
        that reports it, or the context an import record gave.
        """
        out: dict[int, str] = {}
        if not ids:
            return out
        with Session(self.engine) as s:
            rows = s.exec(select(MentionRow.statement_id, MentionRow.article_id,
                                 MentionRow.context, ArticleRow.title)
                          .join(ArticleRow, isouter=True)
                          .where(col(MentionRow.statement_id).in_(ids))
                          .order_by(col(MentionRow.id))).all()
        for sid, article_id, context, title in rows:
            text = title if article_id is not None else context
            if text and sid not in out:
                out[sid] = text[:1000]
        return out

    def statement_ids(self) -> list[int]:
        with Session(self.engine) as s:
            return [int(i) for i in s.exec(select(StatementRow.id)).all() if i is not None]

    def embeddings(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of these statements that have embeddings."""
        rows: list[tuple[int, bytes]] = []
        with Session(self.engine) as s:
            for i in range(0, len(ids), 500):
                rows.extend((int(a or 0), b) for a, b in s.exec(
                    select(StatementRow.id, StatementRow.embedding)
                    .where(col(StatementRow.id).in_(list(ids[i:i + 500])),
                           col(StatementRow.embedding).is_not(None))).all() if b is not None)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]))

    def texts(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        with Session(self.engine) as s:
            for i in range(0, len(ids), 500):
                out.extend((int(a or 0), t) for a, t in s.exec(
                    select(StatementRow.id, StatementRow.text)
                    .where(col(StatementRow.id).in_(list(ids[i:i + 500])))).all())
        return out

    def missing_embeddings(self) -> list[tuple[int, str]]:
        with Session(self.engine) as s:
            rows = s.exec(select(StatementRow.id, StatementRow.text)
                          .where(col(StatementRow.embedding).is_(None))).all()
            return [(int(i or 0), t) for i, t in rows]

    def set_embeddings(self, items: Sequence[tuple[int, bytes]]) -> None:
        with Session(self.engine) as s, s.begin():
            for sid, emb in items:
                st = s.get(StatementRow, sid)
                if st is not None:
                    st.embedding = emb
                    s.add(st)

    def statements(self, ids: Sequence[int]) -> dict[int, StatementView]:
        """Statements by id, each with its mentions ordered earliest first."""
        if not ids:
            return {}
        with Session(self.engine) as s:
            rows = s.exec(select(StatementRow).where(col(StatementRow.id).in_(list(ids)))).all()
            mentions = s.exec(select(MentionRow, ArticleRow.title)
                              .join(ArticleRow, isouter=True)
                              .where(col(MentionRow.statement_id).in_(list(ids)))).all()
        by_stmt: dict[int, list[tuple[MentionRow, str | None]]] = {}
        for m, title in mentions:
            by_stmt.setdefault(m.statement_id, []).append((m, title))
        out = {}
        for r in rows:
            assert r.id is not None
            ms = sorted(by_stmt.get(r.id, []), key=lambda mt: (
                _min_date(mt[0].date, mt[0].published) or "9999", mt[0].id or 0))
            out[r.id] = StatementView(
                id=r.id, external_id=r.external_id, text=r.text, speaker=r.speaker, kind=r.kind,
                first_seen=r.first_seen,
                mentions=[MentionView(
                    article_id=m.article_id, external_id=m.external_id, kind=m.kind,
                    speaker_mention=m.speaker_mention, role=m.role, cue=m.cue, via=m.via,
                    outlet=m.outlet, url=m.url, date=m.date, when_text=m.when_text,
                    published=m.published, title=title) for m, title in ms])
        return out

    def statement(self, sid: int) -> StatementView:
        found = self.statements([sid]).get(sid)
        if found is None:
            raise NotFound(f"no statement with id {sid}")
        return found

    def search(self, speaker: str | None = None, q: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 50, offset: int = 0) -> list[StatementView]:
        """Statements filtered by speaker substring, text substring and first-seen dates."""
        stmt = select(StatementRow.id)
        if speaker:
            stmt = stmt.where(col(StatementRow.speaker_key).contains(textnorm.speaker_key(speaker)))
        if q:
            stmt = stmt.where(col(StatementRow.text).ilike(f"%{_escape_like(q)}%", escape="\\"))
        if since:
            stmt = stmt.where(col(StatementRow.first_seen) >= since)
        if until:
            stmt = stmt.where(col(StatementRow.first_seen) <= until)
        stmt = stmt.order_by(col(StatementRow.id)).offset(offset).limit(limit)
        with Session(self.engine) as s:
            ids = [i for i in s.exec(stmt).all() if i is not None]
        found = self.statements(ids)
        return [found[i] for i in ids if i in found]

    def speakers(self, q: str | None = None, limit: int = 50) -> list[tuple[str, int]]:
        """Speakers with their statement counts, most quoted first."""
        stmt = select(StatementRow.speaker, func.count()).where(
            col(StatementRow.speaker).is_not(None))
        if q:
            stmt = stmt.where(or_(col(StatementRow.speaker_key).contains(textnorm.speaker_key(q))))
        stmt = stmt.group_by(StatementRow.speaker).order_by(func.count().desc(),
                                                            col(StatementRow.speaker)).limit(limit)
        with Session(self.engine) as s:
            return [(name, int(n)) for name, n in s.exec(stmt).all() if name]


def _escape_like(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date from a filter parameter, or an InvalidRequest naming it."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise InvalidRequest(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from e
