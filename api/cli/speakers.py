"""CLI commands for the speaker registry: list, show, alias, merge, split and import speakers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import msgspec

from api.cli.common import open_library, read_records
from api.settings import Settings
from corpora.errors import ReadError
from corpora.types import RoleIn, SpeakerIn
from index.types import SpeakerChange, SpeakerView


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("speakers", help="the speaker registry: one canonical speaker per person")
    cmds = p.add_subparsers(dest="speakers_command", required=True, metavar="SUBCOMMAND")
    c = cmds.add_parser("list", help="speakers, most mentioned first")
    c.add_argument("q", nargs="?", help="only those with a name or alias containing this")
    c.add_argument("--limit", type=int, default=50)
    c.set_defaults(func=cmd_list)
    c = cmds.add_parser("show", help="a speaker's aliases, roles and statements (JSON)")
    c.add_argument("id", type=int)
    c.set_defaults(func=cmd_show)
    c = cmds.add_parser("alias", help="give a speaker another name")
    c.add_argument("id", type=int)
    c.add_argument("alias")
    c.set_defaults(func=cmd_alias)
    c = cmds.add_parser("merge", help="fold speaker SOURCE into TARGET (one person)")
    c.add_argument("source", type=int)
    c.add_argument("target", type=int)
    c.set_defaults(func=cmd_merge)
    c = cmds.add_parser("split", help="take mentions that are someone else's into a new speaker")
    c.add_argument("id", type=int)
    c.add_argument("name", help="the new speaker's name")
    which = c.add_mutually_exclusive_group(required=True)
    which.add_argument("--alias", help="the mentions that name the speaker so (the alias moves)")
    which.add_argument("--articles", help="the mentions in these article ids (comma-separated)")
    c.set_defaults(func=cmd_split)
    c = cmds.add_parser("relink", help="link again what was stored unlinked, against the "
                                       "registry as it is now")
    c.set_defaults(func=cmd_relink)
    c = cmds.add_parser("import", help="add or update speakers from .jsonl or .csv "
                                       "(name, aliases, qid, roles)")
    c.add_argument("path", type=Path)
    c.set_defaults(func=cmd_import)


def _print(obj: Any) -> None:
    sys.stdout.write(msgspec.json.encode(obj).decode() + "\n")


def _summary(change: SpeakerChange) -> str:
    v = change.speaker
    return (f"speaker {v.id} ({v.name}): {v.statements} statement(s); "
            f"{change.statements_moved} re-keyed, {change.statements_folded} folded into "
            f"a statement with the same words")


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    library = open_library(settings)
    for v in library.speakers.find(args.q, max(1, min(args.limit, 1000))):
        extra = f" [{v.qid}]" if v.qid else ""
        print(f"{v.id}\t{v.name}{extra}\t{v.mentions} mention(s)\t{v.statements} statement(s)")
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    view: SpeakerView = open_library(settings).speakers.show(args.id)
    _print(view)
    return 0


def cmd_alias(args: argparse.Namespace, settings: Settings) -> int:
    change = open_library(settings).correct_speakers(lambda sp: sp.alias(args.id, args.alias))
    print(_summary(change), file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace, settings: Settings) -> int:
    change = open_library(settings).correct_speakers(
        lambda sp: sp.merge(args.source, args.target))
    print(_summary(change), file=sys.stderr)
    return 0


def cmd_split(args: argparse.Namespace, settings: Settings) -> int:
    articles: list[int] = []
    if args.articles:
        try:
            articles = [int(x) for x in args.articles.split(",") if x.strip()]
        except ValueError as e:
            raise ReadError("--articles", "article ids are whole numbers, comma-separated") from e
    change = open_library(settings).correct_speakers(
        lambda sp: sp.split(args.id, args.name, alias=args.alias, articles=articles))
    print(_summary(change), file=sys.stderr)
    return 0


def cmd_relink(args: argparse.Namespace, settings: Settings) -> int:
    got = open_library(settings).relink_speakers()
    print(f"{got.considered} unlinked statement(s): {got.moved} linked, {got.folded} folded "
          f"into a statement with the same words", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    records = read_speakers(args.path)
    changes = open_library(settings).import_speakers(records)
    print(f"{len(changes)} speaker(s) imported from {args.path}", file=sys.stderr)
    return 0


def read_speakers(path: Path) -> list[SpeakerIn]:
    """Speaker records from JSONL (SpeakerIn) or CSV: columns name, aliases (separated by
    `|`), qid, and role, role_start, role_end; rows that repeat a name (or QID) add roles."""
    if path.suffix.lower() != ".csv":
        return read_records(path, SpeakerIn)
    rows = read_records(path, _SpeakerRow)
    merged: dict[str, SpeakerIn] = {}
    for r in rows:
        key = r.qid or r.name.casefold()
        roles = [RoleIn(role=r.role, start=r.role_start, end=r.role_end)] if r.role else []
        aliases = [a.strip() for a in (r.aliases or "").split("|") if a.strip()]
        got = merged.get(key)
        if got is None:
            merged[key] = SpeakerIn(name=r.name, aliases=aliases, qid=r.qid, roles=roles)
        else:
            merged[key] = msgspec.structs.replace(
                got, aliases=[*got.aliases, *(a for a in aliases if a not in got.aliases)],
                roles=[*got.roles, *roles])
    return list(merged.values())


class _SpeakerRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One row of a speakers CSV."""

    name: str
    aliases: str | None = None
    qid: str | None = None
    role: str | None = None
    role_start: str | None = None
    role_end: str | None = None
