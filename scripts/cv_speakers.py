"""A learned speaker chooser over the rules' candidates, cross-validated on PolNeAR train.

Usage: .venv/bin/python scripts/cv_speakers.py ../shared/data/polnear [--folds 5]
       [--margins 0 0.1 0.2 0.3] [--C 0.1 1] [--cache /tmp/polnear_train.spacy]

The extractor's passes run over train. For each statement they find with a speaker's subject
token (or none), the candidates are the nouns and pronouns of its sentences and the one before
them, outside every quotation and content, and "no one". A logistic model over features of
each candidate (its parse, its place against the cue and the content, its relation to the
rules' own choice, which is itself a feature) scores them; a candidate is right when the
phrase `speakers.resolve` would credit overlaps the gold source of the gold relation the
statement matches. Folds are by article: for each, the model is trained on the others and the
held-out statements take the best-scored candidate over the rules' choice only where it
scores `margin` higher. The held-out articles are then finished as the extractor finishes them
and scored as `eval_attribution.py` scores them: quote F1, end-to-end F1, all relations.
Only train is read; nothing is written but the parse cache.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from eval_attribution import Gold, iou, load_split, spans_to_chars
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin, Token

from corpora import lexicon
from corpora.extract import load_nlp, parse
from corpora.extract.article import ParsedArticle
from corpora.extract.finish import finish
from corpora.extract.found import Found
from corpora.extract.passes import run_passes
from corpora.speakers import phrase
from corpora.types import Article

sys.path.insert(0, str(Path(__file__).parent))
from cv_extents import counts, report

_SKIP_DEPS = frozenset({"compound", "det", "amod", "nummod", "quantmod", "case", "punct"})
_PARTS = frozenset({"PROPN", "NOUN", "PRON"})


def parsed(articles: list[Article], cache: Path | None) -> list[Doc]:
    """The parses of the articles, read from `cache` when it holds them all."""
    nlp = load_nlp()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles):
            return docs
    docs = list(parse(nlp, articles))
    if cache is not None:
        DocBin(docs=docs).to_disk(cache)
    return docs


def _bin(n: int) -> str:
    for top in (0, 2, 5, 10, 20):
        if n <= top:
            return str(top)
    return "far"


def _ancestors(t: Token) -> list[int]:
    return [a.i for a in t.ancestors]


def same(a: Token | None, b: Token | None) -> bool:
    """Whether two candidates are one (spaCy makes a new Token on each access)."""
    return a is b or (a is not None and b is not None and a.i == b.i)


def candidates(art: ParsedArticle, f: Found, blocked: set[int]) -> list[Token | None]:
    """The tokens that could be the statement's speaker's subject, and None (no one)."""
    doc = art.doc
    first = art.tokens_in(f.spans[0])
    last = art.tokens_in(f.spans[-1])
    if not first or not last:
        return []
    lo = first[0]
    if f.frame.cue is not None:
        lo = min(lo, f.frame.cue.i)
    start = art.sent_bounds[lo][0]
    if start > 0:
        start = art.sent_bounds[start - 1][0]
    end = art.sent_bounds[max(last[-1], f.frame.cue.i if f.frame.cue is not None else 0)][1]
    out: list[Token | None] = [None]
    for t in doc[start:end]:
        if t.i in blocked or t.dep_ in _SKIP_DEPS:
            continue
        if t.pos_ in _PARTS or t.lower_ in lexicon.RELATIVE_PRONOUNS or same(t, f.frame.subject):
            out.append(t)
    if f.frame.subject is not None and not any(same(t, f.frame.subject) for t in out):
        out.append(f.frame.subject)
    return out


def features(art: ParsedArticle, f: Found, t: Token | None, content: tuple[int, int]
             ) -> dict[str, float]:
    """What the model reads of one candidate."""
    rule = f.frame.subject
    cue = f.frame.cue
    is_rule = same(t, rule)
    feats: dict[str, float] = {"bias": 1.0, f"kind={f.kind}": 1.0}
    tag = "R" if is_rule else "O"
    feats[f"rule={tag}"] = 1.0
    if cue is None:
        feats[f"nocue&{tag}"] = 1.0
    if t is None:
        feats["none"] = 1.0
        feats[f"none&kind={f.kind}"] = 1.0
        feats[f"none&cue={cue is not None}"] = 1.0
        return feats
    low = t.lower_
    word = low if t.pos_ == "PRON" or low in lexicon.RELATIVE_PRONOUNS else t.pos_
    for name, value in (("dep", t.dep_), ("pos", t.pos_), ("ent", t.ent_type_ or "-"),
                        ("word", word), ("hdep", t.head.dep_)):
        feats[f"{name}={value}"] = 1.0
        feats[f"{name}={value}&{tag}"] = 1.0
    feats["title"] = float(t.is_title)
    feats[f"agent_noun={low in lexicon.AGENT_NOUNS}"] = 1.0
    feats[f"document={t.lemma_.lower() in lexicon.DOCUMENT_NOUNS}"] = 1.0
    feats[f"head_cue_verb={t.head.lemma_ in lexicon.CUE_VERBS}&{t.dep_}"] = 1.0
    cs, ce = content
    where = "in" if cs <= t.i < ce else ("before" if t.i < cs else "after")
    dist = cs - t.i if t.i < cs else max(0, t.i - ce + 1)
    feats[f"where={where}"] = 1.0
    feats[f"dist={_bin(dist)}&{where}"] = 1.0
    feats[f"same_sent={art.sent_bounds[t.i] == art.sent_bounds[cs]}"] = 1.0
    if cue is not None:
        anc = _ancestors(t)
        feats[f"cue_anc={cue.i in anc}"] = 1.0
        if t.head.i == cue.i:
            feats[f"of_cue={t.dep_}"] = 1.0
        feats[f"cue_side={'before' if t.i < cue.i else 'after'}"] = 1.0
        feats[f"cue_dist={_bin(abs(t.i - cue.i))}"] = 1.0
        feats[f"cue_same_sent={art.sent_bounds[t.i] == art.sent_bounds[cue.i]}"] = 1.0
    if rule is not None and not is_rule:
        if t.head.i == rule.i:
            feats[f"of_rule={t.dep_}"] = 1.0
        if rule.head.i == t.i:
            feats[f"rule_of={rule.dep_}"] = 1.0
        if rule.i in {x.i for x in t.head.subtree} and t.dep_ in {"nsubj", "nsubjpass"}:
            feats["outer_subject"] = 1.0
        if t.i in {x.i for x in rule.head.subtree}:
            feats["under_rule_clause"] = 1.0
        feats[f"rule_side={'before' if t.i < rule.i else 'after'}"] = 1.0
        feats[f"rule_dist={_bin(abs(t.i - rule.i))}"] = 1.0
        feats[f"rule_word={rule.lower_ if rule.pos_ == 'PRON' else rule.pos_}"] = 1.0
    return feats


@dataclasses.dataclass
class Item:
    """One statement's candidates, their features and labels."""

    found: int
    cands: list[Token | None]
    feats: list[dict[str, float]]
    labels: list[int]


