"""Operator corrections to the speaker registry: show, alias, merge, split and import speakers.

Each correction is one transaction. Statements follow their speaker (index/speaker_moves.py).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, update
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from corpora.errors import Conflict, InvalidRequest, NotFound
from corpora.gender import Gender, of_mention
from corpora.types import SpeakerIn
from index import registry
from index.linking import Mention, bare_surnames, is_full_name, name_key, role_key
from index.models import MentionRow, SpeakerAliasRow, SpeakerRoleRow, SpeakerRow, StatementRow
from index.speaker_moves import Moved, rekey, split_mentions
from index.store import check_date
from index.types import AliasView, RoleView, SpeakerChange, SpeakerView

_MENTIONS = MentionRow.__table__  # type: ignore[attr-defined]
SHOWN_STATEMENTS = 50


@dataclass
class Relinked:
    """What a relink did: statements it looked at, re-keyed, and folded into another."""

    considered: int = 0
    moved: int = 0
    folded: int = 0


class Speakers:
    """The registry as operators see it, over the store's engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reads -------------------------------------------------------------------------------
    def show(self, sid: int) -> SpeakerView:
        """A speaker with its aliases, roles and statements; a merged one shows its survivor."""
        with Session(self.engine) as s:
            return _view(s, _live(s, sid))

    def find(self, q: str | None = None, limit: int = 50) -> list[SpeakerView]:
        """Speakers whose name or an alias contains `q` (all, without), most mentioned first."""
        with Session(self.engine) as s:
            if q:
                ids = [int(i) for i in s.exec(
                    select(SpeakerAliasRow.speaker_id).distinct()
                    .where(col(SpeakerAliasRow.alias_key).contains(name_key(q))).limit(1000))]
                counts = dict(s.execute(sql_select(col(MentionRow.speaker_id), func.count())
                                        .where(col(MentionRow.speaker_id).in_(ids))
                                        .group_by(col(MentionRow.speaker_id))).all())
            else:
                counts = dict(s.execute(sql_select(col(MentionRow.speaker_id), func.count())
                                        .where(col(MentionRow.speaker_id).is_not(None))
                                        .group_by(col(MentionRow.speaker_id))
                                        .order_by(func.count().desc()).limit(limit)).all())
                ids = list(counts)
            live = {r.id: r for r in s.exec(select(SpeakerRow).where(
                col(SpeakerRow.id).in_(ids), col(SpeakerRow.merged_into).is_(None)))}
            order = sorted(live, key=lambda i: (-counts.get(i, 0), live[i].name))[:limit]
            return [_view(s, live[i]) for i in order]

    def known_as(self, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """For each name, the canonical names of the live speakers that go by it (an alias,
        or the same first and last words)."""
        keys = {n: name_key(n) for n in names}
        wanted = sorted({k for k in keys.values() if k})
        if not wanted:
            return {}
        by_key: dict[str, set[str]] = {}
        with Session(self.engine) as s:
            for chunk in registry.chunks(wanted):
                rows = s.exec(select(SpeakerAliasRow.alias_key, SpeakerRow.name)
                              .join(SpeakerRow, col(SpeakerRow.id) == SpeakerAliasRow.speaker_id)
                              .where(col(SpeakerAliasRow.alias_key).in_(chunk),
                                     col(SpeakerRow.merged_into).is_(None))).all()
                for key, name in rows:
                    by_key.setdefault(key, set()).add(name)
        return {n: tuple(sorted(by_key[k])) for n, k in keys.items() if k in by_key}

    # -- corrections -------------------------------------------------------------------------
    def alias(self, sid: int, alias: str) -> SpeakerChange:
        """Give a speaker another name; statements stored unlinked under it join the speaker."""
        key = _key(alias)
        with Session(self.engine) as s, s.begin():
            row = _live(s, sid)
            assert row.id is not None
            other = _holder(s, key, exclude=row.id)
            if other is not None:
                raise Conflict(f"the alias {alias!r} belongs to speaker {other} already: "
                               f"merge the two speakers instead")
            _add_alias(s, row.id, alias, key, "operator")
            moved = rekey(s, _unlinked(s, key), _linked(row))
            return SpeakerChange(speaker=_view(s, row), statements_moved=moved.moved,
                                 statements_folded=moved.folded)

    def merge(self, source: int, target: int) -> SpeakerChange:
        """Fold speaker `source` into `target`: names, roles, mentions and statements."""
        if source == target:
            raise InvalidRequest("cannot merge a speaker into itself")
        with Session(self.engine) as s, s.begin():
            a, b = _live(s, source), _live(s, target)
            if a.id == b.id:
                raise InvalidRequest(f"speaker {source} was merged into {target} already")
            moved = _merge(s, a, b)
            return SpeakerChange(speaker=_view(s, b), statements_moved=moved.moved,
                                 statements_folded=moved.folded)

    def split(self, sid: int, name: str, alias: str | None = None,
              articles: Sequence[int] = ()) -> SpeakerChange:
        """Take from a speaker the mentions that are someone else's, as a new speaker `name`:
        those named `alias` (the alias moves too), or those in `articles`."""
        if not alias and not articles:
            raise InvalidRequest("say which mentions to split off: an alias or article ids")
        with Session(self.engine) as s, s.begin():
            row = _live(s, sid)
            assert row.id is not None
            key = _key(name)
            taken = s.exec(select(SpeakerRow.id).where(SpeakerRow.name_key == key)).first()
            new = SpeakerRow(name=name, name_key=key if taken is None else f"{key}#{row.id}")
            if taken is not None and s.exec(select(SpeakerRow.id).where(
                    SpeakerRow.name_key == new.name_key)).first() is not None:
                raise Conflict(f"a speaker named {name!r} was split off speaker {sid} already")
            s.add(new)
            s.flush()
            assert new.id is not None
            where = [col(MentionRow.speaker_id) == row.id]
            if alias:
                akey = _key(alias)
                s.execute(delete(SpeakerAliasRow).where(
                    col(SpeakerAliasRow.speaker_id) == row.id,
                    col(SpeakerAliasRow.alias_key) == akey))
                _add_alias(s, new.id, alias, akey, "operator")
                names = [n for n in s.exec(select(MentionRow.speaker_name).distinct().where(
                    *where)).all() if n and name_key(n) == akey]
                where.append(col(MentionRow.speaker_name).in_(names))
            else:
                where.append(col(MentionRow.article_id).in_(list(articles)))
            if taken is None:
                _add_alias(s, new.id, name, key, "operator")
            mids = [int(i) for i in s.exec(select(MentionRow.id).where(*where)).all()
                    if i is not None]
            if not mids:
                raise InvalidRequest(f"speaker {sid} has no mentions to split off that way")
            moved = split_mentions(s, mids, _linked(new))
            return SpeakerChange(speaker=_view(s, new), statements_moved=moved.moved,
                                 statements_folded=moved.folded)

    def relink(self, keys: Collection[str] | None = None, fold: bool = True) -> Relinked:
        """Link again the statements stored with no canonical speaker (a surname or a role
        nobody known fitted then), against the registry as it is now, each read with the
        names of the article that first reported it. Nobody new is made.

        With `keys`, only the statements stored under those name keys (a surname) are looked
        at. Without `fold`, a statement whose words its speaker already has stays unlinked,
        so that no statement leaves the database (and the indexes need no rebuild)."""
        out = Relinked()
        with Session(self.engine) as s, s.begin():
            where = [col(StatementRow.speaker_id).is_(None)]
            if keys is not None:
                if not keys:
                    return out
                where.append(col(StatementRow.speaker_key).in_(sorted(keys)))
            loose = {int(i): (name, key) for i, name, key in s.exec(
                select(StatementRow.id, StatementRow.speaker, StatementRow.speaker_key)
                .where(*where)).all() if i is not None}
            out.considered = len(loose)
            first: dict[int, tuple[int | None, str | None, str | None, Gender | None,
                                   str | None]] = {}
            for chunk in registry.chunks(sorted(loose)):
                for sid, aid, role, date, published, said, name, outlet in s.execute(
                        sql_select(_MENTIONS.c.statement_id, _MENTIONS.c.article_id,
                                   _MENTIONS.c.role, _MENTIONS.c.date, _MENTIONS.c.published,
                                   _MENTIONS.c.speaker_mention, _MENTIONS.c.speaker_name,
                                   _MENTIONS.c.outlet)
                        .where(_MENTIONS.c.statement_id.in_(chunk))
                        .order_by(_MENTIONS.c.id)).all():
                    first.setdefault(int(sid), (aid, role, date or published,
                                                of_mention(said, name), outlet))
            named = _article_names(s, sorted({f[0] for f in first.values() if f[0]}))
            todo = [(sid, Mention(loose[sid][0], role, day, named.get(aid or 0, frozenset()),
                                  honorific, outlet))
                    for sid, (aid, role, day, honorific, outlet) in sorted(first.items())
                    if loose[sid][0] or role]
            reg = registry.load(s, [m for _, m in todo])
            for sid, m in todo:
                found = reg.link(m).speaker
                if found is None:
                    continue
                c = reg.by_id[found]
                moved = rekey(s, [sid], registry.Linked(found, c.name, c.name_key), fold)
                out.moved += moved.moved
                out.folded += moved.folded
        return out

    def link_waiting(self, made: Iterable[str]) -> Relinked:
        """Link the statements stored under a bare surname that people just added (name
        keys) now fit, without folding any ("Obama", stored before "Barack Obama" was
        known)."""
        return self.relink(keys={s for k in made if is_full_name(k) for s in bare_surnames(k)},
                           fold=False)

    def import_speakers(self, records: Sequence[SpeakerIn]) -> list[SpeakerChange]:
        """Add or update speakers from records (name, aliases, QID, roles): a record names
        the speaker with its QID, else with its name, else it is a new one."""
        for n, rec in enumerate(records, start=1):
            _check_record(n, rec)
        out = []
        with Session(self.engine) as s, s.begin():
            for n, rec in enumerate(records, start=1):
                key = _key(rec.name)
                row = s.exec(select(SpeakerRow).where(SpeakerRow.qid == rec.qid,
                                                      col(SpeakerRow.merged_into).is_(None))
                             ).first() if rec.qid else None
                if row is None:
                    holder = _holder(s, key)
                    row = s.get(SpeakerRow, holder) if holder is not None else None
                if row is not None and rec.qid and row.qid and row.qid != rec.qid:
                    raise Conflict(f"record {n}: {rec.name!r} is speaker {row.id}, whose QID is "
                                   f"{row.qid}, not {rec.qid}")
                if row is None:
                    row = s.get(SpeakerRow, registry.create(s, rec.name, key, source="import"))
                assert row is not None and row.id is not None
                if rec.qid:
                    row.qid = rec.qid
                    s.add(row)
                moved = Moved()
                for alias in [rec.name, *rec.aliases]:
                    akey = _key(alias)
                    other = _holder(s, akey, exclude=row.id)
                    if other is not None and not _automatic(s, other):
                        raise Conflict(f"record {n}: the alias {alias!r} belongs to speaker "
                                       f"{other}")
                    if other is not None:
                        # A speaker linking made under this name is the imported person.
                        held = s.get(SpeakerRow, other)
                        assert held is not None
                        m = _merge(s, held, row)
                        moved.moved += m.moved
                        moved.folded += m.folded
                    _add_alias(s, row.id, alias, akey, "import")
                    m = rekey(s, _unlinked(s, akey), _linked(row))
                    moved.moved += m.moved
                    moved.folded += m.folded
                for r in rec.roles:
                    _add_role(s, row.id, r.role, check_date(r.start, "start"),
                              check_date(r.end, "end"), "import")
                s.flush()
                out.append(SpeakerChange(speaker=_view(s, row), statements_moved=moved.moved,
                                         statements_folded=moved.folded))
        return out


# -- helpers -----------------------------------------------------------------------------------
def _merge(s: Session, a: SpeakerRow, b: SpeakerRow) -> Moved:
    """Fold speaker `a` into `b`: aliases, roles, QID, mentions and statements."""
    assert a.id is not None and b.id is not None
    if a.qid and b.qid and a.qid != b.qid:
        raise Conflict(f"speakers {a.id} and {b.id} have different QIDs ({a.qid}, {b.qid}): "
                       f"they are two people")
    for al in s.exec(select(SpeakerAliasRow).where(SpeakerAliasRow.speaker_id == a.id)).all():
        _add_alias(s, b.id, al.alias, al.alias_key, al.source)
    for r in s.exec(select(SpeakerRoleRow).where(SpeakerRoleRow.speaker_id == a.id)).all():
        _add_role(s, b.id, r.role, r.start, r.end, r.source)
    s.execute(delete(SpeakerAliasRow).where(col(SpeakerAliasRow.speaker_id) == a.id))
    s.execute(delete(SpeakerRoleRow).where(col(SpeakerRoleRow.speaker_id) == a.id))
    if a.qid and not b.qid:
        b.qid, a.qid = a.qid, None
    a.merged_into = b.id
    s.add_all([a, b])
    s.flush()
    s.execute(update(SpeakerRow).where(col(SpeakerRow.merged_into) == a.id)
              .values(merged_into=b.id))
    s.execute(update(_MENTIONS).where(_MENTIONS.c.speaker_id == a.id).values(speaker_id=b.id))
    ids = [int(i) for i in s.exec(select(StatementRow.id)
                                  .where(StatementRow.speaker_id == a.id)).all()
           if i is not None]
    return rekey(s, ids, _linked(b))


def _article_names(s: Session, article_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """For each article, the name keys of the people its mentions are linked to."""
    out: dict[int, set[str]] = {}
    for chunk in registry.chunks(list(article_ids)):
        for aid, key in s.exec(select(MentionRow.article_id, SpeakerRow.name_key)
                               .join(SpeakerRow, col(SpeakerRow.id) == MentionRow.speaker_id)
                               .where(col(MentionRow.article_id).in_(chunk))).all():
            if aid is not None and is_full_name(key):
                out.setdefault(int(aid), set()).add(key)
    return {a: frozenset(k) for a, k in out.items()}


def _automatic(s: Session, sid: int) -> bool:
    """Whether a speaker is only what linking made of the corpus: no QID, and no name an
    operator or an import gave it."""
    row = s.get(SpeakerRow, sid)
    return row is not None and row.qid is None and not s.exec(
        select(SpeakerAliasRow.id).where(SpeakerAliasRow.speaker_id == sid,
                                         SpeakerAliasRow.source != "auto")).first()



_QID = re.compile(r"Q[1-9][0-9]{0,11}")


def _check_record(n: int, rec: SpeakerIn) -> None:
    """A speaker record's QID and role dates, named by record number when wrong."""
    if rec.qid is not None and not _QID.fullmatch(rec.qid):
        raise InvalidRequest(f"record {n}: {rec.qid!r} is not a Wikidata QID (Q and digits)")
    for r in rec.roles:
        for value, what in ((r.start, "start"), (r.end, "end")):
            if value is not None:
                check_date(value, f"record {n}: role {r.role!r} {what}")
        if r.start and r.end and r.start > r.end:
            raise InvalidRequest(f"record {n}: role {r.role!r} ends before it starts")


def _key(name: str) -> str:
    key = name_key(name)
    if not key:
        raise InvalidRequest(f"{name!r} is not a name")
    return key


def _live(s: Session, sid: int) -> SpeakerRow:
    """The speaker with this id, or the one it was merged into."""
    row = s.get(SpeakerRow, sid) if 0 < sid < 2**63 else None
    if row is None:
        raise NotFound(f"no speaker with id {sid}")
    while row.merged_into is not None:
        nxt = s.get(SpeakerRow, row.merged_into)
        if nxt is None:
            break
        row = nxt
    return row


def _linked(row: SpeakerRow) -> registry.Linked:
    assert row.id is not None
    return registry.Linked(row.id, row.name, row.name_key)


def _holder(s: Session, key: str, exclude: int | None = None) -> int | None:
    """The live speaker an alias key belongs to, other than `exclude`."""
    for sid in s.exec(select(SpeakerAliasRow.speaker_id)
                      .where(SpeakerAliasRow.alias_key == key)).all():
        row = s.get(SpeakerRow, sid)
        if row is not None and row.merged_into is None and sid != exclude:
            return int(sid)
    return None


def _add_alias(s: Session, sid: int, alias: str, key: str, source: str) -> None:
    if s.exec(select(SpeakerAliasRow.id).where(SpeakerAliasRow.speaker_id == sid,
                                               SpeakerAliasRow.alias_key == key)).first():
        return
    s.add(registry.alias_row(sid, alias, key, source))
    s.flush()


def _add_role(s: Session, sid: int, role: str, start: str | None, end: str | None,
              source: str) -> None:
    key = role_key(role)
    if not key:
        raise InvalidRequest(f"{role!r} is not a role")
    row = s.exec(select(SpeakerRoleRow).where(SpeakerRoleRow.speaker_id == sid,
                                              SpeakerRoleRow.role_key == key)).first()
    if row is None:
        s.add(SpeakerRoleRow(speaker_id=sid, role=role, role_key=key, start=start, end=end,
                             source=source))
    else:
        row.start = min(x for x in (row.start, start) if x) if row.start or start else None
        row.end = max(x for x in (row.end, end) if x) if row.end or end else None
        s.add(row)
    s.flush()


def _unlinked(s: Session, key: str) -> list[int]:
    """Statements stored under this name key with no canonical speaker."""
    return [int(i) for i in s.exec(select(StatementRow.id).where(
        StatementRow.speaker_key == key, col(StatementRow.speaker_id).is_(None))).all()
        if i is not None]


def _view(s: Session, row: SpeakerRow) -> SpeakerView:
    assert row.id is not None
    aliases = s.exec(select(SpeakerAliasRow).where(SpeakerAliasRow.speaker_id == row.id)
                     .order_by(col(SpeakerAliasRow.id))).all()
    roles = s.exec(select(SpeakerRoleRow).where(SpeakerRoleRow.speaker_id == row.id)
                   .order_by(col(SpeakerRoleRow.start), col(SpeakerRoleRow.id))).all()
    n_statements = s.exec(select(func.count()).select_from(StatementRow)
                          .where(StatementRow.speaker_id == row.id)).one()
    n_mentions = s.exec(select(func.count()).select_from(MentionRow)
                        .where(MentionRow.speaker_id == row.id)).one()
    ids = s.exec(select(StatementRow.id).where(StatementRow.speaker_id == row.id)
                 .order_by(col(StatementRow.first_seen), col(StatementRow.id))
                 .limit(SHOWN_STATEMENTS)).all()
    merged = s.exec(select(SpeakerRow.id).where(SpeakerRow.merged_into == row.id)
                    .order_by(col(SpeakerRow.id))).all()
    return SpeakerView(id=row.id, name=row.name, qid=row.qid,
                       aliases=[AliasView(alias=a.alias, source=a.source) for a in aliases],
                       roles=[RoleView(role=r.role, start=r.start, end=r.end, source=r.source)
                              for r in roles],
                       statements=int(n_statements), mentions=int(n_mentions),
                       statement_ids=[int(i) for i in ids if i is not None],
                       merged=[int(i) for i in merged if i is not None])
