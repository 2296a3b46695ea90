"""The statement store: SQLite or PostgreSQL through SQLModel, the source of truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, event, func, insert, update
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import Session, SQLModel, col, create_engine, select

from corpora import gender
from corpora.dates import parse_iso
from corpora.errors import InvalidRequest, StateError
from corpora.types import Article, Attribution, StatementIn
from index import bulk, registry
from index import text as textnorm
from index.linking import NAME_SUFFIXES, surname_of
from index.models import (
    ArticleRow,
    IdempotencyRow,
    MentionRow,
    SettingRow,
    SpeakerAliasRow,
    StatementRow,
    columns,
    earliest,
)
from index.store_feed import IndexFeed
from index.store_reads import StatementReads

log = logging.getLogger("quotetrace.index")


def make_engine(url: str, wait: float = 30.0) -> Engine:
    """An engine for `url`; SQLite gets WAL and foreign keys, and waits up to `wait` seconds
    on a database another process holds locked."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": wait})

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

    @cached_property
    def key(self) -> tuple[str, str]:
        """(speaker key, text hash): hashed once, as a write reads it several times."""
        return textnorm.speaker_key(self.speaker), textnorm.text_hash(self.text)


@dataclass(frozen=True)
class Stored:
    """What one write did: the statement ids it touched and which of them are new."""

    statement_ids: list[int]
    new_ids: list[int]
    article_id: int | None = None
    duplicate: bool = False
    speakers_made: list[str] = field(default_factory=list)  # name keys of new people


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


