"""A statement whose transaction took its id before others and committed after them (as
PostgreSQL's concurrent writers do) is caught up at the next refresh, not at the next full
count."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy

from corpora.types import StatementIn
from index.service import Library
from index.store import Store, sqlite_url
from tests.integration.index.test_scale import WordVectors


def said(n: int) -> StatementIn:
    return StatementIn(text=f"The ferry timetable changes in week {n}.", id=f"late-{n}",
                       speaker="Alma Reyes", outlet="Harbour Gazette", date="2024-05-16")


def test_a_late_commit_below_the_marks_is_seen_at_the_next_refresh(tmp_path: Path) -> None:
    writer = Library(Store(sqlite_url(tmp_path)), WordVectors(), tmp_path)
    writer.load()
    reader = Library(Store(sqlite_url(tmp_path)), WordVectors(), tmp_path)
    reader.load()
    writer.import_statements([said(1)])
    (late,) = writer.import_statements([said(2)]).statement_ids
    writer.import_statements([said(3)])
    # Statement 2 is taken out, as if its transaction had not committed yet, before the
    # reader sees anything: the reader then holds 1 and 3, its marks past 2.
    engine = writer.store.engine
    meta = sqlalchemy.MetaData()
    meta.reflect(engine)
    dependents = [t for t in meta.sorted_tables if "statement_id" in t.c]
    saved: dict[str, list[dict]] = {}
    with engine.begin() as conn:
        for t in reversed(dependents):
            rows = conn.execute(t.select().where(t.c.statement_id == late)).mappings().all()
            saved[t.name] = [dict(r) for r in rows]
            conn.execute(t.delete().where(t.c.statement_id == late))
        st = meta.tables["statements"]
        saved["statements"] = [dict(r) for r in conn.execute(
            st.select().where(st.c.id == late)).mappings().all()]
        conn.execute(st.delete().where(st.c.id == late))
    reader.refresh(min_interval=0)
    assert late not in set(reader.snapshot.ids().tolist())
    assert reader.snapshot.count == 2
    # It commits now, below the reader's marks.
    with engine.begin() as conn:
        conn.execute(meta.tables["statements"].insert(), saved["statements"])
        for t in dependents:
            if saved[t.name]:
                conn.execute(t.insert(), saved[t.name])
    reader.refresh(min_interval=0)
    assert late in set(reader.snapshot.ids().tolist())
    assert reader.snapshot.count == writer.store.count_statements() == 3


def test_a_request_waits_for_a_refresh_under_way_instead_of_answering_before_it(
        tmp_path: Path) -> None:
    """The background refresh began after a commit and is still reading it when a request
    comes: the request waits for it (briefly), so it sees the commit."""
    import threading
    import time

    writer = Library(Store(sqlite_url(tmp_path)), WordVectors(), tmp_path)
    writer.load()
    reader = Library(Store(sqlite_url(tmp_path)), WordVectors(), tmp_path)
    reader.load()
    (sid,) = writer.import_statements([said(1)]).statement_ids
    plain = reader.upkeep.refresh
    started = threading.Event()

    def slow_refresh() -> None:  # a catch-up that takes 0.1 s
        started.set()
        time.sleep(0.1)
        plain()

    reader.upkeep.refresh = slow_refresh  # type: ignore[method-assign]
    background = threading.Thread(target=reader.refresh, kwargs={"min_interval": 0})
    background.start()
    assert started.wait(5)
    reader.refresh()  # not due (the background one just began): it waits for that one
    assert sid in set(reader.snapshot.ids().tolist())
    background.join()
    # A refresh that outlasts the wait is not waited for: the request goes on with its view.
    reader.upkeep.refresh = lambda: time.sleep(1)  # type: ignore[method-assign]
    slow = threading.Thread(target=reader.refresh, kwargs={"min_interval": 0})
    slow.start()
    time.sleep(0.05)
    t = time.monotonic()
    reader.refresh()
    assert time.monotonic() - t < 0.9
    slow.join()
