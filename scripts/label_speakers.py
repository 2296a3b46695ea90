"""Person labels for the Source mentions of a PolNeAR split: who each named mention refers to.

Usage: .venv/bin/python scripts/label_speakers.py ../shared/data/polnear --split train \\
           --out /tmp/speakers-train.tsv [--overrides scripts/labels/speaker-overrides-dev.json]

The labels come from rules, not from the linker they evaluate:
- a mention's name is its trailing capitalised words, after the last title or description
  word ("Clinton campaign spokesman Brian Fallon" -> Brian Fallon);
- a surname alone takes the full name the same article gives it, from its Source mentions
  first and its running text second; a famous 2016 surname named in full only in running
  text takes the campaign's person (`people` in the word lists);
- a description of the 2016 campaign ("the Republican nominee") takes the person it named
  then (`descriptions`);
- bodies, groups, several people at once and pronouns get no label, nor does a mention
  whose name follows "for", "by", "of" ("A spokeswoman for Hillary Clinton").

`--overrides` applies a reviewed correction per mention (`file:start:end` -> label or null).
`scripts/labels/speakers-dev.tsv` is this output for dev, with the mentions of every
cross-article cluster and the list of all labels reviewed by hand;
train's labels are the rules alone, for tuning. Only offsets and labels are written, never
the articles' text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from corpora import lexicon

WORDS = json.loads((Path(__file__).parent / "labels" / "speaker-label-words.json")
                   .read_text(encoding="utf-8"))
PRONOUNS = frozenset(WORDS["pronouns"])
TITLES = frozenset({w.rstrip(".").lower() for w in lexicon.TITLE_WORDS}
                   | set(lexicon.HONORIFICS) | set(WORDS["titles"]))
BODY = re.compile(r"\b(" + "|".join(re.escape(w.replace("\\", "")) for w in WORDS["bodies"])
                  + r")\b", re.IGNORECASE)
GROUPS = frozenset(WORDS["groups"])
GROUP_LEADS = frozenset(WORDS["group_leads"])
TEXT_NAME_STOPS = frozenset(WORDS["text_name_stops"])
PEOPLE: dict[str, str | None] = WORDS["people"]
DESCRIPTIONS: dict[str, str] = WORDS["descriptions"]
PARTICLES = frozenset({"de", "van", "von", "al", "bin", "la", "le", "da", "di"})
SUFFIXES = frozenset({"Jr.", "Sr.", "II", "III", "Jr"})
_HEAD_CUT = re.compile(r",|\(| who | whose | which | -- ")
_AFTER_PREPOSITION = re.compile(r"\b(for|by|of|from|at|with|to|about|against)$", re.IGNORECASE)
_TEXT_NAME = re.compile(r"\b((?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.)){0,2}"
                        r"\s+([A-Z][a-zA-Z'-]+))\b")
Names = defaultdict[str, Counter[str]]  # surname -> full names (weighted) in one article


def name_run(head: str) -> tuple[str | None, list[str]]:
    """The trailing capitalised name of a phrase without its titles, and the words before."""
    toks = head.split()
    run: list[str] = []
    for t in reversed(toks):
        bare = t.strip(".,")
        if (bare and (bare[0].isupper() or bare in PARTICLES)) or re.fullmatch(r"[A-Z]\.", t) \
                or t in SUFFIXES:
            run.insert(0, t)
        else:
            break
    before = toks[:len(toks) - len(run)]
    titles = [k for k, w in enumerate(run) if w.lower().rstrip(".") in TITLES]
    if titles:
        run = run[titles[-1] + 1:]
    return (" ".join(run), before) if run else (None, toks)


def tidy(name: str) -> str | None:
    """A label without middle initials or suffixes ("Loretta E. Lynch" -> "Loretta Lynch"),
    under the name the campaign's people are known by."""
    words = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w) and w not in SUFFIXES]
    out = " ".join(words) if words else name
    return PEOPLE.get(out.lower(), out)


