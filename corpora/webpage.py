"""News pages in: main text and metadata from HTML with trafilatura, made for news pages.

trafilatura finds the article body without menus, captions and comments, and reads the title,
author, site name and publication date from `<meta>`, JSON-LD (`datePublished`) and the page
(its htmldate, asked for the original publication date rather than the last change).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from corpora.cleantext import clean_text
from corpora.dates import parse_iso
from corpora.errors import ReadError
from corpora.types import Article

_DATES = {"extensive_search": True, "original_date": True}
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", re.I)
# An author field that is a link or a handle is no author: "https://www.facebook.com/bbcnews".
_NOT_AN_AUTHOR = re.compile(r"https?:|www\.|\.com\b|/|@")


@lru_cache(maxsize=1)
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # Its timeout is a signal alarm, which only the main thread may set: pages are read in
    # server threads too. A page is parsed in well under a second.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def article_from_html(markup: str, source: str, ident: str | None = None,
                      url: str | None = None) -> Article:
    """The article in an HTML page: its main text (cleaned) and what the page says of it."""
    from trafilatura import bare_extraction
    from trafilatura.settings import Document

    if "\x00" in markup:
        raise ReadError(source, "the HTML contains a NUL byte")
    try:
        doc = bare_extraction(markup, url=url, with_metadata=True, include_comments=False,
                              include_tables=True, deduplicate=False,
                              date_extraction_params=_DATES, config=_config())
    except (ValueError, TypeError) as e:  # lxml refuses some broken documents
        raise ReadError(source, f"cannot parse the HTML: {e}") from e
    text = clean_text(doc.text or "").strip() if isinstance(doc, Document) else ""
    if not text or not isinstance(doc, Document):
        raise ReadError(source, "no text found in HTML")
    published = parse_iso(doc.date) if doc.date else None
    return Article(
        text=text, id=ident, source=source,
        title=_field(doc.title), url=_field(doc.url) or url, outlet=_field(doc.sitename),
        author=_author(doc.author),
        published=published.isoformat() if published else None,
        language=_field(doc.language) or _language(markup),
    )


def _language(markup: str) -> str | None:
    """The language the page declares on its <html> element."""
    m = _LANG.search(markup, 0, 5000)
    return m.group(1).lower() if m else None


def _field(value: str | None) -> str | None:
    value = clean_text(value).strip() if value else ""
    return value or None


def _author(value: str | None) -> str | None:
    """The page's authors, without links and handles among them."""
    names = [n.strip() for n in (_field(value) or "").split(";")]
    kept = [n for n in names if n and not _NOT_AN_AUTHOR.search(n)]
    return "; ".join(kept) or None
