"""Alignment, claim parsing and verdict rules."""

from index.align import align
from index.claims import parse_claim, same_speaker
from index.matcher import Thresholds, content_words, text_verdict

STATEMENT = "The ball is in Yerevan’s court. We are always ready to talk."


def verdict(claim: str, statement: str, score: float = 0.9) -> str:
    return text_verdict(align(claim, statement), score, content_words(claim), Thresholds())


def test_verbatim_ignores_case_quotes_and_punctuation() -> None:
    assert verdict("the ball is in Yerevan's court", STATEMENT) == "verbatim"


def test_short_quote_is_a_fragment_and_is_highlighted() -> None:
    a = align("always ready", STATEMENT)
    assert verdict("always ready", STATEMENT) == "fragment"
    assert [STATEMENT[s:e] for s, e in a.highlight] == ["always ready"]


def test_negated_claim_is_never_verbatim_or_fragment() -> None:
    assert verdict("we are never ready to talk", STATEMENT) not in {"verbatim", "fragment"}
    assert verdict("the ball is not in Yerevan's court", STATEMENT) not in {"verbatim",
                                                                           "fragment"}


def test_low_score_without_shared_words_is_no_match() -> None:
    assert verdict("sanctions against a distant country", STATEMENT, score=0.2) == "no_match"


def test_parse_claim_speaker_forms() -> None:
    p = parse_claim("Lavrov said the CSTO is ready")
    assert (p.text, p.speaker) == ("the CSTO is ready", "Lavrov")
    p = parse_claim("Varga: no rationing this summer")
    assert (p.text, p.speaker) == ("no rationing this summer", "Varga")
    assert parse_claim("“No rationing,” Elena Varga said.").speaker == "Elena Varga"
    assert parse_claim("Water is scarce").speaker is None
    assert parse_claim("The ministry said it is fine").speaker is None


def test_same_speaker_by_surname() -> None:
    assert same_speaker("Varga", "Elena Varga")
    assert not same_speaker("Brenner", "Elena Varga")
    assert not same_speaker("Varga", None)


def test_a_dated_or_contextual_claim_needs_relevance_for_a_match_by_score() -> None:
    a = align("talks about the court in the capital", STATEMENT)
    t = Thresholds()
    n = content_words("talks about the court in the capital")
    assert text_verdict(a, 0.9, n, t, relevance=0.0) == "paraphrase"
    assert text_verdict(a, 0.9, n, t, relevance=0.0, informed=True) == "no_match"
    assert text_verdict(a, 0.9, n, t, relevance=t.score_floor, informed=True) == "paraphrase"
    assert text_verdict(a, 0.1, n, t, relevance=t.relevance, informed=True) == "paraphrase"


def test_a_dated_misquote_is_altered_whatever_its_relevance() -> None:
    claim = "we are never ready to talk"
    a = align(claim, STATEMENT)
    assert a.change_kinds
    t = Thresholds()
    n = content_words(claim)
    # A misquote is often dated long after the words it changes, which the ranker weighs
    # against it: the changed words alone make the verdict.
    assert text_verdict(a, 0.9, n, t, relevance=0.0, informed=True) == "altered"
    assert text_verdict(a, 0.9, n, t, relevance=0.0) == "altered"
