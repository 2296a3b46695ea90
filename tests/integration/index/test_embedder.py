"""The embedder: hash-checked weights, the ONNX export that must agree with PyTorch, int8."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedder import MODEL_NAME, MODEL_SHA256, MiniLM, model_dir

pytestmark = pytest.mark.slow

TEXTS = ["CSTO always ready", "The organization is always ready to send a CSTO mission.",
         "Rates will be cut before inflation falls below two percent, the governor said " * 30]


def test_onnx_vectors_equal_pytorch_ones_and_a_bad_cache_is_rebuilt(tmp_path: Path) -> None:
    fast = MiniLM(runtime="onnx", cache=tmp_path)
    assert fast.runtime == "onnx" and fast.name == MODEL_NAME
    cached = tmp_path / f"{MODEL_NAME}-{MODEL_SHA256[:16]}.onnx"
    assert cached.exists()
    got = fast.encode(TEXTS * 30, batch_size=16)
    want = fast._encode_torch(TEXTS * 30)
    assert got.shape == (90, 384) and float(np.abs(got - want).max()) < 1e-5
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # A truncated cache file is exported again rather than trusted or silently dropped.
    cached.write_bytes(cached.read_bytes()[:1000])
    again = MiniLM(runtime="onnx", cache=tmp_path)
    assert again.runtime == "onnx" and cached.stat().st_size > 1_000_000
    assert float(np.abs(again.encode(TEXTS) - want[:3]).max()) < 1e-5


def test_the_tokenizer_is_the_one_sentence_transformers_uses(tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    m = MiniLM(runtime="onnx", cache=tmp_path)
    hf = AutoTokenizer.from_pretrained(str(model_dir()))
    want = hf(TEXTS, padding=True, truncation=True, max_length=m.max_length)
    got = m.tokenizer.encode_batch(TEXTS)
    assert [e.ids for e in got] == want["input_ids"]
    assert [e.attention_mask for e in got] == want["attention_mask"]


def test_int8_vectors_stay_close_to_fp32_and_a_tampered_file_is_remade(tmp_path: Path) -> None:
    fp32 = MiniLM(runtime="onnx", cache=tmp_path)
    q8 = MiniLM(runtime="onnx-int8", cache=tmp_path)
    assert q8.runtime == "onnx-int8" and q8.name == f"{MODEL_NAME}-int8"
    cos = (q8.encode(TEXTS) * fp32.encode(TEXTS)).sum(axis=1)
    assert cos.min() > 0.97
    int8 = tmp_path / f"{MODEL_NAME}-{MODEL_SHA256[:16]}-int8.onnx"
    int8.write_bytes(int8.read_bytes()[:-10] + b"0123456789")
    again = MiniLM(runtime="onnx-int8", cache=tmp_path)
    assert np.allclose(again.encode(TEXTS), q8.encode(TEXTS), atol=1e-6)


def test_pytorch_can_be_chosen(tmp_path: Path) -> None:
    m = MiniLM(runtime="torch", cache=tmp_path)
    assert m.runtime == "torch" and m.session is None
    assert m.encode(TEXTS).shape == (3, 384)
