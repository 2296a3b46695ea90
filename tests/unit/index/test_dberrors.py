"""Which database errors are outages (503, named) and which are bugs (500)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from index.dberrors import outage


class _PgError(Exception):
    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(cls: type, orig: Exception) -> Exception:
    return cls("INSERT INTO statements ...", {}, orig)


def test_a_full_disk_is_named_on_sqlite_and_postgresql() -> None:
    sqlite_full = wrapped(OperationalError, sqlite3.OperationalError("database or disk is full"))
    pg_full = wrapped(OperationalError, _PgError('could not extend file "base/1/2"', "53100"))
    for exc in (sqlite_full, pg_full):
        assert "disk is full" in (outage(exc) or "")


def test_read_only_locked_and_unreachable_are_outages() -> None:
    ro = wrapped(OperationalError, sqlite3.OperationalError("attempt to write a readonly database"))
    assert "read-only" in (outage(ro) or "")
    locked = wrapped(OperationalError, sqlite3.OperationalError("database is locked"))
    assert "locked" in (outage(locked) or "")
    refused = wrapped(OperationalError, _PgError("connection refused", "08006"))
    assert outage(refused) == "the database is unavailable; retry shortly"


def test_errors_of_our_own_making_are_not_outages() -> None:
    assert outage(wrapped(IntegrityError, sqlite3.IntegrityError("UNIQUE constraint"))) is None
    assert outage(wrapped(ProgrammingError, _PgError("syntax error", "42601"))) is None
    assert outage(ValueError("not a database error")) is None
