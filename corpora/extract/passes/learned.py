"""Pass: reported speech, beliefs and stances the word lists miss, scored by a learned model.

Every verb, noun or adjective outside quotations offers the spans of its complements
(`criticized [the plan]`, `seems [to be alienating voters]`, `hopes [to win]`) as candidate
contents. A logistic model over parse features (`cue_model.json`, trained on PolNeAR train
by `scripts/train_cues.py`) scores each candidate; those at or above the model's threshold
become statements, best first: one per cue, none overlapping one already found.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator
from functools import lru_cache

import msgspec
import numpy as np
from spacy.symbols import ADJ, AUX, NOUN, VERB
from spacy.tokens import Token

from corpora import lexicon
from corpora.extract import weights
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.frames import agent, expected_subject, subject
from corpora.extract.ledger import Ledger
from corpora.extract.spans import trim
from corpora.types import Span

_POS = frozenset({VERB, AUX, NOUN, ADJ})
# Which complements make up a candidate content, by name.
SHAPES: dict[str, frozenset[str]] = {
    "all": frozenset({"ccomp", "xcomp", "dobj", "attr", "oprd", "acomp", "prep", "dative",
                      "advcl", "pcomp", "acl", "relcl"}),
    "clause": frozenset({"ccomp", "xcomp", "advcl", "pcomp"}),
    "obj": frozenset({"dobj", "attr", "oprd", "acomp", "dative"}),
    "prep": frozenset({"prep"}),
    "objprep": frozenset({"dobj", "prep", "dative", "attr", "oprd"}),
}
# Clauses and phrases set off by a comma or dash that a shorter candidate ends before.
_ASIDES = frozenset({"relcl", "advcl", "conj", "parataxis", "appos", "npadvmod", "cc", "prep"})
_ASIDE_MARKS = frozenset({",", "—", "–", "("})
# A relative `who` stands for its antecedent, who may speak; the other non-speakers may not.
_NOT_SPEAKING = lexicon.NOT_SPEAKERS - {"who"}
_NOT_SPEAKING_ENTS = frozenset({"GPE", "LOC", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY",
                                "CARDINAL"})


class CueModel(msgspec.Struct, frozen=True):
    """Weights of the logistic model: feature -> weight, the bias, and the threshold on the
    probability chosen by cross-validation."""

    weights: dict[str, float]
    bias: float
    threshold: float
    trained_on: str


@lru_cache(maxsize=1)
def load_model() -> CueModel:
    """The committed model, read once per process."""
    return weights.read("cue_model.json", CueModel)


class Candidate(msgspec.Struct, frozen=True):
    """One candidate content: the token that frames it, its span, and its features."""

    cue: int
    span: Span
    features: list[str]


class _Parse:
    """Per-article arrays the candidates read many times: token offsets, subtree edges,
    quotation tokens, and the asides a shorter candidate ends before."""

    def __init__(self, art: ParsedArticle) -> None:
        doc = art.doc
        self.doc = doc
        self.starts: list[int] = doc.to_array("IDX").tolist()
        self.ends = [s + n for s, n in zip(self.starts, doc.to_array("LENGTH").tolist(),
                                           strict=True)]
        arrays = doc.to_array(["HEAD", "POS", "ENT_TYPE", "DEP", "LOWER"])
        self.heads = (arrays[:, 0].astype(np.int64) + np.arange(len(doc))).tolist()
        self.ent_types = arrays[:, 2]
        self.that_marks = (arrays[:, 3] == doc.vocab.strings["mark"]) & (
            arrays[:, 4] == doc.vocab.strings["that"])
        self.verbs = np.isin(arrays[:, 1], [VERB, AUX])
        self._left: dict[int, int] = {}
        self._right: dict[int, int] = {}
        self._trimmed: dict[tuple[int, int], Span | None] = {}
        self.quoted = [0]
        for q in art.token_quote:
            self.quoted.append(self.quoted[-1] + (q >= 0))
        # Tokens that open an aside: a clause or phrase right after a comma or dash.
        ids = np.array([doc.vocab.strings[d] for d in sorted(_ASIDES)], dtype=np.uint64)
        self.asides = [i for i in np.flatnonzero(np.isin(arrays[:, 3], ids)).tolist()
                       if self.left(i) > 0 and doc[self.left(i) - 1].text in _ASIDE_MARKS]

    def left(self, i: int) -> int:
        """The first token of token `i`'s subtree."""
        if i not in self._left:
            self._left[i] = self.doc[i].left_edge.i
        return self._left[i]

    def right(self, i: int) -> int:
        """The last token of token `i`'s subtree."""
        if i not in self._right:
            self._right[i] = self.doc[i].right_edge.i
        return self._right[i]

    def trim(self, art: ParsedArticle, lo: int, hi: int) -> Span | None:
        """The trimmed span from token `lo` to token `hi`, once per pair: the shapes of one
        word often share their tokens."""
        key = (lo, hi)
        if key not in self._trimmed:
            self._trimmed[key] = trim(art, self.starts[lo], self.ends[hi])
        return self._trimmed[key]

    def has_quote(self, lo: int, hi: int) -> bool:
        """Whether any token from `lo` to `hi` (inclusive) sits in a quotation."""
        return self.quoted[hi + 1] > self.quoted[lo]


