"""Domain structs carried from readers through extraction to the store."""

from __future__ import annotations

from typing import Literal

import msgspec

Span = tuple[int, int]
Kind = Literal["direct", "mixed", "indirect"]  # a quotation, words partly quoted, reported speech


class Article(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One news article as a reader produced it."""

    text: str
    id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    author: str | None = None
    language: str | None = None
    source: str | None = None  # "file:line" the article was read from, for error messages


class Cue(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The verb or phrase that introduces a statement ("said", "quoted … as saying")."""

    text: str
    span: Span


class Speaker(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who said it: the resolved name, the mention in the text, and any role or title."""

    name: str | None
    mention: str | None = None
    mention_span: Span | None = None
    role: str | None = None


class When(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The date expression attached to a statement and the calendar date it resolves to."""

    text: str
    date: str | None = None


class Attribution(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One statement found in an article, with its provenance."""

    article_id: str | None
    kind: Kind
    text: str
    content_spans: list[Span]
    cue: Cue | None
    speaker: Speaker
    via: str | None = None
    when: When | None = None


class StatementIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A statement that arrives already attributed (the `quotetrace import` record)."""

    text: str
    id: str | None = None
    speaker: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    context: str | None = None


class ClaimIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A claim to verify (the `quotetrace verify` record)."""

    claim: str
    id: str | None = None
    speaker: str | None = None
    date: str | None = None
    context: str | None = None


class RoleIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A role a speaker held, with the dates it held it (ISO, either may be open)."""

    role: str
    start: str | None = None
    end: str | None = None


class SpeakerIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A person for the speaker registry (the `quotetrace speakers import` record)."""

    name: str
    aliases: list[str] = []
    qid: str | None = None  # a Wikidata id, "Q42"
    roles: list[RoleIn] = []
