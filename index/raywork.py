"""Bulk work on a Ray cluster: embedding spread over Ray actors, one model in each.

`connect` joins a cluster the way Ray's own `address` means it: `local` starts one on this
machine, `auto` or `ray://host:port` joins a running one. A `RayEmbedder` stands in for the
local embedder of an import or an ingest; the driver still writes to the store, in the same
idempotent transactions, so nothing else changes. An actor that dies is restarted by Ray and
the chunk it held is sent again: a killed worker loses nothing, and since writes are keyed
by content, nothing is stored twice. Ray is an optional extra (`.[ray]`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from corpora.errors import StateError
from index.embedder import MiniLM, Runtime


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:  # pragma: no cover - depends on the install
        raise StateError("Ray is not installed: install quotetrace with the `ray` extra "
                         "(pip install -e '.[ray]')") from e
    return ray


def connect(address: str, cpus: int | None = None) -> None:
    """Join (or, for `local`, start) a Ray cluster, once per process."""
    ray = _ray()
    if ray.is_initialized():
        return
    kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
    if address == "local":
        ray.init(num_cpus=cpus or os.cpu_count() or 1, **kw)
    else:
        try:
            ray.init(address=address, **kw)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise StateError(f"cannot join the Ray cluster at {address!r}: {e}") from e


class _Encoder:
    """One Ray actor's model (defined as a Ray actor class in `RayEmbedder`)."""

    def __init__(self, runtime: Runtime, cache: Path | None) -> None:
        self.model = MiniLM(threads=1, runtime=runtime, cache=cache)

    def info(self) -> tuple[str, int, int]:
        return self.model.name, self.model.dim, os.getpid()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts)


class RayEmbedder:
    """An embedder whose `encode` spreads chunks of texts over `actors` Ray actors."""

    CHUNK = 256

    def __init__(self, actors: int, runtime: Runtime = "onnx-int8",
                 cache: Path | None = None) -> None:
        ray = _ray()
        # Make (or check) the cached model files once here: the actors then only load them.
        first = MiniLM(threads=1, runtime=runtime, cache=cache)
        self.name, self.dim = first.name, first.dim
        del first
        remote = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(_Encoder)
        self._actors = [remote.remote(runtime, cache) for _ in range(max(1, actors))]
        infos = ray.get([a.info.remote() for a in self._actors])
        if any(name != self.name for name, _, _ in infos):
            raise StateError(f"Ray actors run another model than {self.name}")

    def pids(self) -> list[int]:
        """The process id of each actor (a test kills one)."""
        return [int(p) for _, _, p in _ray().get([a.info.remote() for a in self._actors])]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        ray = _ray()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[i:i + self.CHUNK] for i in range(0, len(order), self.CHUNK)]
        futures = [self._actors[n % len(self._actors)].encode.remote([texts[j] for j in c])
                   for n, c in enumerate(chunks)]
        for idx, vecs in zip(chunks, ray.get(futures), strict=True):
            out[idx] = vecs
        return out

    def close(self) -> None:
        ray = _ray()
        for a in self._actors:
            ray.kill(a)
        self._actors = []
