"""The extractor's committed model files: read from the package, written for readable diffs."""

from __future__ import annotations

import json
from importlib import resources
from typing import TypeVar

import msgspec

T = TypeVar("T")


def read(name: str, kind: type[T]) -> T:
    """A model file of the `corpora.extract` package, decoded as `kind`."""
    raw = resources.files("corpora.extract").joinpath(name).read_bytes()
    return msgspec.json.decode(raw, type=kind)


def dump(model: msgspec.Struct) -> bytes:
    """A model as committed: sorted keys, one weight per line, so diffs stay readable."""
    return json.dumps(msgspec.to_builtins(model), indent=0, sort_keys=True).encode() + b"\n"
