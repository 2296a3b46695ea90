"""What surfaces read from the store: statements with their mentions, search, speakers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from corpora.errors import NotFound
from index import text as textnorm
from index.models import ArticleRow, MentionRow, StatementRow, earliest
from index.types import MentionView, StatementView


class StatementReads:
    """The Store's reads for the API and the CLI (a part of Store, on its engine)."""

    engine: Engine

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
                earliest(mt[0].date, mt[0].published) or "9999", mt[0].id or 0))
            out[r.id] = StatementView(
                id=r.id, external_id=r.external_id, text=r.text, speaker=r.speaker, kind=r.kind,
                first_seen=r.first_seen, speaker_id=r.speaker_id,
                mentions=[MentionView(
                    article_id=m.article_id, external_id=m.external_id, kind=m.kind,
                    speaker_mention=m.speaker_mention, role=m.role, cue=m.cue, via=m.via,
                    outlet=m.outlet, url=m.url, date=m.date, when_text=m.when_text,
                    published=m.published, title=title, context=m.context,
                    span=(m.span_start, m.span_end) if m.span_start is not None
                    and m.span_end is not None else None) for m, title in ms])
        return out

    def statement(self, sid: int) -> StatementView:
        # Ids are 64-bit: a larger one names no statement (and would overflow the driver).
        found = self.statements([sid]).get(sid) if 0 < sid < 2**63 else None
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
