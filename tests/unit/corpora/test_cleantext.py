"""Text cleaning: invisible marks out, odd spaces plain, line ends Unix, offsets on the result."""

from __future__ import annotations

from corpora.cleantext import clean_text


def test_soft_hyphens_zero_width_marks_and_odd_spaces() -> None:
    assert clean_text("Yes\u00adter\u00adday") == "Yesterday"
    assert clean_text("the\u200b ferry\u2060’s\ufeff") == "the ferry’s"
    assert clean_text("said.\u00a0“A\u202ftown\u2009cut") == "said. “A town cut"
    assert clean_text("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    # Joiners shape emoji and scripts: they stay.
    assert clean_text("\U0001f469\u200d\U0001f4bb") == "\U0001f469\u200d\U0001f4bb"
    assert clean_text("e\u0301te\u0301") == "été"  # composed


def test_clean_text_is_idempotent() -> None:
    text = "Ca\u00adf\u00e9\u00a0\u201cd\u00e9j\u00e0\u201d\r\n"
    assert clean_text(clean_text(text)) == clean_text(text)