def gold_for(art: ParsedArticle, f: Found, golds: list[Gold]) -> Gold | None:
    chars = spans_to_chars(f.spans)
    best = max(golds, key=lambda g: iou(chars, g.chars), default=None)
    return best if best is not None and iou(chars, best.chars) >= 0.5 else None


def label(art: ParsedArticle, t: Token | None, g: Gold, blocked: set[int]) -> int:
    if t is None:
        return int(g.source is None)
    if g.source is None:
        return 0
    toks = [t] if t.lower_ in lexicon.RELATIVE_PRONOUNS else phrase(t, blocked - {t.i})
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return int(bool(set(range(s, e)) & g.source))


def items_of(art: ParsedArticle, found: list[Found], golds: list[Gold] | None,
             quotes_only: bool = False) -> list[Item]:
    blocked = set(art.quote_tokens)
    for f in found:
        blocked.update(i for s in f.spans for i in art.tokens_in(s))
    out = []
    for k, f in enumerate(found):
        if f.speaker is not None or (quotes_only and f.kind == "indirect"):
            continue  # named by a label (`PENCE:`)
        cands = candidates(art, f, blocked)
        if len(cands) < 2:
            continue
        toks = [i for s in f.spans for i in art.tokens_in(s)]
        content = (min(toks), max(toks) + 1)
        g = gold_for(art, f, golds) if golds is not None else None
        labels = [label(art, t, g, blocked) for t in cands] if g is not None else []
        out.append(Item(k, cands, [features(art, f, t, content) for t in cands], labels))
    return out


def rechoose(found: list[Found], items: list[Item], probs: list[np.ndarray],
             margin: float) -> list[Found]:
    """The statements with the model's speaker where it beats the rules' by `margin`."""
    out = list(found)
    for it, p in zip(items, probs, strict=True):
        f = found[it.found]
        rule = next(i for i, t in enumerate(it.cands) if same(t, f.frame.subject))
        best = int(np.argmax(p))
        if best != rule and p[best] > p[rule] + margin:
            frame = dataclasses.replace(f.frame, subject=it.cands[best])
            out[it.found] = dataclasses.replace(f, frame=frame)
    return out


