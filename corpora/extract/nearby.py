"""Who speaks where the cue's own clause does not say: a speaker named around a cue the parser
left without a subject, the sentence before a quotation, and a short frame after one."""

from __future__ import annotations

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.frames import np_head, subject
from corpora.extract.spans import sentence_stops
from corpora.quotes import Quote


def nearby_speaker(art: ParsedArticle, v: Token) -> Token | None:
    """The speaker of a quotation whose cue verb the parser left without a subject:
    `by saying “…”`, `“…,” Ramos, 58, told AFP`, `her adviser, Jake Sullivan, said: “…”`.
    """
    if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.i != v.head.i:
        found = subject(art, v.head.head)
        if found is not None:
            return found
    start, end = art.sent_bounds[v.i]
    if v.i == start and v.tag_ == "VBG" and start > 0:
        # `Maher stated that the report “wasn't good.” Adding, “…”`: the sentence before's.
        found = previous_subject(art, art.sent_bounds[start - 1], quoted=True)
        if found is not None:
            return found
    if v.i > start + 1 and art.token_quote[v.i - 1] < 0 and _unknown_name(art.doc[v.i - 1]):
        return art.doc[v.i - 1]  # `And Skelly called Braynard “…”`: a name tagged an adverb
    if (v.i > start and art.token_quote[v.i - 1] >= 0) or (
            v.i > start + 1 and art.doc[v.i - 1].is_punct
            and art.token_quote[v.i - 2] >= 0):
        # `“…,” said Skelly, explaining …`: an inverted frame names the speaker after it.
        for t in art.doc[v.i + 1:min(end, v.i + 8)]:
            if t.is_punct or t.ent_type_ in {"DATE", "TIME"} or t.pos_ == "ADP":
                break
            if t.pos_ in {"PROPN", "NOUN"} or t.ent_type_ == "PERSON" or (
                    t.is_title and not t.is_stop):
                return np_head(t)  # `Skelly` may be tagged as an adverb; `said the woman`
    frame = [t for t in art.doc[start:v.i] if t.i not in art.quote_tokens]
    # Right after a quotation: a person's name between it and the verb, else the first name
    # (or pronoun) there.
    first_quote = next((i for i in range(start, v.i) if art.token_quote[i] >= 0
                        and not art.owned_title(art.token_quote[i])), None)
    if first_quote is None and start > 0 and art.token_quote[start - 1] >= 0:
        first_quote = start - 1  # `“Why wait?” the 43-year-old asked`: split after the `?`
    after_quote = [t for t in frame if first_quote is not None and t.i > first_quote]
    person = next((t for t in after_quote if t.ent_type_ == "PERSON"), None)
    if person is not None:
        # `“…” the presumptive GOP nominee, Donald Trump, tweeted`: the person, not the party
        return np_head(person)
    for t in after_quote:
        if t.pos_ == "PROPN":
            return np_head(t)
        if t.lower_ in lexicon.PRONOUNS_PERSON:
            return t
    aside = 0
    for t in reversed(frame):
        aside += (t.text == ")") - (t.text == "(")
        if aside <= 0 and (t.pos_ == "PROPN" or t.ent_type_ == "PERSON") and t.ent_type_ not in {
                "ORG", "GPE", "NORP", "DATE", "LOC"}:
            return np_head(t)  # `Paul Ryan (R-WI) said`: the name, not the party and state
    if after_quote and after_quote[-1].i == v.i - 1 and after_quote[-1].pos_ in {"NOUN", "ADJ"} \
            and after_quote[0].pos_ == "DET":
        return after_quote[-1]  # `“…,” the editorial read`: a described speaker
    return _described_before(art, v, after_quote or frame)


def _unknown_name(tok: Token) -> bool:
    """A capitalized word inside a sentence that the tagger took for an adverb or adjective,
    right before a cue: a name it did not know (`And Skelly called …`)."""
    return tok.is_title and not tok.is_stop and tok.pos_ in {"ADV", "ADJ"} and \
        not tok.ent_type_ and tok.is_alpha


