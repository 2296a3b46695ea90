"""Text normalisation and tokens with offsets, shared by dedup, lexical search and alignment."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-"}
)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "mine",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "not",
        "no",
        "so",
        "than",
        "then",
        "too",
        "very",
        "just",
        "also",
        "about",
        "into",
        "over",
        "under",
        "again",
        "further",
        "once",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "s",
        "t",
        "don",
        "now",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "why",
        "how",
        "said",
        "says",
        "say",
    ]
)
NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "cannot",
        "without",
        "n't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "can't",
        "couldn't",
        "shouldn't",
        "wouldn't",
        "hasn't",
        "haven't",
        "hadn't",
    }
)


def normalise(text: str) -> str:
    """Casefolded text with quotes, dashes, punctuation and whitespace evened out."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(m.group() for m in _TOKEN.finditer(text))


def text_hash(text: str) -> str:
    """Hash of the normalised text: the identity of a statement's words."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def speaker_key(name: str | None) -> str:
    """Normalised speaker name used in the dedup key ('' for unknown)."""
    return normalise(name) if name else ""


def stem(word: str) -> str:
    """A light suffix strip so that "tensions"/"tension" and "persists"/"persist" meet."""
    w = word.replace("'s", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(normalised token, start, end) for each word of `text`, offsets into `text`."""
    out = []
    folded = text.translate(_QUOTES)
    for m in _TOKEN.finditer(folded):
        out.append((unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end()))
    return out


def terms(text: str) -> list[str]:
    """Stemmed content terms for lexical search."""
    return [stem(t) for t, _, _ in tokens(text) if t not in STOPWORDS]
