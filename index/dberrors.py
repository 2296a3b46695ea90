"""What a database error means to a user: an outage (unreachable, locked, full) or a bug."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# What a database call can raise that `outage` reads.
DB_ERRORS = (DBAPIError, PoolTimeout)

# SQLSTATE codes of PostgreSQL errors that are outages of the store, not bugs.
_DISK_FULL = {"53100"}  # disk_full
_READ_ONLY = {"25006"}  # read_only_sql_transaction (a standby, or default_transaction_read_only)


def outage(exc: BaseException) -> str | None:
    """A sentence naming the outage this database error is, or None when it is none."""
    if not isinstance(exc, DBAPIError | PoolTimeout):
        return None
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    text = str(orig if orig is not None else exc).lower()
    if state in _DISK_FULL or "database or disk is full" in text or "no space left" in text:
        return "the database's disk is full: nothing was stored; retry once space is freed"
    if state in _READ_ONLY or "readonly database" in text or "read-only" in text:
        return "the database is read-only: nothing was stored; retry once it is writable"
    if isinstance(exc, OperationalError) and "database is locked" in text:
        return "the database is locked by another process; retry shortly"
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return "the database is unavailable; retry shortly"
    return None


class OutageNotice:
    """Logs an outage once when it starts and once when it ends, however often it is met."""

    def __init__(self, log: logging.Logger, who: str) -> None:
        self.log = log
        self.who = who
        self.down = False

    def met(self, detail: str) -> None:
        if not self.down:
            self.log.warning("%s paused: %s", self.who, detail)
        self.down = True

    def over(self) -> None:
        if self.down:
            self.log.info("%s resumed: the database is back", self.who)
        self.down = False