class Listwise:
    """A linear score per candidate, trained with a softmax over each statement's candidates
    (the probability of the right ones summed), L2-regularised by `c` as scikit-learn's C."""

    def __init__(self, c: float, epochs: int = 300) -> None:
        self.c = c
        self.epochs = epochs
        self.w: np.ndarray | None = None

    def fit(self, x: Any, groups: list[tuple[int, int]], y: np.ndarray) -> Listwise:
        import torch
        coo = x.tocoo()
        xt = torch.sparse_coo_tensor(torch.tensor(np.vstack([coo.row, coo.col])),
                                     torch.tensor(coo.data, dtype=torch.float32),
                                     coo.shape).coalesce()
        yt = torch.tensor(y, dtype=torch.bool)
        seg = torch.zeros(x.shape[0], dtype=torch.long)
        for k, (a, b) in enumerate(groups):
            seg[a:b] = k
        w = torch.zeros(x.shape[1], requires_grad=True)
        opt = torch.optim.Adam([w], lr=0.05)
        n = len(groups)
        for _ in range(self.epochs):
            opt.zero_grad()
            s = torch.sparse.mm(xt, w.unsqueeze(1)).squeeze(1)
            big = torch.full((n,), -1e9).scatter_reduce(0, seg, s, "amax")
            e = torch.exp(s - big[seg])
            tot = torch.zeros(n).index_add(0, seg, e)
            pos = torch.zeros(n).index_add(0, seg, e * yt)
            loss = -(torch.log(pos + 1e-12) - torch.log(tot)).sum() + 0.5 / self.c * (w * w).sum()
            loss.backward()
            opt.step()
        self.w = w.detach().numpy()
        return self

    def predict_proba(self, x: Any) -> np.ndarray:
        assert self.w is not None
        s = np.asarray(x @ self.w).ravel()  # scores: the margin is in log-odds
        return np.stack([-s, s], axis=1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3])
    ap.add_argument("--C", type=float, nargs="+", default=[0.1, 1.0])
    ap.add_argument("--cache", type=Path, help="where to keep train's parses between runs")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--quotes-only", action="store_true",
                    help="choose (and learn) the speakers of direct and mixed statements only")
    ap.add_argument("--listwise", action="store_true",
                    help="a softmax over each statement's candidates, not a logistic model")
    args = ap.parse_args()
    data = load_split(args.polnear, "train")[: args.limit]
    docs = parsed([a for a, _ in data], args.cache)
    arts = [ParsedArticle(a, d) for (a, _), d in zip(data, docs, strict=True)]
    golds = [g for _, g in data]
    founds = [run_passes(art) for art in arts]
    items = [items_of(art, fs, g, args.quotes_only)
             for art, fs, g in zip(arts, founds, golds, strict=True)]
    base = np.zeros(7, dtype=int)
    for art, fs, g in zip(arts, founds, golds, strict=True):
        base += counts(finish(art, fs), g)
    report("without the chooser", base)
    n_items = sum(len(x) for x in items)
    labelled = sum(1 for x in items for it in x if it.labels)
    print(f"{n_items} statements with candidates, {labelled} matched to gold", flush=True)
    rule_right = oracle = 0
    for a in range(len(arts)):
        for it in items[a]:
            if it.labels:
                r = next(i for i, t in enumerate(it.cands)
                         if same(t, founds[a][it.found].frame.subject))
                rule_right += it.labels[r]
                oracle += any(it.labels)
    print(f"the rules' candidate right on {rule_right}, some candidate on {oracle}", flush=True)
    fold_of = [i % args.folds for i in range(len(arts))]
    totals: dict[tuple[float, float], np.ndarray] = {}
    moved: Counter[tuple[float, float]] = Counter()
    flips: dict[tuple[float, float], Counter[int]] = defaultdict(Counter)
    for fold in range(args.folds):
        held = np.zeros(7, dtype=int)
        for a in range(len(arts)):
            if fold_of[a] == fold:
                held += counts(finish(arts[a], founds[a]), golds[a])
        report(f"fold {fold}, without the chooser", held)
        train_rows: list[dict[str, float]] = []
        train_y: list[int] = []
        groups: list[tuple[int, int]] = []
        for a in range(len(arts)):
            if fold_of[a] == fold:
                continue
            for it in items[a]:
                if it.labels and any(it.labels):
                    groups.append((len(train_rows), len(train_rows) + len(it.feats)))
                    train_rows.extend(it.feats)
                    train_y.extend(it.labels)
        vec = DictVectorizer()
        x = vec.fit_transform(train_rows)
        for c in args.C:
            model: Any = Listwise(c).fit(x, groups, np.array(train_y)) if args.listwise \
                else LogisticRegression(C=c, max_iter=2000).fit(x, train_y)
            for margin in args.margins:
                tot = np.zeros(7, dtype=int)
                for a in range(len(arts)):
                    if fold_of[a] != fold:
                        continue
                    probs = [model.predict_proba(vec.transform(it.feats))[:, 1]
                             for it in items[a]]
                    new = rechoose(founds[a], items[a], probs, margin)
                    for it, p in zip(items[a], probs, strict=True):
                        if it.labels and new[it.found] is not founds[a][it.found]:
                            r = next(i for i, t in enumerate(it.cands)
                                     if same(t, founds[a][it.found].frame.subject))
                            b = int(np.argmax(p))
                            flips[(c, margin)][it.labels[b] - it.labels[r]] += 1
                    moved[(c, margin)] += sum(n is not o for n, o in zip(new, founds[a],
                                                                          strict=True))
                    tot += counts(finish(arts[a], new), golds[a])
                totals[(c, margin)] = totals.get((c, margin), np.zeros(7, dtype=int)) + tot
                report(f"fold {fold}, C {c}, margin {margin}", tot)
    print("pooled over the folds:")
    report("  without the chooser", base)
    for (c, margin), tot in totals.items():
        f = flips[(c, margin)]
        report(f"  C {c}, margin {margin} ({moved[(c, margin)]} moved; of those matched, "
               f"{f[1]} right, {f[-1]} wrong, {f[0]} neither)", tot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