def candidate_span(art: ParsedArticle, parse: _Parse, v: Token, kids: list[Token],
                   short: bool) -> Span | None:
    """The trimmed span of the complements `kids` of `v`; with `short`, up to the first aside
    set off by a comma or dash (None when there is none)."""
    lo = min(parse.left(c.i) for c in kids)
    hi = max(parse.right(c.i) for c in kids)
    if not short:
        return parse.trim(art, lo, hi)
    first = kids[0].i
    inside = [a for a in parse.asides if lo <= a <= hi and parse.left(a) > first]
    if not inside:
        return None
    subtrees = {t.i for c in kids for t in c.subtree}
    stops = [parse.left(a) - 1 for a in inside
             if a in subtrees and parse.heads[a] != v.i]
    if not stops:
        return None
    last = max((i for i in subtrees if i < min(stops)), default=None)
    if last is None:
        return None
    return parse.trim(art, lo, last)


def _token_features(art: ParsedArticle, parse: _Parse, v: Token,
                    found_chars: set[int]) -> list[str]:
    """What a candidate's framing word says of it: the word and its place in the parse, its
    subject, a cue above it, and whether a statement already found holds it."""
    lemma = v.lemma_.lower()
    f = ["b", "l=" + lemma, "p=" + v.pos_, "t=" + v.tag_, "d=" + v.dep_,
         f"ld={lemma}|{v.dep_}", "cue" if lemma in lexicon.CUE_VERBS else "nocue"]
    for c in v.children:
        if c.i < v.i:
            f.append("pre=" + c.dep_)
        if c.dep_ == "neg":
            f.append("neg")
        elif c.dep_ == "aux":
            f.append("aux=" + c.lower_)
        elif c.dep_ in {"prep", "prt"}:
            f.append(f"lprep={lemma}|{c.lower_}")
        elif c.dep_ == "ccomp":
            f.append("ccm=" + next((g.lower_ for g in c.children if g.dep_ == "mark"), ""))
    subj = subject(art, v)
    if subj is None:
        f.append("nosubj")
    else:
        f += ["sp=" + subj.pos_, "se=" + subj.ent_type_,
              f"lse={lemma}|{subj.ent_type_ or subj.pos_}"]
        if subj.pos_ == "PRON":
            f.append("sw=" + subj.lower_)
        elif subj.pos_ == "NOUN":
            f.append("sl=" + subj.lemma_.lower()[:20])
    f += ["h=" + v.head.lemma_.lower() if v.head.i != v.i else "root",
          f"hd={v.head.pos_}|{v.dep_}"]
    for a in itertools.islice(v.ancestors, 4):
        if a.lemma_.lower() in lexicon.CUE_VERBS:
            f += ["anc_cue", f"anc_cue={a.lemma_.lower()}|{v.dep_}"]
            break
    f.append("in_pred" if v.idx in found_chars else "out_pred")
    s0, s1 = art.sent_bounds[v.i]
    f.append("sq" if parse.has_quote(s0, s1 - 1) else "nsq")
    f.append(f"pos_in_sent={min((v.i - s0) // 5, 5)}")
    return f


def _span_features(art: ParsedArticle, parse: _Parse, v: Token, kids: list[Token],
                   span: Span, shape: str, found_chars: set[int]) -> list[str]:
    """What a candidate's span says of it: its complements, length and first word, quoted
    words, and what it holds and what follows it."""
    lemma = v.lemma_.lower()
    deps = sorted({c.dep_ for c in kids})
    f = ["kids=" + "+".join(deps), "kind=" + shape, f"lkind={lemma}|{shape}"]
    for d in deps:
        f += ["k=" + d, f"lk={lemma}|{d}"]
    words = art.text[span[0]:span[1]].split()
    f.append(f"len={min(len(words).bit_length(), 6)}")
    quoted = any(parse.has_quote(parse.left(c.i), parse.right(c.i)) for c in kids)
    f.append("q" if quoted else "noq")
    if words:
        f += ["w0=" + words[0].lower(), f"lw0={lemma}|{words[0].lower()}"]
    if shape.endswith("-short"):
        f.append("cut")
    if span[0] in found_chars or span[1] - 1 in found_chars:
        f.append("ov_pred")
    return f + _content_features(art, parse, span)


