"""Moving statements and mentions between speakers, in the caller's transaction.

A statement re-keyed to a speaker whose same words are stored already is folded into that one
(its mentions move, the earlier first-seen date stays). Statements that change are *touched*:
their mention rows are written again under new ids, so the indexes read them again at their
next catch-up, as they do for a statement that gained a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from index import registry
from index.models import MentionRow, StatementRow

_MENTIONS = MentionRow.__table__  # type: ignore[attr-defined]


@dataclass
class Moved:
    """How many statements a correction re-keyed, and how many it folded into another."""

    moved: int = 0
    folded: int = 0


def rekey(s: Session, ids: Sequence[int], to: registry.Linked, fold_same: bool = True) -> Moved:
    """Give statements (and their mentions) the speaker `to`; a statement whose words `to`
    has already is folded into that one (or, without `fold_same`, left as it is)."""
    out = Moved()
    for sid in ids:
        st = s.get(StatementRow, sid)
        if st is None:
            continue
        same = s.exec(select(StatementRow).where(StatementRow.speaker_key == to.key,
                                                 StatementRow.text_hash == st.text_hash,
                                                 StatementRow.id != sid)).first()
        if same is not None and not fold_same:
            continue
        s.execute(update(_MENTIONS).where(_MENTIONS.c.statement_id == sid)
                  .values(speaker_id=to.id))
        if same is None:
            st.speaker, st.speaker_key, st.speaker_id = to.name, to.key, to.id
            s.add(st)
            s.flush()
            touch(s, [sid])
            out.moved += 1
            continue
        assert same.id is not None
        fold(s, st, same)
        out.folded += 1
    return out


def fold(s: Session, st: StatementRow, into: StatementRow) -> None:
    """Move a statement's mentions onto another with the same words, then drop it."""
    assert st.id is not None and into.id is not None
    sources = set(s.exec(select(MentionRow.source_key)
                         .where(MentionRow.statement_id == into.id)).all())
    rows = mention_dicts(s, [st.id])
    s.execute(delete(MentionRow).where(col(MentionRow.statement_id) == st.id))
    fresh = [{**r, "statement_id": into.id} for r in rows if r["source_key"] not in sources]
    if fresh:
        s.execute(insert(_MENTIONS), fresh)
    firsts = [x for x in (into.first_seen, st.first_seen) if x]
    into.first_seen = min(firsts) if firsts else None
    if st.kind == "direct":
        into.kind = "direct"
    if into.embedding is None:
        into.embedding = st.embedding
    s.add(into)
    s.delete(st)
    s.flush()
    touch(s, [into.id])


def split_mentions(s: Session, mids: Sequence[int], to: registry.Linked) -> Moved:
    """Give these mentions to speaker `to`: a statement all of whose mentions move goes with
    them; one some of whose mentions stay is copied for those that move."""
    out = Moved()
    by_statement: dict[int, list[int]] = {}
    for mid, sid in s.exec(select(MentionRow.id, MentionRow.statement_id)
                           .where(col(MentionRow.id).in_(list(mids)))).all():
        by_statement.setdefault(int(sid), []).append(int(mid or 0))
    for sid, moving in sorted(by_statement.items()):
        total = s.exec(select(func.count()).select_from(MentionRow)
                       .where(MentionRow.statement_id == sid)).one()
        if total == len(moving):
            m = rekey(s, [sid], to)
            out.moved += m.moved
            out.folded += m.folded
            continue
        st = s.get(StatementRow, sid)
        assert st is not None
        copy = StatementRow(text=st.text, text_hash=st.text_hash, speaker=to.name,
                            speaker_key=to.key, speaker_id=to.id, kind=st.kind,
                            first_seen=st.first_seen, external_id=st.external_id,
                            embedding=st.embedding)
        s.add(copy)
        s.flush()
        assert copy.id is not None
        rows = [r for r in mention_dicts(s, [sid]) if r["id"] in set(moving)]
        s.execute(delete(MentionRow).where(col(MentionRow.id).in_(moving)))
        s.execute(insert(_MENTIONS), [{**r, "statement_id": copy.id, "speaker_id": to.id}
                                      for r in rows])
        refresh_first_seen(s, [sid, copy.id])
        touch(s, [sid])
        out.moved += 1
    return out


def refresh_first_seen(s: Session, ids: Sequence[int]) -> None:
    for sid in ids:
        st = s.get(StatementRow, sid)
        if st is None:
            continue
        days = [d for r in mention_dicts(s, [sid]) for d in (r["date"], r["published"]) if d]
        st.first_seen = min(days) if days else None
        s.add(st)
    s.flush()


def mention_dicts(s: Session, statement_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = s.execute(sql_select(_MENTIONS).where(_MENTIONS.c.statement_id.in_(
        list(statement_ids))).order_by(_MENTIONS.c.id)).mappings().all()
    return [dict(r) for r in rows]


def touch(s: Session, statement_ids: Sequence[int]) -> None:
    """Write these statements' mentions again under new ids, so the indexes re-read them."""
    rows = mention_dicts(s, statement_ids)
    if not rows:
        return
    s.execute(delete(MentionRow).where(col(MentionRow.statement_id).in_(list(statement_ids))))
    s.execute(insert(_MENTIONS), [{k: v for k, v in r.items() if k != "id"} for r in rows])
