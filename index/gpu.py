"""Embedding on a CUDA GPU: the device chosen at start, fp16 where it agrees with fp32, and
tokenisation in threads ahead of the model so that one tokenizer is not the cap."""

from __future__ import annotations

import copy
import logging
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np

from corpora.errors import StateError
from index.embedder import (
    PROBES,
    Runtime,
    load_tokenizer,
    max_seq_length,
    model_dir,
    model_name,
    verify_weights,
)

log = logging.getLogger("quotetrace.index")

Device = Literal["auto", "cpu", "cuda"]
# fp16 is used on a GPU only when every probe's fp16 vector keeps this cosine with its fp32
# vector: the vectors then stand for the fp32 model's (same name in the store).
FP16_MIN_COSINE = 0.9999
# Enough probes of varied length that the agreement check sees short and long inputs.
AGREEMENT_PROBES = [*PROBES,
                    "We will not raise taxes this year, the finance minister told reporters.",
                    "“The bridge reopens in spring,” the mayor said, “and the ferry keeps "
                    "running until then, whatever the weather does in the meantime.”",
                    "No.", "Seventy percent of the reservoirs are full, up from fifty."]


def cuda_available() -> bool:
    """Whether PyTorch sees a CUDA device. Without NVIDIA's driver on the machine, PyTorch
    is not imported at all: serving from the ONNX cache keeps it out of memory."""
    if not (Path("/proc/driver/nvidia").exists() or Path("/dev/nvidia0").exists()
            or Path("/dev/nvidiactl").exists()):
        return False
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return False
    return bool(torch.cuda.is_available())


def pick_device(wanted: Device, runtime: Runtime, available: bool | None = None
                ) -> Literal["cpu", "cuda"]:
    """The device that embeds: `auto` takes CUDA when PyTorch sees it and the runtime's
    vectors are fp32 ones (`onnx`, `torch`); int8 vectors are made on the CPU only, since a
    store keeps one kind of vector and its queries must be embedded the same way.
    """
    has_cuda = cuda_available() if available is None else available
    if wanted == "cpu":
        return "cpu"
    if wanted == "cuda":
        if not has_cuda:
            raise StateError("QUOTETRACE_DEVICE is cuda, but PyTorch sees no CUDA device")
        if runtime == "onnx-int8":
            raise StateError("int8 vectors are made on the CPU only: set QUOTETRACE_RUNTIME="
                             "onnx to embed fp32 vectors on the GPU")
        return "cuda"
    if wanted != "auto":
        raise StateError(f"unknown device {wanted!r}: one of auto, cpu, cuda")
    if has_cuda and runtime == "onnx-int8":
        log.warning("a CUDA device is present, but the store's vectors are int8 ones, made on "
                    "the CPU; set QUOTETRACE_RUNTIME=onnx (fp32 vectors) to embed on the GPU")
    return "cuda" if has_cuda and runtime != "onnx-int8" else "cpu"


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """The least cosine between matching rows of two sets of L2-normalised vectors."""
    return float((a.astype(np.float64) * b.astype(np.float64)).sum(axis=1).min())


