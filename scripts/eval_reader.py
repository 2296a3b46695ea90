"""The HTML reader on real pages with known metadata: trafilatura's evaluation set.

Usage: .venv/bin/python scripts/eval_reader.py TRAFILATURA/tests [--news]

TRAFILATURA is a checkout of github.com/adbar/trafilatura; its tests/evaldata.json names
each page (tests/eval/ or tests/cache/) with its title, date, author and, for a few, site
name, and with text snippets the main text must hold ("with") or leave out ("without"). The
pages are read from there, never copied. `--news` keeps the pages of English-language news
sites only.

Definitions (kept fixed so numbers stay comparable):
- title, author, outlet: equal once case, spacing, quotes and dashes are normalised; an
  author list is joined with "; ".
- date: the same ISO day.
- main text: the share of "with" snippets found in the text, and of "without" snippets not
  found, whitespace normalised.
- A page is decoded as `quotetrace ingest` decodes it (`webpage.decode_html`: UTF-8, else
  the charset it declares, else windows-1252).
- A page the reader refuses (no text) counts as wrong on every field.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

from corpora.errors import ReadError
from corpora.readers import article_from_html
from corpora.webpage import decode_html

NEWS_SITES = ("bbc.", "cnn.com", "nytimes.com", "theguardian.com", "reuters.com",
              "politico.", "independent.co.uk", "telegraph.co.uk", "washingtonpost.com",
              "npr.org", "apnews.com", "usatoday.com", "latimes.com", "abcnews", "cbsnews",
              "nbcnews", "foxnews", "bloomberg.com", "wsj.com", "economist.com", "aljazeera",
              "theatlantic.com", "vox.com", "huffpost", "thehill.com", "axios.com",
              "newyorker.com", "time.com", "nationalreview", "breitbart", "dailymail",
              "mirror.co.uk", "thesun.co.uk", "express.co.uk", "standard.co.uk", "sky.com",
              "news.com.au", "smh.com.au", "abc.net.au", "cbc.ca", "globalnews", "irishtimes",
              "scotsman", "heraldscotland", "jamaica-gleaner", "jamaicaobserver", "stuff.co.nz",
              "nzherald", "straitstimes", "hindustantimes", "indiatimes", "thehindu",
              "cointelegraph.com", "techcrunch", "theverge", "wired.com", "arstechnica",
              "businessinsider", "forbes.com", "cnbc.com", "marketwatch", "ft.com")
_DASHES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def norm(text: str | None) -> str:
    """Case, spacing, quotes and dashes normalised."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return " ".join(text.casefold().split())


def find(path: Path, name: str) -> Path | None:
    for folder in ("eval", "cache"):
        p = path / folder / name
        if p.exists():
            return p
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("tests", type=Path, help="the tests/ folder of a trafilatura checkout")
    ap.add_argument("--news", action="store_true", help="English-language news sites only")
    args = ap.parse_args()
    data = json.loads((args.tests / "evaldata.json").read_text(encoding="utf-8"))
    tally = {k: [0, 0] for k in ("title", "date", "author", "outlet", "with", "without")}
    pages = refused = 0
    t = time.perf_counter()
    for url, item in sorted(data.items()):
        host = urlparse(url).netloc.lower()
        if args.news and not any(s in host for s in NEWS_SITES):
            continue
        path = find(args.tests, item["file"])
        if path is None or "title" not in item:
            continue
        pages += 1
        markup = decode_html(path.read_bytes())
        try:
            a = article_from_html(markup, str(path))
            got = {"title": a.title, "date": a.published, "author": a.author,
                   "outlet": a.outlet, "text": a.text}
        except ReadError:
            refused += 1
            got = {"title": None, "date": None, "author": None, "outlet": None, "text": ""}
        for key, gold in (("title", item.get("title")), ("date", item.get("date")),
                          ("author", item.get("author")), ("outlet", item.get("sitename"))):
            if not gold:
                continue
            if isinstance(gold, list):
                gold = "; ".join(gold)
            tally[key][1] += 1
            if key == "date":
                tally[key][0] += got[key] == gold[:10]
            else:
                tally[key][0] += norm(got[key]) == norm(gold)
        text = norm(got["text"])
        for snippet in item.get("with", []):
            tally["with"][1] += 1
            tally["with"][0] += norm(snippet) in text
        for snippet in item.get("without", []):
            tally["without"][1] += 1
            tally["without"][0] += norm(snippet) not in text
    elapsed = time.perf_counter() - t
    print(f"{pages} pages{' (news sites)' if args.news else ''}, {refused} refused, "
          f"{elapsed / max(pages, 1) * 1000:.0f} ms a page")
    for key, label in (("title", "right title"), ("date", "right date"),
                       ("author", "right author"), ("outlet", "right outlet (site name)"),
                       ("with", "main-text snippets found"),
                       ("without", "boilerplate snippets left out")):
        right, total = tally[key]
        print(f"{label:32s} {right:5d}/{total:<5d} {right / total if total else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
