"""News pages in: main text and metadata from HTML with trafilatura, made for news pages.

trafilatura finds the article body without menus, captions and comments, and reads the title,
author, site name and publication date from `<meta>`, JSON-LD (`datePublished`) and the page
(its htmldate, asked for the original publication date rather than the last change).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from corpora.cleantext import clean_text
from corpora.dates import parse_iso
from corpora.errors import ReadError
from corpora.types import Article

_DATES = {"extensive_search": True, "original_date": True}
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", re.I)
# An author field that is a link or a handle is no author: "https://www.facebook.com/bbcnews".
_NOT_AN_AUTHOR = re.compile(r"https?:|www\.|\.com\b|/|@")
# The encoding a page declares: `<meta charset="…">` or `content="text/html; charset=…"`.
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# What pages put between a title and the site's name.
_TITLE_SEP = re.compile(r"\s+[|\-–—•·:]{1,2}\s+")


def decode_html(data: bytes) -> str:
    """A page's text as a browser reads it: UTF-16 when it starts with a UTF-16 byte-order
    mark, UTF-8 (a BOM dropped) when the bytes are UTF-8, else the encoding the page declares
    in its first 4 KiB, else windows-1252, which browsers take for an undeclared page; a byte
    the encoding cannot read becomes U+FFFD."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data, 0, 4096)
    encoding = _encoding(m.group(1).decode("ascii")) if m else "cp1252"
    return data.decode(encoding, errors="replace")


def _encoding(label: str) -> str:
    """The codec for a declared charset, as browsers map it: Latin-1 and ASCII read as
    windows-1252, UTF-16 or 32 in a page's own bytes as UTF-8, an unknown label as
    windows-1252."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "cp1252"
    if name in {"iso8859-1", "ascii"}:
        return "cp1252"
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


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
    page_url, outlet = _field(doc.url) or url, _field(doc.sitename)
    site = _site_names(outlet, page_url)
    return Article(
        text=text, id=ident, source=source,
        title=_title(_field(doc.title), site), url=page_url, outlet=outlet,
        author=_author(doc.author, site),
        published=published.isoformat() if published else None,
        language=_field(doc.language) or _language(markup),
    )


def _title(title: str | None, site: AbstractSet[str]) -> str | None:
    """The title without the site's name that pages add to it ("… | Tone Deaf", "… - DAS
    HAUS"): a short last part after a separator is dropped when it names the site, by its
    site name or by a word of its host."""
    seps = list(_TITLE_SEP.finditer(title or ""))
    if not title or not seps:
        return title or None
    last = title[seps[-1].end():]
    if len(last.split()) <= 5 and _names_site(last, site):
        return title[:seps[-1].start()] or None
    return title


def _site_names(site: str | None, url: str | None) -> set[str]:
    """The site's name and the longer words of its host, as `_key`s."""
    host = urlparse(url).netloc.lower() if url else ""
    names = {_key(site)} if site else set()
    names.update(w for w in re.split(r"[.-]", host.removeprefix("www.")) if len(w) > 3)
    names.discard("")
    return names


def _names_site(text: str, names: AbstractSet[str]) -> bool:
    """Whether a title's part or an author names the site."""
    key = _key(text)
    return bool(key) and any(key == n or (len(n) > 3 and n in key) or
                             (len(key) > 3 and key in n) for n in names)


def _key(text: str) -> str:
    """Letters and digits only, lower case: "Tone Deaf" and "tonedeaf" meet."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _language(markup: str) -> str | None:
    """The language the page declares on its <html> element."""
    m = _LANG.search(markup, 0, 5000)
    return m.group(1).lower() if m else None


def _field(value: str | None) -> str | None:
    value = clean_text(value).strip() if value else ""
    return value or None


def _author(value: str | None, site: AbstractSet[str]) -> str | None:
    """The page's authors, without links and handles among them, and without the site
    itself when it is named beside people ("Ernst Lohoff; Jungle World")."""
    names = [n.strip() for n in (_field(value) or "").split(";")]
    kept = [n for n in names if n and not _NOT_AN_AUTHOR.search(n)]
    if len(kept) > 1:
        kept = [n for n in kept if not _names_site(n, site)] or kept
    return "; ".join(kept) or None
