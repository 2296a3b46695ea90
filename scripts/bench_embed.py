"""Embedding throughput end to end (tokenise, encode, store) on the device found, against
naive sentence-transformers `encode` on the same texts in the same run.

Usage: .venv/bin/python scripts/bench_embed.py [--n N] [--device auto|cpu|cuda]
       [--database-url postgresql+psycopg://...] [--ray-writers N] [--batch B]

Makes N invented statements (10 to 60 words), then prints, each in statements/s:
- naive: sentence-transformers' `encode` with its default batch of 32, and with --batch;
- the tokenizer alone, on one thread and on the encoder's threads;
- quotetrace's encoder (`index.gpu.TorchEncoder`: texts sorted by length, tokenised in threads
  ahead of the model, fp16 on CUDA where it agrees with fp32), and the least cosine between
  its vectors and the naive ones;
- end to end: `Library.import_statements` (what `quotetrace import` does: embedding, registry
  linking and the write, in batches with the next batch embedded while one is written) into a
  new store, SQLite in a temporary folder unless --database-url names a PostgreSQL database
  (a schema is made there for the run and dropped after);
- the store alone: the same import with the vectors already computed, the ceiling the store
  puts on any encoder; on PostgreSQL, also with multi-row INSERTs instead of COPY, and with
  --ray-writers N, written by N Ray actors at once (as `import --ray` writes into PostgreSQL).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from corpora.types import StatementIn
from index.embedder import model_dir, model_name
from index.gpu import TorchEncoder, agreement, pick_device
from index.service import Library
from index.store import Store, sqlite_url

VOCABULARY = ("the minister said budget harbour ferry reservoir bridge tariff clinic grain rail "
         "school flood library works stage plan will not rise fall percent year council "
         "mayor reporters Monday spring summer levels water fares repairs opens closes")
PEOPLE = ["Alma Reyes", "Bruno Falk", "Chiara Moss", "Dmitri Vale", "Edda Strom", "Farid Noor"]


def statements(n: int) -> list[StatementIn]:
    rng = random.Random(5)
    vocabulary = VOCABULARY.split()
    out = []
    for i in range(n):
        words = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 60)))
        out.append(StatementIn(id=f"bench-{i}", text=f"{words.capitalize()}, case {i}.",
                               speaker=PEOPLE[i % len(PEOPLE)], outlet=f"Outlet {i % 9}",
                               date="2024-05-16"))
    return out


class Known:
    """An embedder that looks up vectors computed before: the store alone is timed."""

    dim = 384

    def __init__(self, name: str, texts: list[str], vecs: np.ndarray) -> None:
        self.name = name
        self.rows = {t: i for i, t in enumerate(texts)}
        self.vecs = vecs

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.vecs[[self.rows[t] for t in texts]]


@contextmanager
def fresh_store(url: str | None) -> Iterator[tuple[str, Path]]:
    """A new store's URL and data folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        if url is None:
            yield sqlite_url(Path(tmp)), Path(tmp)
            return
        from sqlalchemy import create_engine

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in url else "?"
        try:
            yield f"{url}{sep}options=-csearch_path%3D{schema}", Path(tmp)
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            admin.dispose()


