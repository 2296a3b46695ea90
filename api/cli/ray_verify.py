"""Claims answered on Ray: `verify --ray` and `worker --ray` send chunks of claims to Ray
actors that each load the library (the model and the published indexes), and take their
answers back in order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from api.settings import Settings
from corpora.types import ClaimIn
from index.matcher import Filters
from index.worker import Answer


class _Matcher:
    """One Ray actor's library (defined as a Ray actor class in `RayMatchers`)."""

    def __init__(self, settings: Settings) -> None:
        from api.app import build_library

        self.library = build_library(settings)

    def answer(self, claims: list[ClaimIn], k: int, filters: Filters,
               below: bool) -> list[tuple[bytes, str]]:
        """verify's (record line, verdict) pairs."""
        from api.cli.query import answer_chunk

        return answer_chunk(self.library, claims, k, filters, below)

    def answer_job(self, claims: list[ClaimIn], k: int, filters: Filters,
                   below: bool) -> list[Answer]:
        """A job's answers: each claim's encoded result, or why the matcher refused it."""
        from index.worker import answer_claims

        return answer_claims(self.library, claims, k, filters, below)


class RayMatchers:
    """Ray actors, one per CPU of the cluster (or `actors`), that answer chunks of claims.

    An actor that dies is restarted and the chunk it held sent again: answers are pure
    functions of the claim and the indexes, so a chunk answered twice gives the same answer
    and the caller writes it once.
    """

    def __init__(self, address: str, settings: Settings, actors: int | None = None) -> None:
        from index.raywork import cluster_cpus, connect, start_actors

        connect(address)
        self._actors = start_actors(_Matcher, actors or cluster_cpus(), settings, num_cpus=1)
        self.count = len(self._actors)

    def map(self, method: str, chunks: Sequence[list[ClaimIn]], k: int, filters: Filters,
            below: bool) -> Iterator[Any]:
        """Each chunk's answers from `method`, in order; two chunks per actor in flight."""
        from index.raywork import in_order

        return in_order(self._actors, method, chunks, k, filters, below)

    def answer_jobs(self, chunks: list[list[ClaimIn]], k: int, filters: Filters,
                    below: bool) -> list[list[Answer]]:
        """A job batch's chunks answered on the actors (the job worker's `spread`)."""
        return list(self.map("answer_job", chunks, k, filters, below))

    def close(self) -> None:
        from index.raywork import kill_actors

        kill_actors(self._actors)


def answers(address: str, settings: Settings, chunks: Sequence[list[ClaimIn]], k: int,
            filters: Filters, below: bool) -> Iterator[list[tuple[bytes, str]]]:
    """verify's (record line, verdict) pairs of each chunk, in order, answered on the
    cluster."""
    from index.raywork import cluster_cpus, connect

    connect(address)
    matchers = RayMatchers(address, settings, max(1, min(len(chunks), cluster_cpus())))
    try:
        yield from matchers.map("answer", chunks, k, filters, below)
    finally:
        matchers.close()
