"""A learned second look at each statement's speaker: the rules' choice or a better-scored one.

The passes name each statement's speaker by rule (`frames`). The chooser lists the other
tokens that could be it (the nouns, names and pronouns of the statement's sentences and the
sentence before them, outside every quotation and content) and "no one", scores each with a
linear model over its parse and its place against the cue, the content and the rules' choice
(`speaker_model.json`, trained on PolNeAR train by `scripts/train_speakers.py` as a softmax over
each statement's candidates), and moves the speaker only where another candidate scores the
model's margin above the rules' own.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import msgspec
from spacy.tokens import Token

from corpora import lexicon
from corpora.extract import weights
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found

_SKIP_DEPS = frozenset({"compound", "det", "amod", "nummod", "quantmod", "case", "punct"})
_PARTS = frozenset({"PROPN", "NOUN", "PRON"})


class SpeakerModel(msgspec.Struct, frozen=True):
    """Weights of the chooser's linear score (feature -> weight), the log-odds margin by which
    a candidate must beat the rules' choice, and what it was trained on."""

    weights: dict[str, float]
    margin: float
    trained_on: str


@lru_cache(maxsize=1)
def load_model() -> SpeakerModel:
    """The committed model, read once per process."""
    return weights.read("speaker_model.json", SpeakerModel)


def dump_model(model: SpeakerModel) -> bytes:
    """The model as committed (`weights.dump`)."""
    return weights.dump(model)


def same(a: Token | None, b: Token | None) -> bool:
    """Whether two candidates are one (spaCy makes a new Token on each access)."""
    return a is b or (a is not None and b is not None and a.i == b.i)


def open_to_doubt(f: Found) -> bool:
    """Whether the chooser may move a statement's speaker. Not where a label named it
    (`PENCE:`); not where the rules' subject is the subject of the cue or of another speech
    verb (`Kovacs shot back`, `a man that said`, and `…, Rask said` where a belief cue's
    quoted words were reframed as Rask's); and not where an outlet credits the words to
    someone (`quoted X as saying`): quotetrace credits the person and keeps the outlet as
    `via`, where PolNeAR's annotators credit the outlet."""
    if f.speaker is not None or f.frame.via is not None:
        return False
    subj, cue = f.frame.subject, f.frame.cue
    if subj is None or subj.dep_ not in {"nsubj", "nsubjpass"}:
        return True
    return not ((cue is not None and subj.head.i == cue.i)
                or subj.head.lemma_.lower() in lexicon.SPEECH_VERBS)


def candidates(art: ParsedArticle, f: Found, blocked: set[int]) -> list[Token | None]:
    """The tokens that could be a statement's speaker's subject, and None (no one); empty
    where the statement has no tokens or its speaker is not open to doubt."""
    first = art.tokens_in(f.spans[0])
    last = art.tokens_in(f.spans[-1])
    if not open_to_doubt(f) or not first or not last:
        return []
    cue = f.frame.cue
    lo = min(first[0], cue.i) if cue is not None else first[0]
    start = art.sent_bounds[lo][0]
    if start > 0:
        start = art.sent_bounds[start - 1][0]
    end = art.sent_bounds[max(last[-1], cue.i if cue is not None else 0)][1]
    out: list[Token | None] = [None]
    rule = f.frame.subject
    for t in art.doc[start:end]:
        if t.i in blocked or t.dep_ in _SKIP_DEPS:
            continue
        if t.pos_ in _PARTS or t.lower_ in lexicon.RELATIVE_PRONOUNS or same(t, rule):
            out.append(t)
    if rule is not None and not any(same(t, rule) for t in out):
        out.append(rule)
    return out


def _bin(n: int) -> str:
    for top in (0, 2, 5, 10, 20):
        if n <= top:
            return str(top)
    return "far"


@dataclasses.dataclass(frozen=True, slots=True)
class _Context:
    """What every candidate of one statement is read against."""

    kind: str
    content: tuple[int, int]  # first and one past the last token of the content
    cue: Token | None
    rule: Token | None
    rule_clause: frozenset[int]  # the subtree of the clause the rules' subject heads
    rule_line: frozenset[int]  # the rules' subject and its ancestors: whose subtrees hold it


