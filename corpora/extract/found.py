"""An attribution in the making (`Found`) and the frame that introduces it (`Frame`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from corpora.types import Kind, Span, Speaker


@dataclass(frozen=True, slots=True)
class Frame:
    """Who speaks and through which cue: the cue token with its text and span (`said`,
    `quoted … as saying`), the speaker's subject token, and the outlet that credits it."""

    cue: Token | None = None
    cue_text: str | None = None
    cue_span: Span | None = None
    subject: Token | None = None
    via: str | None = None

    @classmethod
    def of(cls, cue: Token | None, subject: Token | None, via: str | None = None,
           cue_text: str | None = None, cue_span: Span | None = None) -> Frame:
        """A frame whose cue text and span default to the cue token's."""
        if cue is not None:
            cue_text = cue_text or cue.text
            cue_span = cue_span or (cue.idx, cue.idx + len(cue.text))
        return cls(cue=cue, cue_text=cue_text, cue_span=cue_span, subject=subject, via=via)


NO_FRAME = Frame()


@dataclass(slots=True)
class Found:
    """An attribution in the making; the speaker is resolved later, in text order."""

    kind: Kind
    spans: list[Span]
    frame: Frame
    speaker: Speaker | None = None  # named by a label (`PENCE:`), not by a subject token
    quotes: list[int] = field(default_factory=list)
