"""Routes of /v1/speakers/{id}: a canonical speaker, and the operator's corrections to it."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import get, post
from litestar.params import Parameter

from api import schemas
from api.auth import require
from corpora.types import SpeakerIn
from index.service import Library

READ = require("read")
WRITE = require("write")
SpeakerId = Annotated[int, Parameter(ge=1, le=2**63 - 1, description="a speaker's id")]


@get("/v1/speakers/{speaker_id:int}", sync_to_thread=True, tags=["speakers"], guards=[READ])
def get_speaker(speaker_id: SpeakerId, library: Library) -> schemas.SpeakerDetail:
    """A speaker's canonical name, aliases, roles with dates, and statements. A speaker
    merged into another answers with that one."""
    return schemas.speaker_out(library.speakers.show(speaker_id))


@post("/v1/speakers/{speaker_id:int}/aliases", sync_to_thread=True, status_code=200,
      tags=["speakers"], guards=[WRITE])
def add_alias(speaker_id: SpeakerId, data: schemas.AliasIn,
              library: Library) -> schemas.SpeakerChangeOut:
    """Give a speaker another name; statements stored unlinked under it join the speaker.
    An alias another speaker holds is refused (409): merge them instead."""
    return schemas.change_out(library.correct_speakers(
        lambda sp: sp.alias(speaker_id, data.alias)))


@post("/v1/speakers/{speaker_id:int}/merge", sync_to_thread=True, status_code=200,
      tags=["speakers"], guards=[WRITE])
def merge_speaker(speaker_id: SpeakerId, data: schemas.MergeIn,
                  library: Library) -> schemas.SpeakerChangeOut:
    """Fold this speaker into `into` (one person): its names, roles, mentions and statements
    move; the same words under both become one statement."""
    return schemas.change_out(library.correct_speakers(
        lambda sp: sp.merge(speaker_id, data.into)))


@post("/v1/speakers/{speaker_id:int}/split", sync_to_thread=True, status_code=200,
      tags=["speakers"], guards=[WRITE])
def split_speaker(speaker_id: SpeakerId, data: schemas.SplitIn,
                  library: Library) -> schemas.SpeakerChangeOut:
    """Take the mentions that are someone else's (named `alias`, or in `articles`) into a
    new speaker `name`."""
    return schemas.change_out(library.correct_speakers(
        lambda sp: sp.split(speaker_id, data.name, alias=data.alias, articles=data.articles)))


@post("/v1/speakers/import", sync_to_thread=True, status_code=200, tags=["speakers"],
      guards=[WRITE])
def import_speakers(data: schemas.SpeakerImport, library: Library) -> schemas.SpeakerImportOut:
    """Add or update speakers (name, aliases, QID, roles): a record names an existing
    speaker by its QID, else by its name; otherwise it is new."""
    records = [msgspec.convert(msgspec.to_builtins(r), SpeakerIn) for r in data.speakers]
    return schemas.SpeakerImportOut(speakers=[schemas.change_out(c)
                                              for c in library.import_speakers(records)])


@post("/v1/speakers/relink", sync_to_thread=True, status_code=200, tags=["speakers"],
      guards=[WRITE])
def relink_speakers(library: Library) -> schemas.RelinkOut:
    """Link again the statements stored with no canonical speaker, against the registry as
    it is now (after an import or new aliases)."""
    got = library.relink_speakers()
    return schemas.RelinkOut(considered=got.considered, linked=got.moved, folded=got.folded)


def speaker_handlers() -> list[Any]:
    """The route handlers of this group."""
    return [get_speaker, add_alias, merge_speaker, split_speaker, import_speakers,
            relink_speakers]