def context(art: ParsedArticle, f: Found) -> _Context:
    """The statement-level facts its candidates' features read."""
    toks = [i for s in f.spans for i in art.tokens_in(s)]
    rule = f.frame.subject
    return _Context(kind=f.kind, content=(min(toks), max(toks) + 1), cue=f.frame.cue, rule=rule,
                    rule_clause=frozenset(x.i for x in rule.head.subtree)
                    if rule is not None else frozenset(),
                    rule_line=frozenset([rule.i, *(a.i for a in rule.ancestors)])
                    if rule is not None else frozenset())


def features(art: ParsedArticle, ctx: _Context, t: Token | None) -> list[str]:
    """What the model reads of one candidate."""
    rule, cue = ctx.rule, ctx.cue
    tag = "R" if same(t, rule) else "O"
    feats = [f"kind={ctx.kind}", f"rule={tag}"]
    if cue is None:
        feats.append(f"nocue&{tag}")
    if t is None:
        feats += ["none", f"none&kind={ctx.kind}", f"none&cue={cue is not None}"]
        return feats
    low = t.lower_
    word = low if t.pos_ == "PRON" or low in lexicon.RELATIVE_PRONOUNS else t.pos_
    for name, value in (("dep", t.dep_), ("pos", t.pos_), ("ent", t.ent_type_ or "-"),
                        ("word", word), ("hdep", t.head.dep_)):
        feats += [f"{name}={value}", f"{name}={value}&{tag}"]
    if t.is_title:
        feats.append("title")
    feats += [f"agent_noun={low in lexicon.AGENT_NOUNS}",
              f"document={t.lemma_.lower() in lexicon.DOCUMENT_NOUNS}",
              f"head_cue_verb={t.head.lemma_ in lexicon.CUE_VERBS}&{t.dep_}"]
    cs, ce = ctx.content
    where = "in" if cs <= t.i < ce else ("before" if t.i < cs else "after")
    dist = cs - t.i if t.i < cs else max(0, t.i - ce + 1)
    feats += [f"where={where}", f"dist={_bin(dist)}&{where}",
              f"same_sent={art.sent_bounds[t.i] == art.sent_bounds[cs]}"]
    if cue is not None:
        feats.append(f"cue_anc={any(a.i == cue.i for a in t.ancestors)}")
        if t.head.i == cue.i:
            feats.append(f"of_cue={t.dep_}")
        feats += [f"cue_side={'before' if t.i < cue.i else 'after'}",
                  f"cue_dist={_bin(abs(t.i - cue.i))}",
                  f"cue_same_sent={art.sent_bounds[t.i] == art.sent_bounds[cue.i]}"]
    if rule is not None and tag == "O":
        if t.head.i == rule.i:
            feats.append(f"of_rule={t.dep_}")
        if rule.head.i == t.i:
            feats.append(f"rule_of={rule.dep_}")
        if t.dep_ in {"nsubj", "nsubjpass"} and t.head.i in ctx.rule_line:
            feats.append("outer_subject")
        if t.i in ctx.rule_clause:
            feats.append("under_rule_clause")
        feats += [f"rule_side={'before' if t.i < rule.i else 'after'}",
                  f"rule_dist={_bin(abs(t.i - rule.i))}",
                  f"rule_word={rule.lower_ if rule.pos_ == 'PRON' else rule.pos_}"]
    return feats


def score(model: SpeakerModel, feats: list[str]) -> float:
    """A candidate's linear score (log-odds against the statement's other candidates)."""
    return sum(model.weights.get(f, 0.0) for f in feats)


def choose(art: ParsedArticle, found: list[Found], model: SpeakerModel | None = None
           ) -> list[Found]:
    """The statements, each with the model's speaker where it beats the rules' by the margin."""
    model = model if model is not None else load_model()
    blocked = art.blocked_tokens(found)
    out = list(found)
    for k, f in enumerate(found):
        cands = candidates(art, f, blocked)
        if len(cands) < 2:
            continue
        ctx = context(art, f)
        scores = [score(model, features(art, ctx, t)) for t in cands]
        rule = next(i for i, t in enumerate(cands) if same(t, f.frame.subject))
        best = max(range(len(cands)), key=scores.__getitem__)
        if best != rule and scores[best] > scores[rule] + model.margin:
            out[k] = dataclasses.replace(f, frame=dataclasses.replace(f.frame,
                                                                      subject=cands[best]))
    return out
