"""The learned speaker chooser (`corpora/extract/chooser.py`), cross-validated on PolNeAR train.

Usage: .venv/bin/python scripts/cv_speakers.py ../shared/data/polnear [--folds 5]
       [--margins 0 0.5 1 1.5] [--C 0.3 1 3] [--quotes-only] [--cache /tmp/train.spacy]

The extractor's passes run over train. For each statement they find, the chooser's candidates
(the nouns, names and pronouns of its sentences and the one before them, outside every
quotation and content, and "no one") are described by `chooser.features`; a candidate is right
when the phrase `speakers.resolve` would credit overlaps the gold source of the gold relation
the statement matches (IoU 0.5). Folds are by article: for each, a linear score is trained on
the others as a softmax over each statement's candidates (the summed probability of the right
ones, L2-regularised by C as in scikit-learn), and `chooser.choose` moves a held-out
statement's speaker where another candidate scores `margin` above the rules' choice. The
held-out articles are then finished as the extractor finishes them and scored as
`eval_attribution.py` scores them: quote F1, end-to-end F1, all relations; and, by the label,
how many moved statements went right or wrong. Only train is read; nothing is written but the
parse cache. About 4 minutes a setting grid per fold on two cores once the parses are cached.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from eval_attribution import Gold, iou, load_split, spans_to_chars
from sklearn.feature_extraction import DictVectorizer
from spacy.tokens import Doc, DocBin, Token

from corpora import lexicon
from corpora.extract import chooser, load_nlp, parse
from corpora.extract.article import ParsedArticle
from corpora.extract.finish import finish
from corpora.extract.found import Found
from corpora.extract.passes import run_passes
from corpora.speakers import phrase
from corpora.types import Article

sys.path.insert(0, str(Path(__file__).parent))
from cv_extents import counts, report


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


@dataclasses.dataclass
class Item:
    """One statement's candidates, their features and labels (empty: matched no gold)."""

    found: int
    cands: list[Token | None]
    feats: list[list[str]]
    labels: list[int]


def gold_for(f: Found, golds: list[Gold]) -> Gold | None:
    """The gold relation a statement's content matches best, at IoU 0.5 or more."""
    chars = spans_to_chars(f.spans)
    best = max(golds, key=lambda g: iou(chars, g.chars), default=None)
    return best if best is not None and iou(chars, best.chars) >= 0.5 else None


def label(t: Token | None, g: Gold, blocked: set[int]) -> int:
    """Whether crediting candidate `t` would give the gold source (as `speaker_ok` reads it)."""
    if t is None:
        return int(g.source is None)
    if g.source is None:
        return 0
    toks = [t] if t.lower_ in lexicon.RELATIVE_PRONOUNS else phrase(t, blocked - {t.i})
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return int(bool(set(range(s, e)) & g.source))


def items_of(art: ParsedArticle, found: list[Found], golds: list[Gold],
             quotes_only: bool = False) -> list[Item]:
    """The statements of one article with candidates, as the chooser sees them."""
    blocked = art.blocked_tokens(found)
    out = []
    for k, f in enumerate(found):
        if quotes_only and f.kind == "indirect":
            continue
        cands = chooser.candidates(art, f, blocked)
        if len(cands) < 2:
            continue
        ctx = chooser.context(art, f)
        g = gold_for(f, golds)
        labels = [label(t, g, blocked) for t in cands] if g is not None else []
        out.append(Item(k, cands, [chooser.features(art, ctx, t) for t in cands], labels))
    return out


