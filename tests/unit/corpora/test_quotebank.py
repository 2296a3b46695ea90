"""Quotebank lines: what makes a usable quotation, and how its speaker, QIDs, date and URLs
are read."""

from __future__ import annotations

from corpora.quotebank import quotation
from index.quotebank import SpeakerQids, outlet_of, pending_from_quotation


def line(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "quoteID": "2024-01-01-000001", "quotation": "The bridge reopens in spring",
        "speaker": "Ines Tamm", "qids": ["Q9000000010"], "date": "2024-01-01 10:00:00",
        "numOccurrences": 2, "probas": [["Ines Tamm", "0.9"]], "phase": "E",
        "urls": ["https://www.valleytimes.example/a", "https://coastwire.example/b"]}
    return {**base, **kw}


def test_a_line_is_read_as_one_quotation() -> None:
    q = quotation(line())
    assert q is not None
    assert (q.quote_id, q.speaker, q.qids, q.date, q.occurrences) == (
        "2024-01-01-000001", "Ines Tamm", ("Q9000000010",), "2024-01-01", 2)
    rows = pending_from_quotation(q)
    assert [(r.outlet, r.external_id) for r in rows] == [
        ("valleytimes.example", "2024-01-01-000001"), ("coastwire.example", "2024-01-01-000001")]
    assert len({r.source_key for r in rows}) == 2


def test_what_is_not_a_quotation_is_none() -> None:
    for bad in (line(quotation=""), line(quotation=None), line(quoteID=""), line(urls="x"),
                line(urls=[1]), line(qids="Q1"), line(quotation="\u200b"), ["a list"], "text"):
        assert quotation(bad) is None, bad


def test_speaker_none_dates_and_urls_are_tidied() -> None:
    q = quotation(line(speaker="None", date="not a date", urls=[" https://a.example/x ",
                                                               "https://a.example/x"]))
    assert q is not None and q.speaker is None and q.date is None
    assert q.urls == ("https://a.example/x",)
    (row,) = pending_from_quotation(quotation(line(urls=[])) or q)
    assert row.url is None and row.outlet is None
    assert outlet_of("not a url") is None and outlet_of("https://www.x.example:8080/p") == \
        "x.example"


def test_a_qid_is_given_only_when_it_is_clear() -> None:
    qids = SpeakerQids()
    for kw in ({"speaker": "Ines Tamm", "qids": ["Q9000000010"]},
               {"speaker": "Ines Tamm", "qids": ["Q9000000010"]},
               {"speaker": "Hugo Arve", "qids": ["Q9000000011", "Q9000000012"]},
               {"speaker": "Greta Lind", "qids": ["Q9000000013"]},
               {"speaker": "Greta Lind", "qids": ["Q9000000014"]}):
        q = quotation(line(**kw))
        assert q is not None
        qids.add(q)
    assert [(r.name, r.qid) for r in qids.records()] == [("Ines Tamm", "Q9000000010")]
    assert qids.ambiguous == 2
