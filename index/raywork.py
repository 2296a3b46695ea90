"""Bulk work on a Ray cluster: extraction and embedding spread over Ray actors, one spaCy
pipeline or one model in each.

`connect` joins a cluster the way Ray's own `address` means it: `local` starts one on this
machine, `auto` or `ray://host:port` joins a running one. A `RayEmbedder` stands in for the
local embedder of an import or an ingest, and a `RayExtractor` for an ingest's extractor;
the driver still writes to the store, in the same idempotent transactions, so nothing else
changes, except that an import into PostgreSQL hands its batches to `RayWriters`, actors
with a connection each, to write several at once. An actor that dies is restarted by Ray and
the chunk it held is sent again: a killed worker loses nothing, and since writes are keyed
by content, nothing is stored twice. On a cluster with GPUs, each actor holds one GPU and
embeds there (`index.gpu`). Ray is an optional extra (`.[ray]`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from corpora.errors import StateError
from corpora.types import Article, Attribution
from index.embedder import MiniLM, Runtime, encode_spread, model_name
from index.gpu import Device, TorchEncoder, pick_device
from index.store import PendingStatement, Stored


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:  # pragma: no cover - depends on the install
        raise StateError("Ray is not installed: install quotetrace with the `ray` extra "
                         "(pip install -e '.[ray]')") from e
    return ray


def connect(address: str) -> None:
    """Join (or, for `local`, start) a Ray cluster, once per process."""
    ray = _ray()
    if ray.is_initialized():
        return
    kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
    if address == "local":
        ray.init(num_cpus=os.cpu_count() or 1, **kw)
    else:
        try:
            ray.init(address=address, **kw)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise StateError(f"cannot join the Ray cluster at {address!r}: {e}") from e


def cluster_cpus() -> int:
    """The CPUs of the cluster this process joined: one actor each."""
    return max(1, int(_ray().cluster_resources().get("CPU", 1)))


def cluster_gpus() -> int:
    """The GPUs of the cluster this process joined."""
    return int(_ray().cluster_resources().get("GPU", 0))


def start_actors(cls: type, count: int, *args: Any, **options: Any) -> list[Any]:
    """`count` Ray actors of `cls` (at least one), restarted by Ray when they die, with the
    task they held sent again; `options` are Ray's (num_cpus, num_gpus)."""
    remote = _ray().remote(max_restarts=-1, max_task_retries=-1, **options)(cls)
    return [remote.remote(*args) for _ in range(max(1, count))]


def in_order(actors: Sequence[Any], method: str, chunks: Iterable[Any], *args: Any
             ) -> Iterator[Any]:
    """Each chunk's answer from `method` on the actors in turn, in chunk order, with two
    chunks per actor in flight."""
    ray = _ray()
    pending: deque[Any] = deque()
    for n, chunk in enumerate(chunks):
        pending.append(getattr(actors[n % len(actors)], method).remote(chunk, *args))
        if len(pending) >= 2 * len(actors):
            yield ray.get(pending.popleft())
    while pending:
        yield ray.get(pending.popleft())


def kill_actors(actors: list[Any]) -> None:
    """Stop these actors (and empty the list)."""
    ray = _ray()
    for a in actors:
        ray.kill(a)
    actors.clear()


class _Encoder:
    """One Ray actor's model (defined as a Ray actor class in `RayEmbedder`): on the GPU Ray
    gave it, or on one CPU."""

    def __init__(self, runtime: Runtime, cache: Path | None, device: str = "cpu") -> None:
        self.model: MiniLM | TorchEncoder
        if device == "cuda":
            self.model = TorchEncoder("cuda")
        else:
            self.model = MiniLM(threads=1, runtime=runtime, cache=cache)

    def name(self) -> str:
        return self.model.name

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts)


