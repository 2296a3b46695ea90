"""News pages read with trafilatura: main text without boilerplate, and the page's metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.errors import ReadError
from corpora.readers import read_path
from corpora.webpage import article_from_html

PAGES = Path(__file__).parents[2] / "fixtures" / "pages"


def test_meta_tags_give_title_outlet_author_date_and_url() -> None:
    (a,) = read_path(PAGES / "harbour-herald-ferry-fares.html")
    assert (a.title, a.outlet, a.author) == ("Ferry fares to fall by a third", "Harbour Herald",
                                             "Ada Welk")
    assert a.published == "2024-05-02"  # published, not the later modified_time
    assert a.url == "https://herald.example/2024/05/02/ferry-fares" and a.language == "en"
    assert a.id == "harbour-herald-ferry-fares"


def test_json_ld_gives_the_date_author_and_publisher() -> None:
    (a,) = read_path(PAGES / "island-post-bridge-tolls.html")
    assert a.published == "2024-03-14" and a.outlet == "Island Post"
    assert a.author == "Malik Osei"  # the <meta> author is a Facebook link: not an author


def test_the_main_text_leaves_menus_comments_and_footers_out() -> None:
    (a,) = read_path(PAGES / "harbour-herald-ferry-fares.html")
    paragraphs = a.text.split("\n")
    assert paragraphs[1].startswith("Fares on the island ferry") and len(paragraphs) == 6
    for junk in ("cookies", "Sport", "Related stories", "Great news", "All rights reserved",
                 "By Ada Welk"):
        assert junk not in a.text
    # Soft hyphens, zero-width spaces and non-breaking spaces are cleaned out.
    assert "Yesterday, council chair" in a.text and "challenges" in a.text
    assert "ferry’s engines" in a.text and "\u00a0" not in a.text


def test_pages_without_text_or_with_nul_are_read_errors() -> None:
    with pytest.raises(ReadError, match="no text"):
        article_from_html("<html><body><script>var x;</script><p> </p></body></html>", "p.html")
    with pytest.raises(ReadError, match="NUL"):
        article_from_html("<html><body><p>a\x00b</p></body></html>", "p.html")
    with pytest.raises(ReadError):
        article_from_html("", "p.html")


@pytest.mark.slow
def test_statements_of_a_page_point_into_its_stored_text(extractor) -> None:  # type: ignore[no-untyped-def]
    (a,) = read_path(PAGES / "harbour-herald-ferry-fares.html")
    found = extractor.extract(a)
    by_text = {x.text: x for x in found}
    dahl = next(x for t, x in by_text.items() if "well spent" in t)
    assert dahl.speaker.name == "Erik Dahl" and dahl.speaker.role == "council chair"
    assert all(x.speaker.name != "Yesterday" for x in found)
    for x in found:
        assert " … ".join(a.text[s:e] for s, e in x.content_spans) == x.text
        if x.speaker.mention_span:
            s, e = x.speaker.mention_span
            assert a.text[s:e] == x.speaker.mention
    rell = next(x for t, x in by_text.items() if "long wait" in t)
    assert rell.speaker.name == "Tomas Rell"


def _page(title: str, site: str | None = None) -> str:
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    body = " ".join(["The harbour council met on Tuesday to discuss the ferry timetable."] * 8)
    return (f'<html><head><meta property="og:title" content="{title}">{site_meta}'
            '<link rel="canonical" href="https://www.harbourherald.example/2024/ferry">'
            f"</head><body><article><h1>x</h1><h1>y</h1><p>{body}</p></article></body></html>")


@pytest.mark.parametrize(("title", "site", "want"), [
    ("Ferry fares to fall - Harbour Herald", "Harbour Herald", "Ferry fares to fall"),
    ("Ferry fares to fall | HARBOUR HERALD", None, "Ferry fares to fall"),  # by its host
    ("Ferry fares: what changes – harbourherald.example", None, "Ferry fares: what changes"),
    # A last part that does not name the site is part of the title.
    ("Ferry fares - what the council decided", "Harbour Herald",
     "Ferry fares - what the council decided"),
    ("Island Post - Ferry fares to fall", "Harbour Herald", "Island Post - Ferry fares to fall"),
])
def test_the_site_name_pages_add_to_a_title_is_left_out(title: str, site: str | None,
                                                         want: str) -> None:
    assert article_from_html(_page(title, site), "p.html").title == want


@pytest.mark.parametrize(("author", "want"), [
    ("Ada Welk; Harbour Herald", "Ada Welk"),  # the site beside a person is no author
    ("Ada Welk, Malik Osei", "Ada Welk; Malik Osei"),
    ("Harbour Herald", "Harbour Herald"),  # a site that signs its own posts keeps its name
])
def test_the_site_named_beside_the_authors_is_left_out(author: str, want: str) -> None:
    page = _page("Ferry fares to fall", "Harbour Herald").replace(
        "<head>", f'<head><meta name="author" content="{author}">')
    assert article_from_html(page, "p.html").author == want


_LINE = "Die Fähre nach Holm fährt ab Montag stündlich, sagte Ada Welk."
_BODY = "<p>" + " ".join([_LINE] * 6) + "</p>"


@pytest.mark.parametrize(("head", "encoding"), [
    ('<meta charset="iso-8859-1">', "latin-1"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
    ("", "cp1252"),  # undeclared and not UTF-8: read as browsers read it
    ('<meta charset="utf-8">', "utf-8"),
    ('<meta charset="utf-16">', "utf-16"),  # with its byte-order mark
])
def test_a_page_is_read_in_the_encoding_it_declares(tmp_path: Path, head: str,
                                                     encoding: str) -> None:
    page = tmp_path / "faehre.html"
    page.write_bytes(f"<html><head>{head}<title>Fähre</title></head><body><article>{_BODY}"
                     "</article></body></html>".encode(encoding))
    (a,) = read_path(page)
    assert "Die Fähre nach Holm fährt ab Montag stündlich" in a.text
    assert "\ufffd" not in a.text


def test_bytes_a_page_s_encoding_cannot_read_are_replaced_not_refused(tmp_path: Path) -> None:
    page = tmp_path / "mixed.html"
    page.write_bytes(b'<html><head><meta charset="utf-8"></head><body><article>'
                     + _BODY.encode()
                     + b"<p>Ein kaputtes \xff Zeichen.</p></article></body></html>")
    (a,) = read_path(page)
    assert "Die Fähre nach Holm" in a.text and "Ein kaputtes \ufffd Zeichen." in a.text
