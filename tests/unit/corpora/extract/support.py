"""Helpers the extraction tests share: run the extractor on a text, pick attributions by words."""

from __future__ import annotations

from corpora.extract import Extractor
from corpora.extract.article import ParsedArticle
from corpora.types import Article, Attribution


def run(extractor: Extractor, text: str, published: str | None = "2024-05-16"
        ) -> list[Attribution]:
    """The attributions of one invented article."""
    return extractor.extract(Article(text=text, id="t", published=published))


def having(found: list[Attribution], *words: str) -> list[Attribution]:
    """The attributions whose text contains any of `words`."""
    return [a for a in found if any(w in a.text for w in words)]


def one(found: list[Attribution], words: str) -> Attribution:
    """The first attribution whose text contains `words`; fails naming what was found."""
    hits = having(found, words)
    assert hits, f"no attribution containing {words!r} in {[a.text for a in found]}"
    return hits[0]


def parsed(extractor: Extractor, text: str, published: str | None = "2024-05-16"
           ) -> ParsedArticle:
    """One invented article parsed as the passes read it."""
    article = Article(text=text, id="t", published=published)
    return ParsedArticle(article, extractor.nlp(text))
