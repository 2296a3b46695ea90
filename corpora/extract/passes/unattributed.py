"""Pass: quotations with no cue verb: dash credits, colon intros and continuing paragraphs."""

from __future__ import annotations

import re

from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.frames import np_head
from corpora.extract.intros import (
    colon_clause_subject,
    intro_subject,
    last_name_in,
    name_before_colon,
)
from corpora.extract.ledger import Ledger

_DASH_CHARS = "—–―‒-"  # em, en, horizontal bar, figure dash, hyphen
_DASHES = (*_DASH_CHARS[:-1], "--")  # a dash credit on the quote's own line: not one hyphen
# What opens an aside after a dash, never a credited name: `“…” — setting expectations`.
_NOT_CREDITS = frozenset({"VERB", "AUX", "ADP", "SCONJ", "CCONJ", "ADV", "PART"})
_CREDIT_DASH = re.compile(rf"^\s*[{_DASH_CHARS}]+\s*")  # the dash before a credited name


def unattributed_quotes(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Quotes with no cue verb: dash credits, colon intros and continuing paragraphs."""
    out: list[Found] = []
    for qi, q in enumerate(art.quotes):
        if qi in ledger.taken:
            continue
        words = len(art.text[q.segments[0].start:q.segments[-1].end].split())
        para = art.para_of(q.start)
        p_start, p_end = art.paras[para]
        after = art.text[q.end:p_end]
        before = art.text[p_start:q.start]
        stripped = after.lstrip(" ,\xa0")
        # A dash credit: right after the quote (`” — Jo Lane`), or as a line of its own
        # under a paragraph that is only the quote (`“…”¶- Jo Lane, Eastport.`).
        name_at = None
        if stripped.startswith(_DASHES):
            name_at = p_end - len(_CREDIT_DASH.sub("", stripped, count=1))
            first = art.token_at(name_at)
            if first is not None and first.pos_ in _NOT_CREDITS:
                name_at = None  # `the “expectations game” — setting …`: an aside, no credit
        elif not stripped.strip(" .") and not before.strip() and para + 1 < len(art.paras):
            n_start, n_end = art.paras[para + 1]
            line = art.text[n_start:n_end]
            if line.lstrip().startswith(tuple(_DASH_CHARS)) and len(line.split()) <= 12:
                name_at = n_end - len(_CREDIT_DASH.sub("", line, count=1))
                first = art.token_at(name_at)
                if first is None or (first.pos_ != "PROPN" and first.ent_type_ != "PERSON"):
                    name_at = None  # `– An immigrant himself –`: a subheading
        if name_at is not None:
            tok = art.token_at(name_at)
            if tok is not None:
                out.append(ledger.take_quote(qi, Frame.of(None, np_head(tok))))
                continue
        if before.rstrip().endswith(":") or (not before.strip() and para > 0 and
                                             art.text[:p_start].rstrip().endswith(":")):
            intro_start = p_start if before.strip() else art.paras[para - 1][0]
            intro_end = q.start if before.strip() else art.paras[para - 1][1]
            colon_at = art.text.rindex(":", 0, intro_end)
            reported = _reported_up_to(art, found + out, colon_at)
            if reported is not None:
                # `said that X has two choices: “…”`: the quotation is the rest of the
                # reported words, one mixed statement, as PolNeAR annotates it.
                ledger.run_on(reported, [qi])
                reported.kind = "mixed"
                continue
            colon = art.token_at(colon_at)
            tok = (name_before_colon(art, colon) if colon is not None else None) \
                or (colon_clause_subject(art, colon) if colon is not None else None) \
                or last_name_in(art, intro_start, intro_end) \
                or intro_subject(art, intro_start, intro_end)
            # A quotation a colon introduces is someone's words even when the intro names
            # no one ("From the report:"); the speaker is then left open.
            out.append(ledger.take_quote(qi, Frame.of(None, tok)))
            continue
        if not before.strip() and words >= 4 and para > 0:
            # A paragraph that is only a quote continues the previous paragraph's speaker.
            prev = [i for i, f in enumerate(found + out) if f.kind == "direct"
                    and f.spans and art.para_of(f.spans[-1][0]) == para - 1]
            if prev:
                # News style runs one statement on across paragraphs: it is one content.
                ledger.run_on((found + out)[prev[-1]], [qi])
    return out


def _reported_up_to(art: ParsedArticle, found: list[Found], colon_at: int) -> Found | None:
    """The reported or mixed statement whose words end right at this colon, if one does."""
    for f in reversed(found):
        if f.kind in ("indirect", "mixed") and f.spans and f.spans[-1][1] <= colon_at \
                and not art.text[f.spans[-1][1]:colon_at].strip(" ,.\u201d\""):
            return f
    return None