def _described_before(art: ParsedArticle, v: Token, frame: list[Token]) -> Token | None:
    """A described speaker whose relative clause runs up to the cue: `“…,” an intelligence
    source, who was not authorized to speak, told Fox News`, `a White House official who
    spoke anonymously said …`."""
    last = art.doc[v.i - 2] if v.i > 1 and art.doc[v.i - 1].is_punct else art.doc[v.i - 1]
    if not frame or frame[-1].i < last.i:
        return None
    clause = next((a for a in [last, *last.ancestors] if a.dep_ == "relcl"), None)
    if clause is None or clause.i > v.i:
        return None
    noun = clause.head
    if noun.pos_ != "NOUN" or noun.i in art.quote_tokens or noun.i < frame[0].i:
        return None
    return noun


def previous_sentence(art: ParsedArticle, q: Quote) -> tuple[int, int] | None:
    """Token bounds of the sentence just before a quotation, in its paragraph or at the
    end of the previous one."""
    tok = art.token_at(q.start)
    if tok is None:
        return None
    start, _ = art.sent_bounds[tok.i]
    if start == 0:
        return None
    prev_start, prev_end = art.sent_bounds[start - 1]
    if art.para_of(art.doc[prev_start].idx) < art.para_of(q.start) - 1:
        return None
    return prev_start, prev_end


def previous_subject(art: ParsedArticle, bounds: tuple[int, int], quoted: bool = False
                     ) -> Token | None:
    """The named subject of a sentence with no quotation (`Bystrom agreed.`); with `quoted`,
    of a sentence whose main verb is outside its quotations (`Maher stated that it “…”`)."""
    sent = art.doc[bounds[0]:bounds[1]]
    if not quoted and any(art.token_quote[t.i] >= 0 for t in sent):
        return None
    root = next((t for t in sent if t.dep_ == "ROOT"), None)
    if root is None or root.i in art.quote_tokens:
        return None
    subj = subject(art, root)
    if subj is None or subj.lower_ in lexicon.NOT_SPEAKERS:
        return None
    if subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON" or \
            subj.lower_ in lexicon.PRONOUNS_PERSON:
        return subj
    return None


def frame_after(art: ParsedArticle, q: Quote) -> tuple[Token, Token] | None:
    """The verb and speaker of a short frame after a quote, with no other quote in it:
    after a comma whatever its verb (`“…,” Hannity started.` / `“…,” reacted Trump.`),
    after a question or exclamation mark a cue (`“…?” Beck questioned.`)."""
    last = art.closing_punct(q)
    if last not in {",", "?", "!"}:
        return None
    _, p_end = art.paras[art.para_of(q.end - 1)]
    stop = sentence_stops(art.text[q.end:p_end])
    end = q.end + stop[0] if stop else p_end
    span = art.doc.char_span(q.end, end, alignment_mode="contract")
    if span is None or not 2 <= len(span) <= 40 or any(
            art.token_quote[t.i] >= 0 for t in span):
        return None
    verbs = [t for t in span if t.pos_ == "VERB"]
    if not verbs:
        return None
    verb = verbs[0]
    subj = subject(art, verb)
    inverted = verb.i == span.start and subj is not None and subj.i > verb.i
    if last != "," and verb.lemma_.lower() not in lexicon.CUE_VERBS and not inverted:
        return None  # after `?` or `!` a cue, or any verb before its subject (`beamed X`)
    if (len(span) > 12 or len(verbs) > 1) and not inverted and (
            subj is None or not span.start <= subj.i < verb.i or verb.i - span.start > 8):
        # A longer frame needs its subject and first verb to open it (`“…,” the nominee
        # riffed on Hassan's answer, drawing applause`).
        return None
    speaker = subj or next(
        (t for t in span if t.pos_ in {"PROPN", "PRON"} or t.ent_type_ == "PERSON"), None)
    if speaker is None or speaker.i in art.quote_tokens:
        return None
    return verb, np_head(speaker)
