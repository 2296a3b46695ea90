"""The store on SQLite and PostgreSQL: dedup, mentions, first-seen dates, idempotent writes."""

from __future__ import annotations

from corpora.types import Article, StatementIn
from index.store import PendingStatement, Store, pending_from_import


def pending(text: str, speaker: str | None, source: str, date: str | None) -> PendingStatement:
    return PendingStatement(text=text, speaker=speaker, kind="direct", source_key=source,
                            outlet=f"outlet-{source}", date=date)


def test_dedup_by_speaker_and_normalised_text(store_url: str) -> None:
    store = Store(store_url)
    a1 = Article(text="first article", id="a1", published="2024-03-09")
    a2 = Article(text="second article", id="a2", published="2024-03-07")
    s1 = store.write([pending("“We are ready,” ", "Elena Varga", "x", "2024-03-09")],
                     {}, a1)
    s2 = store.write([pending("we are READY", "Elena Varga", "y", "2024-03-06"),
                      pending("we are ready", "Tomas Brenner", "z", None)], {}, a2)
    assert s1.statement_ids[0] == s2.statement_ids[0]
    assert s2.new_ids == [s2.statement_ids[1]]
    view = store.statement(s1.statement_ids[0])
    assert view.first_seen == "2024-03-06"
    assert [m.outlet for m in view.mentions] == ["outlet-y", "outlet-x"]  # earliest first
    assert store.counts() == {"articles": 2, "statements": 2, "mentions": 3}
    store.close()


def test_rewriting_an_article_or_import_stores_nothing_twice(store_url: str) -> None:
    store = Store(store_url)
    art = Article(text="same article", id="a")
    first = store.write([pending("words", "X", "s", None)], {}, art)
    again = store.write([pending("words", "X", "s", None)], {}, art)
    assert again.duplicate and again.statement_ids == first.statement_ids
    rec = StatementIn(text="imported words", id="ext-1", speaker="Y", date="2020-01-02")
    store.write([pending_from_import(rec)], {})
    store.write([pending_from_import(rec)], {})
    assert store.counts() == {"articles": 1, "statements": 2, "mentions": 2}
    found = store.search(speaker="y")
    assert [s.external_id for s in found] == ["ext-1"] and found[0].first_seen == "2020-01-02"
    assert store.speakers() == [("X", 1), ("Y", 1)]
    store.close()


def _open_and_close(url: str) -> str:
    Store(url).close()
    return "ok"


def test_processes_starting_on_a_new_database_do_not_race(store_url: str) -> None:
    import multiprocessing

    # Workers of `serve --workers N` (or replicas) create the tables of a new database at once.
    with multiprocessing.get_context("fork").Pool(6) as pool:
        assert pool.map(_open_and_close, [store_url] * 6) == ["ok"] * 6


def _bulk(n: int, start: int = 0) -> list[PendingStatement]:
    """n imported statements (a bulk write: COPY on PostgreSQL), some words said twice."""
    people = ["Alma Reyes", "Bruno Falk"]
    # Below 300, b{i} and b{i+150} say the same: one statement, two mentions.
    return [pending_from_import(StatementIn(
        text=f"The harbour works reach stage {i % 150 if i < 300 else i}.", id=f"b{i}",
        speaker=people[i % 2], outlet=f"Outlet {i % 5}", date=f"2024-05-{1 + i % 28:02d}"))
        for i in range(start, start + n)]


def _contents(store: Store) -> tuple[dict[str, int], list[tuple[object, ...]]]:
    rows = [(s.speaker, s.text, s.first_seen, s.kind, s.external_id,
             sorted((m.outlet, m.date) for m in s.mentions))
            for s in store.search(limit=500)]
    return store.counts(), sorted(rows, key=repr)


def test_bulk_writes_store_what_row_by_row_writes_store(pg_url: str, tmp_path: object) -> None:
    from pathlib import Path

    from index import bulk

    assert len(_bulk(300)) >= bulk.COPY_MIN_ROWS
    pg = Store(pg_url)  # 300 rows: COPY
    lite = Store(f"sqlite:///{Path(str(tmp_path)) / 'q.db'}")  # INSERT
    for store in (pg, lite):
        first = store.write(_bulk(300), {})
        again = store.write(_bulk(300), {})  # a repeated (or resumed) import
        assert again.statement_ids == first.statement_ids and not again.new_ids
        more = store.write(_bulk(200, start=250), {})  # 50 mentions stored, 150 new
        assert more.statement_ids[:50] == first.statement_ids[250:]
        assert len(set(more.statement_ids)) == 200 and len(more.new_ids) == 150
    assert _contents(pg) == _contents(lite)
    assert _contents(pg)[0] == {"articles": 0, "statements": 300, "mentions": 450}
    pg.close()
    lite.close()


def test_two_bulk_writers_of_the_same_statements_store_them_once(pg_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stores = [Store(pg_url) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda s: s.write(_bulk(400), {}), stores))
    assert got[0].statement_ids == got[1].statement_ids  # the loser retried and found them
    assert stores[0].counts()["mentions"] == 400
    for s in stores:
        s.close()
