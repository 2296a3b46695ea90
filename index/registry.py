"""The speaker registry in the store: linking a batch's mentions inside its write transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from corpora.gender import Gender
from index.linking import (
    Candidate,
    Mention,
    Registry,
    article_names,
    bare_surnames,
    is_full_name,
    name_key,
    role_key,
    short_key,
    shown_name,
    strip_titles,
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


def load(s: Session, mentions: Sequence[Mention], longer_roles: bool = False) -> Registry:
    """The known speakers any of these mentions could name, with aliases, roles and counts;
    with `longer_roles`, also those holding a longer role with a role-only mention's words
    (a scan of the roles, for an article's few descriptions, not for a bulk import)."""
    keys = {strip_titles(name_key(m.name)) for m in mentions if m.name}
    # A name's tails ("donald trump" in "billionaire donald trump"), which it may link to.
    keys |= {" ".join(k.split()[i:]) for k in keys for i in range(1, len(k.split()) - 1)}
    keys.discard("")
    # A full name's surname too: a nickname of a known person's given name links to them.
    surnames = {k for k in keys if not is_full_name(k)} | \
        {surname_of(short_key(k)) for k in keys if is_full_name(k)}
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
    wide = sorted(r for r in roles if len(r.split()) >= 2) if longer_roles else []
    for role in wide:
        # Longer roles with these words in order ("republican nominee"), checked by the linker.
        like = "%" + "%".join(w.replace("%", "").replace("_", "") for w in role.split()) + "%"
        ids.update(s.exec(select(SpeakerRoleRow.speaker_id)
                          .where(col(SpeakerRoleRow.role_key).like(like))).all())
    outlets = sorted({m.outlet for m in mentions if m.outlet})
    return Registry(candidates(s, sorted(ids), outlets), longer_roles)


def candidates(s: Session, ids: Sequence[int], outlets: Sequence[str] = ()) -> list[Candidate]:
    """These speakers (not those merged into another) as the linker weighs them, with how
    often each of `outlets` has quoted them."""
    out: dict[int, Candidate] = {}
    asked = set(outlets)
    for chunk in chunks(list(ids)):
        for row in s.exec(select(SpeakerRow).where(col(SpeakerRow.id).in_(chunk),
                                                   col(SpeakerRow.merged_into).is_(None))):
            assert row.id is not None
            out[row.id] = Candidate(row.id, row.name_key, name=row.name)
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
        # Mentions per speaker and outlet, in one pass over the speakers' mentions.
        for sid, outlet, n in s.execute(
                sql_select(col(MentionRow.speaker_id), col(MentionRow.outlet), func.count())
                .where(col(MentionRow.speaker_id).in_(live))
                .group_by(col(MentionRow.speaker_id), col(MentionRow.outlet))):
            c = out[int(sid)]
            c.mentions += int(n)
            if outlet in asked:
                c.outlets[str(outlet)] = int(n)
    return list(out.values())


@dataclass(frozen=True)
class Batch:
    """A batch's links, one per mention, and the name keys of the people it added."""

    links: list[Linked | None]
    made: list[str]


def link_batch(s: Session, names: Sequence[str | None], roles: Sequence[str | None],
               days: Sequence[str | None], same_article: bool,
               honorifics: Sequence[Gender | None] | None = None,
               outlets: Sequence[str | None] | None = None) -> Batch:
    """Link each mention of one write (one article, or one import batch) to a speaker,
    adding the people first named here and the roles seen with their dates.

    For an article, every mention sees the article's other full names; an import batch
    holds unrelated records, so its names are not read as one article's. The people first
    named here are added first, in one insert, so that a surname anywhere in the batch
    finds them.
    """
    in_article = article_names(names) if same_article else frozenset()
    genders = honorifics if honorifics is not None else [None] * len(names)
    where = outlets if outlets is not None else [None] * len(names)
    mentions = [Mention(n, r, d, in_article, g, o)
                for n, r, d, g, o in zip(names, roles, days, genders, where, strict=True)]
    registry = load(s, mentions, longer_roles=same_article)
    new: dict[str, str] = {}  # name key -> name, of the people first named in this batch
    for m in mentions:
        link = registry.link(m)
        if link.create is not None:
            new.setdefault(link.create, shown_name(m.name, link.create))
    # In key order: concurrent writers then take the name keys' locks in one order.
    people = sorted(new.items())
    for made, (key, name) in zip(create_many(s, people), people, strict=True):
        registry.add(Candidate(made, key, name=name, alias_keys={key}))
    out: list[Linked | None] = []
    seen: dict[tuple[int, str], tuple[str, str | None, str | None]] = {}
    for m in mentions:
        sid = registry.link(m).speaker
        if sid is None:
            out.append(None)
            continue
        c = registry.by_id[sid]
        out.append(Linked(sid, c.name, c.name_key))
        key = role_key(m.role) if m.role else ""
        if key:
            role, lo, hi = seen.get((sid, key), (m.role or key, m.day, m.day))
            seen[(sid, key)] = (role, _min(lo, m.day), _max(hi, m.day))
    _note_roles(s, registry, seen)
    return Batch(out, [key for key, _ in people])


def _min(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else a or b


def _max(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else a or b


def create_many(s: Session, people: Sequence[tuple[str, str]], source: str = "auto"
                ) -> list[int]:
    """New speakers, (name key, name) each, with their names as first aliases: their ids."""
    if not people:
        return []
    table = SpeakerRow.__table__  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    got = s.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                    [{"name": name, "name_key": key, "created_at": now}
                     for key, name in people]).all()
    ids = [int(r[0]) for r in got]
    s.execute(insert(SpeakerAliasRow.__table__),  # type: ignore[attr-defined]
              [_alias_values(sid, name, key, source)
               for sid, (key, name) in zip(ids, people, strict=True)])
    return ids


def create(s: Session, name: str, key: str, source: str = "auto") -> int:
    """A new speaker under its full name, which is also its first alias."""
    return create_many(s, [(key, name)], source)[0]


def _alias_values(sid: int, alias: str, key: str, source: str) -> dict[str, object]:
    return {"speaker_id": sid, "alias": alias, "alias_key": key, "surname_key": surname_of(key),
            "short_key": short_key(key), "source": source}


def alias_row(sid: int, alias: str, key: str, source: str = "auto") -> SpeakerAliasRow:
    """The alias row for a name, with the keys it is found by."""
    return SpeakerAliasRow(speaker_id=sid, alias=alias, alias_key=key, surname_key=surname_of(key),
                           short_key=short_key(key), source=source)


def _note_roles(s: Session, registry: Registry,
                seen: dict[tuple[int, str], tuple[str, str | None, str | None]]) -> None:
    """Record the roles the batch shows its speakers in, widening the dates the registry
    has: new roles in one insert, widened ones in one update."""
    table = SpeakerRoleRow.__table__  # type: ignore[attr-defined]
    fresh, wider = [], []
    for (sid, key), (role, lo, hi) in seen.items():
        c = registry.by_id[sid]
        span = c.roles.get(key)
        if span is None:
            fresh.append({"speaker_id": sid, "role": role, "role_key": key, "start": lo,
                          "end": hi, "source": "auto"})
            c.roles[key] = (lo, hi)
            continue
        start, end = _min(span[0], lo), _max(span[1], hi)
        if (start, end) != span:
            wider.append({"sid": sid, "rkey": key, "start": start, "end": end})
            c.roles[key] = (start, end)
    if fresh:
        s.execute(insert(table), fresh)
    if wider:
        s.execute(update(table).where(table.c.speaker_id == bindparam("sid"),
                                      table.c.role_key == bindparam("rkey"))
                  .values(start=bindparam("start"), end=bindparam("end")), wider,
                  execution_options={"synchronize_session": False})


def adoptable(s: Session, statements: dict[int, str], linked: Linked,
              roles: dict[str, tuple[str | None, str | None]]) -> int | None:
    """Of the unlinked statements with the same words (id -> speaker key), one the linked
    speaker said: stored under that speaker's surname alone, or under no name by a mention
    whose role the speaker holds. The statement is then re-keyed instead of stored twice."""
    surnames = bare_surnames(linked.key)
    for sid, key in sorted(statements.items()):
        if key and key in surnames:
            return sid
    nameless = sorted(sid for sid, key in statements.items() if not key)
    if not nameless or not roles:
        return None
    for sid, role in s.exec(select(MentionRow.statement_id, MentionRow.role)
                            .where(col(MentionRow.statement_id).in_(nameless))):
        if role and role_key(role) in roles:
            return sid
    return None
