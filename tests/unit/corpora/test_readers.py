"""Readers turn files into articles and name the file and line of bad input."""

from pathlib import Path

import pytest

from corpora.errors import ReadError
from corpora.readers import expand, read_path


def test_jsonl_error_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "fine"}\n{"text": "broken"\n')
    with pytest.raises(ReadError) as e:
        read_path(f)
    assert e.value.line == 2 and str(f) in str(e.value)


def test_jsonl_rejects_missing_text_and_unknown_fields(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"title": "no text"}\n')
    with pytest.raises(ReadError, match="'text' is required"):
        read_path(f)
    f.write_text('{"text": "x", "bogus": 1}\n')
    with pytest.raises(ReadError, match="unknown field"):
        read_path(f)


def test_invalid_utf8_is_a_read_error(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"line one\nbad \xff byte\n")
    with pytest.raises(ReadError, match="invalid UTF-8") as e:
        read_path(f)
    assert e.value.line == 2


def test_folder_expansion_and_unsupported_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha said hello.")
    (tmp_path / "b.pdf").write_text("x")
    assert [p.name for p in expand([tmp_path])] == ["a.txt"]
    with pytest.raises(ReadError, match="unsupported file type"):
        read_path(tmp_path / "b.pdf")