class TorchEncoder:
    """all-MiniLM-L6-v2 in PyTorch on `device`, fed by tokenizer threads.

    Texts are sorted by length and cut into batches; `tokenizer_threads` threads tokenise the
    next batches (the Rust tokenizer lets go of the GIL) while the device runs this one. On
    CUDA the weights run in fp16 when each probe's vector keeps FP16_MIN_COSINE with fp32
    (`half=None`); `precision` and `fp16_cosine` say what was measured. The vectors are the
    fp32 model's (mean pooling, L2 normalisation), so `name` is the fp32 model's.
    """

    dim = 384

    def __init__(self, device: str = "cuda", path: Path | None = None,
                 half: bool | None = None, tokenizer_threads: int | None = None,
                 batch_size: int | None = None) -> None:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.path = path or model_dir()
        verify_weights(self.path)
        self.device = torch.device(device)
        self.name = model_name("onnx")
        self.batch_size = batch_size or (512 if self.device.type == "cuda" else 64)
        self.tokenizer_threads = tokenizer_threads or max(2, min(8, os.cpu_count() or 2))
        # MiniLM's truncation; each batch is padded here, to its own longest text
        self.tokenizer = load_tokenizer(self.path, max_seq_length(self.path), pad=False)
        hf_logging.disable_progress_bar()
        self.model: Any = AutoModel.from_pretrained(str(self.path), local_files_only=True)
        self.model.eval().to(self.device)
        self.precision: Literal["fp32", "fp16"] = "fp32"
        self.fp16_cosine: float | None = None
        if half is None:
            half = self.device.type == "cuda"
        if half:
            fp32_model = self.model
            fp32 = self.encode(AGREEMENT_PROBES)
            # A copy: fp16 weights cast back to fp32 are not the fp32 weights any more.
            self.model = copy.deepcopy(fp32_model).half()
            self.fp16_cosine = agreement(fp32, self.encode(AGREEMENT_PROBES))
            if self.fp16_cosine >= FP16_MIN_COSINE:
                self.precision = "fp16"
                del fp32_model
            else:
                log.warning("fp16 vectors stray from fp32 (cosine %.6f < %.4f): running fp32",
                            self.fp16_cosine, FP16_MIN_COSINE)
                self.model = fp32_model
        log.info("embedding on %s in %s (fp16 cosine with fp32: %s)", self.device,
                 self.precision, "n/a" if self.fp16_cosine is None else
                 f"{self.fp16_cosine:.6f}")

    def tokenise(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask, padded to the longest text of `texts`."""
        enc = self.tokenizer.encode_batch(list(texts))
        width = max((len(e.ids) for e in enc), default=1)
        ids = np.zeros((len(enc), width), dtype=np.int64)
        mask = np.zeros((len(enc), width), dtype=np.int64)
        for row, e in enumerate(enc):
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = 1
        return ids, mask

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            t_ids = torch.from_numpy(ids)
            t_mask = torch.from_numpy(mask)
            if self.device.type == "cuda":
                t_ids = t_ids.pin_memory().to(self.device, non_blocking=True)
                t_mask = t_mask.pin_memory().to(self.device, non_blocking=True)
            out = self.model(input_ids=t_ids, attention_mask=t_mask,
                             token_type_ids=torch.zeros_like(t_ids)).last_hidden_state
            m = t_mask.unsqueeze(-1).to(out.dtype)
            mean = (out * m).sum(1).float() / m.sum(1).float().clamp(min=1e-9)
            vecs = torch.nn.functional.normalize(mean, dim=1)
            return np.ascontiguousarray(vecs.cpu().numpy(), dtype=np.float32)

    def batches(self, texts: Sequence[str], batch_size: int, threads: int | None = None
                ) -> Iterator[tuple[list[int], np.ndarray, np.ndarray]]:
        """(positions, ids, mask) of each batch in length order, tokenised in `threads`
        threads (the encoder's own by default) up to two batches a thread ahead of the one
        the caller is working on."""
        threads = threads or self.tokenizer_threads
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        cuts = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        ahead = 2 * threads
        with ThreadPoolExecutor(threads, thread_name_prefix="quotetrace-tokenise") as pool:
            queued: deque[tuple[list[int], Future[tuple[np.ndarray, np.ndarray]]]] = deque()
            todo = iter(cuts)
            for idx in todo:
                queued.append((idx, pool.submit(self.tokenise, [texts[j] for j in idx])))
                if len(queued) >= ahead:
                    break
            while queued:
                idx, fut = queued.popleft()
                nxt = next(todo, None)
                if nxt is not None:
                    queued.append((nxt, pool.submit(self.tokenise, [texts[j] for j in nxt])))
                ids, mask = fut.result()
                yield idx, ids, mask

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, ids, mask in self.batches(texts, batch_size or self.batch_size):
            out[idx] = self._forward(ids, mask)
        return out

    def tokenise_rate(self, texts: Sequence[str], threads: int) -> float:
        """Texts tokenised a second with `threads` threads (the batching `encode` uses)."""
        t = time.perf_counter()
        for _ in self.batches(texts, self.batch_size, threads):
            pass
        return len(texts) / (time.perf_counter() - t)
