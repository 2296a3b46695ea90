"""Helpers the extraction tests share: run the extractor on a text, pick attributions by words."""

from __future__ import annotations

from spacy.tokens import Doc

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


def forced(extractor: Extractor, rows: list[tuple[str, int, str, str]]) -> ParsedArticle:
    """An invented sentence with a parse given by hand, (word, head, dep, pos) per token: the
    parser's mistakes on real text, which it does not repeat on every invented one. A space
    follows every word but an opening mark and what precedes punctuation."""
    words = [r[0] for r in rows]
    spaces = [w not in {"“", "\""} and (i + 1 == len(words) or words[i + 1] not in
              {",", ".", "”", ":", ";", "?", "!"}) for i, w in enumerate(words)]
    doc = Doc(extractor.nlp.vocab, words=words, spaces=spaces, heads=[r[1] for r in rows],
              deps=[r[2] for r in rows], pos=[r[3] for r in rows])
    return ParsedArticle(Article(text=doc.text, id="t"), doc)
