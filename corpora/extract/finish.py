"""From found statements to attributions: speakers resolved in text order, dates, duplicates."""

from __future__ import annotations

import msgspec

from corpora import speakers
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found
from corpora.extract.frames import when
from corpora.types import Attribution, Cue, Kind, Span, Speaker


def finish(art: ParsedArticle, found: list[Found]) -> list[Attribution]:
    """The attributions of an article in text order, each with its speaker resolved."""
    resolved = _speakers(art, found)
    out: list[Attribution] = []
    for f, spk in zip(found, resolved, strict=True):
        if f.frame.cue is None and f.kind == "direct" and not spk.name and len(
                " ".join(art.text[a:b] for a, b in f.spans).split()) <= 4:
            # A few quoted words with no cue and no named speaker are more often a title
            # or a scare quote than anyone's statement.
            continue
        if len(f.quotes) == 1 and art.owned_title(f.quotes[0]):
            q = art.quotes[f.quotes[0]]
            extra = sum(len(art.text[a:b].split()) for a, b in f.spans) - len(
                art.text[q.start:q.end].split())
            if extra <= 1:
                continue  # `ABC’s “Good Morning America”` names a show
        exclude = {x for s in f.spans for x in art.tokens_in(s)}
        frame = f.frame
        if frame.subject is not None:
            exclude.update(t.i for t in frame.subject.subtree)
        said = when(art, frame.cue, exclude) if frame.cue is not None else None
        out.append(Attribution(
            article_id=art.article.id,
            kind=_kind(art, f),
            text=" … ".join(art.article.text[s:e] for s, e in f.spans),
            content_spans=f.spans,
            cue=Cue(text=frame.cue_text, span=frame.cue_span)
            if frame.cue_text and frame.cue_span else None,
            speaker=spk,
            via=frame.via,
            when=said,
        ))
    out.sort(key=lambda a: (a.content_spans[0][0], -a.content_spans[-1][1],
                            a.speaker.name is None))
    return dedupe(out)


def _kind(art: ParsedArticle, f: Found) -> Kind:
    """A mixed statement whose span lost its quotations on the way (cut before an aside,
    or the quotation was the aside) is reported speech."""
    if f.kind == "mixed" and not any(q.start < e and s < q.end for q in art.quotes
                                     for s, e in f.spans):
        return "indirect"
    return f.kind


def _anchor(f: Found) -> int:
    """Where a statement's speaker is named, or where its words start."""
    if f.frame.subject is not None:
        return f.frame.subject.idx
    return f.spans[0][0] if f.spans else 0


def _speakers(art: ParsedArticle, found: list[Found]) -> list[Speaker]:
    """Each statement's speaker, resolved in the order speakers are named in the text, so a
    pronoun or a description finds the person named before it."""
    tracker = speakers.Tracker(art.doc)
    blocked = art.blocked_tokens(found)
    resolved: dict[int, Speaker] = {}
    for i in sorted(range(len(found)), key=lambda i: _anchor(found[i])):
        f = found[i]
        subject = f.frame.subject
        if subject is None and f.speaker is not None and f.speaker.name:
            spk = msgspec.structs.replace(f.speaker, name=tracker.canonical(f.speaker.name))
            resolved[i] = spk
            tracker.remember(spk.name or "", None, _anchor(f), True)
            continue
        if subject is None:
            resolved[i] = Speaker(name=None)
            continue
        spk, person = speakers.resolve(subject, blocked - {subject.i}, tracker)
        resolved[i] = spk
        if spk.name:
            tracker.remember(spk.name, spk.role, _anchor(f), person)
    return [resolved[i] for i in range(len(found))]


def dedupe(items: list[Attribution]) -> list[Attribution]:
    """Drop an attribution whose content lies inside another one's with the same speaker,
    and quoted words that a wider mixed statement already carries: in `X said Y plans to
    “back” Z`, the quotation is part of what X says, not a statement of its own. Words that
    someone named says are nobody else's: an unnamed statement inside them is dropped, and
    of two with the same span the named one comes first (`finish` sorts them so).

    `items` come in text order, a wider content before a narrower one starting with it.
    """
    keep: list[Attribution] = []
    for a in items:
        s, e = a.content_spans[0][0], a.content_spans[-1][1]
        dup = False
        for b in keep:
            bs, be = b.content_spans[0][0], b.content_spans[-1][1]
            if not (bs <= s and e <= be) or (a.kind != "indirect" and
                                              not _within(a.content_spans, b.content_spans)):
                continue  # `“A,” X said, saying Y would “B.” ¶“C.”`: B lies between A and C
            if a.speaker.name == b.speaker.name or a.kind == "indirect" or (
                    b.kind == "mixed" and (bs, be) != (s, e)) or (
                    a.speaker.name is None and b.speaker.name is not None):
                dup = True
                break
        if not dup:
            keep.append(a)
    return keep


def _within(inner: list[Span], outer: list[Span]) -> bool:
    """Whether every span of `inner` lies inside one of `outer`'s spans."""
    return all(any(os_ <= s and e <= oe for os_, oe in outer) for s, e in inner)
