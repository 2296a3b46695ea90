"""Settings: one struct built from the environment once and passed to the app and the CLI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import msgspec

from index.embedder import Runtime
from index.gpu import Device


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything configurable, with the environment variable that sets it."""

    data_dir: Path = Path("data")  # QUOTETRACE_DATA_DIR
    database_url: str | None = None  # QUOTETRACE_DATABASE_URL (default: SQLite in data_dir)
    # QUOTETRACE_INDEX_DIR: where the published indexes live (default data_dir/index); API
    # replicas on several machines serving one PostgreSQL store share one such folder
    index_dir: Path | None = None
    db_wait: float = 30.0  # QUOTETRACE_DB_WAIT: seconds a request waits on a locked SQLite file
    host: str = "127.0.0.1"  # QUOTETRACE_HOST
    port: int = 8000  # QUOTETRACE_PORT
    max_k: int = 50  # QUOTETRACE_MAX_K
    max_claim_chars: int = 2000  # QUOTETRACE_MAX_CLAIM_CHARS
    max_batch: int = 256  # QUOTETRACE_MAX_BATCH
    max_body_bytes: int = 2_000_000  # QUOTETRACE_MAX_BODY_BYTES
    log_level: str = "INFO"  # QUOTETRACE_LOG_LEVEL
    api_keys: str = ""  # QUOTETRACE_API_KEYS: "key:scope,key:scope" (scopes read, write)
    cors_origins: str = ""  # QUOTETRACE_CORS_ORIGINS: exact origins, comma-separated
    redis_url: str | None = None  # QUOTETRACE_REDIS_URL: shared rate limits across workers
    rate_limit: int = 600  # QUOTETRACE_RATE_LIMIT: requests per key per window
    rate_window: int = 60  # QUOTETRACE_RATE_WINDOW: window length in seconds
    workers: int = 1  # QUOTETRACE_WORKERS
    max_upload_bytes: int = 64_000_000  # QUOTETRACE_MAX_UPLOAD_BYTES: a job's claims file
    max_job_claims: int = 100_000  # QUOTETRACE_MAX_JOB_CLAIMS
    job_lease: float = 30.0  # QUOTETRACE_JOB_LEASE: seconds before a dead worker's job moves
    # QUOTETRACE_REFRESH_INTERVAL: seconds between a serving process's index refreshes
    refresh_interval: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    job_worker: bool = True  # QUOTETRACE_JOB_WORKER: `serve` runs a job worker in-process
    runtime: Runtime = "onnx-int8"  # QUOTETRACE_RUNTIME: onnx-int8, onnx (fp32) or torch
    model_cache: Path | None = None  # QUOTETRACE_MODEL_CACHE (default ~/.cache/quotetrace)
    # QUOTETRACE_DEVICE: auto (a CUDA GPU when PyTorch sees one and the runtime's vectors are
    # fp32 ones), cpu or cuda
    device: Device = "auto"

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from QUOTETRACE_* variables, then explicit overrides (CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in cls.__struct_fields__:
            raw = env.get(f"QUOTETRACE_{field.upper()}")
            if raw not in (None, ""):
                values[field] = raw
        values.update({k: str(v) if isinstance(v, Path) else v
                       for k, v in overrides.items() if v is not None})
        return msgspec.convert(values, cls, strict=False, dec_hook=_dec_hook)

    @property
    def indexes(self) -> Path:
        """The folder of the published indexes."""
        return self.index_dir or self.data_dir / "index"

    @property
    def store_url(self) -> str:
        from index.store import sqlite_url

        return self.database_url or sqlite_url(self.data_dir)


def _dec_hook(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"cannot convert {value!r} to {kind}")
