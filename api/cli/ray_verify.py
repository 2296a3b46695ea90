"""`verify --ray`: chunks of claims answered by Ray actors that each load the library (the
model and the published indexes), their records written in claim order as they come back."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from api.settings import Settings
from corpora.types import ClaimIn
from index.matcher import Filters


class _Matcher:
    """One Ray actor's library (defined as a Ray actor class in `answers`)."""

    def __init__(self, settings: Settings) -> None:
        from api.app import build_library

        self.library = build_library(settings)

    def answer(self, claims: list[ClaimIn], k: int, filters: Filters,
               below: bool) -> list[tuple[bytes, str]]:
        from api.cli.query import answer_chunk

        return answer_chunk(self.library, claims, k, filters, below)


def answers(address: str, settings: Settings, chunks: Sequence[list[ClaimIn]], k: int,
            filters: Filters, below: bool) -> Iterator[list[tuple[bytes, str]]]:
    """Each chunk's (record line, verdict) pairs, in order, answered on the cluster. An
    actor that dies is restarted and its chunk sent again; two chunks per actor are in
    flight at a time."""
    from index.raywork import cluster_cpus, connect

    connect(address)
    import ray

    actors_n = max(1, min(len(chunks), cluster_cpus()))
    remote: Any = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(_Matcher)
    actors: list[Any] = [remote.remote(settings) for _ in range(actors_n)]
    try:
        pending: deque[Any] = deque()
        todo = iter(enumerate(chunks))
        for n, chunk in todo:
            pending.append(actors[n % actors_n].answer.remote(chunk, k, filters, below))
            if len(pending) >= 2 * actors_n:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())
    finally:
        for a in actors:
            ray.kill(a)
