"""The speaker registry in the store: linking a batch's mentions inside its write transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from index.linking import (
    Candidate,
    Mention,
    Registry,
    article_names,
    is_full_name,
    name_key,
    role_key,
    short_key,
    surname_of,
)
from index.models import MentionRow, SpeakerAliasRow, SpeakerRoleRow, SpeakerRow


@dataclass(frozen=True)
class Linked:
    """The canonical speaker a pending statement was linked to."""

    id: int
    name: str
    key: str  # the statement's speaker key: the speaker's name key


def chunks(items: Sequence[Any], n: int = 500) -> list[Sequence[Any]]:
    return [items[i:i + n] for i in range(0, len(items), n)]


def load(s: Session, mentions: Sequence[Mention]) -> Registry:
    """The known speakers any of these mentions could name, with aliases, roles and counts."""
    keys = {name_key(m.name) for m in mentions if m.name}
    keys.discard("")
    surnames = {k for k in keys if not is_full_name(k)}
    shorts = {short_key(k) for k in keys if is_full_name(k)}
    roles = {role_key(m.role) for m in mentions if m.role and not m.name}
    roles.discard("")
    ids: set[int] = set()
    for chunk in chunks(sorted(keys)):
        ids.update(s.exec(select(SpeakerAliasRow.speaker_id)
                          .where(col(SpeakerAliasRow.alias_key).in_(chunk))).all())
    for chunk in chunks(sorted(shorts)):
        ids.update(s.exec(select(SpeakerAliasRow.speaker_id)
                          .where(col(SpeakerAliasRow.short_key).in_(chunk))).all())
    for chunk in chunks(sorted(surnames)):
        ids.update(s.exec(select(SpeakerAliasRow.speaker_id)
                          .where(col(SpeakerAliasRow.surname_key).in_(chunk))).all())
    for chunk in chunks(sorted(roles)):
        ids.update(s.exec(select(SpeakerRoleRow.speaker_id)
                          .where(col(SpeakerRoleRow.role_key).in_(chunk))).all())
    return Registry(candidates(s, sorted(ids)))


def candidates(s: Session, ids: Sequence[int]) -> list[Candidate]:
    """These speakers (not those merged into another) as the linker weighs them."""
    out: dict[int, Candidate] = {}
    for chunk in chunks(list(ids)):
        for row in s.exec(select(SpeakerRow).where(col(SpeakerRow.id).in_(chunk),
                                                   col(SpeakerRow.merged_into).is_(None))):
            assert row.id is not None
            out[row.id] = Candidate(row.id, row.name_key)
        live = sorted(i for i in chunk if i in out)
        if not live:
            continue
        for sid, key in s.exec(select(SpeakerAliasRow.speaker_id, SpeakerAliasRow.alias_key)
                               .where(col(SpeakerAliasRow.speaker_id).in_(live))):
            out[sid].alias_keys.add(key)
        for sid, key, start, end in s.exec(
                select(SpeakerRoleRow.speaker_id, SpeakerRoleRow.role_key, SpeakerRoleRow.start,
                       SpeakerRoleRow.end).where(col(SpeakerRoleRow.speaker_id).in_(live))):
            out[sid].roles[key] = (start, end)
        for sid, n in s.execute(sql_select(col(MentionRow.speaker_id), func.count())
                                .where(col(MentionRow.speaker_id).in_(live))
                                .group_by(col(MentionRow.speaker_id))):
            out[int(sid)].mentions = int(n)
    return list(out.values())


def link_batch(s: Session, names: Sequence[str | None], roles: Sequence[str | None],
               days: Sequence[str | None], same_article: bool) -> list[Linked | None]:
    """Link each mention of one write (one article, or one import batch) to a speaker,
    adding the people first named here and the roles seen with their dates.

    For an article, every mention sees the article's other full names; an import batch
    holds unrelated records, so its names are not read as one article's.
    """
    in_article = article_names(names) if same_article else frozenset()
    mentions = [Mention(n, r, d, in_article) for n, r, d in zip(names, roles, days, strict=True)]
    registry = load(s, mentions)
    created: dict[str, int] = {}
    out: list[Linked | None] = []
    display: dict[int, str] = {}
    for m in mentions:
        link = registry.link(m)
        sid = link.speaker
        if link.create is not None:
            sid = created.get(link.create)
            if sid is None:
                sid = create(s, m.name or link.create, link.create)
                created[link.create] = sid
                registry.add(Candidate(sid, link.create, alias_keys={link.create}))
        if sid is None:
            out.append(None)
            continue
        if sid not in display:
            row = s.get(SpeakerRow, sid)
            assert row is not None
            display[sid] = row.name
        out.append(Linked(sid, display[sid], registry.by_id[sid].name_key))
        if m.role:
            _note_role(s, registry.by_id[sid], m.role, m.day)
    return out


def create(s: Session, name: str, key: str, source: str = "auto") -> int:
    """A new speaker under its full name, which is also its first alias."""
    row = SpeakerRow(name=name, name_key=key)
    s.add(row)
    s.flush()
    assert row.id is not None
    s.add(alias_row(row.id, name, key, source))
    s.flush()
    return row.id


def alias_row(sid: int, alias: str, key: str, source: str = "auto") -> SpeakerAliasRow:
    """The alias row for a name, with the keys it is found by."""
    return SpeakerAliasRow(speaker_id=sid, alias=alias, alias_key=key, surname_key=surname_of(key),
                           short_key=short_key(key), source=source)


def _note_role(s: Session, c: Candidate, role: str, day: str | None) -> None:
    """Record that the speaker held `role` on `day`, widening the dates the registry has."""
    key = role_key(role)
    if not key:
        return
    span = c.roles.get(key)
    if span is None:
        s.add(SpeakerRoleRow(speaker_id=c.id, role=role, role_key=key, start=day, end=day))
        c.roles[key] = (day, day)
        return
    start, end = span
    if day is None or (start is not None and end is not None and start <= day <= end):
        return
    start = day if start is None or day < start else start
    end = day if end is None or day > end else end
    row = s.exec(select(SpeakerRoleRow).where(SpeakerRoleRow.speaker_id == c.id,
                                              SpeakerRoleRow.role_key == key)).first()
    if row is not None:
        row.start, row.end = start, end
        s.add(row)
    c.roles[key] = (start, end)


def adoptable(s: Session, statements: dict[int, str], linked: Linked,
              roles: dict[str, tuple[str | None, str | None]]) -> int | None:
    """Of the unlinked statements with the same words (id -> speaker key), one the linked
    speaker said: stored under that speaker's surname alone, or under no name by a mention
    whose role the speaker holds. The statement is then re-keyed instead of stored twice."""
    surname = surname_of(linked.key)
    for sid, key in sorted(statements.items()):
        if key and key == surname:
            return sid
    nameless = sorted(sid for sid, key in statements.items() if not key)
    if not nameless or not roles:
        return None
    for sid, role in s.exec(select(MentionRow.statement_id, MentionRow.role)
                            .where(col(MentionRow.statement_id).in_(nameless))):
        if role and role_key(role) in roles:
            return sid
    return None
