"""Domain structs that leave the index package: stored statements, mentions and match results."""

from __future__ import annotations

from typing import NamedTuple

import msgspec

Span = tuple[int, int]


class IndexRow(NamedTuple):
    """What the indexes keep of a statement, read from the store."""

    id: int
    text: str
    speaker: str | None
    first_seen: str | None
    context: str | None  # the first source's title, or the context an import record gave
    outlets: tuple[str, ...]  # outlet and via names of its reports
    days: tuple[str, ...]  # each report's date (the statement's, else the article's)
    embedding: bytes | None


class MentionView(msgspec.Struct, frozen=True, kw_only=True):
    """One report of a statement, with its provenance."""

    article_id: int | None
    external_id: str | None
    kind: str
    speaker_mention: str | None
    role: str | None
    cue: str | None
    via: str | None
    outlet: str | None
    url: str | None
    date: str | None
    when_text: str | None
    published: str | None
    title: str | None = None
    context: str | None = None  # the paragraph around it in the article (or the import's)
    span: Span | None = None  # where the statement's words are in the article text


class StatementView(msgspec.Struct, frozen=True, kw_only=True):
    """A stored statement with its mentions, earliest first."""

    id: int
    external_id: str | None
    text: str
    speaker: str | None
    kind: str
    first_seen: str | None
    mentions: list[MentionView]
    speaker_id: int | None = None  # the canonical speaker in the registry, when linked

    @property
    def first(self) -> MentionView | None:
        return self.mentions[0] if self.mentions else None


class Match(msgspec.Struct, frozen=True, kw_only=True):
    """One statement matched to a claim."""

    statement_id: int
    external_id: str | None
    score: float
    verdict: str
    text: str
    highlight: list[Span]
    speaker: str | None
    role: str | None
    outlet: str | None
    via: str | None
    date: str | None
    url: str | None
    first_seen: str | None
    mentions: int = 1
    relevance: float = 0.0  # the ranker's estimate that this is the claim's source
    # verdict "altered": the words that differ, in the statement and in the claim
    changed: list[Span] = []
    claim_changed: list[Span] = []
    changes: list[str] = []  # what kind of change: "number", "negation", "antonym"


class ClaimResult(msgspec.Struct, frozen=True, kw_only=True):
    """The answer for one claim: its verdict and the statements behind it."""

    id: str | None
    claim: str
    verdict: str
    matches: list[Match]
    claimed_speaker: str | None = None


class AliasView(msgspec.Struct, frozen=True, kw_only=True):
    """Another name a speaker goes by, and who recorded it (auto, operator, import)."""

    alias: str
    source: str


class RoleView(msgspec.Struct, frozen=True, kw_only=True):
    """A role a speaker held, with the first and last dates the corpus shows it."""

    role: str
    start: str | None
    end: str | None
    source: str


class SpeakerView(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical speaker: its names, roles, and the statements it is linked to."""

    id: int
    name: str
    qid: str | None
    aliases: list[AliasView]
    roles: list[RoleView]
    statements: int
    mentions: int
    statement_ids: list[int]  # the first ones, oldest first
    merged: list[int] = []  # speakers merged into this one


class SpeakerChange(msgspec.Struct, frozen=True, kw_only=True):
    """What an operator's correction did to the store."""

    speaker: SpeakerView
    statements_moved: int = 0  # re-keyed to the speaker
    statements_folded: int = 0  # merged into a statement with the same words
