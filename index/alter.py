"""Quotes changed in meaning: a number, a negation or a word swapped for its antonym."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

import msgspec

from index.text import NEGATIONS

_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*(?:st|nd|rd|th|s|k|m|bn)?$")

_UNITS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate((
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "dozen": 12}
# Number words: those with a value above, and those that stand for themselves.
NUMBER_WORDS = frozenset({*_UNITS, *_TENS, *_SCALES, "half", "third", "quarter", "twice",
                          "thrice", "first", "second", "fourth", "fifth", "tenth", "hundredth"})

# Pairs of words whose swap turns a statement into its opposite. Each line is one pair of
# families; every word of one side is the antonym of every word of the other.
_PAIRS = """
rise rises rose risen rising | fall falls fell fallen falling
increase increases increased increasing | decrease decreases decreased decreasing
up | down
higher | lower
high | low
more | less fewer
most | least fewest
raise raises raised raising | cut cuts cutting lower lowers lowered lowering
gain gains gained | lose loses lost losing loss losses
win wins won winning | lose loses lost losing
support supports supported supporting | oppose opposes opposed opposing
for | against
allow allows allowed allowing | ban bans banned banning forbid forbids forbade
accept accepts accepted accepting | reject rejects rejected rejecting
approve approves approved approving | veto vetoes vetoed vetoing
agree agrees agreed agreeing | disagree disagrees disagreed disagreeing
open opens opened opening | close closes closed closing shut shuts
before | after
above | below
over | under
expand expands expanded expanding | shrink shrinks shrank shrunk shrinking
grow grows grew grown growing | shrink shrinks shrank shrunk shrinking
growth | decline
strong stronger strongest | weak weaker weakest
safe safer safest | dangerous unsafe
legal | illegal
always | never
all | none
everyone everybody | nobody
true | false
best | worst
better | worse
first | last
success successful | failure failed
guilty | innocent
rich richer | poor poorer
majority | minority
maximum | minimum
positive | negative
profit profits | loss losses
surplus | deficit
buy buys bought buying | sell sells sold selling
hire hires hired hiring | fire fires fired firing
add adds added adding | remove removes removed removing
include includes included including | exclude excludes excluded excluding
increase | cut
start starts started starting | stop stops stopped stopping
begin begins began beginning | end ends ended ending
early earlier | late later
cheap cheaper | expensive
easy easier | hard harder difficult
full | empty
yes | no
"""


def _antonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in _PAIRS.strip().splitlines():
        left, right = (side.split() for side in line.split("|"))
        for a in left:
            out.setdefault(a, set()).update(right)
        for b in right:
            out.setdefault(b, set()).update(left)
    return {k: frozenset(v) for k, v in out.items()}


ANTONYMS = _antonyms()




def is_number(tok: str) -> bool:
    return bool(_DIGITS.match(tok)) or tok in NUMBER_WORDS


def values(toks: list[str]) -> set[float | str]:
    """The numbers a run of words states: "seventy five" and "75" are both {75.0}; a number
    word without a value ("half", "first") stands for itself.
    """
    out: set[float | str] = set()
    cur: float | None = None
    for t in [*toks, ""]:
        digits = t.rstrip("stndrhkmb") if _DIGITS.match(t) else ""
        if digits and digits.replace(",", "").replace(".", "", 1).isdigit():
            if cur is not None:
                out.add(cur)
            cur = float(digits.replace(",", ""))
        elif t in _UNITS or t in _TENS:
            v = _UNITS.get(t, _TENS.get(t, 0))
            joins = cur is not None and (  # "seventy five", "two hundred and ten"
                (t in _UNITS and v < 10 and cur % 100 >= 20 and cur % 10 == 0)
                or (cur >= 100 and cur % 100 == 0))
            if joins:
                cur = (cur or 0) + v
            else:
                if cur is not None:
                    out.add(cur)
                cur = v
        elif t in _SCALES:
            cur = (cur if cur is not None else 1) * _SCALES[t]
        else:
            if cur is not None:
                out.add(cur)
                cur = None
            if t in NUMBER_WORDS:
                out.add(t)
    return out


class Changes(msgspec.Struct, frozen=True):
    """Where a claim that quotes a statement changes its meaning (token indexes, each side)."""

    kinds: list[str]  # "number", "negation", "antonym"
    claim: list[int]
    statement: list[int]


NONE = Changes([], [], [])


Opcodes = Sequence[tuple[str, int, int, int, int]]


def _shared(ops: Opcodes) -> int:
    return sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")


def _gappy(ops: Opcodes) -> bool:
    """Whether shared runs are joined across more than four words: a stitched, not a quote."""
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    return any(max(i2 - i1, j2 - j1) > 4 for k, (tag, i1, i2, j1, j2) in enumerate(ops)
               if tag != "equal" and equal and equal[0] < k < equal[-1])


def _best_alignment(c: list[str], s: list[str], whole: Opcodes) -> tuple[Opcodes, int]:
    """Opcodes of the claim against the statement, or against the window of it where the claim
    sits best, and that window's offset.

    Matching the whole statement takes its longest common run first, which can be a later
    repetition ("we are asking for" in "We are not asking for miracles. We are asking for the
    overtime"), or stitch runs from far apart: a window as long as the claim plus two words,
    starting where its first or second word occurs, keeps a local edit local.
    """
    def key(ops: Opcodes) -> tuple[bool, int]:
        return not _gappy(ops), _shared(ops)

    best = whole
    offset = 0
    if len(c) < 2 or key(best) == (True, len(c)):
        return best, offset
    heads = set(c[:2])
    for i, w in enumerate(s):
        if w not in heads:
            continue
        lo = i if w == c[0] else max(0, i - 1)
        ops = SequenceMatcher(None, c, s[lo:lo + len(c) + 2], autojunk=False).get_opcodes()
        if key(ops) > key(best):
            best, offset = ops, lo
    return best, offset


def changes(c_toks: list[str], c_stems: list[str], s_toks: list[str], s_stems: list[str],
            whole: Opcodes | None = None, min_shared: int = 3, min_share: float = 0.6
            ) -> Changes:
    """The meaning-changing edits between a claim and the statement it quotes.

    `whole` is the opcodes of the claim's stems against the statement's, when the caller has
    them already. Only a claim that otherwise quotes the statement counts: at least
    `min_shared` of its words, and `min_share` of them, are the statement's words in order.
    Edits are looked for between and next to the shared runs: a number replaced by another, a
    negation on one side only, a word replaced by its antonym.
    """
    if whole is None:
        whole = SequenceMatcher(None, c_stems, s_stems, autojunk=False).get_opcodes()
    ops, offset = _best_alignment(c_stems, s_stems, whole)
    shared = _shared(ops)
    if shared < max(min_shared, min_share * len(c_toks)):
        return NONE
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return NONE
    first, last = equal[0], equal[-1]
    kinds: list[str] = []
    claim: list[int] = []
    statement: list[int] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal" or k < first - 1 or k > last + 1:
            continue
        inside = first < k < last
        # At the edges, only the words right next to a shared run are compared.
        if not inside:
            if k < first:
                i1, j1 = max(i1, i2 - 2), max(j1, j2 - 2)
            else:
                i2, j2 = min(i2, i1 + 2), min(j2, j1 + 2)
        cw, sw = c_toks[i1:i2], s_toks[j1:j2]
        if len(cw) > 4 or len(sw) > 4:
            continue
        found = []
        if tag == "replace" and any(map(is_number, cw)) and any(map(is_number, sw)) and \
                values(cw) != values(sw):
            found.append("number")
        neg_c = any(t in NEGATIONS for t in cw)
        neg_s = any(t in NEGATIONS for t in sw)
        if neg_c != neg_s and (inside or tag == "replace"):
            found.append("negation")
        if tag == "replace" and any(s in ANTONYMS.get(c, ()) for c in cw for s in sw):
            found.append("antonym")
        if found:
            kinds.extend(found)
            claim.extend(range(i1, i2))
            statement.extend(range(offset + j1, offset + j2))
    return Changes(sorted(set(kinds)), sorted(set(claim)), sorted(set(statement)))
