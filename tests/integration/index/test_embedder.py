"""The embedder: hash-checked weights, and the ONNX export that must agree with PyTorch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedder import MODEL_NAME, MODEL_SHA256, MiniLM

pytestmark = pytest.mark.slow

TEXTS = ["CSTO always ready", "The organization is always ready to send a CSTO mission.",
         "Rates will be cut before inflation falls below two percent, the governor said " * 3]


def test_onnx_vectors_equal_pytorch_ones_and_a_bad_cache_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTETRACE_MODEL_CACHE", str(tmp_path))
    fast = MiniLM()
    assert fast.runtime == "onnx"
    cached = tmp_path / f"{MODEL_NAME}-{MODEL_SHA256[:16]}.onnx"
    assert cached.exists()
    got = fast.encode(TEXTS * 30, batch_size=16)
    want = fast._encode_torch(TEXTS * 30)
    assert got.shape == (90, 384) and float(np.abs(got - want).max()) < 1e-5
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # A truncated cache file is exported again rather than trusted or silently dropped.
    cached.write_bytes(cached.read_bytes()[:1000])
    again = MiniLM()
    assert again.runtime == "onnx" and cached.stat().st_size > 1_000_000
    assert float(np.abs(again.encode(TEXTS) - want[:3]).max()) < 1e-5


def test_pytorch_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTETRACE_RUNTIME", "torch")
    m = MiniLM()
    assert m.runtime == "torch" and m.session is None
    assert m.encode(TEXTS).shape == (3, 384)
