"""Resolve date expressions ("Wednesday", "on March 20", "yesterday") against a publication date."""

from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_DAY = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?\b")
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[A-Za-z]{3,9})\.?(?:,?\s+(?P<year>\d{4}))?\b")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_iso(value: str | None) -> dt.date | None:
    """The date at the start of an ISO date or datetime string, or None."""
    if not value:
        return None
    m = _ISO.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _month_day(month: str, day: str, year: str | None, published: dt.date | None) -> dt.date | None:
    mon = MONTHS.get(month.lower())
    if mon is None:
        return None
    if year:
        y = int(year)
    elif published:
        y = published.year
    else:
        return None
    try:
        d = dt.date(y, mon, int(day))
    except ValueError:
        return None
    if not year and published and d > published:
        # News reports the past: "on December 30" in a January article is last year.
        try:
            d = d.replace(year=y - 1)
        except ValueError:
            return None
    return d


def resolve(expression: str, published: dt.date | None) -> dt.date | None:
    """The calendar date `expression` names, given the article's publication date."""
    text = expression.lower().strip()
    m = _ISO.search(text)
    if m:
        return parse_iso(text)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(expression)
        if m:
            d = _month_day(m.group("month"), m.group("day"), m.group("year"), published)
            if d:
                return d
    if published is None:
        return None
    if "yesterday" in text:
        return published - dt.timedelta(days=1)
    if "today" in text or "this morning" in text or "tonight" in text:
        return published
    for i, name in enumerate(WEEKDAYS):
        if name in text:
            # A bare weekday in news copy is the most recent such day, the day of publication
            # included; "last Friday" means the one before that when it would be today.
            back = (published.weekday() - i) % 7
            if back == 0 and "last" in text:
                back = 7
            return published - dt.timedelta(days=back)
    return None
