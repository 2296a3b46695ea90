"""Attribution extraction: direct, mixed and reported speech with speaker, cue, outlet and date.

An article is parsed once (`pipeline`), read through `article.ParsedArticle`, and handed to
the passes in `passes.PASSES`, which share one `ledger.Ledger` of the quotations they take;
`chooser` takes a learned second look at each speaker, and `finish` resolves speakers and
turns what they found into `Attribution`s.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from corpora.cleantext import plain_spaces
from corpora.extract.article import ParsedArticle
from corpora.extract.chooser import choose
from corpora.extract.finish import finish
from corpora.extract.passes import run_passes
from corpora.extract.pipeline import load_nlp
from corpora.types import Article, Attribution

__all__ = ["Extractor", "extract_parsed", "load_nlp", "parse", "to_record"]


def parse(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Doc]:
    """The parses of articles as the extractor reads them. A text that no reader cleaned may
    still hold no-break spaces, which the tokenizer keeps as tokens of their own and the
    parser reads as words: they are parsed as plain spaces, one character for one."""
    return nlp.pipe((plain_spaces(a.text) for a in articles), batch_size=batch_size)


def extract_parsed(article: Article, doc: Doc) -> list[Attribution]:
    """The attributions of one article from its parse, in text order."""
    art = ParsedArticle(article, doc)
    return finish(art, choose(art, run_passes(art)))


class Extractor:
    """Finds the statements in articles; one instance holds the spaCy pipeline."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()

    def extract(self, article: Article) -> list[Attribution]:
        """Attributions in one article, in text order."""
        return next(iter(self.extract_many([article])))

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16,
                     n_process: int = 1) -> Iterator[list[Attribution]]:
        """Attributions for each article, in order, parsing in batches.

        With `n_process` above 1, forked worker processes parse and extract a batch each and
        send back its attributions only: the parses never cross between processes.
        """
        items = list(articles)
        if n_process <= 1 or len(items) <= batch_size:
            yield from self._extract_batch(items, batch_size)
            return
        global _WORKER
        _WORKER = self  # what the forked workers inherit
        batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            for found in pool.imap(_worker_batch, batches):
                yield from found

    def _extract_batch(self, items: list[Article], batch_size: int) -> Iterator[list[Attribution]]:
        for article, doc in zip(items, parse(self.nlp, items, batch_size), strict=True):
            yield extract_parsed(article, doc)


_WORKER: Extractor | None = None


def _worker_batch(items: list[Article]) -> list[list[Attribution]]:
    """A worker process's share of `Extractor.extract_many`: one batch, extracted."""
    assert _WORKER is not None, "workers are forked from extract_many"
    return list(_WORKER._extract_batch(items, len(items)))


def to_record(a: Attribution) -> dict[str, Any]:
    """The `extract` JSONL record for one attribution."""
    return {
        "article_id": a.article_id,
        "kind": a.kind,
        "text": a.text,
        "content_spans": [list(s) for s in a.content_spans],
        "cue": {"text": a.cue.text, "span": list(a.cue.span)} if a.cue else None,
        "speaker": {"name": a.speaker.name, "mention": a.speaker.mention,
                    "mention_span": list(a.speaker.mention_span) if a.speaker.mention_span
                    else None, "role": a.speaker.role},
        "via": a.via,
        "when": {"text": a.when.text, "date": a.when.date} if a.when else None,
    }
