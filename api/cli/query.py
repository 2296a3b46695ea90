"""CLI commands that read: match one claim, verify a batch of claims."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec

from api import schemas
from api.cli.common import open_library, progress, ray_option, read_records
from api.settings import Settings
from corpora.errors import InvalidRequest, ReadError
from corpora.types import ClaimIn
from index.matcher import Filters
from index.service import Library
from index.store import check_date


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, default=5, help="matches per claim (default 5)")
    p.add_argument("--speaker", help="only statements by this speaker")
    p.add_argument("--outlet", help="only statements reported by this outlet (or credited via it)")
    p.add_argument("--since", help="only statements dated on or after YYYY-MM-DD")
    p.add_argument("--until", help="only statements dated on or before YYYY-MM-DD")
    p.add_argument("--below", action="store_true",
                   help="list the k most relevant statements even under the match threshold "
                        "(labelled no_match): the full ranking")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("match", help="match one claim")
    p.add_argument("claim")
    _filter_args(p)
    p.add_argument("--json", action="store_true", help="print the verify-out JSON record")
    p.set_defaults(func=cmd_match)
    p = sub.add_parser("verify", help="verify a batch of claims (.jsonl or .csv)")
    p.add_argument("claims", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="verify-out JSONL file")
    p.add_argument("--resume", action="store_true",
                   help="continue an output file an interrupted run left: answer only the "
                        "claims after the last one it holds")
    ray_option(p, "answer")
    _filter_args(p)
    p.set_defaults(func=cmd_verify)


def _filters(args: argparse.Namespace) -> Filters:
    if args.k < 1 or args.k > 1000:
        raise InvalidRequest(f"-k must be between 1 and 1000, got {args.k}")
    return Filters(speaker=args.speaker, outlet=args.outlet,
                   since=check_date(args.since, "--since"),
                   until=check_date(args.until, "--until"))


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    filters = _filters(args)
    if not args.claim.strip():
        raise InvalidRequest("the claim is empty")
    library = open_library(settings)
    result = schemas.claim_out(library.match(ClaimIn(claim=args.claim), args.k, filters,
                                                     args.below))
    if args.json:
        sys.stdout.write(msgspec.json.encode(result).decode() + "\n")
        return 0
    print(f"verdict: {result.verdict}")
    if result.claimed_speaker:
        print(f"claim attributes it to: {result.claimed_speaker}")
    for i, m in enumerate(result.matches, 1):
        shown = _mark(m.text, m.highlight)
        source = ", ".join(x for x in (m.outlet, f"via {m.via}" if m.via else None, m.date) if x)
        who = m.speaker or (f"unnamed ({m.role})" if m.role else "unknown speaker")
        print(f"{i}. [{m.verdict} {m.score:.2f}] {who}" + (f" — {m.role}" if m.speaker
                                                            and m.role else ""))
        print(f"   “{shown}”")
        if source:
            print(f"   {source}" + (f"; first seen {m.first_seen}" if m.first_seen else ""))
    return 0


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(f"[{text[s:e]}]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Verify a claims file into verify-out JSONL, written batch by batch (fsynced), so that
    `--resume` can continue an output file a crash or Ctrl-C left behind.
    """
    filters = _filters(args)
    claims = read_records(args.claims, ClaimIn)
    start = resume_point(args.output, claims) if args.resume else 0
    if start == len(claims):
        print(f"{args.output} already answers all {len(claims)} claim(s)", file=sys.stderr)
        return 0
    counts: dict[str, int] = {}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    chunks = [claims[i:i + 64] for i in range(start, len(claims), 64)]
    with args.output.open("ab" if args.resume else "wb") as out, \
            progress(len(claims), "verify") as bar:
        bar.update(start)
        for lines in _answers(args, settings, chunks, filters):
            out.write(b"".join(line for line, _ in lines))
            out.flush()
            os.fsync(out.fileno())
            for _, verdict in lines:
                counts[verdict] = counts.get(verdict, 0) + 1
            bar.update(len(lines))
    summary = ", ".join(f"{v} {n}" for v, n in sorted(counts.items()))
    resumed = f", resumed after {start}" if start else ""
    print(f"verified {len(claims) - start} claim(s) -> {args.output} ({summary}{resumed})",
          file=sys.stderr)
    return 0


def _answers(args: argparse.Namespace, settings: Settings, chunks: list[list[ClaimIn]],
             filters: Filters) -> Iterator[list[tuple[bytes, str]]]:
    """Each chunk's (verify-out line, verdict) pairs in order: here, or on Ray actors."""
    if args.ray:
        from api.cli.ray_verify import answers

        yield from answers(args.ray, settings, chunks, args.k, filters, args.below)
        return
    library = open_library(settings)
    for chunk in chunks:
        yield answer_chunk(library, chunk, args.k, filters, args.below)


_encode = msgspec.json.Encoder().encode


def answer_chunk(library: Library, claims: list[ClaimIn], k: int, filters: Filters,
                 below: bool) -> list[tuple[bytes, str]]:
    """(verify-out line, verdict) for each claim, in order."""
    recs = [schemas.claim_out(r) for r in library.match_many(claims, k, filters, below)]
    return [(_encode(rec) + b"\n", rec.verdict) for rec in recs]


def resume_point(output: Path, claims: list[ClaimIn]) -> int:
    """How many claims `output` answers already, in order; a torn last line is cut off.

    A record that answers another claim than the one at its place means the output belongs
    to another claims file: that is an error, and the file is left as it is.
    """
    if not output.exists():
        return 0
    data = output.read_bytes()
    good = 0  # bytes of whole, valid records
    n = 0
    decoder = msgspec.json.Decoder(schemas.ClaimOut)
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break  # the write a crash cut short
        try:
            rec = decoder.decode(raw)
        except msgspec.DecodeError:
            if good + len(raw) == len(data):
                break
            raise ReadError(str(output), "not a verify-out record", n + 1) from None
        if n >= len(claims) or (rec.claim, rec.id) != (claims[n].claim, claims[n].id):
            raise ReadError(str(output), f"answers another claim than line {n + 1} of the "
                                         "claims file: not its output", n + 1)
        good += len(raw)
        n += 1
    if good < len(data):
        with output.open("r+b") as f:
            f.truncate(good)
            f.flush()
            os.fsync(f.fileno())
    return n
