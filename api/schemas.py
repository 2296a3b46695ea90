"""API structs: the HTTP and JSONL contract, converted from domain structs at the edge."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from index.jobs import JobState, JobView
from index.types import AliasView, ClaimResult, RoleView, SpeakerChange, SpeakerView, StatementView

_STRICT = {"frozen": True, "kw_only": True, "forbid_unknown_fields": True}

ShortStr = Annotated[str, msgspec.Meta(max_length=512)]
IsoDate = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", max_length=10)]


class MatchRequest(msgspec.Struct, **_STRICT):
    """POST /v1/match."""

    claim: Annotated[str, msgspec.Meta(min_length=1)]
    k: Annotated[int, msgspec.Meta(ge=1)] = 5
    id: ShortStr | None = None
    speaker: ShortStr | None = None
    outlet: ShortStr | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None
    context: Annotated[str, msgspec.Meta(max_length=20000)] | None = None
    date: ShortStr | None = None
    below: bool = False  # also list statements under the match threshold (labelled no_match)


class BatchClaim(msgspec.Struct, **_STRICT):
    """One claim in a batch (the claim-in JSONL record)."""

    claim: Annotated[str, msgspec.Meta(min_length=1)]
    id: ShortStr | None = None
    speaker: ShortStr | None = None
    date: ShortStr | None = None
    context: Annotated[str, msgspec.Meta(max_length=20000)] | None = None


class BatchRequest(msgspec.Struct, **_STRICT):
    """POST /v1/match/batch."""

    claims: Annotated[list[BatchClaim], msgspec.Meta(min_length=1)]
    k: Annotated[int, msgspec.Meta(ge=1)] = 5
    speaker: ShortStr | None = None
    outlet: ShortStr | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None
    below: bool = False


class ArticleRequest(msgspec.Struct, **_STRICT):
    """POST /v1/articles (the article-in record)."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=1_000_000)]
    id: ShortStr | None = None
    url: Annotated[str, msgspec.Meta(max_length=4096)] | None = None
    title: Annotated[str, msgspec.Meta(max_length=4096)] | None = None
    outlet: ShortStr | None = None
    published: ShortStr | None = None
    author: ShortStr | None = None
    language: ShortStr | None = None
    # "html": `text` is an HTML page; its main text is extracted, and its metadata fills the
    # fields not given here.
    format: Literal["text", "html"] = "text"


class MatchOut(msgspec.Struct, **_STRICT):
    """One matched statement in a verify-out record."""

    statement_id: int
    external_id: str | None
    score: float
    verdict: str
    text: str
    highlight: list[tuple[int, int]]
    speaker: str | None
    role: str | None
    outlet: str | None
    via: str | None
    date: str | None
    url: str | None
    first_seen: str | None
    mentions: int
    relevance: float = 0.0
    # verdict "altered": the differing words, as offsets into the statement's text and into
    # the claim, and what kind of change each match shows
    changed: list[tuple[int, int]] = []
    claim_changed: list[tuple[int, int]] = []
    changes: list[Literal["number", "negation", "antonym"]] = []


class ClaimOut(msgspec.Struct, **_STRICT):
    """The verify-out record: one per claim."""

    id: str | None
    claim: str
    verdict: str
    matches: list[MatchOut]
    claimed_speaker: str | None = None


class BatchOut(msgspec.Struct, **_STRICT):
    results: list[ClaimOut]


class MentionOut(msgspec.Struct, **_STRICT):
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
    when: str | None
    published: str | None
    title: str | None
    context: str | None = None
    span: tuple[int, int] | None = None


class StatementOut(msgspec.Struct, **_STRICT):
    """A stored statement with every mention, earliest first."""

    id: int
    external_id: str | None
    text: str
    speaker: str | None
    kind: str
    first_seen: str | None
    mentions: list[MentionOut]
    speaker_id: int | None = None  # GET /v1/speakers/{id}: its names, roles, statements


class StatementList(msgspec.Struct, **_STRICT):
    statements: list[StatementOut]


class SpeakerOut(msgspec.Struct, **_STRICT):
    name: str
    statements: int


class SpeakerList(msgspec.Struct, **_STRICT):
    speakers: list[SpeakerOut]


class ExtractedOut(msgspec.Struct, **_STRICT):
    """An attribution found in a posted article, with the statement it was stored as."""

    statement_id: int
    kind: str
    text: str
    content_spans: list[tuple[int, int]]
    speaker: str | None
    speaker_mention: str | None
    role: str | None
    cue: str | None
    via: str | None
    when: str | None
    date: str | None
    cue_span: tuple[int, int] | None = None  # spans are offsets into the article text
    speaker_span: tuple[int, int] | None = None


class ArticleOut(msgspec.Struct, **_STRICT):
    article_id: int | None
    duplicate: bool
    statements: list[ExtractedOut]
    text: str | None = None  # the article text the spans point into (the main text of HTML)


def claim_out(r: ClaimResult) -> ClaimOut:
    return msgspec.convert(msgspec.to_builtins(r), ClaimOut)


def statement_out(st: StatementView) -> StatementOut:
    return StatementOut(
        id=st.id, external_id=st.external_id, text=st.text, speaker=st.speaker, kind=st.kind,
        first_seen=st.first_seen, speaker_id=st.speaker_id,
        mentions=[MentionOut(article_id=m.article_id, external_id=m.external_id, kind=m.kind,
                             speaker_mention=m.speaker_mention, role=m.role, cue=m.cue, via=m.via,
                             outlet=m.outlet, url=m.url, date=m.date, when=m.when_text,
                             published=m.published, title=m.title, context=m.context,
                             span=m.span) for m in st.mentions])


