"""How far the int8 embedder strays from fp32, on the CLEF-2021 2B fact-checked statements.

Usage: .venv/bin/python scripts/compare_int8.py ../shared/data/clef2021-2b [--limit N]

Encodes the statements (and the debate sentences, as queries) with the fp32 ONNX export and
with its int8 quantisation, and prints the cosine between each text's two vectors, the overlap
of the top 10 statements each retrieves for every query (exact search), and both speeds in the
same run. MAP@5 with each is printed by scripts/eval_matching.py under QUOTETRACE_RUNTIME=onnx
and =onnx-int8.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from corpora.clef import queries, vclaim_statements
from index.embedder import MiniLM


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("clef", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="only the first N statements")
    args = ap.parse_args()
    texts = [r["text"] for r in vclaim_statements(args.clef / "vclaims-index.jsonl")]
    if args.limit:
        texts = texts[: args.limit]
    claims = [s for _, s in queries(args.clef / "iclaims.queries")]
    out = {}
    for runtime in ("onnx", "onnx-int8"):
        m = MiniLM(runtime=runtime)  # type: ignore[arg-type]
        m.encode(texts[:64])
        t = time.perf_counter()
        vecs = m.encode(texts)
        rate = len(texts) / (time.perf_counter() - t)
        out[runtime] = (vecs, m.encode(claims), rate)
    (s32, q32, r32), (s8, q8, r8) = out["onnx"], out["onnx-int8"]
    cos = (s32 * s8).sum(axis=1)
    qcos = (q32 * q8).sum(axis=1)
    top32 = np.argsort(-(q32 @ s32.T), axis=1)[:, :10]
    top8 = np.argsort(-(q8 @ s8.T), axis=1)[:, :10]
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top32, top8, strict=True)])
    first = np.mean(top32[:, 0] == top8[:, 0])
    print(f"{len(texts)} CLEF statements, {len(claims)} debate sentences as queries")
    print(f"cosine fp32 vs int8, statements: mean {cos.mean():.4f}, min {cos.min():.4f}, "
          f"1st percentile {np.percentile(cos, 1):.4f}")
    print(f"cosine fp32 vs int8, queries:    mean {qcos.mean():.4f}, min {qcos.min():.4f}")
    print(f"top-10 overlap (exact search): {overlap:.3f}; same top 1: {first:.3f}")
    print(f"encode: fp32 {r32:.0f} statements/s, int8 {r8:.0f} statements/s "
          f"({r8 / r32:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