def _lost_race(e: Exception) -> bool:
    """Whether a write failed only because a concurrent one won: a unique key it took first,
    or a deadlock (or serialization failure) the database broke by rolling this one back."""
    if isinstance(e, IntegrityError):
        return True
    code = getattr(getattr(e, "orig", None), "sqlstate", None)
    return code in ("40001", "40P01")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store(IndexFeed, StatementReads):
    """Reads and writes statements; every write is one transaction. What the indexes read
    is in IndexFeed (index/store_feed.py), what surfaces read in StatementReads."""

    def __init__(self, url: str, wait: float = 30.0) -> None:
        self.url = url
        self.engine = make_engine(url, wait)
        attempts = 10
        for attempt in range(attempts):
            try:
                SQLModel.metadata.create_all(self.engine)
                # Stores made before the text-hash index existed get it (dedup and the
                # content-hash look-ups read by it; without it each is a full scan).
                with self.engine.begin() as conn:
                    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_statements_text_hash "
                                         "ON statements (text_hash)")
                    _add_missing_columns(conn)
                    _fix_suffix_surnames(conn)
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

    def embeddings_by_text(self, hashes: Sequence[str]) -> dict[str, bytes]:
        """A stored embedding for each of these text hashes that some statement has (the
        same words under another speaker): identical texts are embedded once.
        """
        out: dict[str, bytes] = {}
        wanted = sorted(set(hashes))
        with Session(self.engine) as s:
            for i in range(0, len(wanted), 500):
                for h, emb in s.execute(sql_select(*columns(StatementRow, "text_hash",
                                                          "embedding"))
                                        .where(col(StatementRow.text_hash)
                                               .in_(wanted[i:i + 500]),
                                               col(StatementRow.embedding).is_not(None))):
                    out.setdefault(h, emb)
        return out

    def has_article(self, article: Article) -> int | None:
        with Session(self.engine) as s:
            row = s.exec(select(ArticleRow.id)
                         .where(ArticleRow.content_hash == article_hash(article))).first()
            return row

    WRITE_ATTEMPTS = 6

    def write(self, pending: Sequence[PendingStatement], embeddings: dict[tuple[str, str], bytes],
              article: Article | None = None) -> Stored:
        """Store statements (and their article) in one transaction. A race with another writer
        (the same new statement or speaker, or a deadlock PostgreSQL broke) rolls it back; it
        is tried again, after a short random wait, and then finds what the other wrote."""
        for attempt in range(self.WRITE_ATTEMPTS):
            try:
                return self._write(pending, embeddings, article)
            except (IntegrityError, OperationalError) as e:
                if attempt == self.WRITE_ATTEMPTS - 1 or not _lost_race(e):
                    raise
                log.info("a write lost a race with another writer (%s); trying again",
                         type(getattr(e, "orig", e)).__name__)
                time.sleep(random.uniform(0, 0.05 * 2 ** attempt))
        raise AssertionError("unreachable")

    def _write(self, pending: Sequence[PendingStatement], embeddings: dict[tuple[str, str], bytes],
               article: Article | None) -> Stored:
        """One transaction of bulk statements: executemany inserts, no round trip per row."""
        now = _now()
        statements = StatementRow.__table__  # type: ignore[attr-defined]
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
            # Each mention linked to its canonical speaker: statements deduplicate on it.
            batch = registry.link_batch(s, [p.speaker for p in pending],
                                        [p.role for p in pending],
                                        [p.date or p.published for p in pending],
                                        same_article=article is not None,
                                        honorifics=[gender.of_mention(p.speaker_mention, p.speaker)
                                                    for p in pending],
                                        outlets=[p.outlet for p in pending])
            links = batch.links
            keys = [(link.key, p.key[1]) if link else p.key
                    for p, link in zip(pending, links, strict=True)]
            # (id, first_seen, kind) of the statements already stored under these keys
            known: dict[tuple[str, str], tuple[int, str | None, str]] = {}
            unlinked: dict[str, dict[int, str]] = {}  # text hash -> {id: speaker key}
            hashes = sorted({k[1] for k in keys})
            for i in range(0, len(hashes), 500):
                for sid, sk, th, fs, kind, spk in s.execute(
                        sql_select(*columns(StatementRow, "id", "speaker_key", "text_hash",
                                          "first_seen", "kind", "speaker_id"))
                        .where(col(StatementRow.text_hash).in_(hashes[i:i + 500]))):
                    known[(sk, th)] = (int(sid or 0), fs, kind)
                    if spk is None:
                        unlinked.setdefault(th, {})[int(sid or 0)] = sk
            self._adopt(s, keys, links, known, unlinked)
            fresh: dict[tuple[str, str], dict[str, Any]] = {}
            changed: dict[int, dict[str, Any]] = {}
            for p, key, link in zip(pending, keys, links, strict=True):
                first = earliest(p.date, p.published)
                if key in known:
                    sid, fs, kind = known[key]
                    ch = changed.get(sid, {"sid": sid, "first_seen": fs, "kind": kind})
                    new_first = earliest(ch["first_seen"], first)
                    new_kind = "direct" if p.kind == "direct" else ch["kind"]
                    if (new_first, new_kind) != (fs, kind):
                        changed[sid] = {**ch, "first_seen": new_first, "kind": new_kind}
                elif key in fresh:
                    values = fresh[key]
                    values["first_seen"] = earliest(values["first_seen"], first)
                    if p.kind == "direct":
                        values["kind"] = "direct"
                else:
                    fresh[key] = {"text": p.text, "text_hash": key[1],
                                  "speaker": link.name if link else p.speaker,
                                  "speaker_key": key[0], "speaker_id": link.id if link else None,
                                  "kind": p.kind, "first_seen": first,
                                  "external_id": p.external_id,
                                  "embedding": embeddings.get(p.key) or embeddings.get(key),
                                  "created_at": now}
            new_ids: list[int] = []
            self._fill_embeddings(s, fresh)
            if fresh:
                for key, sid in zip(fresh, self._insert_statements(s, list(fresh.values())),
                                    strict=True):
                    known[key] = (sid, None, "")
                    new_ids.append(sid)
            if changed:
                s.execute(update(statements).where(statements.c.id == bindparam("sid"))
                          .values(first_seen=bindparam("first_seen"), kind=bindparam("kind")),
                          list(changed.values()), execution_options={"synchronize_session": False})
            ids: list[int] = []
            mentions: dict[tuple[int, str], dict[str, Any]] = {}
            for p, key, link in zip(pending, keys, links, strict=True):
                sid = known[key][0]
                ids.append(sid)
                source = f"a{article_id}:{p.source_key}" if article_id else p.source_key
                mentions.setdefault((sid, source), {
                    "statement_id": sid, "article_id": article_id, "source_key": source,
                    "external_id": p.external_id, "kind": p.kind,
                    "speaker_mention": p.speaker_mention, "speaker_name": p.speaker,
                    "speaker_id": link.id if link else None, "role": p.role, "cue": p.cue,
                    "via": p.via, "outlet": p.outlet, "url": p.url, "date": p.date,
                    "when_text": p.when_text, "published": p.published, "context": p.context,
                    "span_start": p.span[0] if p.span else None,
                    "span_end": p.span[1] if p.span else None, "created_at": now})
            if mentions:
                if self._copies(len(mentions)):
                    bulk.copy_ignoring(s, "mentions", list(mentions.values()), "uq_mention",
                                      ("statement_id", "source_key"))
                else:
                    s.execute(self._insert_ignoring(MentionRow), list(mentions.values()))
            return Stored(ids, new_ids, article_id, speakers_made=batch.made)

    def _copies(self, rows: int) -> bool:
        """Whether a write of `rows` rows goes through COPY (PostgreSQL, bulk writes)."""
        return self.engine.dialect.name == "postgresql" and rows >= bulk.COPY_MIN_ROWS

    def _insert_statements(self, s: Session, rows: list[dict[str, Any]]) -> list[int]:
        """Insert new statements; their ids, in the order of `rows`."""
        if self._copies(len(rows)):
            return bulk.copy_returning_ids(s, "statements", rows, ("speaker_key", "text_hash"))
        statements = StatementRow.__table__  # type: ignore[attr-defined]
        got = s.execute(insert(statements).returning(statements.c.id,
                                                     sort_by_parameter_order=True), rows).all()
        return [int(sid) for (sid,) in got]

    @staticmethod
    def _adopt(s: Session, keys: list[tuple[str, str]], links: Sequence[registry.Linked | None],
               known: dict[tuple[str, str], tuple[int, str | None, str]],
               unlinked: dict[str, dict[int, str]]) -> None:
        """A linked statement whose words are stored already under no name or under the
        speaker's surname alone, by a mention that speaker fits, takes that statement over:
        it is re-keyed to the canonical speaker, not stored twice."""
        statements = StatementRow.__table__  # type: ignore[attr-defined]
        for key, link in zip(keys, links, strict=True):
            if link is None or key in known or key[1] not in unlinked:
                continue
            roles = registry.candidates(s, [link.id])
            sid = registry.adoptable(s, unlinked[key[1]], link,
                                     roles[0].roles if roles else {})
            if sid is None:
                continue
            old = next(k for k in known if k[1] == key[1] and known[k][0] == sid)
            s.execute(update(statements).where(statements.c.id == sid).values(
                speaker_key=key[0], speaker=link.name, speaker_id=link.id))
            s.execute(update(MentionRow.__table__).where(  # type: ignore[attr-defined]
                MentionRow.__table__.c.statement_id == sid).values(  # type: ignore[attr-defined]
                speaker_id=link.id))
            known[key] = known.pop(old)
            del unlinked[key[1]][sid]

    @staticmethod
    def _fill_embeddings(s: Session, fresh: dict[tuple[str, str], dict[str, Any]]) -> None:
        """A new statement without a vector takes the one stored for the same words: linking
        may give a known text a new speaker key after it was embedded under the old one."""
        missing = sorted({v["text_hash"] for v in fresh.values() if v["embedding"] is None})
        have: dict[str, bytes] = {}
        for i in range(0, len(missing), 500):
            for h, emb in s.execute(sql_select(*columns(StatementRow, "text_hash", "embedding"))
                                    .where(col(StatementRow.text_hash).in_(missing[i:i + 500]),
                                           col(StatementRow.embedding).is_not(None))):
                have.setdefault(h, emb)
        for v in fresh.values():
            if v["embedding"] is None:
                v["embedding"] = have.get(v["text_hash"])

    def _insert_ignoring(self, model: type[SQLModel]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING for this backend: a row already there is kept."""
        table = model.__table__  # type: ignore[attr-defined]
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).on_conflict_do_nothing()
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()

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

    # -- the embedding model ---------------------------------------------------------------
    LEGACY_MODEL = "all-MiniLM-L6-v2"  # what every store embedded with before this was kept

    def embedding_model(self) -> str | None:
        """The model the stored embeddings were made with (None for a new, empty store)."""
        with Session(self.engine) as s:
            row = s.get(SettingRow, "embedding_model")
            if row is not None:
                return row.value
            has = s.exec(select(StatementRow.id).limit(1)).first()
        return self.LEGACY_MODEL if has is not None else None

    def claim_embedding_model(self, name: str) -> str:
        """Record the model of a new store's embeddings unless a process beside this one
        recorded one first; returns the model recorded.
        """
        with Session(self.engine) as s, s.begin():
            s.execute(self._insert_ignoring(SettingRow), [{"key": "embedding_model",
                                                           "value": name}])
        return self.embedding_model() or name

    def set_embedding_model(self, name: str) -> None:
        """Record the model every stored embedding now comes from (after re-embedding)."""
        self.claim_embedding_model(name)
        with Session(self.engine) as s, s.begin():
            row = s.get(SettingRow, "embedding_model")
            assert row is not None
            row.value = name
            s.add(row)

    # -- reads ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with Session(self.engine) as s:
            return {
                "articles": s.exec(select(func.count()).select_from(ArticleRow)).one(),
                "statements": s.exec(select(func.count()).select_from(StatementRow)).one(),
                "mentions": s.exec(select(func.count()).select_from(MentionRow)).one(),
            }

# Columns added since a store's tables were first made: (table, column, SQL type).
_ADDED_COLUMNS = (("statements", "speaker_id", "INTEGER"), ("mentions", "speaker_id", "INTEGER"),
                  ("mentions", "speaker_name", "TEXT"))


def _add_missing_columns(conn: Any) -> None:
    """Bring a store made by an earlier version up to the current tables (the speaker links
    are new): add each missing column, nullable, and its index."""
    from sqlalchemy import inspect

    inspector = inspect(conn)
    for table, column, kind in _ADDED_COLUMNS:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            if column.endswith("_id"):
                conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} "
                                     f"ON {table} ({column})")


def _fix_suffix_surnames(conn: Any) -> None:
    """Aliases stored before a suffix stopped counting as a surname ("joseph r biden jr" was
    found under "jr"): their surname key again, so a surname finds them."""
    aliases = SpeakerAliasRow.__table__  # type: ignore[attr-defined]
    for rid, key in conn.execute(sql_select(aliases.c.id, aliases.c.alias_key).where(
            aliases.c.surname_key.in_(sorted(NAME_SUFFIXES)))).all():
        if surname_of(key) not in NAME_SUFFIXES:
            conn.execute(update(aliases).where(aliases.c.id == rid)
                         .values(surname_key=surname_of(key)))


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date from a filter parameter, or an InvalidRequest naming it."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise InvalidRequest(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from e
