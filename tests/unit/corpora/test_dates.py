"""Date expressions resolve against the publication date."""

import datetime as dt

from corpora.dates import resolve

THU = dt.date(2023, 3, 30)


def test_weekday_is_the_most_recent_such_day() -> None:
    assert resolve("Wednesday", THU) == dt.date(2023, 3, 29)
    assert resolve("on Friday", THU) == dt.date(2023, 3, 24)
    assert resolve("Thursday", THU) == THU


def test_month_day_in_publication_year_or_the_year_before() -> None:
    assert resolve("on March 20", THU) == dt.date(2023, 3, 20)
    assert resolve("Dec. 30", THU) == dt.date(2022, 12, 30)


def test_relative_words_and_unknown_publication_date() -> None:
    assert resolve("yesterday", THU) == dt.date(2023, 3, 29)
    assert resolve("Wednesday", None) is None
