"""Claim parsing: the speaker a claim attributes its words to, and the words it asserts."""

from __future__ import annotations

import re

import msgspec

from corpora.lexicon import TITLE_WORDS
from index.text import normalise

_CUES = (r"(?:has |had )?(?:said|says|say|claimed|claims|stated|states|told [\w ]{1,30}?|"
         r"announced|announces|warned|warns|added|adds|explained|explains|argued|argues|"
         r"insisted|insists|declared|declares|tweeted|tweets|wrote|writes|noted|notes|"
         r"stressed|stresses|admitted|admits|promised|promises|suggested|suggests|"
         r"denied|denies|confirmed|confirms)")
_NAME = r"(?P<speaker>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*)"
_QUOTES = "\"'“”‘’«»"
_TITLES = frozenset(w.rstrip(".") for w in TITLE_WORDS)

_PATTERNS = [
    re.compile(rf"^{_NAME}\s*:\s*(?P<text>.+)$", re.S),
    re.compile(rf"^according to {_NAME},?\s+(?P<text>.+)$", re.S | re.I),
    re.compile(rf"^{_NAME}\s+{_CUES}(?:\s+that)?[,:]?\s+(?P<text>.+)$", re.S),
    re.compile(rf"^(?P<text>.+?)[,—–\-\"”’']+\s*{_NAME}\s+{_CUES}\.?$", re.S),
    re.compile(rf"^(?P<text>.+?)[,—–\-\"”’']+\s*{_CUES}\s+{_NAME}\.?$", re.S),
    re.compile(rf"^(?P<text>.+?),?\s+according to {_NAME}\.?$", re.S | re.I),
]


class ParsedClaim(msgspec.Struct, frozen=True):
    """The claim's asserted words and the speaker it names, if any, with the canonical
    names of the registry's speakers that go by that name (`known_as`)."""

    text: str
    speaker: str | None
    known_as: tuple[str, ...] = ()

    def names(self, actual: str | None) -> bool:
        """Whether the claim's speaker is the stored speaker `actual`: the same name, or a
        name the registry knows that speaker by."""
        if not self.speaker or not actual:
            return False
        return actual in self.known_as or same_speaker(self.speaker, actual)


def _clean_name(name: str) -> str | None:
    words = name.replace("’s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    if not words or words[0].lower() in {"the", "a", "an", "it", "this", "that", "there", "we",
                                         "i", "they", "he", "she", "you"}:
        return None
    return " ".join(words)


def parse_claim(claim: str, speaker: str | None = None) -> ParsedClaim:
    """Split "Lavrov said the CSTO is ready" into ("the CSTO is ready", "Lavrov")."""
    text = " ".join(claim.split())
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            name = _clean_name(m.group("speaker"))
            if name:
                body = m.group("text").strip().strip(_QUOTES).strip()
                if len(body.split()) >= 1:
                    return ParsedClaim(body, speaker or name)
    return ParsedClaim(text.strip(_QUOTES).strip() or text, speaker)


def same_speaker(claimed: str, actual: str | None) -> bool:
    """Whether a name in a claim refers to the stored speaker ("Lavrov" ~ "Sergey Lavrov")."""
    if not actual:
        return False
    a = normalise(claimed).split()
    b = normalise(actual).split()
    if not a or not b:
        return False
    if a == b or a[-1] == b[-1]:
        return True
    return " ".join(a) in " ".join(b) or " ".join(b) in " ".join(a)
