"""Speaker linking: which person of the corpus a mention names, by full name, surname or role.

A mention links only on evidence: a full name the registry knows (or a new person), a surname
or a role that exactly one known person fits once the article's other names, the date and how
often each candidate is quoted are weighed. Anything else stays unlinked rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from corpora import gender, lexicon
from index.text import normalise

# A role links to the person who held it within this many days of the statement.
ROLE_WINDOW_DAYS = 400
# A surname shared by several known people links to the most quoted of them only when it is
# quoted this many times as often as all the others together.
DOMINANCE = 8.0
# Among candidates none of which dominates, the only one an outlet has quoted, this many times
# at least, is the one it means ("the finance minister" in a paper of her country).
OUTLET_MENTIONS = 2


def name_key(name: str) -> str:
    """The key a name is found by: normalised, without honorifics ("Ms. Jensen" -> "jensen")."""
    words = [w for w in normalise(name).split() if w.rstrip(".") not in lexicon.HONORIFICS]
    return " ".join(words)


def strip_titles(key: str) -> str:
    """A name key without the titles before it ("president barack obama" -> "barack obama");
    a key of titles alone stays as it is."""
    words = key.split()
    k = 0
    while k < len(words) - 1 and words[k] in lexicon.TITLE_WORDS:
        k += 1
    return " ".join(words[k:])


def shown_name(name: str | None, key: str) -> str:
    """The words of `name` that `key` was made from, without the titles or headline words
    cut before it ("President Barack Obama" -> "Barack Obama"); the key when none match."""
    words = (name or "").split()
    while words and name_key(" ".join(words)) != key and len(words) > len(key.split()):
        words = words[1:]
    return " ".join(words) if words and name_key(" ".join(words)) == key else (name or key)


@lru_cache(maxsize=1)
def _nicknames() -> Any:
    from nicknames import NickNamer  # a hand-curated table of English given names

    return NickNamer()


def same_given_name(a: str, b: str) -> bool:
    """Whether two given names are one: equal, or one a nickname or spelling of the other
    ("joe" and "joseph", "bill" and "william", "hilary" and "hillary")."""
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2:
        return False  # an initial matches too many people
    n = _nicknames()
    if b not in n.nicknames_of(a) and a not in n.nicknames_of(b):
        return False
    # The table also holds old and rare forms ("bill" for Robert, "eric" for Derrick): one
    # that starts with another letter counts only among the common ones.
    return a[0] == b[0] or frozenset({a, b}) in lexicon.CROSS_LETTER_NICKNAMES


def same_middle(a: str, b: str) -> bool:
    """Whether two name keys with the same first and last words can name one person or body:
    the words between agree where both have them, an initial standing for a word it begins
    ("donald j trump", "donald john trump" and "donald trump" are one; "george w bush" and
    "george p bush", or "ohio democratic party" and "ohio republican party", are two)."""
    ma, mb = _middle(a), _middle(b)
    if _JOINING.intersection(ma + mb):
        return False  # a body's name ("freedom and justice pac"), not a person's middle names
    if not ma or not mb:
        return True
    return len(ma) == len(mb) and all(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(ma, mb, strict=True))


# Words that join the parts of a body's name, never a person's ("League of Voters",
# "Veterans Against Marek").
_JOINING = lexicon.MINOR_WORDS | {"against"}


def _middle(key: str) -> list[str]:
    words = [w for w in key.split() if w not in NAME_SUFFIXES]
    return words[1:-1]


def short_key(key: str) -> str:
    """A name key cut to its first and last words, without middle names, initials or a
    suffix ("donald j trump" -> "donald trump", "paul d ryan jr" -> "paul ryan")."""
    words = [w for w in key.split() if w not in NAME_SUFFIXES]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else " ".join(words)


# Words after a surname that are not one.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def role_key(role: str) -> str:
    """The key a role is found by: normalised, without a leading article."""
    words = normalise(role).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def narrows(role: str, held: str) -> bool:
    """Whether a role of two words or more names, in order, words of a longer role someone
    held ("republican nominee" in "presumptive republican presidential nominee")."""
    want, have = role.split(), iter(held.split())
    return len(want) >= 2 and role != held and all(w in have for w in want)


def surname_of(key: str) -> str:
    """The last word of a name key that is no suffix ("joseph r biden jr" -> "biden")."""
    words = key.split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def is_full_name(key: str) -> bool:
    """Whether a name key has a given name and a surname, not only one word."""
    return len(key.split()) >= 2


def bare_surnames(key: str) -> set[str]:
    """The keys a full name's surname alone is stored under: "holt", and "van holt" for
    "karla van holt"."""
    words = [w for w in key.split() if w not in NAME_SUFFIXES]
    out = {surname_of(key)}
    if len(words) >= 3 and words[-2] in lexicon.NAME_PARTICLES:
        out.add(" ".join(words[-2:]))
    return out


def particle_surname(name: str) -> bool:
    """Whether a name is a surname that starts with a lowercase particle ("van Holt", not
    "Van Jones" or "Al Gore")."""
    words = name.split()
    return len(words) == 2 and words[0] in lexicon.NAME_PARTICLES


@dataclass
class Candidate:
    """A known speaker as the linker weighs it."""

    id: int
    name_key: str
    name: str = ""  # the canonical name, as shown
    mentions: int = 0
    alias_keys: set[str] = field(default_factory=set)
    roles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)  # mentions per outlet (those asked)

    def held(self, role: str, day: str | None) -> bool:
        """Whether the speaker held `role` near `day` (any time, when either is undated)."""
        span = self.roles.get(role)
        if span is None:
            return False
        start, end = span
        if day is None or (start is None and end is None):
            return True
        when = dt.date.fromisoformat(day)
        window = dt.timedelta(days=ROLE_WINDOW_DAYS)
        lo = dt.date.fromisoformat(start) - window if start else dt.date.min
        hi = dt.date.fromisoformat(end) + window if end else dt.date.max
        return lo <= when <= hi


@dataclass(frozen=True)
class Mention:
    """What a statement says of its speaker, and the article around it."""

    name: str | None
    role: str | None
    day: str | None = None
    article_names: frozenset[str] = frozenset()  # name keys of the article's full names
    honorific: gender.Gender | None = None  # "Mrs. Jensen": only a woman can be meant
    outlet: str | None = None  # the outlet that reports it


@dataclass(frozen=True)
class Link:
    """The linker's answer: a known speaker, a new one under `name`, or neither."""

    speaker: int | None = None
    create: str | None = None  # the name key of a person to add to the registry

    @property
    def linked(self) -> bool:
        return self.speaker is not None or self.create is not None


