"""Property-based fuzzing of the quote scanner, the extractor and the readers.

Texts are built from the pieces news copy is made of (quotation marks of every style, names,
cues, roles, dates, paragraph breaks) and from arbitrary Unicode. Whatever comes in, nothing
raises but a ReadError naming the input, and every offset handed out lies inside the text.
The number of examples is the profile's (tests/conftest.py): bounded in the suite, large with
HYPOTHESIS_PROFILE=fuzz. A crash found here stays as an @example.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpora.cleantext import clean_text
from corpora.errors import ReadError
from corpora.extract import Extractor
from corpora.quotes import DOUBLED, OPENERS, find_quotes
from corpora.readers import article_from_record, iter_jsonl_text, read_path
from corpora.types import Article, Attribution, Span
from corpora.webpage import article_from_html

PIECES = [
    "“", "”", "„", "«", "»", '"', "‟", "‘", "’", "'", "''", " ", " ", "\n", "\n\n", ", ", ". ", "…",
    "—", "-", "(", ")", ":", ";", "?", "!", "said", "says", "told", "added", "warned",
    "according to", "quoted", "as saying", "he", "she", "they", "it", "Alma Reyes",
    "Reyes", "Bruno Falk", "the minister", "a spokesperson for Norvik Port",
    "Chiara Moss, the mayor,", "on Monday", "last week", "in 2023", "The", "We will",
    "not", "that", "the plan", "works", "Q:", "A:", "MOSS:", "said in a statement",
]
news = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60).map("".join)
anything = st.text(max_size=300)
texts = news | anything


def inside(span: Span | None, text: str) -> bool:
    return span is None or 0 <= span[0] < span[1] <= len(text)


@given(texts)
@example("“a\n“b")
@example("„„”")
@example('"\n"')
def test_the_quote_scanner_hands_out_ordered_spans_inside_the_text(text: str) -> None:
    last = -1
    for q in find_quotes(text):
        assert q.segments
        assert last <= q.start < q.end <= len(text)
        last = q.start
        for seg in q.segments:
            # A closing mark typed where an opening one belongs (`”Fear.`) opens too, and two
            # apostrophes are one mark.
            assert text[seg.open_mark] in OPENERS or text[seg.open_mark] == "”" or \
                text.startswith(DOUBLED, seg.open_mark)
            assert seg.open_mark < seg.start <= seg.end <= len(text)
            assert seg.close_mark is None or seg.end <= seg.close_mark < len(text)


def check_attributions(text: str, found: list[Attribution]) -> None:
    for a in found:
        assert a.content_spans and a.text.strip()
        assert all(inside(s, text) for s in a.content_spans)
        assert a.content_spans == sorted(a.content_spans)
        assert a.text == " … ".join(text[s:e] for s, e in a.content_spans)
        assert a.kind in ("direct", "mixed", "indirect")
        if a.cue is not None:
            assert inside(a.cue.span, text) and text[a.cue.span[0]:a.cue.span[1]] == a.cue.text
        if a.speaker.mention_span is not None:
            assert inside(a.speaker.mention_span, text)
        assert a.speaker.name is None or a.speaker.name.strip()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=texts, published=st.none() | st.sampled_from(["2024-05-16", "1999-12-31"]))
@example(text="“”", published=None)
@example(text="\n\n“We will.”\n\n", published="2024-05-16")
def test_the_extractor_never_raises_and_its_offsets_lie_in_the_text(
        extractor: Extractor, text: str, published: str | None) -> None:
    for t in {text, clean_text(text)}:
        if not t.strip():
            continue
        check_attributions(t, extractor.extract(Article(text=t, id="f", published=published)))


@given(anything)
def test_cleaning_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
records = st.fixed_dictionaries({}, optional={
    "text": texts | json_values, "id": st.text(max_size=8) | st.integers() | json_values,
    "published": st.sampled_from(["2024-05-16", "2024-13-40", "May 2024", ""]) | json_values,
    "outlet": st.text(max_size=8) | json_values}) | json_values


@given(records)
@example({"text": "x", "published": "0000-00-00"})
@example({"text": "\u200b\u00ad"})  # found by fuzzing: an empty article once cleaned
def test_an_article_record_is_an_article_or_a_read_error(obj: object) -> None:
    try:
        a = article_from_record(obj, "fuzz.jsonl", 1)
    except ReadError as e:
        assert str(e).startswith("fuzz.jsonl:1: ")
        return
    assert a.text.strip() and "\x00" not in a.text


quotebank_lines = st.fixed_dictionaries({}, optional={
    "quoteID": st.text(max_size=12) | json_values, "quotation": texts | json_values,
    "speaker": st.sampled_from(["None", "Alma Reyes", ""]) | json_values,
    "qids": st.lists(st.sampled_from(["Q9000000001", "x"]), max_size=3) | json_values,
    "date": st.sampled_from(["2024-05-16 10:00:00", "2024-13-01", ""]) | json_values,
    "numOccurrences": st.integers() | json_values,
    "urls": st.lists(st.text(max_size=20) | st.just("https://a.example/x"), max_size=3) |
    json_values}) | json_values


@given(quotebank_lines)
def test_a_quotebank_line_is_a_quotation_with_its_mentions_or_none(raw: object) -> None:
    from corpora.quotebank import quotation
    from index.quotebank import pending_from_quotation

    q = quotation(raw)
    if q is None:
        return
    assert q.text.strip() and q.quote_id
    rows = pending_from_quotation(q)
    assert len(rows) == max(1, len(q.urls)) == len({r.source_key for r in rows})


lines = st.lists(st.builds(json.dumps, records) | st.text(max_size=30), max_size=5)


@given(lines)
@example(["\x0c", "{}"])  # found by fuzzing: a form feed was counted as a line break
def test_a_jsonl_file_reads_or_names_its_bad_line(content: list[str]) -> None:
    text = "\n".join(content)
    try:
        for line, _ in iter_jsonl_text(text, "fuzz.jsonl"):
            assert 1 <= line <= max(1, text.count("\n") + 1)
    except ReadError as e:
        assert e.source == "fuzz.jsonl" and e.line is not None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.lists(records, max_size=3).map(
    lambda rs: "\n".join(json.dumps(r) for r in rs).encode()))
def test_any_bytes_in_an_article_file_read_or_fail_naming_the_file(
        tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "articles.jsonl"
    path.write_bytes(data)
    try:
        articles = read_path(path)
    except ReadError as e:
        assert e.source == str(path)
        return
    assert all(a.text.strip() for a in articles)


tags = st.sampled_from(["p", "div", "article", "h1", "title", "script", "style", "span",
                        "blockquote", "meta", "time", "a", "br", "li", "table", "td"])


def _element(children: list[str], tag: str, attr: str) -> str:
    return f"<{tag}{attr}>{''.join(children)}</{tag}>"


markup = st.recursive(
    texts.map(lambda t: t.replace("<", "&lt;")),
    lambda inner: st.builds(_element, st.lists(inner, max_size=4), tags,
                            st.sampled_from(["", ' class="content"', ' property="og:title"',
                                             ' datetime="2024-05-16"', ' lang="en"'])),
    max_leaves=12)
pages = st.builds(lambda body, head: f"<html><head>{head}</head><body>{body}</body></html>",
                  markup, st.sampled_from(["", "<title>Harbour</title>",
                                           '<meta name="author" content="Ilse Marrow">'])) | \
    st.text(max_size=200)


@given(pages)
@example("<html><body><p>\x00</p></body></html>")
@example("<")
def test_an_html_page_is_an_article_or_a_read_error(page: str) -> None:
    try:
        a = article_from_html(page, "fuzz.html")
    except ReadError as e:
        assert e.source == "fuzz.html"
        return
    assert a.text.strip() and "\x00" not in a.text
