"""What the indexes read from the store: id marks, counts, index rows and embeddings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from index.models import ArticleRow, MentionRow, StatementRow, columns
from index.types import IndexRow

CONTEXT_INDEX_CHARS = 3000  # of an import record's context, searched as the statement's context


class IndexFeed:
    """The Store's reads for index upkeep (a part of Store, on its engine)."""

    engine: Engine

    def max_ids(self) -> tuple[int, int]:
        """The highest statement id and the highest mention id stored."""
        with Session(self.engine) as s:
            return (int(s.exec(select(func.max(StatementRow.id))).one() or 0),
                    int(s.exec(select(func.max(MentionRow.id))).one() or 0))

    def count_statements(self, after_id: int = 0) -> int:
        """How many statements have an id above `after_id` (all of them by default)."""
        with Session(self.engine) as s:
            query = select(func.count()).select_from(StatementRow)
            if after_id:
                query = query.where(col(StatementRow.id) > after_id)
            return int(s.exec(query).one())

    def statement_ids(self, after_id: int = 0) -> np.ndarray:
        """The statement ids above `after_id`, sorted."""
        with Session(self.engine) as s:
            got = s.exec(select(StatementRow.id).where(col(StatementRow.id) > after_id)
                         .order_by(col(StatementRow.id))).all()
        return np.array([int(i) for i in got if i is not None], dtype=np.int64)

    def iter_index_rows(self, after_id: int = 0, batch: int = 5000,
                        upto: int | None = None) -> Iterator[list[IndexRow]]:
        """IndexRow batches of the statements with after_id < id (<= upto), in id order."""
        last = after_id
        while True:
            where = [col(StatementRow.id) > last]
            if upto is not None:
                where.append(col(StatementRow.id) <= upto)
            rows = self._index_rows(where, batch)
            if not rows:
                return
            yield rows
            last = rows[-1].id

    def index_rows(self, ids: Sequence[int]) -> list[IndexRow]:
        """IndexRow records of these statements, in id order."""
        out: list[IndexRow] = []
        ids = sorted(set(ids))
        for i in range(0, len(ids), 500):
            out.extend(self._index_rows([col(StatementRow.id).in_(ids[i:i + 500])]))
        return out

    def _index_rows(self, where: list[Any], limit: int | None = None) -> list[IndexRow]:
        query = sql_select(*columns(StatementRow, "id", "text", "speaker", "first_seen",
                                  "embedding")).where(*where).order_by(col(StatementRow.id))
        with Session(self.engine) as s:
            rows = s.execute(query.limit(limit) if limit else query).all()
            if not rows:
                return []
            ids = [int(r[0] or 0) for r in rows]
            mq = sql_select(*columns(MentionRow, "statement_id", "article_id", "context", "outlet",
                                   "via", "date", "published"), col(ArticleRow.title)
                            ).join(ArticleRow, isouter=True)
            if ids[-1] - ids[0] < 2 * len(ids):  # a run of ids: one range scan
                wheres = [[col(MentionRow.statement_id) >= ids[0],
                           col(MentionRow.statement_id) <= ids[-1]]]
            else:
                wheres = [[col(MentionRow.statement_id).in_(ids[i:i + 500])]
                          for i in range(0, len(ids), 500)]
            mentions: list[Any] = []
            for w in wheres:
                mentions.extend(s.execute(mq.where(*w).order_by(col(MentionRow.id))).all())
        contexts: dict[int, str] = {}
        outlets: dict[int, list[str]] = {}
        days: dict[int, list[str]] = {}
        for sid, article_id, context, outlet, via, date, published, title in mentions:
            text = title if article_id is not None else context
            if text and sid not in contexts:
                contexts[sid] = text[:CONTEXT_INDEX_CHARS]
            outlets.setdefault(sid, []).extend(x for x in (outlet, via) if x)
            d = date or published
            if d:
                days.setdefault(sid, []).append(d)
        return [IndexRow(int(i or 0), t, sp, fs, contexts.get(int(i or 0)),
                         tuple(outlets.get(int(i or 0), ())), tuple(days.get(int(i or 0), ())),
                         emb) for i, t, sp, fs, emb in rows]

    def touched_since(self, mention_id: int, upto_statement: int) -> list[int]:
        """Statements up to `upto_statement` that gained a mention with id > mention_id."""
        # By the mention id alone (a primary-key range of the new rows): a condition on the
        # statement id lets the planner scan that index over nearly the whole table.
        with Session(self.engine) as s:
            got = s.exec(select(MentionRow.statement_id)
                         .where(col(MentionRow.id) > mention_id)).all()
        return sorted({int(i) for i in got if i <= upto_statement})

    def sample_embeddings(self, n: int) -> np.ndarray:
        """Up to n stored embeddings spread over the id range (a quantiser's training set)."""
        hi, _ = self.max_ids()
        if not hi:
            return np.zeros((0, 0), dtype=np.float32)
        rng = np.random.default_rng(0)
        want = np.unique(rng.integers(1, hi + 1, size=min(n * 2, hi)))
        got: list[bytes] = []
        with Session(self.engine) as s:
            for i in range(0, len(want), 500):
                got.extend(b for b in s.exec(
                    select(StatementRow.embedding).where(
                        col(StatementRow.id).in_([int(x) for x in want[i:i + 500]]),
                        col(StatementRow.embedding).is_not(None))).all() if b)
                if len(got) >= n:
                    break
        if not got:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([np.frombuffer(b, dtype=np.float32) for b in got[:n]])

    def set_embeddings(self, items: Sequence[tuple[int, bytes]]) -> None:
        statements = StatementRow.__table__  # type: ignore[attr-defined]
        if not items:
            return
        with Session(self.engine) as s, s.begin():
            s.execute(update(statements).where(statements.c.id == bindparam("sid"))
                      .values(embedding=bindparam("emb")),
                      [{"sid": sid, "emb": emb} for sid, emb in items],
                      execution_options={"synchronize_session": False})