class RayEmbedder:
    """An embedder whose `encode` spreads chunks of texts over Ray actors: one per GPU of the
    cluster when it has GPUs and the runtime's vectors are fp32 ones (`pick_device`), else
    one per CPU, unless `actors` says otherwise."""

    CHUNK = 256
    GPU_CHUNK = 8192

    def __init__(self, actors: int | None = None, runtime: Runtime = "onnx-int8",
                 cache: Path | None = None, device: Device = "auto") -> None:
        ray = _ray()
        gpus = cluster_gpus()
        on = pick_device(device, runtime, available=gpus > 0)
        # Make (or check) the cached model files once here: the actors then only load them.
        first = MiniLM(threads=1, runtime=runtime, cache=cache)
        self.name, self.dim = first.name, first.dim
        del first
        if on == "cuda":
            self.name = model_name("onnx")  # the fp32 model's vectors, in fp16 where they agree
            self.chunk = self.GPU_CHUNK
            self._actors = start_actors(_Encoder, actors or gpus, runtime, cache, on,
                                        num_gpus=1, num_cpus=1)
        else:
            self.chunk = self.CHUNK
            # Half a CPU each: an ingest's extraction actors take the other halves.
            self._actors = start_actors(_Encoder, actors or cluster_cpus(), runtime, cache, on,
                                        num_cpus=0.5)
        if any(name != self.name for name in ray.get([a.name.remote() for a in self._actors])):
            raise StateError(f"Ray actors run another model than {self.name}")

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        def on_actors(chunks: list[list[str]]) -> list[np.ndarray]:
            return list(_ray().get([self._actors[n % len(self._actors)].encode.remote(c)
                                    for n, c in enumerate(chunks)]))

        return encode_spread(texts, self.dim, self.chunk, on_actors)

    def close(self) -> None:
        kill_actors(self._actors)


class _Extracting:
    """One Ray actor's spaCy pipeline (defined as a Ray actor class in `RayExtractor`)."""

    def __init__(self) -> None:
        from corpora.extract import Extractor

        self.extractor = Extractor()

    def extract(self, articles: list[Article]) -> list[list[Attribution]]:
        return list(self.extractor.extract_many(articles))


class RayExtractor:
    """Extraction spread over Ray actors, one pipeline per CPU of the cluster (half a CPU
    reserved each, beside the embedding actors): chunks of articles go out, two per actor in
    flight, and their attributions come back in article order. An actor that dies is
    restarted and its chunk sent again; extraction is a pure function of the text."""

    CHUNK = 8

    def __init__(self, actors: int | None = None) -> None:
        self._actors = start_actors(_Extracting, actors or cluster_cpus(), num_cpus=0.5)

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16,
                     n_process: int = 1) -> Iterator[list[Attribution]]:
        """Attributions for each article, in order (the `Extractor.extract_many` contract)."""
        items = list(articles)
        chunks = (items[i:i + self.CHUNK] for i in range(0, len(items), self.CHUNK))
        for found in in_order(self._actors, "extract", chunks):
            yield from found

    def close(self) -> None:
        kill_actors(self._actors)


class _Writing:
    """One Ray actor's connection to the store (defined as a Ray actor class in
    `RayWriters`)."""

    def __init__(self, url: str, wait: float) -> None:
        from index.store import Store

        self.store = Store(url, wait)

    def ready(self) -> bool:
        return self.store.ping()

    def write(self, pending: list[PendingStatement],
              embeddings: dict[tuple[str, str], bytes]) -> Stored:
        return self.store.write(pending, embeddings, None)


class RayWriters:
    """An import's writes spread over Ray actors, each with its own connection to one
    PostgreSQL store, so that several batches are written at once (COPY, one transaction
    each). Writes are keyed by content: two that race for a statement or a speaker are
    retried by the store, and a batch sent again after its actor died stores nothing twice
    (what it wrote before it died is found and left as it is)."""

    def __init__(self, url: str, wait: float = 30.0, actors: int | None = None) -> None:
        # A quarter of a CPU each: the work is the database's, beside the embedding actors.
        self._actors = start_actors(_Writing, actors or cluster_cpus(), url, wait,
                                    num_cpus=0.25)
        self.count = len(self._actors)
        self._sent = 0
        # Each actor connected before the first batch: a store it cannot reach fails here.
        if not all(_ray().get([a.ready.remote() for a in self._actors])):
            self.close()
            raise StateError("Ray writing actors cannot reach the database")

    def submit(self, pending: Sequence[PendingStatement],
               embeddings: dict[tuple[str, str], bytes]) -> Any:
        """Send one batch to the next actor; a handle for `result`."""
        actor = self._actors[self._sent % self.count]
        self._sent += 1
        return actor.write.remote(list(pending), embeddings)

    def result(self, handle: Any) -> Stored:
        """What the batch's write stored (waits for it)."""
        got: Stored = _ray().get(handle)
        return got

    def close(self) -> None:
        kill_actors(self._actors)
