"""Bulk writes to PostgreSQL with COPY: rows go into a temporary table, then into the real
one with the same conflict rules as an INSERT, so a write repeated stores nothing twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

# Below this many rows a plain multi-row INSERT costs less than making the temporary table.
COPY_MIN_ROWS = 64


def _staged(s: Session, table: str, rows: list[dict[str, Any]]) -> tuple[str, str]:
    """COPY `rows` into a temporary table with `table`'s columns (dropped at commit); the
    table's name and the column list."""
    import psycopg

    cols = list(rows[0])
    names = ", ".join(cols)
    stage = f"_qt_stage_{table}"
    conn = s.connection()
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
                         f"SELECT {names} FROM {table} WITH NO DATA")
    conn.exec_driver_sql(f"TRUNCATE {stage}")
    sql = f"COPY {stage} ({names}) FROM STDIN"
    raw = conn.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in cols))
    except psycopg.Error as e:  # the same errors as any statement's: an outage, a full disk
        raise DBAPIError.instance(sql, None, e, psycopg.Error) from e
    return stage, names


def copy_ignoring(s: Session, table: str, rows: list[dict[str, Any]], constraint: str,
                  key: Sequence[str]) -> None:
    """Insert `rows` into `table`, skipping any that `constraint` (on the `key` columns) says
    are there already. Rows go in in key order, so that concurrent writers take the key's
    locks in one order and cannot deadlock on them."""
    if not rows:
        return
    stage, names = _staged(s, table, rows)
    s.connection().exec_driver_sql(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ORDER BY {', '.join(key)} "
        f"ON CONFLICT ON CONSTRAINT {constraint} DO NOTHING")


def copy_returning_ids(s: Session, table: str, rows: list[dict[str, Any]],
                       key: Sequence[str]) -> list[int]:
    """Insert `rows` into `table` (none may be there: a conflict raises IntegrityError, as an
    INSERT does); the new ids in the order of `rows`, matched back by the unique `key`. Rows
    go in in key order (see `copy_ignoring`)."""
    if not rows:
        return []
    stage, names = _staged(s, table, rows)
    keys = ", ".join(key)
    got = s.connection().exec_driver_sql(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ORDER BY {keys} "
        f"RETURNING id, {keys}").all()
    ids = {tuple(r[1:]): int(r[0]) for r in got}
    return [ids[tuple(row[k] for k in key)] for row in rows]