class JobCreated(msgspec.Struct, **_STRICT):
    """POST /v1/jobs: the new job's id (its status is at the Location header)."""

    id: str
    state: JobState
    total: int


class JobErrorOut(msgspec.Struct, **_STRICT):
    """A claim a job could not answer, with the line it was on in the uploaded file."""

    line: int
    id: str | None
    error: str


class JobOut(msgspec.Struct, **_STRICT):
    """GET /v1/jobs/{id}: where a job stands."""

    id: str
    state: JobState
    total: int
    done: int
    failed: int
    k: int
    below: bool
    speaker: str | None
    outlet: str | None
    since: str | None
    until: str | None
    source: str | None
    created: str
    started: str | None
    finished: str | None
    error: str | None
    errors: list[JobErrorOut]


class JobList(msgspec.Struct, **_STRICT):
    jobs: list[JobOut]


def _iso(ts: float | None) -> str | None:
    import datetime as dt

    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def job_out(j: JobView) -> JobOut:
    p = j.params
    return JobOut(id=j.id, state=j.state, total=j.total, done=j.done, failed=j.failed, k=p.k,
                  below=p.below, speaker=p.speaker, outlet=p.outlet, since=p.since,
                  until=p.until, source=j.source, created=_iso(j.created_at) or "",
                  started=_iso(j.started_at), finished=_iso(j.finished_at), error=j.error,
                  errors=[JobErrorOut(line=e.line, id=e.id, error=e.error) for e in j.errors])


# The columns of a job's results as CSV: one row per claim, with its best match, as the web
# page shows them.
RESULT_COLUMNS = ("id", "claim", "verdict", "claimed_speaker", "speaker", "role", "statement",
                  "outlet", "via", "date", "first_seen", "mentions", "score", "statement_id",
                  "url", "matches")


def result_row(record: bytes) -> list[str]:
    """A CSV row of one verify-out record."""
    r = msgspec.json.decode(record, type=ClaimOut)
    top = r.matches[0] if r.matches else None

    def cell(v: object) -> str:
        return "" if v is None else str(v)

    return [cell(r.id), r.claim, r.verdict, cell(r.claimed_speaker),
            cell(top and top.speaker), cell(top and top.role), cell(top and top.text),
            cell(top and top.outlet), cell(top and top.via), cell(top and top.date),
            cell(top and top.first_seen), cell(top and top.mentions),
            f"{top.score:.4f}" if top else "", cell(top and top.statement_id),
            cell(top and top.url), str(len(r.matches))]


class AliasIn(msgspec.Struct, **_STRICT):
    """Another name for a speaker."""

    alias: ShortStr


class MergeIn(msgspec.Struct, **_STRICT):
    """The speaker this one is the same person as: it is folded into that one."""

    into: Annotated[int, msgspec.Meta(ge=1)]


class SplitIn(msgspec.Struct, **_STRICT):
    """Mentions that are someone else's, to become speaker `name`: those named `alias`, or
    those in the articles `articles` (one of the two)."""

    name: ShortStr
    alias: ShortStr | None = None
    articles: Annotated[list[Annotated[int, msgspec.Meta(ge=1)]],
                        msgspec.Meta(max_length=1000)] = []


class RoleRecord(msgspec.Struct, **_STRICT):
    role: ShortStr
    start: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    end: Annotated[str, msgspec.Meta(max_length=10)] | None = None


class SpeakerRecord(msgspec.Struct, **_STRICT):
    """A person for the registry: name, other names, Wikidata QID and roles with dates."""

    name: ShortStr
    aliases: Annotated[list[ShortStr], msgspec.Meta(max_length=100)] = []
    qid: Annotated[str, msgspec.Meta(pattern=r"^Q[1-9][0-9]{0,11}$")] | None = None
    roles: Annotated[list[RoleRecord], msgspec.Meta(max_length=100)] = []


class SpeakerImport(msgspec.Struct, **_STRICT):
    speakers: Annotated[list[SpeakerRecord], msgspec.Meta(min_length=1, max_length=1000)]


class SpeakerDetail(msgspec.Struct, **_STRICT):
    """A canonical speaker: its names, roles and statements (the first 50, oldest first)."""

    id: int
    name: str
    qid: str | None
    aliases: list[AliasView]
    roles: list[RoleView]
    statements: int
    mentions: int
    statement_ids: list[int]
    merged: list[int]


class SpeakerChangeOut(msgspec.Struct, **_STRICT):
    """A speaker after an operator's correction, and what it did to the statements."""

    speaker: SpeakerDetail
    statements_moved: int
    statements_folded: int


class SpeakerImportOut(msgspec.Struct, **_STRICT):
    speakers: list[SpeakerChangeOut]


class RelinkOut(msgspec.Struct, **_STRICT):
    """What a relink did: unlinked statements looked at, linked, folded into another."""

    considered: int
    linked: int
    folded: int


def speaker_out(v: SpeakerView) -> SpeakerDetail:
    return msgspec.convert(msgspec.to_builtins(v), SpeakerDetail)


def change_out(c: SpeakerChange) -> SpeakerChangeOut:
    return SpeakerChangeOut(speaker=speaker_out(c.speaker), statements_moved=c.statements_moved,
                            statements_folded=c.statements_folded)
