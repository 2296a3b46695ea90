"""The `altered` verdict on claims made by changing a statement's number, negation or a word.

Usage: .venv/bin/python scripts/eval_altered.py --data-dir D [--seed ../shared/seed]
       [--clef-sample 400] [--show 5]
D holds the imported CLEF-2021 2B statements (scripts/eval_matching.py --data-dir D makes it);
it is copied, and the demo corpus (and the seed article) are ingested into the copy.

Each source statement (a demo or seed statement, or a sample of the CLEF ones) gives a quoted
window of at most 14 of its words, and from it, where it applies:
- number: a number changed (70 -> 84, "seventy" -> "fifty");
- negation: "not" put after an auxiliary verb, or a negation taken out;
- antonym: a word swapped for its opposite ("rose" -> "fell"), from index/alter.py's list (the
  same list the detector reads: this measures finding and aligning the statement, not the
  coverage of the list);
- control: the window unchanged, which must not be `altered`.
A case counts as found when the claim's verdict is `altered` and its top match is the source.
Precision is over every `altered` verdict given, controls included.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from corpora.readers import read_path
from corpora.types import ClaimIn
from index.alter import ANTONYMS, NUMBER_WORDS
from index.embedder import MiniLM
from index.service import Library
from index.store import Store, sqlite_url

ROOT = Path(__file__).resolve().parents[1]
AUX = {"is", "are", "was", "were", "will", "can", "would", "should", "could", "has", "have",
       "had", "does", "do", "did", "must"}
NEG_OUT = {"not": "", "never": "", "isn't": "is", "aren't": "are", "wasn't": "was",
           "don't": "do", "doesn't": "does", "didn't": "did", "won't": "will", "can't": "can",
           "hasn't": "has", "haven't": "have"}
SWAP_NUMBER_WORDS = ["two", "three", "five", "seven", "ten", "twelve", "twenty", "fifty",
                     "ninety", "hundred"]
WINDOW = 14


def bare(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).lower().replace("’", "'")


def window(words: list[str], at: int) -> tuple[int, int]:
    if len(words) <= WINDOW:
        return 0, len(words)
    lo = max(0, min(at - WINDOW // 2, len(words) - WINDOW))
    return lo, lo + WINDOW


def edit_number(words: list[str], rng: random.Random) -> tuple[list[str], int] | None:
    for i, w in enumerate(words):
        b = bare(w)
        m = re.fullmatch(r"(\D*)(\d[\d,]*)(\D*)", w)
        if m and b and b[0].isdigit():
            value = int(m.group(2).replace(",", ""))
            new = value + max(1, round(value * rng.choice([0.2, 0.3, 0.5]))) * rng.choice([1, -1])
            new = new if new > 0 and new != value else value + 3
            return [*words[:i], f"{m.group(1)}{new}{m.group(3)}", *words[i + 1:]], i
        if b in NUMBER_WORDS and b in SWAP_NUMBER_WORDS:
            other = rng.choice([x for x in SWAP_NUMBER_WORDS if x != b])
            return [*words[:i], w.lower().replace(b, other), *words[i + 1:]], i
    return None


def edit_negation(words: list[str]) -> tuple[list[str], int] | None:
    for i, w in enumerate(words):
        b = bare(w)
        if b in NEG_OUT and i > 0:
            repl = NEG_OUT[b]
            rest = [w.lower().replace("’", "'").replace(b, repl)] if repl else []
            return [*words[:i], *rest, *words[i + 1:]], i
    for i, w in enumerate(words[:-1]):
        if bare(w) in AUX and w == bare(w) and bare(words[i + 1]) not in NEG_OUT:
            return [*words[:i + 1], "not", *words[i + 1:]], i
    return None


def edit_antonym(words: list[str]) -> tuple[list[str], int] | None:
    for i, w in enumerate(words):
        b = bare(w)
        if b in ANTONYMS and b not in ("for", "all", "no", "first", "up", "down", "over"):
            other = sorted(ANTONYMS[b])[0]
            return [*words[:i], w.lower().replace(b, other), *words[i + 1:]], i
    return None


def cases(text: str, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, claim) pairs made from one statement."""
    words = text.split()
    if len(words) < 6:
        return []
    out = []
    edits = {"number": edit_number(words, rng), "negation": edit_negation(words),
             "antonym": edit_antonym(words)}
    spot = next((e[1] for e in edits.values() if e), len(words) // 2)
    lo, hi = window(words, spot)
    out.append(("control", " ".join(words[lo:hi])))
    for kind, edit in edits.items():
        if edit is None:
            continue
        changed, at = edit
        lo, hi = window(changed, at)
        out.append((kind, " ".join(changed[lo:hi])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--seed", type=Path)
    ap.add_argument("--clef-sample", type=int, default=400)
    ap.add_argument("--show", type=int, default=5, help="print this many misses of each kind")
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "d"
        shutil.copytree(args.data_dir, data)
        lib = Library(Store(sqlite_url(data)), MiniLM(), data)
        lib.load()
        articles = [ROOT / "corpora/demo/articles.jsonl"]
        if args.seed:
            articles.append(args.seed / json.loads((args.seed / "expected.json").read_text())
                            ["article"])
        ours = {"demo": [], "seed": []}  # type: dict[str, list[int]]
        for name, path in zip(("demo", "seed"), articles, strict=False):
            for report in lib.ingest(read_path(path)):
                ours[name].extend(report.stored.statement_ids)
        lib.flush()
        clef_ids = [int(i) for i in lib.store.statement_ids() if int(i) not in
                    {*ours["demo"], *ours["seed"]}]
        sources = {"demo": sorted(set(ours["demo"])), "seed": sorted(set(ours["seed"])),
                   "CLEF": sorted(rng.sample(clef_ids, min(args.clef_sample, len(clef_ids))))}
        tally: Counter[tuple[str, str, str]] = Counter()
        misses: dict[str, list[str]] = {}
        for corpus, ids in sources.items():
            found = lib.store.statements(ids)
            built = [(sid, kind, claim) for sid in ids for kind, claim in
                     cases(found[sid].text, rng)]
            results = lib.match_many([ClaimIn(claim=c) for _, _, c in built], k=3)
            for (sid, kind, claim), r in zip(built, results, strict=True):
                top = r.matches[0] if r.matches else None
                on_source = top is not None and top.statement_id == sid
                outcome = ("altered" if r.verdict == "altered" and on_source else
                           "altered-elsewhere" if r.verdict == "altered" else
                           "other")
                tally[(corpus, kind, outcome)] += 1
                if (kind != "control") != (outcome == "altered"):
                    misses.setdefault(kind, []).append(
                        f"{r.verdict:>13} {claim[:70]!r} | {found[sid].text[:60]!r}")
        lib.store.close()
    kinds = ("number", "negation", "antonym")
    print("cases per corpus (number / negation / antonym / controls):")
    for corpus in sources:
        n = [sum(v for (c, k, _), v in tally.items() if c == corpus and k == kind)
             for kind in (*kinds, "control")]
        print(f"  {corpus}: {len(sources[corpus])} statements, {n[0]} / {n[1]} / {n[2]} / {n[3]}")
    print("recall (verdict altered, source on top):")
    for kind in kinds:
        for corpus in (*sources, "all"):
            got = sum(v for (c, k, o), v in tally.items()
                      if k == kind and o == "altered" and corpus in (c, "all"))
            total = sum(v for (c, k, _), v in tally.items() if k == kind and corpus in (c, "all"))
            if total:
                print(f"  {kind:>8} {corpus:>5}: {got}/{total} = {got / total:.3f}")
    given = sum(v for (_, _, o), v in tally.items() if o.startswith("altered"))
    right = sum(v for (_, k, o), v in tally.items() if k != "control" and o == "altered")
    false_controls = sum(v for (_, k, o), v in tally.items()
                         if k == "control" and o.startswith("altered"))
    controls = sum(v for (_, k, _), v in tally.items() if k == "control")
    print(f"precision: {right}/{given} = {right / max(1, given):.3f}; controls called altered: "
          f"{false_controls}/{controls}")
    for kind, rows in misses.items():
        print(f"misses ({kind}), first {args.show} of {len(rows)}:")
        for row in rows[:args.show]:
            print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