def _content_features(art: ParsedArticle, parse: _Parse, span: Span) -> list[str]:
    """What the candidate content holds: its root, entities, verbs, a `that` clause, and
    what ends and follows it."""
    lo = bisect.bisect_right(parse.starts, span[0]) - 1
    if lo < 0 or parse.ends[lo] <= span[0]:
        lo += 1
    hi = bisect.bisect_left(parse.starts, span[1])
    if hi <= lo:
        return []
    doc = art.doc
    f = []
    root = next((i for i in range(lo, hi) if not lo <= parse.heads[i] < hi
                 or parse.heads[i] == i), None)
    if root is not None:
        t = doc[root]
        f += ["cr=" + t.lemma_.lower(), "crp=" + t.pos_, "crd=" + t.dep_]
    strings = doc.vocab.strings
    f += ["ce=" + e for e in sorted({strings[int(x)] for x in parse.ent_types[lo:hi] if x})]
    f.append(f"nv={min(int(parse.verbs[lo:hi].sum()), 3)}")
    if parse.that_marks[lo:hi].any():
        f.append("that_in")
    f.append("cl=" + doc[hi - 1].pos_)
    after = doc[hi] if hi < len(doc) else None
    f.append("af=" + ("END" if after is None else after.text if after.is_punct else after.pos_))
    return f


def candidates(art: ParsedArticle, found: list[Found]) -> Iterator[Candidate]:
    """Every candidate content in an article that no statement already found covers."""
    parse = _Parse(art)
    found_pieces = [(x.spans[0][0], x.spans[-1][1], x.spans) for x in found if x.spans]
    found_chars = {i for x in found for s, e in x.spans for i in range(s, e)}
    cue_chars = {i for x in found if x.frame.cue_span for i in range(*x.frame.cue_span)}
    for v in art.tokens_with_pos(_POS):
        if v.idx in cue_chars:
            continue
        after = [c for c in v.children if c.i > v.i]
        if not after:
            continue
        token_features: list[str] | None = None
        seen: set[Span] = set()
        for name, deps in SHAPES.items():
            kids = [c for c in after if c.dep_ in deps]
            if not kids:
                continue
            for short in (False, True):
                span = candidate_span(art, parse, v, kids, short)
                if span is None or span in seen:
                    continue
                seen.add(span)
                if any(lo < span[1] and span[0] < hi and _overlap(span, pieces) >= 0.5
                       for lo, hi, pieces in found_pieces):
                    continue
                if token_features is None:
                    token_features = _token_features(art, parse, v, found_chars)
                shape = name + ("-short" if short else "")
                yield Candidate(v.i, span, token_features + _span_features(
                    art, parse, v, kids, span, shape, found_chars))


def score(model: CueModel, feats: list[str]) -> float:
    """The model's probability that a candidate is a statement's content."""
    z = model.bias + sum(model.weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-z))


def learned_cues(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Statements the committed model finds."""
    return model_finds(load_model(), art, ledger, found)


def model_finds(model: CueModel, art: ParsedArticle, ledger: Ledger,
                found: list[Found]) -> list[Found]:
    """Statements a model finds, best first: one per cue, none overlapping another (IoU 0.5)."""
    scored = sorted(((score(model, c.features), c) for c in candidates(art, found)),
                    key=lambda x: -x[0])
    kept: list[Span] = []
    cues: set[int] = set()
    out = []
    for p, c in scored:
        if p < model.threshold:
            break
        if c.cue in cues or any(_overlap(c.span, [k]) >= 0.5 for k in kept):
            continue  # one statement per cue, and none overlapping another
        inner = {art.token_quote[i] for i in art.tokens_in(c.span)} - {-1}
        if inner & ledger.taken:
            continue  # words some statement already holds
        v = art.doc[c.cue]
        subj = subject(art, v)
        expected = subj is not None and expected_subject(subj)
        if subj is not None and expected:
            # `executives are expected to unveil “…”`: the words are someone's, not theirs.
            subj = agent(art, subj.head)
        if inner and not expected and not _can_speak(subj):
            continue  # `the ferry, long dubbed “the Grey Lady”`: a name, nobody's words
        kept.append(c.span)
        cues.add(c.cue)
        ledger.take(inner)
        out.append(Found(kind="mixed" if inner else "indirect", spans=[c.span],
                         frame=Frame.of(v, subj), quotes=sorted(inner)))
    return out


def _can_speak(subj: Token | None) -> bool:
    """Whether a subject may be the one whose quoted words these are: a name, a person
    pronoun or a noun, not `it`, a place or a number."""
    return subj is not None and subj.pos_ in {"PROPN", "PRON", "NOUN"} and \
        subj.lower_ not in _NOT_SPEAKING and subj.ent_type_ not in _NOT_SPEAKING_ENTS


def _overlap(span: Span, pieces: list[Span]) -> float:
    """The intersection over union of a span's characters and those of non-overlapping
    pieces."""
    inter = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in pieces)
    if not inter:
        return 0.0
    return inter / (span[1] - span[0] + sum(e - s for s, e in pieces) - inter)


def dump_model(model: CueModel) -> bytes:
    """The model as committed (`weights.dump`)."""
    return weights.dump(model)
