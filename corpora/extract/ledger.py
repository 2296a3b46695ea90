"""What the passes have taken so far: quotations, the statements that own them, outlet verbs."""

from __future__ import annotations

from collections.abc import Iterable

from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame


class Ledger:
    """The one mutable record the passes share, so that no two statements take one quotation.

    - `taken`: quotations some statement holds;
    - `owner`: quotation -> the direct statement it is the words of (split quotes run on);
    - `via_verbs`: verbs that credit an outlet (`Tass reported`), never frames of their own.
    """

    def __init__(self, art: ParsedArticle) -> None:
        self.art = art
        self.taken: set[int] = set()
        self.owner: dict[int, Found] = {}
        self.via_verbs: set[int] = set()

    def take(self, quotes: Iterable[int]) -> None:
        """Mark quotations as taken."""
        self.taken.update(quotes)

    def take_quote(self, qi: int, frame: Frame) -> Found:
        """A direct statement of a whole quotation, which is then no longer free."""
        self.taken.add(qi)
        return Found(kind="direct", spans=self.art.quote_spans(qi), frame=frame, quotes=[qi])

    def own(self, found: Found, quotes: Iterable[int]) -> None:
        """Record `found` as the owner of these quotations."""
        for g in quotes:
            self.owner[g] = found

    def run_on(self, found: Found, more: list[int]) -> None:
        """Later quotations that continue a statement join it as further content spans."""
        found.spans = [*found.spans, *(s for g in more for s in self.art.quote_spans(g))]
        found.quotes = [*found.quotes, *more]
        self.taken.update(more)
        self.own(found, more)
