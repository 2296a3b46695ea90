"""The GPU path: which device embeds, the fp16 check, and the threaded tokenizer feeding the
model. No GPU is here: the encoder runs on the CPU, and CUDA's presence is given to the
device choice; on a GPU machine `scripts/bench_embed.py` measures the CUDA run itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from api.settings import Settings
from corpora.errors import StateError
from index import gpu
from index.embedder import MODEL_NAME, MiniLM
from index.gpu import TorchEncoder, agreement, pick_device

pytestmark = pytest.mark.slow

# Lengths from one token to past the 256-token truncation, so batches differ in width.
TEXTS = ["", "No.", "CSTO always ready",
         "The organization is always ready to send a CSTO mission, its representative said.",
         "We will not raise taxes this year, the finance minister told reporters on Monday.",
         "Rates will be cut before inflation falls below two percent, the governor said " * 30]


@pytest.mark.parametrize(("wanted", "runtime", "cuda", "got"), [
    ("auto", "onnx", True, "cuda"),
    ("auto", "torch", True, "cuda"),
    ("auto", "onnx", False, "cpu"),
    ("auto", "onnx-int8", True, "cpu"),  # int8 vectors: the store's queries are made on a CPU
    ("cpu", "onnx", True, "cpu"),
    ("cuda", "onnx", True, "cuda"),
])
def test_the_device_is_chosen_by_what_is_there(wanted: gpu.Device, runtime: gpu.Runtime,
                                               cuda: bool, got: str) -> None:
    assert pick_device(wanted, runtime, available=cuda) == got


def test_asking_for_cuda_without_it_or_for_int8_on_it_is_a_clear_error() -> None:
    with pytest.raises(StateError, match="sees no CUDA device"):
        pick_device("cuda", "onnx", available=False)
    with pytest.raises(StateError, match="QUOTETRACE_RUNTIME=onnx"):
        pick_device("cuda", "onnx-int8", available=True)


def test_this_machine_has_no_cuda_so_auto_embeds_on_the_cpu() -> None:
    # What the fallback rests on here: no driver, so torch is not even asked.
    assert gpu.cuda_available() is False
    assert pick_device("auto", "onnx") == "cpu"
    assert Settings.from_env({}).device == "auto"
    assert Settings.from_env({"QUOTETRACE_DEVICE": "cuda"}).device == "cuda"


def test_cli_with_device_cuda_on_a_cpu_machine_says_so(tmp_path: Path) -> None:
    bin_ = Path(sys.executable).parent / "quotetrace"
    got = subprocess.run([str(bin_), "--data-dir", str(tmp_path), "match", "anything"],
                         env={"QUOTETRACE_DEVICE": "cuda", "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=300)
    assert got.returncode != 0
    assert "sees no CUDA device" in got.stderr and "Traceback" not in got.stderr


@pytest.fixture(scope="module")
def encoder() -> TorchEncoder:
    return TorchEncoder("cpu", tokenizer_threads=3, batch_size=2)


def test_vectors_equal_sentence_transformers_ones_in_input_order(encoder: TorchEncoder) -> None:
    texts = TEXTS * 5  # 15 batches of 2, tokenised by 3 threads ahead of the model
    got = encoder.encode(texts)
    want = MiniLM(runtime="torch").encode(texts)
    assert got.shape == (30, 384)
    assert float(np.abs(got - want).max()) < 1e-5
    assert encoder.name == MODEL_NAME and encoder.precision == "fp32"
    assert encoder.encode([]).shape == (0, 384)


def test_fp16_is_kept_only_where_it_agrees_with_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    half = TorchEncoder("cpu", half=True)
    assert half.fp16_cosine is not None and half.fp16_cosine >= gpu.FP16_MIN_COSINE
    assert half.precision == "fp16"
    fp32 = MiniLM(runtime="torch").encode(TEXTS)
    assert agreement(half.encode(TEXTS), fp32) >= 0.999
    # A bound fp16 cannot meet: the encoder goes back to fp32 and its vectors are fp32's.
    monkeypatch.setattr(gpu, "FP16_MIN_COSINE", 1.0001)
    strict = TorchEncoder("cpu", half=True)
    assert strict.precision == "fp32" and strict.fp16_cosine is not None
    assert float(np.abs(strict.encode(TEXTS) - fp32).max()) < 1e-5


def test_tokeniser_threads_give_each_batch_its_own_width(encoder: TorchEncoder) -> None:
    widths = [ids.shape[1] for _, ids, _ in encoder.batches(TEXTS, 2)]
    assert widths == sorted(widths) and widths[0] < widths[-1] == 256
    seen = sorted(i for idx, _, _ in encoder.batches(TEXTS * 3, 4) for i in idx)
    assert seen == list(range(18))
    assert encoder.tokenise_rate(TEXTS * 20, threads=2) > 0


def test_bench_embed_prints_every_figure_on_the_device_it_finds() -> None:
    from tests.conftest import ROOT

    got = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_embed.py"), "--n", "40"],
                         capture_output=True, text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-2000:]
    out = got.stdout
    assert "device cpu" in out
    for label in ("naive sentence-transformers encode, batch 32", "tokenizer alone, 1 thread",
                  "quotetrace encoder (fp32), encode only", "end to end: tokenise, encode, store",
                  "the store alone"):
        assert label in out, label
    assert "least cosine over 40: 1.000000" in out
