"""Quotation-mark scanning, tolerant of unbalanced and multi-paragraph quotes."""

from __future__ import annotations

import re

import msgspec

OPENERS = {"“": "”", "„": "”", "«": "»", '"': '"', "‟": "”"}
CLOSERS = {"”", "»", '"'}
DOUBLED = "''"
"""Two apostrophes for a quotation mark, as some newspaper archives type both ends
(`''It's more tinkering,'' said Cole`). A segment's `open_mark` is then its first apostrophe
and its `close_mark` its last, so that `close_mark + 1` is still the text after the mark."""
TRAILING_PUNCT = ",;: \t\n"
_PARAGRAPH = re.compile(r"[^\n]+")


class Segment(msgspec.Struct, frozen=True):
    """One quoted stretch of text: `start`/`end` cover the content, without the marks."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark, None when the quote ran to paragraph end
    paragraph: int


class Quote(msgspec.Struct, frozen=True):
    """A quotation: one segment, or several paragraphs of one multi-paragraph quote."""

    segments: tuple[Segment, ...]

    @property
    def start(self) -> int:
        return self.segments[0].open_mark

    @property
    def end(self) -> int:
        last = self.segments[-1]
        return last.close_mark + 1 if last.close_mark is not None else last.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-empty lines of `text`."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([{—–-/:" or i == 0


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    return start, end


def _nested_close(text: str, i: int, p_end: int) -> int | None:
    """The closing mark of a curly quote opened at `i` inside another curly quote, when two
    closing marks follow it with no other opening mark among them; None otherwise."""
    first = text.find("”", i + 1, p_end)
    if first < 0 or "“" in text[i + 1:first]:
        return None
    second = text.find("”", first + 1, p_end)
    if second < 0 or "“" in text[first + 1:second]:
        return None
    return first


def _scan_paragraph(text: str, p_start: int, p_end: int, p_idx: int) -> tuple[list[Segment], bool]:
    """Segments in one paragraph; the flag says whether the last one was left open."""
    segments: list[Segment] = []
    open_at: int | None = None
    i = p_start
    while i < p_end:
        ch = text[i]
        if text.startswith(DOUBLED, i) and i + 2 <= p_end:
            if open_at is None:
                if _is_opening_straight(text, i):
                    open_at = i
            elif text.startswith(DOUBLED, open_at):
                s, e = _trim(text, open_at + 2, i)
                if e > s:
                    segments.append(Segment(s, e, open_at, i + 1, p_idx))
                open_at = None
            i += 2
            continue
        if open_at is not None and text.startswith(DOUBLED, open_at):
            pass  # other marks inside a quote of doubled apostrophes are the quote's own
        elif open_at is None:
            if ch in OPENERS and (ch != '"' or _is_opening_straight(text, i)):
                open_at = i
            elif ch == "”" and _is_opening_straight(text, i) and i + 1 < p_end and \
                    text[i + 1].isalnum():
                open_at = i  # a closing mark typed where an opening one belongs: `”Fear.`
        elif ch == "“" and text[open_at] == '"' and i > open_at + 1 and "”" in text[i + 1:p_end]:
            # Curly marks inside a straight-quoted passage quote within the quote: skip them.
            i = text.index("”", i + 1, p_end)
        elif ch in CLOSERS or ch == "“":
            if ch == "“" and (i + 1 >= p_end or not (text[i + 1].isspace()
                                                     or text[i + 1] in ",.;:!?)")):
                inner_end = _nested_close(text, i, p_end)
                if inner_end is not None:
                    i = inner_end  # `“… what he calls “hell” than live …”`: a quote within
                else:
                    # A new opening mark inside an open quote: the earlier one was never closed.
                    open_at = i
            elif ch == '"' and _is_opening_straight(text, i) and i + 1 < p_end and \
                    text[i + 1].isalnum() and text[open_at] == '"':
                # Straight marks are ambiguous; an opener-looking mark right after an opener
                # means the earlier mark was stray.
                open_at = i
            else:
                s, e = _trim(text, open_at + 1, i)
                if e > s:
                    segments.append(Segment(s, e, open_at, i, p_idx))
                open_at = None
        i += 1
    if open_at is not None:
        s, e = _trim(text, open_at + (2 if text.startswith(DOUBLED, open_at) else 1), p_end)
        if e > s:
            segments.append(Segment(s, e, open_at, None, p_idx))
            return segments, True
    return segments, False


def find_quotes(text: str) -> list[Quote]:
    """Quoted segments of `text`, joining the paragraphs of a multi-paragraph quote.

    News style leaves a quote open at the end of a paragraph when the next paragraph continues
    it with a fresh opening mark; an open quote not followed by such a paragraph still counts,
    running to the end of its paragraph, so a missing closing mark never derails the rest.
    """
    paras = paragraphs(text)
    quotes: list[Quote] = []
    pending: list[Segment] = []
    for p_idx, (ps, pe) in enumerate(paras):
        segments, left_open = _scan_paragraph(text, ps, pe, p_idx)
        if pending:
            first = segments[0] if segments else None
            if first is not None and first.open_mark == _first_non_space(text, ps):
                segments = segments[1:]
                pending.append(first)
                if left_open and not segments:
                    continue
                quotes.append(Quote(tuple(pending)))
                pending = []
            else:
                quotes.append(Quote(tuple(pending)))
                pending = []
        for seg in segments[:-1] if left_open else segments:
            quotes.append(Quote((seg,)))
        if left_open and segments:
            pending = [segments[-1]]
    if pending:
        quotes.append(Quote(tuple(pending)))
    return quotes


def _first_non_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i
