"""schemathesis hooks: claims files written as JSONL and CSV, the bodies POST /v1/jobs takes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(_ctx: Any, value: Any) -> bytes:
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode()


@schemathesis.serializer("text/csv")
def claims_csv(_ctx: Any, value: Any) -> bytes:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return str(value).encode()
    columns = sorted({k for row in value for k in row})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns)
    w.writeheader()
    w.writerows(value)
    return buf.getvalue().encode()
