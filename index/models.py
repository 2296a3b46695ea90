"""SQLModel tables: articles, statements (deduplicated), their mentions, and the speakers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def columns(model: type[SQLModel], *names: str) -> list[Any]:
    """Columns of a table by name, for queries of more columns than select() types."""
    table = model.__table__  # type: ignore[attr-defined]
    return [table.c[n] for n in names]


def earliest(*dates: str | None) -> str | None:
    """The earliest of these ISO dates, None when none is given."""
    present = [d for d in dates if d]
    return min(present) if present else None


class ArticleRow(SQLModel, table=True):
    """An ingested article; its content hash makes ingest idempotent."""

    __tablename__ = "articles"
    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True, index=True)
    external_id: str | None = Field(default=None, max_length=512)
    url: str | None = Field(default=None, sa_column=Column(Text))
    title: str | None = Field(default=None, sa_column=Column(Text))
    outlet: str | None = Field(default=None, max_length=256)
    published: str | None = Field(default=None, max_length=10)
    author: str | None = Field(default=None, max_length=512)
    language: str | None = Field(default=None, max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=_now)


class StatementRow(SQLModel, table=True):
    """One statement: a speaker's words, once, however many articles report them."""

    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("speaker_key", "text_hash", name="uq_statement"),)
    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_hash: str = Field(max_length=64, index=True)
    speaker: str | None = Field(default=None, max_length=512, index=True)
    speaker_key: str = Field(default="", max_length=512)
    speaker_id: int | None = Field(default=None, index=True)  # the canonical speaker, if linked
    kind: str = Field(default="direct", max_length=16)
    first_seen: str | None = Field(default=None, max_length=10, index=True)
    external_id: str | None = Field(default=None, max_length=512, index=True)
    embedding: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: dt.datetime = Field(default_factory=_now)


class MentionRow(SQLModel, table=True):
    """One report of a statement: the article or import record that carries it."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("statement_id", "source_key", name="uq_mention"),)
    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="statements.id", index=True)
    article_id: int | None = Field(default=None, foreign_key="articles.id", index=True)
    source_key: str = Field(max_length=600)
    external_id: str | None = Field(default=None, max_length=512)
    kind: str = Field(default="direct", max_length=16)
    speaker_mention: str | None = Field(default=None, sa_column=Column(Text))
    speaker_name: str | None = Field(default=None, sa_column=Column(Text))  # as the source named it
    speaker_id: int | None = Field(default=None, index=True)
    role: str | None = Field(default=None, sa_column=Column(Text))
    cue: str | None = Field(default=None, max_length=256)
    via: str | None = Field(default=None, max_length=256)
    outlet: str | None = Field(default=None, max_length=256)
    url: str | None = Field(default=None, sa_column=Column(Text))
    date: str | None = Field(default=None, max_length=10)
    when_text: str | None = Field(default=None, max_length=256)
    published: str | None = Field(default=None, max_length=10)
    context: str | None = Field(default=None, sa_column=Column(Text))
    span_start: int | None = None
    span_end: int | None = None
    created_at: dt.datetime = Field(default_factory=_now)


class SpeakerRow(SQLModel, table=True):
    """One person (or body) of the corpus: the canonical name every mention of it links to."""

    __tablename__ = "speakers"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    # The normalised name this speaker is found by; unique, so that two writers naming the
    # same new person create it once. A speaker split off under a taken name gets `#id`.
    name_key: str = Field(max_length=512, unique=True, index=True)
    qid: str | None = Field(default=None, max_length=32, index=True)
    merged_into: int | None = Field(default=None, index=True)
    created_at: dt.datetime = Field(default_factory=_now)


class SpeakerAliasRow(SQLModel, table=True):
    """Another name a speaker goes by ("Karla Jensen", "K. Jensen", "Jensen")."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias_key", name="uq_speaker_alias"),)
    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speakers.id", index=True)
    alias: str = Field(sa_column=Column(Text, nullable=False))
    alias_key: str = Field(max_length=512, index=True)
    surname_key: str = Field(max_length=128, index=True)  # the alias's last word
    short_key: str = Field(default="", max_length=256, index=True)  # first and last words
    source: str = Field(default="auto", max_length=16)  # auto | operator | import


class SpeakerRoleRow(SQLModel, table=True):
    """A role a speaker held, with the first and last dates the corpus shows it."""

    __tablename__ = "speaker_roles"
    __table_args__ = (UniqueConstraint("speaker_id", "role_key", name="uq_speaker_role"),)
    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speakers.id", index=True)
    role: str = Field(sa_column=Column(Text, nullable=False))
    role_key: str = Field(max_length=256, index=True)
    start: str | None = Field(default=None, max_length=10)
    end: str | None = Field(default=None, max_length=10)
    source: str = Field(default="auto", max_length=16)


class IdempotencyRow(SQLModel, table=True):
    """The answer given to a write sent with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_keys"
    key: str = Field(primary_key=True, max_length=300)
    request_hash: str = Field(max_length=64)
    response: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: dt.datetime = Field(default_factory=_now)


class SettingRow(SQLModel, table=True):
    """A fact about the store itself, such as the model its embeddings were made with."""

    __tablename__ = "store_settings"
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


class JobRow(SQLModel, table=True):
    """A batch verification job: its claims are job_items rows, answered in order."""

    __tablename__ = "jobs"
    id: str = Field(primary_key=True, max_length=32)
    owner: str = Field(default="", max_length=64, index=True)  # key_id of the creating key
    state: str = Field(default="queued", max_length=16, index=True)
    params: str = Field(sa_column=Column(Text, nullable=False))  # JSON: k, below, filters
    source: str | None = Field(default=None, max_length=512)  # the uploaded file's name
    total: int = 0
    done: int = 0
    failed: int = 0
    worker: str | None = Field(default=None, max_length=200)
    lease_until: float | None = None  # epoch seconds; a running job past it is taken over
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None


class JobItemRow(SQLModel, table=True):
    """One claim of a job, and its verify-out record once answered."""

    __tablename__ = "job_items"
    job_id: str = Field(foreign_key="jobs.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    line: int = 0  # where the claim was in the uploaded file
    claim: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # claim-in JSON
    result: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    error: str | None = Field(default=None, sa_column=Column(Text))
