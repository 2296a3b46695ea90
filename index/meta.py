"""Per-statement metadata for ranking and filters: columns for a generation, rows for the delta."""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from corpora.dates import parse_iso
from index.claims import same_speaker
from index.text import normalise

UNDATED_LO = 10**7  # a statement no report dates is never inside a date range
UNDATED_HI = 0


class MetaRow(NamedTuple):
    """What ranking and filtering read of one statement."""

    speaker: str | None
    first_day: int  # ordinal of the first-seen date, 0 when unknown
    lo: int  # earliest and latest day a report dates it (UNDATED_* when none does)
    hi: int
    outlets: tuple[str, ...]  # casefolded outlet and via names of its reports


def day(value: str | None) -> int:
    d = parse_iso(value)
    return d.toordinal() if d else 0


def meta_row(speaker: str | None, first_seen: str | None, days: Sequence[str],
             outlets: Iterable[str]) -> MetaRow:
    """The row for a statement: `days` are its reports' dates (date, else published)."""
    ords = [d for d in (day(x) for x in days) if d] or ([day(first_seen)] if first_seen else [])
    ords = [d for d in ords if d]
    return MetaRow(speaker, day(first_seen), min(ords) if ords else UNDATED_LO,
                   max(ords) if ords else UNDATED_HI,
                   tuple(sorted({o.casefold() for o in outlets if o})))


@dataclass(frozen=True)
class MetaFilter:
    """A match filter as the indexes apply it (ISO dates turned into day ordinals)."""

    speaker: str | None = None
    outlet: str | None = None
    since: int | None = None
    until: int | None = None

    @property
    def active(self) -> bool:
        return any(x is not None for x in (self.speaker, self.outlet, self.since, self.until))

    def accepts(self, row: MetaRow) -> bool:
        """The same test as matcher.Filters.accepts, on a metadata row."""
        if self.speaker is not None and not speaker_matches(self.speaker, row.speaker):
            return False
        if self.outlet is not None:
            o = self.outlet.casefold()
            if not any(o in x for x in row.outlets):
                return False
        if self.until is not None and row.lo > self.until:
            return False
        return not (self.since is not None and row.hi < self.since)


def speaker_matches(wanted: str, name: str | None) -> bool:
    return bool(name) and (same_speaker(wanted, name) or wanted.casefold() in
                           (name or "").casefold())