def import_rate(url: str | None, embedder: object, records: list[StatementIn],
                ray_writers: int = 0) -> float:
    with fresh_store(url) as (store_url, data):
        store = Store(store_url)
        library = Library(store, embedder, data)  # type: ignore[arg-type]
        writers = None
        if ray_writers:
            from index.raywork import RayWriters, connect

            connect("local")
            writers = RayWriters(store_url, actors=ray_writers)
        t = time.perf_counter()
        got = library.import_statements(records, index=False, writers=writers)
        rate = len(records) / (time.perf_counter() - t)
        assert len(set(got.statement_ids)) == len(records), "every statement stored once"
        if writers is not None:
            writers.close()
        store.close()
        return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, help="statements (default 200,000 on CUDA, 3,000 on a CPU)")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--batch", type=int, help="quotetrace's batch (default 512 CUDA, 64 CPU)")
    ap.add_argument("--threads", type=int, help="tokenizer threads (default: cores, 2 to 8)")
    ap.add_argument("--database-url", help="a PostgreSQL database to store into (a schema is "
                                           "made for the run); default SQLite")
    ap.add_argument("--ray-writers", type=int, default=0,
                    help="with --database-url: also time the store alone written by this many "
                         "Ray actors on a local cluster (as `import --ray` does)")
    ap.add_argument("--store-only", action="store_true",
                    help="time the store alone, with random unit vectors (no model loaded)")
    args = ap.parse_args(argv)
    device = pick_device(args.device, "onnx")
    n = args.n or (200_000 if device == "cuda" or args.store_only else 3_000)
    records = statements(n)
    texts = [r.text for r in records]
    rates: dict[str, float] = {}
    if args.store_only:
        print(f"bench_embed: {n:,} statements, the store alone")
        vecs = np.random.default_rng(0).standard_normal((n, 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        rates.update(store_rates(args, Known(model_name("onnx"), texts, vecs), records))
        base = next(iter(rates.values()))
        unit = "x first"
    else:
        ours, mine, naive = encoder_rates(args, device, texts, rates)
        rates["quotetrace end to end: tokenise, encode, store "
              f"({'PostgreSQL' if args.database_url else 'SQLite'})"] = import_rate(
            args.database_url, ours, records)
        rates.update(store_rates(args, Known(ours.name, texts, mine), records))
        fp16 = "n/a (fp32)" if ours.fp16_cosine is None else f"{ours.fp16_cosine:.6f}"
        print(f"precision: {ours.precision}; fp16 against fp32 on the probes, least cosine: "
              f"{fp16}")
        print(f"quotetrace vectors against naive fp32 ones, least cosine over {n:,}: "
              f"{agreement(mine, naive):.6f}")
        base = rates["naive sentence-transformers encode, batch 32"]
        unit = "x naive"
    print(f"{'':64} {'statements/s':>13} {unit:>8}")
    for label, r in rates.items():
        print(f"{label:64} {r:13,.0f} {r / base:8.2f}")
    return 0


def encoder_rates(args: argparse.Namespace, device: str, texts: list[str],
                  rates: dict[str, float]) -> tuple[TorchEncoder, np.ndarray, np.ndarray]:
    """Naive sentence-transformers, the tokenizer and quotetrace's encoder, timed into
    `rates`; the encoder, its vectors and the naive ones."""
    import torch
    from sentence_transformers import SentenceTransformer

    n = len(texts)
    name = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    print(f"bench_embed: {n:,} statements, device {device} ({name}), torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads")

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    ours = TorchEncoder(device, batch_size=args.batch, tokenizer_threads=args.threads)
    naive_model = SentenceTransformer(str(model_dir()), device=device, local_files_only=True)
    naive_model.encode(texts[:256])  # warm-up: kernels chosen, memory allocated
    ours.encode(texts[:256])
    naive = np.zeros(0)
    for label, bs in (("naive sentence-transformers encode, batch 32", 32),
                      (f"naive sentence-transformers encode, batch {ours.batch_size}",
                       ours.batch_size)):
        sync()
        t = time.perf_counter()
        vecs = naive_model.encode(texts, batch_size=bs, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
        sync()
        rates[label] = n / (time.perf_counter() - t)
        if bs == 32:
            naive = np.asarray(vecs, dtype=np.float32)
    del naive_model
    rates["tokenizer alone, 1 thread"] = ours.tokenise_rate(texts, 1)
    rates[f"tokenizer alone, {ours.tokenizer_threads} threads"] = ours.tokenise_rate(
        texts, ours.tokenizer_threads)
    sync()
    t = time.perf_counter()
    mine = ours.encode(texts)
    sync()
    rates[f"quotetrace encoder ({ours.precision}), encode only"] = n / (time.perf_counter() - t)
    return ours, mine, naive


def store_rates(args: argparse.Namespace, known: Known, records: list[StatementIn]
                ) -> dict[str, float]:
    """The store alone, with the vectors made before: as `import` writes, then on
    PostgreSQL with INSERTs instead of COPY, and with --ray-writers Ray actors."""
    rates = {"the store alone (vectors computed before)": import_rate(
        args.database_url, known, records)}
    if args.database_url:
        from index import bulk

        keep, bulk.COPY_MIN_ROWS = bulk.COPY_MIN_ROWS, 1 << 62
        try:
            rates["the store alone, INSERT instead of COPY"] = import_rate(
                args.database_url, known, records)
        finally:
            bulk.COPY_MIN_ROWS = keep
        if args.ray_writers:
            rates[f"the store alone, {args.ray_writers} Ray writing actors"] = import_rate(
                args.database_url, known, records, args.ray_writers)
    return rates


if __name__ == "__main__":
    sys.exit(main())
