"""The extractor's passes, in the order they run: each takes the quotations the earlier left."""

from __future__ import annotations

from collections.abc import Callable

from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found
from corpora.extract.ledger import Ledger
from corpora.extract.passes.according import according_to
from corpora.extract.passes.as_credit import as_credits
from corpora.extract.passes.complements import quoted_complements
from corpora.extract.passes.learned import learned_cues
from corpora.extract.passes.leftover import leftover_quotes
from corpora.extract.passes.nouns import noun_cues
from corpora.extract.passes.transcript import transcript_turns
from corpora.extract.passes.unattributed import unattributed_quotes
from corpora.extract.passes.verbs import cue_verbs

# A pass reads the article and what the passes before it found, takes quotations in the
# ledger, and returns what it found itself.
Pass = Callable[[ParsedArticle, Ledger, list[Found]], list[Found]]

PASSES: tuple[Pass, ...] = (
    transcript_turns,     # `PENCE: …` turns of a quoted transcript
    cue_verbs,            # `“…,” she said`, `said that …`, outlet credits set apart
    according_to,         # `according to X`
    as_credits,           # `as X put it, …`
    unattributed_quotes,  # dash credits, colon intros, quote-only paragraphs running on
    noun_cues,            # `his warning that …`
    quoted_complements,   # `dismissed the plan as “absurd”`
    leftover_quotes,      # whole quoted sentences after a sentence naming the speaker
    learned_cues,         # `criticized the plan`, `hopes to win`: a learned model's finds
)


def run_passes(art: ParsedArticle) -> list[Found]:
    """Every pass in order over one article, sharing one ledger."""
    ledger = Ledger(art)
    found: list[Found] = []
    for run in PASSES:
        found.extend(run(art, ledger, found))
    return found