class _Vocab:
    """Distinct strings with fast substring look-up (one joined string, offsets by bisect)."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = list(values)
        self.joined = "\x00".join(self.values)
        starts, pos = [], 0
        for v in self.values:
            starts.append(pos)
            pos += len(v) + 1
        self.starts = starts

    def containing(self, part: str) -> set[int]:
        """Codes of the values that contain `part`."""
        out: set[int] = set()
        if not part or "\x00" in part:
            return out
        i = self.joined.find(part)
        while i >= 0:
            code = bisect.bisect_right(self.starts, i) - 1
            if i + len(part) <= self.starts[code] + len(self.values[code]):
                out.add(code)
            i = self.joined.find(part, i + 1)
        return out


class MetaColumns:
    """The metadata of a generation's statements as columns, sorted by statement id."""

    FILES = ("ids", "speaker", "first_day", "lo", "hi", "optr", "ocodes")

    def __init__(self, arrays: Mapping[str, np.ndarray], speakers: list[str],
                 outlets: list[str]) -> None:
        self.ids = arrays["ids"]
        self.speaker = arrays["speaker"]
        self.first_day = arrays["first_day"]
        self.lo = arrays["lo"]
        self.hi = arrays["hi"]
        self.optr = arrays["optr"]
        self.ocodes = arrays["ocodes"]
        self.speakers = speakers
        self.outlets = outlets
        self._lock = threading.Lock()
        self._derived: dict[str, object] = {}

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def max_id(self) -> int:
        return int(self.ids[-1]) if len(self.ids) else 0

    @classmethod
    def empty(cls) -> MetaColumns:
        return MetaColumnsBuilder().build()

    # -- persistence ----------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            np.save(directory / f"{name}.npy", getattr(self, name))
        (directory / "vocab.json").write_text(json.dumps({"speakers": self.speakers,
                                                          "outlets": self.outlets}))

    @classmethod
    def load(cls, directory: Path) -> MetaColumns:
        arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="r") for n in cls.FILES}
        vocab = json.loads((directory / "vocab.json").read_text())
        return cls(arrays, vocab["speakers"], vocab["outlets"])

    # -- reads ----------------------------------------------------------------------------
    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Row of each id, -1 for ids this generation lacks."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.ids):
            return -np.ones(len(ids), dtype=np.int64)
        pos = np.searchsorted(self.ids, ids).clip(0, len(self.ids) - 1)
        return np.where(self.ids[pos] == ids, pos, -1)

    def row(self, pos: int) -> MetaRow:
        code = int(self.speaker[pos])
        outs = self.ocodes[self.optr[pos]:self.optr[pos + 1]]
        return MetaRow(self.speakers[code] if code >= 0 else None, int(self.first_day[pos]),
                       int(self.lo[pos]), int(self.hi[pos]),
                       tuple(self.outlets[int(c)] for c in outs))

    def speaker_codes(self, wanted: str) -> list[int]:
        """Codes of the speakers a speaker filter admits (as speaker_matches decides)."""
        norm, folded, last = self._speaker_index()
        w = normalise(wanted)
        toks = w.split()
        found: set[int] = set()
        if toks:
            found |= last.get(toks[-1], set())
            found |= norm.containing(w)
            # A stored name inside the wanted one ("Biden" in "Joe Biden"): look each
            # substring of the (short) wanted name up.
            exact = self._derived.setdefault("norm_exact", {})
            assert isinstance(exact, dict)
            if not exact:
                for code, v in enumerate(norm.values):
                    exact.setdefault(v, set()).add(code)
            for i in range(min(len(w), 200)):
                for j in range(i + 1, min(len(w), 200) + 1):
                    found |= exact.get(w[i:j], set())
        found |= folded.containing(wanted.casefold())
        return sorted(c for c in found if speaker_matches(wanted, self.speakers[c]))

    def outlet_codes(self, wanted: str) -> list[int]:
        return sorted(self._outlet_vocab().containing(wanted.casefold()))

    def admitted(self, f: MetaFilter) -> np.ndarray:
        """Sorted ids of the statements the filter may admit (dates: reports' day span)."""
        keep = np.ones(len(self.ids), dtype=bool)
        if f.speaker is not None:
            keep &= self._rows_mask("spk", self.speaker_codes(f.speaker))
        if f.outlet is not None:
            keep &= self._rows_mask("out", self.outlet_codes(f.outlet))
        if f.until is not None:
            keep &= np.asarray(self.lo) <= f.until
        if f.since is not None:
            keep &= np.asarray(self.hi) >= f.since
        return np.asarray(self.ids[keep], dtype=np.int64)

    def _rows_mask(self, kind: str, codes: list[int]) -> np.ndarray:
        order, ptr = self._inverted(kind)
        mask = np.zeros(len(self.ids), dtype=bool)
        for c in codes:
            mask[order[ptr[c]:ptr[c + 1]]] = True
        return mask

    def _inverted(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows grouped by speaker code or outlet code: (rows in code order, code offsets)."""
        with self._lock:
            got = self._derived.get(kind)
            if got is None:
                if kind == "spk":
                    codes = np.asarray(self.speaker)
                    rows = np.arange(len(codes))
                    n = len(self.speakers)
                else:
                    codes = np.asarray(self.ocodes)
                    rows = np.repeat(np.arange(len(self.ids)), np.diff(np.asarray(self.optr)))
                    n = len(self.outlets)
                order = np.argsort(codes, kind="stable")
                ptr = np.searchsorted(codes[order], np.arange(n + 1))
                got = (rows[order], ptr)
                self._derived[kind] = got
            assert isinstance(got, tuple)
            return got

    def _speaker_index(self) -> tuple[_Vocab, _Vocab, dict[str, set[int]]]:
        with self._lock:
            got = self._derived.get("speakers")
            if got is None:
                norm = [normalise(s) for s in self.speakers]
                last: dict[str, set[int]] = {}
                for code, v in enumerate(norm):
                    if v:
                        last.setdefault(v.split()[-1], set()).add(code)
                got = (_Vocab(norm), _Vocab([s.casefold() for s in self.speakers]), last)
                self._derived["speakers"] = got
            assert isinstance(got, tuple)
            return got

    def _outlet_vocab(self) -> _Vocab:
        with self._lock:
            got = self._derived.get("outlets")
            if got is None:
                got = _Vocab(self.outlets)
                self._derived["outlets"] = got
            assert isinstance(got, _Vocab)
            return got

    def updated(self, rows: Mapping[int, MetaRow]) -> MetaColumns:
        """A new generation's columns: these rows replace or join the current ones."""
        b = MetaColumnsBuilder(self.speakers, self.outlets)
        pos = self.positions(np.fromiter(rows, dtype=np.int64, count=len(rows)))
        replaced = {int(p): r for p, r in zip(pos, rows.values(), strict=True) if p >= 0}
        new = sorted((i, r) for (i, r), p in zip(rows.items(), pos, strict=True) if p < 0)
        keep = np.ones(len(self.ids), dtype=bool)
        keep[list(replaced)] = False
        b.extend_columns(self, keep)
        for p in sorted(replaced):
            b.add(int(self.ids[p]), replaced[p])
        for i, r in new:
            b.add(i, r)
        return b.build()


class MetaColumnsBuilder:
    """Collects rows (in any id order) into MetaColumns."""

    def __init__(self, speakers: Sequence[str] = (), outlets: Sequence[str] = ()) -> None:
        self.speakers = list(speakers)
        self.outlets = list(outlets)
        self._spk = {s: i for i, s in enumerate(self.speakers)}
        self._out = {o: i for i, o in enumerate(self.outlets)}
        self._parts: list[dict[str, np.ndarray]] = []
        self._rows: list[tuple[int, int, int, int, int, list[int]]] = []

    def speaker_code(self, name: str | None) -> int:
        if not name:
            return -1
        code = self._spk.get(name)
        if code is None:
            code = self._spk[name] = len(self.speakers)
            self.speakers.append(name)
        return code

    def outlet_code(self, name: str) -> int:
        code = self._out.get(name)
        if code is None:
            code = self._out[name] = len(self.outlets)
            self.outlets.append(name)
        return code

    def add(self, sid: int, r: MetaRow) -> tuple[int, list[int]]:
        """Add a row; returns its speaker code and outlet codes (for the lexical index)."""
        spk = self.speaker_code(r.speaker)
        outs = [self.outlet_code(o) for o in r.outlets]
        self._rows.append((sid, spk, r.first_day, r.lo, r.hi, outs))
        if len(self._rows) >= 100_000:
            self._flush()
        return spk, outs

    def extend_columns(self, cols: MetaColumns, keep: np.ndarray) -> None:
        """Take the kept rows of existing columns (same vocabularies) without a Python loop."""
        self._flush()
        counts = np.diff(np.asarray(cols.optr))
        entry_keep = np.repeat(keep, counts)
        self._parts.append({
            "ids": np.asarray(cols.ids)[keep], "speaker": np.asarray(cols.speaker)[keep],
            "first_day": np.asarray(cols.first_day)[keep], "lo": np.asarray(cols.lo)[keep],
            "hi": np.asarray(cols.hi)[keep], "counts": counts[keep],
            "ocodes": np.asarray(cols.ocodes)[entry_keep]})

    def _flush(self) -> None:
        if not self._rows:
            return
        r = self._rows
        self._parts.append({
            "ids": np.array([x[0] for x in r], dtype=np.int64),
            "speaker": np.array([x[1] for x in r], dtype=np.int32),
            "first_day": np.array([x[2] for x in r], dtype=np.int32),
            "lo": np.array([x[3] for x in r], dtype=np.int32),
            "hi": np.array([x[4] for x in r], dtype=np.int32),
            "counts": np.array([len(x[5]) for x in r], dtype=np.int64),
            "ocodes": np.array([c for x in r for c in x[5]], dtype=np.int32)})
        self._rows = []

    def build(self) -> MetaColumns:
        self._flush()
        if not self._parts:
            z = np.zeros(0, dtype=np.int32)
            arrays: dict[str, np.ndarray] = {
                "ids": np.zeros(0, dtype=np.int64), "speaker": z, "first_day": z, "lo": z,
                "hi": z, "optr": np.zeros(1, dtype=np.int64), "ocodes": z}
            return MetaColumns(arrays, self.speakers, self.outlets)
        cat = {k: np.concatenate([p[k] for p in self._parts]) for k in self._parts[0]}
        order = np.argsort(cat["ids"], kind="stable")
        counts = cat.pop("counts")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        lens = counts[order]
        out_starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        # Entry j of row r moves from starts[r] + j to out_starts[r] + j.
        gather = np.repeat(starts[order] - out_starts, lens) + np.arange(int(lens.sum()))
        ocodes = cat["ocodes"][gather]
        arrays = {k: np.ascontiguousarray(cat[k][order]) for k in
                  ("ids", "speaker", "first_day", "lo", "hi")}
        arrays["optr"] = np.concatenate([[0], np.cumsum(counts[order])]).astype(np.int64)
        arrays["ocodes"] = ocodes.astype(np.int32)
        return MetaColumns(arrays, self.speakers, self.outlets)