def fit(items: list[Item], c: float, epochs: int = 300) -> dict[str, float]:
    """Weights of a linear score trained as a softmax over each statement's candidates."""
    import torch

    rows: list[dict[str, int]] = []
    ys: list[int] = []
    groups: list[int] = []
    for it in (it for it in items if it.labels and any(it.labels)):
        n_group = groups[-1] + 1 if groups else 0
        for feats, y in zip(it.feats, it.labels, strict=True):
            rows.append(dict.fromkeys(feats, 1))
            ys.append(y)
            groups.append(n_group)
    vec = DictVectorizer()
    coo = vec.fit_transform(rows).tocoo()
    x = torch.sparse_coo_tensor(torch.tensor(np.vstack([coo.row, coo.col])),
                                torch.tensor(coo.data, dtype=torch.float32),
                                coo.shape, check_invariants=True).coalesce()
    y = torch.tensor(ys, dtype=torch.bool)
    seg = torch.tensor(groups, dtype=torch.long)
    n = int(seg.max()) + 1
    w = torch.zeros(coo.shape[1], requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.05)
    for _ in range(epochs):
        opt.zero_grad()
        s = torch.sparse.mm(x, w.unsqueeze(1)).squeeze(1)
        top = torch.full((n,), -1e9).scatter_reduce(0, seg, s, "amax")
        e = torch.exp(s - top[seg])
        total = torch.zeros(n).index_add(0, seg, e)
        right = torch.zeros(n).index_add(0, seg, e * y)
        loss = -(torch.log(right + 1e-12) - torch.log(total)).sum() + 0.5 / c * (w * w).sum()
        loss.backward()
        opt.step()
    return {str(name): float(v) for name, v in zip(vec.get_feature_names_out(),
                                                   w.detach().numpy(), strict=True)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.5, 1.0, 1.5])
    ap.add_argument("--C", type=float, nargs="+", default=[0.3, 1.0, 3.0])
    ap.add_argument("--quotes-only", action="store_true",
                    help="learn from (and move) the speakers of direct and mixed statements only")
    ap.add_argument("--cache", type=Path, help="where to keep train's parses between runs")
    ap.add_argument("--limit", type=int)
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
    labelled = [(a, it) for a in range(len(arts)) for it in items[a] if it.labels]
    rule_right = sum(it.labels[next(i for i, t in enumerate(it.cands)
                                    if chooser.same(t, founds[a][it.found].frame.subject))]
                     for a, it in labelled)
    print(f"{sum(map(len, items))} statements with candidates, {len(labelled)} matched to gold; "
          f"the rules' candidate right on {rule_right}, some candidate on "
          f"{sum(any(it.labels) for _, it in labelled)}", flush=True)
    fold_of = [i % args.folds for i in range(len(arts))]
    totals: dict[tuple[float, float], np.ndarray] = defaultdict(lambda: np.zeros(7, dtype=int))
    flips: dict[tuple[float, float], Counter[int]] = defaultdict(Counter)
    for fold in range(args.folds):
        held = [a for a in range(len(arts)) if fold_of[a] == fold]
        before = sum((counts(finish(arts[a], founds[a]), golds[a]) for a in held),
                     np.zeros(7, dtype=int))
        report(f"fold {fold}, without the chooser", before)
        for c in args.C:
            weights = fit([it for a in range(len(arts)) if fold_of[a] != fold
                           for it in items[a]], c)
            for margin in args.margins:
                model = chooser.SpeakerModel(weights=weights, margin=margin, trained_on="cv")
                tot = np.zeros(7, dtype=int)
                for a in held:
                    new = _moved(arts[a], founds[a], items[a], model, args.quotes_only)
                    for it in items[a]:
                        if it.labels and new[it.found] is not founds[a][it.found]:
                            old_i = _index(it, founds[a][it.found])
                            new_i = _index(it, new[it.found])
                            flips[(c, margin)][it.labels[new_i] - it.labels[old_i]] += 1
                    tot += counts(finish(arts[a], new), golds[a])
                totals[(c, margin)] += tot
                report(f"fold {fold}, C {c}, margin {margin}", tot)
    print("pooled over the folds:")
    report("  without the chooser", base)
    for (c, margin), tot in totals.items():
        f = flips[(c, margin)]
        report(f"  C {c}, margin {margin} ({sum(f.values())} matched statements moved: "
               f"{f[1]} right, {f[-1]} wrong, {f[0]} neither)", tot)
    return 0


def _moved(art: ParsedArticle, found: list[Found], items: list[Item],
           model: chooser.SpeakerModel, quotes_only: bool) -> list[Found]:
    new = chooser.choose(art, found, model)
    if quotes_only:
        new = [n if f.kind != "indirect" else f for n, f in zip(new, found, strict=True)]
    return new


def _index(it: Item, f: Found) -> int:
    return next(i for i, t in enumerate(it.cands) if chooser.same(t, f.frame.subject))


if __name__ == "__main__":
    sys.exit(main())
