"""Pass: a quoted transcript, each turn a statement of the speaker its label names."""

from __future__ import annotations

import re

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.found import NO_FRAME, Found
from corpora.extract.ledger import Ledger
from corpora.types import Speaker

# A transcript turn's speaker label: `PENCE: `, `JAKE TAPPER: `, `SEN. KAINE: `.
_TURN_LABEL = re.compile(r"((?:[A-Z][A-Za-z.'’-]* ){0,3}[A-Z][A-Z.'’-]+):[\s\xa0]+")
_STAGE_DIRECTION = re.compile(r"\s*[(\[][^)\]]*[)\]]\.?\s*")


def transcript_turns(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """A quoted transcript, a paragraph per turn opened by its speaker's label
    (`"WALLACE: Will she attend?¶"PENCE: She will not.`): each turn is a statement of
    the labelled speaker, without the label; stage directions (`(CROSSTALK.)`) are left
    out."""
    out: list[Found] = []
    for qi, q in enumerate(art.quotes):
        labels = [_TURN_LABEL.match(art.text, seg.start, seg.end) for seg in q.segments]
        if labels[0] is None or sum(m is not None for m in labels) < 2:
            continue
        turn: Found | None = None
        for seg, label in zip(q.segments, labels, strict=True):
            if label is not None:
                name = label.group(1)
                speaker = None if name.upper() in lexicon.NOT_TURN_SPEAKERS else Speaker(
                    name=name.title(), mention=name, mention_span=label.span(1))
                turn = Found(kind="direct", spans=[], frame=NO_FRAME, speaker=speaker,
                             quotes=[qi])
                out.append(turn)
                start = label.end()
            else:
                start = seg.start
            if turn is not None and not _STAGE_DIRECTION.fullmatch(art.text, start, seg.end):
                turn.spans.append((start, seg.end))
        ledger.taken.add(qi)
    return [f for f in out if f.spans and f.speaker is not None]
