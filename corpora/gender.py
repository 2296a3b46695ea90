"""Which person an honorific can name: the likely gender of a first name, from census lists.

"Mrs. Clinton" in an article that names Bill and Hillary Clinton is Hillary; "Mr. Trump" beside
Ivana Trump is not her. The first-name lists are the 1990 US Census frequency lists, as the
`names` package (MIT) bundles them; a name on neither list, or common on both, has no gender,
and then an honorific rules nobody out.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Gender = Literal["f", "m"]

# A first name counts as one gender when its share among that sex is this many times its share
# among the other ("Donald": 0.931% of men, 0.002% of women).
RATIO = 4.0
# ... and when at least this percent of that sex bears it: rarer entries are noise ("Yuri" is on
# the female list at 0.001% and absent from the male one).
MIN_SHARE = 0.002

_HONORIFIC: dict[str, Gender] = {"mr": "m", "messrs": "m", "sir": "m",
                                 "mrs": "f", "ms": "f", "miss": "f", "mmes": "f", "mme": "f",
                                 "mlle": "f", "madam": "f", "madame": "f", "dame": "f"}


@lru_cache(maxsize=1)
def _shares() -> tuple[dict[str, float], dict[str, float]]:
    """(female, male): first name (lower case) -> percent of that sex bearing it."""
    import names  # only its data files are used

    def read(path: str) -> dict[str, float]:
        out: dict[str, float] = {}
        with open(path, encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    out[parts[0].lower()] = float(parts[1])
        return out

    return read(names.FILES["first:female"]), read(names.FILES["first:male"])


def of_first_name(first: str) -> Gender | None:
    """The gender a first name almost always has, or None when the lists cannot tell."""
    female, male = _shares()
    key = first.lower().strip(".")
    f, m = female.get(key, 0.0), male.get(key, 0.0)
    if f >= MIN_SHARE and f > RATIO * m:
        return "f"
    if m >= MIN_SHARE and m > RATIO * f:
        return "m"
    return None


def of_honorific(words: str) -> Gender | None:
    """The gender an honorific among `words` implies ("Mrs. Clinton" -> "f"), if any."""
    for w in words.split():
        g = _HONORIFIC.get(w.lower().rstrip("."))
        if g is not None:
            return g
    return None


def can_name(honorific: Gender | None, full_name: str) -> bool:
    """Whether a mention with this honorific can refer to the person of `full_name`."""
    if honorific is None:
        return True
    words = full_name.split()
    if len(words) < 2:
        return True
    return of_first_name(words[0]) in {None, honorific}


def is_first_name(word: str) -> bool:
    """Whether `word` is on either census first-name list."""
    female, male = _shares()
    key = word.lower()
    return key in female or key in male


def of_mention(mention: str | None, name: str | None) -> Gender | None:
    """The gender of the honorific just before `name` in `mention` ("Mrs. Clinton" with the
    name "Clinton" -> "f"); None when no honorific stands right before it."""
    if not mention or not name:
        return None
    words, first = mention.split(), name.split()[0]
    bare = [w.removesuffix("’s").removesuffix("'s").strip(",.’'") for w in words]
    at = max((i for i, w in enumerate(bare) if w == first), default=0)
    return of_honorific(words[at - 1]) if at > 0 else None