NO_LINK = Link()


class Registry:
    """The known speakers a batch of mentions is linked against, indexed three ways."""

    def __init__(self, candidates: Iterable[Candidate] = (), longer_roles: bool = False) -> None:
        # Whether a role alone may name the holder of a longer role (`narrows`): only where
        # those holders were loaded, so a batch's answer never depends on its other mentions.
        self.longer_roles = longer_roles
        self.by_id: dict[int, Candidate] = {}
        self.by_alias: dict[str, set[int]] = {}
        self.by_surname: dict[str, set[int]] = {}
        self.by_short: dict[str, set[int]] = {}
        self.by_role: dict[str, set[int]] = {}
        for c in candidates:
            self.add(c)

    def add(self, c: Candidate) -> None:
        """Index a candidate by its aliases, their surnames and its roles."""
        self.by_id[c.id] = c
        for key in {c.name_key, *c.alias_keys}:
            self.by_alias.setdefault(key, set()).add(c.id)
            if is_full_name(key):
                self.by_surname.setdefault(surname_of(key), set()).add(c.id)
                self.by_short.setdefault(short_key(key), set()).add(c.id)
        for role in c.roles:
            self.by_role.setdefault(role, set()).add(c.id)

    def link(self, m: Mention) -> Link:
        """The speaker a mention names, a new one, or none when the evidence is ambiguous."""
        key = self._known_tail(strip_titles(name_key(m.name))) if m.name else ""
        if key and is_full_name(key) and not particle_surname(m.name or ""):
            # The name as given, else the same first and last name ("Donald J. Trump").
            found = self.by_alias.get(key) or self._by_short(key) or self._by_given_name(key)
            if len(found) == 1:
                return Link(speaker=next(iter(found)))
            if not found:
                return Link(create=key)
            return self._choose(found, m)
        if key:
            found = self.by_alias.get(key, set()) | self.by_surname.get(surname_of(key), set())
            if surname_of(key) != key:
                # "van holt" is not Tomas Holt.
                found = {i for i in found if any(k == key or k.endswith(f" {key}")
                                                 for k in self.by_id[i].alias_keys)}
            if m.honorific is not None:
                # "Mrs. Clinton" is not Bill Clinton.
                found = {i for i in found if gender.can_name(
                    m.honorific, self.by_id[i].name or self.by_id[i].name_key)}
            return self._choose(found, m) if found else NO_LINK
        if m.role:
            role = role_key(m.role)
            found = {i for i in self.by_role.get(role, set()) if self.by_id[i].held(role, m.day)}
            if not found and self.longer_roles:
                # "the republican nominee": the holder of a longer role with those words.
                found = {i for held, ids in self.by_role.items() if narrows(role, held)
                         for i in ids if self.by_id[i].held(held, m.day)}
            return self._choose(found, m) if found else NO_LINK
        return NO_LINK

    def _by_short(self, key: str) -> set[int]:
        """The known names with the key's first and last words and no other words between
        that differ ("Donald J. Trump" for "Donald Trump", not "George P. Bush" for "George W.
        Bush")."""
        short = short_key(key)
        return {i for i in self.by_short.get(short, set())
                if any(short_key(k) == short and same_middle(k, key)
                       for k in self._keys(i))}

    def _by_given_name(self, key: str) -> set[int]:
        """The known people with this surname whose given name is the key's under another
        form: a nickname ("Joe Biden", "Joseph R. Biden Jr.") or a spelling ("Hilary")."""
        first, last = [*short_key(key).split(), ""][:2]
        return {i for i in self.by_surname.get(last, set())
                if any(same_given_name(first, short_key(k).split()[0]) and same_middle(k, key)
                       for k in self._keys(i)
                       if is_full_name(k) and surname_of(short_key(k)) == last)}

    def _keys(self, i: int) -> set[str]:
        """The name keys a candidate is indexed under."""
        c = self.by_id[i]
        return {c.name_key, *c.alias_keys}

    def _known_tail(self, key: str) -> str:
        """A name with headline words before a known full name, cut to that name
        ("billionaire donald trump" -> "donald trump"). Only words no census list gives as a
        first name are cut, and only before a known full name that starts with a first name,
        so "Ivanka Trump" never becomes "Trump", nor "Patriot Majority PAC" "Majority PAC". A
        body named for a person ("Veterans Against John Marek") keeps its name."""
        words = key.split()
        if key in self.by_alias or len(words) < 3:
            return key
        for k in range(1, len(words) - 1):
            if gender.is_first_name(words[k - 1]) or words[k - 1] in _JOINING:
                break
            tail = " ".join(words[k:])
            if tail in self.by_alias and gender.is_first_name(words[k]):
                return tail
        return key

    def _choose(self, found: set[int], m: Mention) -> Link:
        """One of several candidates: the one the article also names in full, the one whose
        role the mention gives, one quoted far more than the rest, or the only one the
        mention's outlet has quoted (at least `OUTLET_MENTIONS` times); else none."""
        if len(found) == 1:
            return Link(speaker=next(iter(found)))
        named = {i for i in found if self.by_id[i].name_key in m.article_names
                 or self.by_id[i].alias_keys & m.article_names}
        if len(named) == 1:
            return Link(speaker=next(iter(named)))
        pool = named or found
        if m.role:
            role = role_key(m.role)
            holding = {i for i in pool if self.by_id[i].held(role, m.day)}
            if len(holding) == 1:
                return Link(speaker=next(iter(holding)))
        ranked = sorted(pool, key=lambda i: -self.by_id[i].mentions)
        top, rest = ranked[0], sum(self.by_id[i].mentions for i in ranked[1:])
        if self.by_id[top].mentions >= DOMINANCE * max(rest, 1):
            return Link(speaker=top)
        if m.outlet:
            local = [i for i in pool if self.by_id[i].outlets.get(m.outlet, 0)]
            if len(local) == 1 and self.by_id[local[0]].outlets[m.outlet] >= OUTLET_MENTIONS:
                return Link(speaker=local[0])
        return NO_LINK


def article_names(names: Sequence[str | None]) -> frozenset[str]:
    """The name keys of the full names among an article's speakers."""
    keys = (name_key(n) for n in names if n)
    return frozenset(k for k in keys if is_full_name(k))
