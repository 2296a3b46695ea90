"""Text cleaning before extraction: soft hyphens, zero-width marks and odd spaces out.

Applied by every reader to an article's text, so that what is stored and returned, and every
offset into it, is the cleaned text.
"""

from __future__ import annotations

import unicodedata

# Invisible marks that break words for the tokenizer ("chal\xadlenges", "Yes\xadter\xadday"):
# soft hyphen, zero-width space, word joiner, byte-order mark, Mongolian vowel separator.
# Zero-width (non-)joiners stay: they shape emoji and several scripts.
_DROPPED = "\u00ad\u200b\u2060\ufeff\u180e"
# Spaces of other widths, non-breaking ones included: a plain space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000\t"
# Line and paragraph separators, vertical tab, form feed, next line: a line break.
_BREAKS = "\u2028\u2029\x0b\x0c\x85"
_SAME_LENGTH = {**{ord(c): " " for c in _SPACES}, **{ord(c): "\n" for c in _BREAKS}}
_TABLE = {**dict.fromkeys(map(ord, _DROPPED)), **_SAME_LENGTH}


def clean_text(text: str) -> str:
    """The text in NFC, with Unix line ends, without invisible marks and with plain spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_TABLE)


def plain_spaces(text: str) -> str:
    """The text with odd spaces as plain spaces and odd line breaks as line breaks, one
    character for one, so every offset into it points into `text` as well."""
    return text.translate(_SAME_LENGTH)