def label(mention: str, names: Names) -> str | None:
    """The person a Source mention names, or None; "PRON" for a pronoun."""
    m = mention.replace("’", "'").replace("''", '"').strip()
    low = m.lower()
    if low in PRONOUNS:
        return "PRON"
    if low in DESCRIPTIONS:
        return DESCRIPTIONS[low]
    head = re.sub(r"'s$", "", _HEAD_CUT.split(m)[0].strip()).strip()
    words = head.split()
    if re.search(r"\b(and|both|&|or)\b", head) or (words and words[-1][0].islower()
                                                    and words[-1].endswith("s")):
        return None  # several people, or a plural description
    run, before = name_run(head)
    if BODY.search(head) and not (run and not BODY.search(run) and len(run.split()) >= 2
                                  and not _AFTER_PREPOSITION.search(" ".join(before))):
        return None  # a body, unless a person is named after its words
    if not run or (before and _AFTER_PREPOSITION.search(" ".join(before))):
        return None  # "A spokeswoman for Hillary Clinton" is not Hillary Clinton
    if BODY.search(run) or run in GROUPS or run.split()[0] in GROUP_LEADS or (
            run.isupper() and len(run.split()) > 1):
        return None
    if len(run.split()) == 1:
        found = names.get(run.lower(), Counter())
        if found:
            full, weight = found.most_common(1)[0]
            if weight < 1 and run.lower() in PEOPLE:
                return PEOPLE[run.lower()]  # named in full only in running text
            return tidy(full)
    return tidy(run)


def _sources(ann: Path) -> list[tuple[int, int, str]]:
    """(start, end, surface) of each Source span of one brat file."""
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        p = line.split("\t")
        if len(p) > 2 and p[0].startswith("T") and p[1].startswith("Source"):
            pieces = [tuple(map(int, x.split())) for x in p[1].split(" ", 1)[1].split(";")]
            out.append((pieces[0][0], pieces[-1][1], p[2]))
    return out


def _names(sources: list[tuple[int, int, str]], text: str) -> Names:
    """The full names of one article by surname: its Source mentions count 1, its running
    text 0.5 (headlines capitalise words that are no names)."""
    names: Names = defaultdict(Counter)
    for _, _, surface in sources:
        head = _HEAD_CUT.split(surface.replace("’", "'"))[0]
        run, _ = name_run(re.sub(r"'s$", "", head.strip()))
        if run and len(run.split()) >= 2 and not BODY.search(run):
            names[run.split()[-1].lower()][run] += 1
    for m in _TEXT_NAME.finditer(text.replace("’", "'")):
        run, _ = name_run(m.group(1))
        if run and len(run.split()) >= 2 and not BODY.search(run) and \
                run.split()[0].lower() not in TITLES | TEXT_NAME_STOPS:
            names[run.split()[-1].lower()][run] += 0.5
    return names


def labels(root: Path, split: str, overrides: dict[str, str | None]) -> list[dict[str, object]]:
    """A label (or None) for each non-pronoun Source mention of the split, in file order;
    of several annotators' files for one article, the first."""
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        stem = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        if stem in seen:
            continue
        seen.add(stem)
        sources = _sources(ann)
        names = _names(sources, (root / split / "text" / f"{stem}.txt").read_text(
            encoding="utf-8"))
        for s, e, surface in sources:
            key = f"{stem}:{s}:{e}"
            lab = overrides[key] if key in overrides else label(surface, names)
            if lab != "PRON":
                out.append({"file": stem, "start": s, "end": e, "label": lab})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--overrides", type=Path)
    args = ap.parse_args()
    overrides = json.loads(args.overrides.read_text()) if args.overrides else {}
    rows = labels(args.polnear, args.split, overrides)
    with args.out.open("w", encoding="utf-8") as f:
        f.write("file\tstart\tend\tlabel\n")
        for r in rows:
            f.write(f"{r['file']}\t{r['start']}\t{r['end']}\t{r['label'] or ''}\n")
    named = {str(r["label"]) for r in rows if r["label"]}
    print(f"{len(rows)} mentions, {sum(1 for r in rows if r['label'])} labelled, "
          f"{len(named)} people")
    return 0


if __name__ == "__main__":
    sys.exit(main())
